"""write_import(): Parquet extracts, organisation, manifest, report; all or nothing."""

from __future__ import annotations

import datetime as dt
import importlib
import warnings

import pandas as pd
import pytest

from scorecard.errors import OutputError, UsageError
from scorecard.extracts import load_extracts, read_manifest
from scorecard.extracts.schemas import SPECS
from scorecard.extracts.validate import ExtractValidationError
from scorecard.importers import ReturnImportError, assign_teams, write_import
from scorecard.importers.combine import _canonical, _validation_error
from tests.importers.helpers import NA, children, referrals, result


def _teamed(refs=None):
    imported = result(
        "cin_census",
        {
            "children": children([("C1", "2010-01-01", "M", False, NA)]),
            "referrals": refs
            if refs is not None
            else referrals([("R1", "C1", NA, "2015-01-10", NA)]),
        },
        first="2013-04-01",
        last="2015-03-31",
        years=("2013/14", "2014/15"),
    )
    return assign_teams(imported, authority="Shire")


def test_writes_extracts_organisation_manifest_and_report(tmp_path) -> None:
    teams = _teamed()
    out = write_import(teams.result, tmp_path / "out", organisation=teams.organisation)
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "children.parquet",
        "import_report.csv",
        "manifest.yaml",
        "organisation.csv",
        "referrals.parquet",
    ]
    manifest = read_manifest(out)
    assert manifest.extraction_date == dt.date(2015, 3, 31)
    assert manifest.first_date_covered == dt.date(2013, 4, 1)
    assert manifest.source == "CIN census (national returns)"
    assert "collection years 2013/14, 2014/15" in manifest.notes
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning: the import report is not an unknown file
        extracts = load_extracts(out)
    assert extracts.referrals["team"].tolist() == ["Shire (all teams)"]
    report = pd.read_csv(out / "import_report.csv")
    assert list(report.columns) == ["source", "file", "table", "action", "reason", "rows", "detail"]
    assert report.loc[report["action"] == "read", "rows"].sum() == 2  # 1 child + 1 referral
    # nothing else beside the folder: the temporary folder was renamed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_empty_out_folder_is_used_a_non_empty_one_refused(tmp_path) -> None:
    teams = _teamed()
    (tmp_path / "empty").mkdir()
    write_import(teams.result, tmp_path / "empty", organisation=teams.organisation)
    with pytest.raises(UsageError, match="the folder is not empty"):
        write_import(teams.result, tmp_path / "empty", organisation=teams.organisation)


def test_extracts_that_do_not_validate_leave_no_folder_and_the_report_beside(tmp_path) -> None:
    # a closure before the referral: end_before_start, found when the folder is loaded
    teams = _teamed(referrals([("R1", "C1", NA, "2015-01-10", "2015-01-01")]))
    with pytest.raises(ReturnImportError) as caught:
        write_import(teams.result, tmp_path / "out", organisation=teams.organisation)
    message = str(caught.value)
    assert "nothing was written to" in message
    assert "closure_date: end_before_start" in message and "[referral_id=R1]" in message
    assert ".partial" not in message  # the temporary folder is not named
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.import_report.csv"]


def test_a_failure_while_writing_leaves_no_half_folder(tmp_path, monkeypatch) -> None:
    teams = _teamed()

    def full_disk(manifest, folder):
        raise OSError(28, "No space left on device")

    module = importlib.import_module("scorecard.importers.combine")
    monkeypatch.setattr(module, "write_manifest", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        write_import(teams.result, tmp_path / "out", organisation=teams.organisation)
    assert list(tmp_path.iterdir()) == []


def test_without_dates_no_manifest_is_written(tmp_path) -> None:
    teams = _teamed()
    undated = teams.result.__class__(
        teams.result.source, teams.result.extracts, teams.result.report
    )
    out = write_import(undated, tmp_path / "out", organisation=teams.organisation)
    assert not (out / "manifest.yaml").exists()


def _canonical_frames(teams):
    """The frames write_import writes (canonical dtypes and columns)."""
    return {
        name: _canonical(teams.result, name, frame)[list(SPECS[name].columns)].reset_index(
            drop=True
        )
        for name, frame in teams.result.extracts.items()
    }


def _written_by_hand(teams, folder):
    """The folder write_import would write (extracts, organisation), written here directly;
    the frames written."""
    folder.mkdir()
    canonical = _canonical_frames(teams)
    for name, frame in canonical.items():
        frame.to_parquet(folder / f"{name}.parquet", index=False)
    teams.organisation.to_csv(folder / "organisation.csv", index=False)
    return canonical


@pytest.mark.parametrize(
    ("refs", "organisation_teams"),
    [
        # a closure before the referral (end_before_start)
        (referrals([("R1", "C1", NA, "2015-01-10", "2015-01-01")]), None),
        # two referrals with one id (a duplicate key), and a child not in children
        (
            referrals([("R1", "C1", NA, "2015-01-10", NA), ("R1", "C9", NA, "2015-02-10", NA)]),
            None,
        ),
        # a team the organisation file does not hold (checked against organisation.csv)
        (referrals([("R1", "C1", NA, "2015-01-10", NA)]), ["Elsewhere"]),
    ],
)
def test_the_validation_in_memory_says_what_loading_the_folder_says(
    tmp_path, refs, organisation_teams
) -> None:
    # write_import validates the frames it writes rather than reading the files back: the
    # error must be the one load_extracts gives for the same folder (same extract, column, rows)
    teams = _teamed(refs)
    organisation = teams.organisation
    if organisation_teams is not None:
        organisation = organisation.assign(team=organisation_teams)
        teams = teams._replace(organisation=organisation)
    folder = tmp_path / "folder"
    canonical = _written_by_hand(teams, folder)
    with pytest.raises(ExtractValidationError) as loading, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        load_extracts(folder)
    in_memory = _validation_error(canonical, folder)
    assert isinstance(in_memory, ExtractValidationError)
    assert str(in_memory) == str(loading.value)
    with pytest.raises(ReturnImportError) as caught:
        write_import(teams.result, tmp_path / "out", organisation=organisation)
    assert str(loading.value).replace(str(folder), str(tmp_path / "out")) in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_a_valid_import_validates_in_memory_and_loads(tmp_path) -> None:
    teams = _teamed()
    folder = tmp_path / "folder"
    canonical = _written_by_hand(teams, folder)
    assert _validation_error(canonical, folder) is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        load_extracts(folder)  # and loading agrees


def test_a_file_larger_than_the_loader_reads_is_refused(tmp_path, monkeypatch) -> None:
    # the loader refuses a file above max_file_bytes: write_import must not leave such a folder
    load = importlib.import_module("scorecard.extracts.load")
    monkeypatch.setattr(load, "MAX_FILE_BYTES", 100)  # every Parquet file is larger
    teams = _teamed()
    with pytest.raises(ReturnImportError) as caught:
        write_import(teams.result, tmp_path / "out", organisation=teams.organisation)
    message = str(caught.value)
    assert "unreadable_file" in message and "larger than the limit of 100 bytes" in message
    assert str(tmp_path / "out" / "referrals.parquet") in message and ".partial" not in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.import_report.csv"]


def test_a_failure_while_writing_parquet_leaves_no_half_folder(tmp_path, monkeypatch) -> None:
    # the Parquet files are written on a second thread: its failure still reaches the caller
    teams = _teamed()

    def full_disk(self, path, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        write_import(teams.result, tmp_path / "out", organisation=teams.organisation)
    assert list(tmp_path.iterdir()) == []

"""write_import(): Parquet extracts, organisation, manifest, report; all or nothing."""

from __future__ import annotations

import datetime as dt
import importlib
import warnings

import pandas as pd
import pytest

from scorecard.errors import OutputError, UsageError
from scorecard.extracts import load_extracts, read_manifest
from scorecard.importers import ReturnImportError, assign_teams, write_import
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

"""Loading extracts from a folder: files, formats, absent / empty / unknown files, line numbers."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pandas as pd
import pytest

from scorecard.errors import UsageError
from scorecard.extracts import (
    EXTRACT_NAMES,
    SCHEMAS,
    ExtractValidationError,
    ExtractWarning,
    load_extracts,
    load_organisation,
    validate_extracts,
    write_extracts,
)
from tests.extracts.conftest import VALID_CSV, frame_of, replace_line, write_folder


def _failure(err: ExtractValidationError, extract: str, check: str) -> pd.DataFrame:
    f = err.failures
    found = f[(f["extract"] == extract) & (f["check"] == check)]
    assert len(found), f"no {check} failure for {extract}:\n{err}"
    return found


def test_valid_folder_loads_with_canonical_dtypes(valid_folder: Path) -> None:
    extracts = load_extracts(valid_folder)
    assert extracts.present == EXTRACT_NAMES
    assert extracts.absent == ()
    assert extracts.unknown_files == ()
    assert extracts.notes == ()
    for name, frame in extracts.frames().items():
        SCHEMAS[name].validate(frame)  # the canonical frames satisfy the published schemas
    children = extracts.children
    assert str(children["date_of_birth"].dtype) == "datetime64[ns]"
    assert children["uasc"].dtype == bool
    assert str(children["disabled"].dtype) == "boolean"
    assert children.loc[1, "date_of_birth"] is pd.NaT  # unborn child
    assert extracts.workforce["fte"].dtype == "float64"
    assert extracts.sources["referrals"] == str(valid_folder / "referrals.csv")
    assert list(extracts.referrals.index) == [0, 1, 2]  # line = index + 2


def test_extracts_is_immutable(valid_folder: Path) -> None:
    extracts = load_extracts(valid_folder)
    with pytest.raises(dataclasses.FrozenInstanceError):
        extracts.referrals = None  # type: ignore[misc]
    with pytest.raises(TypeError):
        extracts.sources["referrals"] = "x"  # type: ignore[index]
    with pytest.raises(KeyError, match="unknown extract"):
        extracts.get("referals")


def test_absent_extract_is_recorded_not_an_error(tmp_path: Path) -> None:
    texts = {k: v for k, v in VALID_CSV.items() if k not in ("cp_plans", "pf_arrangements")}
    extracts = load_extracts(write_folder(tmp_path, texts))
    assert extracts.cp_plans is None and extracts.pf_arrangements is None
    assert extracts.absent == ("cp_plans", "pf_arrangements")
    assert not extracts.has("referrals", "cp_plans") and extracts.has("referrals")
    # the references that could not be checked are noted, not silently skipped
    assert any("cp_reviews.cp_plan_id not checked" in note for note in extracts.notes)
    assert any("visits.arrangement_id not checked" in note for note in extracts.notes)


def test_header_only_file_is_a_present_empty_extract(tmp_path: Path) -> None:
    texts = dict(VALID_CSV)
    texts["cic_reviews"] = VALID_CSV["cic_reviews"].splitlines()[0] + "\n"
    extracts = load_extracts(write_folder(tmp_path, texts))
    reviews = extracts.cic_reviews
    assert reviews is not None and len(reviews) == 0
    assert "cic_reviews" in extracts.present
    assert str(reviews["review_date"].dtype) == "datetime64[ns]"
    SCHEMAS["cic_reviews"].validate(reviews)


def test_zero_byte_file_is_an_error(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, VALID_CSV)
    (folder / "visits.csv").write_text("")
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(folder)
    assert "empty" in _failure(info.value, "visits", "unreadable_file")["detail"].iloc[0]


def test_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, VALID_CSV, encoding="utf-8-sig")
    assert (folder / "referrals.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    extracts = load_extracts(folder)
    assert extracts.referrals.columns[0] == "referral_id"
    assert extracts.referrals["referral_id"].tolist() == ["R1", "R2", "R3"]


def test_non_utf8_file_is_an_error(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, VALID_CSV)
    (folder / "organisation.csv").write_bytes(
        VALID_CSV["organisation"].replace("North", "Nörth").encode("latin-1")
    )
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(folder)
    assert "UTF-8" in _failure(info.value, "organisation", "unreadable_file")["detail"].iloc[0]


def test_unknown_files_are_reported(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, VALID_CSV)
    (folder / "notes.txt").write_text("hello")
    (folder / "referals.csv").write_text("x\n")
    (folder / ".DS_Store").write_text("ignored")
    with pytest.warns(ExtractWarning, match=r"referals\.csv \(did you mean referrals\?\)"):
        extracts = load_extracts(folder)
    assert extracts.unknown_files == ("notes.txt", "referals.csv")
    assert any("notes.txt" in note for note in extracts.notes)


def test_csv_and_parquet_for_one_extract_is_ambiguous(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, VALID_CSV)
    pd.DataFrame({"x": [1]}).to_parquet(folder / "visits.parquet")
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(folder)
    _failure(info.value, "visits", "ambiguous_source")


def test_blank_lines_are_ignored_and_line_numbers_kept(tmp_path: Path) -> None:
    texts = dict(VALID_CSV)
    texts["referrals"] = replace_line(
        VALID_CSV["referrals"],
        "R2,C2,Team A,2015-04-10,2015-05-20\n",
        "\nR2,C2,Team A,2015-04-10,2015-03-20\n",
    )
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(write_folder(tmp_path, texts))
    found = _failure(info.value, "referrals", "end_before_start")
    assert found["line"].tolist() == [4]  # header 1, R1 2, blank 3, R2 4
    assert info.value.notes and "blank line" in info.value.notes[0]


def test_csv_round_trip(valid_folder: Path, tmp_path: Path) -> None:
    first = load_extracts(valid_folder)
    write_extracts(first, tmp_path / "again")
    second = load_extracts(tmp_path / "again")
    for name, frame in first.frames().items():
        pd.testing.assert_frame_equal(frame, second.get(name), check_index_type=False)


def test_parquet_round_trip(valid_folder: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    first = load_extracts(valid_folder)
    written = write_extracts(first, tmp_path / "pq", file_format="parquet")
    assert all(p.suffix == ".parquet" for p in written)
    second = load_extracts(tmp_path / "pq")
    assert second.sources["cic_episodes"].endswith("cic_episodes.parquet")
    for name, frame in first.frames().items():
        pd.testing.assert_frame_equal(frame, second.get(name), check_index_type=False)


def test_parquet_with_native_types(tmp_path: Path, valid_folder: Path) -> None:
    pytest.importorskip("pyarrow")
    folder = write_folder(tmp_path / "mixed", VALID_CSV)
    (folder / "cic_reviews.csv").unlink()
    pd.DataFrame(
        {
            "cic_review_id": [1],  # integer id -> "1"
            "child_id": ["C4"],
            "team": ["Team C"],
            "review_date": [pd.Timestamp("2014-07-20").date()],
            "participation": ["PN1"],
        }
    ).to_parquet(folder / "cic_reviews.parquet")
    reviews = load_extracts(folder).cic_reviews
    assert reviews["cic_review_id"].tolist() == ["1"]
    assert reviews["review_date"].tolist() == [pd.Timestamp("2014-07-20")]


def test_organisation_argument_overrides_folder_file(valid_folder: Path) -> None:
    organisation = pd.read_csv(valid_folder / "organisation.csv", dtype=str, keep_default_na=False)
    extracts = load_extracts(valid_folder, organisation=organisation)
    assert extracts.sources["organisation"] == "<DataFrame>"
    assert any("organisation.csv" in note and "ignored" in note for note in extracts.notes)


def test_no_organisation_means_teams_not_checked(tmp_path: Path) -> None:
    texts = {k: v for k, v in VALID_CSV.items() if k != "organisation"}
    extracts = load_extracts(write_folder(tmp_path, texts))
    assert extracts.organisation is None
    assert any("teams not checked" in note for note in extracts.notes)


def test_load_organisation_reads_the_2015_table(shared: Path) -> None:
    organisation = load_organisation(shared / "reference" / "organisation_2015.csv")
    assert len(organisation) == 22
    county_wide = organisation[organisation["area"].isna()]["team"].tolist()
    assert county_wide == ["UASC AIT", "Adoption & SG", "CDT/OOH/CRU", "Care Leaver Service (18+)"]


def test_load_organisation_rejects_unknown_team_type(tmp_path: Path) -> None:
    path = tmp_path / "organisation.csv"
    path.write_text("team,area,team_type\nTeam A,North,duty\nTeam A,North,front_door\n")
    with pytest.raises(ExtractValidationError) as info:
        load_organisation(path)
    assert set(info.value.failures["check"]) == {"unknown_code", "duplicate_id"}


def test_bad_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_extracts(tmp_path / "nowhere")
    (tmp_path / "file.csv").write_text("x")
    with pytest.raises(NotADirectoryError):
        load_extracts(tmp_path / "file.csv")


def test_bad_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        load_extracts(tmp_path / "nowhere")
    (tmp_path / "file.csv").write_text("x")
    with pytest.raises(UsageError, match="is not a folder"):
        load_extracts(tmp_path / "file.csv")
    for bad in (0, -5, 1.5, "2GB", True):
        with pytest.raises(UsageError, match="max_file_bytes"):
            load_extracts(tmp_path, max_file_bytes=bad)  # type: ignore[arg-type]


def test_not_loaded_lists_every_absent_extract(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "x", {n: VALID_CSV[n] for n in ("organisation", "children")})
    (folder / "referrals.CSV").write_text(VALID_CSV["referrals"])  # a suffix in capitals
    (folder / "visits.csv.gz").write_bytes(b"\x1f\x8b")
    with pytest.warns(ExtractWarning, match="named like extracts but not read"):
        extracts = load_extracts(folder)
    not_loaded = extracts.not_loaded
    # every absent extract and only those: 17 case-level extracts minus children
    assert set(not_loaded) == set(extracts.absent) and len(not_loaded) == len(EXTRACT_NAMES) - 1
    assert not_loaded["referrals"] == (
        "referrals.CSV: not read: only <extract>.csv and <extract>.parquet files are read "
        "(lower case)"
    )
    assert not_loaded["visits"].startswith("visits.csv.gz: not read: only <extract>.csv")
    assert not_loaded["cp_plans"] == "no file"
    assert extracts.unknown_files == ()
    # in memory, an extract left out is "not supplied"
    in_memory = validate_extracts({"children": frame_of(VALID_CSV["children"])})
    assert in_memory.not_loaded["referrals"] == "not supplied"
    assert in_memory.not_loaded["organisation"] == "not supplied"


def test_partitioned_parquet_dataset(tmp_path: Path) -> None:
    """A ``key=value`` partition folder becomes a column, as pyarrow (and Spark) write it."""
    folder = write_folder(tmp_path / "x", {n: VALID_CSV[n] for n in ("organisation", "children")})
    referrals = frame_of(VALID_CSV["referrals"])
    referrals.to_parquet(folder / "referrals.parquet", partition_cols=["team"])
    assert [p.name for p in (folder / "referrals.parquet").iterdir()] == ["team=Team%20A"]
    extracts = load_extracts(folder)
    assert sorted(extracts.referrals["referral_id"]) == ["R1", "R2", "R3"]
    assert set(extracts.referrals["team"]) == {"Team A"}


def test_parquet_dataset_with_a_link_is_not_read(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "x", {n: VALID_CSV[n] for n in ("organisation", "children")})
    dataset = folder / "referrals.parquet"
    dataset.mkdir()
    frame_of(VALID_CSV["referrals"]).to_parquet(tmp_path / "elsewhere.parquet")
    (dataset / "part-0.parquet").symlink_to(tmp_path / "elsewhere.parquet")
    with pytest.warns(ExtractWarning):
        extracts = load_extracts(folder)
    assert extracts.referrals is None
    assert "holding a symbolic link: not followed" in extracts.not_loaded["referrals"]


def test_organisation_given_as_a_pipe_is_refused(tmp_path: Path) -> None:
    pipe = tmp_path / "organisation.csv"
    os.mkfifo(pipe)
    with pytest.raises(UsageError, match="is not a .csv or .parquet file"):
        load_organisation(pipe)
    with pytest.raises(UsageError, match="organisation must be a DataFrame or the path"):
        load_organisation(42)  # type: ignore[arg-type]


def test_files_read_ahead_keep_the_order_of_what_reading_found(tmp_path: Path) -> None:
    """Files are read on a second thread while the extract before them is checked, in the order
    the extracts are checked (referrals before assessments); what reading finds is still given
    in the order of the folder's files (assessments.csv before referrals.csv), then the note on
    files that are not extracts."""
    texts = dict(VALID_CSV)
    texts["referrals"] = VALID_CSV["referrals"].replace("R1,", "\nR1,")
    texts["assessments"] = VALID_CSV["assessments"].replace("A2,", "\n\nA2,")
    folder = write_folder(tmp_path, texts)
    (folder / "referals.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.warns(Warning):
        extracts = load_extracts(folder)
    reading = [note for note in extracts.notes if "blank line" in note or "not extracts" in note]
    assert reading == [
        f"assessments ({folder / 'assessments.csv'}): 2 blank line(s) ignored",
        f"referrals ({folder / 'referrals.csv'}): 1 blank line(s) ignored",
        f"files in {folder} that are not extracts (not read): referals.csv (did you mean referrals?)",
    ]
    assert len(extracts.referrals) == 3 and len(extracts.assessments) == 2

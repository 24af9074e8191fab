"""The catalogue of bad input (docs/bad-input.md), rows 58 onwards: files that are not what their
name says, hostile files, numbers that are not finite or sane, and a user's mistakes that used to end
in a Python traceback.

Each test builds one case from the small valid set of ``conftest.py``, checks what happens (the
extract read, not read with the reason, or one library error naming the extract, column and rows)
and that the example message quoted in the catalogue is what the library says
(:func:`tests.catalogue.documented`).
"""

from __future__ import annotations

import os
import signal
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import scorecard as sc
from scorecard.convenience import compute  # the bundled registry
from scorecard.errors import DataError, UsageError
from scorecard.extracts import (
    SPECS,
    ExtractValidationError,
    ExtractWarning,
    load_extracts,
    validate_extracts,
)
from tests.catalogue import documented
from tests.extracts.conftest import VALID_CSV, frame_of
from tests.extracts.test_catalogue import (
    assert_error,
    folder_of,
    load_error,
    quality_row,
    report_text,
    texts_for,
)

BASE = ("organisation", "children")


@contextmanager
def finishes_within(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the block runs longer than ``seconds``."""

    def expired(signum: int, frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def load_quietly(folder: Path, **options: object) -> tuple[sc.Extracts, list[str]]:
    """``load_extracts`` and the texts of the ExtractWarnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ExtractWarning)
        extracts = load_extracts(folder, **options)
    return extracts, [str(w.message) for w in caught]


def not_read(extracts: sc.Extracts, name: str) -> str:
    """The ``not read`` quality row of ``name``: its detail; the extract is absent."""
    row = quality_row(extracts, name, None, "not_read")
    assert row["action"] == "not read"
    assert extracts.get(name) is None and name in extracts.not_loaded
    return str(row["detail"])


# --------------------------------------------------------------------------------------------------
# Files named like an extract that are not one (item 3 of issue 9)
# --------------------------------------------------------------------------------------------------


def test_excel_workbook(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, texts_for(BASE))
    (folder / "referrals.xlsx").write_bytes(b"PK\x03\x04 a workbook")
    extracts, warned = load_quietly(folder)
    detail = not_read(extracts, "referrals")
    assert detail == "referrals.xlsx: not read: save as CSV UTF-8 or Parquet"
    assert extracts.not_loaded["referrals"] == detail
    assert extracts.not_loaded["cp_plans"] == "no file"
    assert "referrals.xlsx" not in extracts.unknown_files  # no "did you mean"
    assert any("referrals.xlsx (save as CSV UTF-8 or Parquet)" in w for w in warned)
    text = report_text(extracts)
    assert "did you mean" not in text
    # the absent section says why, with the indicators it disables
    assert "  - referrals: referrals.xlsx: not read: save as CSV UTF-8 or Parquet; used by " in text
    documented(request, text)


def test_excel_beside_csv(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, texts_for((*BASE, "referrals")))
    (folder / "referrals.xlsx").write_bytes(b"PK\x03\x04 a workbook")
    extracts, _ = load_quietly(folder)
    assert extracts.referrals["referral_id"].tolist() == ["R1", "R2", "R3"]
    assert "referrals" not in extracts.not_loaded
    assert quality_row(extracts, "referrals", None, "not_read")["action"] == "not read"
    documented(request, report_text(extracts))


def test_parquet_dataset_folder(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, texts_for(BASE))
    dataset = folder / "referrals.parquet"  # as Spark writes it: part files and a _SUCCESS marker
    dataset.mkdir()
    rows = frame_of(VALID_CSV["referrals"])
    rows.iloc[:2].to_parquet(dataset / "part-00000-abc.snappy.parquet")
    rows.iloc[2:].to_parquet(dataset / "part-00001-abc.snappy.parquet")
    (dataset / "_SUCCESS").write_bytes(b"")
    (dataset / ".part-00000-abc.snappy.parquet.crc").write_bytes(b"crc")
    extracts, warned = load_quietly(folder)
    assert [w for w in warned if "no manifest.yaml" not in w] == []  # only the inferred manifest
    # both parts, in part order: the three referrals of the CSV
    assert extracts.referrals["referral_id"].tolist() == ["R1", "R2", "R3"]
    assert extracts.sources["referrals"] == str(dataset)
    documented(request, report_text(extracts))


@pytest.mark.parametrize("case", ["plain_folder", "empty_dataset", "csv_folder"])
def test_folder_named_like_extract(
    request: pytest.FixtureRequest, tmp_path: Path, case: str
) -> None:
    folder = folder_of(tmp_path, texts_for(BASE))
    name = {"plain_folder": "cp_plans", "empty_dataset": "cp_plans.parquet", "csv_folder":
            "cp_plans.csv"}[case]  # fmt: skip
    (folder / name).mkdir()
    (folder / name / "notes.txt").write_text("not a part file\n")
    if case == "empty_dataset":
        (folder / name / "notes.txt").unlink()
        (folder / name / "_SUCCESS").write_bytes(b"")
    extracts, _ = load_quietly(folder)
    assert not_read(extracts, "cp_plans").startswith(f"{name}: not read: a folder")
    documented(request, report_text(extracts))


def test_dangling_symlink(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, texts_for(BASE))
    (folder / "visits.csv").symlink_to(tmp_path / "moved_away.csv")
    extracts, _ = load_quietly(folder)
    assert extracts.not_loaded["visits"] == (
        "visits.csv: not read: a symbolic link to nothing (its target does not exist)"
    )
    documented(request, report_text(extracts))


def test_symlink_inside_folder(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, texts_for(BASE))
    (folder / "archive").mkdir()
    (folder / "archive" / "visits_2015-05.csv").write_text(VALID_CSV["visits"])
    (folder / "visits.csv").symlink_to(Path("archive") / "visits_2015-05.csv")
    extracts, _ = load_quietly(folder)
    assert extracts.visits["visit_id"].tolist() == ["V1", "V2", "V3"]
    documented(request, report_text(extracts))


# --------------------------------------------------------------------------------------------------
# Hostile files (item 7)
# --------------------------------------------------------------------------------------------------


def test_symlink_out_of_folder(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    secret = tmp_path / "passwd"
    secret.write_text("SECRET-FIRST-LINE:x:0:0\n")
    folder = folder_of(tmp_path, texts_for(("children",)))
    (folder / "organisation.csv").symlink_to(secret)
    extracts, warned = load_quietly(folder)
    assert extracts.organisation is None
    with pytest.raises(DataError, match="organisation.csv: not read: a symbolic link leading out"):
        compute(extracts, ["2015-05"], county="Shire")  # the reason reaches the refusal
    said = "\n".join([report_text(extracts), *warned, *extracts.notes])
    assert (
        "SECRET" not in said and str(secret) not in said
    )  # neither its content nor where it leads
    documented(request, said)


def test_link_to_device(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, texts_for(BASE))
    (folder / "cic_reviews.csv").symlink_to("/dev/zero")
    with finishes_within(10):
        extracts, _ = load_quietly(folder)
    documented(request, not_read(extracts, "cic_reviews"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_named_pipe(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, texts_for(BASE))
    os.mkfifo(folder / "allocations.csv")  # nobody writes to it: reading it would wait forever
    with finishes_within(10):
        extracts, _ = load_quietly(folder)
    documented(request, not_read(extracts, "allocations"))


def test_file_over_size_limit(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for((*BASE, "referrals"))
    texts["referrals"] += "".join(f"R{i},C1,Team A,2015-04-01,\n" for i in range(4, 14))
    folder = folder_of(tmp_path, texts)
    size = (folder / "referrals.csv").stat().st_size
    assert size == 138 + 6 * 25 + 4 * 26  # lines of R4-R9 and R10-R13; the other files < 200 B
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(folder, max_file_bytes=200)
    found = assert_error(request, info.value, "referrals", None, "unreadable_file", None)
    assert "(392 bytes or more)" in found["detail"].iloc[0]
    assert "organisation" not in str(info.value)  # the small files are read
    assert (
        load_extracts(folder, max_file_bytes=size).referrals is not None
    )  # the limit is inclusive


def test_runaway_header(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, texts_for(BASE))
    wide = ",".join(f"c{i}" for i in range(100_000))
    (folder / "referrals.csv").write_text(f"{wide}\n{wide}\n")
    started = time.perf_counter()
    err = load_error(tmp_path, {})
    assert time.perf_counter() - started < 5
    assert_error(request, err, "referrals", None, "unreadable_file", "line 1")


def test_too_many_columns_in_frame(request: pytest.FixtureRequest) -> None:
    wide = pd.DataFrame({f"c{i}": [1] for i in range(100_000)})
    started = time.perf_counter()
    with pytest.raises(ExtractValidationError) as info:
        validate_extracts({"referrals": wide})
    assert time.perf_counter() - started < 5
    assert_error(request, info.value, "referrals", None, "too_many_columns", None)


# --------------------------------------------------------------------------------------------------
# Only finite, sane numbers (item 6)
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["fte_inf", "distance_inf", "distance_inf_in_parquet"])
def test_not_finite_number(request: pytest.FixtureRequest, tmp_path: Path, case: str) -> None:
    if case == "fte_inf":  # one post of County agency staff: 0.5 agency FTE of inf -> 0.0% Green
        texts = texts_for(("organisation", "workforce"), {"workforce": (
            "true,0.5,agency", "true,inf,agency")})  # fmt: skip
        err = load_error(tmp_path, texts)
        assert_error(request, err, "workforce", "fte", "not_finite", "line 3")
        return
    if case == "distance_inf":
        texts = texts_for(("organisation", "children", "cic_episodes"), {"cic_episodes": (
            "PR1,,12", "PR1,,Infinity")})  # fmt: skip
        err = load_error(tmp_path, texts)
        assert_error(request, err, "cic_episodes", "distance_miles", "not_finite", "line 3")
        return
    folder = folder_of(tmp_path, texts_for(("organisation", "children")))
    episodes = frame_of(VALID_CSV["cic_episodes"]).assign(distance_miles=[5.5, float("-inf")])
    episodes.to_parquet(folder / "cic_episodes.parquet")  # a float column holding -inf
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(folder)
    assert_error(request, info.value, "cic_episodes", "distance_miles", "not_finite", "row 1")
    assert "out_of_range" not in str(info.value)  # -inf: one failure, not two


def test_nan_written_as_text(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(("organisation", "workforce"), {"workforce": (
        "true,1.0,permanent", "true,NaN,permanent")})  # fmt: skip
    err = load_error(tmp_path, texts)
    assert_error(request, err, "workforce", "fte", "invalid_number", "line 2")


def test_distance_beyond_the_earth(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(("organisation", "children", "cic_episodes"), {"cic_episodes": (
        "PR1,,12", "PR1,,1e9")})  # fmt: skip
    err = load_error(tmp_path, texts)
    assert_error(request, err, "cic_episodes", "distance_miles", "out_of_range", "line 3")


def test_fte_above_one(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(("organisation", "workforce"), {"workforce": (
        "true,1.0,permanent", "true,37.5,permanent")})  # fmt: skip
    err = load_error(tmp_path, texts)
    assert_error(request, err, "workforce", "fte", "out_of_range", "line 2")


# --------------------------------------------------------------------------------------------------
# No traceback for a user's mistake (item 8)
# --------------------------------------------------------------------------------------------------


def test_float_ids_in_parquet(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(("organisation", "referrals"))
    texts["referrals"] = texts["referrals"].replace(",C1,", ",1,").replace(",C2,", ",2,")
    texts["referrals"] = texts["referrals"].replace(",C4,", ",4,")
    folder = folder_of(tmp_path, texts)
    children = frame_of(VALID_CSV["children"]).assign(child_id=[1.0, 2.0, 3.0, 4.0])
    children.to_parquet(folder / "children.parquet")  # as pandas exports an id column with a NaN
    extracts, _ = load_quietly(folder)
    # 1.0 -> "1": whole numbers below 2**53 are written exactly, so they still match the CSV's ids
    assert extracts.children["child_id"].tolist() == ["1", "2", "3", "4"]
    assert extracts.referrals["child_id"].tolist() == ["1", "2", "4"]
    documented(request, report_text(extracts))


def test_float_id_with_fraction(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, texts_for(("organisation",)))
    children = frame_of(VALID_CSV["children"]).assign(child_id=[1.0, 2.5, 3.0, 2.0**60])
    children.to_parquet(folder / "children.parquet")
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(folder)
    found = assert_error(
        request, info.value, "children", "child_id", "not_whole_number", "rows 1, 3"
    )
    assert found["row"].tolist() == [1, 3]


def test_arrow_date_columns(request: pytest.FixtureRequest) -> None:
    children = frame_of(VALID_CSV["children"])
    for column in ("date_of_birth", "expected_date_of_birth", "uasc_ceased_date"):
        dates = pd.to_datetime(children[column].replace("", None), format="%Y-%m-%d")
        children[column] = dates.astype(pd.ArrowDtype(pa.date32()))
    extracts = validate_extracts({"children": children})
    assert extracts.children["date_of_birth"].dtype == "datetime64[ns]"
    assert extracts.children["date_of_birth"].iloc[0] == pd.Timestamp("2010-05-01")
    assert extracts.children["date_of_birth"].isna().tolist() == [False, True, False, False]
    documented(request, report_text(extracts))


def test_multiindex_columns(request: pytest.FixtureRequest) -> None:
    children = frame_of(VALID_CSV["children"])
    children.columns = pd.MultiIndex.from_product([["children"], children.columns])
    with pytest.raises(ExtractValidationError) as info:
        validate_extracts({"children": children})
    assert_error(request, info.value, "children", None, "multiindex_columns", None)


def test_column_of_unusable_type(request: pytest.FixtureRequest) -> None:
    reviews = frame_of(VALID_CSV["cic_reviews"])
    reviews["review_date"] = pd.to_timedelta([3], unit="D")  # a duration, not a date
    with pytest.raises(ExtractValidationError) as info:
        validate_extracts({"cic_reviews": reviews})
    assert_error(request, info.value, "cic_reviews", "review_date", "wrong_type", None)
    assert "missing_value" not in str(info.value)  # one failure for the column, not one per row


def test_team_named_like_area(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(("organisation",), {"organisation": (
        "Team C,North,", "North,North,")})  # fmt: skip
    err = load_error(tmp_path, texts)
    assert_error(request, err, "organisation", "team", "team_named_like_area", "line 3")


def test_area_named_like_county(request: pytest.FixtureRequest) -> None:
    extracts = validate_extracts({}, frame_of(VALID_CSV["organisation"]))
    with pytest.raises(ExtractValidationError) as info:
        compute(extracts, ["2015-05"], county="North")
    assert_error(request, info.value, "organisation", "area", "area_named_like_county", "rows 0, 1")
    compute(extracts, ["2015-05"], county="Shire")  # another name: computed
    with pytest.raises(ExtractValidationError, match="team_named_like_county"):
        compute(extracts, ["2015-05"], county="Team C")  # a team's name: refused alike
    for county in ("", "  ", None):
        with pytest.raises(UsageError, match="county must be"):
            compute(extracts, ["2015-05"], county=county)  # type: ignore[arg-type]


def test_extracts_built_by_hand(request: pytest.FixtureRequest) -> None:
    frames = {name: frame_of(VALID_CSV[name]) for name in ("organisation", "referrals")}
    with pytest.raises(UsageError) as info:
        sc.compute(sc.Extracts(**frames), ["2015-05"], county="Shire")
    assert "validate_extracts" in str(info.value)
    validated = validate_extracts(frames)
    sc.compute(validated, ["2015-05"], county="Shire")  # the same frames, validated: computed
    documented(request, str(info.value))


def test_catalogue_files_names_are_in_specs() -> None:
    """The extracts named in this module exist (a renamed extract would make tests vacuous)."""
    for name in ("referrals", "cp_plans", "visits", "cic_reviews", "allocations", "workforce"):
        assert name in SPECS

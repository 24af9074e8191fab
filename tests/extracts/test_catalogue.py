"""The catalogue of bad input (docs/bad-input.md): one test per row.

Every test builds one kind of malformed input from the small valid set of ``conftest.py`` and checks
what happens: an error whose message names the extract, the column and the lines (or rows), or rows
excluded (or kept) and counted in the data-quality report while the rest still loads. Each test also
checks that the example message written in the catalogue is what the library really says
(:func:`tests.catalogue.documented`), and :func:`test_catalogue_and_tests_are_in_step` checks that
the catalogue and the catalogue tests (this module and every other ``tests/**/test_catalogue*.py``)
list the same cases. Tests of the mechanism itself (``test_quality_*``) are not catalogue
rows.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.errors import UsageError
from scorecard.extracts import (
    EXTRACT_NAMES,
    FINDING_COLUMNS,
    QUALITY_COLUMNS,
    REPORT_COLUMNS,
    SCHEMAS,
    SPECS,
    Extracts,
    ExtractValidationError,
    ExtractWarning,
    format_quality_report,
    load_extracts,
    quality_report,
    validate_extracts,
)
from scorecard.extracts import validate as validate_module
from scorecard.extracts.quality import dependency_order, to_as_of
from tests.catalogue import CATALOGUE, catalogue_rows, catalogue_test_ids, documented
from tests.extracts.conftest import VALID_CSV, frame_of, replace_line, write_folder

REPO = Path(__file__).resolve().parents[2]

#: The extraction date used by the as_of cases (the end of the May 2015 reporting month).
AS_OF = "2015-05-31"

# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def texts_for(names: Iterable[str], changes: dict[str, tuple[str, str]] | None = None) -> dict:
    """The valid CSV texts of ``names`` with ``{extract: (old, new)}`` replacements."""
    texts = {name: VALID_CSV[name] for name in names}
    for name, (old, new) in (changes or {}).items():
        texts[name] = replace_line(texts[name], old, new)
    return texts


def folder_of(tmp_path: Path, texts: dict[str, str]) -> Path:
    return write_folder(tmp_path / "extracts", texts)


def load_error(tmp_path: Path, texts: dict[str, str], **options: object) -> ExtractValidationError:
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(folder_of(tmp_path, texts), **options)
    return info.value


def entry(err: ExtractValidationError, extract: str, column: str | None, check: str) -> str:
    """The message line about (extract, column, check); asserts the extract heads its block."""
    current = None
    wanted = f"  - {column}: {check} (" if column else f"  - {check} ("
    for line in str(err).splitlines():
        if not line.startswith("  - "):
            current = line.split(" (", 1)[0]
        elif current == extract and line.startswith(wanted):
            return line
    raise AssertionError(f"no message line for {extract}.{column} {check} in:\n{err}")


def failures_of(err: ExtractValidationError, extract: str, column: str | None, check: str):
    f = err.failures
    match = f["column"].isna() if column is None else f["column"].eq(column)
    found = f[f["extract"].eq(extract) & match & f["check"].eq(check)]
    assert len(found), f"no failure {extract}.{column} {check}:\n{err}"
    return found


def assert_error(
    request: pytest.FixtureRequest,
    err: ExtractValidationError,
    extract: str,
    column: str | None,
    check: str,
    where: str | None,
) -> pd.DataFrame:
    """The error names the extract, the column, the check and the lines/rows (``where``)."""
    line = entry(err, extract, column, check)
    if where is not None:
        assert f" at {where}" in line, line
    documented(request, str(err))
    return failures_of(err, extract, column, check)


def report_text(extracts: Extracts) -> str:
    """The quality report as a scorecard run shows it (absent extracts name the indicators of the
    bundled registry whose measures read them)."""
    from scorecard.measures.base import extract_users
    from scorecard.registry import load_registry

    return format_quality_report(quality_report(extracts, extract_users(load_registry())))


def quality_row(extracts: Extracts, extract: str | None, column: str | None, check: str) -> dict:
    q = extracts.quality
    match = q["extract"].isna() if extract is None else q["extract"].eq(extract)
    match &= q["column"].isna() if column is None else q["column"].eq(column)
    found = q[match & q["check"].eq(check)]
    assert len(found) == 1, f"expected one quality row {extract}.{column} {check}:\n{q}"
    return found.iloc[0].to_dict()


# --------------------------------------------------------------------------------------------------
# Files and their structure
# --------------------------------------------------------------------------------------------------


def test_absent_extract(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(("organisation", "children", "cp_reviews"))
    extracts = load_extracts(folder_of(tmp_path, texts))
    assert extracts.cp_plans is None and "cp_plans" in extracts.absent
    from scorecard.measures.base import extract_users
    from scorecard.registry import load_registry

    report = quality_report(extracts, extract_users(load_registry()))
    absent = report[report["section"].eq("absent") & report["extract"].eq("cp_plans")]
    assert absent["detail"].iloc[0].startswith("not supplied; used by indicators 5, 11")
    skipped = quality_row(extracts, "cp_reviews", "cp_plan_id", "unknown_cp_plan_id")
    assert skipped["action"] == "skipped"
    documented(request, report_text(extracts))


def test_header_only_extract(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(("organisation", "children", "cic_reviews"))
    texts["cic_reviews"] = texts["cic_reviews"].splitlines()[0] + "\n"
    extracts = load_extracts(folder_of(tmp_path, texts))
    assert extracts.cic_reviews is not None and len(extracts.cic_reviews) == 0
    assert "cic_reviews" in extracts.present
    documented(request, report_text(extracts))


def test_zero_byte_file(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, texts_for(("organisation", "children", "visits")))
    (folder / "visits.csv").write_bytes(b"")
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(folder)
    assert f"visits ({folder / 'visits.csv'}):" in str(info.value)
    assert_error(request, info.value, "visits", None, "unreadable_file", None)


def test_non_utf8_file(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, texts_for(("organisation", "children")))
    latin = VALID_CSV["organisation"].replace("Team A,North", "Team A,Nörth")
    (folder / "organisation.csv").write_bytes(latin.encode("cp1252"))
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(folder)
    found = assert_error(request, info.value, "organisation", None, "unreadable_file", "line 2")
    assert found["line"].tolist() == [2]


def test_utf16_file(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, texts_for(("organisation", "children")))
    (folder / "referrals.csv").write_bytes(
        codecs.BOM_UTF16_LE + VALID_CSV["referrals"].encode("utf-16-le")
    )
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(folder)
    assert_error(request, info.value, "referrals", None, "unreadable_file", "line 1")


def test_byte_order_mark(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(("organisation", "children", "referrals"))
    folder = write_folder(tmp_path / "extracts", texts, encoding="utf-8-sig")
    assert (folder / "referrals.csv").read_bytes().startswith(codecs.BOM_UTF8)
    extracts = load_extracts(folder)
    assert extracts.referrals["referral_id"].tolist() == ["R1", "R2", "R3"]
    documented(request, report_text(extracts))


def test_semicolon_separated(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(("organisation", "children", "referrals"))
    texts["referrals"] = texts["referrals"].replace(",", ";")
    err = load_error(tmp_path, texts)
    assert_error(request, err, "referrals", None, "unreadable_file", "line 1")
    assert "missing_column" not in str(err)  # one clear failure, not one per column


def test_csv_and_parquet_for_one_extract(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, texts_for(("organisation", "children", "visits")))
    frame_of(VALID_CSV["visits"]).to_parquet(folder / "visits.parquet")
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(folder)
    assert_error(request, info.value, "visits", None, "ambiguous_source", None)


def test_unknown_file(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, texts_for(("organisation", "children", "referrals")))
    (folder / "referals.csv").write_text(VALID_CSV["referrals"])
    (folder / "Visits.CSV").write_text(VALID_CSV["visits"])
    with pytest.warns(ExtractWarning, match=r"referals\.csv \(did you mean referrals\?\)"):
        extracts = load_extracts(folder)
    assert extracts.unknown_files == ("Visits.CSV", "referals.csv")
    assert extracts.visits is None  # not read: the extract is absent
    documented(request, report_text(extracts))


@pytest.mark.parametrize(
    ("record", "fields"),
    [
        pytest.param("H2,C4,dental,2015-01-10,extra", 5, id="too_many"),
        pytest.param("H2,C4,2015-01-10", 3, id="too_few"),
    ],
)
def test_wrong_number_of_fields(
    request: pytest.FixtureRequest, tmp_path: Path, record: str, fields: int
) -> None:
    texts = texts_for(
        ("organisation", "children", "health_checks"),
        {"health_checks": ("H2,C4,dental,2015-01-10", record)},
    )
    err = load_error(tmp_path, texts)
    found = assert_error(request, err, "health_checks", None, "field_count", "line 3")
    assert f"{fields} fields where the header has 4" in found["detail"].iloc[0]


def test_unclosed_quote(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "referrals"),
        {"referrals": ("R2,C2,Team A,", 'R2,C2,"Team A,')},
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "referrals", None, "unreadable_file", "line 3")


def test_blank_lines(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "referrals"),
        {"referrals": ("R2,C2,Team A,2015-04-10,2015-05-20\n", "\nR2,C2,Team A,2015-04-10,\n")},
    )
    extracts = load_extracts(folder_of(tmp_path, texts))
    assert extracts.referrals["referral_id"].tolist() == ["R1", "R2", "R3"]
    assert quality_row(extracts, "referrals", None, "blank_line")["rows"] == 1
    documented(request, report_text(extracts))
    # and the line numbers of the records after it stay exact
    texts["referrals"] = texts["referrals"].replace("R3,C4,Team A,2014-06-01,", "R3,C4,Team A,x,")
    err = load_error(tmp_path / "again", texts)
    assert failures_of(err, "referrals", "referral_date", "invalid_date")["line"].tolist() == [5]


def test_missing_column(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(("organisation", "children", "referrals"))
    texts["referrals"] = "\n".join(
        line.rsplit(",", 1)[0] for line in texts["referrals"].splitlines()
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "referrals", "closure_date", "missing_column", None)
    assert err.failures["check"].tolist() == ["missing_column"]


@pytest.mark.parametrize("mode", ["error", "drop"])
def test_extra_column(request: pytest.FixtureRequest, tmp_path: Path, mode: str) -> None:
    header = "cic_review_id,child_id,team,review_date,participation"
    texts = texts_for(
        ("organisation", "children", "cic_reviews"),
        {"cic_reviews": (header, header + ",notes")},
    )
    texts["cic_reviews"] = texts["cic_reviews"].replace(",PN1\n", ",PN1,x\n")
    if mode == "error":
        err = load_error(tmp_path, texts)
        assert_error(request, err, "cic_reviews", "notes", "extra_column", None)
        return
    with pytest.warns(ExtractWarning, match="dropped column"):
        extracts = load_extracts(folder_of(tmp_path, texts), extra_columns="drop")
    assert "notes" not in extracts.cic_reviews.columns
    assert quality_row(extracts, "cic_reviews", "notes", "extra_column")["action"] == "dropped"
    documented(request, report_text(extracts))


def test_misspelt_column(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "referrals"),
        {"referrals": ("referral_id,child_id", "Referral_ID,child_id")},
    )
    err = load_error(tmp_path, texts)
    entry(err, "referrals", "referral_id", "missing_column")
    assert_error(request, err, "referrals", "Referral_ID", "extra_column", None)


def test_duplicated_column(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "referrals"),
        {"referrals": ("closure_date\n", "closure_date,team\n")},
    )
    texts["referrals"] = re.sub(r"(?m)^(R\d.*)$", r"\1,Team A", texts["referrals"])
    err = load_error(tmp_path, texts)
    assert_error(request, err, "referrals", "team", "duplicate_column", None)


def test_whitespace_around_values(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "referrals"),
        {"referrals": ("R1,C1,Team A,2015-04-01,", " R1 , C1 ,Team A  , 2015-04-01 ,  ")},
    )
    texts["referrals"] = texts["referrals"].replace("referral_id,", " referral_id ,")
    extracts = load_extracts(folder_of(tmp_path, texts))
    first = extracts.referrals.iloc[0]
    assert (first["referral_id"], first["child_id"], first["team"]) == ("R1", "C1", "Team A")
    assert first["referral_date"] == pd.Timestamp("2015-04-01") and pd.isna(first["closure_date"])
    documented(request, report_text(extracts))


# --------------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------------


def test_wrong_type_number(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "workforce"),
        {"workforce": ("Team A,social_worker,true,1.0,", "Team A,social_worker,true,one,")},
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "workforce", "fte", "invalid_number", "line 2")


def test_wrong_type_flag(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "visits"),
        {"visits": ("V2,C4,Team A,CP,2015-05-12,true,", "V2,C4,Team A,CP,2015-05-12,maybe,")},
    )
    err = load_error(tmp_path, texts)
    found = assert_error(request, err, "visits", "child_seen", "invalid_boolean", "line 3")
    assert found["value"].tolist() == ["aaaaa"]  # the shape of a child-level value, not the value


def test_wrong_type_in_parquet(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, texts_for(("organisation", "children")))
    reviews = frame_of(VALID_CSV["cic_reviews"]).assign(review_date=[41840])  # an Excel serial
    reviews.to_parquet(folder / "cic_reviews.parquet")
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(folder)
    assert_error(request, info.value, "cic_reviews", "review_date", "invalid_date", "row 0")


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        pytest.param("2010-02-30", "not a calendar date", id="impossible_day"),
        pytest.param("2010-5-1", "two digits", id="one_digit_month"),
        pytest.param("1 May 2010", "words", id="words"),
    ],
)
def test_unparseable_date(
    request: pytest.FixtureRequest, tmp_path: Path, value: str, hint: str
) -> None:
    texts = texts_for(
        ("organisation", "children"), {"children": ("C1,2010-05-01,", f"C1,{value},")}
    )
    err = load_error(tmp_path, texts)
    found = assert_error(request, err, "children", "date_of_birth", "invalid_date", "line 2")
    assert hint in found["detail"].iloc[0]
    assert value not in str(err)  # a child's date of birth is shown by its shape only


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("01/06/2014", id="day_month_year"),
        pytest.param("6/1/2014", id="month_day_year"),
        pytest.param("41791", id="excel_serial"),
    ],
)
def test_excel_mangled_date(request: pytest.FixtureRequest, tmp_path: Path, value: str) -> None:
    texts = texts_for(
        ("organisation", "children", "referrals"),
        {"referrals": ("R3,C4,Team A,2014-06-01,", f"R3,C4,Team A,{value},")},
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "referrals", "referral_date", "invalid_date", "line 4")


def test_open_end_written_as_9999(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "referrals"),
        {"referrals": ("R1,C1,Team A,2015-04-01,", "R1,C1,Team A,2015-04-01,9999-12-31")},
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "referrals", "closure_date", "invalid_date", "line 2")


def test_null_placeholder(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "referrals"),
        {"referrals": ("R1,C1,Team A,2015-04-01,", "R1,C1,Team A,2015-04-01,NULL")},
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "referrals", "closure_date", "invalid_date", "line 2")


def test_time_of_day_in_csv(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "cic_reviews"),
        {"cic_reviews": ("2014-07-20", "2014-07-20 09:30")},
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "cic_reviews", "review_date", "date_has_time", "line 2")


def test_time_of_day_in_frame(request: pytest.FixtureRequest) -> None:
    frames = {name: frame_of(VALID_CSV[name]) for name in ("organisation", "children")}
    reviews = frame_of(VALID_CSV["cic_reviews"]).assign(
        review_date=[pd.Timestamp("2014-07-20 09:30")]
    )
    with pytest.raises(ExtractValidationError) as info:
        validate_extracts({**frames, "cic_reviews": reviews})
    assert_error(request, info.value, "cic_reviews", "review_date", "date_has_time", "row 0")


def test_arrow_date_beyond_9999_in_frame(request: pytest.FixtureRequest) -> None:
    """An Arrow date column can hold days no Python date can (10**8 days: the year 275760)."""
    import pyarrow as pa

    frames = {name: frame_of(VALID_CSV[name]) for name in ("organisation", "children")}
    reviews = frame_of(VALID_CSV["cic_reviews"])
    days = pa.array([10**8] * len(reviews), type=pa.date32())
    reviews = reviews.assign(review_date=pd.Series(days, dtype=pd.ArrowDtype(pa.date32())))
    with pytest.raises(ExtractValidationError) as info:
        validate_extracts({**frames, "cic_reviews": reviews})
    assert_error(request, info.value, "cic_reviews", "review_date", "invalid_date", "row 0")


def test_blank_required_value(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "cp_plans"),
        {"cp_plans": ("CP1,C4,Team A,R3,2014-06-25,", "CP1,C4,Team A,R3,,")},
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "cp_plans", "start_date", "missing_value", "line 2")


@pytest.mark.parametrize(
    "code",
    [pytest.param("Z9", id="outside_vocabulary"), pytest.param("u1", id="wrong_letter_case")],
)
def test_unknown_code(request: pytest.FixtureRequest, tmp_path: Path, code: str) -> None:
    texts = texts_for(
        ("organisation", "children", "cic_episodes"),
        {"cic_episodes": ("P,C2,U1,PR1", f"P,C2,{code},PR1")},
    )
    err = load_error(tmp_path, texts)
    found = assert_error(request, err, "cic_episodes", "placement_type", "unknown_code", "line 3")
    assert found["value"].tolist() == [code]


@pytest.mark.parametrize(
    ("extract", "old", "new", "column", "line"),
    [
        pytest.param("workforce", "0.5,agency", "-0.5,agency", "fte", 3, id="negative_fte"),
        pytest.param("workforce", "1.0,permanent", "0,permanent", "fte", 2, id="zero_fte"),
        pytest.param(
            "cic_episodes", ",X1,5.5", ",X1,-5.5", "distance_miles", 2, id="negative_distance"
        ),
    ],
)
def test_out_of_range(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    extract: str,
    old: str,
    new: str,
    column: str,
    line: int,
) -> None:
    texts = texts_for(("organisation", "children", extract), {extract: (old, new)})
    err = load_error(tmp_path, texts)
    assert_error(request, err, extract, column, "out_of_range", f"line {line}")


# --------------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------------


def test_record_dated_after_as_of(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(("organisation", "children", "visits", "pf_arrangements"))
    # a planned visit: after the extraction date, and child_seen not yet known (blank)
    texts["visits"] += "V9,C1,Team A,CIN,2015-06-10,,\n"
    with pytest.warns(ExtractWarning, match=r"1 row excluded from the extracts \(visits 1\)"):
        extracts = load_extracts(folder_of(tmp_path, texts), as_of=AS_OF)
    assert extracts.visits["visit_id"].tolist() == ["V1", "V2", "V3"]  # the rest still loads
    assert extracts.as_of == pd.Timestamp(AS_OF)
    row = quality_row(extracts, "visits", "visit_date", "after_as_of")
    assert (row["action"], row["rows"], row["examples"]) == ("excluded", 1, "line 5 [visit_id=V9]")
    finding = extracts.findings.iloc[0]
    assert (finding["record"], finding["line"], finding["action"]) == (
        "visit_id=V9",
        5,
        "excluded",
    )
    documented(request, report_text(extracts))


@pytest.mark.parametrize(
    ("extract", "old", "new", "column"),
    [
        pytest.param(
            "referrals",
            "R2,C2,Team A,2015-04-10,2015-05-20",
            "R2,C2,Team A,2015-04-10,2015-06-05",
            "closure_date",
            id="closure_date",
        ),
        pytest.param("children", "C1,2010-05-01,", "C1,2015-06-02,", "date_of_birth", id="birth"),
    ],
)
def test_other_date_after_as_of(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    extract: str,
    old: str,
    new: str,
    column: str,
) -> None:
    texts = texts_for(("organisation", "children", "referrals"), {extract: (old, new)})
    extracts = load_extracts(folder_of(tmp_path, texts), as_of=AS_OF)
    assert len(extracts.get(extract)) == len(frame_of(VALID_CSV[extract]))  # nothing excluded
    row = quality_row(extracts, extract, column, "after_as_of")
    assert (row["action"], row["rows"]) == ("kept", 1)
    documented(request, report_text(extracts))


def test_no_as_of_means_no_date_check(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(("organisation", "children", "visits"))
    texts["visits"] += "V9,C1,Team A,CIN,2031-06-10,true,\n"
    extracts = load_extracts(folder_of(tmp_path, texts))
    assert "V9" in extracts.visits["visit_id"].tolist()
    assert quality_row(extracts, None, None, "after_as_of")["action"] == "skipped"
    documented(request, report_text(extracts))


def test_end_before_start(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "cin_plans"),
        {"cin_plans": ("P1,C1,Team A,R1,2015-05-01,", "P1,C1,Team A,R1,2015-05-01,2015-04-30")},
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "cin_plans", "end_date", "end_before_start", "line 2")


def test_row_rule(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "cic_episodes"),
        {"cic_episodes": ("2014-09-01,S,C2,U4,PR1,X1", "2014-09-01,S,C2,U4,PR1,")},
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "cic_episodes", "reason_ceased", "end_without_reason", "line 2")


def test_duplicate_id(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "visits"), {"visits": ("V3,C1,Team A,PF", "V1,C1,Team A,PF")}
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "visits", "visit_id", "duplicate_id", "lines 2, 4")


def test_duplicate_composite_key(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "workforce"), {"workforce": ("POST2,2015-04-01,", "POST2,2014-01-01,")}
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "workforce", "post_id", "duplicate_key", "lines 3, 4")


def test_exact_duplicate_row(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(("organisation", "children", "referrals"))
    texts["referrals"] += "R2,C2,Team A,2015-04-10,2015-05-20\n"
    with pytest.warns(ExtractWarning, match="1 row excluded"):
        extracts = load_extracts(folder_of(tmp_path, texts))
    assert extracts.referrals["referral_id"].tolist() == ["R1", "R2", "R3"]
    row = quality_row(extracts, "referrals", None, "duplicate_row")
    assert (row["action"], row["rows"]) == ("excluded", 1)
    documented(request, report_text(extracts))


def test_overlapping_episodes(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "cic_episodes"),
        {"cic_episodes": ("E2,C4,Team C,2014-09-01", "E2,C4,Team C,2014-08-15")},
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "cic_episodes", "start_date", "overlap", "line 3")


# --------------------------------------------------------------------------------------------------
# Across extracts
# --------------------------------------------------------------------------------------------------


def test_orphan_reference(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "cp_plans"), {"cp_plans": ("CP1,C4,", "CP1,C99,")}
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "cp_plans", "child_id", "unknown_child_id", "line 2")


def test_unknown_team(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "allocations"), {"allocations": ("W2,Team C,", "W2,Team Q,")}
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "allocations", "team", "unknown_team", "line 3")


def test_team_in_different_case(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "referrals"), {"referrals": ("R1,C1,Team A,", "R1,C1,team a,")}
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "referrals", "team", "unknown_team", "line 2")


def test_leading_zeros_lost(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(("organisation", "children", "referrals"))
    texts["children"] = texts["children"].replace("C1,", "007,")
    texts["referrals"] = texts["referrals"].replace(",C1,", ",7,")
    err = load_error(tmp_path, texts)
    assert_error(request, err, "referrals", "child_id", "unknown_child_id", "line 2")
    # ids that lost their zeros in every extract are consistent: accepted as they are
    texts["children"] = texts["children"].replace("007,", "7,")
    extracts = load_extracts(folder_of(tmp_path / "consistent", texts))
    assert extracts.referrals["child_id"].tolist()[0] == "7"


def test_child_differs_from_parent(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(
        ("organisation", "children", "referrals", "cp_plans"),
        {"cp_plans": ("CP1,C4,Team A,R3", "CP1,C1,Team A,R3")},
    )
    err = load_error(tmp_path, texts)
    assert_error(request, err, "cp_plans", "child_id", "child_id_mismatch", "line 2")


def test_reference_to_excluded_record(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(("organisation", "children", "cp_plans", "cp_reviews"))
    texts["cp_plans"] += "CP2,C4,Team A,,2015-06-25,\n"  # starts after as_of: excluded
    texts["cp_reviews"] += "CR2,CP2,C4,2015-05-20\n"  # a review of it, dated before as_of
    with pytest.warns(ExtractWarning, match=r"2 rows excluded .*cp_plans 1, cp_reviews 1"):
        extracts = load_extracts(folder_of(tmp_path, texts), as_of=AS_OF)
    assert extracts.cp_reviews["cp_review_id"].tolist() == ["CR1"]  # no orphan left behind
    row = quality_row(extracts, "cp_reviews", "cp_plan_id", "parent_excluded")
    assert (row["action"], row["rows"]) == ("excluded", 1)
    documented(request, report_text(extracts))


def test_unknown_extract_name(request: pytest.FixtureRequest) -> None:
    with pytest.raises(ExtractValidationError) as info:
        validate_extracts({"referals": frame_of(VALID_CSV["referrals"])})
    assert_error(request, info.value, "referals", None, "unknown_extract", None)


def test_duplicate_index(request: pytest.FixtureRequest) -> None:
    visits = frame_of(VALID_CSV["visits"]).set_axis([0, 0, 1])
    with pytest.raises(ExtractValidationError) as info:
        validate_extracts({"visits": visits})
    assert_error(request, info.value, "visits", None, "duplicate_index", None)


def test_numeric_ids(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, texts_for(("organisation", "children")))
    reviews = frame_of(VALID_CSV["cic_reviews"]).assign(cic_review_id=[1])
    reviews.to_parquet(folder / "cic_reviews.parquet")
    extracts = load_extracts(folder)
    assert extracts.cic_reviews["cic_review_id"].tolist() == ["1"]
    documented(request, report_text(extracts))


# --------------------------------------------------------------------------------------------------
# The catalogue and the tests stay in step
# --------------------------------------------------------------------------------------------------


def test_catalogue_and_tests_are_in_step() -> None:
    rows = catalogue_rows()
    assert len(rows) >= 20
    documented_ids, test_ids = set(rows), catalogue_test_ids()
    assert documented_ids - test_ids == set(), "docs/bad-input.md names tests that do not exist"
    assert test_ids - documented_ids == set(), "tests missing from docs/bad-input.md"


def test_catalogue_covers_the_issue() -> None:
    """The kinds of bad input the issue asked for each have a row."""
    text = CATALOGUE.read_text(encoding="utf-8").lower()
    for kind in (
        "missing column",
        "extra column",
        "wrong type",
        "unparseable date",
        "future",
        "end before start",
        "duplicate id",
        "unknown child",
        "unknown team",
        "overlapping episodes",
        "negative fte",
        "header only",
        "whole extract missing",
        "encoding",
        "byte-order mark",
        "excel",
        "too many fields",
        "vocabulary",
        "blank required value",
        "fte of 0",
        "time of day",
        "leading zeros",
        "differs from its",
        ".csv and .parquet",
        "zero-byte",
        "unknown file",
        "duplicated header",
        "whitespace",
        "letter case",
        # issue 9: files named like an extract, hostile files, non-finite numbers, user mistakes
        "excel workbook named like an extract",
        "parquet dataset folder",
        "a folder named like an extract",
        "dangling symbolic link",
        "symbolic link leading out of the folder",
        "named pipe",
        "a link to a device",
        "size limit",
        "100,000 columns",
        "an infinite fte",
        "an infinite distance",
        "nan written as text",
        "float ids in parquet",
        "arrow `date32`",
        "multiindex columns",
        "a team named like its area",
        "an area named like the county",
        "built by hand",
    ):
        assert kind in text, kind


# --------------------------------------------------------------------------------------------------
# The mechanism (not catalogue rows)
# --------------------------------------------------------------------------------------------------


def test_quality_as_of_forms() -> None:
    expected = pd.Timestamp("2015-05-31")
    for value in ("2015-05-31", dt.date(2015, 5, 31), pd.Timestamp("2015-05-31"),
                  pd.Period("2015-05", freq="M"), dt.datetime(2015, 5, 31)):  # fmt: skip
        assert to_as_of(value) == expected, value
    assert to_as_of(None) is None
    for bad in ("31/05/2015", "2015-05", "2015-02-30", pd.Timestamp("2015-05-31 12:00"), 20150531):
        with pytest.raises(UsageError, match="as_of"):
            to_as_of(bad)


def test_quality_frames_and_report_shape(valid_frames: dict[str, pd.DataFrame]) -> None:
    extracts = validate_extracts(valid_frames, as_of=AS_OF)
    assert tuple(extracts.quality.columns) == QUALITY_COLUMNS
    assert tuple(extracts.findings.columns) == FINDING_COLUMNS
    assert extracts.findings.empty and extracts.quality.empty  # the valid set is clean
    report = quality_report(extracts)
    assert tuple(report.columns) == REPORT_COLUMNS
    loaded = report[report["section"].eq("loaded")]
    assert loaded["extract"].tolist() == ["organisation", *EXTRACT_NAMES]
    assert loaded["rows"].tolist() == [len(valid_frames[name]) for name in loaded["extract"]]
    assert report["section"].iloc[0] == "as_of"
    assert format_quality_report(report).startswith("as_of:\n  - after_as_of: extraction date")


def test_quality_counts_add_up_and_inputs_are_untouched(
    valid_frames: dict[str, pd.DataFrame],
) -> None:
    frames = dict(valid_frames)
    frames["visits"] = pd.concat(
        [valid_frames["visits"], valid_frames["visits"].iloc[[0]]], ignore_index=True
    )  # an exact copy
    frames["cic_reviews"] = valid_frames["cic_reviews"].assign(review_date="2015-07-01")
    before = {name: frame.copy(deep=True) for name, frame in frames.items()}
    with pytest.warns(ExtractWarning):
        extracts = validate_extracts(frames, as_of=AS_OF)
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, before[name])
        excluded = extracts.findings[
            extracts.findings["extract"].eq(name) & extracts.findings["action"].eq("excluded")
        ]
        # nothing silently dropped: every row read is either loaded or listed as excluded
        assert len(extracts.get(name)) + len(excluded) == len(frame), name
        assert set(excluded["row"]).isdisjoint(extracts.get(name).index)
    assert extracts.cic_reviews.empty
    for name, frame in extracts.frames().items():
        SCHEMAS[name].validate(frame)


def test_quality_severity_is_data(
    valid_frames: dict[str, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same checks with another severity exclude or count rows instead of failing."""
    episodes = SPECS["cic_episodes"]
    overlap = dataclasses.replace(episodes.no_overlap[0], severity="exclude")
    child = dataclasses.replace(episodes.references[0], severity="warn")
    reviews = SPECS["cp_reviews"]
    plan = dataclasses.replace(reviews.references[1], severity="exclude")
    specs = dict(SPECS)
    specs["cic_episodes"] = dataclasses.replace(
        episodes, no_overlap=(overlap,), references=(child,)
    )
    specs["cp_reviews"] = dataclasses.replace(reviews, references=(reviews.references[0], plan))
    monkeypatch.setattr(validate_module, "SPECS", MappingProxyType(specs))
    frames = dict(valid_frames)
    frames["cic_episodes"] = replace_frame(
        valid_frames["cic_episodes"], "E2", start_date="2014-08-15"
    )
    frames["cic_episodes"] = pd.concat(
        [frames["cic_episodes"], frames["cic_episodes"].iloc[[0]].assign(
            episode_id="E9", child_id="C99", start_date="2010-01-01", end_date="2010-02-01"
        )],
        ignore_index=True,
    )  # fmt: skip
    frames["cp_reviews"] = valid_frames["cp_reviews"].assign(cp_plan_id="CP9")
    with pytest.warns(ExtractWarning):
        extracts = validate_extracts(frames)
    assert extracts.cic_episodes["episode_id"].tolist() == ["E1", "E9"]
    assert extracts.cp_reviews.empty
    checks = extracts.quality.set_index(["extract", "check"])["action"].to_dict()
    assert checks[("cic_episodes", "overlap")] == "excluded"
    assert checks[("cic_episodes", "unknown_child_id")] == "kept"
    assert checks[("cp_reviews", "unknown_cp_plan_id")] == "excluded"


def replace_frame(frame: pd.DataFrame, key: str, **values: str) -> pd.DataFrame:
    """A copy of ``frame`` with the row whose first column is ``key`` changed."""
    out = frame.copy()
    row = out.index[out.iloc[:, 0].eq(key)][0]
    for column, value in values.items():
        out.loc[row, column] = value
    return out


def test_quality_dependency_order() -> None:
    order = dependency_order(SPECS)
    assert sorted(order) == sorted(SPECS)
    for name, spec in SPECS.items():
        for ref in spec.references:
            assert order.index(ref.target) < order.index(name), (name, ref.target)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    days=st.lists(st.integers(min_value=-3, max_value=3), min_size=1, max_size=12),
    copies=st.lists(st.integers(min_value=0, max_value=11), max_size=4),
)
def test_quality_nothing_is_silently_dropped(days: list[int], copies: list[int]) -> None:
    """Whatever mix of planned visits and exact copies, every row read is loaded or counted."""
    as_of = pd.Timestamp(AS_OF)
    visits = pd.DataFrame(
        {
            "visit_id": [f"V{i}" for i in range(len(days))],
            "child_id": "C1",
            "team": "Team A",
            "visit_type": "CIN",
            "visit_date": [f"{as_of + pd.Timedelta(days=d):%Y-%m-%d}" for d in days],
            "child_seen": "true",
            "arrangement_id": "",
        }
    )
    repeated = [i for i in copies if i < len(days)]
    frame = pd.concat([visits, visits.iloc[repeated]], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExtractWarning)
        extracts = validate_extracts({"visits": frame}, as_of=AS_OF)
    loaded = extracts.visits
    expected = [f"V{i}" for i, d in enumerate(days) if d <= 0]
    assert loaded["visit_id"].tolist() == expected
    counted = extracts.quality.loc[extracts.quality["action"].eq("excluded"), "rows"].sum()
    assert len(loaded) + counted == len(frame)
    assert len(extracts.findings) == counted

"""One test per kind of bad input: each names the extract, the column and the offending rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scorecard.extracts import ExtractValidationError, ExtractWarning, load_extracts
from tests.extracts.conftest import VALID_CSV, replace_line, write_folder


def load_error(tmp_path: Path, changes: dict[str, tuple[str, str]]) -> ExtractValidationError:
    """Load the valid set with ``{extract: (old, new)}`` replacements; return the error raised."""
    texts = dict(VALID_CSV)
    for name, (old, new) in changes.items():
        texts[name] = replace_line(texts[name], old, new)
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(write_folder(tmp_path / "x", texts))
    return info.value


def only(err: ExtractValidationError, extract: str, column: str | None, check: str) -> pd.DataFrame:
    """The failures of one (extract, column, check); asserts it is named in the message too."""
    f = err.failures
    column_match = f["column"].isna() if column is None else f["column"].eq(column)
    found = f[f["extract"].eq(extract) & column_match & f["check"].eq(check)]
    assert len(found), f"expected {extract}.{column} {check}, got:\n{err}"
    message = str(err)
    assert extract in message and check in message
    if column is not None:
        assert f"{column}:" in message
    return found


def test_missing_column(tmp_path: Path) -> None:
    texts = dict(VALID_CSV)
    texts["referrals"] = (
        "referral_id,child_id,team,referral_date\n"
        "R1,C1,Team A,2015-04-01\nR2,C2,Team A,2015-04-10\nR3,C4,Team A,2014-06-01\n"
    )
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(write_folder(tmp_path, texts))
    found = only(info.value, "referrals", "closure_date", "missing_column")
    assert found["row"].isna().all()
    # the other columns are still checked, and nothing else is reported
    assert info.value.failures["check"].tolist() == ["missing_column"]
    assert "referrals" in str(info.value) and "closure_date: missing_column" in str(info.value)


def test_record_with_wrong_number_of_fields(tmp_path: Path) -> None:
    err = load_error(
        tmp_path, {"health_checks": ("H2,C4,dental,2015-01-10", "H2,C4,dental,2015-01-10,x")}
    )
    found = only(err, "health_checks", None, "field_count")
    assert found["line"].tolist() == [3]
    assert "5 fields where the header has 4" in found["detail"].iloc[0]


def test_quoted_line_breaks_keep_line_numbers_exact(tmp_path: Path) -> None:
    texts = dict(VALID_CSV)
    texts["organisation"] = VALID_CSV["organisation"].replace(
        "Leavers,,care_leavers", '"Leavers",,care_leavers\n"Two\nlines",,duty'
    )
    with pytest.raises(ExtractValidationError) as info:
        load_extracts(write_folder(tmp_path, texts))
    assert only(info.value, "organisation", "team_type", "unknown_code")["line"].tolist() == [5]


def test_extra_column_is_an_error_by_default(tmp_path: Path) -> None:
    old = "cic_review_id,child_id,team,review_date,participation\nRV1,C4,Team C,2014-07-20,PN1\n"
    new = (
        "cic_review_id,child_id,team,review_date,participation,notes\n"
        "RV1,C4,Team C,2014-07-20,PN1,x\n"
    )
    err = load_error(tmp_path, {"cic_reviews": (old, new)})
    found = only(err, "cic_reviews", "notes", "extra_column")
    assert found["row"].isna().all()


def test_extra_column_can_be_dropped_with_a_warning(tmp_path: Path) -> None:
    texts = dict(VALID_CSV)
    texts["cic_reviews"] = (
        "cic_review_id,child_id,team,review_date,participation,notes\n"
        "RV1,C4,Team C,2014-07-20,PN1,x\n"
    )
    with pytest.warns(ExtractWarning, match="dropped column"):
        extracts = load_extracts(write_folder(tmp_path, texts), extra_columns="drop")
    assert "notes" not in extracts.cic_reviews.columns
    assert any("notes" in note for note in extracts.notes)


def test_wrong_type_number_and_flag(tmp_path: Path) -> None:
    err = load_error(
        tmp_path,
        {
            "workforce": ("Team A,social_worker,true,1.0,", "Team A,social_worker,true,one,"),
            "visits": ("V2,C4,Team A,CP,2015-05-12,true,", "V2,C4,Team A,CP,2015-05-12,maybe,"),
        },
    )
    number = only(err, "workforce", "fte", "invalid_number")
    assert number["line"].tolist() == [2] and number["record"].tolist() == [
        "post_id=POST1, start_date=2014-01-01"
    ]
    flag = only(err, "visits", "child_seen", "invalid_boolean")
    assert flag["line"].tolist() == [3] and flag["record"].tolist() == ["visit_id=V2"]
    assert flag["value"].tolist() == ["aaaaa"]  # shape only


def test_unparseable_date(tmp_path: Path) -> None:
    err = load_error(
        tmp_path,
        {
            "referrals": ("R3,C4,Team A,2014-06-01,", "R3,C4,Team A,01/06/2014,"),
            "children": ("C1,2010-05-01,", "C1,2010-02-30,"),
        },
    )
    found = only(err, "referrals", "referral_date", "invalid_date")
    assert found["line"].tolist() == [4]
    assert found["record"].tolist() == ["referral_id=R3"]
    assert found["value"].tolist() == ["99/99/9999"]
    # a child's date of birth is never printed, only its shape
    dob = only(err, "children", "date_of_birth", "invalid_date")
    assert dob["line"].tolist() == [2]
    assert "2010-02-30" not in str(err) and "01/06/2014" not in str(err)
    # a required date that failed to parse is not reported a second time as missing
    assert not (
        (err.failures["column"] == "referral_date") & (err.failures["check"] == "missing_value")
    ).any()


def test_missing_required_values(tmp_path: Path) -> None:
    err = load_error(
        tmp_path,
        {
            "cp_plans": ("CP1,C4,Team A,R3,2014-06-25,", "CP1,C4,Team A,R3,,"),
            "visits": ("V1,C1,Team A,CIN,2015-05-10,true,", "V1,C1,Team A,CIN,2015-05-10,,"),
        },
    )
    assert only(err, "cp_plans", "start_date", "missing_value")["line"].tolist() == [2]
    assert only(err, "visits", "child_seen", "missing_value")["line"].tolist() == [2]


def test_end_before_start(tmp_path: Path) -> None:
    err = load_error(
        tmp_path,
        {"cin_plans": ("P1,C1,Team A,R1,2015-05-01,", "P1,C1,Team A,R1,2015-05-01,2015-04-30")},
    )
    found = only(err, "cin_plans", "end_date", "end_before_start")
    assert found["line"].tolist() == [2] and found["record"].tolist() == ["cin_plan_id=P1"]
    assert "end_date is before start_date" in str(err)


def test_duplicate_id(tmp_path: Path) -> None:
    err = load_error(tmp_path, {"visits": ("V3,C1,Team A,PF", "V1,C1,Team A,PF")})
    found = only(err, "visits", "visit_id", "duplicate_id")
    assert found["line"].tolist() == [2, 4]
    assert "lines 2, 4" in str(err)


def test_duplicate_composite_key(tmp_path: Path) -> None:
    err = load_error(tmp_path, {"workforce": ("POST2,2015-04-01,", "POST2,2014-01-01,")})
    found = only(err, "workforce", "post_id", "duplicate_key")
    assert found["line"].tolist() == [3, 4]


def test_orphan_child_id(tmp_path: Path) -> None:
    err = load_error(tmp_path, {"cp_plans": ("CP1,C4,", "CP1,C99,")})
    found = only(err, "cp_plans", "child_id", "unknown_child_id")
    assert found["line"].tolist() == [2] and found["value"].tolist() == ["C99"]


def test_orphan_references_and_mismatched_child(tmp_path: Path) -> None:
    err = load_error(
        tmp_path,
        {
            "cp_reviews": ("CR1,CP1,C4", "CR1,CP1,C1"),
            "visits": ("true,PF1", "true,PF9"),
            "care_leaver_contacts": ("CL1,C3,", "CL1,C1,"),
        },
    )
    assert only(err, "cp_reviews", "child_id", "child_id_mismatch")["line"].tolist() == [2]
    assert only(err, "visits", "arrangement_id", "unknown_arrangement_id")["line"].tolist() == [4]
    # contacts must be about a known care leaver
    assert only(err, "care_leaver_contacts", "child_id", "unknown_child_id")["value"].tolist() == [
        "C1"
    ]


def test_unknown_team(tmp_path: Path) -> None:
    err = load_error(tmp_path, {"allocations": ("W2,Team C,", "W2,Team Q,")})
    found = only(err, "allocations", "team", "unknown_team")
    assert found["line"].tolist() == [3] and found["value"].tolist() == ["Team Q"]


def test_overlapping_episodes(tmp_path: Path) -> None:
    err = load_error(
        tmp_path, {"cic_episodes": ("E2,C4,Team C,2014-09-01", "E2,C4,Team C,2014-08-15")}
    )
    found = only(err, "cic_episodes", "start_date", "overlap")
    assert found["line"].tolist() == [3] and found["record"].tolist() == ["episode_id=E2"]


def test_episode_starting_on_previous_end_does_not_overlap(valid_folder: Path) -> None:
    episodes = load_extracts(valid_folder).cic_episodes
    assert episodes.loc[0, "end_date"] == episodes.loc[1, "start_date"]


def test_negative_fte(tmp_path: Path) -> None:
    err = load_error(tmp_path, {"workforce": ("0.5,agency", "-0.5,agency")})
    found = only(err, "workforce", "fte", "out_of_range")
    assert found["line"].tolist() == [3] and found["value"].tolist() == ["-0.5"]
    assert "must be > 0" in str(err)


def test_unknown_code(tmp_path: Path) -> None:
    err = load_error(tmp_path, {"cic_reviews": ("PN1", "PN9")})
    found = only(err, "cic_reviews", "participation", "unknown_code")
    assert found["value"].tolist() == ["PN9"]


def test_row_rules(tmp_path: Path) -> None:
    err = load_error(
        tmp_path,
        {
            "cic_episodes": ("2014-09-01,S,C2,U4,PR1,X1", "2014-09-01,S,C2,U4,PR1,"),
            "workforce": ("0.5,vacant,,", "0.5,vacant,W9,"),
            "visits": ("true,PF1", "true,"),
        },
    )
    assert only(err, "cic_episodes", "reason_ceased", "end_without_reason")["line"].tolist() == [2]
    assert only(err, "workforce", "worker_id", "vacant_with_worker")["line"].tolist() == [4]
    only(err, "visits", "arrangement_id", "pf_visit_without_arrangement")


def test_all_failures_of_all_extracts_reported_together(tmp_path: Path) -> None:
    err = load_error(
        tmp_path,
        {
            "referrals": (
                "R2,C2,Team A,2015-04-10,2015-05-20",
                "R2,C2,Team A,2015-04-10,2015-03-20",
            ),
            "cic_reviews": ("2014-07-20", "20/07/2014"),
            "workforce": ("1.0,permanent", "0,permanent"),
        },
    )
    assert set(err.failures["extract"]) == {"referrals", "cic_reviews", "workforce"}
    message = str(err)
    assert message.startswith("3 validation failures in 3 extracts")
    # grouped by extract, in the documented order
    assert (
        message.index("referrals (") < message.index("cic_reviews (") < message.index("workforce (")
    )
    assert list(err.failures.columns) == [
        "extract",
        "file",
        "column",
        "check",
        "detail",
        "row",
        "line",
        "record",
        "value",
    ]

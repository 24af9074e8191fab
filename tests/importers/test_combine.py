"""combine(): several sources into one, with the documented precedence, every decision counted.

The expected values are worked by hand from the frames in each test and the rule in
scorecard/importers/combine.py: per extract the first source of PRECEDENCE keeps its record, a
missing value is filled from the next source holding one, a differing value is kept from the first.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scorecard.errors import UsageError
from scorecard.extracts import validate_extracts
from scorecard.importers import PRECEDENCE, ReturnImportError, combine
from tests.importers.helpers import NA, children, referrals, result


def _sources():
    ssda903 = result(
        "ssda903",
        {
            "children": children(
                [
                    (
                        "C1",
                        "2010-01-01",
                        "M",
                        True,
                        NA,
                    ),  # also in the CIN census: 903 wins for children
                    ("C2", "2011-05-05", "F", False, NA),
                ]
            )
        },
        first="2013-04-01",
        last="2015-03-31",
        years=("2013/14", "2014/15"),
    )
    cin = result(
        "cin_census",
        {
            "children": children(
                [
                    (
                        "C1",
                        "2010-01-01",
                        "M",
                        False,
                        True,
                    ),  # uasc disagrees; disabled fills 903's gap
                    ("C3", "2012-02-02", "F", False, False),
                ]
            ),
            "referrals": referrals([("R1", "C1", NA, "2015-01-10", NA)]),
        },
        first="2014-04-01",
        last="2015-03-31",
        years=("2014/15",),
    )
    annex = result(
        "annex_a",
        {
            "referrals": referrals(
                [
                    (
                        "R1",
                        "C1",
                        "Team A",
                        "2015-01-10",
                        "2015-02-01",
                    ),  # CIN wins; team, closure fill
                    ("R2", "C3", "Team B", "2015-02-20", NA),
                ]
            ),
        },
        first="2014-03-01",
        last="2015-03-20",
        years=(),
    )
    return ssda903, cin, annex


def _decisions(report: pd.DataFrame) -> set[tuple]:
    mine = report[report["source"] == "combine"]
    return {(r.table, r.action, r.reason.split(":")[0], r.rows) for r in mine.itertuples()}


def test_precedence_per_extract_and_gaps_filled_per_field() -> None:
    ssda903, cin, annex = _sources()
    out = combine([annex, cin, ssda903])  # the order given does not matter, precedence does
    kids = out.extracts["children"].set_index("child_id").sort_index()
    assert list(kids.index) == ["C1", "C2", "C3"]
    # C1: 903's row (uasc True), disabled missing there -> True from the CIN census
    assert bool(kids.loc["C1", "uasc"]) is True
    assert bool(kids.loc["C1", "disabled"]) is True
    assert pd.isna(kids.loc["C2", "disabled"])  # 903 only: nothing to fill from
    assert bool(kids.loc["C3", "disabled"]) is False  # CIN census only
    refs = out.extracts["referrals"].set_index("referral_id").sort_index()
    # R1: the CIN census's record; team and closure date missing there, filled from Annex A
    assert refs.loc["R1", "team"] == "Team A"
    assert refs.loc["R1", "closure_date"] == pd.Timestamp("2015-02-01")
    assert refs.loc["R2", "team"] == "Team B"
    assert _decisions(out.report) == {
        ("children", "merged", "same record in SSDA903 and CIN census", 1),
        ("children", "filled", "disabled missing in the record kept", 1),
        ("children", "conflict", "uasc differs in CIN census", 1),
        ("referrals", "merged", "same record in CIN census and Annex A", 1),
        ("referrals", "filled", "team missing in the record kept", 1),
        ("referrals", "filled", "closure_date missing in the record kept", 1),
    }
    # dates: whole from the latest first date (903 2013-04-01, CIN 2014-04-01, Annex A
    # 2014-03-01 -> 2014-04-01); extraction the earliest (2015-03-31, 2015-03-31, 2015-03-20)
    assert out.first_date_covered == dt.date(2014, 4, 1)
    assert out.extraction_date == dt.date(2015, 3, 20)
    assert out.collection_years == ("2013/14", "2014/15")
    assert out.source == "annex_a+cin_census+ssda903"
    # the sources' own report rows are kept
    assert set(out.report["source"]) == {"ssda903", "cin_census", "annex_a", "combine"}


def test_precedence_can_be_changed() -> None:
    _, cin, annex = _sources()
    out = combine([cin, annex], precedence={**PRECEDENCE, "referrals": ("annex_a", "cin_census")})
    refs = out.extracts["referrals"].set_index("referral_id")
    # Annex A first now: its R1 has everything, nothing to fill, nothing differs
    assert refs.loc["R1", "team"] == "Team A"
    assert _decisions(out.report) == {
        ("referrals", "merged", "same record in Annex A and CIN census", 1),
    }


def test_combined_extracts_validate_and_inputs_are_untouched() -> None:
    ssda903, cin, annex = _sources()
    before = cin.extracts["referrals"].copy()
    out = combine([ssda903, cin, annex])
    pd.testing.assert_frame_equal(cin.extracts["referrals"], before)
    organisation = pd.DataFrame(
        {"team": ["Team A", "Team B"], "area": [None, None], "team_type": ["other", "other"]}
    )
    checked = validate_extracts(dict(out.extracts), organisation)
    assert len(checked.children) == 3 and len(checked.referrals) == 2


def test_one_result_is_returned_as_it_is() -> None:
    ssda903, _, _ = _sources()
    assert combine([ssda903]) is ssda903


def test_the_same_source_twice_is_a_usage_error() -> None:
    ssda903, _, _ = _sources()
    with pytest.raises(UsageError, match="a source is given twice"):
        combine([ssda903, ssda903])


def test_a_value_that_cannot_be_converted_names_source_extract_and_column() -> None:
    _, cin, _ = _sources()
    bad = result("annex_a", {"referrals": referrals([("R9", "C1", "T", "10/01/2015", NA)])})
    with pytest.raises(
        ReturnImportError, match=r"annex_a: referrals: referral_date \(invalid_date\)"
    ):
        combine([cin, bad])


def _episodes(rows: list[tuple]) -> pd.DataFrame:
    """(episode_id, child_id, team, start_date, end_date, reason_ceased)."""
    frame = pd.DataFrame(
        rows, columns=["episode_id", "child_id", "team", "start_date", "end_date", "reason_ceased"]
    )
    return frame.assign(
        reason_new_episode="S",
        legal_status="C2",
        placement_type="U4",
        placement_provider="PR1",
        distance_miles=None,
    )


def test_a_childs_care_history_comes_from_one_source() -> None:
    ssda903 = result(
        "ssda903",
        {
            "cic_episodes": _episodes(
                [
                    ("C1-2015-01-01", "C1", NA, "2015-01-01", "2015-03-01", "X1"),
                    ("C1-2015-03-01", "C1", NA, "2015-03-01", NA, NA),
                ]
            )
        },
    )
    annex = result(
        "annex_a",
        {
            "cic_episodes": _episodes(
                [
                    (
                        "C1-2015-03-01",
                        "C1",
                        "CIC",
                        "2015-03-01",
                        NA,
                        NA,
                    ),  # the same episode: team fills
                    (
                        "C1-2015-02-01",
                        "C1",
                        "CIC",
                        "2015-02-01",
                        NA,
                        NA,
                    ),  # C1 is in the 903: left out
                    ("C2-2015-02-01", "C2", "CIC", "2015-02-01", NA, NA),  # C2 is not: kept
                ]
            )
        },
    )
    out = combine([ssda903, annex])
    episodes = out.extracts["cic_episodes"].set_index("episode_id").sort_index()
    assert episodes.index.tolist() == ["C1-2015-01-01", "C1-2015-03-01", "C2-2015-02-01"]
    assert pd.isna(episodes.loc["C1-2015-01-01", "team"])  # 903 only: no team to fill from
    assert episodes.loc["C1-2015-03-01", "team"] == "CIC"  # filled from Annex A
    assert episodes.loc["C2-2015-02-01", "team"] == "CIC"
    assert _decisions(out.report) == {
        (
            "cic_episodes",
            "excluded",
            "the child's cic_episodes come from SSDA903 (its whole history)",
            1,
        ),
        ("cic_episodes", "merged", "same record in SSDA903 and Annex A", 1),
        ("cic_episodes", "filled", "team missing in the record kept", 1),
    }


def test_a_key_twice_in_one_source_is_an_error_not_a_silent_merge() -> None:
    _, cin, _ = _sources()
    twice = result("annex_a", {"referrals": referrals([
        ("R1", "C1", "Team A", "2015-01-10", NA),
        ("R1", "C1", "Team B", "2015-01-10", NA),
    ])})  # fmt: skip
    with pytest.raises(
        ReturnImportError, match=r"annex_a: referrals: the same key on 2 rows \(R1, R1\)"
    ):
        combine([cin, twice])


def test_sources_with_no_common_period_are_noted() -> None:
    early = result("ssda903", {"children": children([("C1", "2010-01-01", "M", True, NA)])},
                   first="2016-04-01", last="2017-03-31")  # fmt: skip
    late = result("annex_a", {"children": children([("C2", "2010-01-01", "M", True, NA)])},
                  first="2020-03-16", last="2021-03-15")  # fmt: skip
    out = combine([early, late])
    # whole from the latest start (2020-03-16), up to the earliest end (2017-03-31): no period
    assert out.first_date_covered == dt.date(2020, 3, 16)
    assert out.extraction_date == dt.date(2017, 3, 31)
    assert any("cover no common period" in note for note in out.notes)


def _plans(rows: list[tuple]) -> pd.DataFrame:
    """(cp_plan_id, child_id, team, referral_id, start_date, end_date)."""
    columns = ["cp_plan_id", "child_id", "team", "referral_id", "start_date", "end_date"]
    return pd.DataFrame(rows, columns=columns)


def test_records_match_on_child_and_date_and_references_follow_the_record_kept() -> None:
    # the CIN census and Annex A build different ids for the same referral and plan
    cin = result("cin_census", {
        "children": children([("C1", "2010-01-01", "M", False, NA)]),
        "referrals": referrals([("R-CIN", "C1", NA, "2015-01-10", NA)]),
        "cp_plans": _plans([("P-CIN", "C1", NA, "R-CIN", "2015-02-01", NA)]),
    })  # fmt: skip
    annex = result("annex_a", {
        "referrals": referrals([("R-AA", "C1", "T", "2015-01-10", NA)]),
        "cp_plans": _plans([("P-AA", "C1", "T", NA, "2015-02-01", "2015-06-01")]),
        "cp_reviews": pd.DataFrame({"cp_review_id": ["V-AA"], "cp_plan_id": ["P-AA"],
                                    "child_id": ["C1"], "review_date": ["2015-04-20"]}),
    })  # fmt: skip
    out = combine([cin, annex])
    # one referral (C1, 2015-01-10): the CIN census's id, Annex A's team
    refs = out.extracts["referrals"]
    assert refs[["referral_id", "team"]].values.tolist() == [["R-CIN", "T"]]
    # one plan (C1, 2015-02-01): the CIN census's id and referral, Annex A's team and end date
    plans = out.extracts["cp_plans"]
    assert plans[["cp_plan_id", "referral_id", "team"]].values.tolist() == [["P-CIN", "R-CIN", "T"]]
    assert plans["end_date"].tolist() == [pd.Timestamp("2015-06-01")]
    # Annex A's review of its plan P-AA now names the plan kept, P-CIN
    assert out.extracts["cp_reviews"]["cp_plan_id"].tolist() == ["P-CIN"]
    report = out.report[out.report["action"] == "relinked"]
    assert report[["table", "rows"]].values.tolist() == [["cp_reviews", 1]]
    organisation = pd.DataFrame({"team": ["T"], "area": [None], "team_type": ["other"]})
    validate_extracts(dict(out.extracts), organisation)


def test_a_child_and_date_twice_in_one_source_is_not_matched() -> None:
    cin = result("cin_census", {"referrals": referrals([("R1", "C1", NA, "2015-01-10", NA)])})
    annex = result("annex_a", {"referrals": referrals([
        ("A1", "C1", "T", "2015-01-10", NA),
        ("A2", "C1", "U", "2015-01-10", NA),  # which of the two is R1? not guessed
    ])})  # fmt: skip
    out = combine([cin, annex])
    assert sorted(out.extracts["referrals"]["referral_id"]) == ["A1", "A2", "R1"]
    assert _decisions(out.report) == {
        ("referrals", "not_matched", "child_id and referral_date given twice in Annex A", 2),
    }

"""Adoption (refs 28-31): tiny extracts with hand-worked answers.

Reporting months: March 2015 (YTD 2014-04-01..2015-03-31), April 2015 (YTD = April alone) and May
2015 (YTD 2015-04-01..2015-05-31). Teams: A1 and C1 in North, A2 in South, F county-wide.
"""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard.extracts import SPECS, validate_extracts
from tests.measures.builders import COUNTY, ORGANISATION, build, figures, run

MONTHS = ["2015-03", "2015-04", "2015-05"]


def children(*ids: str) -> list[dict]:
    return [{"child_id": c, "date_of_birth": "2012-01-01"} for c in ids]


def episode(
    eid: str,
    child: str,
    start: str,
    end: str | None = None,
    reason: str | None = None,
    *,
    team: str = "C1",
    rne: str = "S",
    legal_status: str = "C2",
    placement: str = "U4",
) -> dict:
    return {
        "episode_id": eid, "child_id": child, "team": team, "start_date": start, "end_date": end,
        "reason_ceased": reason, "reason_new_episode": rne, "legal_status": legal_status,
        "placement_type": placement,
    }  # fmt: skip


def review(rid: str, child: str, date: str) -> dict:
    return {"cic_review_id": rid, "child_id": child, "team": "C1", "review_date": date}


def adoption(aid: str, child: str, team: str, **dates: object) -> dict:
    return {"adoption_id": aid, "child_id": child, "team": team, **dates}


class TestPlanByTheSecondReview:
    """Ref 28: ADM 'should be placed' decisions in the period, made by the 2nd CIC review."""

    extracts = build(
        children=children("c1", "c2", "c3", "c4", "c5", "c6"),
        cic_episodes=[
            episode("e1", "c1", "2014-10-01"),
            episode("e2", "c2", "2014-09-01"),
            # c3: an earlier period of care with two reviews, then a new one from 2015-01-05
            episode("e3a", "c3", "2012-01-02", "2012-12-31", "E4A"),
            episode("e3b", "c3", "2015-01-05"),
            episode("e4", "c4", "2014-11-03"),
            # c5: one period of care of two episodes (X1 on the day the next one starts)
            episode("e5a", "c5", "2014-06-02", "2014-08-01", "X1"),
            episode("e5b", "c5", "2014-08-01", rne="P"),
            episode("e6", "c6", "2015-01-12"),
        ],
        cic_reviews=[
            review("v1a", "c1", "2014-10-20"),
            review("v1b", "c1", "2015-01-15"),
            review("v1c", "c1", "2015-07-10"),
            review("v2a", "c2", "2014-09-25"),
            review("v2b", "c2", "2014-12-18"),
            review("v3a", "c3", "2012-01-20"),
            review("v3b", "c3", "2012-04-10"),
            review("v3c", "c3", "2015-02-02"),
            review("v4a", "c4", "2014-11-28"),
            review("v4b", "c4", "2015-02-27"),
            review("v5a", "c5", "2014-06-30"),
            review("v5b", "c5", "2014-09-30"),
            review("v5c", "c5", "2015-03-30"),
            review("v6a", "c6", "2015-02-05"),
            review("v6b", "c6", "2015-04-15"),
        ],
        adoptions=[
            # decided on the day of the 2nd review (2015-01-15): by the 2nd review
            adoption("ad1", "c1", "A1", should_be_placed_date="2015-01-15"),
            # decided 2015-04-20, after the 2nd review 2014-12-18: not
            adoption("ad2", "c2", "A1", should_be_placed_date="2015-04-20"),
            # period of care from 2015-01-05 has one review (2015-02-02): its 2nd review is still
            # to come, so the decision of 2015-04-01 is by it (the 2012 reviews do not count)
            adoption("ad3", "c3", "A2", should_be_placed_date="2015-04-01"),
            # 31 March: FY 2014/15; after the 2nd review 2015-02-27: not
            adoption("ad4", "c4", "F", should_be_placed_date="2015-03-31"),
            # period of care from 2014-06-02 (e5a + e5b): 2nd review 2014-09-30, decision
            # 2015-02-10 is after it (counting from e5b alone it would be 2015-03-30: by it)
            adoption("ad5", "c5", "A2", should_be_placed_date="2015-02-10"),
            # c6: decided 2015-04-10 (before the 2nd review 2015-04-15), reversed, decided again
            # 2015-05-20 (after it); the child counts once, by the latest decision in the period
            adoption(
                "ad6a",
                "c6",
                "C1",
                should_be_placed_date="2015-04-10",
                decision_reversed_date="2015-04-30",
            ),
            adoption("ad6b", "c6", "C1", should_be_placed_date="2015-05-20"),
            adoption("ad7", "c6", "C1"),  # no decision: not counted
        ],
    )

    def test_march_april_may_2015(self) -> None:
        result = run(self.extracts, "adoption_plan_by_2nd_review", MONTHS)
        # March YTD: ad1 (yes, A1), ad4 (no, F), ad5 (no, A2) -> 1 of 3
        assert figures(result, COUNTY, "2015-03") == (1, 3)
        assert figures(result, "F", "2015-03") == (0, 1)
        assert figures(result, "A2", "2015-03") == (0, 1)
        # April YTD (April alone): ad2 (no), ad3 (yes), ad6a (yes) -> 2 of 3
        assert figures(result, COUNTY, "2015-04") == (2, 3)
        # May YTD: ad2 (no, A1), ad3 (yes, A2), ad6b (no, C1; replaces ad6a) -> 1 of 3
        assert figures(result, COUNTY, "2015-05") == (1, 3)
        assert figures(result, "North", "2015-05") == (0, 2)
        assert figures(result, "South", "2015-05") == (1, 1)
        drill = result.drill_down("adoption_plan_by_2nd_review", "North", "2015-05")
        assert drill[["record_id", "in_numerator"]].values.tolist() == [
            ["ad2", False],
            ["ad6b", False],
        ]


class TestDaysFromCareToPlacedForAdoption:
    """Ref 29 (A1): days from entering care to moving in with the adopters, children adopted."""

    extracts = build(
        children=children("k1", "k2", "k3", "k4", "k5", "k6"),
        cic_episodes=[
            # k1: care from 2013-06-03, placed for adoption 2014-09-15, adopted 2015-04-20
            episode("k1a", "k1", "2013-06-03", "2014-09-15", "X1"),
            episode(
                "k1b",
                "k1",
                "2014-09-15",
                "2015-04-20",
                "E12",
                rne="P",
                placement="A6",
                legal_status="E1",
            ),
            # k2: care from 2014-01-06 with the foster carer who adopts
            episode("k2a", "k2", "2014-01-06", "2015-05-11", "E11"),
            # k3: care from 2014-04-01; the placement date is only in the episodes (A4)
            episode("k3a", "k3", "2014-04-01", "2015-03-02", "X1"),
            episode("k3b", "k3", "2015-03-02", "2015-03-31", "E12", rne="P", placement="A4"),
            # k4: an earlier period of care, then care from 2014-02-03
            episode("k4a", "k4", "2010-01-04", "2010-06-30", "E4A"),
            episode("k4b", "k4", "2014-02-03", "2015-05-29", "E12"),
            episode("k5a", "k5", "2014-03-03", "2015-05-05", "E12", team="A1"),
            episode("k6a", "k6", "2014-01-06", "2015-05-12", "E11"),
        ],
        adoptions=[
            # 2013-06-03 -> 2014-09-15: 365 (to 2014-06-03) + 30 + 31 + 31 (to 2014-09-03) + 12
            # = 469 days; April and May 2015
            adoption(
                "ad1",
                "k1",
                "A1",
                placed_for_adoption_date="2014-09-15",
                adoption_order_date="2015-04-20",
            ),
            # foster carer adoption: moved in 2014-03-03, before the placement 2014-12-01;
            # 2014-01-06 -> 2014-03-03 = 25 + 28 + 3 = 56 days
            adoption(
                "ad2",
                "k2",
                "A2",
                foster_carer_adoption=True,
                moved_in_with_carer_date="2014-03-03",
                placed_for_adoption_date="2014-12-01",
                adoption_order_date="2015-05-11",
            ),
            # placement date blank: episode k3b (A4) from 2015-03-02; the move-in date is ignored
            # as this is not a foster carer adoption; 2014-04-01 -> 2015-03-02 = 365 - 30 = 335
            adoption(
                "ad3",
                "k3",
                "F",
                foster_carer_adoption=False,
                moved_in_with_carer_date="2014-05-01",
                adoption_order_date="2015-03-31",
            ),
            # 2014-02-03 -> 2015-02-02 = 364 days (the 2010 period of care is not the one)
            adoption(
                "ad4",
                "k4",
                "A1",
                placed_for_adoption_date="2015-02-02",
                adoption_order_date="2015-05-29",
            ),
            # no placement date anywhere: left out
            adoption("ad5", "k5", "A1", adoption_order_date="2015-05-05"),
            # moved in with the foster carer before entering care: 0 days
            adoption(
                "ad6",
                "k6",
                "A2",
                foster_carer_adoption=True,
                moved_in_with_carer_date="2013-12-01",
                placed_for_adoption_date="2014-10-01",
                adoption_order_date="2015-05-12",
            ),
            adoption("ad7", "k6", "A2", placed_for_adoption_date="2015-05-01"),  # not adopted
        ],
    )

    def test_march_april_may_2015(self) -> None:
        result = run(self.extracts, "adoption_la_to_placed_days", MONTHS)
        assert figures(result, COUNTY, "2015-03") == (335, 1)  # ad3 (31 March: FY 2014/15)
        assert figures(result, COUNTY, "2015-04") == (469, 1)  # ad1
        # May YTD: ad1 469 + ad2 56 + ad4 364 + ad6 0 = 889 over 4 children
        assert figures(result, COUNTY, "2015-05") == (889, 4)
        assert figures(result, "North", "2015-05") == (833, 2)  # ad1 + ad4 (A1)
        assert figures(result, "South", "2015-05") == (56, 2)  # ad2 + ad6 (A2)
        assert figures(result, "F", "2015-05") == (0, 0)
        drill = result.drill_down("adoption_la_to_placed_days", "A1", "2015-05")
        assert drill[["record_id", "numerator"]].values.tolist() == [["ad1", 469], ["ad4", 364]]


class TestDaysFromPlacementOrderToMatch:
    """Ref 30 (A2): days from the placement order to the match, children adopted."""

    extracts = build(
        children=children("m1", "m2", "m3", "m4", "m5", "m6"),
        adoptions=[
            # 2014-10-01 -> 2015-01-30: 31 + 30 + 31 + 29 = 121 days (the A2 threshold)
            adoption(
                "ad1",
                "m1",
                "A1",
                placement_order_date="2014-10-01",
                match_date="2015-01-30",
                adoption_order_date="2015-05-05",
            ),
            # matched before the order: 0
            adoption(
                "ad2",
                "m2",
                "A2",
                placement_order_date="2014-09-01",
                match_date="2014-08-01",
                adoption_order_date="2015-04-15",
            ),
            # no placement order (placed with consent): left out
            adoption("ad3", "m3", "A1", match_date="2014-12-01", adoption_order_date="2015-04-20"),
            # 2014-06-02 -> 2014-12-01: 183 (to 2014-12-02) - 1 = 182; adopted 20 March 2015
            adoption(
                "ad4",
                "m4",
                "F",
                placement_order_date="2014-06-02",
                match_date="2014-12-01",
                adoption_order_date="2015-03-20",
            ),
            # not adopted: left out
            adoption("ad5", "m5", "A1", placement_order_date="2014-06-02", match_date="2014-12-01"),
            # 29 February 2016 -> 1 March 2016: 1 day; adopted June 2016 (FY 2016/17)
            adoption(
                "ad6",
                "m6",
                "A2",
                placement_order_date="2016-02-29",
                match_date="2016-03-01",
                adoption_order_date="2016-06-01",
            ),
        ],
    )

    def test_march_april_may_2015_and_june_2016(self) -> None:
        result = run(self.extracts, "adoption_order_to_match_days", [*MONTHS, "2016-06"])
        assert figures(result, COUNTY, "2015-03") == (182, 1)  # ad4
        assert figures(result, COUNTY, "2015-04") == (0, 1)  # ad2
        assert figures(result, COUNTY, "2015-05") == (121, 2)  # ad1 121 + ad2 0
        assert figures(result, "North", "2015-05") == (121, 1)
        assert figures(result, "South", "2015-05") == (0, 1)
        assert figures(result, "South", "2016-06") == (1, 1)  # ad6 only
        drill = result.drill_down("adoption_order_to_match_days", COUNTY, "2015-05")
        assert drill[["record_id", "numerator"]].values.tolist() == [["ad1", 121], ["ad2", 0]]


class TestLeavingCareAdopted:
    """Ref 31: children who ceased to be looked after in the period, adopted (E11/E12)."""

    extracts = build(
        children=children("p1", "p2", "p3", "p4", "p5", "p6", "p7"),
        cic_episodes=[
            # p1: period of care 2013-05-01..2015-04-14, ends adopted (E12); last episode in A1
            episode("p1a", "p1", "2013-05-01", "2014-11-10", "X1"),
            episode("p1b", "p1", "2014-11-10", "2015-04-14", "E12", team="A1", rne="P"),
            episode("p2a", "p2", "2014-01-01", "2015-04-30", "E4A", team="A1"),  # returned home
            # p3 leaves care twice: 20 April (E13), then 29 May (E11)
            episode("p3a", "p3", "2015-04-02", "2015-04-20", "E13"),
            episode("p3b", "p3", "2015-05-01", "2015-05-29", "E11"),
            # p4: short breaks (V3): not counted
            episode("p4a", "p4", "2015-05-11", "2015-05-15", "E11", team="A2", legal_status="V3"),
            episode("p5a", "p5", "2014-01-06", "2015-03-31", "E11", team="F"),  # 31 March
            # p6: an episode ending X1 with nothing after it is not leaving care
            episode("p6a", "p6", "2015-01-05", "2015-05-20", "X1", team="A2"),
            episode("p7a", "p7", "2015-02-02", "2015-05-05", "E41", team="A2"),
        ],
    )

    def test_march_april_may_2015(self) -> None:
        result = run(self.extracts, "cic_ceased_adopted", MONTHS)
        assert figures(result, COUNTY, "2015-03") == (1, 1)  # p5 (p1a ended X1: care continued)
        # April: p1 (adopted), p2 (home), p3 (E13) -> 1 of 3
        assert figures(result, COUNTY, "2015-04") == (1, 3)
        # May YTD: p1 (1), p2 (0), p3 by its last occasion in the period (E11: 1), p7 (0)
        assert figures(result, COUNTY, "2015-05") == (2, 4)
        assert figures(result, "North", "2015-05") == (2, 3)
        assert figures(result, "South", "2015-05") == (0, 1)
        assert figures(result, "C1", "2015-04") == (0, 1)  # p3a
        drill = result.drill_down("cic_ceased_adopted", "North", "2015-05")
        assert drill[["record_id", "team", "in_numerator"]].values.tolist() == [
            ["p1b", "A1", True],
            ["p2a", "A1", False],
            ["p3b", "C1", True],
        ]


@pytest.mark.parametrize(
    "indicator",
    [
        "adoption_plan_by_2nd_review",
        "adoption_la_to_placed_days",
        "adoption_order_to_match_days",
        "cic_ceased_adopted",
    ],
)
def test_present_but_empty_extracts_give_no_result(indicator: str) -> None:
    frames = {
        name: pd.DataFrame({f.name: pd.Series([], dtype=object) for f in SPECS[name].fields})
        for name in ("children", "adoptions", "cic_episodes", "cic_reviews")
    }
    result = run(validate_extracts(frames, ORGANISATION), indicator, "2015-05")
    assert figures(result, COUNTY, "2015-05") == (0, 0)


def test_needs_the_episodes_and_reviews() -> None:
    extracts = build(
        children=children("c1"),
        adoptions=[adoption("ad1", "c1", "A1", should_be_placed_date="2015-05-01")],
    )
    result = run(extracts, "adoption_plan_by_2nd_review", "2015-05")
    assert result.results["note"].iloc[0] == (
        "not computable: extract(s) absent: cic_episodes, cic_reviews"
    )

"""Children in care (refs 19-27): tiny extracts with hand-worked answers.

Snapshot dates used (last working day of the month, checked against the calendar):
March 2015 Tue 31 Mar; April 2015 Thu 30 Apr; May 2015 Fri 29 May (31 May is a Sunday);
June 2015 Tue 30 Jun; February 2016 Mon 29 Feb.
Teams: C1 and A1 in North, A2 in South, F county-wide; county "Shire".
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from scorecard.extracts import SPECS, validate_extracts
from tests.measures.builders import COUNTY, ORGANISATION, build, figures, run


def kid(child: str, dob: str = "2005-01-01", uasc: bool = False, ceased: str | None = None) -> dict:
    return {"child_id": child, "date_of_birth": dob, "uasc": uasc, "uasc_ceased_date": ceased}


def ep(
    eid: str,
    child: str,
    start: str,
    end: str | None = None,
    rne: str = "S",
    team: str = "C1",
    status: str = "C2",
    place: str = "U4",
    provider: str | None = "PR1",
    reason: str | None = None,
    miles: float | None = None,
) -> dict[str, Any]:
    """An SSDA903 episode; an ended episode ends with X1 (care continues) unless told otherwise."""
    return {
        "episode_id": eid, "child_id": child, "team": team, "start_date": start, "end_date": end,
        "reason_new_episode": rne, "legal_status": status, "placement_type": place,
        "placement_provider": provider, "reason_ceased": (reason or "X1") if end else None,
        "distance_miles": miles,
    }  # fmt: skip


def drill(result: Any, indicator: str, unit: str, month: str) -> list[list[Any]]:
    rows = result.drill_down(indicator, unit, month)
    return rows[["record_id", "in_numerator"]].values.tolist()


class TestThreePlacements:
    """Ref 19: children looked after at the snapshot with 3+ placements in the last 12 months."""

    extracts = build(
        children=[kid(c) for c in ("c1", "c2", "c3", "c4", "c5", "c6")],
        cic_episodes=[
            # c1: placements e1 (ends 2014-05-29), e2, e3+e4 (L = legal status change only)
            ep("e1", "c1", "2014-01-10", "2014-05-29"),
            ep("e2", "c1", "2014-05-29", "2014-10-01", rne="P"),
            ep("e3", "c1", "2014-10-01", "2015-02-01", rne="P"),
            ep("e4", "c1", "2015-02-01", rne="L", status="C1"),
            # c2: like c1 but the first placement ends 2014-05-30; then P and U (temporary)
            ep("e5", "c2", "2014-01-10", "2014-05-30"),
            ep("e6", "c2", "2014-05-30", "2014-10-01", rne="P"),
            ep("e7", "c2", "2014-10-01", rne="U", place="T1"),
            # c3: a first period of care (left care E4A), then a new one with a B change
            ep("e8", "c3", "2014-06-01", "2014-07-01", team="A2", reason="E4A"),
            ep("e9", "c3", "2014-09-01", "2014-12-01", team="A2"),
            ep("e10", "c3", "2014-12-01", rne="B", team="A2", status="C1"),
            # c4: short breaks (V3) are not placements; then one full-time placement
            ep("e11", "c4", "2014-07-01", "2014-07-03", team="A2", status="V3", reason="E13"),
            ep("e12", "c4", "2014-08-01", "2014-08-03", team="A2", status="V3", reason="E13"),
            ep("e13", "c4", "2014-09-01", "2014-09-03", team="A2", status="V3", reason="E13"),
            ep("e14", "c4", "2015-01-05", team="A2"),
            # c5: in a short break on the snapshot date: not looked after
            ep("e15", "c5", "2015-05-01", team="A2", status="V4"),
            # c6: episode ends on the May snapshot date: looked after in April, not in May
            ep("e16", "c6", "2015-03-02", "2015-05-29", team="F", reason="E8"),
        ],
    )

    def test_may_2015(self) -> None:
        result = run(self.extracts, "cic_3_placements_12m", ["2015-04", "2015-05"])
        # snapshot Fri 2015-05-29, window from 2014-05-29:
        # c1: e1 ended on 2014-05-29 (not open that day) -> e2, e3(+e4) = 2 placements: no
        # c2: e5 (ends 2014-05-30, open on 2014-05-29), e6, e7 = 3: yes
        # c3: e8 (earlier period of care), e9, e10 (B) = 3: yes
        # c4: the V3 short breaks do not count: 1 placement (e14): no
        # c5 (short break) and c6 (ended on the snapshot date) are not in the denominator
        assert figures(result, COUNTY, "2015-05") == (2, 4)
        assert figures(result, "North", "2015-05") == (1, 2)
        assert figures(result, "South", "2015-05") == (1, 2)
        assert figures(result, "F", "2015-05") == (0, 0)
        assert drill(result, "cic_3_placements_12m", "C1", "2015-05") == [
            ["c1", False], ["c2", True]
        ]  # fmt: skip

    def test_april_2015(self) -> None:
        result = run(self.extracts, "cic_3_placements_12m", "2015-04")
        # snapshot Thu 2015-04-30, window from 2014-04-30: c1 now has e1, e2, e3 = 3: yes;
        # c2 and c3 still 3; c4 1; c6 (open on 2015-04-30, one placement) is counted in F: no
        assert figures(result, COUNTY, "2015-04") == (3, 5)
        assert figures(result, "F", "2015-04") == (0, 1)
        assert figures(result, "A1", "2015-04") == (0, 0)


class TestSamePlacement:
    """Ref 20: under 16, looked after 2.5 years, in the same placement 2 years (or adoption)."""

    extracts = build(
        children=[
            *[kid(c) for c in ("d1", "d2", "d3", "d4", "d5", "d6", "d9")],
            kid("d7", dob="1999-05-29"),  # 16 on the May snapshot date: not under 16
            kid("d8", dob="1999-05-30"),  # 16 the day after: under 16
        ],
        cic_episodes=[
            # d1: looked after since exactly 30 months before 2015-05-29, same placement
            ep("e1", "d1", "2012-11-29"),
            # d2: one day short of 30 months: not in the denominator
            ep("e2", "d2", "2012-11-30"),
            # d3: current placement from exactly 24 months before; L does not start a placement
            ep("e3", "d3", "2010-01-04", "2013-05-29"),
            ep("e4", "d3", "2013-05-29", "2014-06-01", rne="P", place="U5"),
            ep("e5", "d3", "2014-06-01", rne="L", status="C1", place="U5"),
            # d4: current placement one day short of 24 months
            ep("e6", "d4", "2010-01-04", "2013-05-30"),
            ep("e7", "d4", "2013-05-30", rne="P"),
            # d5: placed for adoption (A3); the placement before started 2013-05-01: together 2y
            ep("e8", "d5", "2011-01-03", "2013-05-01", team="A2"),
            ep("e9", "d5", "2013-05-01", "2014-09-01", rne="P", team="A2"),
            ep("e10", "d5", "2014-09-01", rne="P", team="A2", status="E1", place="A3"),
            # d6: placed for adoption (A4) but the placement before started 2013-06-01: no
            ep("e11", "d6", "2011-01-03", "2013-06-01", team="A2"),
            ep("e12", "d6", "2013-06-01", "2014-09-01", rne="P", team="A2"),
            ep("e13", "d6", "2014-09-01", rne="P", team="A2", status="E1", place="A4"),
            # d7 aged 16 on the snapshot date, d8 still 15: both in care since 2010
            ep("e14", "d7", "2010-01-04", team="F"),
            ep("e15", "d8", "2010-01-04", team="F"),
            # d9: left care (E13) and came back 10 days later: the period of care restarts
            ep("e16", "d9", "2010-01-04", "2013-01-10", team="A2", reason="E13"),
            ep("e17", "d9", "2013-01-20", team="A2"),
        ],
    )

    def test_may_2015(self) -> None:
        result = run(self.extracts, "cic_same_placement_2y", "2015-05")
        # C1: d1 yes (placement since 2012-11-29), d3 yes (since 2013-05-29 = snapshot - 24
        # months), d4 no (2013-05-30); d2 not looked after 30 months -> 2 of 3
        assert figures(result, "C1", "2015-05") == (2, 3)
        # A2: d5 yes (adoptive + previous placement from 2013-05-01), d6 no; d9's period of
        # care started 2013-01-20, after 2012-11-29 -> 1 of 2
        assert figures(result, "South", "2015-05") == (1, 2)
        # F: d7 is 16 on the snapshot date (excluded), d8 is 15 and stable -> 1 of 1
        assert figures(result, "F", "2015-05") == (1, 1)
        assert figures(result, COUNTY, "2015-05") == (4, 6)
        assert drill(result, "cic_same_placement_2y", "North", "2015-05") == [
            ["d1", True], ["d3", True], ["d4", False]
        ]  # fmt: skip

    def test_a_child_twice_in_the_children_extract(self) -> None:
        # not a valid extract, but the rows are those of a merge with the children: d1 a second
        # time aged 16 on the snapshot (left out), d3 a second time under 16 (counted twice)
        children = self.extracts.children
        again = children[children["child_id"].isin(["d1", "d3"])].copy()
        again["date_of_birth"] = pd.to_datetime(["1999-05-29", "2005-01-01"]).as_unit(
            children["date_of_birth"].dt.unit
        )
        twice = pd.concat([children, again], ignore_index=True)
        result = run(dataclasses.replace(self.extracts, children=twice), "cic_same_placement_2y",
                     "2015-05")  # fmt: skip
        assert figures(result, "C1", "2015-05") == (3, 4)  # d1 yes, d3 yes twice, d4 no
        assert figures(result, COUNTY, "2015-05") == (5, 7)


class TestInHouseFoster:
    """Ref 21: foster placements (U1-U6) with own carers (PR1) or relatives/friends (U1-U3)."""

    extracts = build(
        children=[kid(f"f{i}") for i in range(1, 9)],
        cic_episodes=[
            ep("e1", "f1", "2014-01-06", place="U1", provider="PR4"),  # relative/friend: yes
            ep("e2", "f2", "2014-01-06", place="U4", provider="PR1"),  # own foster carer: yes
            ep("e3", "f3", "2014-01-06", place="U4", provider="PR4"),  # IFA: no
            ep("e4", "f4", "2014-01-06", place="U5", provider="PR2"),  # other council: no
            ep("e5", "f5", "2014-01-06", place="U6", provider=None),  # provider unknown: no
            ep("e6", "f6", "2014-01-06", place="R1", provider="PR1"),  # not foster: excluded
            ep("e7", "f7", "2014-01-06", "2015-05-29", team="F", reason="E8"),  # ended: excluded
            ep("e8", "f8", "2014-01-06", team="A2", place="U3", provider="PR5"),  # relative: yes
        ],
    )

    def test_may_2015(self) -> None:
        result = run(self.extracts, "cic_in_house_foster", "2015-05")
        assert figures(result, "C1", "2015-05") == (2, 5)  # f1, f2 of f1-f5
        assert figures(result, "A2", "2015-05") == (1, 1)  # f8
        assert figures(result, "F", "2015-05") == (0, 0)  # f7's episode ended on the snapshot
        assert figures(result, COUNTY, "2015-05") == (3, 6)
        assert drill(result, "cic_in_house_foster", "C1", "2015-05") == [
            ["f1", True], ["f2", True], ["f3", False], ["f4", False], ["f5", False]
        ]  # fmt: skip


class TestWithin20Miles:
    """Ref 22: not UASC, distance known, placed 20 miles or less from home."""

    extracts = build(
        children=[
            kid("g1"), kid("g2"), kid("g3"), kid("g7"),
            kid("g4", uasc=True),  # UASC, not ceased: excluded
            kid("g5", uasc=True, ceased="2015-05-29"),  # ceased on the May snapshot: included
            kid("g6", uasc=True, ceased="2015-06-01"),  # UASC in May, not in June
        ],
        cic_episodes=[
            ep("e1", "g1", "2014-01-06", miles=20.0),  # exactly 20: yes
            ep("e2", "g2", "2014-01-06", miles=20.1),  # no
            ep("e3", "g3", "2014-01-06", miles=None),  # unknown distance: excluded
            ep("e4", "g4", "2014-01-06", miles=5.0),
            ep("e5", "g5", "2014-01-06", miles=5.0),
            ep("e6", "g6", "2014-01-06", miles=5.0),
            ep("e7", "g7", "2014-01-06", team="A2", miles=0.0),  # yes
        ],
    )  # fmt: skip

    def test_may_and_june_2015(self) -> None:
        result = run(self.extracts, "cic_within_20_miles", ["2015-05", "2015-06"])
        # May: g1 yes, g2 no, g5 yes (no longer UASC on 29 May), g7 yes -> 3 of 4
        assert figures(result, COUNTY, "2015-05") == (3, 4)
        assert figures(result, "C1", "2015-05") == (2, 3)
        assert figures(result, "South", "2015-05") == (1, 1)
        # June (snapshot 2015-06-30): g6's UASC status ceased on 1 June: yes -> 4 of 5
        assert figures(result, COUNTY, "2015-06") == (4, 5)
        assert drill(result, "cic_within_20_miles", "C1", "2015-05") == [
            ["g1", True], ["g2", False], ["g5", True]
        ]  # fmt: skip


class TestReviewParticipation:
    """Ref 23: YTD reviews of children aged 4+ (PN0 excluded); participated PN1-PN6."""

    extracts = build(
        children=[kid("k1", dob="2011-04-15"), kid("k2")],  # k1 turns 4 on 2015-04-15
        cic_reviews=[
            {"cic_review_id": "v1", "child_id": "k2", "team": "C1", "review_date": "2015-03-31",
             "participation": "PN1"},  # FY 2014/15
            {"cic_review_id": "v2", "child_id": "k2", "team": "C1", "review_date": "2015-04-01",
             "participation": "PN7"},  # did not participate
            {"cic_review_id": "v3", "child_id": "k1", "team": "C1", "review_date": "2015-04-14",
             "participation": "PN1"},  # aged 3 (the day before the 4th birthday): excluded
            {"cic_review_id": "v4", "child_id": "k1", "team": "C1", "review_date": "2015-04-15",
             "participation": "PN3"},  # 4th birthday: counted, participated
            {"cic_review_id": "v5", "child_id": "k1", "team": "C1", "review_date": "2015-05-10",
             "participation": "PN0"},  # PN0: excluded
            {"cic_review_id": "v6", "child_id": "k2", "team": "A2", "review_date": "2015-05-29",
             "participation": "PN6"},
            {"cic_review_id": "v7", "child_id": "k2", "team": "A2", "review_date": "2015-06-01",
             "participation": "PN1"},  # after May
        ],
    )  # fmt: skip

    def test_ytd(self) -> None:
        result = run(self.extracts, "cic_review_participation", ["2015-03", "2015-04", "2015-05"])
        # March 2015 (YTD from 2014-04-01): v1 -> 1 of 1
        assert figures(result, COUNTY, "2015-03") == (1, 1)
        # April 2015 (YTD = April): v2 no, v4 yes (v3 too young) -> 1 of 2
        assert figures(result, COUNTY, "2015-04") == (1, 2)
        # May 2015: v2, v4, v6 (v5 PN0) -> 2 of 3
        assert figures(result, COUNTY, "2015-05") == (2, 3)
        assert figures(result, "North", "2015-05") == (1, 2)
        assert figures(result, "A2", "2015-05") == (1, 1)
        assert drill(result, "cic_review_participation", "C1", "2015-05") == [
            ["v2", False], ["v4", True]
        ]  # fmt: skip


def review(rid: str, child: str, date: str, team: str = "C1") -> dict[str, str]:
    return {"cic_review_id": rid, "child_id": child, "team": team, "review_date": date,
            "participation": "PN1"}  # fmt: skip


class TestReviewsInTime:
    """Ref 24: first review in 20 working days, second in 3 months, then every 6 months."""

    extracts = build(
        children=[kid(c) for c in ("h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8", "h9")],
        cic_episodes=[
            # h1-h3 start Wed 1 Apr 2015; with Good Friday 3 Apr and Easter Monday 6 Apr the
            # 20th working day is Fri 1 May, the 21st Tue 5 May (4 May is a bank holiday)
            ep("e1", "h1", "2015-04-01"),
            ep("e2", "h2", "2015-04-01"),
            ep("e3", "h3", "2015-04-01"),
            # h4 starts 5 May 2015: first review due 3 June (25 May is a bank holiday)
            ep("e4", "h4", "2015-05-05", team="A2"),
            # h5-h7 start Mon 6 Jan 2014: first review due Mon 3 Feb 2014 (20 working days)
            ep("e5", "h5", "2014-01-06", team="A2"),
            ep("e6", "h6", "2014-01-06", team="A2"),
            ep("e7", "h7", "2014-01-06", team="F"),
            # h8: an earlier period of care (left care E13), then back from 1 April 2015
            ep("e8", "h8", "2013-01-07", "2013-06-03", reason="E13"),
            ep("e9", "h8", "2015-04-01"),
            # h9 starts Mon 15 Dec 2014: over Christmas and New Year the 20th working day is
            # Thu 15 Jan 2015
            ep("e10", "h9", "2014-12-15", team="F"),
        ],
        cic_reviews=[
            review("r1", "h1", "2015-05-01"),  # 20 working days: on time
            review("r2", "h2", "2015-05-05"),  # 21 working days: late
            # h3: no review although the first was due on 1 May
            review("r5a", "h5", "2014-02-03", "A2"),  # 20 working days
            review("r5b", "h5", "2014-05-03", "A2"),  # exactly 3 months after the first
            review("r5c", "h5", "2014-11-03", "A2"),  # exactly 6 months after the second
            review("r5d", "h5", "2015-05-03", "A2"),  # exactly 6 months after; next 3 Nov 2015
            review("r6a", "h6", "2014-02-03", "A2"),
            review("r6b", "h6", "2014-05-03", "A2"),
            review("r6c", "h6", "2014-11-04", "A2"),  # one day late
            review("r6d", "h6", "2015-05-04", "A2"),  # on time after r6c, but r6c was late
            review("r7a", "h7", "2014-02-03", "F"),
            review("r7b", "h7", "2014-05-03", "F"),
            review("r7c", "h7", "2014-11-03", "F"),  # next due 3 May 2015: never held
            review("r8a", "h8", "2013-01-20"),  # in the earlier period of care: ignored
            review("r8b", "h8", "2015-04-10"),  # 5 working days after 1 April: on time
            review("r9a", "h9", "2015-01-15", "F"),  # 20 working days over Christmas: on time
            review("r9b", "h9", "2015-04-15", "F"),  # 3 months after: on time
        ],
    )

    def test_may_2015(self) -> None:
        result = run(self.extracts, "cic_reviews_in_time", "2015-05")
        # C1: h1 yes, h2 no (late), h3 no (missing), h8 yes -> 2 of 4
        assert figures(result, "C1", "2015-05") == (2, 4)
        # A2: h5 yes, h6 no; h4's first review is not due until 3 June -> 1 of 2
        assert figures(result, "A2", "2015-05") == (1, 2)
        # F: h7 no (review due 3 May 2015 not held), h9 yes -> 1 of 2
        assert figures(result, "F", "2015-05") == (1, 2)
        assert figures(result, COUNTY, "2015-05") == (4, 8)
        assert drill(result, "cic_reviews_in_time", "F", "2015-05") == [
            ["h7", False], ["h9", True]
        ]  # fmt: skip

    def test_april_2015(self) -> None:
        result = run(self.extracts, "cic_reviews_in_time", "2015-04")
        # snapshot Thu 30 Apr: h1-h3 and h8 (first review due 1 May) have no review due yet;
        # h5 yes (next due 3 May), h6 no (r6c late), h7 yes (next due 3 May), h9 yes -> 3 of 4
        assert figures(result, COUNTY, "2015-04") == (3, 4)
        assert figures(result, "C1", "2015-04") == (0, 0)

    def test_boundaries_on_the_snapshot_and_the_start(self) -> None:
        # Each period starts Tue 2 Jun 2015; no bank holiday in June, so the 20th working day is
        # Tue 30 Jun, the June snapshot. May (snapshot Fri 29 May): no one looked after yet.
        # g1: no review: due on the snapshot date, not held -> in the denominator, late.
        # g2: reviewed on 30 Jun, the snapshot and due date -> held, on time (next 30 Sep).
        # g3: reviewed on 2 Jun, the day the period started (counts: held on or after the
        #     start) -> on time, next due 2 Sep.
        extracts = build(
            children=[kid(c) for c in ("g1", "g2", "g3")],
            cic_episodes=[ep("f1", "g1", "2015-06-02"), ep("f2", "g2", "2015-06-02"),
                          ep("f3", "g3", "2015-06-02")],
            cic_reviews=[review("s2", "g2", "2015-06-30"), review("s3", "g3", "2015-06-02")],
        )  # fmt: skip
        result = run(extracts, "cic_reviews_in_time", "2015-06")
        assert drill(result, "cic_reviews_in_time", "C1", "2015-06") == [
            ["g1", False], ["g2", True], ["g3", True]
        ]  # fmt: skip

    def test_no_review_held_at_all(self) -> None:
        # the same children with an empty reviews extract: every review due is missing
        extracts = dataclasses.replace(self.extracts, cic_reviews=self.extracts.cic_reviews[:0])
        result = run(extracts, "cic_reviews_in_time", "2015-05")
        assert figures(result, COUNTY, "2015-05") == (0, 8)


class TestDentalChecks:
    """Ref 25: looked after 12 months (OC2 cohort); a dental check in the last 12 months."""

    extracts = build(
        children=[kid(c) for c in ("k1", "k2", "k3", "k4", "k5", "k7", "k8")],
        cic_episodes=[
            ep("e1", "k1", "2014-05-29"),  # exactly 12 months before 2015-05-29
            ep("e2", "k2", "2014-05-30"),  # a day short in May
            ep("e3", "k3", "2013-01-07", "2014-03-01"),  # X1 then P: one period of care
            ep("e4", "k3", "2014-03-01", rne="P"),
            ep("e5", "k4", "2013-01-07", team="A2"),
            ep("e6", "k5", "2013-01-07", team="A2"),
            ep("e7", "k7", "2013-01-07", team="F"),
            ep("e8", "k8", "2013-01-07", team="F"),
        ],
        health_checks=[
            {"health_check_id": "x1", "child_id": "k1", "check_type": "dental",
             "check_date": "2014-05-29"},  # boundary day of the 12 months: within
            {"health_check_id": "x2", "child_id": "k3", "check_type": "dental",
             "check_date": "2014-05-28"},  # a day too early
            {"health_check_id": "x3", "child_id": "k3", "check_type": "health_assessment",
             "check_date": "2015-01-01"},  # not a dental check
            {"health_check_id": "x4", "child_id": "k4", "check_type": "dental",
             "check_date": "2015-05-29"},  # on the snapshot date
            {"health_check_id": "x5", "child_id": "k5", "check_type": "dental",
             "check_date": "2015-05-30"},  # after the May snapshot
            {"health_check_id": "x7", "child_id": "k7", "check_type": "dental",
             "check_date": "2015-02-28"},  # 29 Feb 2016 - 12 months = 28 Feb 2015: within
            {"health_check_id": "x8", "child_id": "k8", "check_type": "dental",
             "check_date": "2015-02-27"},
        ],
    )  # fmt: skip

    def test_may_and_june_2015(self) -> None:
        result = run(self.extracts, "cic_dental_checks", ["2015-05", "2015-06"])
        # May (checks from 2014-05-29): C1 k1 yes, k3 no (k2 not 12 months); A2 k4 yes,
        # k5 no; F k7 and k8 yes (checks in February 2015)
        assert figures(result, "C1", "2015-05") == (1, 2)
        assert figures(result, "South", "2015-05") == (1, 2)
        assert figures(result, COUNTY, "2015-05") == (4, 6)
        assert drill(result, "cic_dental_checks", "C1", "2015-05") == [
            ["k1", True], ["k3", False]
        ]  # fmt: skip
        # June (snapshot 2015-06-30, checks from 2014-06-30): k1 no (check 2014-05-29), k2 now
        # in the cohort, no; k3 no; k4 yes; k5 yes (2015-05-30); k7 yes; k8 yes
        assert figures(result, "C1", "2015-06") == (0, 3)
        assert figures(result, COUNTY, "2015-06") == (4, 7)

    def test_29_february(self) -> None:
        result = run(self.extracts, "cic_dental_checks", "2016-02")
        # snapshot Mon 2016-02-29: k7's check on 2015-02-28 is within, k8's (27 Feb) is not
        assert figures(result, "F", "2016-02") == (1, 2)


class TestHealthAssessments:
    """Ref 26: OC2 cohort; a health assessment in 6 months (under 5) or 12 months (5+)."""

    extracts = build(
        children=[
            kid("m1", dob="2010-05-30"),  # 5 on 30 May 2015: under 5 on the May snapshot
            kid("m2", dob="2010-05-30"),
            kid("m3", dob="2010-05-29"),  # 5 on the snapshot date
            kid("m4"), kid("m5"),
        ],
        cic_episodes=[
            ep("e1", "m1", "2013-01-07"), ep("e2", "m2", "2013-01-07"),
            ep("e3", "m3", "2013-01-07"), ep("e4", "m4", "2013-01-07", team="A2"),
            ep("e5", "m5", "2014-06-01", team="A2"),  # not looked after 12 months in May
        ],
        health_checks=[
            {"health_check_id": "x1", "child_id": "m1", "check_type": "health_assessment",
             "check_date": "2014-11-29"},  # exactly 6 months before 2015-05-29: in time
            {"health_check_id": "x2", "child_id": "m2", "check_type": "health_assessment",
             "check_date": "2014-11-28"},  # 6 months and a day: late for an under-5
            {"health_check_id": "x3", "child_id": "m3", "check_type": "health_assessment",
             "check_date": "2014-11-28"},  # aged 5: 12 months allowed
            {"health_check_id": "x4", "child_id": "m4", "check_type": "health_assessment",
             "check_date": "2014-05-28"},  # 12 months and a day: late
            {"health_check_id": "x5", "child_id": "m4", "check_type": "dental",
             "check_date": "2015-01-01"},  # not a health assessment
            {"health_check_id": "x6", "child_id": "m5", "check_type": "health_assessment",
             "check_date": "2015-01-01"},
        ],
    )  # fmt: skip

    def test_may_2015(self) -> None:
        result = run(self.extracts, "cic_health_assessments", "2015-05")
        assert figures(result, "C1", "2015-05") == (2, 3)  # m1, m3 of m1-m3
        assert figures(result, "A2", "2015-05") == (0, 1)  # m4 (m5 not in the cohort)
        assert figures(result, COUNTY, "2015-05") == (2, 4)
        assert drill(result, "cic_health_assessments", "C1", "2015-05") == [
            ["m1", True], ["m2", False], ["m3", True]
        ]  # fmt: skip


def allocation(aid: str, child: str, worker: str, start: str, end: str | None = None,
               role: str | None = "social_worker", team: str = "C1") -> dict[str, Any]:  # fmt: skip
    return {"allocation_id": aid, "child_id": child, "worker_id": worker, "team": team,
            "start_date": start, "end_date": end, "worker_role": role}  # fmt: skip


WORKER_CHILDREN = [kid(f"w{i}") for i in range(1, 11)]
WORKER_EPISODES = [
    ep("e1", "w1", "2013-11-29"),  # exactly 18 months before 2015-05-29
    ep("e2", "w2", "2013-11-30"),  # a day short: not in the denominator
    ep("e3", "w3", "2012-01-09"),
    ep("e4", "w4", "2012-01-09"),
    ep("e5", "w5", "2012-01-09", team="A2"),
    ep("e6", "w6", "2012-01-09", team="A2"),
    ep("e7", "w7", "2012-01-09", team="A2"),
    ep("e8", "w8", "2012-01-09", team="F"),
    ep("e9", "w9", "2012-01-09", team="F"),
    ep("e10", "w10", "2012-01-09", team="F"),
]
WORKER_ALLOCATIONS = [
    allocation("a1", "w1", "SW1", "2014-05-29"),  # from the first day of the 12 months
    allocation("a2", "w2", "SW1", "2013-11-30"),
    allocation("a3", "w3", "SW1", "2014-05-30"),  # starts a day late
    allocation("a3b", "w3", "SW9", "2013-01-01", "2014-05-30"),  # so two workers
    allocation("a4", "w4", "SW2", "2014-01-01", "2014-09-01"),  # same worker, no gap
    allocation("a4b", "w4", "SW2", "2014-09-01", role="senior_practitioner"),
    allocation("a5", "w5", "SW3", "2014-01-01", "2014-09-01", team="A2"),
    allocation("a5b", "w5", "SW3", "2014-09-02", team="A2"),  # unallocated on 1 Sep: gap
    allocation("a6", "w6", "SW4", "2014-01-01", "2015-05-29", team="A2"),  # ends on snapshot
    allocation("a7", "w7", "TM1", "2014-01-01", role="team_manager", team="A2"),
    allocation("a8", "w8", "W8", "2014-01-01", role=None, team="F"),  # role from workforce
    allocation("a9", "w9", "SW5", "2014-01-01", team="F"),
    allocation("a9b", "w9", "SW6", "2014-07-01", "2014-10-01", team="F"),  # co-working
    allocation("a10", "w10", "SW7", "2014-01-01", "2015-01-01", team="F"),
    allocation("a10b", "w10", "SW7", "2014-06-01", team="F"),  # overlapping: one spell
]
WORKER_WORKFORCE = [
    {"post_id": "P8", "start_date": "2013-01-01", "team": "F", "role": "social_worker",
     "caseholding": True, "fte": 1.0, "contract": "permanent", "worker_id": "W8"},
]  # fmt: skip


class TestSameWorker:
    """Ref 27: looked after 18 months; one social worker throughout the last 12 months."""

    def test_may_2015(self) -> None:
        extracts = build(children=WORKER_CHILDREN, cic_episodes=WORKER_EPISODES,
                         allocations=WORKER_ALLOCATIONS, workforce=WORKER_WORKFORCE)  # fmt: skip
        result = run(extracts, "cic_same_worker_12m", "2015-05")
        # 12 months = 2014-05-29 .. 2015-05-29
        # C1: w1 yes (SW1 from 2014-05-29), w3 no (SW1 from 2014-05-30), w4 yes -> 2 of 3
        assert figures(result, "C1", "2015-05") == (2, 3)
        # A2: w5 no (gap), w6 no (allocation ends on the snapshot), w7 no (team manager)
        assert figures(result, "South", "2015-05") == (0, 3)
        # F: w8 yes (W8 holds a social worker post), w9 yes (SW5 throughout), w10 yes
        assert figures(result, "F", "2015-05") == (3, 3)
        assert figures(result, COUNTY, "2015-05") == (5, 9)
        assert drill(result, "cic_same_worker_12m", "North", "2015-05") == [
            ["w1", True], ["w3", False], ["w4", True]
        ]  # fmt: skip

    def test_role_unknown_without_workforce(self) -> None:
        extracts = build(children=WORKER_CHILDREN, cic_episodes=WORKER_EPISODES,
                         allocations=WORKER_ALLOCATIONS)  # fmt: skip
        result = run(extracts, "cic_same_worker_12m", "2015-05")
        # without the workforce extract w8's blank-role allocation is taken as a case-holding
        # worker's (scorecard.measures.workers.allocations_to), so the child covered by it counts
        assert figures(result, "F", "2015-05") == (3, 3)


def _empty(name: str) -> pd.DataFrame:
    return pd.DataFrame({field.name: pd.Series([], dtype=object) for field in SPECS[name].fields})


def test_empty_extracts_give_no_result() -> None:
    names = ("children", "cic_episodes", "cic_reviews", "health_checks", "allocations")
    extracts = validate_extracts({name: _empty(name) for name in names}, ORGANISATION)
    indicators = ["cic_3_placements_12m", "cic_same_placement_2y", "cic_in_house_foster",
                  "cic_within_20_miles", "cic_review_participation", "cic_reviews_in_time",
                  "cic_dental_checks", "cic_health_assessments", "cic_same_worker_12m"]  # fmt: skip
    results = run(extracts, indicators, "2015-05").results
    county = results[results["unit"] == COUNTY].set_index("indicator")
    assert county.loc[indicators, "numerator"].tolist() == [0.0] * 9
    assert county.loc[indicators, "denominator"].tolist() == [0.0] * 9
    assert county["note"].isna().all()

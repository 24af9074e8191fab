"""Child protection (refs 11-18): tiny extracts with hand-worked answers.

Calendar facts used below (checked against a calendar): snapshot dates are the last working day of
the month: Fri 30 Jan 2015, Tue 31 Mar 2015, Thu 30 Apr 2015, Fri 29 May 2015 (31 May is a Sunday),
Tue 30 Jun 2015, Fri 31 Jul 2015, Fri 30 Oct 2015, Fri 29 Jan 2016, Thu 31 Aug 2017 (28 Aug is
the summer bank holiday). Bank holidays: Thu 25 / Fri 26 Dec 2014, Thu 1 Jan 2015, Good Friday
3 Apr 2015, Easter Monday 6 Apr 2015, Mon 4 May 2015, Mon 25 May 2015, Fri 25 Dec 2015, Mon 28 Dec
2015 (substitute Boxing Day), Fri 1 Jan 2016.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.extracts import SPECS, validate_extracts
from scorecard.measures import Computation
from tests.measures.builders import COUNTY, ORGANISATION, build, figures, run


# builders.run loads the registry on every call (~0.15 s); load it once for this file.
def born(*children: str) -> list[dict]:
    return [{"child_id": c, "date_of_birth": "2010-01-01"} for c in children]


def plan(pid: str, child: str, start: str, end: str | None = None, team: str = "A1") -> dict:
    return {"cp_plan_id": pid, "child_id": child, "team": team, "start_date": start,
            "end_date": end}  # fmt: skip


def drill(result: Computation, indicator: str, unit: str, month: str) -> list[list]:
    rows = result.drill_down(indicator, unit, month)
    return rows[["record_id", "in_numerator"]].values.tolist()


def no_result(result: Computation, unit: str, month: str) -> bool:
    rows = result.results
    value = rows.loc[(rows["unit"] == unit) & (rows["month"] == pd.Period(month, "M")), "value"]
    return bool(np.isnan(value.iloc[0]))


# --------------------------------------------------------------------------------------------------
# Ref 11: current plans lasting 18 months or more
# --------------------------------------------------------------------------------------------------


class TestPlans18Months:
    """Ref 11: plans open on the snapshot date; numerator start <= snapshot - 18 months."""

    extracts = build(
        children=born("c1", "c2", "c3", "c4", "c5", "c6"),
        cp_plans=[
            # May 2015 snapshot Fri 29 May 2015; minus 18 months = 29 Nov 2013 (the boundary).
            plan("p1", "c1", "2013-11-29"),  # exactly 18 months on the snapshot: numerator
            plan("p2", "c2", "2013-11-30"),  # a day short of 18 months: denominator only
            plan("p3", "c3", "2013-01-01", end="2015-05-29"),  # ends on the snapshot: not open
            plan("p4", "c4", "2013-01-01", end="2015-05-30", team="A2"),  # ends after: open
            plan("p5", "c5", "2015-05-30"),  # starts after the snapshot (Saturday 30 May)
            plan("p6", "c6", "2014-06-01", team="F"),  # 11 months: denominator only
        ],
    )

    def test_may_2015_weekend_month_end(self) -> None:
        result = run(self.extracts, "cp_plans_18_months", ["2015-04", "2015-05"])
        # Open on Fri 29 May: p1, p2, p4, p6 (p3 ended that day, p5 not started); 18+ months:
        # p1 (boundary day), p4 -> 2 of 4.
        assert figures(result, COUNTY, "2015-05") == (2, 4)
        assert figures(result, "A1", "2015-05") == (1, 2)
        assert figures(result, "North", "2015-05") == (1, 2)  # A1 + C1 (C1 has none)
        assert figures(result, "South", "2015-05") == (1, 1)  # p4
        assert figures(result, "F", "2015-05") == (0, 1)  # p6, county-wide team
        assert drill(result, "cp_plans_18_months", "A1", "2015-05") == [["p1", True],
                                                                        ["p2", False]]  # fmt: skip
        # April: snapshot Thu 30 Apr 2015, boundary 30 Oct 2013. Open: p1, p2, p3 (ends 29 May),
        # p4, p6; started on or before 30 Oct 2013: p3, p4 -> 2 of 5.
        assert figures(result, COUNTY, "2015-04") == (2, 5)

    def test_29_february_boundary(self) -> None:
        # Aug 2017 snapshot Thu 31 Aug 2017; minus 18 months = 31 Feb 2016 clipped to 29 Feb 2016.
        extracts = build(children=born("c1", "c2"), cp_plans=[
            plan("leap", "c1", "2016-02-29"),  # on the boundary: 18 months
            plan("march", "c2", "2016-03-01"),  # a day later: not
        ])  # fmt: skip
        result = run(extracts, "cp_plans_18_months", "2017-08")
        assert figures(result, "A1", "2017-08") == (1, 2)


# --------------------------------------------------------------------------------------------------
# Ref 12: CP visits within 10 working days (count of visits)
# --------------------------------------------------------------------------------------------------


def visit(vid: str, child: str, date: str, team: str = "A1", kind: str = "CP") -> dict:
    return {"visit_id": vid, "child_id": child, "team": team, "visit_type": kind,
            "visit_date": date, "child_seen": True}  # fmt: skip


class TestCpVisits:
    """Ref 12: CP visits in the 3 months up to the snapshot date, children on an open plan."""

    # May 2015: snapshot Fri 29 May; window from 29 May - 3 months = 28 Feb 2015 (29 Feb clipped).
    extracts = build(
        children=born("c1", "c2", "c3"),
        cp_plans=[
            plan("pa", "c1", "2015-03-20"),  # open on the snapshot
            plan("pb", "c2", "2015-01-05", end="2015-05-29"),  # ends on the snapshot: not current
            plan("pc", "c3", "2014-12-01", team="A2"),  # open
        ],
        visits=[
            # c1, plan from Fri 20 Mar 2015
            visit("v0", "c1", "2015-03-10"),  # before the plan started: not counted, not previous
            # 20 Mar -> 2 Apr: 23-27 Mar (5) + 30 Mar-2 Apr (4) = 9 working days: in time
            visit("v1", "c1", "2015-04-02"),
            # 2 Apr -> 20 Apr across Easter (Good Friday 3rd, Easter Monday 6th): 7-10 Apr (4),
            # 13-17 Apr (9), 20 Apr (10) = 10 working days: in time (the boundary)
            visit("v2", "c1", "2015-04-20"),
            # 20 Apr -> 6 May: 21-24 Apr (4), 27 Apr-1 May (9), 4 May bank holiday, 5 May (10),
            # 6 May (11) = 11: late
            visit("v3", "c1", "2015-05-06"),
            visit("v3b", "c1", "2015-05-06"),  # same day: also measured from 20 Apr -> late
            visit("cin", "c1", "2015-05-01", kind="CIN"),  # a CIN visit: ignored entirely
            # 6 May -> 20 May: 7-8 (2), 11-15 (7), 18-20 (10) = 10: in time
            visit("v4", "c1", "2015-05-20"),
            # 20 May -> 29 May (snapshot day, counted): 21-22 (2), 25 May bank holiday,
            # 26-29 (6) = 6: in time
            visit("v5", "c1", "2015-05-29"),
            visit("v6", "c1", "2015-05-30"),  # after the snapshot: not counted
            # c2's plan ends on the snapshot date: not a current plan, visit not counted
            visit("x1", "c2", "2015-05-01"),
            # c3, plan open since 1 Dec 2014
            visit("w1", "c3", "2015-02-27", team="A2"),  # a day before the window: previous only
            # 27 Feb -> Sat 28 Feb (window boundary, counted): 0 working days: in time
            visit("w2", "c3", "2015-02-28", team="A2"),
            # 28 Feb -> 16 Mar: 2-6 Mar (5), 9-13 (10), 16 (11) = 11: late; visited by a C1 worker
            visit("w3", "c3", "2015-03-16", team="C1"),
        ],
    )

    def test_may_2015(self) -> None:
        result = run(self.extracts, "cp_visits_in_time", "2015-05")
        # A1 (c1): v1 in, v2 in, v3 late, v3b late, v4 in, v5 in -> 4 of 6
        assert figures(result, "A1", "2015-05") == (4, 6)
        # A2: w2 in time -> 1 of 1; C1: w3 late -> 0 of 1 (the visit's team)
        assert figures(result, "A2", "2015-05") == (1, 1)
        assert figures(result, "C1", "2015-05") == (0, 1)
        assert figures(result, "North", "2015-05") == (4, 7)  # A1 + C1
        assert figures(result, "South", "2015-05") == (1, 1)  # A2
        assert figures(result, COUNTY, "2015-05") == (5, 8)
        assert drill(result, "cp_visits_in_time", "A1", "2015-05") == [
            ["v1", True], ["v2", True], ["v3", False], ["v3b", False], ["v4", True], ["v5", True],
        ]  # fmt: skip

    def test_christmas_2015_substitute_boxing_day(self) -> None:
        extracts = build(
            children=born("c4", "c5"),
            cp_plans=[
                plan("pd", "c4", "2015-12-01", team="F"),
                plan("pe", "c5", "2015-12-15", team="F"),
            ],
            visits=[
                # 1 Dec -> 15 Dec: 2-4 (3), 7-11 (8), 14-15 (10) = 10: in time
                visit("y1", "c4", "2015-12-15", team="F"),
                # 15 Dec -> 4 Jan 2016: 16-18 (3), 21-24 (7), 25 Dec and 28 Dec (substitute
                # Boxing Day) bank holidays, 29-31 (10), 1 Jan bank holiday, 4 Jan (11): late
                visit("y2", "c4", "2016-01-04", team="F"),
                # plan start 15 Dec -> 31 Dec = 10: in time (first visit of the plan)
                visit("z1", "c5", "2015-12-31", team="F"),
            ],
        )
        # Jan 2016: snapshot Fri 29 Jan 2016, window from 29 Oct 2015: all three visits.
        result = run(extracts, "cp_visits_in_time", "2016-01")
        assert figures(result, "F", "2016-01") == (2, 3)
        assert drill(result, "cp_visits_in_time", "F", "2016-01") == [
            ["y1", True], ["y2", False], ["z1", True]]  # fmt: skip


# --------------------------------------------------------------------------------------------------
# Ref 13: CP reviews within timescale
# --------------------------------------------------------------------------------------------------


def review(rid: str, pid: str, child: str, date: str) -> dict:
    return {"cp_review_id": rid, "cp_plan_id": pid, "child_id": child, "review_date": date}


class TestCpReviews:
    """Ref 13: first review within 3 months of the start, then within 6 months of the last."""

    extracts = build(
        children=born("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c10"),
        cp_plans=[
            plan("q1", "c1", "2015-02-28"),  # first review due 28 May 2015
            plan("q2", "c2", "2015-02-27"),  # first review due 27 May 2015
            plan("q3", "c3", "2015-03-01"),  # first review due 1 Jun 2015
            plan("q4", "c4", "2015-02-20", team="C1"),  # first review due 20 May 2015
            plan("q5", "c5", "2014-05-29", team="A2"),
            plan("q6", "c6", "2014-05-29", team="A2"),
            plan("q7", "c7", "2014-09-01", team="F"),
            plan("q8", "c8", "2014-01-01", end="2015-05-29"),  # ends on the snapshot: not open
            plan("q10", "c10", "2015-03-20"),  # first review due 20 Jun 2015
        ],
        cp_reviews=[
            review("r1", "q1", "c1", "2015-05-28"),  # on the due date: on time
            review("r1b", "q1", "c1", "2015-05-28"),  # the same day recorded twice: counts once
            review("r2", "q2", "c2", "2015-05-28"),  # a day after 27 May: late
            # q3 and q4: no review held
            # q5: due 29 Aug 2014 -> held 29 Aug (on time); next due 29 Aug + 6 months = 28 Feb
            # 2015 (no 29 Feb in 2015) -> held 28 Feb (on time); next due 28 Aug 2015
            review("r5a", "q5", "c5", "2014-08-29"),
            review("r5b", "q5", "c5", "2015-02-28"),
            # q6: as q5 but the second review on 1 Mar 2015, a day after 28 Feb: late
            review("r6a", "q6", "c6", "2014-08-29"),
            review("r6b", "q6", "c6", "2015-03-01"),
            # q7: due 1 Dec 2014 -> held 20 Nov 2014 (on time); next due 20 May 2015, held only
            # on 1 Jun 2015
            review("r7a", "q7", "c7", "2014-11-20"),
            review("r7b", "q7", "c7", "2015-06-01"),
            review("r8", "q8", "c8", "2014-03-01"),
            # q10: an early first review on 10 Apr 2015; next due 10 Oct 2015
            review("r10", "q10", "c10", "2015-04-10"),
        ],
    )

    def test_may_2015(self) -> None:
        result = run(self.extracts, "cp_reviews_in_time", "2015-05")
        # Snapshot Fri 29 May 2015. Denominator: open plans with a review due by 29 May:
        # q1 (28 May), q2 (27 May), q4 (20 May), q5, q6, q7; not q3 (1 Jun), q10 (20 Jun),
        # q8 (ended on the snapshot).
        # q1 on time, next due 28 Nov -> numerator. q2 late. q4 due 20 May, not held -> late.
        # q5 all on time, next due 28 Aug -> numerator. q6 second review late.
        # q7 first on time but second due 20 May not held by 29 May -> late.
        assert figures(result, COUNTY, "2015-05") == (2, 6)
        assert figures(result, "A1", "2015-05") == (1, 2)  # q1, q2
        assert figures(result, "C1", "2015-05") == (0, 1)  # q4
        assert figures(result, "North", "2015-05") == (1, 3)
        assert figures(result, "South", "2015-05") == (1, 2)  # q5, q6
        assert figures(result, "F", "2015-05") == (0, 1)  # q7
        assert drill(result, "cp_reviews_in_time", "A2", "2015-05") == [["q5", True],
                                                                        ["q6", False]]  # fmt: skip

    def test_later_months(self) -> None:
        result = run(self.extracts, "cp_reviews_in_time", ["2015-06", "2015-07", "2015-10"])
        # Jun 2015 (snapshot Tue 30 Jun): q7's second review on 1 Jun was due 20 May: still late.
        assert figures(result, "F", "2015-06") == (0, 1)
        # q3 due 1 Jun, no review by 30 Jun -> late; q10 due 20 Jun, held early on 10 Apr -> on
        # time, next due 10 Oct. A1 (June): q1 yes, q2 no, q3 no, q10 yes -> 2 of 4.
        assert figures(result, "A1", "2015-06") == (2, 4)
        # Jul 2015 (snapshot Fri 31 Jul): unchanged for A1.
        assert figures(result, "A1", "2015-07") == (2, 4)
        # Oct 2015 (snapshot Fri 30 Oct): q10's review due 10 Oct not held -> late. q1's next
        # review is due 28 Nov -> still on time. A1: q1 only -> 1 of 4.
        assert figures(result, "A1", "2015-10") == (1, 4)

    def test_boundaries_on_the_snapshot_and_the_start(self) -> None:
        # June 2015, snapshot Tue 30 Jun. Each plan starts 30 Mar 2015: first review due 30 Jun.
        # s1: no review: due on the snapshot date and not held by then -> late (in the
        #     denominator: due on or before the snapshot).
        # s2: reviewed on 30 Jun, the snapshot date itself: held by the snapshot, on its due date
        #     -> on time; next due 30 Dec.
        # s3: a "review" dated on the plan's start date (30 Mar) is not a review of the plan
        #     (only those after the start count) -> as s1, late.
        extracts = build(
            children=born("c1", "c2", "c3"),
            cp_plans=[plan("s1", "c1", "2015-03-30"), plan("s2", "c2", "2015-03-30"),
                      plan("s3", "c3", "2015-03-30")],
            cp_reviews=[review("t2", "s2", "c2", "2015-06-30"),
                        review("t3", "s3", "c3", "2015-03-30")],
        )  # fmt: skip
        result = run(extracts, "cp_reviews_in_time", ["2015-05", "2015-06"])
        assert figures(result, "A1", "2015-05") == (0, 0)  # due 30 Jun: not yet in May
        assert drill(result, "cp_reviews_in_time", "A1", "2015-06") == [
            ["s1", False], ["s2", True], ["s3", False]
        ]

    def test_no_reviews_at_all(self) -> None:
        # a header-only (present but empty) cp_reviews extract
        base = build(children=born("c1"), cp_plans=[plan("q1", "c1", "2015-02-28")])
        empty = pd.DataFrame(columns=[field.name for field in SPECS["cp_reviews"].fields])
        extracts = validate_extracts(
            {"children": base.get("children"), "cp_plans": base.get("cp_plans"),
             "cp_reviews": empty}, ORGANISATION)  # fmt: skip
        result = run(extracts, "cp_reviews_in_time", ["2015-04", "2015-05"])
        assert figures(result, "A1", "2015-04") == (0, 0)  # first review due 28 May: not yet
        assert no_result(result, "A1", "2015-04")
        assert figures(result, "A1", "2015-05") == (0, 1)  # due 28 May, not held by 29 May


# --------------------------------------------------------------------------------------------------
# Ref 14: repeat plans within 24 months
# --------------------------------------------------------------------------------------------------


class TestRepeatPlans:
    """Ref 14: plans starting in the YTD period after a plan that ended in the 24 months before."""

    extracts = build(
        children=born("k1", "k2", "k3", "k4", "k5", "k6"),
        cp_plans=[
            plan("e1", "k1", "2012-01-01", end="2013-05-10"),
            plan("e2", "k1", "2015-05-10"),  # e1 ended exactly 24 months before: repeat
            plan("f1", "k2", "2012-06-01", end="2013-05-09"),
            plan("f2", "k2", "2015-05-10"),  # f1 ended 24 months and a day before: not
            plan("g1", "k3", "2014-06-01", end="2015-04-01", team="A2"),  # first plan
            plan("g2", "k3", "2015-04-01", team="A2"),  # g1 ended the same day: repeat
            plan("h0", "k4", "2013-01-01", end="2014-02-28", team="F"),
            plan("h1", "k4", "2015-03-31", team="F"),  # h0 ended after 31 Mar 2013: repeat
            plan("i1", "k5", "2015-01-01", team="C1"),  # still open
            plan("i2", "k5", "2015-05-15", team="C1"),  # earlier plan never ended: not a repeat
            plan("j1", "k6", "2012-01-01", end="2014-02-28", team="F"),
            plan("j2", "k6", "2016-02-29", team="F"),  # 29 Feb 2016 - 24 months = 28 Feb 2014
        ],
    )

    def test_financial_year_boundary(self) -> None:
        result = run(self.extracts, "cp_repeat_24_months", ["2015-03", "2015-04", "2015-05"])
        # March 2015 YTD (1 Apr 2014 - 31 Mar 2015): g1 (no earlier plan), h1 (repeat),
        # i1 (no earlier plan) -> 1 of 3
        assert figures(result, COUNTY, "2015-03") == (1, 3)
        # April 2015 YTD: g2 only -> 1 of 1
        assert figures(result, COUNTY, "2015-04") == (1, 1)
        # May 2015 YTD: g2 (A2, repeat), e2 (A1, repeat), f2 (A1, not), i2 (C1, not) -> 2 of 4
        assert figures(result, COUNTY, "2015-05") == (2, 4)
        assert figures(result, "A1", "2015-05") == (1, 2)
        assert figures(result, "North", "2015-05") == (1, 3)
        assert figures(result, "South", "2015-05") == (1, 1)
        assert drill(result, "cp_repeat_24_months", "A1", "2015-05") == [["e2", True],
                                                                         ["f2", False]]  # fmt: skip

    def test_29_february(self) -> None:
        result = run(self.extracts, "cp_repeat_24_months", "2016-02")
        # FY 2015/16 to Feb 2016 at F: j2 (j1 ended 28 Feb 2014, the boundary) -> 1 of 1
        assert figures(result, "F", "2016-02") == (1, 1)


# --------------------------------------------------------------------------------------------------
# Ref 15: plans lasting 2 years or more when they ended
# --------------------------------------------------------------------------------------------------


class TestEndedTwoYears:
    """Ref 15: plans ending in the YTD period; numerator end >= start + 24 months."""

    extracts = build(
        children=born("m1", "m2", "m3", "m4", "m5", "m6"),
        cp_plans=[
            plan("m1", "m1", "2013-05-10", end="2015-05-10"),  # exactly 2 years: numerator
            plan("m2", "m2", "2013-05-11", end="2015-05-10"),  # a day short: not
            plan("m3", "m3", "2013-03-31", end="2015-03-31", team="A2"),  # March: FY 2014/15
            plan("m4", "m4", "2014-04-15", end="2015-04-01", team="A2"),  # 1 Apr: FY 2015/16
            plan("m5", "m5", "2016-02-29", end="2018-02-28", team="F"),  # 29 Feb + 2y = 28 Feb
            plan("m6", "m6", "2012-01-01", team="F"),  # never ended: never counted
        ],
    )

    def test_months(self) -> None:
        result = run(self.extracts, "cp_ended_2_years", ["2015-03", "2015-04", "2015-05"])
        assert figures(result, COUNTY, "2015-03") == (1, 1)  # m3 (2 years exactly)
        assert figures(result, COUNTY, "2015-04") == (0, 1)  # m4
        assert figures(result, COUNTY, "2015-05") == (1, 3)  # m4, m1 (yes), m2 (no)
        assert figures(result, "A1", "2015-05") == (1, 2)
        assert figures(result, "South", "2015-05") == (0, 1)
        assert figures(result, "F", "2015-05") == (0, 0)
        assert drill(result, "cp_ended_2_years", "A1", "2015-05") == [["m1", True],
                                                                      ["m2", False]]  # fmt: skip

    def test_29_february(self) -> None:
        result = run(self.extracts, "cp_ended_2_years", "2018-02")
        assert figures(result, "F", "2018-02") == (1, 1)  # m5 ended on 28 Feb 2018: 2 years


# --------------------------------------------------------------------------------------------------
# Refs 16-18: section 47 enquiries and ICPCs
# --------------------------------------------------------------------------------------------------


def s47(sid: str, child: str, start: str, team: str = "A1", **more: object) -> dict:
    return {"s47_id": sid, "child_id": child, "team": team, "start_date": start, **more}


class TestS47ChildSeen:
    """Ref 16: enquiries completed in the period, excluding unborn children; child seen."""

    extracts = build(
        children=[
            *born("c1", "c2", "c3", "c7", "c8"),
            {"child_id": "unborn", "expected_date_of_birth": "2015-07-01"},
            {"child_id": "late", "date_of_birth": "2015-04-21"},  # born after the S47 start
            {"child_id": "sameday", "date_of_birth": "2015-04-20"},  # born on the S47 start day
        ],
        s47_enquiries=[
            s47("s1", "c1", "2015-04-20", completed_date="2015-05-05", child_seen=True),
            s47("s2", "c2", "2015-04-20", completed_date="2015-05-05", child_seen=False),
            s47("s3", "c3", "2015-04-20", team="A2", completed_date="2015-05-05"),  # blank seen
            s47(
                "s4",
                "unborn",
                "2015-04-20",
                team="A2",
                completed_date="2015-05-05",
                child_seen=False,
            ),  # unborn: excluded
            s47(
                "s5", "late", "2015-04-20", team="A2", completed_date="2015-05-05", child_seen=True
            ),  # born after the start: unborn at the time, excluded
            s47(
                "s6",
                "sameday",
                "2015-04-20",
                team="A2",
                completed_date="2015-05-05",
                child_seen=True,
            ),  # born on the start day: counted
            s47(
                "s7", "c7", "2015-03-01", team="F", completed_date="2015-03-31", child_seen=True
            ),  # completed in March (FY 2014/15)
            s47("s8", "c8", "2015-05-01", child_seen=True),  # in progress: not counted
        ],
    )

    def test_months(self) -> None:
        result = run(self.extracts, "s47_child_seen", ["2015-03", "2015-04", "2015-05"])
        assert figures(result, COUNTY, "2015-03") == (1, 1)  # s7
        assert figures(result, COUNTY, "2015-04") == (0, 0)  # none completed in April
        # May YTD: s1 (seen), s2 (not), s3 (blank = not), s6 (seen) -> 2 of 4
        assert figures(result, COUNTY, "2015-05") == (2, 4)
        assert figures(result, "A1", "2015-05") == (1, 2)
        assert figures(result, "South", "2015-05") == (1, 2)
        assert drill(result, "s47_child_seen", "A2", "2015-05") == [["s3", False],
                                                                    ["s6", True]]  # fmt: skip


class TestIcpcWithin15WorkingDays:
    """Ref 17: ICPCs held in the period; numerator ICPC within 15 working days of the S47 start."""

    extracts = build(
        children=born("c1"),
        s47_enquiries=[
            # Mon 20 Apr 2015: 21-24 Apr (4), 27 Apr-1 May (9), 4 May bank holiday, 5-8 May (13),
            # 11 May (14), 12 May (15), 13 May (16)
            s47("t1", "c1", "2015-04-20", icpc_date="2015-05-12"),  # 15: in time
            s47("t2", "c1", "2015-04-20", icpc_date="2015-05-13"),  # 16: late
            # Mon 15 Dec 2014: 16-19 (4), 22-24 (7), 25-26 Dec bank holidays, 29-31 (10), 1 Jan
            # bank holiday, 2 Jan (11), 5-8 Jan (15), 9 Jan (16)
            s47("t3", "c1", "2014-12-15", team="A2", icpc_date="2015-01-08"),  # 15: in time
            s47("t4", "c1", "2014-12-15", team="A2", icpc_date="2015-01-09"),  # 16: late
            # Wed 25 Mar 2015: 26-27 (2), 30 Mar-2 Apr (6), Good Friday and Easter Monday,
            # 7-10 Apr (10), 13-17 Apr (15), 20 Apr (16)
            s47("t5", "c1", "2015-03-25", team="F", icpc_date="2015-04-17"),  # 15: in time
            s47("t6", "c1", "2015-03-25", team="F", icpc_date="2015-04-20"),  # 16: late
            s47("t7", "c1", "2015-05-01"),  # no ICPC: not counted
            # Mon 2 Mar 2015 -> Fri 20 Mar: 3-6 (4), 9-13 (9), 16-20 (14): in time, in March
            s47("t8", "c1", "2015-03-02", icpc_date="2015-03-20"),
        ],
    )

    def test_months(self) -> None:
        result = run(self.extracts, "icpc_within_15_wd", ["2015-01", "2015-03", "2015-04",
                                                          "2015-05"])  # fmt: skip
        assert figures(result, "South", "2015-01") == (1, 2)  # t3 in, t4 late (Christmas)
        assert figures(result, COUNTY, "2015-03") == (2, 3)  # t3, t4, t8
        assert figures(result, COUNTY, "2015-04") == (1, 2)  # t5, t6 (Easter)
        assert figures(result, COUNTY, "2015-05") == (2, 4)  # t1, t2, t5, t6
        assert figures(result, "North", "2015-05") == (1, 2)
        assert figures(result, "F", "2015-05") == (1, 2)
        assert figures(result, "South", "2015-05") == (0, 0)  # t3, t4 were in FY 2014/15
        assert no_result(result, "South", "2015-05")
        assert drill(result, "icpc_within_15_wd", "A1", "2015-05") == [["t1", True],
                                                                       ["t2", False]]  # fmt: skip


class TestIcpcToPlan:
    """Ref 18: ICPCs held in the period; numerator outcome CP plan."""

    extracts = build(
        children=born("c1", "c2", "c3", "c4", "c5", "c6"),
        s47_enquiries=[
            s47("u1", "c1", "2015-04-20", icpc_date="2015-05-05", icpc_outcome_cp_plan=True),
            s47("u2", "c2", "2015-04-20", icpc_date="2015-05-06", icpc_outcome_cp_plan=False),
            s47("u3", "c3", "2015-03-20", team="A2", icpc_date="2015-04-01"),  # outcome blank
            s47(
                "u4",
                "c4",
                "2015-03-10",
                team="A2",
                icpc_date="2015-03-31",
                icpc_outcome_cp_plan=True,
            ),  # March: FY 2014/15
            s47("u5", "c5", "2015-05-01"),  # no ICPC
            s47(
                "u6",
                "c6",
                "2015-04-10",
                team="C1",
                icpc_date="2015-04-30",
                icpc_outcome_cp_plan=True,
            ),
        ],
    )

    def test_months(self) -> None:
        result = run(self.extracts, "icpc_to_cp_plan", ["2015-03", "2015-04", "2015-05"])
        assert figures(result, COUNTY, "2015-03") == (1, 1)  # u4
        assert figures(result, COUNTY, "2015-04") == (1, 2)  # u3 (blank: no), u6 (yes)
        assert figures(result, COUNTY, "2015-05") == (2, 4)  # u1, u2, u3, u6
        assert figures(result, "North", "2015-05") == (2, 3)  # u1, u2 (A1), u6 (C1)
        assert figures(result, "South", "2015-05") == (0, 1)  # u3
        assert drill(result, "icpc_to_cp_plan", "A1", "2015-05") == [["u1", True],
                                                                     ["u2", False]]  # fmt: skip


def test_measures_do_not_mutate_extracts() -> None:
    cases = [
        (TestCpReviews.extracts, ["cp_plans_18_months", "cp_reviews_in_time",
                                  "cp_repeat_24_months", "cp_ended_2_years"]),
        (TestCpVisits.extracts, ["cp_visits_in_time"]),
        (TestS47ChildSeen.extracts, ["s47_child_seen", "icpc_within_15_wd", "icpc_to_cp_plan"]),
    ]  # fmt: skip
    for extracts, indicators in cases:
        names = ("children", "cp_plans", "cp_reviews", "visits", "s47_enquiries")
        frames = {n: extracts.get(n) for n in names}
        before = {n: f.copy() for n, f in frames.items() if f is not None}
        run(extracts, indicators, ["2015-05", "2015-06"])
        for name, frame in before.items():
            after = extracts.get(name)
            assert after is not None
            pd.testing.assert_frame_equal(after, frame)

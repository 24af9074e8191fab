"""Referral and assessments (refs 1-4): tiny extracts with hand-worked answers."""

from __future__ import annotations

import numpy as np

from tests.measures.builders import COUNTY, build, count, figures, run

CHILDREN = [{"child_id": c, "date_of_birth": "2010-01-01"} for c in ("c1", "c2", "c3", "c4")]


def referral(rid: str, child: str, date: str, team: str = "A1") -> dict:
    return {"referral_id": rid, "child_id": child, "team": team, "referral_date": date}


class TestReReferrals:
    """Ref 1: referrals in the YTD period with another referral in the 12 months before."""

    extracts = build(
        children=CHILDREN,
        referrals=[
            referral("r1", "c1", "2014-05-10"),  # before the period
            referral("r2", "c1", "2015-05-10"),  # exactly 12 months after r1: a re-referral
            referral("r3", "c2", "2014-05-09"),
            referral("r4", "c2", "2015-05-10"),  # 12 months and a day after r3: not
            referral("r5", "c3", "2015-04-01", team="A2"),  # first day of FY 2015/16, first ever
            referral("r6", "c3", "2015-04-01", team="A2"),  # same day: not a previous referral
            referral("r7", "c4", "2016-02-29", team="F"),  # 29 Feb
            referral("r8", "c4", "2017-02-28", team="F"),  # 29 Feb + 12 months = 28 Feb: within
            referral("r9", "c1", "2015-03-31"),  # March: FY 2014/15, within 12 months of r1
        ],
    )

    def test_april_and_may_2015(self) -> None:
        result = run(self.extracts, "re_referrals_12m", ["2015-03", "2015-04", "2015-05"])
        # March 2015 YTD (2014-04-01..2015-03-31): r1, r3, r9; r9 repeats r1 -> 1 of 3
        assert figures(result, COUNTY, "2015-03") == (1, 3)
        # April 2015 YTD: r5, r6 (same day, no earlier referral) -> 0 of 2
        assert figures(result, COUNTY, "2015-04") == (0, 2)
        # May 2015 YTD: r2 (previous r9 on 2015-03-31, within), r4 (none within), r5, r6 -> 1/4
        assert figures(result, COUNTY, "2015-05") == (1, 4)
        assert figures(result, "North", "2015-05") == (1, 2)
        assert figures(result, "South", "2015-05") == (0, 2)
        assert figures(result, "A1", "2015-05") == (1, 2)
        drill = result.drill_down("re_referrals_12m", "A1", "2015-05")
        assert drill[["record_id", "in_numerator"]].values.tolist() == [["r2", True], ["r4", False]]

    def test_exactly_12_months_and_29_february(self) -> None:
        # without r9, r2's previous referral is r1, exactly 12 months before: still a re-referral
        extracts = build(children=CHILDREN, referrals=[
            referral("r1", "c1", "2014-05-10"), referral("r2", "c1", "2015-05-10"),
            referral("r7", "c4", "2016-02-29", team="F"),
            referral("r8", "c4", "2017-02-28", team="F"),
        ])  # fmt: skip
        result = run(extracts, "re_referrals_12m", ["2015-05", "2017-02"])
        assert figures(result, "A1", "2015-05") == (1, 1)
        assert figures(result, "F", "2017-02") == (1, 1)  # 2016-02-29 >= 2017-02-28 - 12 months
        assert figures(result, "A2", "2015-05") == (0, 0)
        value = result.results.set_index(["unit", "month"])["value"]
        assert np.isnan(value[("A2", result.results["month"].iloc[0])])  # 0/0 -> no result


def assessment(
    aid: str,
    child: str,
    start: str,
    authorised: str | None = None,
    team: str = "A1",
    **extra: object,
) -> dict:
    return {
        "assessment_id": aid, "child_id": child, "team": team, "start_date": start,
        "authorised_date": authorised, **extra,
    }  # fmt: skip


class TestAssessmentsWithin45WorkingDays:
    """Ref 2: assessments authorised in the YTD period within 45 working days of their start."""

    extracts = build(
        children=CHILDREN,
        assessments=[
            # Wed 1 Apr 2015 -> Tue 9 Jun 2015: April 2, 7-10, 13-17, 20-24, 27-30 = 19 (Good
            # Friday 3 Apr and Easter Monday 6 Apr excluded); May 1, 5-8, 11-15, 18-22, 26-29 = 19
            # (4 May and 25 May bank holidays); June 1-5, 8, 9 = 7 -> 45: in time
            assessment("a1", "c1", "2015-04-01", "2015-06-09"),
            assessment("a2", "c2", "2015-04-01", "2015-06-10"),  # 46 working days: late
            # Wed 17 Dec 2014 -> Mon 23 Feb 2015: Dec 18, 19, 22, 23, 24, 29, 30, 31 = 8 (25, 26
            # Dec bank holidays); Jan 2, 5-30 = 21 (1 Jan holiday); Feb 2-20 = 15, 23 Feb = 1 -> 45
            assessment("a3", "c3", "2014-12-17", "2015-02-23", team="A2"),  # 45: in time
            assessment("a4", "c4", "2014-12-17", "2015-02-24", team="A2"),  # 46: late
            assessment("a5", "c1", "2015-03-20", "2015-03-31", team="C1"),  # last day of FY 14/15
            assessment("a6", "c2", "2015-03-25", "2015-04-01", team="F"),  # first day of FY 15/16
            assessment("a7", "c3", "2015-05-01"),  # not authorised: never counted
        ],
    )

    def test_45_vs_46_working_days_and_financial_year_boundary(self) -> None:
        result = run(self.extracts, "assessments_within_45_wd", ["2015-03", "2015-04", "2015-06"])
        # March 2015 YTD (FY 2014/15): a3 in time, a4 late, a5 in time -> 2 of 3
        assert figures(result, COUNTY, "2015-03") == (2, 3)
        assert figures(result, "South", "2015-03") == (1, 2)
        assert figures(result, "North", "2015-03") == (1, 1)  # a5 in C1
        # April 2015 YTD: a6 only (authorised 1 April; a5 on 31 March is last year's)
        assert figures(result, COUNTY, "2015-04") == (1, 1)
        assert figures(result, "F", "2015-04") == (1, 1)
        assert figures(result, "North", "2015-04") == (0, 0)
        # June 2015 YTD (April-June): a1 in time, a2 late, a6 in time -> 2 of 3
        assert figures(result, COUNTY, "2015-06") == (2, 3)
        assert figures(result, "A1", "2015-06") == (1, 2)
        drill = result.drill_down("assessments_within_45_wd", "A1", "2015-06")
        assert drill[["record_id", "in_numerator"]].values.tolist() == [["a1", True], ["a2", False]]


class TestAssessmentsOverdue:
    """Ref 3: count of assessments in progress on the snapshot date beyond 45 working days."""

    extracts = build(
        children=CHILDREN,
        assessments=[
            # May 2015 snapshot: Fri 29 May (31 May is a Sunday). Working days in (31 Mar, 29 May]:
            # April 20 (Easter Friday/Monday excluded) + May 19 (4 and 25 May excluded) = 39.
            # From Fri 20 Mar: 23-27, 30, 31 March = 7 -> 46: overdue
            assessment("b1", "c1", "2015-03-20"),
            # From Mon 23 Mar: 24-27, 30, 31 March = 6 -> 45: still within timescale
            assessment("b2", "c2", "2015-03-23"),
            # authorised on the snapshot date: no longer in progress
            assessment("b3", "c3", "2015-03-01", "2015-05-29", team="A2"),
            # authorised Sat 30 May, after the snapshot: in progress on 29 May;
            # from Sun 1 Mar: March 2-31 = 22 -> 61: overdue
            assessment("b4", "c4", "2015-03-01", "2015-05-30", team="A2"),
            assessment("b5", "c1", "2015-06-01", team="F"),  # started after the May snapshot
        ],
    )

    def test_snapshot_counts(self) -> None:
        result = run(self.extracts, "assessments_overdue", ["2015-04", "2015-05", "2015-06"])
        # April 2015 snapshot Thu 30 Apr: b1 27 working days (7 + 20), b2 26, b3 and b4 42: none
        assert count(result, COUNTY, "2015-04") == 0
        # May: b1 (46) and b4 (61); b2 (45) is not overdue and b3 was authorised on the snapshot
        assert count(result, COUNTY, "2015-05") == 2
        assert count(result, "A1", "2015-05") == 1
        assert count(result, "North", "2015-05") == 1
        assert count(result, "South", "2015-05") == 1
        assert count(result, "F", "2015-05") == 0
        # June 2015 snapshot Tue 30 Jun: b1 and b2 overdue, b4 authorised, b5 21 working days
        assert count(result, COUNTY, "2015-06") == 2
        assert count(result, "A1", "2015-06") == 2
        drill = result.drill_down("assessments_overdue", COUNTY, "2015-05")
        assert drill[["record_id", "team", "in_numerator"]].values.tolist() == [
            ["b1", "A1", True], ["b4", "A2", True],
        ]  # fmt: skip


class TestAssessmentsChildSeen:
    """Ref 4: assessments authorised in the YTD period, unborn/missing excluded, child seen."""

    extracts = build(
        children=[
            {"child_id": "k1", "date_of_birth": "2010-01-01"},
            {"child_id": "k2", "expected_date_of_birth": "2015-07-01"},  # unborn
            {"child_id": "k3", "date_of_birth": "2015-05-10"},  # born after the assessment start
            {"child_id": "k4", "date_of_birth": "2015-04-15"},  # born on the assessment start
            {"child_id": "k5", "date_of_birth": "2012-06-30"},
        ],
        assessments=[
            assessment("d1", "k1", "2015-04-01", "2015-05-05", child_seen=True),
            assessment("d2", "k1", "2015-04-01", "2015-05-06", child_seen=False),
            assessment("d3", "k2", "2015-04-01", "2015-05-07", child_seen=True),  # unborn
            assessment("d4", "k3", "2015-04-15", "2015-05-20", team="A2", child_seen=True),
            assessment("d5", "k4", "2015-04-15", "2015-05-20", team="A2"),  # seen blank
            # missing: excluded
            assessment("d6", "k5", "2015-04-01", "2015-05-08", "C1", child_missing=True),
            assessment("d7", "k5", "2015-04-20", "2015-05-12", team="C1", child_seen=True),
            assessment("d8", "k1", "2015-03-02", "2015-03-31", team="F", child_seen=True),
        ],
    )

    def test_exclusions_and_child_seen(self) -> None:
        result = run(self.extracts, "assessments_child_seen", ["2015-03", "2015-05"])
        # May 2015 YTD: d1 seen, d2 not seen, d5 (born on the start date, so not unborn; seen
        # blank = not seen), d7 seen (missing blank = not missing); d3 (unborn), d4 (born after
        # the start) and d6 (missing) excluded; d8 is in FY 2014/15 -> 2 of 4
        assert figures(result, COUNTY, "2015-05") == (2, 4)
        assert figures(result, "A1", "2015-05") == (1, 2)
        assert figures(result, "A2", "2015-05") == (0, 1)
        assert figures(result, "North", "2015-05") == (2, 3)
        assert figures(result, "South", "2015-05") == (0, 1)
        assert figures(result, COUNTY, "2015-03") == (1, 1)  # d8
        drill = result.drill_down("assessments_child_seen", "North", "2015-05")
        assert drill[["record_id", "in_numerator"]].values.tolist() == [
            ["d1", True], ["d2", False], ["d7", True],
        ]  # fmt: skip

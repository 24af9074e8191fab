"""Private fostering (refs 8-10): tiny extracts with hand-worked answers."""

from __future__ import annotations

import dataclasses

import pytest

from scorecard.measures import compute
from scorecard.registry import load_registry
from scorecard.registry.model import Registry
from tests.measures.builders import COUNTY, build, figures, run


def children(*ids: str) -> list[dict]:
    return [{"child_id": c, "date_of_birth": "2010-01-01"} for c in ids]


def arrangement(
    aid: str,
    team: str,
    notified: str,
    visited: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> dict:
    return {
        "arrangement_id": aid, "child_id": f"k{aid}", "team": team, "notification_date": notified,
        "initial_visit_date": visited, "start_date": start, "end_date": end,
    }  # fmt: skip


def pf_visit(vid: str, aid: str, date: str, seen: bool = True) -> dict:
    return {
        "visit_id": vid, "child_id": f"k{aid}", "team": "A1", "visit_type": "PF",
        "visit_date": date, "child_seen": seen, "arrangement_id": aid,
    }  # fmt: skip


def with_parameters(indicator: str, **parameters: object) -> Registry:
    """The bundled registry with ``indicator``'s parameters changed."""
    registry = load_registry()
    changed = tuple(
        dataclasses.replace(i, parameters={**i.parameters, **parameters})
        if i.id == indicator
        else i
        for i in registry.indicators
    )
    return dataclasses.replace(registry, indicators=changed)


class TestInitialVisit:
    """Ref 8: notifications in the YTD period with the initial visit within 7 (working) days."""

    extracts = build(
        children=children(*(f"kn{i}" for i in range(1, 8))),
        pf_arrangements=[
            # Mon 13 Apr -> Wed 22 Apr 2015: 14, 15, 16, 17, 20, 21, 22 = 7 working days: in time
            arrangement("n1", "A1", "2015-04-13", "2015-04-22", "2015-04-10"),
            arrangement("n2", "A1", "2015-04-13", "2015-04-23"),  # 8 working days: late
            # Wed 1 Apr -> Mon 13 Apr 2015: 2, 7, 8, 9, 10, 13 Apr = 6 (Good Friday 3 Apr and
            # Easter Monday 6 Apr are bank holidays): in time (12 calendar days)
            arrangement("n3", "A2", "2015-04-01", "2015-04-13"),
            # Wed 23 Dec 2015 -> Tue 5 Jan 2016: 24, 29, 30, 31 Dec, 4, 5 Jan = 6 (25 Dec, Mon 28
            # Dec substitute Boxing Day and 1 Jan are bank holidays): in time (13 calendar days)
            arrangement("n4", "F", "2015-12-23", "2016-01-05"),
            arrangement("n5", "C1", "2015-05-20"),  # no initial visit: in the denominator only
            arrangement("n6", "C1", "2015-03-31", "2015-04-01"),  # FY 2014/15
            # Thu 28 May -> Mon 8 Jun 2015: 29 May, 1-5 Jun, 8 Jun = 7: in time, although the
            # visit is after the May month end
            arrangement("n7", "A2", "2015-05-28", "2015-06-08"),
        ],
    )

    def test_working_days(self) -> None:
        result = run(
            self.extracts, "pf_initial_visit_7_days", ["2015-03", "2015-04", "2015-05", "2015-12"]
        )
        assert figures(result, COUNTY, "2015-03") == (1, 1)  # n6
        assert figures(result, COUNTY, "2015-04") == (2, 3)  # n1, n3 in time; n2 late
        # May YTD: n1, n3, n7 in time; n2 late, n5 no visit -> 3 of 5
        assert figures(result, COUNTY, "2015-05") == (3, 5)
        assert figures(result, "A1", "2015-05") == (1, 2)
        assert figures(result, "A2", "2015-05") == (2, 2)
        assert figures(result, "North", "2015-05") == (1, 3)  # n1, n2, n5
        assert figures(result, "South", "2015-05") == (2, 2)
        # December YTD adds n4 (over Christmas 2015, 6 working days) -> 4 of 6
        assert figures(result, COUNTY, "2015-12") == (4, 6)
        assert figures(result, "F", "2015-12") == (1, 1)
        drill = result.drill_down("pf_initial_visit_7_days", "North", "2015-05")
        assert drill[["record_id", "in_numerator"]].values.tolist() == [
            ["n1", True], ["n2", False], ["n5", False],
        ]  # fmt: skip

    def test_calendar_days(self) -> None:
        registry = with_parameters("pf_initial_visit_7_days", day_kind="calendar")
        extracts = build(
            children=children("km1", "km2"),
            pf_arrangements=[
                # Mon 4 May 2015 (bank holiday) -> Mon 11 May: 7 calendar days, in time
                arrangement("m1", "A1", "2015-05-04", "2015-05-11"),
                # -> Tue 12 May: 8 calendar days, late (but only 6 working days)
                arrangement("m2", "A1", "2015-05-04", "2015-05-12"),
            ],
        )
        calendar = compute(
            extracts, ["2015-05"], registry, county=COUNTY, indicators=["pf_initial_visit_7_days"]
        )
        assert figures(calendar, COUNTY, "2015-05") == (1, 2)
        working = run(extracts, "pf_initial_visit_7_days", "2015-05")
        assert figures(working, COUNTY, "2015-05") == (2, 2)
        # the Easter example of the main extracts: 12 calendar days, late
        calendar = compute(
            self.extracts, ["2015-04"], registry, county=COUNTY,
            indicators=["pf_initial_visit_7_days"],
        )  # fmt: skip
        assert figures(calendar, "A2", "2015-04") == (0, 1)  # n3

    def test_unknown_day_kind_is_an_error(self) -> None:
        registry = with_parameters("pf_initial_visit_7_days", day_kind="weekdays")
        with pytest.raises(ValueError, match="day_kind"):
            compute(
                self.extracts, ["2015-05"], registry, county=COUNTY,
                indicators=["pf_initial_visit_7_days"],
            )  # fmt: skip


# Visits of refs 9 and 10, worked by hand (a visit is due 42 / 84 days after the previous one;
# the due day itself is in time):
#
# P1 (A1) started 25 Mar 2015, initial visit 1 Apr, ended 17 Sep 2015.
#     1 Apr + 42 = 13 May: visit 13 May, in time (day 42)
#     13 May + 42 = 24 Jun: visit 25 Jun, late (day 43)
#     25 Jun + 42 = 6 Aug: visit 6 Aug, in time
#     6 Aug + 42 = 17 Sep: the arrangement ended that day, so no visit was due
# P2 (A2) started 10 Apr 2014 (second year from 10 Apr 2015), initial visit 10 Apr 2014.
#     first year: 10 Apr 2014 + 42 = 22 May 2014: next visit 1 Mar 2015, late (ref 9, FY 14/15)
#     1 Mar 2015 + 42 = 12 Apr 2015 is in the second year: no ref 9 visit. The next visit,
#     20 Apr 2015, is after the anniversary: ref 10, due 1 Mar + 84 = 24 May 2015: in time
#     20 Apr + 84 = 13 Jul: visit 13 Jul, in time (day 84)
#     13 Jul + 84 = 5 Oct: visit 6 Oct, late (day 85)
#     6 Oct + 84 = 29 Dec 2015: no further visit, still open: overdue, and still due in 2016/17
# P3 (F) started 1 Feb 2015 (second year from 1 Feb 2016), initial visit 2 Feb 2015, no more.
#     ref 9: 2 Feb + 42 = 16 Mar 2015, missed; still due in every later period while in the
#     first year (so in April-December 2015 and January 2016 too)
#     ref 10: the interval reaches the second year; 2 Feb 2015 + 84 = 27 Apr 2015 is before the
#     anniversary, so the visit falls due on 1 Feb 2016, missed; still due in 2016/17
# P4 (C1) proposed, never started: not counted.
# P5 (A1) started 10 Apr 2015, initial visit 2 Apr 2015 (before the start: counts as made on
#     10 Apr), visit 22 May = 10 Apr + 42: in time (from 2 Apr it would have been late);
#     ended 1 Jun 2015, before the next due date (3 Jul)
# P6 (A2) started 1 Apr 2015, initial visit 1 Apr; visit 10 May with the child not seen (does
#     not count); visit 14 May, late (1 Apr + 42 = 13 May); ended 31 May 2015
PF_EXTRACTS = build(
    children=children(*(f"kP{i}" for i in range(1, 7))),
    pf_arrangements=[
        arrangement("P1", "A1", "2015-03-30", "2015-04-01", "2015-03-25", "2015-09-17"),
        arrangement("P2", "A2", "2014-04-10", "2014-04-10", "2014-04-10"),
        arrangement("P3", "F", "2015-02-01", "2015-02-02", "2015-02-01"),
        arrangement("P4", "C1", "2015-04-20", "2015-04-21"),
        arrangement("P5", "A1", "2015-04-01", "2015-04-02", "2015-04-10", "2015-06-01"),
        arrangement("P6", "A2", "2015-04-01", "2015-04-01", "2015-04-01", "2015-05-31"),
    ],
    visits=[
        pf_visit("v11", "P1", "2015-05-13"),
        pf_visit("v12", "P1", "2015-06-25"),
        pf_visit("v13", "P1", "2015-08-06"),
        pf_visit("v21", "P2", "2015-03-01"),
        pf_visit("v22", "P2", "2015-04-20"),
        pf_visit("v23", "P2", "2015-07-13"),
        pf_visit("v24", "P2", "2015-10-06"),
        pf_visit("v51", "P5", "2015-05-22"),
        pf_visit("v61", "P6", "2015-05-10", seen=False),
        pf_visit("v62", "P6", "2015-05-14"),
    ],
)


class TestNewArrangementVisits:
    """Ref 9: first-year arrangements whose visits due in the period were held within 42 days."""

    def test_2014_15_and_2015_16(self) -> None:
        months = ["2015-03", "2015-04", "2015-05", "2015-06", "2016-01", "2016-04"]
        result = run(PF_EXTRACTS, "pf_new_visits_6_weeks", months)
        # March 2015 (FY 14/15): P2 (due 22 May 2014, late) and P3 (due 16 Mar, missed) -> 0 of 2
        assert figures(result, COUNTY, "2015-03") == (0, 2)
        # April 2015: only P3's overdue visit (P1's, P5's, P6's first are due in May) -> 0 of 1
        assert figures(result, COUNTY, "2015-04") == (0, 1)
        # May 2015: P1 (13 May in time), P5 (22 May in time), P6 (13 May, late), P3 -> 2 of 4
        assert figures(result, COUNTY, "2015-05") == (2, 4)
        assert figures(result, "A1", "2015-05") == (2, 2)
        assert figures(result, "South", "2015-05") == (0, 1)
        assert figures(result, "F", "2015-05") == (0, 1)
        # June 2015 YTD: P1 now has a late visit (24 Jun) -> P5 only in time -> 1 of 4
        assert figures(result, COUNTY, "2015-06") == (1, 4)
        assert figures(result, "A1", "2015-06") == (1, 2)
        # January 2016: P3 (still in its first year) still overdue; P1, P5, P6 as in June
        assert figures(result, COUNTY, "2016-01") == (1, 4)
        # April 2016 (FY 16/17): P3 is in its second year, no first-year visit due -> none
        assert figures(result, COUNTY, "2016-04") == (0, 0)
        drill = result.drill_down("pf_new_visits_6_weeks", COUNTY, "2015-06")
        assert drill[["record_id", "in_numerator"]].values.tolist() == [
            ["P1", False], ["P5", True], ["P6", False], ["P3", False],
        ]  # fmt: skip


class TestExistingArrangementVisits:
    """Ref 10: arrangements in their second or later year, visits held within 84 days."""

    def test_2015_16_and_2016_17(self) -> None:
        months = ["2015-04", "2015-05", "2015-07", "2015-10", "2015-12", "2016-02", "2016-04"]
        result = run(PF_EXTRACTS, "pf_existing_visits_in_time", months)
        assert figures(result, COUNTY, "2015-04") == (0, 0)  # P2's first is due 24 May
        assert figures(result, COUNTY, "2015-05") == (1, 1)  # P2: 24 May, in time
        assert figures(result, COUNTY, "2015-07") == (1, 1)  # P2: 13 Jul on day 84, in time
        assert figures(result, COUNTY, "2015-10") == (0, 1)  # P2: 5 Oct, held on day 85
        assert figures(result, "A2", "2015-12") == (0, 1)  # P2: 29 Dec missed
        # February 2016: P3 reached its second year on 1 Feb without a visit since 2 Feb 2015
        assert figures(result, COUNTY, "2016-02") == (0, 2)
        assert figures(result, "F", "2016-02") == (0, 1)
        # April 2016 (FY 16/17): both still overdue from 2015/16, so still due -> 0 of 2
        assert figures(result, COUNTY, "2016-04") == (0, 2)
        assert figures(result, "South", "2016-04") == (0, 1)
        drill = result.drill_down("pf_existing_visits_in_time", COUNTY, "2016-04")
        assert drill[["record_id", "in_numerator"]].values.tolist() == [
            ["P2", False], ["P3", False],
        ]  # fmt: skip


class TestFirstAnniversaryFrom29February:
    """Started 29 Feb 2016: the second year starts on 28 Feb 2017 (29 Feb + 12 months)."""

    extracts = build(
        children=children("kQ1", "kQ2"),
        pf_arrangements=[
            # notified late: the only visit is the initial visit
            arrangement("Q1", "A1", "2017-01-17", "2017-01-17", "2016-02-29"),
            arrangement("Q2", "A1", "2017-01-16", "2017-01-16", "2016-02-29"),
        ],
        visits=[],
    )

    def test_first_year_ends_on_28_february(self) -> None:
        new = run(self.extracts, "pf_new_visits_6_weeks", ["2017-02", "2017-04"])
        # Q1: 17 Jan + 42 = 28 Feb 2017, the anniversary: not a first-year visit.
        # Q2: 16 Jan + 42 = 27 Feb 2017, still in the first year: due and missed.
        assert figures(new, COUNTY, "2017-02") == (0, 1)
        assert new.drill_down("pf_new_visits_6_weeks", "A1", "2017-02")["record_id"].tolist() == [
            "Q2"
        ]
        assert figures(new, COUNTY, "2017-04") == (0, 0)  # second year by 1 April 2017
        existing = run(self.extracts, "pf_existing_visits_in_time", ["2017-02", "2017-04"])
        # second-year due dates: Q1 17 Jan + 84 = 11 Apr, Q2 16 Jan + 84 = 10 Apr 2017
        assert figures(existing, COUNTY, "2017-02") == (0, 0)
        assert figures(existing, COUNTY, "2017-04") == (0, 2)

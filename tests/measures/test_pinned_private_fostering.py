"""Private fostering refs 9 and 10: the exact-day edges of the visit rules, worked by hand.

Each test pins one boundary of ``_arrangements_visited_in_time`` (docs/indicators.md, refs 9 and
10) with an arrangement on the edge and, where it helps, a control one day away. Periods are YTD:
a month's period runs from 1 April of its financial year to the last calendar day of the month.
Day counts: April, June, September, November have 30 days; 2016 is a leap year.
"""

from __future__ import annotations

from tests.measures.builders import COUNTY, build, figures, run
from tests.measures.test_private_fostering import arrangement, children, pf_visit

NEW = "pf_new_visits_6_weeks"  # ref 9: 42 days, first year
EXISTING = "pf_existing_visits_in_time"  # ref 10: 84 days, second and later years


def started(aid: str, start: str, end: str | None = None) -> dict:
    """Notified, visited (initial visit) and started on ``start``, team A1."""
    return arrangement(aid, "A1", start, start, start, end)


def drilled(result, indicator: str, month: str) -> list[list[object]]:
    drill = result.drill_down(indicator, COUNTY, month)
    return drill[["record_id", "in_numerator"]].values.tolist()


class TestNextVisitOnTheAnniversary:
    """Ref 10 counts an interval running across the anniversary only when the next visit is
    AFTER the anniversary; a next visit on the anniversary closes a first-year interval (ref 9's).

    R1 started 1 Apr 2015 (anniversary 1 Apr 2016); visits 1 Apr 2015 (initial), 1 Jan 2016,
    1 Apr 2016 (on the anniversary), 1 Jun 2016.
    * 1 Jan -> 1 Apr 2016: next visit on the anniversary, not after it: not ref 10's. (Were it
      counted: 1 Jan + 84 = 25 Mar 2016 (30 to 31 Jan, 29 to 29 Feb, 25), before the anniversary,
      so it would fall due on 1 Apr 2016 and be late.)
    * 1 Apr -> 1 Jun 2016: due 1 Apr + 84 = 23 Jun 2016 (29 to 30 Apr, 31 to 31 May, 23); held
      1 Jun, in time.
    * 1 Jun 2016 -> none: due 24 Aug 2016, after June: not in the months computed.
    April 2016: nothing falls due -> 0 of 0. June 2016 (1 Apr-30 Jun): the 23 Jun visit -> 1 of 1.
    """

    extracts = build(
        children=children("kR1"),
        pf_arrangements=[started("R1", "2015-04-01")],
        visits=[
            pf_visit("v1", "R1", "2016-01-01"),
            pf_visit("v2", "R1", "2016-04-01"),
            pf_visit("v3", "R1", "2016-06-01"),
        ],
    )

    def test_next_visit_on_the_anniversary_is_not_a_second_year_interval(self) -> None:
        result = run(self.extracts, EXISTING, ["2016-04", "2016-06"])
        assert figures(result, COUNTY, "2016-04") == (0, 0)
        assert figures(result, COUNTY, "2016-06") == (1, 1)


class TestEndOnTheDueDate:
    """Ref 9: no visit is due once the arrangement has ended, "end date on or before the due
    date". Both started 1 Apr 2015 with the initial visit that day and no other visit: due
    1 Apr + 42 = 13 May 2015 (29 to 30 Apr, 13). R2 ended 13 May (on the due date): not due.
    R3 ended 14 May (the day after): due, missed. May 2015 -> 0 of 1, R3 only."""

    extracts = build(
        children=children("kR2", "kR3"),
        pf_arrangements=[started("R2", "2015-04-01", "2015-05-13"),
                         started("R3", "2015-04-01", "2015-05-14")],
        visits=[],
    )  # fmt: skip

    def test_an_arrangement_ending_on_the_due_date_has_no_visit_due(self) -> None:
        result = run(self.extracts, NEW, "2015-05")
        assert figures(result, COUNTY, "2015-05") == (0, 1)
        assert drilled(result, NEW, "2015-05") == [["R3", False]]


class TestDueOnTheLastDayOfThePeriod:
    """Ref 9, a visit falling due on the last day of the period (and of the last month computed).

    Both started 19 Apr 2015 with the initial visit that day: due 19 Apr + 42 = 31 May 2015
    (11 to 30 Apr, 31 to 31 May), a Sunday: the month's last calendar day, not its snapshot
    (29 May). R4 visited 31 May (day 42, in time), R5 1 Jun (day 43, late). Computing May 2015
    alone (period 1 Apr-31 May): both due in May -> 1 of 2. Their next visits fall due in July.
    """

    extracts = build(
        children=children("kR4", "kR5"),
        pf_arrangements=[started("R4", "2015-04-19"), started("R5", "2015-04-19")],
        visits=[pf_visit("v4", "R4", "2015-05-31"), pf_visit("v5", "R5", "2015-06-01")],
    )

    def test_a_visit_due_on_the_last_day_is_due_in_the_period(self) -> None:
        result = run(self.extracts, NEW, "2015-05")
        assert figures(result, COUNTY, "2015-05") == (1, 2)
        assert drilled(result, NEW, "2015-05") == [["R4", True], ["R5", False]]


class TestDueOnTheFirstDayOfThePeriod:
    """Ref 9, a visit falling due on 1 April, the first day of the 2015/16 YTD period.

    R6 started 18 Feb 2015 with the initial visit that day: due 18 Feb + 42 = 1 Apr 2015 (10 to
    28 Feb, 31 to 31 Mar, 1). Visited 1 Apr (day 42): in time. The next falls due 13 May.
    April 2015 (1-30 Apr) -> 1 of 1."""

    extracts = build(
        children=children("kR6"),
        pf_arrangements=[started("R6", "2015-02-18")],
        visits=[pf_visit("v6", "R6", "2015-04-01")],
    )

    def test_a_visit_due_on_the_first_day_is_due_in_the_period(self) -> None:
        result = run(self.extracts, NEW, "2015-04")
        assert figures(result, COUNTY, "2015-04") == (1, 1)


class TestOverdueVisitHeldOnTheFirstDay:
    """Ref 9: an overdue visit is due in a later period "at whose start it had still not been
    held". R7 started 5 Jan 2015, initial visit that day: due 5 Jan + 42 = 16 Feb 2015 (26 to
    31 Jan, 16), missed; held late on 1 Apr 2015, the start of the 2015/16 period: at that start
    it had not been held before it, so it is still due (and late) in April 2015. Its next visit
    falls due 13 May. April 2015 -> 0 of 1."""

    extracts = build(
        children=children("kR7"),
        pf_arrangements=[started("R7", "2015-01-05")],
        visits=[pf_visit("v7", "R7", "2015-04-01")],
    )

    def test_a_late_visit_held_on_the_period_start_is_still_due_then(self) -> None:
        result = run(self.extracts, NEW, "2015-04")
        assert figures(result, COUNTY, "2015-04") == (0, 1)


class TestEndedOnTheFirstDay:
    """Ref 9: an overdue visit stays due in a later period only while the arrangement is open at
    its start. R8 and R9 started 5 Jan 2015, initial visit that day, no other visit: due 16 Feb
    2015, missed (March 2015, FY 2014/15: 0 of 2). R8 ended 1 Apr 2015, the first day of the
    2015/16 period: closed, no longer due. R9 ended 2 Apr: open at the start, still due.
    April 2015 -> 0 of 1, R9 only."""

    extracts = build(
        children=children("kR8", "kR9"),
        pf_arrangements=[started("R8", "2015-01-05", "2015-04-01"),
                         started("R9", "2015-01-05", "2015-04-02")],
        visits=[],
    )  # fmt: skip

    def test_an_arrangement_ended_on_the_period_start_is_not_still_due(self) -> None:
        result = run(self.extracts, NEW, ["2015-03", "2015-04"])
        assert figures(result, COUNTY, "2015-03") == (0, 2)
        assert figures(result, COUNTY, "2015-04") == (0, 1)
        assert drilled(result, NEW, "2015-04") == [["R9", False]]


class TestAnniversaryOnTheFirstDay:
    """Ref 9: an overdue first-year visit stays due in a later period only while the arrangement
    is still in its first year at the period's start. Both have only the initial visit on their
    start date. R10 started 1 Apr 2014: due 13 May 2014, missed; anniversary 1 Apr 2015, the
    start of the 2015/16 period, so in its second year there: not due. R11 started 2 Apr 2014:
    anniversary 2 Apr 2015, still in its first year on 1 Apr: due. April 2015 -> 0 of 1, R11."""

    extracts = build(
        children=children("kR10", "kR11"),
        pf_arrangements=[started("R10", "2014-04-01"), started("R11", "2014-04-02")],
        visits=[],
    )

    def test_an_arrangement_reaching_its_anniversary_on_the_period_start(self) -> None:
        result = run(self.extracts, NEW, "2015-04")
        assert figures(result, COUNTY, "2015-04") == (0, 1)
        assert drilled(result, NEW, "2015-04") == [["R11", False]]

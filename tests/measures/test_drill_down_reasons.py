"""What a drill-down shows (issue 14, item 3): per measure, the dates and quantities its rule used
and the reason each record is in or out, on tiny extracts worked by hand; and the rows built for a
drill-down sum to the same figures as those of the computation, for every indicator on the bundled
data.

Dates: May 2015 has bank holidays on Monday 4 and Monday 25 May; its snapshot date is Friday 29 May
(the last working day). Year-to-date periods start on 1 April 2015.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pytest

from scorecard.extracts import Extracts
from scorecard.measures import Computation
from scorecard.measures.base import (
    RECORD_COLUMNS,
    MeasureInput,
    NotComputable,
    Shown,
    explained,
    registered_measures,
)
from scorecard.registry.model import Registry
from tests.measures.builders import COUNTY, build, run

T = pd.Timestamp


def shown(result: Computation, indicator: str, unit: str, month: str, columns: list[str]) -> list:
    """The drill-down's ``record_id, in_numerator``, then ``columns``, then ``reason``; missing
    values as None."""
    rows = result.drill_down(indicator, unit, month)
    picked = rows[["record_id", "in_numerator", *columns, "reason"]].astype(object)
    return picked.where(picked.notna(), None).values.tolist()


# --- the helper ----------------------------------------------------------------------------------


def test_explained_calls_why_only_for_a_drill_down() -> None:
    from scorecard.registry import load_registry

    indicator = load_registry()["re_referrals_12m"]
    events = pd.DataFrame(
        {"referral_id": ["r1", "r2"], "team": ["A1", "A1"], "child_id": ["c1", "c2"],
         "referral_date": [T("2015-04-10"), T("2015-03-10")], "_in": [True, False]}
    )  # fmt: skip
    months = pd.period_range("2015-05", "2015-05", freq="M")
    calls: list[int] = []

    def why(frame: pd.DataFrame) -> Shown:
        calls.append(len(frame))
        return Shown(pd.Series(["a", "b"], index=frame.index), {"on": "referral_date"})

    plain = explained(MeasureInput(Extracts(), months, indicator), events, why,
                      record_id="referral_id", numerator="_in", date="referral_date")  # fmt: skip
    assert calls == [] and list(plain.columns) == RECORD_COLUMNS
    detail = explained(MeasureInput(Extracts(), months, indicator, detail=True), events, why,
                       record_id="referral_id", numerator="_in", date="referral_date")  # fmt: skip
    # r2 (March) is outside May's year to date (from 1 April): one row, r1's reason and date
    assert calls == [2]
    assert detail[["record_id", "numerator", "reason", "on"]].values.tolist() == [
        ["r1", 1.0, "a", T("2015-04-10")]
    ]
    # a column as the denominator is carried through the period like the numerator
    weighted = explained(MeasureInput(Extracts(), months, indicator), events.assign(_w=[0.5, 2.0]),
                         why, record_id="referral_id", numerator="_in", denominator="_w",
                         date="referral_date")  # fmt: skip
    assert weighted[["record_id", "denominator"]].values.tolist() == [["r1", 0.5]]
    for numerator, denominator in [(events["_in"], 1.0), ("_in", events["_in"])]:
        with pytest.raises(TypeError, match="numerator and denominator must be columns"):
            explained(MeasureInput(Extracts(), months, indicator), events, why,
                      record_id="referral_id", numerator=numerator, denominator=denominator,
                      date="referral_date")  # fmt: skip


# --- refs 3 and 4: assessments -------------------------------------------------------------------


def test_assessments_overdue_show_start_snapshot_and_working_days() -> None:
    from tests.measures.test_referrals import TestAssessmentsOverdue

    indicator = "assessments_overdue"
    # by hand (TestAssessmentsOverdue), snapshot Fri 29 May 2015: b1 from Fri 20 Mar, 46 working
    # days; b4 from Sun 1 Mar, 61 (both overdue; every row of this count is in its numerator)
    why = "in progress more than 45 working days after the start"
    may = T("2015-05-29")
    assert shown(run(TestAssessmentsOverdue.extracts, indicator, "2015-05"), indicator, COUNTY,
                 "2015-05", ["start_date", "snapshot_date", "working_days"]) == [
        ["b1", True, T("2015-03-20"), may, 46, why],
        ["b4", True, T("2015-03-01"), may, 61, why],
    ]  # fmt: skip


def test_assessments_child_seen_shows_the_dates_and_the_flag() -> None:
    from tests.measures.test_referrals import TestAssessmentsChildSeen

    indicator = "assessments_child_seen"
    # by hand (TestAssessmentsChildSeen): in A1 d1 seen, d2 not; in A2 d5's flag is blank (counts
    # as not seen)
    result = run(TestAssessmentsChildSeen.extracts, indicator, "2015-05")
    columns = ["start_date", "authorised_date", "child_seen"]
    assert shown(result, indicator, "A1", "2015-05", columns) == [
        ["d1", True, T("2015-04-01"), T("2015-05-05"), True,
         "the child was seen during the assessment"],
        ["d2", False, T("2015-04-01"), T("2015-05-06"), False,
         "the child was not seen during the assessment"],
    ]  # fmt: skip
    assert shown(result, indicator, "A2", "2015-05", columns) == [
        ["d5", False, T("2015-04-15"), T("2015-05-20"), None,
         "not recorded whether the child was seen (counts as not seen)"],
    ]  # fmt: skip


# --- refs 5 and 7: open cases ------------------------------------------------------------------


def test_cin_with_plan_shows_the_referral_and_its_assessment() -> None:
    from tests.measures.test_children_in_need import TestCinWithPlan

    indicator = "cin_with_plan"
    # by hand (TestCinWithPlan), snapshot Fri 29 May 2015, team A1: c1 (referral 1 Mar,
    # assessed 10 Apr, CIN plan from 15 Apr), c2 (assessed on the snapshot date, no plan), c8
    # (referral 1 Apr, unlinked assessment authorised 20 Apr, plan ended on the snapshot date)
    may = T("2015-05-29")
    columns = ["referral_date", "assessment_authorised", "snapshot_date"]
    yes, no = "a CIN plan open on the snapshot date", "no CIN plan open on the snapshot date"
    assert shown(run(TestCinWithPlan.extracts, indicator, "2015-05"), indicator, "A1", "2015-05",
                 columns) == [
        ["r1", True, T("2015-03-01"), T("2015-04-10"), may, yes],
        ["r2", False, T("2015-03-01"), may, may, no],
        ["r8", False, T("2015-04-01"), T("2015-04-20"), may, no],
    ]  # fmt: skip


def test_unallocated_cases_show_the_referral_and_the_snapshot() -> None:
    from tests.measures import test_children_in_need as cin

    extracts = build(children=[{"child_id": f"c{i}", "date_of_birth": "2010-01-01"}
                               for i in range(1, 11)],
                     referrals=cin.REF7_REFERRALS, allocations=cin.REF7_ALLOCATIONS)  # fmt: skip
    indicator = "unallocated_cases"
    # by hand (TestUnallocatedCases): in A2 on Fri 29 May 2015, r3 and r4 (from 1 Mar) and r9b
    # (from 1 Apr) have no social worker allocated; every row of this count is in it
    why = "open, with no social worker allocated on the snapshot date"
    may = T("2015-05-29")
    assert shown(run(extracts, indicator, "2015-05"), indicator, "A2", "2015-05",
                 ["referral_date", "snapshot_date"]) == [
        ["r3", True, T("2015-03-01"), may, why],
        ["r4", True, T("2015-03-01"), may, why],
        ["r9b", True, T("2015-04-01"), may, why],
    ]  # fmt: skip


# --- ref 6: children in need seen in the last 28 days ---------------------------------------------


def test_cin_seen_shows_plan_start_last_seen_and_days() -> None:
    def visit(vid: str, child: str, date: str, seen: bool = True) -> dict:
        return {"visit_id": vid, "child_id": child, "team": "A1", "visit_type": "CIN",
                "visit_date": date, "child_seen": seen}  # fmt: skip

    extracts = build(
        children=[{"child_id": c, "date_of_birth": "2010-01-01"} for c in ("c1", "c2", "c3", "c4")],
        cin_plans=[
            {"cin_plan_id": f"p{i}", "child_id": f"c{i}", "team": "A1", "start_date": "2015-04-01"}
            for i in range(1, 5)
        ],
        visits=[
            visit("v1", "c1", "2015-05-02"),  # 27 days before Fri 29 May: in the window
            visit("v2", "c2", "2015-05-01"),  # 28 days before: outside it
            visit("v4a", "c4", "2015-04-01"),  # seen, 58 days before (30 days of April + 28)
            visit("v4b", "c4", "2015-05-20", seen=False),  # not seen: does not count
            visit("v4c", "c4", "2015-06-01"),  # after the snapshot: not by then
        ],  # c3: never seen
    )
    indicator = "cin_seen_28_days"
    window = "28 days to the snapshot date"
    may, april = T("2015-05-29"), T("2015-04-01")
    assert shown(run(extracts, indicator, "2015-05"), indicator, "A1", "2015-05",
                 ["plan_start", "snapshot_date", "last_seen", "days_since_seen"]) == [
        ["p1", True, april, may, T("2015-05-02"), 27, f"seen on a CIN visit in the {window}"],
        ["p2", False, april, may, T("2015-05-01"), 28,
         "last seen on a CIN visit 28 or more days before the snapshot date"],
        ["p3", False, april, may, None, None, "not seen on a CIN visit by the snapshot date"],
        ["p4", False, april, may, april, 58,
         "last seen on a CIN visit 28 or more days before the snapshot date"],
    ]  # fmt: skip


# --- ref 8: initial private fostering visit -----------------------------------------------------


def test_pf_initial_visit_shows_notification_visit_and_working_days() -> None:
    extracts = build(
        children=[{"child_id": c, "date_of_birth": "2010-01-01"} for c in ("k1", "k2", "k3")],
        pf_arrangements=[
            {"arrangement_id": a, "child_id": c, "team": "A1", "notification_date": n,
             "initial_visit_date": v}
            for a, c, n, v in [("n1", "k1", "2015-05-11", "2015-05-20"),
                               ("n2", "k2", "2015-05-11", "2015-05-21"),
                               ("n3", "k3", "2015-05-12", None)]
        ],
    )  # fmt: skip
    indicator = "pf_initial_visit_7_days"
    # by hand: working days after Mon 11 May: 12, 13, 14, 15, 18, 19, 20 -> Wed 20 May is the 7th
    # (in time), Thu 21 May the 8th (late); n3 has no visit
    assert shown(run(extracts, indicator, "2015-05"), indicator, "A1", "2015-05",
                 ["notification_date", "initial_visit_date", "working_days"]) == [
        ["n1", True, T("2015-05-11"), T("2015-05-20"), 7,
         "visited within 7 working days of the notification"],
        ["n2", False, T("2015-05-11"), T("2015-05-21"), 8,
         "visited more than 7 working days after the notification"],
        ["n3", False, T("2015-05-12"), None, None, "no initial visit recorded"],
    ]  # fmt: skip


# --- ref 14: repeat child protection plans ------------------------------------------------------


def test_cp_repeat_shows_start_window_and_earlier_end() -> None:
    def plan(pid: str, child: str, start: str, end: str | None = None) -> dict:
        return {"cp_plan_id": pid, "child_id": child, "team": "A1", "start_date": start,
                "end_date": end}  # fmt: skip

    extracts = build(
        children=[{"child_id": c, "date_of_birth": "2005-01-01"} for c in ("c1", "c2", "c3")],
        cp_plans=[
            plan("old1", "c1", "2012-01-01", "2013-05-10"),
            plan("new1", "c1", "2015-05-10"),  # old1 ended exactly 24 months before: in
            plan("old2", "c2", "2012-01-01", "2013-05-09"),
            plan("new2", "c2", "2015-05-10"),  # old2 ended 24 months and a day before: out
            plan("new3", "c3", "2015-04-20"),  # c3's first plan: out
        ],
    )
    indicator = "cp_repeat_24_months"
    # by hand, May 2015 year to date: the plans starting from 1 April are new1-new3; the window
    # starts 24 calendar months before the start (10 May 2013 for new1 and new2)
    assert shown(run(extracts, indicator, "2015-05"), indicator, "A1", "2015-05",
                 ["start_date", "window_start", "earlier_plan_end"]) == [
        ["new1", True, T("2015-05-10"), T("2013-05-10"), T("2013-05-10"),
         "an earlier plan of the child ended within 24 months before the start"],
        ["new2", False, T("2015-05-10"), T("2013-05-10"), T("2013-05-09"),
         "the child's earlier plan ended over 24 months before the start"],
        ["new3", False, T("2015-04-20"), T("2013-04-20"), None,
         "no earlier plan of the child ended by the start"],
    ]  # fmt: skip


# --- refs 9 and 10: private fostering visits -----------------------------------------------------


def test_pf_visits_show_the_visits_due_and_the_first_late_one() -> None:
    from tests.measures.test_private_fostering import PF_EXTRACTS

    # by hand (the worked visits above PF_EXTRACTS), ref 9 in June 2015 (from 1 April): P1's
    # visits due 13 May (held) and 24 Jun (held a day late); P5's due 22 May (held); P6's due
    # 13 May (held 14 May); P3's due 16 Mar 2015, never held, still due in the period
    indicator = "pf_new_visits_6_weeks"
    result = run(PF_EXTRACTS, [indicator, "pf_existing_visits_in_time"], ["2015-06", "2015-10"])
    columns = ["start_date", "visits_due", "first_late_visit_due"]
    late = "a visit due in the period was not held within {} days"
    assert shown(result, indicator, COUNTY, "2015-06", columns) == [
        ["P1", False, T("2015-03-25"), 2, T("2015-06-24"), late.format(42)],
        ["P5", True, T("2015-04-10"), 1, None,
         "every visit due in the period was held within 42 days"],
        ["P6", False, T("2015-04-01"), 1, T("2015-05-13"), late.format(42)],
        ["P3", False, T("2015-02-01"), 1, T("2015-03-16"), late.format(42)],
    ]  # fmt: skip
    # ref 10 in October 2015: P2's second-year visits due 24 May and 13 Jul (held) and 5 Oct
    # (held on the 6th)
    assert shown(result, "pf_existing_visits_in_time", COUNTY, "2015-10", columns) == [
        ["P2", False, T("2014-04-10"), 3, T("2015-10-05"), late.format(84)],
    ]


# --- ref 12: CP visits in time ------------------------------------------------------------------


def test_cp_visits_show_what_the_clock_ran_from_and_the_working_days() -> None:
    from tests.measures.test_child_protection import TestCpVisits

    indicator = "cp_visits_in_time"
    # by hand (tests/measures/test_child_protection.py, TestCpVisits): c1's plan from 20 Mar 2015;
    # v0 (10 Mar) predates it, so v1 is timed from the plan start (9 working days); then each
    # from the previous visit: v2 10 (in), v3 and v3b 11 (late, same day), v4 10, v5 6
    prev = "held within 10 working days of the previous CP visit"
    late = "held more than 10 working days after the previous CP visit"
    start = T("2015-03-20")
    assert shown(run(TestCpVisits.extracts, indicator, "2015-05"), indicator, "A1", "2015-05",
                 ["visit_date", "plan_start", "previous_visit", "working_days"]) == [
        ["v1", True, T("2015-04-02"), start, None, 9,
         "the plan's first visit, held within 10 working days of its start"],
        ["v2", True, T("2015-04-20"), start, T("2015-04-02"), 10, prev],
        ["v3", False, T("2015-05-06"), start, T("2015-04-20"), 11, late],
        ["v3b", False, T("2015-05-06"), start, T("2015-04-20"), 11, late],
        ["v4", True, T("2015-05-20"), start, T("2015-05-06"), 10, prev],
        ["v5", True, T("2015-05-29"), start, T("2015-05-20"), 6, prev],
    ]  # fmt: skip
    # a first visit 11 working days after Fri 1 May 2015: 5-8 May (4; Monday 4th a bank
    # holiday), 11-15 (9), 18 (10), 19 (11)
    extracts = build(
        children=[{"child_id": "c1", "date_of_birth": "2010-01-01"}],
        cp_plans=[{"cp_plan_id": "p1", "child_id": "c1", "team": "A1", "start_date": "2015-05-01"}],
        visits=[{"visit_id": "v1", "child_id": "c1", "team": "A1", "visit_type": "CP",
                 "visit_date": "2015-05-19", "child_seen": True}],
    )  # fmt: skip
    assert shown(run(extracts, indicator, "2015-05"), indicator, "A1", "2015-05",
                 ["previous_visit", "working_days"]) == [
        ["v1", False, None, 11,
         "the plan's first visit, held more than 10 working days after its start"],
    ]  # fmt: skip


# --- ref 13: CP reviews in time ----------------------------------------------------------------


def test_cp_reviews_show_last_review_next_due_and_why() -> None:
    from tests.measures.test_child_protection import TestCpReviews

    indicator = "cp_reviews_in_time"
    # by hand (tests/measures/test_child_protection.py, TestCpReviews), snapshot Fri 29 May 2015:
    # q1 (from 28 Feb) reviewed on its due date 28 May, next due 6 months later on 28 Nov; q2
    # (from 27 Feb) reviewed a day after its due date 27 May; q4 (from 20 Feb) not reviewed,
    # first review due 20 May; q5 and q6 (from 29 May 2014) last reviewed 28 Feb and 1 Mar 2015
    # (q6's due 28 Feb: late); q7 (from 1 Sep 2014) last reviewed 20 Nov 2014, next due 20 May
    result = run(TestCpReviews.extracts, indicator, "2015-05")
    columns = ["plan_start", "snapshot_date", "last_review", "next_review_due"]
    may = T("2015-05-29")
    on_time = "every review due by the snapshot date was held in time"
    late = "a review was held after its due date"
    missed = "the next review was due by the snapshot date and not held"
    assert shown(result, indicator, "A1", "2015-05", columns) == [
        ["q1", True, T("2015-02-28"), may, T("2015-05-28"), T("2015-11-28"), on_time],
        ["q2", False, T("2015-02-27"), may, T("2015-05-28"), T("2015-11-28"), late],
    ]
    assert shown(result, indicator, "C1", "2015-05", columns) == [
        ["q4", False, T("2015-02-20"), may, None, T("2015-05-20"), missed],
    ]
    assert shown(result, indicator, "A2", "2015-05", columns) == [
        ["q5", True, T("2014-05-29"), may, T("2015-02-28"), T("2015-08-28"), on_time],
        ["q6", False, T("2014-05-29"), may, T("2015-03-01"), T("2015-09-01"), late],
    ]
    assert shown(result, indicator, "F", "2015-05", columns) == [
        ["q7", False, T("2014-09-01"), may, T("2014-11-20"), T("2015-05-20"), missed],
    ]


def test_cp_repeat_without_any_ended_plan() -> None:
    # no plan has ended: nothing to compare with (the reference tests found the drill-down
    # failing on this when the earlier ends were looked up with a map)
    extracts = build(
        children=[{"child_id": "c1", "date_of_birth": "2005-01-01"}],
        cp_plans=[{"cp_plan_id": "p1", "child_id": "c1", "team": "A1", "start_date": "2015-05-01"}],
    )
    indicator = "cp_repeat_24_months"
    assert shown(run(extracts, indicator, "2015-05"), indicator, "A1", "2015-05",
                 ["earlier_plan_end"]) == [
        ["p1", False, None, "no earlier plan of the child ended by the start"],
    ]  # fmt: skip


# --- refs 20-23: children in care ---------------------------------------------------------------


def test_same_placement_shows_the_placement_starts_and_the_boundary() -> None:
    from tests.measures.test_children_in_care import TestSamePlacement

    indicator = "cic_same_placement_2y"
    result = run(TestSamePlacement.extracts, indicator, "2015-05")
    # by hand (TestSamePlacement): snapshot Fri 29 May 2015, so placed by 29 May 2013 for 24
    # months. C1: d1 placed since 29 Nov 2012 and d3 since 29 May 2013 (in), d4 since 30 May
    # 2013 (out). A2: d5 and d6 placed for adoption on 1 Sep 2014; the placement before started
    # 1 May 2013 (in) and 1 Jun 2013 (out)
    by = T("2013-05-29")
    same = "in the same placement for 24 months or more"
    short = "the current placement started less than 24 months before the snapshot date"
    assert shown(result, indicator, "C1", "2015-05", ["placement_start", "placed_by"]) == [
        ["d1", True, T("2012-11-29"), by, same],
        ["d3", True, T("2013-05-29"), by, same],
        ["d4", False, T("2013-05-30"), by, short],
    ]
    columns = ["placement_start", "placement_type", "previous_placement_start", "placed_by"]
    assert shown(result, indicator, "A2", "2015-05", columns) == [
        ["d5", True, T("2014-09-01"), "A3", T("2013-05-01"), by,
         ("placed for adoption, the placement before it started 24 months or more before the "
         "snapshot date")],
        ["d6", False, T("2014-09-01"), "A4", T("2013-06-01"), by, short],
    ]  # fmt: skip


def test_in_house_foster_shows_placement_type_and_provider() -> None:
    from tests.measures.test_children_in_care import TestInHouseFoster

    indicator = "cic_in_house_foster"
    # by hand (TestInHouseFoster): f1 U1 (relatives or friends, whatever the provider), f2 U4
    # with PR1 (own carers), f3 U4 PR4, f4 U5 PR2, f5 U6 provider not recorded
    other = "placed with other foster carers, or the provider is not recorded"
    assert shown(run(TestInHouseFoster.extracts, indicator, "2015-05"), indicator, "C1",
                 "2015-05", ["placement_type", "placement_provider"]) == [
        ["f1", True, "U1", "PR4", "placed with relatives or friends (U1-U3)"],
        ["f2", True, "U4", "PR1", "placed with the council's own foster carers (PR1)"],
        ["f3", False, "U4", "PR4", other],
        ["f4", False, "U5", "PR2", other],
        ["f5", False, "U6", None, other],
    ]  # fmt: skip


def test_within_20_miles_shows_the_distance() -> None:
    from tests.measures.test_children_in_care import TestWithin20Miles

    indicator = "cic_within_20_miles"
    # by hand (TestWithin20Miles): g1 exactly 20 miles (in), g2 20.1 (out), g5 5 (in)
    assert shown(run(TestWithin20Miles.extracts, indicator, "2015-05"), indicator, "C1",
                 "2015-05", ["distance_miles"]) == [
        ["g1", True, 20.0, "placed within 20 miles of home"],
        ["g2", False, 20.1, "placed more than 20 miles from home"],
        ["g5", True, 5.0, "placed within 20 miles of home"],
    ]  # fmt: skip


def test_review_participation_shows_the_review_birth_date_and_code() -> None:
    from tests.measures.test_children_in_care import TestReviewParticipation

    indicator = "cic_review_participation"
    # by hand (TestReviewParticipation): C1 in May 2015 (from 1 April) has v2 (k2, PN7) and v4
    # (k1 on the 4th birthday, PN3); v3 (aged 3) and v5 (PN0) are left out
    assert shown(run(TestReviewParticipation.extracts, indicator, "2015-05"), indicator, "C1",
                 "2015-05", ["review_date", "date_of_birth", "participation"]) == [
        ["v2", False, T("2015-04-01"), T("2005-01-01"), "PN7", "the child did not participate"],
        ["v4", True, T("2015-04-15"), T("2011-04-15"), "PN3", "the child participated (PN1-PN6)"],
    ]  # fmt: skip


# --- ref 24: CIC reviews in time ---------------------------------------------------------------


def test_cic_reviews_show_period_of_care_reviews_held_and_next_due() -> None:
    from tests.measures.test_children_in_care import TestReviewsInTime

    indicator = "cic_reviews_in_time"
    # by hand (tests/measures/test_children_in_care.py, TestReviewsInTime), snapshot Fri 29 May
    # 2015: h1 reviewed on its 20th working day (1 May), so the second is due 3 months later on
    # 1 Aug; h2 reviewed on the 21st (5 May: late); h3 not reviewed, first due 1 May; h8 back in
    # care from 1 April, reviewed 10 April, next due 10 July. Team F: h7's fourth review was due
    # 6 months after 3 Nov 2014 and not held; h9's second review (15 Apr) was 3 months after the
    # first, the third is due 6 months later on 15 Oct.
    result = run(TestReviewsInTime.extracts, indicator, "2015-05")
    columns = ["care_period_start", "reviews_held", "last_review", "next_review_due"]
    on_time = "every review due by the snapshot date was held in time"
    late = "a review was held after its due date"
    missed = "the next review was due by the snapshot date and not held"
    april = T("2015-04-01")
    assert shown(result, indicator, "C1", "2015-05", columns) == [
        ["h1", True, april, 1, T("2015-05-01"), T("2015-08-01"), on_time],
        ["h2", False, april, 1, T("2015-05-05"), T("2015-08-05"), late],
        ["h3", False, april, 0, None, T("2015-05-01"), missed],
        ["h8", True, april, 1, T("2015-04-10"), T("2015-07-10"), on_time],
    ]
    assert shown(result, indicator, "F", "2015-05", columns) == [
        ["h7", False, T("2014-01-06"), 3, T("2014-11-03"), T("2015-05-03"), missed],
        ["h9", True, T("2014-12-15"), 2, T("2015-04-15"), T("2015-10-15"), on_time],
    ]
    assert shown(result, indicator, "A2", "2015-05", columns) == [
        ["h5", True, T("2014-01-06"), 4, T("2015-05-03"), T("2015-11-03"), on_time],
        ["h6", False, T("2014-01-06"), 4, T("2015-05-04"), T("2015-11-04"), late],
    ]


# --- refs 11 and 15: how long CP plans lasted -----------------------------------------------------


def test_cp_plans_18_months_show_start_snapshot_and_the_day_18_months_on() -> None:
    from tests.measures.test_child_protection import TestPlans18Months

    indicator = "cp_plans_18_months"
    # by hand (TestPlans18Months): snapshot Fri 29 May 2015; p1 from 29 Nov 2013 reaches 18
    # months on 29 May 2015 (in), p2 from 30 Nov 2013 only on 30 May (out)
    may = T("2015-05-29")
    assert shown(run(TestPlans18Months.extracts, indicator, "2015-05"), indicator, "A1", "2015-05",
                 ["start_date", "snapshot_date", "reaches_18_months"]) == [
        ["p1", True, T("2013-11-29"), may, may,
         "started 18 months or more before the snapshot date"],
        ["p2", False, T("2013-11-30"), may, T("2015-05-30"),
         "started less than 18 months before the snapshot date"],
    ]  # fmt: skip


def test_cp_ended_2_years_show_start_end_and_the_day_24_months_on() -> None:
    from tests.measures.test_child_protection import TestEndedTwoYears

    indicator = "cp_ended_2_years"
    # by hand (TestEndedTwoYears): m1 from 10 May 2013 ended on 10 May 2015, the day it reached
    # 24 months (in); m2 from 11 May 2013 ended a day before reaching them (out)
    end = T("2015-05-10")
    assert shown(run(TestEndedTwoYears.extracts, indicator, "2015-05"), indicator, "A1", "2015-05",
                 ["start_date", "end_date", "reaches_24_months"]) == [
        ["m1", True, T("2013-05-10"), end, end, "had lasted 24 months or more when it ended"],
        ["m2", False, T("2013-05-11"), end, T("2015-05-11"), "ended before lasting 24 months"],
    ]  # fmt: skip


# --- refs 16-18: section 47 enquiries and initial conferences ----------------------------------


def test_s47_child_seen_shows_birth_dates_and_the_flag() -> None:
    from tests.measures.test_child_protection import TestS47ChildSeen

    indicator = "s47_child_seen"
    result = run(TestS47ChildSeen.extracts, indicator, "2015-05")
    columns = ["date_of_birth", "start_date", "completed_date", "child_seen"]
    start, done, born = T("2015-04-20"), T("2015-05-05"), T("2010-01-01")
    # by hand (TestS47ChildSeen): s1 seen, s2 not seen; s3 blank (not recorded, counts as not
    # seen); s6's child was born on the enquiry's start day (counted), seen
    assert shown(result, indicator, "A1", "2015-05", columns) == [
        ["s1", True, born, start, done, True, "the child was seen during the enquiry"],
        ["s2", False, born, start, done, False, "the child was not seen during the enquiry"],
    ]
    assert shown(result, indicator, "A2", "2015-05", columns) == [
        ["s3", False, born, start, done, None,
         "not recorded whether the child was seen (counts as not seen)"],
        ["s6", True, start, start, done, True, "the child was seen during the enquiry"],
    ]  # fmt: skip


def test_icpc_within_15_wd_shows_start_conference_and_working_days() -> None:
    from tests.measures.test_child_protection import TestIcpcWithin15WorkingDays

    indicator = "icpc_within_15_wd"
    # by hand (TestIcpcWithin15WorkingDays): from Mon 20 Apr 2015, 12 May is the 15th working
    # day (4 May a bank holiday) and 13 May the 16th
    start = T("2015-04-20")
    assert shown(run(TestIcpcWithin15WorkingDays.extracts, indicator, "2015-05"), indicator, "A1",
                 "2015-05", ["start_date", "icpc_date", "working_days"]) == [
        ["t1", True, start, T("2015-05-12"), 15,
         "held within 15 working days of the enquiry's start"],
        ["t2", False, start, T("2015-05-13"), 16,
         "held more than 15 working days after the enquiry's start"],
    ]  # fmt: skip


def test_icpc_to_cp_plan_shows_the_outcome() -> None:
    from tests.measures.test_child_protection import TestIcpcToPlan

    indicator = "icpc_to_cp_plan"
    result = run(TestIcpcToPlan.extracts, indicator, "2015-05")
    # by hand (TestIcpcToPlan): u1 led to a plan, u2 did not, u3's outcome is blank
    assert shown(result, indicator, "A1", "2015-05", ["icpc_date", "outcome_cp_plan"]) == [
        ["u1", True, T("2015-05-05"), True, "the conference led to a CP plan"],
        ["u2", False, T("2015-05-06"), False, "the conference did not lead to a CP plan"],
    ]
    assert shown(result, indicator, "A2", "2015-05", ["icpc_date", "outcome_cp_plan"]) == [
        ["u3", False, T("2015-04-01"), None, "no outcome recorded (counts as no plan)"],
    ]


# --- refs 25-27: health checks and the same worker ----------------------------------------------


def test_dental_checks_show_the_first_day_and_the_last_check() -> None:
    from tests.measures.test_children_in_care import TestDentalChecks

    indicator = "cic_dental_checks"
    # by hand (TestDentalChecks), snapshot Fri 29 May 2015, checks from 29 May 2014: k1's check
    # on that day counts; k3's last dental check (28 May 2014) is a day too early; k5's check on
    # 30 May 2015 is after the snapshot, so k5 has none by then
    result = run(TestDentalChecks.extracts, indicator, "2015-05")
    columns = ["snapshot_date", "checks_from", "last_check"]
    may, since = T("2015-05-29"), T("2014-05-29")
    within, none = (
        "a dental check in the 12 months to the snapshot date",
        ("no dental check in the 12 months to the snapshot date"),
    )
    assert shown(result, indicator, "C1", "2015-05", columns) == [
        ["k1", True, may, since, since, within],
        ["k3", False, may, since, T("2014-05-28"), none],
    ]
    assert shown(result, indicator, "A2", "2015-05", columns) == [
        ["k4", True, may, since, may, within],
        ["k5", False, may, since, None, none],
    ]


def test_health_assessments_show_the_months_by_age() -> None:
    from tests.measures.test_children_in_care import TestHealthAssessments

    indicator = "cic_health_assessments"
    # by hand (TestHealthAssessments), snapshot 29 May 2015: m1 and m2 are under 5 (6 months,
    # from 29 Nov 2014): m1 assessed that day, m2 a day earlier; m3 is 5 that day (12 months,
    # from 29 May 2014): assessed 28 Nov 2014; m4 (5 or over) last assessed 28 May 2014
    result = run(TestHealthAssessments.extracts, indicator, "2015-05")
    text = "health assessment in the {} months to the snapshot date ({})"
    nov, year = T("2014-11-29"), T("2014-05-29")
    assert shown(result, indicator, "C1", "2015-05", ["checks_from", "last_check"]) == [
        ["m1", True, nov, nov, "a " + text.format(6, "under 5")],
        ["m2", False, nov, T("2014-11-28"), "no " + text.format(6, "under 5")],
        ["m3", True, year, T("2014-11-28"), "a " + text.format(12, "5 or over")],
    ]
    assert shown(result, indicator, "A2", "2015-05", ["checks_from", "last_check"]) == [
        ["m4", False, year, T("2014-05-28"), "no " + text.format(12, "5 or over")],
    ]


def test_same_worker_shows_the_window_and_the_current_spell() -> None:
    from tests.measures import test_children_in_care as cic

    extracts = build(children=cic.WORKER_CHILDREN, cic_episodes=cic.WORKER_EPISODES,
                     allocations=cic.WORKER_ALLOCATIONS, workforce=cic.WORKER_WORKFORCE)  # fmt: skip
    indicator = "cic_same_worker_12m"
    # by hand (TestSameWorker): the 12 months from 29 May 2014; w1's worker since that day (in),
    # w3's since a day later (out), w4's since 1 Jan 2014 in two allocations without a gap (in);
    # w5's current allocation from 2 Sep 2014 (gap on 1 Sep: out), w6's ends on the snapshot and
    # w7's is a team manager's (no current social worker: out)
    result = run(extracts, indicator, "2015-05")
    columns = ["window_start", "same_worker_since"]
    one, other = (
        "one social worker throughout the 12 months to the snapshot",
        ("no one social worker throughout the 12 months to the snapshot"),
    )
    since = T("2014-05-29")
    assert shown(result, indicator, "C1", "2015-05", columns) == [
        ["w1", True, since, since, one],
        ["w3", False, since, T("2014-05-30"), other],
        ["w4", True, since, T("2014-01-01"), one],
    ]
    assert shown(result, indicator, "A2", "2015-05", columns) == [
        ["w5", False, since, T("2014-09-02"), other],
        ["w6", False, since, None, other],
        ["w7", False, since, None, other],
    ]


# --- refs 28-31: adoption ---------------------------------------------------------------------


def test_adoption_plan_shows_the_decision_and_the_second_review() -> None:
    from tests.measures.test_adoption import TestPlanByTheSecondReview

    indicator = "adoption_plan_by_2nd_review"
    # by hand (TestPlanByTheSecondReview), May 2015: ad2 decided 20 Apr 2015 after c2's second
    # review (18 Dec 2014); ad6b decided 20 May after c6's (15 Apr); ad3's period of care from
    # 5 Jan 2015 has one review so far, so the decision came first
    result = run(TestPlanByTheSecondReview.extracts, indicator, "2015-05")
    columns = ["decision_date", "care_start", "second_review"]
    after = "decided after the second review of the period of care"
    assert shown(result, indicator, "North", "2015-05", columns) == [
        ["ad2", False, T("2015-04-20"), T("2014-09-01"), T("2014-12-18"), after],
        ["ad6b", False, T("2015-05-20"), T("2015-01-12"), T("2015-04-15"), after],
    ]
    assert shown(result, indicator, "South", "2015-05", columns) == [
        ["ad3", True, T("2015-04-01"), T("2015-01-05"), None,
         "no second review of the period of care recorded: the decision came first"],
    ]  # fmt: skip
    # April: ad6a decided 10 Apr, before c6's second review
    april = run(TestPlanByTheSecondReview.extracts, indicator, "2015-04")
    assert shown(april, indicator, "C1", "2015-04", columns) == [
        ["ad6a", True, T("2015-04-10"), T("2015-01-12"), T("2015-04-15"),
         "decided on or before the second review of the period of care"],
    ]  # fmt: skip


def test_adoption_days_show_the_dates_the_days_ran_between() -> None:
    from tests.measures.test_adoption import (
        TestDaysFromCareToPlacedForAdoption,
        TestDaysFromPlacementOrderToMatch,
    )

    indicator = "adoption_la_to_placed_days"
    # by hand (TestDaysFromCareToPlacedForAdoption): ad1 469 days from 3 Jun 2013 to the
    # placement on 15 Sep 2014; ad2 56 days to moving in with the foster carer (3 Mar 2014, before
    # the placement on 1 Dec 2014); ad6 moved in before care began (0 days); in March, ad3 has no
    # placement date: its A4 episode from 2 Mar 2015 is used (335 days)
    result = run(TestDaysFromCareToPlacedForAdoption.extracts, indicator, ["2015-03", "2015-05"])
    columns = ["care_start", "placed_date", "moved_in_date", "days"]
    moved = "days from the start of care to moving in with the foster carer who adopted (before "
    moved += "the placement)"
    placed = "days from the start of care to the placement for adoption"
    assert shown(result, indicator, "A1", "2015-05", columns) == [
        ["ad1", True, T("2013-06-03"), T("2014-09-15"), None, 469, placed],
        ["ad4", True, T("2014-02-03"), T("2015-02-02"), None, 364, placed],
    ]
    assert shown(result, indicator, "A2", "2015-05", columns) == [
        ["ad2", True, T("2014-01-06"), T("2014-12-01"), T("2014-03-03"), 56, moved],
        ["ad6", False, T("2014-01-06"), T("2014-10-01"), T("2013-12-01"), 0, moved],
    ]
    assert shown(result, indicator, "F", "2015-03", columns) == [
        ["ad3", True, T("2014-04-01"), T("2015-03-02"), None, 335,
         ("days from the start of care to the first placed-for-adoption episode (no placement "
         "date recorded)")],
    ]  # fmt: skip

    indicator = "adoption_order_to_match_days"
    # by hand (TestDaysFromPlacementOrderToMatch): ad1 121 days from the order to the match; ad2
    # matched a month before its order (0 days)
    result = run(TestDaysFromPlacementOrderToMatch.extracts, indicator, "2015-05")
    assert shown(result, indicator, COUNTY, "2015-05",
                 ["placement_order_date", "match_date", "days"]) == [
        ["ad1", True, T("2014-10-01"), T("2015-01-30"), 121,
         "days from the placement order to the match"],
        ["ad2", False, T("2014-09-01"), T("2014-08-01"), 0,
         "matched before the placement order: 0 days"],
    ]  # fmt: skip


def test_ceased_adopted_shows_the_period_of_care_and_the_reason_ceased() -> None:
    from tests.measures.test_adoption import TestLeavingCareAdopted

    indicator = "cic_ceased_adopted"
    # by hand (TestLeavingCareAdopted), May 2015 in North: p1's care (from 1 May 2013) ended
    # 14 Apr 2015 with E12; p2's ended 30 Apr with E4A; p3's second period ended 29 May with E11
    result = run(TestLeavingCareAdopted.extracts, indicator, "2015-05")
    adopted = "ceased to be looked after by adoption (E11, E12)"
    assert shown(result, indicator, "North", "2015-05",
                 ["care_start", "care_end", "reason_ceased"]) == [
        ["p1b", True, T("2013-05-01"), T("2015-04-14"), "E12", adopted],
        ["p2a", False, T("2014-01-01"), T("2015-04-30"), "E4A",
         "ceased to be looked after for another reason"],
        ["p3b", True, T("2015-05-01"), T("2015-05-29"), "E11", adopted],
    ]  # fmt: skip


# --- refs 32-34: care leavers -------------------------------------------------------------------


def test_care_leavers_show_birthday_window_and_contact() -> None:
    from tests.measures.test_care_leavers import EET, EXTRACTS, IN_TOUCH, SUITABLE

    # by hand (tests/measures/test_care_leavers.py): team C1 in May 2015 has y1/20 (k1 of 10 Feb:
    # in touch, suitable, F3), y10/19 (k10b of 20 Dec: in touch, not suitable, G4) and y2/20 (no
    # contact from 10 Feb to 10 Jun); the window is 3 months before to 1 month after the birthday
    window = "from 3 months before to 1 month after the birthday"
    y1 = [T("2015-05-10"), T("2015-02-10"), T("2015-06-10"), T("2015-02-10")]
    y10 = [T("2014-12-01"), T("2014-09-01"), T("2015-01-01"), T("2014-12-20")]
    y2 = [T("2015-05-10"), T("2015-02-10"), T("2015-06-10"), None]
    columns = ["birthday", "window_start", "window_end", "contact_date"]
    result = run(EXTRACTS, [IN_TOUCH, SUITABLE, EET], "2015-05")
    assert shown(result, IN_TOUCH, "C1", "2015-05", [*columns, "in_touch"]) == [
        ["y1/20", True, *y1, "YES", f"the contact {window} records the authority in touch"],
        ["y10/19", True, *y10, "YES", f"the contact {window} records the authority in touch"],
        ["y2/20", False, *y2, None, f"no contact {window} (by the month end)"],
    ]
    assert shown(result, SUITABLE, "C1", "2015-05", [*columns, "accommodation_suitable"]) == [
        ["y1/20", True, *y1, True, f"the contact {window} records suitable accommodation"],
        ["y10/19", False, *y10, False, f"the contact {window} does not show this"],
        ["y2/20", False, *y2, None, f"no contact {window} (by the month end)"],
    ]
    eet = f"the contact {window} records education, employment or training"
    assert shown(result, EET, "C1", "2015-05", [*columns, "activity"]) == [
        ["y1/20", True, *y1, "F3", eet],
        ["y10/19", False, *y10, "G4", f"the contact {window} does not show this"],
        ["y2/20", False, *y2, None, f"no contact {window} (by the month end)"],
    ]


# --- refs 35-39: audits and ratings -------------------------------------------------------------


def test_audits_completed_show_due_completed_and_month_end() -> None:
    from tests.measures.test_quality import TestAuditsCompleted

    indicator = "audits_completed"
    # by hand (TestAuditsCompleted): in April 2015 q3 was due 30 April and completed 1 May,
    # after the month end; in May it counts. q4 (due 31 May) was never completed
    result = run(TestAuditsCompleted.extracts, indicator, ["2015-04", "2015-05"])
    columns = ["due_date", "completed_date", "month_end"]
    assert shown(result, indicator, "A2", "2015-04", columns) == [
        ["q3", False, T("2015-04-30"), T("2015-05-01"), T("2015-04-30"),
         "completed after the end of the month"],
    ]  # fmt: skip
    assert shown(result, indicator, "A2", "2015-05", columns) == [
        ["q3", True, T("2015-04-30"), T("2015-05-01"), T("2015-05-31"),
         "completed by the end of the month"],
    ]  # fmt: skip
    assert shown(result, indicator, "F", "2015-05", columns) == [
        ["q4", False, T("2015-05-31"), None, T("2015-05-31"), "not completed"],
    ]


def test_audit_ratings_show_the_date_and_the_rating() -> None:
    from tests.measures.test_quality import TestAuditRatings

    # by hand (CASE_FILE_AUDITS), South in May 2015: k3 rated inadequate on 15 April and k4
    # requires improvement on 29 May
    result = run(TestAuditRatings.extracts, ["audits_good_outstanding", "audits_inadequate"],
                 "2015-05")  # fmt: skip
    columns = ["completed_date", "rating"]
    good = "good or outstanding"
    assert shown(result, "audits_good_outstanding", "South", "2015-05", columns) == [
        ["k3", False, T("2015-04-15"), "inadequate", f"not rated {good}"],
        ["k4", False, T("2015-05-29"), "requires_improvement", f"not rated {good}"],
    ]
    assert shown(result, "audits_inadequate", "South", "2015-05", columns) == [
        ["k3", True, T("2015-04-15"), "inadequate", "rated inadequate"],
        ["k4", False, T("2015-05-29"), "requires_improvement", "not rated inadequate"],
    ]
    assert shown(result, "audits_good_outstanding", "A1", "2015-05", columns) == [
        ["k2", True, T("2015-04-01"), "outstanding", f"rated {good}"],
    ]


# --- refs 40-41: posts ----------------------------------------------------------------------------


def test_posts_show_contract_qualification_and_fte() -> None:
    from tests.measures.test_staffing import TestPosts

    # by hand (POSTS), caseholding posts on Fri 29 May 2015: A1 p1 permanent QSW (1.0 FTE), p2
    # agency (0.5), p3 vacant (1.0); A2 p4 permanent, not qualified (0.8), p5 agency from the
    # snapshot day (1.0); C1 p7 fixed term, p10 permanent with no qualification recorded
    result = run(TestPosts.extracts, ["posts_permanent_qsw", "posts_agency"], "2015-05")
    columns = ["contract", "qualified_social_worker", "fte"]
    other = "filled by a worker on another contract"
    assert shown(result, "posts_permanent_qsw", "A1", "2015-05", columns) == [
        ["p1", True, "permanent", True, 1.0, "filled by a permanent qualified social worker"],
        ["p2", False, "agency", True, 0.5, other],
        ["p3", False, "vacant", None, 1.0, "vacant"],
    ]
    unqualified = "filled by a permanent worker not recorded as a qualified social worker"
    assert shown(result, "posts_permanent_qsw", "A2", "2015-05", columns) == [
        ["p4", False, "permanent", False, 0.8, unqualified],
        ["p5", False, "agency", True, 1.0, other],
    ]
    assert shown(result, "posts_permanent_qsw", "C1", "2015-05", columns) == [
        ["p10", False, "permanent", None, 1.0, unqualified],
        ["p7", False, "fixed_term", True, 1.0, other],
    ]
    assert shown(result, "posts_agency", "A1", "2015-05", ["contract", "fte"]) == [
        ["p1", False, "permanent", 1.0, other],
        ["p2", True, "agency", 0.5, "filled by agency staff"],
        ["p3", False, "vacant", 1.0, "vacant"],
    ]


# --- refs 42-44: caseloads ------------------------------------------------------------------------


def test_caseloads_show_children_allocated_and_fte() -> None:
    from tests.measures.test_staffing import TestCaseloads

    # by hand (TestCaseloads), Fri 29 May 2015, team A2 (an assessment team): w10 (0.6 FTE) has no
    # child allocated; w11 holds 0.4 FTE in A1 and 0.6 in A2, counted once in A2 (the larger
    # post) with 1.0 FTE and one child (c15)
    result = run(TestCaseloads.extracts, ["caseload_ait_fst"], "2015-05")
    columns = ["snapshot_date", "children_allocated", "fte"]
    may29 = T("2015-05-29")
    assert shown(result, "caseload_ait_fst", "A2", "2015-05", columns) == [
        ["w10", False, may29, 0.0, 0.6,
         "no child allocated on the snapshot date: the worker's FTE counts, no child"],
        ["w11", True, may29, 1.0, 1.0,
         "children allocated on the snapshot date, over the worker's FTE"],
    ]  # fmt: skip


# --- the 2011 improvement plan's measures ---------------------------------------------------------


def _run_2011(extracts: Extracts, indicator: str, month: str) -> Computation:
    from scorecard.measures import compute
    from tests.measures.registry_2011 import registry_2011

    return compute(extracts, [month], registry_2011(), county="Shire", indicators=[indicator])


def test_unallocated_over_28_days_shows_since_when_and_how_long() -> None:
    from tests.measures.test_measures_2011 import TestUnallocatedOver28Days

    indicator = "unallocated_over_28_days"
    # by hand (TestUnallocatedOver28Days), snapshot Fri 29 May 2015, team A2: r2 referred 30
    # April, never allocated: 29 days; r4's allocation ended 30 April: 29 days
    result = _run_2011(TestUnallocatedOver28Days.extracts, indicator, "2015-05")
    why = "no allocated worker for more than 28 days"
    apr30 = T("2015-04-30")
    assert shown(result, indicator, "A2", "2015-05",
                 ["referral_date", "last_allocation_end", "waiting_since", "days_waiting"]) == [
        ["r2", True, apr30, None, apr30, 29, why],
        ["r4", True, T("2015-01-01"), apr30, apr30, 29, why],
    ]  # fmt: skip


def test_referrals_to_assessment_show_the_assessment_start() -> None:
    from tests.measures.test_measures_2011 import TestReferralsToAssessment

    indicator = "referrals_to_initial_assessment"
    # by hand (TestReferralsToAssessment), April 2015 in A1: r1's assessment a1 started on 30
    # April (the month end); r3's unlinked a3 on its date; r4's only assessment (19 April) came
    # before it. In A2, r2's assessment started 1 May, after April
    result = _run_2011(TestReferralsToAssessment.extracts, indicator, "2015-04")
    columns = ["referral_date", "assessment_start", "month_end"]
    started = "an assessment of the referral started by the end of the month"
    end = T("2015-04-30")
    assert shown(result, indicator, "A1", "2015-04", columns) == [
        ["r1", True, T("2015-04-10"), end, end, started],
        ["r3", True, T("2015-04-20"), T("2015-04-20"), end, started],
        ["r4", False, T("2015-04-20"), None, end,
         "no assessment of the referral started on or after its date"],
    ]  # fmt: skip
    assert shown(result, indicator, "A2", "2015-04", columns) == [
        ["r2", False, T("2015-04-15"), T("2015-05-01"), end,
         "the assessment of the referral started after the month"],
    ]  # fmt: skip


def test_typed_assessments_keep_the_drill_down() -> None:
    from tests.measures.test_measures_2011 import TestTypedAssessments

    # by hand (TestTypedAssessments): initial assessments a1 (10 working days from Mon 30 Mar
    # 2015 to 15 Apr, Easter excluded) and a2 (11)
    indicator = "initial_assessments_10_wd"
    result = _run_2011(TestTypedAssessments.extracts, indicator, "2015-06")
    assert shown(result, indicator, "A1", "2015-06", ["start_date", "working_days"]) == [
        ["a1", True, T("2015-03-30"), 10, "authorised within 10 working days of the start"],
        ["a2", False, T("2015-03-30"), 11,
         "authorised more than 10 working days after the start"],
    ]  # fmt: skip


# --- the detail changes no figure ---------------------------------------------------------------


@lru_cache(maxsize=1)
def _bundled() -> Extracts:
    from scorecard.bundled import bundled_extracts
    from scorecard.extracts import load_extracts

    return load_extracts(bundled_extracts())


def _same_figures(extracts: Extracts, registry: Registry, months: pd.PeriodIndex) -> list[str]:
    """Check that each computable indicator's drill-down rows are its computation's rows plus
    columns, with a reason on every row where it gives reasons; the ids of those compared."""
    measures, compared = registered_measures(), []
    for indicator in registry:
        found = measures.get(indicator.measure_id)
        if indicator.supplied is not None or found is None:
            continue
        if any(extracts.get(name) is None for name in found.needs):
            continue
        try:
            plain = found.function(MeasureInput(extracts, months, indicator))
        except NotComputable:
            continue
        detail = found.function(MeasureInput(extracts, months, indicator, detail=True))
        assert list(plain.columns) == RECORD_COLUMNS, indicator.id  # nothing more computing
        pd.testing.assert_frame_equal(detail[RECORD_COLUMNS], plain, obj=indicator.id)
        if "reason" in detail.columns:
            assert detail["reason"].notna().all(), indicator.id
        compared.append(indicator.id)
    return compared


def test_the_detail_changes_no_figure_on_the_bundled_data() -> None:
    """Every indicator's rows built for a drill-down are the computation's rows plus columns, on
    the bundled county for May 2015 (the detail path must never change a figure), for the
    bundled registry and the 2011 improvement plan's."""
    from scorecard.registry import load_registry
    from tests.measures.registry_2011 import registry_2011

    months = pd.period_range("2015-05", "2015-05", freq="M")
    compared = _same_figures(_bundled(), load_registry(), months)
    # the bundled data has every extract the bundled registry reads: all 44 are compared
    assert len(compared) == 44
    assert "unallocated_over_28_days" in _same_figures(_bundled(), registry_2011(), months)


def test_rates_per_10000_show_the_counted_records_and_the_population() -> None:
    from tests.measures.test_population import TestReferralRate

    # by hand (TestReferralRate): May 2015's rolling 12 months (1 June 2014 to 31 May 2015) hold
    # A1's r1 (1 June 2014); FY 2015/16 takes A1's mid-2015 estimate of ages 0-17 (5,000)
    result = _run_2011(TestReferralRate.extracts, "referral_rate_per_10000", "2015-05")
    columns = ["referral_date", "population_year", "population"]
    assert shown(result, "referral_rate_per_10000", "A1", "2015-05", columns) == [
        ["population A1 mid-2015", False, None, 2015.0, 5000.0,
         ("the denominator: children aged 0-17 in the unit's population (the mid-year estimate "
          "of the year the financial year starts in, or the latest before it)")],
        ["r1", True, T("2014-06-01"), None, None, "a referral dated in the period"],
    ]  # fmt: skip

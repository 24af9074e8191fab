"""The engine against plain reference implementations, refs 1-7, 11-18 and 35-39 (issue 11).

For each measure, Hypothesis draws small valid extracts (``strategies_cases``) and two or three
reporting months; the engine's team and county figures must equal the sums of the plain version
(``plain_cases``), written from the counting rule in ``docs/indicators.md`` with loops and plain
dates, and its record-level rows (the drill-down) the plain version's rows. The hand-worked examples further down show that each plain version gives the figure worked
out by hand, so that agreeing with it means something.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from scorecard.extracts import Extracts
from tests.measures.builders import COUNTY, ORGANISATION, build, run
from tests.reference.plain_cases import PLAIN
from tests.reference.strategies_cases import FOCUS, case_extracts

MEASURES = sorted(PLAIN)
#: Examples per measure (20 measures x 20 examples: about 35 s of CPU time for the file).
EXAMPLES = 20


def expected(indicator: str, rows: pd.DataFrame, months: list[str]) -> dict[tuple, tuple]:
    """(month, unit) -> (numerator, denominator) from the plain version's record ``rows``: every
    team of the organisation (0 where it has no record) and the county (the sum of the teams)."""
    is_count = PLAIN[indicator][2]
    out = {}
    for month in months:
        period = pd.Period(month, freq="M")
        total_n = total_d = 0.0
        for team in ORGANISATION["team"]:
            mine = rows[(rows["month"] == period) & (rows["team"] == team)]
            n = float(mine["numerator"].sum())
            d = math.nan if is_count else float(mine["denominator"].sum())
            out[(period, team)] = (n, d)
            total_n += n
            total_d += 0.0 if is_count else d
        out[(period, COUNTY)] = (total_n, math.nan if is_count else total_d)
    return out


def record_set(rows: pd.DataFrame) -> list[tuple]:
    """Record-level rows as sorted (month, team, record_id, numerator, denominator) tuples (a
    missing denominator as None)."""
    return sorted(
        (str(month), str(team), str(record), float(n), None if pd.isna(d) else float(d))
        for month, team, record, n, d in zip(
            rows["month"], rows["team"], rows["record_id"], rows["numerator"],
            rows["denominator"], strict=True,
        )
    )  # fmt: skip


def engine(
    indicator: str, extracts: Extracts, months: list[str]
) -> tuple[dict[tuple, tuple], pd.DataFrame]:
    """(month, unit) -> (numerator, denominator) of the engine, for the teams and the county, and
    its record-level rows."""
    computation = run(extracts, indicator, months)
    results = computation.results
    results = results[results["level"].isin(["team", "county"])]
    figures = {
        (row.month, row.unit): (float(row.numerator), float(row.denominator))
        for row in results.itertuples()
    }
    return figures, computation.records[indicator]


def same(a: tuple, b: tuple) -> bool:
    return all((math.isnan(x) and math.isnan(y)) or x == y for x, y in zip(a, b, strict=True))


def assert_agree(indicator: str, extracts: Extracts, months: list[str]) -> None:
    """Same team and county figures, and the same record-level rows (which record counts in which
    team and month, with what)."""
    plain_rows = PLAIN[indicator][0](extracts, months)
    want = expected(indicator, plain_rows, months)
    got, rows = engine(indicator, extracts, months)
    assert set(want) == set(got)
    differ = {key: (got[key], want[key]) for key in want if not same(got[key], want[key])}
    assert not differ, f"{indicator}: (engine, plain) differ at {differ}"
    assert record_set(rows) == record_set(plain_rows), f"{indicator}: record-level rows differ"


@pytest.mark.parametrize("indicator", MEASURES)
def test_engine_agrees_with_plain(indicator: str) -> None:
    needs = PLAIN[indicator][1]

    @settings(max_examples=EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
    @given(case=case_extracts(needs, FOCUS.get(indicator)))
    def check(case: tuple[Extracts, list[str]]) -> None:
        assert_agree(indicator, *case)

    check()


# --------------------------------------------------------------------------------------------------
# Hand-worked examples: the plain versions give the figures worked out by hand (and so does the
# engine). Calendar facts used: Good Friday 3 Apr 2015, Easter Monday 6 Apr 2015, May Day 4 May
# 2015, Spring bank holiday 25 May 2015; the snapshot (last working day) of May 2015 is Fri 29 May,
# of December 2015 Thu 31 Dec, of February 2016 Mon 29 Feb.
# --------------------------------------------------------------------------------------------------

OLD = "2010-01-01"


def kids(*ids: str, born: str | None = OLD) -> list[dict]:
    return [{"child_id": c, "date_of_birth": born} for c in ids]


def ref(rid: str, child: str, date: str, team: str = "A1", closed: str | None = None) -> dict:
    return {"referral_id": rid, "child_id": child, "team": team, "referral_date": date,
            "closure_date": closed}  # fmt: skip


def plan(pid: str, child: str, start: str, end: str | None = None, team: str = "A1",
         id_column: str = "cp_plan_id") -> dict:  # fmt: skip
    return {id_column: pid, "child_id": child, "team": team, "start_date": start, "end_date": end}


def audit(aid: str, kind: str, due: str | None, done: str | None, rating: str | None) -> dict:
    return {"audit_id": aid, "audit_type": kind, "team": "A1", "due_date": due,
            "completed_date": done, "rating": rating}  # fmt: skip


AUDITS = [
    audit("q1", "case_file", None, "2015-04-01", "good"),
    audit("q2", "case_file", None, "2015-05-31", "outstanding"),
    audit("q3", "case_file", None, "2015-05-01", "requires_improvement"),
    audit("q4", "case_file", None, "2015-04-30", "inadequate"),
    audit("q5", "case_file", None, "2015-05-02", None),  # not rated: left out
    audit("q6", "case_file", None, "2015-03-31", "good"),  # FY 2014/15: left out
    audit("q7", "cp_report", None, "2015-05-01", "good"),
    audit("q8", "cp_report", None, "2015-04-01", "inadequate"),
    audit("q9", "cp_report", None, "2015-04-02", None),
    audit("q10", "care_plan", None, "2015-05-31", "outstanding"),
    audit("q11", "care_plan", None, "2015-04-30", "requires_improvement"),
    audit("q12", "care_plan", None, "2015-06-01", "good"),  # after May
]

NAN = math.nan

#: (indicator, extracts, month, {unit: (numerator, denominator)}), each worked out in its comment.
HAND = [
    # Ref 1, Feb 2016 (YTD 1 Apr 2015 - 29 Feb 2016). c1: r2 on 29 Feb 2016, 12 months back is
    # 28 Feb 2015 = r1's date: a re-referral. c2: r4 on 25 Dec 2015, 12 months back is 25 Dec 2014,
    # r3 (24 Dec 2014) is a day too early. c3: r5 and r6 on the same day are not each other's
    # previous referral. r1 and r3 are before the period. A1: 1 of 1; A2: 0 of 3.
    ("re_referrals_12m", build(children=kids("c1", "c2", "c3"), referrals=[
        ref("r1", "c1", "2015-02-28"), ref("r2", "c1", "2016-02-29"),
        ref("r3", "c2", "2014-12-24", "A2"), ref("r4", "c2", "2015-12-25", "A2"),
        ref("r5", "c3", "2015-06-01", "A2"), ref("r6", "c3", "2015-06-01", "A2"),
    ]), "2016-02", {"A1": (1, 1), "A2": (0, 3), COUNTY: (1, 4)}),
    # Ref 2, May 2015 (YTD 1 Apr - 31 May 2015). Working days after Mon 2 Mar 2015: 21 in March,
    # 20 in April (3 and 6 April are bank holidays), then 1 May (42), 5, 6, 7 May (45; 4 May is a
    # bank holiday). a1 authorised 7 May: 45, in time; a2 on 8 May: 46, late; a3 authorised
    # 31 Mar: FY 2014/15, left out; a4 not authorised. A1: 1 of 2.
    ("assessments_within_45_wd", build(children=kids("c1"), assessments=[
        {"assessment_id": "a1", "child_id": "c1", "team": "A1", "start_date": "2015-03-02",
         "authorised_date": "2015-05-07"},
        {"assessment_id": "a2", "child_id": "c1", "team": "A1", "start_date": "2015-03-02",
         "authorised_date": "2015-05-08"},
        {"assessment_id": "a3", "child_id": "c1", "team": "A1", "start_date": "2015-03-02",
         "authorised_date": "2015-03-31"},
        {"assessment_id": "a4", "child_id": "c1", "team": "A1", "start_date": "2015-03-02"},
    ]), "2015-05", {"A1": (1, 2), COUNTY: (1, 2)}),
    # Ref 3, snapshot Fri 29 May 2015. From Mon 2 Mar: 45 working days to 7 May (as above), then
    # 8 May (46), 11-15, 18-22, 26-29 May (25 May a bank holiday): 60. So a1 (2 Mar, open): 60,
    # overdue; a2 (2 Mar) authorised on the snapshot day: no longer in progress; from Mon 23 Mar
    # (15 working days after 2 Mar): 45, within; from Fri 20 Mar (14 after 2 Mar): 46, overdue
    # (a5, in A2); a3 from 1 May: 18. A1: 1; A2: 1.
    ("assessments_overdue", build(children=kids("c1"), assessments=[
        {"assessment_id": "a1", "child_id": "c1", "team": "A1", "start_date": "2015-03-02"},
        {"assessment_id": "a2", "child_id": "c1", "team": "A1", "start_date": "2015-03-02",
         "authorised_date": "2015-05-29"},
        {"assessment_id": "a3", "child_id": "c1", "team": "A1", "start_date": "2015-05-01"},
        {"assessment_id": "a4", "child_id": "c1", "team": "A1", "start_date": "2015-03-23"},
        {"assessment_id": "a5", "child_id": "c1", "team": "A2", "start_date": "2015-03-20"},
    ]), "2015-05", {"A1": (1, NAN), "A2": (1, NAN), COUNTY: (2, NAN)}),
    # Ref 4, May 2015. c1 born 2010: a1 seen (numerator), a2 seen blank (denominator only), a3
    # child missing (left out). c2 born 10 Apr 2015: a4 started 1 Apr (unborn then: left out), a5
    # started on the birthday (counts), seen. c3 unborn (no date of birth): a6 left out. 2 of 3.
    ("assessments_child_seen", build(
        children=[*kids("c1"), {"child_id": "c2", "date_of_birth": "2015-04-10"},
                  {"child_id": "c3", "date_of_birth": None, "expected_date_of_birth": "2015-09-01"}],
        assessments=[
            {"assessment_id": aid, "child_id": child, "team": "A1", "start_date": start,
             "authorised_date": "2015-05-15", "child_seen": seen, "child_missing": missing}
            for aid, child, start, seen, missing in [
                ("a1", "c1", "2015-04-01", True, None), ("a2", "c1", "2015-04-01", None, False),
                ("a3", "c1", "2015-04-01", True, True), ("a4", "c2", "2015-04-01", True, None),
                ("a5", "c2", "2015-04-10", True, None), ("a6", "c3", "2015-04-01", True, None),
            ]
        ]), "2015-05", {"A1": (2, 3), COUNTY: (2, 3)}),
    # Ref 5, snapshot 29 May 2015. c1: open referral, its assessment authorised on the snapshot
    # day, a CIN plan open: numerator (A1). c2: assessment with no referral id, the child's,
    # started on the referral date: assessed; no plan (A2). c3: authorised after the snapshot: out.
    # c4: on a CP plan: out. c5: looked after (C2): out. c6: only a short break (V3): stays in, no
    # plan (A2). c7: two open referrals, both assessed by one unlinked assessment: counted once,
    # under the later r8 (A2), with a plan. A1: 1 of 1; A2: 1 of 3.
    ("cin_with_plan", build(
        children=kids("c1", "c2", "c3", "c4", "c5", "c6", "c7"),
        referrals=[ref("r1", "c1", "2015-01-05"), ref("r2", "c2", "2015-02-02", "A2"),
                   ref("r3", "c3", "2015-01-05"), ref("r4", "c4", "2015-01-05"),
                   ref("r5", "c5", "2015-01-05"), ref("r6", "c6", "2015-01-05", "A2"),
                   ref("r7", "c7", "2014-06-01"), ref("r8", "c7", "2015-03-01", "A2")],
        assessments=[
            {"assessment_id": aid, "child_id": child, "team": "A1", "referral_id": rid,
             "start_date": start, "authorised_date": done}
            for aid, child, rid, start, done in [
                ("a1", "c1", "r1", "2015-01-05", "2015-05-29"),
                ("a2", "c2", None, "2015-02-02", "2015-03-01"),
                ("a3", "c3", "r3", "2015-01-05", "2015-06-01"),
                ("a4", "c4", "r4", "2015-01-05", "2015-02-01"),
                ("a5", "c5", "r5", "2015-01-05", "2015-02-01"),
                ("a6", "c6", "r6", "2015-01-05", "2015-02-01"),
                ("a7", "c7", None, "2015-03-05", "2015-04-01"),
            ]
        ],
        cin_plans=[plan("n1", "c1", "2015-05-01", id_column="cin_plan_id"),
                   plan("n7", "c7", "2015-04-01", id_column="cin_plan_id")],
        cp_plans=[plan("p4", "c4", "2015-02-01")],
        cic_episodes=[
            {"episode_id": eid, "child_id": child, "team": "C1", "start_date": "2015-02-01",
             "reason_new_episode": "S", "legal_status": status, "placement_type": "U1"}
            for eid, child, status in [("e5", "c5", "C2"), ("e6", "c6", "V3")]
        ],
    ), "2015-05", {"A1": (1, 1), "A2": (1, 3), COUNTY: (2, 4)}),
    # Ref 6, snapshot Mon 29 Feb 2016; 28 days before is 1 Feb. c1: plan from 1 Feb (exactly 28
    # days: in), seen on a CIN visit 2 Feb (27 days before: inside): numerator (A1). c2: plan from
    # 2 Feb: too recent, out. c3: seen on 1 Feb only (exactly 28 days before: outside) (A2). c4: a
    # CIN visit with the child not seen and a CP visit: not seen (A2). c5: two open plans, counted
    # once under the later-starting (A2), seen on the snapshot day. A1: 1 of 1; A2: 1 of 3.
    ("cin_seen_28_days", build(
        children=kids("c1", "c2", "c3", "c4", "c5"),
        cin_plans=[plan("n1", "c1", "2016-02-01", id_column="cin_plan_id"),
                   plan("n2", "c2", "2016-02-02", id_column="cin_plan_id"),
                   plan("n3", "c3", "2015-10-01", team="A2", id_column="cin_plan_id"),
                   plan("n4", "c4", "2015-10-01", team="A2", id_column="cin_plan_id"),
                   plan("n5", "c5", "2015-01-01", id_column="cin_plan_id"),
                   plan("n6", "c5", "2015-06-01", team="A2", id_column="cin_plan_id")],
        visits=[
            {"visit_id": vid, "child_id": child, "team": "A1", "visit_type": kind,
             "visit_date": date, "child_seen": seen}
            for vid, child, kind, date, seen in [
                ("v1", "c1", "CIN", "2016-02-02", True), ("v2", "c2", "CIN", "2016-02-20", True),
                ("v3", "c3", "CIN", "2016-02-01", True), ("v4", "c4", "CIN", "2016-02-20", False),
                ("v5", "c4", "CP", "2016-02-20", True), ("v6", "c5", "CIN", "2016-02-29", True),
            ]
        ]), "2016-02", {"A1": (1, 1), "A2": (1, 3), COUNTY: (2, 4)}),
    # Ref 7, snapshot Thu 31 Dec 2015. c1: a social worker's allocation open: allocated. c2: the
    # allocation ended on the snapshot day: unallocated (A1). c3: only a team manager: unallocated
    # (A2). c4: a blank role, no workforce extract: allocated. c5: two open referrals, no
    # allocation: counted once, under the later r5b (A2). c6: referral closed on the snapshot day:
    # not open. A1: 1; A2: 2.
    ("unallocated_cases", build(
        children=kids("c1", "c2", "c3", "c4", "c5", "c6"),
        referrals=[ref("r1", "c1", "2015-01-01"), ref("r2", "c2", "2015-01-01"),
                   ref("r3", "c3", "2015-01-01", "A2"), ref("r4", "c4", "2015-01-01"),
                   ref("r5a", "c5", "2015-01-01"), ref("r5b", "c5", "2015-06-01", "A2"),
                   ref("r6", "c6", "2015-01-01", closed="2015-12-31")],
        allocations=[
            {"allocation_id": aid, "child_id": child, "worker_id": "w1", "team": "A1",
             "start_date": "2015-02-01", "end_date": end, "worker_role": role}
            for aid, child, end, role in [
                ("al1", "c1", None, "social_worker"), ("al2", "c2", "2015-12-31", "social_worker"),
                ("al3", "c3", None, "team_manager"), ("al4", "c4", None, None),
            ]
        ]), "2015-12", {"A1": (1, NAN), "A2": (2, NAN), COUNTY: (3, NAN)}),
    # Ref 11, snapshot 29 Feb 2016; 18 months before is 29 Aug 2014. p1 from 29 Aug 2014: 18
    # months, numerator; p2 from 30 Aug 2014: not; p3 ended on the snapshot day: not open; p4
    # started on the snapshot day: open, not 18 months (A2). A1: 1 of 2; A2: 0 of 1.
    ("cp_plans_18_months", build(children=kids("c1"), cp_plans=[
        plan("p1", "c1", "2014-08-29"), plan("p2", "c1", "2014-08-30"),
        plan("p3", "c1", "2013-01-01", "2016-02-29"), plan("p4", "c1", "2016-02-29", team="A2"),
    ]), "2016-02", {"A1": (1, 2), "A2": (0, 1), COUNTY: (1, 3)}),
    # Ref 12, snapshot Fri 29 May 2015; 3 months before is 28 Feb 2015 (29 Feb does not exist).
    # c1, plan from Fri 20 Mar: v1 on Tue 7 Apr is 10 working days later (23-27 Mar, 30 Mar -
    # 2 Apr, 7 Apr; 3 and 6 Apr bank holidays): in time (A1); v2 on 22 Apr is 11 working days after
    # v1: late (A2); v3 the same day as v2 also runs from v1: late (A2); v4 (1 Mar) predates the
    # plan: ignored. c2: plan ended on the snapshot day: its visit is not counted. c3, plan from
    # 1 Oct 2014: v6 on 27 Feb is before the window but is v7's previous visit; v7 on Fri 13 Mar is
    # 10 working days after it: in time (A1); a CIN visit does not count. A1: 2 of 2; A2: 0 of 2.
    ("cp_visits_in_time", build(
        children=kids("c1", "c2", "c3"),
        cp_plans=[plan("p1", "c1", "2015-03-20"), plan("p2", "c2", "2014-01-01", "2015-05-29"),
                  plan("p3", "c3", "2014-10-01")],
        visits=[
            {"visit_id": vid, "child_id": child, "team": team, "visit_type": kind,
             "visit_date": date, "child_seen": True}
            for vid, child, team, kind, date in [
                ("v1", "c1", "A1", "CP", "2015-04-07"), ("v2", "c1", "A2", "CP", "2015-04-22"),
                ("v3", "c1", "A2", "CP", "2015-04-22"), ("v4", "c1", "A1", "CP", "2015-03-01"),
                ("v5", "c2", "A1", "CP", "2015-05-01"), ("v6", "c3", "A1", "CP", "2015-02-27"),
                ("v7", "c3", "A1", "CP", "2015-03-13"), ("v8", "c3", "A1", "CIN", "2015-05-01"),
            ]
        ]), "2015-05", {"A1": (2, 2), "A2": (0, 2), COUNTY: (2, 4)}),
    # Ref 13, snapshot Thu 31 Dec 2015. p1 (30 Jun): first review due 30 Sep, held 30 Sep, next
    # due 30 Mar 2016: on time (A1). p2 (1 Oct): first due 1 Jan 2016, after the snapshot: not in
    # the denominator. p3 (30 Jun): review 1 Oct, a day late (A2). p4 (31 Mar): review 30 Jun on
    # time, next due 30 Dec not held by 31 Dec: late (A2). p5 (31 Mar): reviews 30 Jun and 30 Dec
    # (twice, counted once) on time, next due 30 Jun 2016; a review on the start day is ignored:
    # on time (A2). p6 (30 Sep): first due 30 Dec, none held: late (A1). A1: 1 of 2; A2: 1 of 3.
    ("cp_reviews_in_time", build(
        children=kids("c1"),
        cp_plans=[plan("p1", "c1", "2015-06-30"), plan("p2", "c1", "2015-10-01"),
                  plan("p3", "c1", "2015-06-30", team="A2"),
                  plan("p4", "c1", "2015-03-31", team="A2"),
                  plan("p5", "c1", "2015-03-31", team="A2"), plan("p6", "c1", "2015-09-30")],
        cp_reviews=[
            {"cp_review_id": f"rv{i}", "cp_plan_id": pid, "child_id": "c1", "review_date": date}
            for i, (pid, date) in enumerate([
                ("p1", "2015-09-30"), ("p3", "2015-10-01"), ("p4", "2015-06-30"),
                ("p5", "2015-03-31"), ("p5", "2015-06-30"), ("p5", "2015-12-30"),
                ("p5", "2015-12-30"),
            ])
        ]), "2015-12", {"A1": (1, 2), "A2": (1, 3), COUNTY: (2, 5)}),
    # Ref 14, Mar 2016 (YTD 1 Apr 2015 - 31 Mar 2016). c1: b starts 29 Feb 2016; 24 months before
    # is 28 Feb 2014, when a ended: a repeat (A1). c2: a ended 31 Dec 2013, b starts 1 Jan 2016
    # (24 months before: 1 Jan 2014): not (A2). c3: a (1 May - 1 Aug 2015, no earlier plan) and b
    # from 1 Aug 2015, the day a ended: b is a repeat (A2). c4: b starts while a is still open: not
    # (A1). In the period: c1b, c4a, c4b (A1: 1 of 3) and c2b, c3a, c3b (A2: 1 of 3).
    ("cp_repeat_24_months", build(children=kids("c1", "c2", "c3", "c4"), cp_plans=[
        plan("c1a", "c1", "2013-01-01", "2014-02-28"), plan("c1b", "c1", "2016-02-29"),
        plan("c2a", "c2", "2013-01-01", "2013-12-31", "A2"), plan("c2b", "c2", "2016-01-01", team="A2"),
        plan("c3a", "c3", "2015-05-01", "2015-08-01", "A2"), plan("c3b", "c3", "2015-08-01", team="A2"),
        plan("c4a", "c4", "2015-04-01"), plan("c4b", "c4", "2015-06-01"),
    ]), "2016-03", {"A1": (1, 3), "A2": (1, 3), COUNTY: (2, 6)}),
    # Ref 15, Mar 2016 (YTD FY 2015/16). p1: 28 Feb 2014 to 28 Feb 2016, exactly 24 months:
    # numerator; p2: 1 Mar 2014 to 29 Feb 2016, 24 months would be 1 Mar 2016: not; p3 (A2): 28
    # Feb 2014 to 27 Feb 2016: not; p4 ended 31 Mar 2015 (FY 2014/15) and p5 open: out.
    # A1: 1 of 2; A2: 0 of 1.
    ("cp_ended_2_years", build(children=kids("c1"), cp_plans=[
        plan("p1", "c1", "2014-02-28", "2016-02-28"), plan("p2", "c1", "2014-03-01", "2016-02-29"),
        plan("p3", "c1", "2014-02-28", "2016-02-27", "A2"),
        plan("p4", "c1", "2013-01-01", "2015-03-31"), plan("p5", "c1", "2013-01-01"),
    ]), "2016-03", {"A1": (1, 2), "A2": (0, 1), COUNTY: (1, 3)}),
    # Ref 16, Apr 2015 (YTD is April alone). c1 (born 2010): s1 completed 30 Apr, seen: numerator;
    # s2 completed 1 Apr, seen blank: denominator; s3 completed 31 Mar and s4 not completed: out.
    # c2 (born 10 Apr 2015): s5 started on the birthday, not seen: in (A2); s6 started the day
    # before the birth: unborn, out. c3 unborn: s7 out. A1: 1 of 2; A2: 0 of 1.
    ("s47_child_seen", build(
        children=[*kids("c1"), {"child_id": "c2", "date_of_birth": "2015-04-10"},
                  {"child_id": "c3", "date_of_birth": None, "expected_date_of_birth": "2015-09-01"}],
        s47_enquiries=[
            {"s47_id": sid, "child_id": child, "team": team, "start_date": start,
             "completed_date": done, "child_seen": seen}
            for sid, child, team, start, done, seen in [
                ("s1", "c1", "A1", "2015-03-20", "2015-04-30", True),
                ("s2", "c1", "A1", "2015-03-20", "2015-04-01", None),
                ("s3", "c1", "A1", "2015-03-20", "2015-03-31", True),
                ("s4", "c1", "A1", "2015-03-20", None, True),
                ("s5", "c2", "A2", "2015-04-10", "2015-04-20", False),
                ("s6", "c2", "A2", "2015-04-09", "2015-04-20", True),
                ("s7", "c3", "A1", "2015-04-01", "2015-04-20", True),
            ]
        ]), "2015-04", {"A1": (1, 2), "A2": (0, 1), COUNTY: (1, 3)}),
    # Ref 17, Apr 2015. From Fri 27 Mar: 30, 31 Mar, 1, 2 Apr (4; 3 and 6 Apr bank holidays), 7-10
    # (8), 13-17 (13), 20 (14), 21 Apr (15). s1's ICPC on 21 Apr: in time; s2's on 22 Apr (16):
    # late; s3's on 1 May: after April; s4 none. A1: 1 of 2.
    ("icpc_within_15_wd", build(children=kids("c1"), s47_enquiries=[
        {"s47_id": sid, "child_id": "c1", "team": "A1", "start_date": "2015-03-27",
         "icpc_date": icpc}
        for sid, icpc in [("s1", "2015-04-21"), ("s2", "2015-04-22"), ("s3", "2015-05-01"),
                          ("s4", None)]
    ]), "2015-04", {"A1": (1, 2), COUNTY: (1, 2)}),
    # Ref 18, Apr 2015. s1 (1 Apr) led to a plan; s2 (30 Apr) outcome blank: not; s3 (A2, 15 Apr)
    # no plan; s4 (31 Mar) is in FY 2014/15. A1: 1 of 2; A2: 0 of 1.
    ("icpc_to_cp_plan", build(children=kids("c1"), s47_enquiries=[
        {"s47_id": sid, "child_id": "c1", "team": team, "start_date": "2015-03-02",
         "icpc_date": icpc, "icpc_outcome_cp_plan": outcome}
        for sid, team, icpc, outcome in [("s1", "A1", "2015-04-01", True),
                                         ("s2", "A1", "2015-04-30", None),
                                         ("s3", "A2", "2015-04-15", False),
                                         ("s4", "A1", "2015-03-31", True)]
    ]), "2015-04", {"A1": (1, 2), "A2": (0, 1), COUNTY: (1, 3)}),
    # Ref 35, May 2015 (YTD 1 Apr - 31 May). q1 due 15 Apr, completed on the month end 31 May:
    # numerator; q2 due 31 May, completed 1 Jun: not yet; q3 due 1 Apr, not completed; q4 due 31
    # Mar: FY 2014/15; q5 is a CP report; q6 has no due date. 1 of 3.
    ("audits_completed", build(children=kids("c1"), quality_audits=[
        audit("q1", "case_file", "2015-04-15", "2015-05-31", None),
        audit("q2", "case_file", "2015-05-31", "2015-06-01", None),
        audit("q3", "case_file", "2015-04-01", None, None),
        audit("q4", "case_file", "2015-03-31", "2015-04-01", None),
        audit("q5", "cp_report", "2015-04-15", "2015-05-01", None),
        audit("q6", "case_file", None, "2015-05-01", None),
    ]), "2015-05", {"A1": (1, 3), COUNTY: (1, 3)}),
    # Refs 36-39, May 2015, on AUDITS. Case files completed 1 Apr - 31 May and rated: q1 good, q2
    # outstanding, q3 requires improvement, q4 inadequate (q5 unrated, q6 in March): 2 of 4 good or
    # outstanding, 1 of 4 inadequate. CP reports: q7 good, q8 inadequate (q9 unrated): 1 of 2.
    # Care plans: q10 outstanding, q11 requires improvement (q12 in June): 1 of 2.
    ("audits_good_outstanding", build(children=kids("c1"), quality_audits=AUDITS),
     "2015-05", {"A1": (2, 4), COUNTY: (2, 4)}),
    ("audits_inadequate", build(children=kids("c1"), quality_audits=AUDITS),
     "2015-05", {"A1": (1, 4), COUNTY: (1, 4)}),
    ("cp_reports_good_outstanding", build(children=kids("c1"), quality_audits=AUDITS),
     "2015-05", {"A1": (1, 2), COUNTY: (1, 2)}),
    ("care_plans_good_outstanding", build(children=kids("c1"), quality_audits=AUDITS),
     "2015-05", {"A1": (1, 2), COUNTY: (1, 2)}),
]  # fmt: skip


def test_every_measure_has_a_hand_worked_example() -> None:
    assert sorted(indicator for indicator, *_ in HAND) == MEASURES


@pytest.mark.parametrize(("indicator", "extracts", "month", "worked"), HAND,
                         ids=[case[0] for case in HAND])  # fmt: skip
def test_plain_gives_the_hand_worked_figures(
    indicator: str, extracts: Extracts, month: str, worked: dict[str, tuple[float, float]]
) -> None:
    want = expected(indicator, PLAIN[indicator][0](extracts, [month]), [month])
    got, _ = engine(indicator, extracts, [month])
    period = pd.Period(month, freq="M")
    for unit, figures in worked.items():
        assert same(want[(period, unit)], figures), (unit, want[(period, unit)], figures)
        assert same(got[(period, unit)], figures), (unit, got[(period, unit)], figures)

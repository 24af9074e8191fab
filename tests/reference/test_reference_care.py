"""The engine against plain reference implementations (issue 11), care measures: refs 8-10,
19-34 and 40-44.

For random small extracts (:mod:`tests.reference.strategies_care`) and the reporting months of
:data:`~tests.reference.strategies_care.MONTHS` (snapshot, YTD and R12M windows as each indicator
declares), every team's and the county's numerator and denominator from ``compute`` must equal
the sums of the rows of the plain version (:mod:`tests.reference.plain_care`), and the engine's
record-level rows (the drill-down) must be the plain rows. The hand-worked examples at the end
show that the plain versions themselves say what the counting rules say.

The numbers of examples are kept small for the test suite (about 55 extracts, under a minute on an
idle machine); the strategies were run with a few hundred examples per family while writing them.
"""

from __future__ import annotations

import inspect
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from scorecard.registry import load_registry
from tests.measures.builders import COUNTY, build, run
from tests.reference import plain_care as plain
from tests.reference import strategies_care as draw

REGISTRY = load_registry()


def examples(n: int) -> settings:
    """A modest number of examples, so that the file runs in well under a minute (each example
    computes its indicators for six months); no deadline (a loaded machine is slow, not wrong)."""
    return settings(max_examples=n, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip


def parameters(indicator: str) -> dict:
    return dict(REGISTRY[indicator].parameters)


def assert_same(extracts, indicators: list[str], months: list[str] = draw.MONTHS) -> None:
    """Every team's and the county's (numerator, denominator) agree, month by month, for each of
    ``indicators`` (computed together, as a run computes them); and so do the record-level rows
    behind them (the drill-down), record by record."""
    computation = run(extracts, indicators, months)
    problems = []
    for indicator in indicators:
        rows = plain.PLAIN[indicator](extracts, months, **parameters(indicator))
        records = computation.records[indicator]
        found = differences(computation.results, indicator, plain.team_totals(rows), months)
        if not same_rows(records, rows):
            found.append("the record-level rows differ")
        if found:
            problems.append(
                f"{indicator}:\n" + "\n".join(found)
                + f"\nengine rows:\n{records.to_string()}\nplain rows:\n{rows.to_string()}"
            )  # fmt: skip
    assert not problems, "\n\n".join(problems)


def same_rows(records: pd.DataFrame, rows: pd.DataFrame) -> bool:
    """The engine's record-level rows are the plain rows (in any order)."""

    def normal(frame: pd.DataFrame) -> list[tuple]:
        return sorted(
            (str(m), str(t), str(r), round(float(n), 9), round(float(d), 9))
            for m, t, r, n, d in frame[plain.COLUMNS].itertuples(index=False)
        )

    return normal(records) == normal(rows)


def differences(results: pd.DataFrame, indicator: str, expected: dict, months: list[str]) -> list:
    out = []
    results = results[results["indicator"] == indicator]
    for month in months:
        here = results[results["month"] == pd.Period(month, freq="M")]
        for unit in [*draw.TEAMS, COUNTY]:
            got = here[here["unit"] == unit]
            assert len(got) == 1, (indicator, month, unit, got)
            engine = (float(got["numerator"].iloc[0]), float(got["denominator"].iloc[0]))
            if unit == COUNTY:
                sums = [v for (m, _), v in expected.items() if m == month]
                want = (sum(v[0] for v in sums), sum(v[1] for v in sums))
            else:
                want = expected.get((month, unit), (0.0, 0.0))
            if not all(math.isclose(a, b, abs_tol=1e-9) for a, b in zip(engine, want, strict=True)):
                out.append(f"{month} {unit}: engine {engine}, plain {want}")
    return out


CARE = ["cic_3_placements_12m", "cic_same_placement_2y", "cic_in_house_foster",
        "cic_within_20_miles", "cic_review_participation", "cic_reviews_in_time",
        "cic_dental_checks", "cic_health_assessments", "cic_same_worker_12m",
        "adoption_plan_by_2nd_review", "adoption_la_to_placed_days",
        "adoption_order_to_match_days", "cic_ceased_adopted"]  # fmt: skip
LEAVERS = ["care_leavers_in_touch", "care_leavers_suitable_accommodation", "care_leavers_eet"]
PF = ["pf_initial_visit_7_days", "pf_new_visits_6_weeks", "pf_existing_visits_in_time"]
STAFFING = ["posts_permanent_qsw", "posts_agency", "caseload_cic", "caseload_ait_fst",
            "caseload_fostering"]  # fmt: skip


def test_every_care_measure_has_a_plain_version_whose_defaults_are_the_registry_values() -> None:
    assert sorted(plain.PLAIN) == sorted([*CARE, *LEAVERS, *PF, *STAFFING])
    for indicator, function in plain.PLAIN.items():
        if indicator in LEAVERS:
            function = plain._birthday_contacts  # they pass theirs on
        defaults = {
            name: p.default for name, p in inspect.signature(function).parameters.items()
            if p.default is not inspect.Parameter.empty
        }  # fmt: skip
        assert parameters(indicator) == defaults, indicator


@examples(10)
@given(extracts=draw.care_extracts())
def test_children_in_care_and_adoption(extracts) -> None:
    assert_same(extracts, CARE)


@examples(15)
@given(extracts=draw.leaver_extracts())
def test_care_leavers(extracts) -> None:
    assert_same(extracts, LEAVERS)


@examples(15)
@given(extracts=draw.pf_extracts())
def test_private_fostering(extracts) -> None:
    assert_same(extracts, PF)


@examples(15)
@given(extracts=draw.staffing_extracts())
def test_staffing(extracts) -> None:
    assert_same(extracts, STAFFING)


# --------------------------------------------------------------------------------------------------
# Hand-worked examples: the plain versions give the figures worked out by hand from the rules.
# Snapshot dates (last working day): April 2015 Thu 30 Apr; May 2015 Fri 29 May (31 May is a
# Sunday); February 2016 Mon 29 Feb; March 2016 Thu 31 Mar. Bank holidays used: Good Friday 3 Apr
# 2015, Easter Monday 6 Apr 2015, 4 May 2015, 25 May 2015.


def kid(child: str, dob: str | None = "2005-01-01", uasc: bool = False,
        ceased: str | None = None) -> dict:  # fmt: skip
    return {"child_id": child, "date_of_birth": dob, "uasc": uasc, "uasc_ceased_date": ceased,
            "expected_date_of_birth": None if dob else "2016-06-01"}  # fmt: skip


def ep(eid: str, child: str, start: str, end: str | None = None, rne: str = "S",
       status: str = "C2", place: str = "U4", provider: str | None = "PR1",
       reason: str | None = None, miles: float | None = None, team: str = "C1") -> dict:  # fmt: skip
    """An SSDA903 episode; an ended one ends with X1 (care continues) unless told otherwise."""
    return {"episode_id": eid, "child_id": child, "team": team, "start_date": start,
            "end_date": end, "reason_new_episode": rne, "legal_status": status,
            "placement_type": place, "placement_provider": provider,
            "reason_ceased": (reason or "X1") if end else None, "distance_miles": miles}  # fmt: skip


def check_by_hand(extracts, indicator: str, month: str, team: str, numerator: float,
                  denominator: float) -> None:  # fmt: skip
    """The plain version gives the hand-worked figures (and the engine agrees with it)."""
    rows = plain.PLAIN[indicator](extracts, [month], **parameters(indicator))
    assert plain.team_totals(rows) == {(month, team): (numerator, denominator)}
    assert_same(extracts, [indicator], [month])


def test_by_hand_ref19_three_placements() -> None:
    # May 2015: snapshot 29 May 2015, window from 29 May 2014.
    # c1: placements e1 (ended 29 May 2014, the window's first day: not counted), e2, e3 -> 2.
    # c2: e1 (ended 30 May 2014: counted), e2 + e3 (L: legal status only, same placement) -> 2.
    # c3: left care (E4A), then a new period e5 and a B change e6 -> 3: numerator. 1 / 3.
    extracts = build(
        children=[kid(c) for c in ("c1", "c2", "c3")],
        cic_episodes=[
            ep("e1", "c1", "2014-01-10", "2014-05-29"), ep("e2", "c1", "2014-05-29", "2014-10-01", "P"),
            ep("e3", "c1", "2014-10-01", rne="P"),
            ep("e7", "c2", "2014-01-10", "2014-05-30"), ep("e8", "c2", "2014-05-30", "2014-10-01", "P"),
            ep("e9", "c2", "2014-10-01", rne="L", status="C1"),
            ep("e4", "c3", "2014-06-01", "2014-07-01", reason="E4A"),
            ep("e5", "c3", "2014-09-01", "2014-12-01"), ep("e6", "c3", "2014-12-01", rne="B"),
        ],
    )  # fmt: skip
    check_by_hand(extracts, "cic_3_placements_12m", "2015-05", "C1", 1, 3)


def test_by_hand_ref20_same_placement() -> None:
    # Feb 2016: snapshot 29 Feb 2016; 30 months before: 29 Aug 2013; 24 months: 28 Feb 2014.
    # c1: in care from 29 Aug 2013 (exactly 30 months), placement from 28 Feb 2014: numerator.
    # c2: in care from 30 Aug 2013: not 30 months, left out. c3: born 29 Feb 2000, 16 on the
    # snapshot: left out. c4: placed for adoption (A4) in 2015, the placement before it from
    # 1 Jan 2014: numerator. c5: placement from 1 Mar 2014, under 24 months. 2 / 3.
    extracts = build(
        children=[kid("c1", "2002-01-01"), kid("c2", "2002-01-01"), kid("c3", "2000-02-29"),
                  kid("c4", "2003-01-01"), kid("c5", "2003-01-01")],
        cic_episodes=[
            ep("e1", "c1", "2013-08-29", "2014-02-28"), ep("e2", "c1", "2014-02-28", rne="P"),
            ep("e3", "c2", "2013-08-30"), ep("e4", "c3", "2012-01-01"),
            ep("e5", "c4", "2013-01-01", "2014-01-01"), ep("e6", "c4", "2014-01-01", "2015-06-01", "P"),
            ep("e7", "c4", "2015-06-01", rne="P", place="A4"),
            ep("e8", "c5", "2013-01-01", "2014-03-01"), ep("e9", "c5", "2014-03-01", rne="P"),
        ],
    )  # fmt: skip
    check_by_hand(extracts, "cic_same_placement_2y", "2016-02", "C1", 2, 3)


def test_by_hand_ref21_in_house_foster() -> None:
    # c1 with relatives (U1, agency provider) and c2 with the council's carers (U4, PR1):
    # numerator; c3 (U5, PR4) and c4 (U6, provider unknown): denominator only; c5 not fostered
    # (K1); c6 on a short break (V3): not looked after. 2 / 4.
    extracts = build(
        children=[kid(f"c{i}") for i in range(1, 7)],
        cic_episodes=[
            ep("e1", "c1", "2015-01-01", place="U1", provider="PR4"),
            ep("e2", "c2", "2015-01-01", place="U4", provider="PR1"),
            ep("e3", "c3", "2015-01-01", place="U5", provider="PR4"),
            ep("e4", "c4", "2015-01-01", place="U6", provider=None),
            ep("e5", "c5", "2015-01-01", place="K1"),
            ep("e6", "c6", "2015-01-01", status="V3"),
        ],
    )  # fmt: skip
    check_by_hand(extracts, "cic_in_house_foster", "2015-05", "C1", 2, 4)


def test_by_hand_ref22_within_20_miles() -> None:
    # c1 20.0 miles: numerator; c2 20.1: denominator; c3 distance unknown: out; c4 UASC: out;
    # c5 UASC ceased on the snapshot date (29 May 2015): in, 3 miles: numerator; c6 UASC ceased
    # the day after: out. 2 / 3.
    extracts = build(
        children=[kid("c1"), kid("c2"), kid("c3"), kid("c4", uasc=True),
                  kid("c5", uasc=True, ceased="2015-05-29"), kid("c6", uasc=True, ceased="2015-05-30")],
        cic_episodes=[ep(f"e{i}", f"c{i}", "2015-01-01", miles=m)
                      for i, m in [(1, 20.0), (2, 20.1), (3, None), (4, 5.0), (5, 3.0), (6, 1.0)]],
    )  # fmt: skip
    check_by_hand(extracts, "cic_within_20_miles", "2015-05", "C1", 2, 3)


def test_by_hand_ref23_review_participation() -> None:
    # YTD May 2015 = 1 Apr - 31 May 2015. r1: c1 is 4 on 10 May 2015, the review day, PN1:
    # numerator; r2: the day before (aged 3): out; r3: no date of birth, PN7: denominator;
    # r4: no date of birth, PN0: out; r5: 31 Mar 2015, before the period: out; r6: PN6 on
    # 1 Apr 2015: numerator. 2 / 3.
    def review(rid, child, date, code):
        return {"cic_review_id": rid, "child_id": child, "team": "C1", "review_date": date,
                "participation": code}  # fmt: skip

    extracts = build(
        children=[kid("c1", "2011-05-10"), kid("c2", None), kid("c3", "2000-01-01")],
        cic_reviews=[review("r1", "c1", "2015-05-10", "PN1"), review("r2", "c1", "2015-05-09", "PN1"),
                     review("r3", "c2", "2015-05-01", "PN7"), review("r4", "c2", "2015-05-02", "PN0"),
                     review("r5", "c3", "2015-03-31", "PN1"), review("r6", "c3", "2015-04-01", "PN6")],
    )  # fmt: skip
    check_by_hand(extracts, "cic_review_participation", "2015-05", "C1", 2, 3)


def test_by_hand_ref24_reviews_in_time() -> None:
    # May 2015 (snapshot 29 May). In care from Thu 2 Apr 2015: the 20th working day after it,
    # skipping Good Friday, Easter Monday and 4 May, is Tue 5 May 2015. c1 reviewed on 5 May:
    # numerator; c2 on 6 May: late. c3 from Fri 1 May 2015: the 20th working day after it is
    # 2 Jun 2015 (4 and 25 May are bank holidays): none due yet, out. From Mon 2 Jun 2014 the first review
    # is due Mon 30 Jun 2014, the second 3 months after it, then every 6 months: c4 held 30 Jun,
    # 30 Sep 2014, then 31 Mar 2015 (due 30 Mar): late; c5 held 20 Jun, 20 Sep 2014 and none
    # since (due 20 Mar 2015): late; c6 held 30 Jun, 30 Sep 2014, 30 Mar 2015 (next due 30 Sep
    # 2015): numerator. 2 / 5.
    def reviews(child, *dates):
        return [{"cic_review_id": f"{child}r{i}", "child_id": child, "team": "C1",
                 "review_date": d, "participation": "PN1"} for i, d in enumerate(dates)]  # fmt: skip

    extracts = build(
        children=[kid(f"c{i}") for i in range(1, 7)],
        cic_episodes=[ep("e1", "c1", "2015-04-02"), ep("e2", "c2", "2015-04-02"),
                      ep("e3", "c3", "2015-05-01"), ep("e4", "c4", "2014-06-02"),
                      ep("e5", "c5", "2014-06-02"), ep("e6", "c6", "2014-06-02")],
        cic_reviews=[*reviews("c1", "2015-05-05"), *reviews("c2", "2015-05-06"),
                     *reviews("c4", "2014-06-30", "2014-09-30", "2015-03-31"),
                     *reviews("c5", "2014-06-20", "2014-09-20"),
                     *reviews("c6", "2014-06-30", "2014-09-30", "2015-03-30")],
    )  # fmt: skip
    check_by_hand(extracts, "cic_reviews_in_time", "2015-05", "C1", 2, 5)


def _checks(*rows):
    return [{"health_check_id": f"h{i}", "child_id": c, "check_type": t, "check_date": d}
            for i, (c, t, d) in enumerate(rows)]  # fmt: skip


def test_by_hand_ref25_dental_checks() -> None:
    # Feb 2016: snapshot 29 Feb 2016, 12 months before: 28 Feb 2015. c1 in care from 28 Feb 2015
    # (exactly 12 months), dental check that day: numerator; c2 check on 27 Feb 2015: too early;
    # c3 in care from 1 Mar 2015: out; c4 only a health assessment: denominator. 1 / 3.
    extracts = build(
        children=[kid(f"c{i}") for i in range(1, 5)],
        cic_episodes=[ep("e1", "c1", "2015-02-28"), ep("e2", "c2", "2015-02-27"),
                      ep("e3", "c3", "2015-03-01"), ep("e4", "c4", "2014-01-01")],
        health_checks=_checks(("c1", "dental", "2015-02-28"), ("c2", "dental", "2015-02-27"),
                              ("c3", "dental", "2016-01-01"), ("c4", "health_assessment", "2016-01-01")),
    )  # fmt: skip
    check_by_hand(extracts, "cic_dental_checks", "2016-02", "C1", 1, 3)


def test_by_hand_ref26_health_assessments() -> None:
    # Feb 2016 (snapshot 29 Feb 2016). c1, 5 on 1 Mar 2016 (under 5): 6 months, from 29 Aug 2015:
    # assessed that day, numerator. c2, 5 on 28 Feb 2016: 12 months, from 28 Feb 2015: assessed
    # 1 Mar 2015, numerator. c3 under 5, assessed 28 Aug 2015: too early. c4 no date of birth:
    # 12 months, assessed 1 Mar 2015: numerator. 3 / 4.
    extracts = build(
        children=[kid("c1", "2011-03-01"), kid("c2", "2011-02-28"), kid("c3", "2011-03-01"),
                  kid("c4", None)],
        cic_episodes=[ep(f"e{i}", f"c{i}", "2014-01-01") for i in range(1, 5)],
        health_checks=_checks(("c1", "health_assessment", "2015-08-29"),
                              ("c2", "health_assessment", "2015-03-01"),
                              ("c3", "health_assessment", "2015-08-28"),
                              ("c4", "health_assessment", "2015-03-01")),
    )  # fmt: skip
    check_by_hand(extracts, "cic_health_assessments", "2016-02", "C1", 3, 4)


def test_by_hand_ref27_same_worker() -> None:
    # May 2015: snapshot 29 May 2015; 18 months before: 29 Nov 2013; the 12 months from 29 May
    # 2014. c1: W1 from 29 May 2014, then W1 again from the day that ended: numerator. c2: W1 from
    # 30 May 2014: denominator. c3: W1 ending on the snapshot date: denominator. c4: W1 with a
    # one-day gap (1 Dec 2014), W2 alongside from June: denominator. c5 in care from 1 Dec 2013:
    # out. c6: a fostering social worker's allocation: denominator. c7: no role recorded and no
    # workforce extract: a social worker's, numerator. 2 / 6.
    def alloc(aid, child, worker, start, end=None, role="social_worker"):
        return {"allocation_id": aid, "child_id": child, "worker_id": worker, "team": "C1",
                "start_date": start, "end_date": end, "worker_role": role}  # fmt: skip

    extracts = build(
        children=[kid(f"c{i}") for i in range(1, 8)],
        cic_episodes=[ep(f"e{i}", f"c{i}", "2013-01-01") for i in (1, 2, 3, 4, 6, 7)]
        + [ep("e5", "c5", "2013-12-01")],
        allocations=[
            alloc("a1", "c1", "W1", "2014-05-29", "2014-12-01"), alloc("a2", "c1", "W1", "2014-12-01"),
            alloc("a3", "c2", "W1", "2014-05-30"), alloc("a4", "c3", "W1", "2014-01-01", "2015-05-29"),
            alloc("a5", "c4", "W1", "2014-01-01", "2014-12-01"), alloc("a6", "c4", "W1", "2014-12-02"),
            alloc("a7", "c4", "W2", "2014-06-01"), alloc("a8", "c5", "W1", "2013-12-01"),
            alloc("a9", "c6", "W3", "2014-01-01", role="fostering_social_worker"),
            alloc("a10", "c7", "W4", "2014-01-01", role=None),
        ],
    )  # fmt: skip
    check_by_hand(extracts, "cic_same_worker_12m", "2015-05", "C1", 2, 6)


def _adoption(aid, child, **dates):
    return {"adoption_id": aid, "child_id": child, "team": "C1", **dates}


def test_by_hand_ref28_plan_by_second_review() -> None:
    # YTD May 2015. d1: two reviews on 1 Feb 2015 count as one, so the second is 1 May 2015, the
    # decision day: numerator. d2: second review 1 Apr 2015, decision 2 Apr: denominator. d3: the
    # period of care of the decision began 1 Mar 2015, with one review since (the earlier period's
    # do not count): no second review, numerator. d4: no episodes, two decisions in the period:
    # counted once by the latest (20 May), after its second review (1 May): denominator. d5: a
    # one-day period of care (1 Jan 2015, ended E11) and a new one from the same day: the latest
    # period is the one that follows, with reviews on 1 Feb and 1 Mar: denominator. 2 / 5.
    def reviews(child, *dates):
        return [{"cic_review_id": f"{child}r{i}", "child_id": child, "team": "C1",
                 "review_date": d, "participation": "PN1"} for i, d in enumerate(dates)]  # fmt: skip

    extracts = build(
        children=[kid(c) for c in ("d1", "d2", "d3", "d4", "d5")],
        cic_episodes=[ep("e1", "d1", "2015-01-05"), ep("e2", "d2", "2015-01-05"),
                      ep("e3", "d3", "2013-01-01", "2014-06-01", reason="E4A"),
                      ep("e4", "d3", "2015-03-01"),
                      ep("e5", "d5", "2015-01-01", "2015-01-01", reason="E11"),
                      ep("e6", "d5", "2015-01-01")],
        cic_reviews=[*reviews("d1", "2015-02-01", "2015-02-01", "2015-05-01"),
                     *reviews("d2", "2015-02-01", "2015-04-01"),
                     *reviews("d3", "2013-02-01", "2013-05-01", "2015-03-20"),
                     *reviews("d4", "2015-01-01", "2015-05-01"),
                     *reviews("d5", "2015-02-01", "2015-03-01")],
        adoptions=[_adoption("ad1", "d1", should_be_placed_date="2015-05-01"),
                   _adoption("ad2", "d2", should_be_placed_date="2015-04-02"),
                   _adoption("ad3", "d3", should_be_placed_date="2015-04-15"),
                   _adoption("ad4", "d4", should_be_placed_date="2015-04-10"),
                   _adoption("ad5", "d4", should_be_placed_date="2015-05-20"),
                   _adoption("ad6", "d5", should_be_placed_date="2015-05-01")],
    )  # fmt: skip
    check_by_hand(extracts, "adoption_plan_by_2nd_review", "2015-05", "C1", 2, 5)


def test_by_hand_ref29_days_to_placement() -> None:
    # YTD May 2015. a1: adopted 10 May 2015; the period of care ending in adoption began 1 Aug
    # 2014 (an earlier one ended E4A); no placement date recorded, so the first A3 episode's start,
    # 1 Dec 2014: 31+30+31+30 = 122 days. a2: a foster-carer adoption, moved in 1 Mar 2014 before
    # the care began (1 Apr 2014): 0 days. a3: no care episodes: left out. a4: adopted 31 Mar 2015,
    # before the period. 122 / 2.
    extracts = build(
        children=[kid(c) for c in ("c1", "c2", "c3", "c4")],
        cic_episodes=[ep("e1", "c1", "2014-01-01", "2014-06-01", reason="E4A"),
                      ep("e2", "c1", "2014-08-01", "2014-12-01"),
                      ep("e3", "c1", "2014-12-01", "2015-05-10", "P", place="A3", reason="E11"),
                      ep("e4", "c2", "2014-04-01"), ep("e5", "c4", "2014-01-01")],
        adoptions=[_adoption("a1", "c1", adoption_order_date="2015-05-10"),
                   _adoption("a2", "c2", adoption_order_date="2015-05-01",
                             placed_for_adoption_date="2015-01-01", foster_carer_adoption=True,
                             moved_in_with_carer_date="2014-03-01"),
                   _adoption("a3", "c3", adoption_order_date="2015-05-01",
                             placed_for_adoption_date="2015-01-01"),
                   _adoption("a4", "c4", adoption_order_date="2015-03-31",
                             placed_for_adoption_date="2015-01-01")],
    )  # fmt: skip
    check_by_hand(extracts, "adoption_la_to_placed_days", "2015-05", "C1", 122, 2)


def test_by_hand_ref30_order_to_match_days() -> None:
    # YTD May 2015. a1: placement order 1 Jan 2014, match 2 Mar 2014: 31+28+1 = 60 days. a2: the
    # match came first: 0. a3: no match date: out. a4: adopted in June: out. 60 / 2.
    extracts = build(
        children=[kid(c) for c in ("c1", "c2", "c3", "c4")],
        adoptions=[
            _adoption("a1", "c1", adoption_order_date="2015-04-01",
                      placement_order_date="2014-01-01", match_date="2014-03-02"),
            _adoption("a2", "c2", adoption_order_date="2015-05-31",
                      placement_order_date="2014-06-01", match_date="2014-05-01"),
            _adoption("a3", "c3", adoption_order_date="2015-05-01", placement_order_date="2014-06-01"),
            _adoption("a4", "c4", adoption_order_date="2015-06-01",
                      placement_order_date="2014-06-01", match_date="2014-07-01"),
        ],
    )  # fmt: skip
    check_by_hand(extracts, "adoption_order_to_match_days", "2015-05", "C1", 60, 2)


def test_by_hand_ref31_ceased_adopted() -> None:
    # YTD May 2015. c1 adopted (E11) 10 Apr 2015: numerator. c2's episode ended X1 with nothing
    # after: a gap, not leaving care. c3 left care twice (E4A, then E13): once, by the last,
    # denominator. c4 only a short break: out. c5 adopted 31 Mar 2015, before the period. 1 / 2.
    extracts = build(
        children=[kid(f"c{i}") for i in range(1, 6)],
        cic_episodes=[
            ep("e1", "c1", "2014-01-01", "2015-04-10", reason="E11"),
            ep("e2", "c2", "2014-01-01", "2015-04-10"),
            ep("e3", "c3", "2014-01-01", "2015-04-10", reason="E4A"),
            ep("e4", "c3", "2015-04-20", "2015-05-20", reason="E13"),
            ep("e5", "c4", "2015-04-01", "2015-04-02", status="V3", reason="E13"),
            ep("e6", "c5", "2014-01-01", "2015-03-31", reason="E11"),
        ],
    )  # fmt: skip
    check_by_hand(extracts, "cic_ceased_adopted", "2015-05", "C1", 1, 2)


def _leavers():
    return build(
        children=[kid("k1", "1997-06-15"), kid("k2", "1994-03-31"), kid("k3", "1995-02-28"),
                  kid("k4", "1996-01-01"), kid("k5", "1998-10-10")],
        care_leavers=[{"child_id": k, "team": "C1", "eligibility": e} for k, e in
                      [("k1", "former_relevant"), ("k2", "former_relevant"), ("k3", "former_relevant"),
                       ("k4", "relevant"), ("k5", "former_relevant")]],
        care_leaver_contacts=[
            {"contact_id": "t1", "child_id": "k1", "contact_date": "2015-03-15", "in_touch": "YES",
             "accommodation_suitable": True, "activity": "F1"},
            {"contact_id": "t2", "child_id": "k1", "contact_date": "2015-07-15", "in_touch": "NO",
             "accommodation_suitable": False, "activity": "G4"},
            {"contact_id": "t3", "child_id": "k3", "contact_date": "2016-03-29", "in_touch": "NO",
             "accommodation_suitable": True, "activity": "G4"},
            {"contact_id": "t4", "child_id": "k3", "contact_date": "2016-03-28", "in_touch": "REFU",
             "accommodation_suitable": None, "activity": "P3"},
        ],
    )  # fmt: skip


@pytest.mark.parametrize(("indicator", "numerator"), [
    ("care_leavers_in_touch", 1), ("care_leavers_suitable_accommodation", 1), ("care_leavers_eet", 2)])  # fmt: skip
def test_by_hand_refs32_34_care_leavers(indicator: str, numerator: int) -> None:
    # R12M March 2016 = 1 Apr 2015 - 31 Mar 2016. k1: 18 on 15 Jun 2015; window 15 Mar - 15 Jul
    # 2015 (both ends in): the in-touch contact of 15 Mar counts, not the later "NO": in touch,
    # suitable, F1. k2: 21 on 31 Mar 2015, the day before the window, 22 in it: not in the cohort.
    # k3: 21 on 28 Feb 2016; window 28 Nov 2015 - 28 Mar 2016: the 29 Mar contact is outside, the
    # refusal of 28 Mar counts: not in touch, suitability unknown, P3 (training or employment).
    # k4 is not former relevant. k5: 17 on 10 Oct 2015, no contact: denominator. Cohort 3;
    # in touch 1 (k1), suitable 1 (k1), EET 2 (k1, k3).
    check_by_hand(_leavers(), indicator, "2016-03", "C1", numerator, 3)


def _arrangement(aid, notified, initial=None, start=None, end=None):
    return {"arrangement_id": aid, "child_id": f"ch{aid}", "team": "A1",
            "notification_date": notified, "initial_visit_date": initial, "start_date": start,
            "end_date": end}  # fmt: skip


def _pf_visits(aid, *dates, seen=True):
    return [{"visit_id": f"{aid}v{i}", "child_id": f"ch{aid}", "team": "A1", "visit_type": "PF",
             "visit_date": d, "child_seen": seen, "arrangement_id": aid}
            for i, d in enumerate(dates)]  # fmt: skip


def _pf_children(*ids):
    return [kid(f"ch{a}") for a in ids]


def test_by_hand_ref8_initial_visit() -> None:
    # YTD May 2015. p1 notified Thu 2 Apr 2015: working days after it 7, 8, 9, 10, 13, 14, 15 Apr
    # (3 and 6 Apr are Easter): visited 15 Apr, the 7th: numerator; p2 visited 16 Apr, the 8th.
    # p3 notified Fri 22 May: 26, 27, 28, 29 May, 1, 2 Jun (25 May a bank holiday): visited 2 Jun,
    # the 6th, after the month end: numerator. p4 never visited: denominator. p5 notified 31 Mar
    # 2015: before the period. 2 / 4.
    extracts = build(
        children=_pf_children("p1", "p2", "p3", "p4", "p5"),
        pf_arrangements=[_arrangement("p1", "2015-04-02", "2015-04-15"),
                         _arrangement("p2", "2015-04-02", "2015-04-16"),
                         _arrangement("p3", "2015-05-22", "2015-06-02"),
                         _arrangement("p4", "2015-05-01"),
                         _arrangement("p5", "2015-03-31", "2015-04-01")],
    )  # fmt: skip
    check_by_hand(extracts, "pf_initial_visit_7_days", "2015-05", "A1", 2, 4)


def test_by_hand_ref9_new_arrangement_visits() -> None:
    # YTD May 2015 = 1 Apr - 31 May. p1 (from 1 Jan 2015): visits 1 Jan, 12 Feb (day 42), 27 Mar
    # (day 43: late, but due 26 Mar, before the period and held before it began), 8 May (day 42
    # after 27 Mar, due in the period: in time); the next is due 19 Jun: numerator. p2: visited
    # 1 Feb, next due 15 Mar, not held until 10 Apr: still due at the period's start, late. p3:
    # visited 1 Feb, a visit on 10 Mar where the child was not seen does not count: due 15 Mar,
    # never held, late. p4 never started: out. 1 / 3.
    extracts = build(
        children=_pf_children("p1", "p2", "p3", "p4"),
        pf_arrangements=[_arrangement("p1", "2014-12-20", "2015-01-01", "2015-01-01"),
                         _arrangement("p2", "2015-01-25", "2015-02-01", "2015-02-01"),
                         _arrangement("p3", "2015-01-25", "2015-02-01", "2015-02-01"),
                         _arrangement("p4", "2015-03-25", "2015-04-01")],
        visits=[*_pf_visits("p1", "2015-02-12", "2015-03-27", "2015-05-08"),
                *_pf_visits("p2", "2015-04-10"), *_pf_visits("p3", "2015-03-10", seen=False)],
    )  # fmt: skip
    check_by_hand(extracts, "pf_new_visits_6_weeks", "2015-05", "A1", 1, 3)


def test_by_hand_ref10_existing_arrangement_visits() -> None:
    # YTD May 2015. p1 from 1 Mar 2014 (second year from 1 Mar 2015): visited 20 Feb 2015, next
    # 10 May 2015, after the anniversary: this interval reaches the second year, due 20 Feb + 84
    # days = 15 May, in the period, held 10 May: numerator. p2 from 10 Jan 2014: last visit 1 Dec
    # 2014, due 23 Feb 2015, never held, still due at 1 Apr: late. p3 as p2 but ended 23 Feb 2015,
    # the due day: nothing due. 1 / 2.
    extracts = build(
        children=_pf_children("p1", "p2", "p3"),
        pf_arrangements=[_arrangement("p1", "2014-02-20", "2014-03-01", "2014-03-01"),
                         _arrangement("p2", "2014-01-01", "2014-01-10", "2014-01-10"),
                         _arrangement("p3", "2014-01-01", "2014-01-10", "2014-01-10", "2015-02-23")],
        visits=[*_pf_visits("p1", "2015-02-20", "2015-05-10"), *_pf_visits("p2", "2014-12-01"),
                *_pf_visits("p3", "2014-12-01")],
    )  # fmt: skip
    check_by_hand(extracts, "pf_existing_visits_in_time", "2015-05", "A1", 1, 2)


def _post(pid, fte, contract, qsw=None, start="2015-01-01", end=None, caseholding=True,
          role="social_worker", team="C1", worker=None):  # fmt: skip
    return {"post_id": pid, "start_date": start, "end_date": end, "team": team, "role": role,
            "caseholding": caseholding, "fte": fte, "contract": contract,
            "worker_id": None if contract == "vacant" else (worker or f"W{pid}"),
            "qualified_social_worker": qsw}  # fmt: skip


STAFF_EXAMPLE = [
    _post("P1", 1.0, "permanent", True), _post("P2", 0.5, "permanent", None),
    _post("P3", 0.8, "agency"), _post("P4", 1.0, "vacant"),
    _post("P5", 1.0, "permanent", True, caseholding=False),
    _post("P6", 1.0, "permanent", True, end="2015-05-29"),
    _post("P6", 0.5, "agency", start="2015-05-29"),
]  # fmt: skip


@pytest.mark.parametrize(("indicator", "numerator"), [("posts_permanent_qsw", 1.0),
                                                      ("posts_agency", 1.3)])  # fmt: skip
def test_by_hand_refs40_41_posts(indicator: str, numerator: float) -> None:
    # May 2015 (snapshot 29 May). Caseholding posts in post: P1 1.0 permanent qualified, P2 0.5
    # permanent with qualification unknown, P3 0.8 agency, P4 1.0 vacant, and P6's second period
    # (0.5 agency, from the snapshot date; its first period ended that day). P5 holds no cases.
    # FTE 3.8; permanent qualified 1.0 (P1); agency 0.8 + 0.5 = 1.3.
    rows = plain.PLAIN[indicator](build(workforce=STAFF_EXAMPLE), ["2015-05"])
    ((key, (num, den)),) = plain.team_totals(rows).items()
    assert key == ("2015-05", "C1")
    assert (num, den) == (pytest.approx(numerator), pytest.approx(3.8))
    assert_same(build(workforce=STAFF_EXAMPLE), [indicator], ["2015-05"])


def test_by_hand_refs42_44_caseloads() -> None:
    # May 2015 (snapshot 29 May). W1 holds two C1 posts, 0.6 and 0.4 FTE; allocated c1 (twice,
    # one child), c4 (from the snapshot date); c2's allocation ended on the snapshot date and c3's
    # is a fostering social worker's: 2 children / 1.0 FTE, in C1. W2 (C1, agency, 1.0) has none:
    # 0 / 1.0. The vacant C1 post does not count. Ref 42 (C1): 2 / 2.0. W3 in A1: c5, ref 43:
    # 1 / 1.0. W4, fostering social worker in A2 (0.5): c6 (no role recorded) and c7; c8 is
    # recorded as a social worker's: ref 44: 2 / 0.5 in A2.
    def alloc(aid, child, worker, start="2015-01-01", end=None, role="social_worker"):
        return {"allocation_id": aid, "child_id": child, "worker_id": worker, "team": "C1",
                "start_date": start, "end_date": end, "worker_role": role}  # fmt: skip

    extracts = build(
        workforce=[_post("P1", 0.6, "permanent", worker="W1"),
                   _post("P2", 0.4, "permanent", role="senior_practitioner", worker="W1"),
                   _post("P3", 1.0, "agency", worker="W2"), _post("P4", 1.0, "vacant"),
                   _post("P5", 1.0, "permanent", team="A1", worker="W3"),
                   _post("P6", 0.5, "permanent", role="fostering_social_worker", team="A2",
                         worker="W4")],
        children=[kid(f"c{i}") for i in range(1, 9)],
        allocations=[alloc("a1", "c1", "W1", role=None), alloc("a2", "c1", "W1"),
                     alloc("a3", "c2", "W1", end="2015-05-29"),
                     alloc("a4", "c3", "W1", role="fostering_social_worker"),
                     alloc("a5", "c4", "W1", start="2015-05-29"), alloc("a6", "c5", "W3"),
                     alloc("a7", "c6", "W4", role=None),
                     alloc("a8", "c7", "W4", role="fostering_social_worker"),
                     alloc("a9", "c8", "W4")],
    )  # fmt: skip
    check_by_hand(extracts, "caseload_cic", "2015-05", "C1", 2, 2.0)
    check_by_hand(extracts, "caseload_ait_fst", "2015-05", "A1", 1, 1.0)
    check_by_hand(extracts, "caseload_fostering", "2015-05", "A2", 2, 0.5)

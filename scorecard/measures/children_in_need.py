"""Measures of the domain Children in need: refs 5-7.

An *open case* (a child in need) is a referral (CIN episode) open on the snapshot date: referral
date on or before it and no closure date, or a closure date after it. A child with several open
referrals counts once, under the latest referral (latest referral date, then highest referral id),
whose team is the team of the row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.measures.base import (
    MeasureInput,
    Shown,
    explained,
    latest_by,
    measure,
    reasons,
    whole,
)
from scorecard.measures.care_periods import SHORT_BREAK_STATUSES, looked_after_on_snapshots
from scorecard.measures.kernels import (
    count_between,
    has_match,
    joint_codes,
    last_in_groups,
    matching_pairs,
    open_on_snapshot,
)
from scorecard.measures.workers import SOCIAL_WORKER_ROLES, allocations_to

#: SSDA903 legal statuses of short breaks: a child on a short break is not counted as looked after
#: (as in DfE's looked-after figures) and stays in the children-in-need cohort of ref 5.
SHORT_BREAK_LEGAL_STATUSES = SHORT_BREAK_STATUSES

#: Allocation roles that make a case allocated for ref 7: a social worker, a senior practitioner,
#: or a personal adviser (the statutory allocated worker of a care leaver).
ALLOCATED_WORKER_ROLES = (*SOCIAL_WORKER_ROLES, "personal_adviser")


def _latest_per_child(frame: pd.DataFrame, date: str, record_id: str) -> pd.DataFrame:
    """One row per month and child: the latest ``date`` (ties: the highest ``record_id``)."""
    return last_in_groups(frame, ["month", "child_id"], [date, record_id]).reset_index(drop=True)


def _first_authorisations(cases: pd.DataFrame, assessments: pd.DataFrame) -> np.ndarray:
    """For each row of ``cases`` (open referrals), the earliest authorisation date among the
    assessments of its referral (NaT if none): those recording its ``referral_id``, and those
    recording none that are the child's and started on or after the referral date.

    The same dates as the minimum per referral of the rows of
    ``pd.concat([linked, cases.drop_duplicates("referral_id").merge(unlinked, on="child_id")
    [start_date >= referral_date]])``, found on integer codes (a merge or concatenation of
    coded identifiers hashes their categories)."""
    done = assessments[assessments["authorised_date"].notna()]
    linked = done[done["referral_id"].notna()]
    unlinked = done[done["referral_id"].isna()]
    (case_codes, linked_codes), size = joint_codes(cases["referral_id"], linked["referral_id"])
    once = np.flatnonzero(~cases["referral_id"].duplicated().to_numpy())  # each referral once
    (case_child, unlinked_child), _ = joint_codes(
        cases["child_id"].take(once), unlinked["child_id"]
    )
    referral, assessment = matching_pairs(case_child, unlinked_child)  # the same child
    started = unlinked["start_date"].to_numpy()[assessment]
    after = started >= cases["referral_date"].to_numpy()[once][referral]
    codes = np.concatenate([linked_codes, case_codes[once][referral[after]]])
    dates = pd.concat(
        [linked["authorised_date"], unlinked["authorised_date"].take(assessment[after])],
        ignore_index=True,
    )
    earliest = dates.groupby(codes).min()
    first = np.full(size, np.datetime64("NaT"), dtype=earliest.to_numpy().dtype)
    first[earliest.index.to_numpy()] = earliest.to_numpy()
    return first[case_codes]


def _open_cases(inp: MeasureInput) -> pd.DataFrame:
    """Referrals open on each snapshot date (one row per referral and month)."""
    return inp.open_records(
        "referrals", "referral_date", "closure_date",
        ("referral_id", "child_id", "team", "referral_date"),
    )  # fmt: skip


@measure(
    "cin_with_plan", needs=("referrals", "assessments", "cin_plans", "cp_plans", "cic_episodes")
)
def cin_with_plan(inp: MeasureInput) -> pd.DataFrame:
    """Children with a referral (CIN episode) open on the snapshot date, not on a CP plan open on
    that date, not looked after on that date, and whose assessment for the open episode was
    authorised on or before that date; in the numerator when the child has a CIN plan open on the
    snapshot date (plan start on or before it, no end or an end after it).

    Choices: the assessment must belong to the open referral: its ``referral_id`` is that referral,
    or, when its ``referral_id`` is blank, it is the child's and started on or after the referral
    date (an assessment of an earlier, closed episode does not count). "Looked after" is a CIC
    episode open on the snapshot date other than a short break (legal status V3/V4), as in DfE's
    looked-after figures; a child on a short break stays a child in need. Any open CIN plan of the
    child counts, whichever referral it records. One row per child, under the latest open referral
    that has an authorised assessment; its team is the referral's (the team holding the case)."""
    cases = _open_cases(inp)

    on_plan = inp.open_records("cp_plans", columns=("child_id",))
    # the children looked after (episodes other than short breaks open on the snapshot date)
    looked_after = looked_after_on_snapshots(inp.extracts, inp.months, ("child_id",))
    cases = cases[
        ~has_match(cases, on_plan, ["month", "child_id"])
        & ~has_match(cases, looked_after, ["month", "child_id"])
    ]

    # Each open referral's first authorisation among its assessments (none of which depends on
    # the month): a referral is assessed by a snapshot date when that is on or before it.
    first = _first_authorisations(cases, inp.extract("assessments"))
    cases = cases.assign(_assessed=first)
    cases = cases[first <= cases["snapshot"].to_numpy()]  # NaT: never assessed

    cohort = _latest_per_child(cases, "referral_date", "referral_id")
    plans = inp.open_records("cin_plans", columns=("child_id",))
    with_plan = has_match(cohort, plans, ["month", "child_id"])

    def why(frame: pd.DataFrame) -> Shown:  # the referral, its assessment and why
        return Shown(
            reasons(
                [(with_plan, "a CIN plan open on the snapshot date")],
                "no CIN plan open on the snapshot date",
                frame.index,
            ),
            {"referral_date": "referral_date", "assessment_authorised": "_assessed",
             "snapshot_date": "snapshot"},
        )  # fmt: skip

    return explained(inp, cohort, why, record_id="referral_id", numerator=with_plan)


@measure("cin_seen_28_days", needs=("cin_plans", "visits"), parameters=(
    whole("visit_window_days", "days before the snapshot in which a visit counts", 28, minimum=1),))
def cin_seen_28_days(inp: MeasureInput) -> pd.DataFrame:
    """Children with a CIN plan open on the snapshot date that started at least
    ``visit_window_days`` (28) days before it (start <= snapshot - 28 days); in the numerator when
    the child was seen on a CIN visit dated in the 28 days up to the snapshot date, i.e. after
    snapshot - 28 days and on or before the snapshot date (a visit exactly 28 days before the
    snapshot is outside the window; one 27 days before is inside).

    Choices: only visits of type CIN in which the child was seen count (a visit where the child
    was not seen does not). A child with several qualifying open plans counts once, under the
    latest-starting one (then the highest plan id), whose team is the team of the row (the team
    holding the plan)."""
    window = pd.Timedelta(days=int(inp.param("visit_window_days")))
    plans = inp.open_records("cin_plans")
    plans = plans[plans["start_date"] <= plans["snapshot"] - window]
    cohort = _latest_per_child(plans, "start_date", "cin_plan_id")

    visits = inp.extract("visits")
    calendar = inp.calendar
    seen = visits[
        (visits["visit_type"] == "CIN")
        & visits["child_seen"].astype(bool)
        & (visits["visit_date"] > calendar["snapshot"].min() - window)
        & (visits["visit_date"] <= calendar["snapshot"].max())
    ]
    (theirs, mine), _ = joint_codes(seen["child_id"], cohort["child_id"])
    recent = count_between(
        theirs,
        seen["visit_date"],
        mine,
        cohort["snapshot"] - window,
        cohort["snapshot"],
        include_low=False,
    )
    seen_recently = pd.Series(recent > 0, cohort.index)
    days = int(inp.param("visit_window_days"))

    def why(frame: pd.DataFrame) -> Shown:  # the plan start, the last time seen and why
        last_seen = _last_seen(visits, frame)
        since = (frame["snapshot"] - last_seen).dt.days
        return Shown(
            reasons(
                [
                    (seen_recently, f"seen on a CIN visit in the {days} days to the snapshot date"),
                    (last_seen.notna(),
                     f"last seen on a CIN visit {days} or more days before the snapshot date"),
                ],
                "not seen on a CIN visit by the snapshot date",
                frame.index,
            ),
            {"plan_start": "start_date", "snapshot_date": "snapshot", "last_seen": last_seen,
             "days_since_seen": since},
        )  # fmt: skip

    return explained(inp, cohort, why, record_id="cin_plan_id", numerator=seen_recently)


def _last_seen(visits: pd.DataFrame, cohort: pd.DataFrame) -> pd.Series:
    """For each row of ``cohort`` (``child_id, snapshot``), the latest CIN visit in which the child
    was seen on or before the snapshot date (missing if none), for a drill-down of ref 6."""
    seen = visits[(visits["visit_type"] == "CIN") & visits["child_seen"].astype(bool)]
    return latest_by(seen, "visit_date", cohort, "child_id", "snapshot")


@measure("unallocated_cases", needs=("referrals", "allocations"), optional=("workforce",))
def unallocated_cases(inp: MeasureInput) -> pd.DataFrame:
    """Count of children with a referral (CIN episode) open on the snapshot date and no allocation
    to a social worker open on that date (allocation start on or before it, no end or an end after
    it; an allocation ending on the snapshot date has ended).

    Choices: an allocation counts when its ``worker_role`` is social worker, senior practitioner
    or personal adviser (the statutory allocated worker of a care leaver); a case held only by a
    team manager, a family support worker, a fostering social worker or another role is
    unallocated, as Kent counts cases awaiting allocation. A blank ``worker_role`` is resolved as
    :func:`scorecard.measures.workers.allocations_to` says (the indicator does not need
    ``workforce``). An allocation counts whatever team it records. One row per
    unallocated child, under the latest open referral, in the referral's team."""
    cases = _latest_per_child(_open_cases(inp), "referral_date", "referral_id")

    allocations = allocations_to(
        inp.extract("allocations"), inp.extracts.get("workforce"), ALLOCATED_WORKER_ROLES,
        ("child_id", "start_date", "end_date"),
    )  # fmt: skip
    unallocated = cases[~open_on_snapshot(allocations, cases, "child_id")]

    def why(frame: pd.DataFrame) -> Shown:  # the open referral and the snapshot date
        return Shown(
            reasons([], "open, with no social worker allocated on the snapshot date", frame.index),
            {"referral_date": "referral_date", "snapshot_date": "snapshot"},
        )

    return explained(inp, unallocated, why, record_id="referral_id", numerator=1.0,
                     denominator=None)  # fmt: skip

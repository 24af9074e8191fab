"""Measures of the domain Child protection: refs 11-18.

Snapshot measures (11-13) count the CP plans open on each month's snapshot date (the last working
day; a plan ending on that day is not open). Year-to-date measures count plans by start (14) or end
(15) date and section 47 enquiries by completion (16) or conference (17, 18) date. Every row counts
in the team holding the plan or the enquiry, except ref 12, whose records are visits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.calendar.months import add_months
from scorecard.calendar.working_days import working_days_between
from scorecard.measures.base import (
    MeasureInput,
    Shown,
    explained,
    in_period,
    measure,
    reasons,
    review_reasons,
    whole,
    within_periods,
)
from scorecard.measures.kernels import (
    count_between,
    joint_codes,
    joint_keys,
    last_in_groups,
    lookup_table,
    matching_pairs,
    merged_one,
    nanoseconds,
    previous_event_date,
    previous_in_groups,
    runs,
    take_rows,
    take_values,
    unique_key,
)


def _flag(values: pd.Series) -> pd.Series:
    """A nullable flag as plain bool: blank (not recorded) is False."""
    return values.astype("boolean").fillna(False).astype(bool)


# --------------------------------------------------------------------------------------------------
# Current plans (snapshot)
# --------------------------------------------------------------------------------------------------


@measure("cp_plans_18_months", needs=("cp_plans",), parameters=(
    whole("duration_months", "months a plan has lasted at the snapshot", 18, minimum=1),))
def cp_plans_18_months(inp: MeasureInput) -> pd.DataFrame:
    """CP plans open on the snapshot date (start on or before it, no end or an end after it); in
    the numerator when the plan started ``duration_months`` (18) calendar months or more before
    the snapshot date: start <= snapshot - 18 months in calendar-month arithmetic, the boundary
    day included. Team: the team holding the plan."""
    months = int(inp.param("duration_months"))
    rows = inp.open_records("cp_plans", columns=("cp_plan_id", "child_id", "team", "start_date"))
    long_running = rows["start_date"] <= add_months(rows["snapshot"], -months)

    def why(frame: pd.DataFrame) -> Shown:  # the start, the snapshot and why
        return Shown(
            reasons(
                [(long_running, f"started {months} months or more before the snapshot date")],
                f"started less than {months} months before the snapshot date",
                frame.index,
            ),
            {"start_date": "start_date", "snapshot_date": "snapshot",
             f"reaches_{months}_months": add_months(frame["start_date"], months)},
        )  # fmt: skip

    return explained(inp, rows, why, record_id="cp_plan_id", numerator=long_running)


@measure("cp_visits_in_time", needs=("cp_plans", "visits"), parameters=(
    whole("window_months", "months of plan days looked at", 3, minimum=1, maximum=12),
    whole("visit_interval_working_days", "longest gap between visits", 10, minimum=1),
))
def cp_visits_in_time(inp: MeasureInput) -> pd.DataFrame:
    """A count of visits, not children. Denominator: CP visits (visit type CP) dated in the
    ``window_months`` (3) calendar months up to the snapshot date (from snapshot - 3 months, the
    boundary day included, to the snapshot date) to children whose CP plan is open on the
    snapshot date, and dated on or after that plan's start. Numerator: visits held within
    ``visit_interval_working_days`` (10) working days of the child's previous CP visit, or of the
    plan start for the first visit of the plan (working days a < w <= b, so a visit exactly 10
    working days later is in time and 11 is not).

    Choice: visits made before the current plan started (under an earlier plan) are neither
    counted nor used as the previous visit. Several visits on one day share the same previous
    visit (a second visit the same day does not restart the clock). Every CP visit record counts,
    whether or not the child was seen. If a child has more than one plan open on the snapshot
    date (overlapping records), the latest-starting plan is used. Team: the team holding the visit
    (the visiting worker's team), since the record counted is the visit."""
    window = int(inp.param("window_months"))
    interval = int(inp.param("visit_interval_working_days"))
    plans = inp.open_records("cp_plans")
    current = last_in_groups(plans, ["month", "child_id"], ["start_date"])
    visits = inp.extract("visits")
    at = np.flatnonzero((visits["visit_type"] == "CP").to_numpy())  # the CP visits' rows
    cp_visits = take_rows(visits[["child_id", "visit_date"]], at)
    previous = previous_event_date(cp_visits, "child_id", "visit_date")

    # Each visit in the months whose window [snapshot - 3 months, snapshot] holds its date (the
    # windows ascend with the months: a run of months, by binary search), then the child's plan
    # open in that month looked up in a table by month and child. Positions only, so that the
    # many pairs dropped on the way copy none of the visits' columns.
    calendar = inp.calendar[["month", "snapshot"]].sort_values("month", ignore_index=True)
    window_from = add_months(calendar["snapshot"], -window)
    day = nanoseconds(cp_visits["visit_date"])
    first = np.searchsorted(nanoseconds(calendar["snapshot"]), day, side="left")
    stop = np.searchsorted(nanoseconds(window_from), day, side="right")
    stop[cp_visits["visit_date"].isna().to_numpy()] = 0
    visit, month = runs(first, stop)
    (visit_child, plan_child), size = joint_codes(cp_visits["child_id"], current["child_id"])
    plan_month = pd.Index(calendar["month"]).get_indexer(current["month"])
    plan = lookup_table(plan_month * size + plan_child, len(calendar) * size)
    found = plan(month.astype(np.int64) * size + visit_child[visit])
    del visit_child
    visit, month, found = visit[found >= 0], month[found >= 0], found[found >= 0]
    plan_start = current["start_date"].to_numpy()[found]
    held = cp_visits["visit_date"].to_numpy()[visit] >= plan_start
    visit, month, plan_start = visit[held], month[held], plan_start[held]
    # The clock runs from the previous CP visit made under this plan, else from the plan start
    # (on arrays: the dates are columns of the rows only for a drill-down).
    visit_date = take_values(cp_visits["visit_date"], visit)
    earlier = take_values(previous.reset_index(drop=True), visit)
    from_visit = earlier.to_numpy() >= plan_start  # (NaT: no previous visit)
    since = pd.Series(earlier.to_numpy()).where(from_visit, pd.Series(plan_start))
    days = working_days_between(since, visit_date)
    del since
    in_time = (days <= interval).astype(bool)
    row = at[visit]  # (the visits' rows)
    rows = pd.DataFrame(
        {
            "month": take_values(calendar["month"], month),
            "visit_id": take_values(visits["visit_id"], row),
            "child_id": take_values(cp_visits["child_id"], visit),
            "team": take_values(visits["team"], row),
        },
        copy=False,
    )
    if inp.detail:
        rows = rows.assign(visit_date=visit_date, _previous=earlier, _plan_start=plan_start)
    del visit_date, earlier

    def why(frame: pd.DataFrame) -> Shown:  # what the clock ran from, the working days and why
        after_visit = frame["_previous"] >= frame["_plan_start"]
        late = ~in_time
        return Shown(
            reasons(
                [
                    (in_time & after_visit,
                     f"held within {interval} working days of the previous CP visit"),
                    (in_time,
                     f"the plan's first visit, held within {interval} working days of its start"),
                    (late & after_visit,
                     f"held more than {interval} working days after the previous CP visit"),
                ],
                f"the plan's first visit, held more than {interval} working days after its start",
                frame.index,
            ),
            {"visit_date": "visit_date", "plan_start": "_plan_start",
             "previous_visit": frame["_previous"].where(after_visit), "working_days": days},
        )  # fmt: skip

    return explained(inp, rows, why, record_id="visit_id", numerator=in_time)


def _reviews_held_by_merge(
    plans: pd.DataFrame, reviews: pd.DataFrame
) -> tuple[pd.DataFrame, pd.Series]:
    """:func:`_reviews_held` by merging the plans' months with the reviews and grouping (the way
    taken when the plans' keys cannot be coded; the reference its tests compare with)."""
    held = plans[["cp_plan_id", "month", "snapshot"]].merge(
        reviews[["cp_plan_id", "review_date", "_late"]], on="cp_plan_id"
    )
    held = held[held["review_date"] <= held["snapshot"]]
    by_snapshot = (
        held.groupby(["cp_plan_id", "month"], observed=True)
        .agg(_any_late=("_late", "any"), _last=("review_date", "max"))
        .reset_index()
    )
    rows = plans.merge(by_snapshot, on=["cp_plan_id", "month"], how="left")
    return rows.drop(columns="_any_late"), _flag(rows["_any_late"])


def _reviews_held(plans: pd.DataFrame, reviews: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """``plans`` (open plans, one row per plan and month, a RangeIndex) with ``_last``, the
    latest ``review_date`` of the ``reviews`` of the plan (by ``cp_plan_id``) held by the
    snapshot, and whether any of those was ``_late`` (False when none was held): what grouping
    the merge of the two on the plan by plan and month gives, found on integer codes."""
    keys = joint_keys(plans, plans, ["cp_plan_id", "month"])
    if keys is None or reviews["review_date"].dtype.kind != "M":
        return _reviews_held_by_merge(plans, reviews)
    group, _, size = keys
    (plan_codes, review_codes), _ = joint_codes(plans["cp_plan_id"], reviews["cp_plan_id"])
    plan, review = matching_pairs(plan_codes, review_codes)
    dates = reviews["review_date"].to_numpy()
    stamps = dates.view(np.int64)[review]
    held = dates[review] <= plans["snapshot"].to_numpy()[plan]  # (NaT: never held)
    held &= plan_codes[plan] > 0  # (grouping leaves out a missing plan id: code 0)
    cell, stamps = group[plan[held]], stamps[held]
    late = reviews["_late"].to_numpy(dtype=bool)[review[held]]
    last = np.full(size, np.iinfo(np.int64).min, dtype=np.int64)  # NaT where none was held
    np.maximum.at(last, cell, stamps)
    any_late = np.zeros(size, dtype=bool)
    any_late[cell[late]] = True
    rows = plans.assign(_last=last[group].view(dates.dtype))
    return rows, pd.Series(any_late[group], index=plans.index)


@measure("cp_reviews_in_time", needs=("cp_plans", "cp_reviews"), parameters=(
    whole("first_review_months", "months from the conference to the first review", 3, minimum=1),
    whole("review_interval_months", "months between later reviews", 6, minimum=1),
))
def cp_reviews_in_time(inp: MeasureInput) -> pd.DataFrame:
    """Denominator: CP plans open on the snapshot date with at least one review conference due on
    or before it, i.e. start + ``first_review_months`` (3) calendar months <= snapshot. Review
    due dates: the first review within 3 months of the plan start (the ICPC), each later one
    within ``review_interval_months`` (6) months of the previous review held (boundary day
    included; Working Together, DfE CIN census). Numerator: plans where every review due on or
    before the snapshot date was held on time: each review held by the snapshot date was on or
    before its due date, and the next review is not overdue (a review due on or before the
    snapshot date but not held by then is late). Team: the team holding the plan.

    Choice: only review conferences of the plan (by plan id) dated after the plan start and on or
    before the snapshot date count; several reviews on one day count once."""
    first_months = int(inp.param("first_review_months"))
    interval_months = int(inp.param("review_interval_months"))
    plans = inp.open_records("cp_plans")
    plans = plans.assign(_first_due=add_months(plans["start_date"], first_months))
    plans = plans[plans["_first_due"] <= plans["snapshot"]].reset_index(drop=True)

    # Each review's due date, from the plan's history (independent of the snapshot).
    # (a left merge: a review of no known plan has no start, and is dropped below)
    reviews = merged_one(inp.extract("cp_reviews")[["cp_plan_id", "review_date"]],
                         inp.extract("cp_plans"), "cp_plan_id", "start_date")  # fmt: skip
    reviews = (
        reviews[reviews["review_date"] > reviews["start_date"]]
        .drop_duplicates(["cp_plan_id", "review_date"])
        .sort_values(["cp_plan_id", "review_date"])
        .reset_index(drop=True)
    )
    previous = previous_in_groups(reviews["review_date"], reviews["cp_plan_id"])
    due = add_months(previous, interval_months).fillna(
        add_months(reviews["start_date"], first_months)
    )
    reviews = reviews.assign(_late=reviews["review_date"] > due)

    # Reviews held by each snapshot: any late, and the latest (from which the next is due).
    rows, late = _reviews_held(plans, reviews)
    next_due = add_months(rows["_last"], interval_months).fillna(rows["_first_due"])
    on_time = ~late & (next_due > rows["snapshot"])

    def why(frame: pd.DataFrame) -> Shown:  # the last review held, the next due date and why
        return Shown(
            review_reasons(on_time, late, frame.index),
            {"plan_start": "start_date", "snapshot_date": "snapshot", "last_review": "_last",
             "next_review_due": next_due},
        )  # fmt: skip

    return explained(inp, rows, why, record_id="cp_plan_id", numerator=on_time)


# --------------------------------------------------------------------------------------------------
# Plans starting and ending (year to date)
# --------------------------------------------------------------------------------------------------


@measure("cp_repeat_24_months", needs=("cp_plans",), parameters=(
    whole("lookback_months", "how far back an earlier plan counts", 24, minimum=1, maximum=240),))
def cp_repeat_24_months(inp: MeasureInput) -> pd.DataFrame:
    """Denominator: CP plans starting in the period (by start date). Numerator: plans for a child
    who had another CP plan that ended within the ``lookback_months`` (24) calendar months before
    the new plan's start: new start - 24 months <= earlier end <= new start, the boundary day
    included. Team: the team holding the new plan.

    Deviation: DfE's repeat-plan measure (CIN census) counts a previous plan ever; this local
    variant counts only one ended in the last 24 months. Choice: an earlier plan ending on the day
    the new one starts counts (the child becomes subject to a plan again)."""
    months = int(inp.param("lookback_months"))
    plans = inp.extract("cp_plans")
    if not unique_key(plans["cp_plan_id"]):  # not the extract's key (the loader refuses it)
        return _joined_cp_repeat(inp, plans, months)
    # the plans a month's period can hold; each asks how many of its child's plans ended in its
    # window, less itself (by binary search in the ended plans: no pairing of plans)
    flagged = plans.loc[within_periods(plans["start_date"], inp)]
    window_start = add_months(flagged["start_date"], -months)
    ended = plans.loc[plans["end_date"].notna(), ["child_id", "end_date"]]
    (theirs, mine), _ = joint_codes(ended["child_id"], flagged["child_id"])
    earlier = count_between(theirs, ended["end_date"], mine, window_start, flagged["start_date"])
    itself = (flagged["end_date"] <= flagged["start_date"]) & (flagged["end_date"] >= window_start)
    flagged = flagged.assign(_repeat=earlier - itself.to_numpy(dtype=np.int64) > 0)

    def why(frame: pd.DataFrame) -> Shown:  # the latest earlier plan's end, the window and why
        return _repeat_shown(frame, plans, months)

    return explained(inp, flagged, why, record_id="cp_plan_id", numerator="_repeat",
                     date="start_date")  # fmt: skip


def _joined_cp_repeat(inp: MeasureInput, plans: pd.DataFrame, months: int) -> pd.DataFrame:
    """:func:`cp_repeat_24_months` by pairing each plan with its child's ended plans: for a
    ``cp_plans`` extract whose ``cp_plan_id`` repeats or is missing (the loader refuses it)."""
    ended = plans.loc[plans["end_date"].notna(), ["cp_plan_id", "child_id", "end_date"]]
    pairs = plans[["cp_plan_id", "child_id", "start_date"]].merge(
        ended, on="child_id", suffixes=("", "_earlier")
    )
    repeat = (
        (pairs["cp_plan_id_earlier"] != pairs["cp_plan_id"])
        & (pairs["end_date"] <= pairs["start_date"])
        & (pairs["end_date"] >= add_months(pairs["start_date"], -months))
    )
    repeated_ids = pairs.loc[repeat, "cp_plan_id"].unique()
    flagged = plans.assign(_repeat=plans["cp_plan_id"].isin(repeated_ids))

    def why(frame: pd.DataFrame) -> Shown:
        return _repeat_shown(frame, plans, months)

    return explained(inp, flagged, why, record_id="cp_plan_id", numerator="_repeat",
                     date="start_date")  # fmt: skip


def _repeat_shown(frame: pd.DataFrame, plans: pd.DataFrame, months: int) -> Shown:
    """For a drill-down of ref 14: the end of the child's latest other plan that ended by the
    start, the window and why."""
    ended = plans.loc[plans["end_date"].notna(), ["cp_plan_id", "child_id", "end_date"]]
    pairs = plans[["cp_plan_id", "child_id", "start_date"]].merge(
        ended, on="child_id", suffixes=("", "_earlier")
    )
    before = (pairs["cp_plan_id_earlier"] != pairs["cp_plan_id"]) & (
        pairs["end_date"] <= pairs["start_date"]
    )
    latest = pairs[before].groupby("cp_plan_id", observed=True)["end_date"].max()
    ended_before = pd.Series(latest.reindex(frame["cp_plan_id"]).to_numpy(), frame.index)
    return Shown(
        reasons(
            [
                (frame["_repeat"],
                 f"an earlier plan of the child ended within {months} months before the start"),
                (ended_before.notna(),
                 f"the child's earlier plan ended over {months} months before the start"),
            ],
            "no earlier plan of the child ended by the start",
            frame.index,
        ),
        {"start_date": "start_date",
         "window_start": add_months(frame["start_date"], -months),
         "earlier_plan_end": ended_before},
    )  # fmt: skip


@measure("cp_ended_2_years", needs=("cp_plans",), parameters=(
    whole("duration_months", "months a plan had lasted when it ended", 24, minimum=1),))
def cp_ended_2_years(inp: MeasureInput) -> pd.DataFrame:
    """Denominator: CP plans ending in the period (by end date). Numerator: plans that had lasted
    ``duration_months`` (24) calendar months or more when they ended: end >= start + 24 months,
    the boundary day included (a plan starting 29 Feb 2016 reaches 2 years on 28 Feb 2018).
    Team: the team holding the plan."""
    months = int(inp.param("duration_months"))
    rows = in_period(inp.extract("cp_plans"), "end_date", inp)
    lasted = rows["end_date"] >= add_months(rows["start_date"], months)

    def why(frame: pd.DataFrame) -> Shown:  # the start, the end and why
        return Shown(
            reasons(
                [(lasted, f"had lasted {months} months or more when it ended")],
                f"ended before lasting {months} months",
                frame.index,
            ),
            {"start_date": "start_date", "end_date": "end_date",
             f"reaches_{months}_months": add_months(frame["start_date"], months)},
        )  # fmt: skip

    return explained(inp, rows, why, record_id="cp_plan_id", numerator=lasted)


# --------------------------------------------------------------------------------------------------
# Section 47 enquiries and initial conferences (year to date)
# --------------------------------------------------------------------------------------------------


@measure("s47_child_seen", needs=("s47_enquiries", "children"))
def s47_child_seen(inp: MeasureInput) -> pd.DataFrame:
    """Denominator: section 47 enquiries completed in the period (by completion date), excluding
    unborn children: a child with no date of birth, or born after the enquiry started (a child
    born on the start day counts). Numerator: the child was seen during the enquiry.

    Choice: a blank child-seen flag (not recorded) counts as not seen. Team: the team holding the
    enquiry."""
    enquiries = inp.extract("s47_enquiries")
    enquiries = enquiries[within_periods(enquiries["completed_date"], inp)]  # only these count
    births = inp.extract("children")[["child_id", "date_of_birth"]]
    known = merged_one(enquiries, births, "child_id", "date_of_birth")
    born = known["date_of_birth"].notna() & (known["date_of_birth"] <= known["start_date"])
    rows = in_period(known[born], "completed_date", inp)
    seen = _flag(rows["child_seen"])

    def why(frame: pd.DataFrame) -> Shown:  # the dates and the flag, and why
        return Shown(
            reasons(
                [(seen, "the child was seen during the enquiry"),
                 (frame["child_seen"].notna(), "the child was not seen during the enquiry")],
                "not recorded whether the child was seen (counts as not seen)",
                frame.index,
            ),
            {"date_of_birth": "date_of_birth", "start_date": "start_date",
             "completed_date": "completed_date", "child_seen": "child_seen"},
        )  # fmt: skip

    return explained(inp, rows, why, record_id="s47_id", numerator=seen)


@measure("icpc_within_15_wd", needs=("s47_enquiries",), parameters=(
    whole("timescale_working_days", "working days from strategy discussion to conference", 15,
          minimum=1),))
def icpc_within_15_wd(inp: MeasureInput) -> pd.DataFrame:
    """Denominator: initial child protection conferences held in the period (by conference date).
    Numerator: the conference was held within ``timescale_working_days`` (15) working days of the
    section 47 enquiry's start (strategy discussion): working days w with start < w <= ICPC date
    at most 15 (England & Wales bank holidays excluded). Team: the team holding the enquiry."""
    days = int(inp.param("timescale_working_days"))
    rows = in_period(inp.extract("s47_enquiries"), "icpc_date", inp)
    working = working_days_between(rows["start_date"], rows["icpc_date"])
    in_time = (working <= days).astype(bool)

    def why(frame: pd.DataFrame) -> Shown:  # the dates, the working days and why
        return Shown(
            reasons(
                [(in_time, f"held within {days} working days of the enquiry's start")],
                f"held more than {days} working days after the enquiry's start",
                frame.index,
            ),
            {"start_date": "start_date", "icpc_date": "icpc_date", "working_days": working},
        )  # fmt: skip

    return explained(inp, rows, why, record_id="s47_id", numerator=in_time)


@measure("icpc_to_cp_plan", needs=("s47_enquiries",))
def icpc_to_cp_plan(inp: MeasureInput) -> pd.DataFrame:
    """Denominator: initial child protection conferences held in the period (by conference date).
    Numerator: conferences whose recorded outcome was a child protection plan.

    Choice: a conference with a blank outcome counts in the denominator and not the numerator.
    Team: the team holding the enquiry."""
    rows = in_period(inp.extract("s47_enquiries"), "icpc_date", inp)
    plan = _flag(rows["icpc_outcome_cp_plan"])

    def why(frame: pd.DataFrame) -> Shown:  # the conference date and outcome, and why
        outcome = frame["icpc_outcome_cp_plan"]
        return Shown(
            reasons(
                [(plan, "the conference led to a CP plan"),
                 (outcome.notna(), "the conference did not lead to a CP plan")],
                "no outcome recorded (counts as no plan)",
                frame.index,
            ),
            {"icpc_date": "icpc_date", "outcome_cp_plan": "icpc_outcome_cp_plan"},
        )  # fmt: skip

    return explained(inp, rows, why, record_id="s47_id", numerator=plan)

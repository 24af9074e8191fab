"""Measures of the domain Children in care: refs 19-27 (SSDA903 concepts).

Shared conventions of these measures:

* **Short breaks.** Episodes with legal status V3 or V4 (an agreed series of short-term
  placements, i.e. respite) are ignored throughout, as in the DfE looked-after statistics: they are
  not periods of care or placements, and a child whose only open episode is a short break is not
  looked after on the snapshot date.
* **Period of care.** A run of a child's episodes in which each starts on the day the previous one
  ended and the previous one ended with reason X1 (episode ends, care continues). Any other start
  (the child's first episode, a gap, or a return after leaving care) begins a new period of care.
  "Looked after continuously for at least N months" on a snapshot date means the current period of
  care started on or before the snapshot date minus N calendar months.
* **Placement.** A placement begins with a new period of care or with an episode whose reason for
  new episode (903 RNE) is S, P, T, B or U; an episode with RNE L (legal status change only)
  continues the placement of the episode before it.
* **Children looked after on the snapshot date**: a (non short-break) episode open on the last
  working day of the month (an episode ending on that day is not open). Child-level measures
  count the child once (record id = child id) in the team of that open episode.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from scorecard.calendar.months import add_months
from scorecard.calendar.working_days import add_working_days
from scorecard.extracts.arrays import group_codes
from scorecard.measures.base import (
    MeasureInput,
    Shown,
    explained,
    latest_by,
    measure,
    month_positions,
    reasons,
    review_reasons,
    whole,
)
from scorecard.measures.care_periods import (
    extract_care_episodes,
    looked_after_on_snapshots,
    looked_after_positions,
    placements,
)
from scorecard.measures.kernels import (
    any_so_far,
    bound_positions,
    count_between,
    count_upto,
    has_match,
    joint_codes,
    matching_pairs,
    merged_one,
    nanoseconds,
    pairs_merged,
    run_starts,
    sort_order,
)
from scorecard.measures.workers import SOCIAL_WORKER_ROLES, allocations_to
from scorecard.registry.contract import Parameter, ParameterKind

#: 903 placement types: foster care (U1-U6), of which with relatives or friends (U1-U3).
FOSTER_PLACEMENTS = ("U1", "U2", "U3", "U4", "U5", "U6")
RELATIVE_FRIEND_PLACEMENTS = ("U1", "U2", "U3")
#: 903 placement provider: the council's own provision.
OWN_PROVISION = "PR1"
#: 903 placement types: placed for adoption.
ADOPTION_PLACEMENTS = ("A3", "A4", "A5", "A6")
#: 903 review participation codes: under 4 (excluded) and participated.
UNDER_4 = "PN0"
PARTICIPATED = ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6")

_FAR_FUTURE = pd.Timestamp("2261-12-31")
_KEY = ["month", "child_id"]


# --------------------------------------------------------------------------------------------------
# Periods of care, placements and the looked-after population


def looked_after(
    inp: MeasureInput,
    columns: tuple[str, ...] = (),
    keep: np.ndarray | None = None,
    snapshot: bool = True,
) -> pd.DataFrame:
    """Children looked after on each snapshot date: ``child_id, team``, the episode ``columns``
    asked for and ``month, snapshot`` (the episodes of :func:`care_episodes`, built once per
    computation). ``keep``, a mask over the rows of :func:`looked_after_positions`, gives only
    those rows (labelled by their positions); ``snapshot=False`` leaves out the snapshot date
    (e.g. read only for a drill-down: ``snapshot=inp.detail``)."""
    return looked_after_on_snapshots(
        inp.extracts, inp.months, ("child_id", "team", *columns), keep=keep, snapshot=snapshot
    )


def _by_month(inp: MeasureInput, values: pd.Series, month: pd.Series) -> pd.Series:
    """``values`` (one per reporting month, in the order of ``inp.months``) for each row of
    ``month``, aligned with it."""
    return pd.Series(values.to_numpy()[month_positions(month, inp.months)], index=month.index)


def continuously_since(rows: pd.DataFrame, months: int) -> pd.Series:
    """Whether the current period of care started on or before the snapshot minus ``months``."""
    return rows["period_start"] <= add_months(rows["snapshot"], -months)


def _positions(dates: pd.Series, bounds: np.ndarray) -> np.ndarray:
    """:func:`bound_positions` of ``dates`` among ``bounds`` (ascending int64 nanoseconds)."""
    return bound_positions(dates.to_numpy(dtype="datetime64[ns]"), bounds.view("datetime64[ns]"))


def _with_birth_dates(rows: pd.DataFrame, inp: MeasureInput) -> pd.DataFrame:
    children = inp.extract("children")[["child_id", "date_of_birth"]]
    return merged_one(rows, children, "child_id", "date_of_birth")


# --------------------------------------------------------------------------------------------------
# Ref 19-22: placements


@measure("cic_3_placements_12m", needs=("cic_episodes",), parameters=(
    whole("lookback_months", "months in which placements are counted", 12, minimum=1, maximum=120),
    whole("placements", "number of placements that counts", 3, minimum=2),
))
def three_placements(inp: MeasureInput) -> pd.DataFrame:
    """Children looked after on the snapshot date; in the numerator when they had ``placements`` (3)
    or more placements during the ``lookback_months`` (12) calendar months up to the snapshot date,
    i.e. placements open on at least one day from the snapshot minus 12 months to the snapshot (a
    placement that ended on the first day of that window does not count). Like the DfE placement
    stability measure, short breaks are not placements and a new placement starts with a new period
    of care or an episode whose reason for new episode is P, T, B or U (not L, a change of legal
    status only). Placements of an earlier period of care that overlap the 12 months count too. Looked after on the snapshot date: a CIC episode other than a short break (legal
    status V3/V4) open on the last working day of the month; the child counts in that episode's
    team."""
    lookback = int(inp.param("lookback_months"))
    threshold = int(inp.param("placements"))
    eps = extract_care_episodes(inp.extracts)
    population = looked_after(inp, snapshot=inp.detail)  # the snapshot date: shown only
    spans = placements(eps)
    # the snapshots and window starts of the reporting months, then each row's month
    calendar = inp.calendar
    snapshots = nanoseconds(calendar["snapshot"])
    starts = add_months(calendar["snapshot"], -lookback)
    positions = looked_after_positions(inp.extracts, inp.months)
    month = positions["_at"].to_numpy()  # rows' months
    # open on a day of [window start, snapshot]: started by the snapshot, less those that
    # had already ended by the window start (an ending is never before its start); a date is
    # at most a month's bound when its position among the months' bounds is at most the bound's
    # (the children numbered on the episodes, then read for each row: the rows' children)
    (theirs, by_episode), size = joint_codes(spans["child_id"], eps["child_id"])
    by_episode = by_episode.astype(np.int32 if size < 2**31 - 1 else np.int64)
    mine = by_episode[positions["_row"].to_numpy()]
    by_snapshot, by_start = np.sort(snapshots), np.sort(nanoseconds(starts))
    asked_snapshot = bound_positions(snapshots, by_snapshot)[month]
    asked_start = bound_positions(nanoseconds(starts), by_start)[month]
    started = count_upto(theirs, _positions(spans["start"], by_snapshot), mine, asked_snapshot,
                         len(calendar))  # fmt: skip
    gone = count_upto(theirs, _positions(spans["end"], by_start), mine, asked_start, len(calendar))
    in_window = np.subtract(started, gone, out=started)
    unstable = pd.Series(in_window >= threshold, index=population.index)
    window = f"in the {lookback} months to the snapshot date"

    def why(frame: pd.DataFrame) -> Shown:  # the window, the placements counted in it and why
        return Shown(
            reasons(
                [(unstable, f"{threshold} or more placements {window}")],
                f"fewer than {threshold} placements {window}",
                frame.index,
            ),
            {"snapshot_date": "snapshot",
             "window_start": pd.Series(starts.to_numpy()[month], index=frame.index),
             "placements_in_window": pd.Series(in_window.astype(np.int64), index=frame.index)},
        )  # fmt: skip

    return explained(inp, population, why, record_id="child_id", numerator=unstable)


@measure("cic_same_placement_2y", needs=("cic_episodes", "children"), parameters=(
    whole("same_placement_months", "months in the same placement", 24, minimum=1),
    whole("looked_after_months", "months looked after", 30, minimum=1),
    whole("age_under", "age below which a child counts", 16, minimum=1, maximum=18),
))
def same_placement(inp: MeasureInput) -> pd.DataFrame:
    """Children looked after on the snapshot date, aged under ``age_under`` (16) on it, looked after
    continuously for at least ``looked_after_months`` (30) calendar months; in the numerator when
    their current placement started at least ``same_placement_months`` (24) months before the
    snapshot date, or they are placed for adoption (placement type A3-A6) and the placement before
    the adoptive one (in the same period of care) started at least 24 months before, so that the two
    together last 2 years (DfE / former NI 63). Changes of legal status alone do not end a
    placement. Choice: a child with no recorded date of birth is left out (age unknown). Looked
    after on the snapshot date: a CIC episode other than a short break (legal status V3/V4) open on
    the last working day of the month; the child counts in that episode's team. Looked after
    continuously: since the start of the current period of care (episodes following one another on
    the same day, each earlier one ending with reason X1)."""
    placement_months = int(inp.param("same_placement_months"))
    looked_after_months = int(inp.param("looked_after_months"))
    age_under = int(inp.param("age_under"))
    columns = ("period_start", "placement_start", "placement_type", "previous_placement_start")
    children = inp.extract("children")[["child_id", "date_of_birth"]]
    calendar = inp.calendar
    boundaries = add_months(calendar["snapshot"], -placement_months)  # placed by, each month
    if not children["child_id"].is_unique:  # a child twice: a row for each, as a merge gives
        population = _with_birth_dates(looked_after(inp, columns=columns), inp)
        under_age = add_months(population["date_of_birth"], 12 * age_under) > population["snapshot"]
        cohort = population[under_age & continuously_since(population, looked_after_months)]
        boundary = _by_month(inp, boundaries, cohort["month"])
        stable = (cohort["placement_start"] <= boundary) | (
            cohort["placement_type"].isin(ADOPTION_PLACEMENTS)
            & (cohort["previous_placement_start"] <= boundary)
        )
    else:  # the cohort and the numerator found on the episodes and months before rows are copied
        eps = extract_care_episodes(inp.extracts)
        born = merged_one(eps[["child_id"]], children, "child_id", "date_of_birth")["date_of_birth"]
        grown_up = add_months(born, 12 * age_under)  # the birthday it stops counting
        # Each episode's dates compared with the months' dates by their positions among them
        # (see bound_positions), then read for each row: under age while the birthday is after
        # the snapshot (never without a birthday); looked after long enough when the period of
        # care started on or before the snapshot less ``looked_after_months``; in the numerator
        # when the placement (or the one before an adoptive one) started by the boundary.
        snapshots = nanoseconds(calendar["snapshot"])
        continuous_from = nanoseconds(add_months(calendar["snapshot"], -looked_after_months))
        placed_by = nanoseconds(boundaries)
        by_snapshot, by_continuous = np.sort(snapshots), np.sort(continuous_from)
        by_placed = np.sort(placed_by)
        under_age_till = np.where(grown_up.isna().to_numpy(), -1, _positions(grown_up, by_snapshot))
        cared_from = _positions(eps["period_start"], by_continuous)
        positions = looked_after_positions(inp.extracts, inp.months)
        row = positions["_row"].to_numpy()
        month = positions["_at"].to_numpy()
        keep = (under_age_till[row] > bound_positions(snapshots, by_snapshot)[month]) & (
            cared_from[row] <= bound_positions(continuous_from, by_continuous)[month]
        )
        cohort = looked_after(inp, columns=columns if inp.detail else (), keep=keep,
                              snapshot=inp.detail)  # (the placements' columns: shown only)
        row, month = row[keep], month[keep]
        asked = bound_positions(placed_by, by_placed)[month]
        adoptive = eps["placement_type"].isin(ADOPTION_PLACEMENTS).to_numpy()
        placed = _positions(eps["placement_start"], by_placed)[row] <= asked
        placed_before = _positions(eps["previous_placement_start"], by_placed)[row] <= asked
        stable = pd.Series(placed | (adoptive[row] & placed_before), index=cohort.index)

    def why(frame: pd.DataFrame) -> Shown:  # the placement starts, the boundary and why
        boundary = _by_month(inp, boundaries, frame["month"])
        same = frame["placement_start"] <= boundary
        adoptive = (
            f"placed for adoption, the placement before it started {placement_months} months or "
            "more before the snapshot date"
        )
        return Shown(
            reasons(
                [
                    (same, f"in the same placement for {placement_months} months or more"),
                    (stable, adoptive),
                ],
                f"the current placement started less than {placement_months} months before the "
                f"snapshot date",
                frame.index,
            ),
            {"snapshot_date": "snapshot", "care_period_start": "period_start",
             "placement_start": "placement_start", "placement_type": "placement_type",
             "previous_placement_start": "previous_placement_start",
             "placed_by": boundary},
        )  # fmt: skip

    return explained(inp, cohort, why, record_id="child_id", numerator=stable)


@measure("cic_in_house_foster", needs=("cic_episodes",))
def in_house_foster(inp: MeasureInput) -> pd.DataFrame:
    """Children looked after on the snapshot date in a foster placement (903 placement type U1-U6);
    in the numerator when placed with relatives or friends (U1-U3) or with the council's own foster
    carers (placement provider PR1). Choice: every other foster placement is in the denominator
    only: independent fostering agencies (PR4/PR5), other councils' carers (PR2/PR3) and placements
    whose provider is not recorded. Looked after on the snapshot date: a CIC episode other than a
    short break (legal status V3/V4) open on the last working day of the month; the child counts in
    that episode's team."""
    # the rows in a foster placement, chosen on the episodes before any row is copied
    eps = extract_care_episodes(inp.extracts)
    fostered = eps["placement_type"].isin(FOSTER_PLACEMENTS).to_numpy()
    keep = fostered[looked_after_positions(inp.extracts, inp.months)["_row"].to_numpy()]
    foster = looked_after(inp, columns=("placement_type", "placement_provider"), keep=keep)
    in_house = foster["placement_type"].isin(RELATIVE_FRIEND_PLACEMENTS) | foster[
        "placement_provider"
    ].isin([OWN_PROVISION])

    def why(frame: pd.DataFrame) -> Shown:  # the placement type and provider, and why
        return Shown(
            reasons(
                [
                    (frame["placement_type"].isin(RELATIVE_FRIEND_PLACEMENTS),
                     "placed with relatives or friends (U1-U3)"),
                    (in_house, f"placed with the council's own foster carers ({OWN_PROVISION})"),
                ],
                "placed with other foster carers, or the provider is not recorded",
                frame.index,
            ),
            {"placement_type": "placement_type", "placement_provider": "placement_provider"},
        )  # fmt: skip

    return explained(inp, foster, why, record_id="child_id", numerator=in_house)


@measure("cic_within_20_miles", needs=("cic_episodes", "children"), parameters=(
    Parameter("distance_miles", ParameterKind.NUMBER, "greatest distance from home", 20, 0),))
def within_20_miles(inp: MeasureInput) -> pd.DataFrame:
    """Children looked after on the snapshot date who are not unaccompanied asylum-seeking children
    on that date and whose placement's distance from home is known; in the numerator when the
    distance is at most ``distance_miles`` (20) miles. Choice: a child counts as UASC on the
    snapshot date when flagged UASC with no UASC ceased date or one after the snapshot date (a child
    whose UASC status ceased on or before it is included). Looked after on the snapshot date: a CIC
    episode other than a short break (legal status V3/V4) open on the last working day of the month;
    the child counts in that episode's team."""
    miles = float(inp.param("distance_miles"))
    children = inp.extract("children")[["child_id", "uasc", "uasc_ceased_date"]]
    population = merged_one(looked_after(inp, columns=("distance_miles",)), children, "child_id",
                            ["uasc", "uasc_ceased_date"])  # fmt: skip
    uasc = population["uasc"].fillna(False).astype(bool) & (
        population["uasc_ceased_date"].isna()
        | (population["uasc_ceased_date"] > population["snapshot"])
    )
    cohort = population[~uasc & population["distance_miles"].notna()]
    near = cohort["distance_miles"] <= miles

    def why(frame: pd.DataFrame) -> Shown:  # the distance and why
        return Shown(
            reasons(
                [(near, f"placed within {miles:g} miles of home")],
                f"placed more than {miles:g} miles from home",
                frame.index,
            ),
            {"distance_miles": "distance_miles"},
        )

    return explained(inp, cohort, why, record_id="child_id", numerator=near)


# --------------------------------------------------------------------------------------------------
# Ref 23-24: reviews


@measure("cic_review_participation", needs=("cic_reviews", "children"), parameters=(
    whole("min_age", "age from which participation counts", 4, maximum=18),))
def review_participation(inp: MeasureInput) -> pd.DataFrame:
    """CIC reviews held in the period (by review date) of children aged ``min_age`` (4) or over
    on the review date, excluding reviews coded PN0 (under 4); in the numerator when the
    participation code is PN1-PN6 (PN7: the child neither attended nor conveyed views). One row per
    review, in the review's team. Choice: a review of a child with no recorded date of birth is
    kept unless coded PN0."""
    min_age = int(inp.param("min_age"))
    reviews = inp.extract("cic_reviews")
    children = inp.extract("children")[["child_id", "date_of_birth"]]
    dated = merged_one(reviews, children, "child_id", "date_of_birth")
    # neither exclusion depends on the month: reviews are left out before being repeated
    too_young = add_months(dated["date_of_birth"], 12 * min_age) > dated["review_date"]
    kept = dated[~too_young & (dated["participation"] != UNDER_4)]
    # nor does taking part: found once per review, then the columns counted repeated per month
    took_part = kept["participation"].isin(PARTICIPATED)
    kept = kept.assign(_took_part=took_part)

    def why(frame: pd.DataFrame) -> Shown:  # the review, the birth date, the code and why
        return Shown(
            reasons(
                [(took_part, "the child participated (PN1-PN6)"),
                 (frame["participation"].notna(), "the child did not participate")],
                "participation not recorded",
                frame.index,
            ),
            {"review_date": "review_date", "date_of_birth": "date_of_birth",
             "participation": "participation"},
        )  # fmt: skip

    counted = ["cic_review_id", "child_id", "team", "review_date", "_took_part"]
    return explained(inp, kept, why, record_id="cic_review_id", numerator="_took_part",
                     date="review_date", columns=counted)  # fmt: skip


@measure("cic_reviews_in_time", needs=("cic_episodes", "cic_reviews"), parameters=(
    whole("first_review_working_days", "working days from entry to the first review", 20,
          minimum=1),
    whole("second_review_months", "months from the first review to the second", 3, minimum=1),
    whole("review_interval_months", "months between later reviews", 6, minimum=1),
))
def reviews_in_time(inp: MeasureInput) -> pd.DataFrame:
    """Children looked after on the snapshot date with at least one review due on or before it; in
    the numerator when every review due in the current period of care was held on time (Care
    Planning Regulations 2010): the first within ``first_review_working_days`` (20) working days of
    the start of the period of care, the second within ``second_review_months`` (3) calendar months
    of the first, and each later one within ``review_interval_months`` (6) months of the previous
    one. Each due date runs from the date the previous review was actually held. A review due on or
    before the snapshot date and not held by its due date (or not held at all) fails the child.
    Reviews dated before the period of care started or after the snapshot are ignored. Choice: the
    whole current period of care is checked, not only recent reviews. Looked after on the snapshot
    date: a CIC episode other than a short break (legal status V3/V4) open on the last working day
    of the month; the child counts in that episode's team. Period of care: since the start of the
    current period of care (episodes following one another on the same day, each earlier one ending
    with reason X1)."""
    first_days = int(inp.param("first_review_working_days"))
    second_months = int(inp.param("second_review_months"))
    interval_months = int(inp.param("review_interval_months"))
    # Periods of care (one row each, in child then start order): a period's first review is due
    # 20 working days after its start. Periods of a child with the same start share their reviews.
    eps = extract_care_episodes(inp.extracts)
    first = run_starts(eps["period_id"].to_numpy())
    periods = pd.DataFrame(
        {
            "child_id": eps["child_id"].array[first],
            "period_start": eps["period_start"].to_numpy()[first],
        }
    )
    periods["first_due"] = add_working_days(periods["period_start"], first_days)
    same_start = run_starts(group_codes(periods["child_id"]), periods["period_start"].to_numpy())
    chain_of_period = (np.cumsum(same_start) - 1).astype(np.int32)  # period -> its review chain
    chains = periods[same_start].reset_index(drop=True)

    # Each chain's reviews in date order (held on or after its start), with their due dates and
    # whether one so far was late: none of it depends on the month.
    reviews = inp.extract("cic_reviews")[["child_id", "review_date"]]
    # (the rows of ``chains.merge(reviews, on="child_id")``, found on integer codes)
    (mine, theirs), _ = joint_codes(chains["child_id"], reviews["child_id"])
    chain_of_review, review = matching_pairs(mine, theirs)
    dates = reviews["review_date"].to_numpy()[review]
    kept = dates >= chains["period_start"].to_numpy()[chain_of_review]
    dates, chain_of_review = dates[kept], chain_of_review[kept]
    day = dates.astype("datetime64[D]").astype(np.int64)
    order = np.lexsort((day, chain_of_review))
    dates, chain_of_review, day = dates[order], chain_of_review[order], day[order]
    first_held = run_starts(chain_of_review)
    # the due date of the review after each one: ``second_months`` after a chain's first review,
    # ``interval_months`` after each later one; a chain's first review is due on its first_due
    after = np.where(first_held, second_months, interval_months)
    due_after = add_months(pd.Series(dates), pd.Series(after)).to_numpy()
    due = np.roll(due_after, 1)
    due[first_held] = chains["first_due"].to_numpy()[chain_of_review[first_held]]
    late_so_far = any_so_far(dates > due, first_held)
    # a chain's first review (int32 when it fits: read for every looked-after row)
    begins = np.full(len(chains), len(dates), dtype=np.int32 if len(dates) < 2**31 - 1 else np.int64)
    begins[chain_of_review[first_held]] = np.flatnonzero(first_held)

    # Children looked after with a review due by the snapshot: those of their chain held by it.
    # (chosen on the episodes' first due dates before the looked-after rows are copied). Dates
    # are compared with the months' snapshots by their positions among them (bound_positions: a
    # date is at most month k's snapshot exactly when its position is at most the snapshot's).
    positions = looked_after_positions(inp.extracts, inp.months)
    at = positions["_at"].to_numpy()
    snapshots = inp.calendar["snapshot"].to_numpy("datetime64[ns]")
    by_snapshot = np.sort(snapshots)
    rank = bound_positions(snapshots, by_snapshot)  # of each month's snapshot
    due_position = bound_positions(periods["first_due"].to_numpy(), by_snapshot)  # NaT: never
    # each episode's period of care (from 0), review chain and first due date's position
    of_episode = eps["period_id"].to_numpy() - 1
    chain_of_episode, due_of_episode = chain_of_period[of_episode], due_position[of_episode]
    row = positions["_row"].to_numpy()
    first_due = due_of_episode[row]
    due_by_now = first_due <= rank[at]
    cohort = looked_after(inp, keep=due_by_now, snapshot=inp.detail)  # the snapshot: shown only
    row, month, first_due = row[due_by_now], at[due_by_now], first_due[due_by_now]
    chain = chain_of_episode[row]
    # those of the chain held by the snapshot: the first ``count`` of its reviews (in date order),
    # a review day being at most a snapshot's when its position among the snapshots' days is
    snapshot_days = inp.calendar["snapshot"].to_numpy("datetime64[D]")
    by_day = np.sort(snapshot_days)
    asked = bound_positions(snapshot_days, by_day)[month]
    count = count_upto(chain_of_review, bound_positions(day.view("datetime64[D]"), by_day), chain,
                       asked, len(snapshot_days))  # fmt: skip
    none_held = count == 0
    picked = begins[chain]  # the last of them (begins[chain] + count - 1), -1: none
    picked += count
    picked -= 1
    picked[none_held] = -1
    late = np.append(late_so_far, False)[picked]
    # the next review is due after the snapshot: its due date's position is beyond the
    # snapshot's (never missing: one after a review held, else a first due date by the snapshot)
    next_position = np.append(bound_positions(due_after, by_snapshot), 0)[picked]
    np.copyto(next_position, first_due, where=none_held)
    on_time = ~late & (next_position > rank[month])

    def why(frame: pd.DataFrame) -> Shown:  # the period of care, the reviews held and why
        period = of_episode[row]
        starts = periods["period_start"].to_numpy()[period]
        last = np.append(dates, np.array(["NaT"], dtype=dates.dtype))[picked]
        following = np.append(due_after, np.array(["NaT"], dtype=due_after.dtype))[picked]
        next_due = np.where(count > 0, following, periods["first_due"].to_numpy()[period])
        return Shown(
            review_reasons(on_time, late, frame.index),
            {"snapshot_date": "snapshot",
             "care_period_start": pd.Series(starts, index=frame.index),
             "reviews_held": pd.Series(count.astype(np.int64), index=frame.index),
             "last_review": pd.Series(last, index=frame.index),
             "next_review_due": pd.Series(next_due, index=frame.index)},
        )  # fmt: skip

    return explained(inp, cohort, why, record_id="child_id",
                     numerator=pd.Series(on_time, index=cohort.index))  # fmt: skip


# --------------------------------------------------------------------------------------------------
# Ref 25-26: health


def _checks_within(
    cohort: pd.DataFrame, inp: MeasureInput, check_type: str, months: pd.Series | int
) -> pd.Series:
    """Whether each cohort row has a check of ``check_type`` dated in [snapshot - months, snapshot]."""
    checks = inp.extract("health_checks")
    checks = checks.loc[checks["check_type"] == check_type, ["child_id", "check_date"]]
    (theirs, mine), _ = joint_codes(checks["child_id"], cohort["child_id"])
    since = add_months(cohort["snapshot"], months * -1)
    found = count_between(theirs, checks["check_date"], mine, since, cohort["snapshot"])
    return pd.Series(found > 0, index=cohort.index)


@measure("cic_dental_checks", needs=("cic_episodes", "health_checks"), parameters=(
    whole("looked_after_months", "months continuously looked after", 12, minimum=1),
    whole("check_months", "months within which a check counts", 12, minimum=1),
))
def dental_checks(inp: MeasureInput) -> pd.DataFrame:
    """Children looked after on the snapshot date continuously for at least ``looked_after_months``
    (12) calendar months (the SSDA903 OC2 cohort); in the numerator when they had a dental check
    dated in the ``check_months`` (12) calendar months up to the snapshot date (snapshot minus 12
    months and the snapshot date included). A check has no team: the child counts in the team of the
    CIC episode open on the snapshot date. Looked after on the snapshot date: a CIC episode other
    than a short break (legal status V3/V4) open on the last working day of the month; the child
    counts in that episode's team. Looked after continuously: since the start of the current period
    of care (episodes following one another on the same day, each earlier one ending with reason
    X1)."""
    cohort_months = int(inp.param("looked_after_months"))
    check_months = int(inp.param("check_months"))
    population = looked_after(inp, columns=("period_start",))
    cohort = population[continuously_since(population, cohort_months)]
    checked = _checks_within(cohort, inp, "dental", check_months)
    window = f"in the {check_months} months to the snapshot date"
    why = _check_shown(inp, "dental", checked, [(checked, f"a dental check {window}")],
                       f"no dental check {window}", check_months)  # fmt: skip
    return explained(inp, cohort, why, record_id="child_id", numerator=checked)


@measure("cic_health_assessments", needs=("cic_episodes", "health_checks", "children"),
         parameters=(
    whole("looked_after_months", "months continuously looked after", 12, minimum=1),
    whole("check_months_under_5", "months within which a check counts, under 5", 6, minimum=1),
    whole("check_months_5_and_over", "months within which a check counts, 5 and over", 12,
          minimum=1),
))
def health_assessments(inp: MeasureInput) -> pd.DataFrame:
    """Children looked after on the snapshot date continuously for at least ``looked_after_months``
    (12) calendar months (the SSDA903 OC2 cohort); in the numerator when they had a health
    assessment dated in the ``check_months_under_5`` (6) calendar months up to the snapshot date if
    aged under 5 on the snapshot date, or in the ``check_months_5_and_over`` (12) months up to it if
    aged 5 or over (boundary day included). A check has no team: the child counts in the team of the
    CIC episode open on the snapshot date. Choice: a child with no recorded date of birth is held to
    the 12-month rule. Looked after on the snapshot date: a CIC episode other than a short break
    (legal status V3/V4) open on the last working day of the month; the child counts in that
    episode's team. Looked after continuously: since the start of the current period of care
    (episodes following one another on the same day, each earlier one ending with reason X1)."""
    cohort_months = int(inp.param("looked_after_months"))
    under_5 = int(inp.param("check_months_under_5"))
    over_5 = int(inp.param("check_months_5_and_over"))
    population = _with_birth_dates(looked_after(inp, columns=("period_start",)), inp)
    cohort = population[continuously_since(population, cohort_months)]
    young = add_months(cohort["date_of_birth"], 60) > cohort["snapshot"]
    months = pd.Series(np.where(young.to_numpy(), under_5, over_5), index=cohort.index)
    checked = _checks_within(cohort, inp, "health_assessment", months)
    within = "a health assessment in the {} months to the snapshot date ({})"
    missing = "no health assessment in the {} months to the snapshot date ({})"
    why = _check_shown(
        inp, "health_assessment", checked,
        [(checked & young, within.format(under_5, "under 5")),
         (checked, within.format(over_5, "5 or over")),
         (young, missing.format(under_5, "under 5"))],
        missing.format(over_5, "5 or over"), months,
    )  # fmt: skip
    return explained(inp, cohort, why, record_id="child_id", numerator=checked)


def _check_shown(
    inp: MeasureInput,
    check_type: str,
    checked: pd.Series,
    choices: list[tuple[pd.Series, str]],
    otherwise: str,
    months: pd.Series | int,
) -> Callable[[pd.DataFrame], Shown]:
    """For a drill-down of refs 25-26: the period of care, the first day a check counts from,
    the last check of ``check_type`` by the snapshot date, and why (``choices``, ``otherwise``)."""

    def why(frame: pd.DataFrame) -> Shown:
        checks = inp.extract("health_checks")
        checks = checks[checks["check_type"] == check_type]
        return Shown(
            reasons(choices, otherwise, frame.index),
            {"snapshot_date": "snapshot", "care_period_start": "period_start",
             "checks_from": add_months(frame["snapshot"], months * -1),
             "last_check": latest_by(checks, "check_date", frame, "child_id", "snapshot")},
        )  # fmt: skip

    return why


# --------------------------------------------------------------------------------------------------
# Ref 27: allocations


def allocation_spells(allocations: pd.DataFrame) -> pd.DataFrame:
    """Unbroken spells of one worker with one child: ``child_id, worker_id, start, end``.

    Allocations of the same worker to the same child that overlap or follow on the same day (the
    next starts on or before the day the previous ended) form one spell; ``end`` is missing while
    the spell is open.
    """
    spells = allocations[["child_id", "worker_id", "start_date", "end_date"]]
    ordered = spells.take(sort_order(spells, ["child_id", "worker_id", "start_date"]))
    child, worker = group_codes(ordered["child_id"]), group_codes(ordered["worker_id"])
    start = ordered["start_date"].to_numpy()
    end = ordered["end_date"].fillna(_FAR_FUTURE)
    new_pair = np.ones(len(ordered), dtype=bool)
    new_pair[1:] = (child[1:] != child[:-1]) | (worker[1:] != worker[:-1])
    # the latest end so far within the pair, and whether a row starts after all earlier ones ended
    reach = end.groupby(np.cumsum(new_pair), sort=False).cummax().to_numpy()
    new_spell = new_pair.copy()
    new_spell[1:] |= start[1:] > reach[:-1]
    first = np.flatnonzero(new_spell)
    last = np.append(first[1:] - 1, len(ordered) - 1) if len(first) else first
    # rows of a pair are in start order, so a spell's first row has its earliest start; a spell
    # ends after every earlier spell of the pair, so its reach at its last row is its latest end
    return pd.DataFrame(
        {
            "child_id": ordered["child_id"].iloc[first].reset_index(drop=True),
            "worker_id": ordered["worker_id"].iloc[first].reset_index(drop=True),
            "start": ordered["start_date"].iloc[first].reset_index(drop=True),
            "end": pd.Series(reach[last], dtype=end.dtype),
        }
    )


@measure("cic_same_worker_12m", needs=("cic_episodes", "allocations"), optional=("workforce",),
         parameters=(
    whole("looked_after_months", "months looked after", 18, minimum=1),
    whole("same_worker_months", "months with the same worker", 12, minimum=1),
))
def same_worker(inp: MeasureInput) -> pd.DataFrame:
    """Children looked after on the snapshot date continuously for at least ``looked_after_months``
    (18) calendar months; in the numerator when one social worker (an allocation with role social
    worker or senior practitioner) was allocated to them throughout the ``same_worker_months`` (12)
    calendar months up to the snapshot date: a single allocation, or several allocations of the same
    worker leaving no gap, open from the snapshot minus 12 months through the snapshot date (an
    allocation ending on the snapshot date does not cover it). The child counts in the team of the
    CIC episode open on the snapshot date. Choices: co-working does not matter (another worker
    allocated alongside for part of the year does not break the numerator); an allocation with no
    role recorded is resolved by :func:`scorecard.measures.workers.allocations_to` (the worker's
    posts in the workforce extract when supplied, else taken as a case-holding worker's). Looked after on the snapshot date: a CIC episode other than
    a short break (legal status V3/V4) open on the last working day of the month; the child counts
    in that episode's team. Looked after continuously: since the start of the current period of care
    (episodes following one another on the same day, each earlier one ending with reason X1)."""
    cohort_months = int(inp.param("looked_after_months"))
    worker_months = int(inp.param("same_worker_months"))
    population = looked_after(inp, columns=("period_start",))
    cohort = population[continuously_since(population, cohort_months)]
    spells = allocation_spells(
        allocations_to(
            inp.extract("allocations"), inp.extracts.get("workforce"), SOCIAL_WORKER_ROLES,
            ("child_id", "worker_id", "start_date", "end_date"),
        )  # fmt: skip
    )
    matched = pairs_merged(cohort[[*_KEY, "snapshot"]], spells, "child_id")
    window_start = add_months(matched["snapshot"], -worker_months)
    covering = matched[(matched["start"] <= window_start) & (matched["end"] > matched["snapshot"])]
    same = has_match(cohort, covering, _KEY)

    def why(frame: pd.DataFrame) -> Shown:  # the window and the worker's spell covering it
        current = matched[matched["end"] > matched["snapshot"]]
        current = current[current["start"] <= current["snapshot"]]
        longest = current.groupby([*_KEY], observed=True)["start"].min().rename("_since")
        since = frame[_KEY].merge(longest, left_on=_KEY, right_index=True, how="left")["_since"]
        return Shown(
            reasons(
                [(same, f"one social worker throughout the {worker_months} months to the snapshot")],
                f"no one social worker throughout the {worker_months} months to the snapshot",
                frame.index,
            ),
            {"snapshot_date": "snapshot", "care_period_start": "period_start",
             "window_start": add_months(frame["snapshot"], -worker_months),
             "same_worker_since": since.set_axis(frame.index)},
        )  # fmt: skip

    return explained(inp, cohort, why, record_id="child_id", numerator=same)

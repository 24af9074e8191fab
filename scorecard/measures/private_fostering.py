"""Measures of the domain Private fostering: refs 8-10.

The Children (Private Arrangements for Fostering) Regulations 2005: the initial visit within seven
working days of the notification (regulation 4), then visits at intervals of not more than six
weeks in the first year of the arrangement and twelve weeks in any later year (regulation 8).
Records: ``pf_arrangements`` (notification, initial visit, start, end) and ``visits`` of type PF
naming their arrangement. Every row is in the team holding the arrangement.
"""

from __future__ import annotations

import pandas as pd

from scorecard.calendar.months import add_months
from scorecard.calendar.working_days import working_days_between
from scorecard.measures.base import (
    MeasureInput,
    Shown,
    explained,
    measure,
    reasons,
    whole,
)
from scorecard.measures.kernels import all_in_groups
from scorecard.registry.contract import Parameter, ParameterKind

DAY_KINDS = ("working", "calendar")


@measure("pf_initial_visit_7_days", needs=("pf_arrangements",), parameters=(
    whole("initial_visit_days", "days from notification to the initial visit", 7, minimum=1),
    Parameter("day_kind", ParameterKind.TEXT, "whether the days are working or calendar days",
              "working", choices=DAY_KINDS),
))
def pf_initial_visit(inp: MeasureInput) -> pd.DataFrame:
    """Private fostering notifications received in the period (by notification date); in the
    numerator when the initial visit was held at most ``initial_visit_days`` (7) days after the
    notification. ``day_kind`` says how the days are counted: ``working`` (the default in the
    registry; regulation 4 says seven working days) counts the working days w with
    notification < w <= visit, so a visit on the 7th working day is in time and one on the 8th is
    not; ``calendar`` counts calendar days (visit date - notification date).

    Choices: every notification counts, whether or not the arrangement started (regulation 4 also
    covers proposed arrangements). A notification with no initial visit recorded is in the
    denominator and not the numerator; the visit is judged on all the data in the extract, so a
    visit held after the month end but within the 7 days counts as in time for that month."""
    limit = int(inp.param("initial_visit_days"))
    kind = inp.param("day_kind")
    arrangements = inp.extract("pf_arrangements")
    notified, visited = arrangements["notification_date"], arrangements["initial_visit_date"]
    if kind == "working":
        days = working_days_between(notified, visited).astype("Float64")
    elif kind == "calendar":
        days = (visited - notified).dt.days.astype("Float64")
    else:
        raise ValueError(f"{inp.indicator.id}: day_kind must be one of {DAY_KINDS}, got {kind!r}")
    in_time = (days <= limit).to_numpy(dtype=bool, na_value=False)
    flagged = arrangements.assign(_in_time=in_time)

    def why(_: pd.DataFrame) -> Shown:  # the dates, the days between them and why
        unit = f"{kind} days"
        return Shown(
            reasons(
                [
                    (in_time, f"visited within {limit} {unit} of the notification"),
                    (days.notna(), f"visited more than {limit} {unit} after the notification"),
                ],
                "no initial visit recorded",
                arrangements.index,
            ),
            {"notification_date": "notification_date",
             "initial_visit_date": "initial_visit_date", unit.replace(" ", "_"): days},
        )  # fmt: skip

    return explained(inp, flagged, why, record_id="arrangement_id", numerator="_in_time",
                     date="notification_date")  # fmt: skip


def _visit_gaps(inp: MeasureInput) -> pd.DataFrame:
    """One row per visit of a started arrangement and the next visit of the same arrangement.

    Columns: the arrangement's ``arrangement_id, child_id, team, start_date, end_date``,
    ``anniversary`` (start + 12 months: the first day of the second year), ``visit`` (the visit
    date, or the start date for a visit made before the arrangement started) and ``next_visit``
    (the next such date, missing after the last visit). Visits: the initial visit and the PF
    visits of the arrangement in which the child was seen; one per day.
    """
    arrangements = inp.extract("pf_arrangements")
    started = arrangements.loc[
        arrangements["start_date"].notna(),
        ["arrangement_id", "child_id", "team", "start_date", "end_date", "initial_visit_date"],
    ]
    visits = inp.extract("visits")
    pf = visits.loc[
        (visits["visit_type"] == "PF")
        & visits["child_seen"].astype(bool)
        & visits["arrangement_id"].notna(),
        ["arrangement_id", "visit_date"],
    ]
    initial = started[["arrangement_id", "initial_visit_date"]].dropna()
    dates = pd.concat([initial.rename(columns={"initial_visit_date": "visit_date"}), pf])
    dates = dates.merge(started[["arrangement_id", "start_date"]], on="arrangement_id")
    chain = pd.DataFrame(
        {
            "arrangement_id": dates["arrangement_id"],
            "visit": dates["visit_date"].where(
                dates["visit_date"] >= dates["start_date"], dates["start_date"]
            ),
        }
    )
    chain = chain.drop_duplicates().sort_values(["arrangement_id", "visit"])
    chain["next_visit"] = chain.groupby("arrangement_id", sort=False)["visit"].shift(-1)
    gaps = chain.merge(started.drop(columns="initial_visit_date"), on="arrangement_id")
    return gaps.assign(anniversary=add_months(gaps["start_date"], 12))


def _arrangements_visited_in_time(inp: MeasureInput, later_years: bool) -> pd.DataFrame:
    """Rows of refs 9 (first year) and 10 (later years); see their docstrings for the rule."""
    interval = pd.Timedelta(days=int(inp.param("visit_interval_days")))
    gaps = _visit_gaps(inp)
    due = gaps["visit"] + interval
    if later_years:
        # The gap reaches the second year; a visit already overdue on the anniversary falls due then.
        reaches = gaps["next_visit"].isna() | (gaps["next_visit"] > gaps["anniversary"])
        falls_due = due.where(due >= gaps["anniversary"], gaps["anniversary"])
    else:
        reaches = due < gaps["anniversary"]
        falls_due = due
    events = gaps.assign(_due=due, _falls_due=falls_due)[reaches.to_numpy(dtype=bool)]
    events = events[events["end_date"].isna() | (events["end_date"] > events["_falls_due"])]
    events = events.assign(
        _in_time=events["next_visit"].notna() & (events["next_visit"] <= events["_due"])
    )

    calendar = inp.calendar[["month", "period_start", "month_end"]]
    events = events[events["_falls_due"] <= calendar["month_end"].max()]
    crossed = events.merge(calendar, how="cross")
    start, end = crossed["period_start"], crossed["month_end"]
    falls_in = (crossed["_falls_due"] >= start) & (crossed["_falls_due"] <= end)
    still_due = (
        (crossed["_falls_due"] < start)
        & (crossed["next_visit"].isna() | (crossed["next_visit"] >= start))
        & (crossed["end_date"].isna() | (crossed["end_date"] > start))
    )
    if not later_years:
        still_due &= start < crossed["anniversary"]
    due_in_period = crossed[(falls_in | still_due).to_numpy(dtype=bool)]
    keys = ["month", "arrangement_id", "child_id", "team"]
    if inp.detail:  # also the visits due and the first that was late, for the drill-down
        due_in_period = due_in_period.assign(
            _late_due=due_in_period["_due"].where(~due_in_period["_in_time"])
        )
        per_arrangement = due_in_period.groupby(keys, as_index=False, sort=False, observed=True).agg(
            _in_time=("_in_time", "all"), _start=("start_date", "first"),
            _count=("_in_time", "size"), _first_late=("_late_due", "min"),
        )  # fmt: skip
    else:
        per_arrangement = all_in_groups(due_in_period, keys, "_in_time")
    days = int(inp.param("visit_interval_days"))

    def why(frame: pd.DataFrame) -> Shown:
        return Shown(
            reasons(
                [(frame["_in_time"], f"every visit due in the period was held within {days} days")],
                f"a visit due in the period was not held within {days} days",
                frame.index,
            ),
            {"start_date": "_start", "visits_due": "_count", "first_late_visit_due": "_first_late"},
        )  # fmt: skip

    return explained(
        inp, per_arrangement, why, record_id="arrangement_id", numerator="_in_time"
    )


@measure("pf_new_visits_6_weeks", needs=("pf_arrangements", "visits"), parameters=(
    whole("visit_interval_days", "longest gap between visits", 42, minimum=1),))
def pf_new_visits(inp: MeasureInput) -> pd.DataFrame:
    """Private fostering arrangements in their first year with a visit due in the period; in the
    numerator when every visit due in the period was held in time.

    Reading of regulation 8 ("in the first year, at intervals of not more than six weeks"): the
    visits of an arrangement are its initial visit and its PF visits in which the child was seen
    (a visit made before the arrangement started counts as made on its start date). After each
    visit the next one is due ``visit_interval_days`` (42) days later, and is in time if held on or
    before that day (day 42 in time, day 43 late). Ref 9 counts the visits falling due in the
    first year, i.e. before the first anniversary of the start (start + 12 months, calendar-month
    arithmetic). A visit is due in the period in which its due date falls, and also in any later
    period at whose start it had still not been held while the arrangement was open and still in
    its first year, so an overdue arrangement stays in the figures until it is visited.

    Choices: no visit is due after the arrangement has ended (end date on or before the due date)
    nor before it has started (a blank start date: a proposed arrangement is not counted); an
    arrangement with no visit at all is not counted here (its initial visit is ref 8's). A visit
    in which the child was not seen does not count. One row per arrangement and month."""
    return _arrangements_visited_in_time(inp, later_years=False)


@measure("pf_existing_visits_in_time", needs=("pf_arrangements", "visits"), parameters=(
    whole("visit_interval_days", "longest gap between visits", 84, minimum=1),))
def pf_existing_visits(inp: MeasureInput) -> pd.DataFrame:
    """Private fostering arrangements in their second or later year with a visit due in the
    period; in the numerator when every visit due in the period was held in time.

    Reading of regulation 8 ("in any second or subsequent year, at intervals of not more than twelve
    weeks"), with the visits as for ref 9 (initial visit and PF visits with the child seen, a visit
    before the start counting as made on the start date): after each visit the next one is due
    ``visit_interval_days`` (84) days later and is in time if held on or before that day. Ref 10
    counts the intervals that reach the second year: those after a visit made on or after the first
    anniversary of the start (start + 12 months), and the interval running across the anniversary
    when no visit is held before it (next visit after the anniversary, or none). Such a visit
    falls due on its due date, or on the anniversary if the due date is earlier (it was already
    overdue when the second year began). A visit is due in the period in which it falls due, and
    also in any later period at whose start it had still not been held while the arrangement was
    open, so an overdue arrangement stays in the figures until it is visited.

    Choices: as ref 9 (no visit due after the end or before the start, arrangements with no visit
    not counted, visits where the child was not seen not counted). An interval starting in the
    first year and ending in the second is judged by the first-year interval when its 42-day due
    date is in the first year (ref 9) and by this 84-day interval when the next visit is after the
    anniversary (here), so such an interval can count in both. One row per arrangement and
    month."""
    return _arrangements_visited_in_time(inp, later_years=True)

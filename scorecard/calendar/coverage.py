"""How far back an indicator's figure for a month reads the data: its look-back window start.

A month's figure reads records dated from its *window start* to the end of the month. The start
is the indicator's data period (see :mod:`scorecard.calendar.months`):

* **YTD**: 1 April of the month's financial year;
* **R12M**: the first day of the 12 whole months ending with the month;
* **SS**: the snapshot date (the month's last working day);

moved further back by the indicator's look-back parameters (``parameters`` in the registry), each
counted back from that start: ``lookback_months: 12`` (ref 1: a previous referral within 12 months
of a referral in the year) moves the start of May 2015 from 1 April 2015 to 1 April 2014. When an
indicator has several, the furthest reach counts, except a *chained* one, counted back again from
there (ref 12: visits in the 3 months before the snapshot, each timed from the visit before it,
up to 10 working days earlier).

:data:`LOOKBACK_PARAMETERS` says which parameters reach back and how; :data:`NOT_LOOKBACK` lists
the parameters that do not (a timescale counted forward from a record in the window, an age, a
distance). A parameter in neither is taken as not reaching back; the test suite checks that every
parameter of the bundled registry is in one of them, so a new one gets a decision.

What a window start does not cover: a record dated before it that is part of a case still open at
the start (a CP plan's start date, the start of a child's period of care used by refs 11, 15, 28 and
29) is read from that record itself, which an extract holds for every case open on or after its
first date covered (``docs/extracts.md``, *Folder manifest*).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Protocol, assert_never

import pandas as pd

from scorecard.calendar.months import add_months, r12m_starts, ytd_starts
from scorecard.calendar.working_days import add_working_days, snapshot_dates


class Reach(Enum):
    """The unit a look-back parameter counts in."""

    MONTHS = "months"  # calendar months, as add_months (day kept, clipped to the month end)
    DAYS = "days"  # calendar days
    WORKING_DAYS = "working days"  # as add_working_days


@dataclass(frozen=True, slots=True)
class LookBack:
    """A look-back parameter: its unit and whether it is counted back again from the furthest
    reach of the others (``chained``) instead of from the period's start."""

    reach: Reach
    chained: bool = False
    why: str = ""


#: Parameters that make a figure read records dated before its period starts.
LOOKBACK_PARAMETERS: Mapping[str, LookBack] = {
    "lookback_months": LookBack(
        Reach.MONTHS, why="refs 1, 14, 19: an earlier referral, plan, placement"
    ),
    "window_months": LookBack(Reach.MONTHS, why="ref 12: visits in the months before the snapshot"),
    "visit_interval_working_days": LookBack(
        Reach.WORKING_DAYS, chained=True, why="ref 12: the visit before the first in the window"
    ),
    "visit_window_days": LookBack(Reach.DAYS, why="ref 6: a visit in the days before the snapshot"),
    "visit_interval_days": LookBack(Reach.DAYS, why="refs 9, 10: the visit before a visit due"),
    "second_review_months": LookBack(Reach.MONTHS, why="ref 24: the review before the snapshot"),
    "review_interval_months": LookBack(Reach.MONTHS, why="refs 13, 24: the last review held"),
    "same_placement_months": LookBack(Reach.MONTHS, why="ref 20: placements over 24 months"),
    "looked_after_months": LookBack(Reach.MONTHS, why="refs 20, 25-27: episodes over the months"),
    "same_worker_months": LookBack(Reach.MONTHS, why="ref 27: allocations over 12 months"),
    "check_months": LookBack(Reach.MONTHS, why="ref 25: a check in the last 12 months"),
    "check_months_under_5": LookBack(Reach.MONTHS, why="ref 26: a check in the last 6 months"),
    "check_months_5_and_over": LookBack(Reach.MONTHS, why="ref 26: a check in the last 12 months"),
    "window_months_before": LookBack(Reach.MONTHS, why="refs 32-34: contacts before a birthday"),
}

#: Parameters that do not reach back (with the reason).
NOT_LOOKBACK: Mapping[str, str] = {
    "timescale_working_days": "counted forward from a record's own start (refs 2, 3, 17)",
    "initial_visit_days": "counted forward from the notification (ref 8)",
    "day_kind": "a kind of day, not a length",
    "duration_months": "a plan's own length, read from the plan record (refs 11, 15)",
    "first_review_months": "counted forward from the plan's start (ref 13)",
    "first_review_working_days": "counted forward from the period of care's start (ref 24)",
    "placements": "a number of placements (ref 19)",
    "age_under": "an age",
    "min_age": "an age",
    "distance_miles": "a distance",
    "youngest_age": "an age",
    "oldest_age": "an age",
    "younger_ages_below": "an age",
    "younger_ages_from": "a date from which the younger ages count (refs 32-34)",
    "window_months_after": "counted forward from a birthday, within the month (refs 32-34)",
}


def period_starts(period: str, months: pd.Series) -> pd.Series:
    """The start of each month's data period: ``"YTD"``, ``"R12M"`` or ``"SS"`` (the snapshot)."""
    match str(getattr(period, "value", period)):
        case "YTD":
            return ytd_starts(months)
        case "R12M":
            return r12m_starts(months)
        case "SS":
            return snapshot_dates(months)
        case other:
            raise ValueError(f"unknown data period {other!r} (expected YTD, R12M or SS)")


def _back(starts: pd.Series, reach: Reach, n: int) -> pd.Series:
    match reach:
        case Reach.MONTHS:
            return add_months(starts, -n)
        case Reach.DAYS:
            return starts - pd.Timedelta(days=n)
        case Reach.WORKING_DAYS:
            return add_working_days(starts, -n)
        case _:
            assert_never(reach)


def window_starts(period: str, parameters: Mapping[str, object], months: pd.Series) -> pd.Series:
    """The first day of data each month's figure reads (vectorised over ``months``).

    ``period`` is the indicator's data period (``YTD``, ``R12M``, ``SS``, or the registry's
    ``Period``); ``parameters`` its registry parameters. The period's start (:func:`period_starts`)
    is moved back by the furthest-reaching look-back parameter, then by the chained ones.

    >>> months = pd.Series(pd.PeriodIndex(["2015-05"], freq="M"))
    >>> window_starts("YTD", {"lookback_months": 24}, months).iloc[0]
    Timestamp('2013-04-01 00:00:00')
    """
    base = period_starts(period, months)
    start = base
    chained: list[tuple[LookBack, int]] = []
    for name, value in parameters.items():
        rule = LOOKBACK_PARAMETERS.get(name)
        if rule is None:
            continue
        if rule.chained:
            chained.append((rule, int(value)))  # type: ignore[call-overload]
            continue
        start = start.where(start <= (moved := _back(base, rule.reach, int(value))), moved)  # type: ignore[call-overload]
    for rule, n in chained:
        start = _back(start, rule.reach, n)
    return start


class _Windowed(Protocol):
    @property
    def period(self) -> str: ...  # the registry's Period is a str Enum

    @property
    def parameters(self) -> Mapping[str, object]: ...


def indicator_window_starts(indicator: _Windowed, months: pd.Series) -> pd.Series:
    """:func:`window_starts` of a registry ``Indicator`` (its ``period`` and ``parameters``)."""
    return window_starts(indicator.period, indicator.parameters, months)


def window_key(indicator: _Windowed) -> tuple[object, ...]:
    """What :func:`window_starts` reads of an indicator: its data period and its look-back
    parameters (name and value, in their order). Indicators with the same key have the same
    window starts."""
    period = str(getattr(indicator.period, "value", indicator.period))
    parameters = indicator.parameters.items()
    reach = tuple((k, int(v)) for k, v in parameters if k in LOOKBACK_PARAMETERS)  # type: ignore[call-overload]
    return (period, reach)

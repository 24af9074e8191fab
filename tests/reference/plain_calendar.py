"""The calendar of the plain reference implementations, from first principles: one day at a time
with the ``holidays`` library's England & Wales bank holidays (substitute days included) and
``dateutil`` month arithmetic; none of the engine's calendar code is used."""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays
import pandas as pd
from dateutil.relativedelta import relativedelta

_ENGLAND = holidays.country_holidays("GB", subdiv="ENG")


def blank(value: object) -> bool:
    """A missing value: None, NaN, NaT or pd.NA."""
    return value is None or (not isinstance(value, (str, bool)) and bool(pd.isna(value)))


def day(value: object) -> dt.date | None:
    """A date (or None for a blank)."""
    if blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def is_working_day(d: dt.date) -> bool:
    """Monday to Friday and not an England & Wales bank holiday (or its substitute day)."""
    return d.weekday() < 5 and d not in _ENGLAND


@cache
def working_days(a: dt.date, b: dt.date) -> int:
    """The number of working days w with a < w <= b (0 when b <= a)."""
    n, d = 0, a
    while d < b:
        d += dt.timedelta(days=1)
        if is_working_day(d):
            n += 1
    return n


def add_working_days(a: dt.date, n: int) -> dt.date:
    """The n-th working day after a (for building edge cases)."""
    d = a
    while n > 0:
        d += dt.timedelta(days=1)
        if is_working_day(d):
            n -= 1
    return d


def add_months(d: dt.date, n: int) -> dt.date:
    """Calendar-month arithmetic, the day clipped to the end of the target month."""
    return d + relativedelta(months=n)


def month_end(month: str) -> dt.date:
    first = dt.date.fromisoformat(month + "-01")
    return first + relativedelta(months=1) - dt.timedelta(days=1)


def snapshot(month: str) -> dt.date:
    """The last working day of the month."""
    d = month_end(month)
    while not is_working_day(d):
        d -= dt.timedelta(days=1)
    return d


def ytd_start(month: str) -> dt.date:
    """1 April of the financial year holding the month."""
    first = dt.date.fromisoformat(month + "-01")
    return dt.date(first.year if first.month >= 4 else first.year - 1, 4, 1)


def r12m_start(month: str) -> dt.date:
    """The first day of the 12 months ending with the month."""
    return dt.date.fromisoformat(month + "-01") - relativedelta(months=11)


def in_ytd(d: dt.date | None, month: str) -> bool:
    return d is not None and ytd_start(month) <= d <= month_end(month)


def is_open(start: dt.date | None, end: dt.date | None, on: dt.date) -> bool:
    """Open on a day: started on or before it, and not ended (no end, or an end after it)."""
    return start is not None and start <= on and (end is None or end > on)

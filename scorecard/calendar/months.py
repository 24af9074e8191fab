"""Calendar-month arithmetic, reporting-period windows and "open on a day".

Month arithmetic follows ``dateutil.relativedelta``: move the month, keep the day of the month and
clip it to the end of the target month (29 Feb 2016 + 12 months = 28 Feb 2017; 31 Aug 2015 - 6
months = 28 Feb 2015). Everything is vectorised with ``numpy`` month arithmetic, never a Python loop
over rows.

Period windows for a reporting month ``M`` are inclusive date bounds:

* **YTD**: 1 April of the financial year containing ``M`` to the last calendar day of ``M``
  (April's YTD is April alone);
* **R12M**: the 12 whole calendar months ending with ``M``.

The conventions of :mod:`scorecard.calendar.working_days` apply: Series in, Series out with the same
index; inputs are never modified; dates are calendar days (a time of day is dropped); missing dates
give missing results; a scalar may stand in for one of several date arguments.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.calendar.periods import FY_START_MONTH, FinancialYear, to_month
from scorecard.calendar.working_days import (
    DateLike,
    MonthLike,
    _bool_series,
    _common_index,
    _date_series,
    _days,
    _month_end_days,
    _month_ordinals,
    _offsets,
    month_end,
    once_per_pair,
)


def _shift_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """``days`` (``datetime64[D]``) moved by ``months`` calendar months, clipped to month end."""
    month = days.astype("datetime64[M]")
    day_of_month = days - month.astype("datetime64[D]")
    target = month + months.astype("timedelta64[M]")
    return np.minimum(target.astype("datetime64[D]") + day_of_month, _month_end_days(target))


def shift_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Kernel of :func:`add_months`: each of ``days`` (``datetime64[D]``, NaT allowed) moved by
    the matching ``months`` (int64) calendar months, the day of the month clipped to the end of
    the target month; NaT stays NaT.

    Computed once per distinct (day, shift) pair (see
    :func:`~scorecard.calendar.working_days.once_per_pair`).
    """
    return once_per_pair(days, np.asarray(months, dtype=np.int64), _shift_months)


def add_months(dates: pd.Series, n: int | pd.Series) -> pd.Series:
    """Each date moved by ``n`` calendar months (``n`` may be negative), like ``relativedelta``.

    The day of the month is kept and clipped to the end of the target month: 2016-02-29 + 12 months
    is 2017-02-28, 2015-01-31 + 1 month is 2015-02-28, 2015-08-31 - 6 months is 2015-02-28.

    ``n`` may be an integer or an integer Series with the same index as ``dates``. Missing dates (or
    missing ``n``) give ``NaT``. The result keeps the index, name and datetime resolution of
    ``dates``. Note that month steps do not compose: (31 Jan + 1 month) + 1 month is 28 March, but
    31 Jan + 2 months is 31 March.
    """
    index = _common_index(dates, n)
    days, missing, unit = _days(dates, len(index))
    offsets, n_missing = _offsets(n, len(index))
    shifted = shift_months(days, offsets)
    shifted[missing | n_missing] = np.datetime64("NaT")
    return _date_series(shifted, index, unit, dates.name if isinstance(dates, pd.Series) else None)


def within_months(
    earlier: pd.Series | DateLike, later: pd.Series | DateLike, n: int | pd.Series
) -> pd.Series:
    """Whether ``earlier >= later - n months``: "within n months before ``later``" (nullable bool).

    The boundary day counts as within: with ``later`` = 2016-05-10 and ``n`` = 12, 2015-05-10 is
    within and 2015-05-09 is not. ``later - n months`` is :func:`add_months` (so with ``later`` =
    2017-02-28, 2016-02-28 is the boundary and 2016-02-29 is within).

    Only the lower bound is tested: a date after ``later`` is also "within"; callers that need
    "strictly earlier" (e.g. a previous referral) add that condition themselves. For "lasting at
    least n months" (e.g. a CP plan open 18 months on the snapshot date: start <= snapshot - 18
    months) use ``start <= add_months(snapshot, -n)``, which includes the boundary day too; and for
    forward conditions such as "end >= start + 2 years" use ``add_months(start, 24)``, which is not
    the same as counting back from ``end`` when a month end is clipped.

    Either date may be a scalar; ``n`` may be an integer or an integer Series. A missing date or
    ``n`` gives ``pd.NA``.
    """
    index = _common_index(earlier, later, n)
    e, e_missing, _ = _days(earlier, len(index))
    lat, lat_missing, _ = _days(later, len(index))
    offsets, n_missing = _offsets(n, len(index))
    missing = e_missing | lat_missing | n_missing
    boundary = _shift_months(lat, -offsets)
    within = np.where(missing, False, e >= boundary)
    return _bool_series(within, missing, index)


def open_on(
    start: pd.Series | DateLike, end: pd.Series | DateLike | None, day: pd.Series | DateLike
) -> pd.Series:
    """Whether each episode is open on ``day``: ``start <= day`` and (``end`` missing or ``end > day``).

    An episode ending on the day is not open on it; one starting on the day is. A missing ``end``
    means the episode is still open. A missing ``start`` or ``day`` gives ``pd.NA``. ``day`` (and
    ``start``/``end``) may be a scalar or a Series with the same index as the others.
    """
    index = _common_index(start, end, day)
    s, s_missing, _ = _days(start, len(index))
    e, e_missing, _ = _days(end, len(index))
    d, d_missing, _ = _days(day, len(index))
    missing = s_missing | d_missing
    is_open = (s <= d) & (e_missing | (e > d))
    return _bool_series(np.where(missing, False, is_open), missing, index)


def ytd_window(month: MonthLike) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``(start, end)`` of the year to date for reporting month ``month`` (inclusive bounds).

    Start is 1 April of the financial year containing the month, end its last calendar day.

    >>> ytd_window("2016-03")
    (Timestamp('2015-04-01 00:00:00'), Timestamp('2016-03-31 00:00:00'))
    >>> ytd_window("2016-04")
    (Timestamp('2016-04-01 00:00:00'), Timestamp('2016-04-30 00:00:00'))
    """
    start = pd.Timestamp(FinancialYear.of(to_month(month)).start_date)
    return start, month_end(month)


def r12m_window(month: MonthLike) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``(start, end)`` of the 12 whole calendar months ending with ``month`` (inclusive bounds).

    >>> r12m_window("2015-05")
    (Timestamp('2014-06-01 00:00:00'), Timestamp('2015-05-31 00:00:00'))
    """
    first = to_month(month) - 11
    return pd.Timestamp(year=first.year, month=first.month, day=1), month_end(month)


def ytd_starts(months: pd.Series) -> pd.Series:
    """Vectorised start of :func:`ytd_window`: 1 April of each month's financial year (or ``NaT``).

    The ends are :func:`~scorecard.calendar.working_days.month_ends`.
    """
    index = _common_index(months)
    ordinals = _month_ordinals(months)
    missing = np.isnat(ordinals)
    month_numbers = np.where(missing, 0, ordinals.astype(np.int64))  # months since January 1970
    # Months elapsed since the FY's first month: 0 for April ... 11 for March.
    since_fy_start = (month_numbers - (FY_START_MONTH - 1)) % 12
    starts = (month_numbers - since_fy_start).astype("datetime64[M]").astype("datetime64[D]")
    starts[missing] = np.datetime64("NaT")
    return _date_series(starts, index)


def r12m_starts(months: pd.Series) -> pd.Series:
    """Vectorised start of :func:`r12m_window`: first day of the month 11 months before (or ``NaT``).

    The ends are :func:`~scorecard.calendar.working_days.month_ends`.
    """
    index = _common_index(months)
    starts = _month_ordinals(months) - np.timedelta64(11, "M")
    return _date_series(starts.astype("datetime64[D]"), index)

"""Working days, England & Wales bank holidays, month ends and snapshot dates.

A **working day** is Monday to Friday, excluding England & Wales bank holidays, including substitute
("observed") days and one-off holidays such as the 2012 Diamond Jubilee (4-5 June 2012), the state
funeral of Queen Elizabeth II (19 September 2022) and the coronation of Charles III (8 May 2023). The
bank holidays come from the maintained `holidays <https://pypi.org/project/holidays/>`_ library
(``GB``, subdivision ``ENG``), never from a hand-typed list.

A duration "in working days" from ``a`` to ``b`` is the number of working days ``w`` with
``a < w <= b``: the same day is 0 and Monday to the next Monday is 5.

The **snapshot date** of a reporting month is its last working day.

Conventions shared by every function here:

* Series in, Series out: the result has the index of the input Series; inputs are never modified.
* Dates are calendar days. A time of day, if any, is dropped (the date is floored to midnight);
  timezone-aware values are taken at their local wall-clock date.
* Missing dates (``NaT``, ``None``) give missing results (``pd.NA`` or ``NaT``), never errors.
* When a function takes two dates, either may be a scalar (it is broadcast), but at least one must be
  a Series; two Series must have the same index (align them first).
* Bank holidays are known for the years the ``holidays`` library supports (:data:`HOLIDAY_YEARS`);
  outside them only weekends are non-working days.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeAlias

import holidays
import numpy as np
import pandas as pd

from scorecard.calendar.periods import to_month, to_months

if TYPE_CHECKING:
    from pandas._libs.missing import NAType

#: A single date: a Timestamp, ``datetime.date``/``datetime``, ``numpy.datetime64`` or ISO string.
DateLike: TypeAlias = pd.Timestamp | datetime | date | np.datetime64 | str
#: A reporting month: a monthly ``Period``, a date in the month, or a ``"YYYY-MM"`` string.
MonthLike: TypeAlias = pd.Period | datetime | date | str

#: Country and subdivision passed to ``holidays.country_holidays``: England (and Wales share the same
#: bank holidays).
HOLIDAY_COUNTRY = "GB"
HOLIDAY_SUBDIVISION = "ENG"

#: Monday to Friday, in the form ``numpy`` business-day functions expect.
WEEKMASK = "1111100"

# Stand-in for missing dates while numpy computes (its busday functions reject NaT); the results
# for those rows are masked afterwards.
_FILL_DAY = np.datetime64("2000-01-03", "D")
# pandas' default resolution for new datetimes (pandas >= 3); used for dates made from months.
_DEFAULT_UNIT = "us"


def _supported_years() -> tuple[int, int]:
    calendar = holidays.country_holidays(HOLIDAY_COUNTRY, subdiv=HOLIDAY_SUBDIVISION)
    first = getattr(calendar, "start_year", None) or 1872
    last = getattr(calendar, "end_year", None) or 2100
    return int(first), int(last)


#: First and last year for which the ``holidays`` library knows England & Wales bank holidays
#: (1872-2100 with holidays 0.109). Dates outside get weekends only.
HOLIDAY_YEARS: tuple[int, int] = _supported_years()


# --------------------------------------------------------------------------------------------------
# Bank holidays and the business-day calendar
# --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _bank_holidays(first_year: int, last_year: int) -> np.ndarray:
    lo = max(first_year, HOLIDAY_YEARS[0])
    hi = min(last_year, HOLIDAY_YEARS[1])
    if lo > hi:
        days = np.array([], dtype="datetime64[D]")
    else:
        table = holidays.country_holidays(
            HOLIDAY_COUNTRY, subdiv=HOLIDAY_SUBDIVISION, years=range(lo, hi + 1)
        )
        days = np.unique(np.array(sorted(table), dtype="datetime64[D]"))
        years = days.astype("datetime64[Y]").astype(np.int64) + 1970
        # Keep the days people get off: a holiday falling at a weekend (e.g. Boxing Day on Saturday
        # 26 Dec 2015) is replaced by its substitute weekday (Monday 28 Dec), which the library lists.
        keep = (years >= first_year) & (years <= last_year) & np.is_busday(days, weekmask=WEEKMASK)
        days = days[keep]
    days.setflags(write=False)
    return days


def bank_holidays(first_year: int, last_year: int) -> np.ndarray:
    """England & Wales bank holidays from 1 January ``first_year`` to 31 December ``last_year``.

    Returns a sorted, read-only ``numpy`` array of ``datetime64[D]``, including substitute days and
    one-off holidays; only weekdays are listed (a holiday falling on a weekend is represented by its
    substitute day). Results are cached per year range; call ``.copy()`` to get a writable array.

    >>> [str(d) for d in bank_holidays(2022, 2022)][-4:]
    ['2022-08-29', '2022-09-19', '2022-12-26', '2022-12-27']
    """
    if first_year > last_year:
        raise ValueError(f"first_year {first_year} is after last_year {last_year}")
    return _bank_holidays(int(first_year), int(last_year))


@lru_cache(maxsize=8)
def _busdaycalendar(first_year: int, last_year: int) -> np.busdaycalendar:
    return np.busdaycalendar(weekmask=WEEKMASK, holidays=_bank_holidays(first_year, last_year))


def _calendar() -> np.busdaycalendar:
    """The working-day calendar over every year the holidays library supports (built once)."""
    return _busdaycalendar(*HOLIDAY_YEARS)


# --------------------------------------------------------------------------------------------------
# Converting inputs (shared with scorecard.calendar.months)
# --------------------------------------------------------------------------------------------------


def _datetimes(values: pd.Series) -> pd.Series:
    """A naive ``datetime64`` Series from datetimes, dates or strings (no copy if already one)."""
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        return values.dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(dtype):
        return values
    if (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)) and bool(
        values.notna().any()
    ):
        raise TypeError(f"expected dates, got a Series of {dtype} (name {values.name!r})")
    return pd.to_datetime(values, errors="raise")


def _timestamp(value: Any) -> pd.Timestamp:
    """A naive Timestamp (or ``NaT``) from a scalar date."""
    if value is None or (not isinstance(value, (str, bytes)) and pd.isna(value)):
        return pd.NaT
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp


def _common_index(*operands: Any) -> pd.Index:
    """The shared index of the Series among ``operands``; raise if there is none or they differ."""
    series = [op for op in operands if isinstance(op, pd.Series)]
    if not series:
        raise TypeError("at least one argument must be a pandas Series")
    index = series[0].index
    for other in series[1:]:
        if not other.index.equals(index):
            raise ValueError("Series arguments must have the same index (align them first)")
    return index


def _days(value: pd.Series | DateLike | None, size: int) -> tuple[np.ndarray, np.ndarray, str]:
    """``(days, missing, unit)``: ``datetime64[D]`` values (NaT where missing), the missing mask, and
    the pandas resolution of the input (used to return dates at the same resolution)."""
    if isinstance(value, pd.Series):
        stamps = _datetimes(value)
        days = stamps.to_numpy().astype("datetime64[D]")
        unit = str(stamps.dt.unit)
    else:
        stamp = _timestamp(value)
        day = np.datetime64("NaT", "D") if stamp is pd.NaT else stamp.to_datetime64()
        days = np.full(size, day, dtype="datetime64[D]")
        unit = _DEFAULT_UNIT if stamp is pd.NaT else str(stamp.unit)
    return days, np.isnat(days), unit


def _offsets(n: int | pd.Series, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``(values, missing)`` int64 offsets from an integer or an integer Series."""
    if isinstance(n, pd.Series):
        ints = pd.array(n, dtype="Int64")
        missing = np.asarray(ints.isna(), dtype=bool)
        return ints.to_numpy(dtype=np.int64, na_value=0), missing
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"n must be an integer or a Series of integers, got {n!r}")
    return np.full(size, int(n), dtype=np.int64), np.zeros(size, dtype=bool)


def once_per_pair(
    days: np.ndarray,
    offsets: np.ndarray,
    kernel: Callable[[np.ndarray, np.ndarray], np.ndarray],
) -> np.ndarray:
    """``kernel(days, offsets)`` (``datetime64[D]`` days, NaT allowed, and int64 offsets, to
    ``datetime64[D]``), computed once per distinct (day, offset) pair; NaT where a day is NaT.

    A computation's dates and offsets repeat (a few thousand days, a few offsets across millions
    of rows) while calendar conversions cost per element, so the pairs are numbered on one int64
    key and the kernel runs on the distinct ones only. ``kernel`` must be elementwise.
    """
    whole = days.view(np.int64)
    missing = np.isnat(days)
    if missing.all():
        return np.full(len(days), np.datetime64("NaT"), dtype="datetime64[D]")
    present = whole[~missing]
    low_day, low_offset = int(present.min()), int(offsets.min())
    day_span = int(present.max()) - low_day + 1
    offset_span = int(offsets.max()) - low_offset + 1
    if day_span > (1 << 40) // offset_span:  # too wide for one int64 key: every element
        result = kernel(np.where(missing, _FILL_DAY, days), offsets)
    else:
        key = (np.where(missing, low_day, whole) - low_day) * offset_span + (offsets - low_offset)
        if day_span * offset_span <= max(len(days), 1 << 16):  # every pair of the ranges: a table
            codes, distinct = key, np.arange(day_span * offset_span)
        else:
            codes, distinct = pd.factorize(key)
        result = kernel(
            (distinct // offset_span + low_day).astype("datetime64[D]"),
            distinct % offset_span + low_offset,
        )[codes]
    result[missing] = np.datetime64("NaT")
    return result


def _filled(days: np.ndarray, missing: np.ndarray) -> np.ndarray:
    return np.where(missing, _FILL_DAY, days)


def _date_series(
    days: np.ndarray, index: pd.Index, unit: str = _DEFAULT_UNIT, name: Any = None
) -> pd.Series:
    """A ``datetime64[unit]`` Series from ``datetime64[D]`` values (raises if out of range)."""
    values = pd.DatetimeIndex(days).as_unit(unit)
    return pd.Series(values, index=index, name=name)


def _int_series(
    values: np.ndarray, missing: np.ndarray, index: pd.Index, name: Any = None
) -> pd.Series:
    array = pd.arrays.IntegerArray(values.astype(np.int64), missing.copy())
    return pd.Series(array, index=index, name=name)


def _bool_series(
    values: np.ndarray, missing: np.ndarray, index: pd.Index, name: Any = None
) -> pd.Series:
    array = pd.arrays.BooleanArray(np.asarray(values, dtype=bool), missing.copy())
    return pd.Series(array, index=index, name=name)


def _month_ordinals(months: pd.Series) -> np.ndarray:
    """Months since January 1970 as ``datetime64[M]`` (NaT where missing) from a Series of months."""
    periods = to_months(months)
    return np.asarray(periods.array.asi8, dtype=np.int64).view("datetime64[M]")


def _month_end_days(months: np.ndarray) -> np.ndarray:
    """Last calendar day of each ``datetime64[M]`` month, as ``datetime64[D]``."""
    return (months + 1).astype("datetime64[D]") - np.timedelta64(1, "D")


# --------------------------------------------------------------------------------------------------
# Working days
# --------------------------------------------------------------------------------------------------


def _counts_once(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Working days in ``(lo, hi]`` for each pair of ``datetime64[D]`` days (``lo <= hi``),
    counted once per distinct pair: a computation's rows repeat a few thousand pairs (a visit for
    each month it counts in, an assessment for each snapshot), and the calendar costs per element.
    """
    one_day = np.timedelta64(1, "D")
    first, last = lo.view(np.int64), hi.view(np.int64)
    low = int(first.min()) if len(first) else 0
    span = int(last.max()) - low + 1 if len(last) else 0
    if len(first) > 1 and span <= 1 << 31:  # the pairs numbered on one int64 key
        codes, distinct = pd.factorize((first - low) * span + (last - low))
        lo = (distinct // span + low).astype("datetime64[D]")
        hi = (distinct % span + low).astype("datetime64[D]")
    else:
        codes = None
    # busday_count counts [begin, end); shifting both ends by a day counts (lo, hi]. (Its own
    # convention for begin > end is not the mirror we want, so the order is fixed by the caller.)
    counts = np.busday_count(lo + one_day, hi + one_day, busdaycal=_calendar())
    return counts if codes is None else counts[codes]


def working_days_between(start: pd.Series | DateLike, end: pd.Series | DateLike) -> pd.Series:
    """Number of working days ``w`` with ``start < w <= end`` (nullable ``Int64``).

    The same day gives 0, Monday to the next Monday gives 5, and a start on a weekend or bank
    holiday counts from the next working day (Saturday to the following Monday is 1).

    If ``end`` is before ``start`` the result is the negative mirror: minus the number of working
    days ``w`` with ``end < w <= start``; so ``working_days_between(a, b) ==
    -working_days_between(b, a)`` and counts are additive:
    ``between(a, b) + between(b, c) == between(a, c)``.

    Either argument may be a scalar date (e.g. the snapshot date) broadcast against the other; two
    Series must have the same index, which the result keeps. A missing date on either side gives
    ``pd.NA``.
    """
    index = _common_index(start, end)
    s, s_missing, _ = _days(start, len(index))
    e, e_missing, _ = _days(end, len(index))
    missing = s_missing | e_missing
    s, e = _filled(s, missing), _filled(e, missing)
    lo, hi = np.minimum(s, e), np.maximum(s, e)
    counts = _counts_once(lo, hi)
    counts = np.where(e < s, -counts, counts)
    return _int_series(counts, missing, index)


def working_days_between_dates(start: DateLike | None, end: DateLike | None) -> int | NAType:
    """Scalar version of :func:`working_days_between`: an ``int``, or ``pd.NA`` if a date is missing.

    >>> working_days_between_dates("2015-05-11", "2015-05-18")  # Monday to the next Monday
    5
    """
    result = working_days_between(pd.Series([_timestamp(start)]), _timestamp(end)).iloc[0]
    return pd.NA if pd.isna(result) else int(result)


def add_working_days(dates: pd.Series, n: int | pd.Series) -> pd.Series:
    """The date ``n`` working days after each date (before it if ``n`` is negative).

    The result is always a working day: a date is first rolled back to the last working day on or
    before it, then moved ``n`` working days. So ``n > 0`` gives the n-th working day strictly after
    the date (the 45th working day after Wednesday 1 April 2015 is Tuesday 9 June 2015), ``n == 0``
    gives the date itself if it is a working day (otherwise the working day before it), and for
    every date ``d`` and integer ``n``::

        working_days_between(d, add_working_days(d, n)) == n

    ``n`` may be an integer or an integer Series with the same index as ``dates``. Missing dates (or
    missing ``n``) give ``NaT``. The result keeps the index, name and datetime resolution of
    ``dates``.
    """
    index = _common_index(dates, n)
    days, missing, unit = _days(dates, len(index))
    offsets, n_missing = _offsets(n, len(index))
    missing = missing | n_missing
    calendar = _calendar()
    shifted = once_per_pair(
        np.where(missing, np.datetime64("NaT"), days),
        offsets,
        lambda d, o: np.busday_offset(d, o, roll="backward", busdaycal=calendar),
    )
    return _date_series(shifted, index, unit, dates.name if isinstance(dates, pd.Series) else None)


def add_working_days_to_date(day: DateLike | None, n: int) -> pd.Timestamp:
    """Scalar version of :func:`add_working_days`: a Timestamp, or ``NaT`` if ``day`` is missing.

    >>> add_working_days_to_date("2015-04-01", 45)
    Timestamp('2015-06-09 00:00:00')
    """
    return add_working_days(pd.Series([_timestamp(day)]), n).iloc[0]


def is_working_day(dates: pd.Series) -> pd.Series:
    """Whether each date is a working day (nullable ``boolean``; ``pd.NA`` for a missing date)."""
    index = _common_index(dates)
    days, missing, _ = _days(dates, len(index))
    working = np.is_busday(_filled(days, missing), busdaycal=_calendar())
    return _bool_series(working, missing, index, dates.name)


# --------------------------------------------------------------------------------------------------
# Month ends and snapshot dates
# --------------------------------------------------------------------------------------------------


def month_end(month: MonthLike) -> pd.Timestamp:
    """The last calendar day of a reporting month (a Period ``M``, a date in it, or ``"YYYY-MM"``).

    >>> month_end("2016-02")
    Timestamp('2016-02-29 00:00:00')
    """
    period = to_month(month)
    return pd.Timestamp(year=period.year, month=period.month, day=period.days_in_month)


def month_ends(months: pd.Series) -> pd.Series:
    """Vectorised :func:`month_end` over a Series of months (``NaT`` for a missing month)."""
    index = _common_index(months)
    return _date_series(_month_end_days(_month_ordinals(months)), index)


def snapshot_date(month: MonthLike) -> pd.Timestamp:
    """The snapshot date of a reporting month: its last working day.

    >>> snapshot_date("2015-05")  # 31 May 2015 is a Sunday
    Timestamp('2015-05-29 00:00:00')
    >>> snapshot_date("2015-08")  # 31 August 2015 is the summer bank holiday
    Timestamp('2015-08-28 00:00:00')
    """
    return snapshot_dates(pd.Series([to_month(month)])).iloc[0]


def snapshot_dates(months: pd.Series) -> pd.Series:
    """Vectorised :func:`snapshot_date` over a Series of months (``NaT`` for a missing month)."""
    index = _common_index(months)
    ends = _month_end_days(_month_ordinals(months))
    missing = np.isnat(ends)
    last_working = np.busday_offset(
        _filled(ends, missing), 0, roll="backward", busdaycal=_calendar()
    )
    last_working[missing] = np.datetime64("NaT")
    return _date_series(last_working, index)

"""Vectorised building blocks of the generator: random streams, dates, working days, identifiers.

Dates are ``numpy.datetime64[D]`` arrays throughout (``NaT`` = missing); every function works on
whole arrays at once. Nothing here loops over records in Python: loops, where there are any, run
over *steps* (the n-th visit of every plan at once), never over children.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa

from scorecard.calendar.working_days import bank_holidays

NAT = np.datetime64("NaT", "D")
DAY = np.timedelta64(1, "D")
YEAR_DAYS = 365.25


# --------------------------------------------------------------------------------------------------
# The generation context: dates of the run, scale and named random streams
# --------------------------------------------------------------------------------------------------


@dataclass
class Context:
    """What every stage of the generator shares.

    ``end`` is the last calendar day of the last month (nothing is dated after it, except the
    expected date of birth of a child still unborn); ``history_start`` is 1 April four financial
    years before the last month; ``sim_start`` is where the simulated flows of referrals start
    (two years earlier still, so that stocks of open cases and plans are in equilibrium, and
    look-backs are populated, from ``history_start``). Children already in care for longer are
    created by a separate "legacy" stream.
    """

    seed: int
    scale: float
    last_month: pd.Period
    drift: dict[str, np.ndarray] = field(default_factory=dict)

    @cached_property
    def end(self) -> np.datetime64:
        return np.datetime64(self.last_month.end_time.date(), "D")

    @cached_property
    def history_start(self) -> np.datetime64:
        fy = self.last_month.year if self.last_month.month >= 4 else self.last_month.year - 1
        return np.datetime64(f"{fy - 4}-04-01", "D")

    @cached_property
    def sim_start(self) -> np.datetime64:
        return add_months(np.array([self.history_start]), -24)[0]

    @cached_property
    def first_month(self) -> np.datetime64:
        """First month (``datetime64[M]``) with a monthly drift value (the legacy origin)."""
        return (self.sim_start - np.timedelta64(20 * 366, "D")).astype("datetime64[M]")

    @cached_property
    def calendar(self) -> np.busdaycalendar:
        first = int(str(self.first_month)[:4]) - 20
        last = int(str(self.end)[:4]) + 3
        return np.busdaycalendar(weekmask="1111100", holidays=bank_holidays(first, last))

    def rng(self, name: str) -> np.random.Generator:
        """An independent random stream per named stage: changing one stage's draws never shifts
        another's, which keeps calibration local."""
        return np.random.default_rng([self.seed, zlib.crc32(name.encode())])

    # ---- monthly drift: month-to-month movement of the rates -------------------------------------

    def _drift(self, name: str, sd: float, rho: float) -> np.ndarray:
        key = f"{name}:{sd}:{rho}"
        if key not in self.drift:
            months = int((self.end.astype("datetime64[M]") - self.first_month).astype(int)) + 2
            rng = self.rng(f"drift.{name}")
            shocks = rng.normal(0.0, sd * np.sqrt(1 - rho**2), months)
            values = np.empty(months)
            values[0] = rng.normal(0.0, sd)
            for i in range(1, months):  # one step per month, not per record
                values[i] = rho * values[i - 1] + shocks[i]
            self.drift[key] = values
        return self.drift[key]

    def prob(
        self,
        name: str,
        base: float | np.ndarray,
        dates: np.ndarray,
        sd: float = 0.25,
        rho: float = 0.6,
    ) -> np.ndarray:
        """``base`` probability moved, month by month, by a seeded AR(1) walk on the logit scale
        (``sd`` its standard deviation), evaluated at ``dates``. Gives the month-to-month movement
        of a real service; ``sd=0`` keeps it constant."""
        base = np.clip(np.broadcast_to(np.asarray(base, dtype=float), dates.shape), 1e-6, 1 - 1e-6)
        if sd == 0 or len(dates) == 0:
            return base.copy()
        walk = self._drift(name, sd, rho)
        index = month_index(dates, self.first_month, len(walk))
        return expit(logit(base) + walk[index])

    def working(self, dates: np.ndarray) -> np.ndarray:
        """Each date rolled forward to a working day (meetings, visits and decisions)."""
        return roll_forward(dates, self.calendar)

    def add_wd(self, dates: np.ndarray, n: np.ndarray | int) -> np.ndarray:
        """The date ``n`` working days after each date (``n`` working days w with d < w <= result)."""
        return add_working_days(dates, n, self.calendar)

    def wd_between(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Working days w with a < w <= b (the scorecard convention)."""
        return working_days_between(a, b, self.calendar)


def month_index(dates: np.ndarray, first: np.datetime64, size: int) -> np.ndarray:
    months = dates.astype("datetime64[M]")
    idx = (months - first).astype(np.int64)
    idx = np.where(np.isnat(dates), 0, idx)
    return np.clip(idx, 0, size - 1)


def logit(p: np.ndarray) -> np.ndarray:
    return np.log(p) - np.log1p(-p)


def expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


# --------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------


def days(values: np.ndarray | float) -> np.ndarray:
    """Whole days as ``timedelta64[D]`` (floats are floored)."""
    return np.floor(np.asarray(values, dtype=float)).astype(np.int64).astype("timedelta64[D]")


def add_months(dates: np.ndarray, n: np.ndarray | int) -> np.ndarray:
    """Calendar-month arithmetic like ``relativedelta`` (day clipped to the month's end)."""
    dates = np.asarray(dates, dtype="datetime64[D]")
    month = dates.astype("datetime64[M]")
    day_of_month = dates - month.astype("datetime64[D]")
    target = month + np.asarray(n, dtype=np.int64).astype("timedelta64[M]")
    last = (target + np.timedelta64(1, "M")).astype("datetime64[D]") - DAY
    return np.minimum(target.astype("datetime64[D]") + day_of_month, last)


def add_years(dates: np.ndarray, n: np.ndarray | int) -> np.ndarray:
    return add_months(dates, np.asarray(n, dtype=np.int64) * 12)


def age_years(dob: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Age in (fractional) years; NaN where a date is missing."""
    out = (on - dob).astype("timedelta64[D]").astype(float) / YEAR_DAYS
    out[np.isnat(dob) | np.isnat(on)] = np.nan
    return out


def _fill(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    missing = np.isnat(dates)
    return np.where(missing, np.datetime64("2000-01-03", "D"), dates), missing


def roll_forward(dates: np.ndarray, cal: np.busdaycalendar) -> np.ndarray:
    filled, missing = _fill(np.asarray(dates, dtype="datetime64[D]"))
    out = np.busday_offset(filled, 0, roll="forward", busdaycal=cal)
    out[missing] = NAT
    return out


def add_working_days(dates: np.ndarray, n: np.ndarray | int, cal: np.busdaycalendar) -> np.ndarray:
    filled, missing = _fill(np.asarray(dates, dtype="datetime64[D]"))
    steps = np.broadcast_to(np.asarray(n, dtype=np.int64), filled.shape)
    out = np.busday_offset(filled, steps, roll="backward", busdaycal=cal)
    out[missing] = NAT
    return out


def working_days_between(a: np.ndarray, b: np.ndarray, cal: np.busdaycalendar) -> np.ndarray:
    fa, ma = _fill(np.asarray(a, dtype="datetime64[D]"))
    fb, mb = _fill(np.asarray(b, dtype="datetime64[D]"))
    out = np.busday_count(fa + DAY, fb + DAY, busdaycal=cal).astype(float)
    out[ma | mb] = np.nan
    return out


def censor(dates: np.ndarray, end: np.datetime64) -> np.ndarray:
    """Dates after ``end`` become missing (not yet happened when the extract was taken)."""
    out = dates.copy()
    out[out > end] = NAT
    return out


def daily_arrivals(
    rng: np.random.Generator,
    start: np.datetime64,
    end: np.datetime64,
    per_year: float,
    *,
    weekend_factor: float = 1.0,
    month_factors: np.ndarray | None = None,
    trend_per_year: float = 0.0,
    trend_origin: np.datetime64 | None = None,
) -> np.ndarray:
    """Dates of a Poisson process over [start, end]: counts drawn per day (vectorised), with a
    weekday/weekend pattern, a seasonal factor per calendar month and an exponential trend."""
    if per_year <= 0 or end < start:
        return np.empty(0, dtype="datetime64[D]")
    all_days = np.arange(start, end + DAY, dtype="datetime64[D]")
    weekday = (all_days.astype(np.int64) + 3) % 7  # 0 = Monday
    weight = np.where(weekday >= 5, weekend_factor, 1.0)
    if month_factors is not None:
        month = all_days.astype("datetime64[M]").astype(np.int64) % 12
        weight = weight * month_factors[month]
    if trend_per_year:
        origin = trend_origin if trend_origin is not None else end
        years = (all_days - origin).astype(float) / YEAR_DAYS
        weight = weight * np.exp(trend_per_year * years)
    weight = weight * (len(weight) / weight.sum()) if weight.sum() > 0 else weight
    counts = rng.poisson(per_year / YEAR_DAYS * weight)
    return np.repeat(all_days, counts)


# --------------------------------------------------------------------------------------------------
# Random helpers
# --------------------------------------------------------------------------------------------------


def choice(rng: np.random.Generator, codes: list | tuple | np.ndarray, p, size: int) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return np.asarray(codes)[rng.choice(len(p), size=size, p=p / p.sum())]


def choice_rows(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One category per row of a (rows x categories) probability matrix (rows need not sum to 1)."""
    cumulative = np.cumsum(probabilities, axis=1)
    cumulative /= cumulative[:, -1:]
    draws = rng.random(len(probabilities))[:, None]
    return np.minimum((draws > cumulative).sum(axis=1), probabilities.shape[1] - 1)


def lognormal_days(rng: np.random.Generator, median: float, sigma: float, size: int) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(size))


def uniform_int(rng: np.random.Generator, low, high, size: int) -> np.ndarray:
    """Integers in [low, high] inclusive (array bounds allowed)."""
    low = np.asarray(low, dtype=np.int64)
    high = np.asarray(high, dtype=np.int64)
    return low + np.floor(rng.random(size) * (high - low + 1)).astype(np.int64)


def renewal(
    rng: np.random.Generator,
    start: np.ndarray,
    end: np.ndarray,
    first_gap,
    next_gap,
    *,
    max_steps: int = 2000,
) -> tuple[np.ndarray, np.ndarray]:
    """Event dates of a renewal process on each owner's interval [start, end).

    ``first_gap(rng, idx, start)`` and ``next_gap(rng, idx, previous)`` return the dates of the
    first / next event of the owners ``idx`` (arrays). Returns (owner index, date) of every event
    dated before the owner's ``end`` (``NaT`` end = never ends; callers cap it). One loop step per
    event *number* (all owners advance together).
    """
    owners: list[np.ndarray] = []
    dates: list[np.ndarray] = []
    idx = np.flatnonzero(~np.isnat(start))
    current = first_gap(rng, idx, start[idx])
    for _ in range(max_steps):
        alive = current < end[idx]
        idx, current = idx[alive], current[alive]
        if not len(idx):
            break
        owners.append(idx)
        dates.append(current)
        current = next_gap(rng, idx, current)
    if not owners:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype="datetime64[D]")
    return np.concatenate(owners), np.concatenate(dates)


def first_per_group(keys: np.ndarray) -> np.ndarray:
    """Boolean mask of the first row of each run of equal ``keys`` (keys sorted)."""
    mask = np.ones(len(keys), dtype=bool)
    mask[1:] = keys[1:] != keys[:-1]
    return mask


def ffill_index(valid: np.ndarray) -> np.ndarray:
    """For each row, the index of the latest row at or before it where ``valid`` is True."""
    idx = np.where(valid, np.arange(len(valid)), 0)
    return np.maximum.accumulate(idx) if len(idx) else idx


def lookup_interval(
    query_key: np.ndarray,
    query_date: np.ndarray,
    key: np.ndarray,
    start: np.ndarray,
) -> np.ndarray:
    """For each query, the row (of rows sorted by key then start) with the same key and the latest
    start on or before the query date; -1 if none. Vectorised "as of" lookup."""
    base = np.datetime64("1900-01-01", "D")
    span = np.int64(100_000)
    composite = key.astype(np.int64) * span + (start - base).astype(np.int64)
    q = query_key.astype(np.int64) * span + (query_date - base).astype(np.int64)
    pos = np.searchsorted(composite, q, side="right") - 1
    ok = pos >= 0
    ok[ok] &= key[pos[ok]] == query_key[ok]
    return np.where(ok, pos, -1)


# --------------------------------------------------------------------------------------------------
# Output: identifiers and canonical columns
# --------------------------------------------------------------------------------------------------

_FOUR_DIGITS = np.frombuffer(b"".join(f"{i:04d}".encode() for i in range(10_000)), dtype=np.uint32)
_STR = pd.StringDtype("pyarrow", na_value=np.nan)


def ids(prefix: str, numbers: np.ndarray) -> pd.Series:
    """Identifiers ``<prefix><10 digits>`` (prefix of exactly two letters), e.g. ``CH0000012345``,
    written straight into one Arrow string buffer (fast and compact for tens of millions of rows).
    """
    if len(prefix) != 2:
        raise ValueError("identifier prefixes have two characters")
    numbers = np.asarray(numbers, dtype=np.int64)
    n = len(numbers)
    if n == 0:
        return pd.Series([], dtype="str")
    if numbers.min() < 0 or numbers.max() >= 10**10:
        raise ValueError("identifier numbers must be in 0..10**10-1")
    heads = np.frombuffer(
        b"".join((prefix + f"{i:02d}").encode() for i in range(100)), dtype=np.uint32
    )
    words = np.empty((n, 3), dtype=np.uint32)
    step = 1 << 22
    for lo in range(0, n, step):  # in chunks, to bound the temporary arrays
        # float arithmetic is exact below 2**53 and much faster than int64 division
        x = numbers[lo : lo + step].astype(np.float64)
        high = np.floor(x * 1e-4)
        low = (x - high * 1e4).astype(np.int32)
        top = np.floor(high * 1e-4)
        mid = (high - top * 1e4).astype(np.int32)
        words[lo : lo + step, 0] = heads[top.astype(np.int32)]
        words[lo : lo + step, 1] = _FOUR_DIGITS[mid]
        words[lo : lo + step, 2] = _FOUR_DIGITS[low]
    # pandas keeps its strings as Arrow large_string: build that, so nothing is copied
    offsets = np.arange(0, (n + 1) * 12, 12, dtype=np.int64)
    array = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(words))
    return pd.Series(pd.array(array, dtype=_STR))


def labels(names: list[str] | tuple[str, ...], codes: np.ndarray) -> pd.Series:
    """Text column from integer codes into ``names`` (code -1 = missing)."""
    codes = np.asarray(codes)
    if codes.dtype != np.int32 and codes.dtype != np.int8:
        codes = codes.astype(np.int32)
    mask = codes < 0
    if mask.any():
        indices = pa.array(np.where(mask, 0, codes), mask=mask)
    else:
        indices = pa.array(codes)
    array = pa.array(list(names), type=pa.large_string()).take(indices)
    return pd.Series(pd.array(array, dtype=_STR))


def text(values: np.ndarray) -> pd.Series:
    """Text column from an array of strings ('' = missing), via codes of its distinct values."""
    values = np.asarray(values)
    names, codes = np.unique(values, return_inverse=True)
    codes = codes.astype(np.int32)
    if len(names) and names[0] == "":
        codes -= 1
        names = names[1:]
    return labels([str(v) for v in names], codes)


def optional_ids(prefix: str, numbers: np.ndarray) -> pd.Series:
    """As :func:`ids` with -1 = missing (missing values take no space in the string buffer)."""
    numbers = np.asarray(numbers, dtype=np.int64)
    have = numbers >= 0
    if have.all() or not len(numbers):
        return ids(prefix, numbers)
    present = pa.array(ids(prefix, numbers[have]).array)
    offsets = np.zeros(len(numbers) + 1, dtype=np.int64)
    np.cumsum(have, out=offsets[1:])
    offsets *= 12
    masked = pa.LargeStringArray.from_buffers(
        len(numbers),
        pa.py_buffer(offsets),
        present.buffers()[2],
        pa.array(have).buffers()[1],
        null_count=int((~have).sum()),
    )
    return pd.Series(pd.array(masked, dtype=_STR))


def date_column(dates: np.ndarray) -> pd.Series:
    return pd.Series(np.asarray(dates, dtype="datetime64[D]").astype("datetime64[ns]"))


def flag_column(values: np.ndarray, missing: np.ndarray | None = None) -> pd.Series:
    """Nullable boolean column (``missing`` marks blanks)."""
    array = pd.array(np.asarray(values, dtype=bool), dtype="boolean")
    if missing is not None and missing.any():
        array[np.asarray(missing, dtype=bool)] = pd.NA
    return pd.Series(array)

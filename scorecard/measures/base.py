"""The measure framework: how an indicator's counting rule is written and what it returns.

A *measure* is a pure function registered for one indicator id with :func:`measure`. It receives a
:class:`MeasureInput` (the extracts, the reporting months, the indicator with its parameters) and
returns **record-level rows**, one per record in the denominator per reporting month:

=============  ===================================================================================
month          the reporting month (monthly Period) the row counts in
team           the team holding the record the measure is about
record_id      the id of the counted record (referral, plan, child, visit, worker, post, ...)
child_id       the child concerned, where there is one (else missing)
numerator      the record's contribution to the numerator (1/0 for percentages, days for averages,
               FTE for staffing shares, caseload for caseloads, 1 for counts)
denominator    its contribution to the denominator (1 for most, FTE for staffing; missing for counts)
=============  ===================================================================================

Team, area and county results are sums of these rows (:mod:`scorecard.measures.aggregate`), and the
same rows are the drill-down an analyst uses to check a figure. Helpers here turn events and
episodes into rows per reporting month for the three data periods, vectorised over all months.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any, assert_never

import numpy as np
import pandas as pd

from scorecard.calendar.months import r12m_starts, ytd_starts
from scorecard.calendar.working_days import month_ends, snapshot_dates
from scorecard.extracts.container import Extracts
from scorecard.registry.contract import MeasureContract, Parameter, ParameterKind
from scorecard.registry.model import Indicator, Period

RECORD_COLUMNS = ["month", "team", "record_id", "child_id", "numerator", "denominator"]

#: Nanoseconds in a day: dates at midnight are whole multiples of it.
NS_PER_DAY = np.int64(86_400_000_000_000)


class NotComputable(LookupError):
    """An indicator cannot be computed: an extract it needs is absent."""


@dataclass(frozen=True)
class MeasureInput:
    """What a measure sees: extracts, reporting months (with their dates) and its indicator."""

    extracts: Extracts
    months: pd.PeriodIndex
    indicator: Indicator

    def open_records(
        self, name: str, start: str = "start_date", end: str = "end_date"
    ) -> pd.DataFrame:
        """``at_snapshots(self.extract(name), self, start, end)``, built once per computation."""
        self.extract(name)  # NotComputable if absent
        return open_records(self.extracts, name, self.months, start, end)

    def extract(self, name: str) -> pd.DataFrame:
        """A present extract; :class:`NotComputable` if it is absent."""
        frame = self.extracts.get(name)
        if frame is None:
            raise NotComputable(f"extract {name!r} is absent")
        return frame

    def param(self, name: str) -> Any:
        """A named local standard: the indicator's value in the registry, else the default its
        measure declares. Reading a parameter the measure does not declare is a programming error
        (the registry's values are checked against the declarations before anything runs)."""
        found = _MEASURES.get(self.indicator.measure_id)
        declared = found.contract.parameter(name) if found is not None else None
        if declared is None:
            raise LookupError(f"measure {self.indicator.measure_id!r} reads parameter {name!r}, "
                              f"which it does not declare")  # fmt: skip
        value = self.indicator.parameters.get(name, declared.default)
        if value is None:
            raise LookupError(f"indicator {self.indicator.id!r} gives no value for the required "
                              f"parameter {name!r}")  # fmt: skip
        return value

    @property
    def calendar(self) -> pd.DataFrame:
        """One row per reporting month: ``month, snapshot, month_end, period_start``.

        ``period_start`` is the first day of the indicator's window: 1 April of the financial year
        (YTD), the first day of the 12 months (R12M), or the snapshot date itself (SS).
        """
        return reporting_calendar(self.months, self.indicator.period)


def reporting_calendar(months: pd.PeriodIndex, period: Period) -> pd.DataFrame:
    """One row per month of ``months``: ``month, snapshot, month_end, period_start`` (see
    :attr:`MeasureInput.calendar`). Built once per months and period; each call gets its own
    (shallow) copy."""
    return _reporting_calendar(tuple(months.asi8), months.freqstr, period).copy(deep=False)


@lru_cache(maxsize=64)
def _reporting_calendar(ordinals: tuple[int, ...], freq: str, period: Period) -> pd.DataFrame:
    months = pd.PeriodIndex.from_ordinals(list(ordinals), freq=freq)
    month = pd.Series(months, name="month")
    calendar = pd.DataFrame(
        {"month": month, "snapshot": snapshot_dates(month), "month_end": month_ends(month)}
    )
    match period:
        case Period.YTD:
            calendar["period_start"] = ytd_starts(month)
        case Period.ROLLING_12_MONTHS:
            calendar["period_start"] = r12m_starts(month)
        case Period.SNAPSHOT:
            calendar["period_start"] = calendar["snapshot"]
        case _:
            assert_never(period)
    return calendar


@dataclass
class _Sharing:
    extracts: Extracts
    frames: dict[Hashable, pd.DataFrame] = field(default_factory=dict)


_SHARING: ContextVar[_Sharing | None] = ContextVar("scorecard_shared_frames", default=None)


@contextmanager
def sharing(extracts: Extracts) -> Iterator[None]:
    """Within the block, :func:`shared` builds each intermediate frame of ``extracts`` only once
    (the periods of care, the looked-after population, ...); they are dropped at its end."""
    token = _SHARING.set(_Sharing(extracts))
    try:
        yield
    finally:
        _SHARING.reset(token)


def shared(extracts: Extracts, key: Hashable, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``build()``, an intermediate frame derived from ``extracts`` alone and named by ``key``.

    Inside :func:`sharing` for these extracts it is built once and each caller gets a shallow copy
    (with copy-on-write, no caller can alter what another sees); elsewhere it is simply built.
    """
    current = _SHARING.get()
    if current is None or current.extracts is not extracts:
        return build()
    if key not in current.frames:
        current.frames[key] = build()
    return current.frames[key].copy(deep=False)


def open_records(
    extracts: Extracts,
    name: str,
    months: pd.PeriodIndex,
    start: str = "start_date",
    end: str = "end_date",
) -> pd.DataFrame:
    """Rows of the extract ``name`` open on the snapshot date of each of ``months`` (see
    :func:`open_at`), with ``month`` and ``snapshot``; shared by the measures of a computation."""
    frame = extracts.get(name)
    if frame is None:
        raise NotComputable(f"extract {name!r} is absent")

    def build() -> pd.DataFrame:
        calendar = reporting_calendar(months, Period.SNAPSHOT)[["month", "snapshot"]]
        return open_at(frame, calendar, start, end)

    return shared(extracts, ("open_at", name, start, end, tuple(months.asi8)), build)


def in_period(events: pd.DataFrame, date_column: str, inp: MeasureInput) -> pd.DataFrame:
    """Rows of ``events`` repeated for every reporting month whose window contains the date.

    YTD: [1 April of the month's financial year, last day of the month]; R12M: the 12 whole
    months ending with the month. The result has the event columns plus ``month``: for each event
    (in order) its months in ascending order. An event can fall in at most 12 reporting months, so
    each is repeated at most 12 times (not once per month asked), keeping memory proportional to
    the events.
    """
    calendar = inp.calendar
    if inp.indicator.period is Period.SNAPSHOT:
        raise ValueError(f"{inp.indicator.id}: in_period is for YTD and R12M indicators")
    dates = events[date_column]
    lo, hi = calendar["period_start"].min(), calendar["month_end"].max()
    candidates = events[dates.notna() & (dates >= lo) & (dates <= hi)]
    months = calendar["month"]
    if "month" in events.columns or not (months.is_monotonic_increasing and months.is_unique):
        return _in_period_by_merge(candidates, date_column, calendar)
    # Months ascending: window ends ascend and window starts never decrease, so the months whose
    # window holds a date are a run [first month ending on or after it, last starting on or before].
    day = nanoseconds(candidates[date_column])
    first = np.searchsorted(nanoseconds(calendar["month_end"]), day, side="left")
    stop = np.searchsorted(nanoseconds(calendar["period_start"]), day, side="right")
    return _repeat_over(candidates, calendar[["month"]], first, stop)


def _in_period_by_merge(
    candidates: pd.DataFrame, date_column: str, calendar: pd.DataFrame
) -> pd.DataFrame:
    """:func:`in_period` for months in any order (each event repeated for the 12 months from its
    own, then matched to the calendar's windows)."""
    event_month = candidates[date_column].dt.to_period("M").array.asi8  # month ordinals
    offsets = np.arange(12)
    repeated = candidates.loc[candidates.index.repeat(len(offsets))].copy()
    repeated["_ordinal"] = np.repeat(event_month, len(offsets)) + np.tile(offsets, len(candidates))
    windows = pd.DataFrame(
        {
            "_ordinal": calendar["month"].array.asi8,
            "month": calendar["month"],
            "_window_start": calendar["period_start"],
            "_window_end": calendar["month_end"],
        }
    )
    merged = repeated.merge(windows, on="_ordinal")
    within = (merged[date_column] >= merged["_window_start"]) & (
        merged[date_column] <= merged["_window_end"]
    )
    return (
        merged[within]
        .drop(columns=["_ordinal", "_window_start", "_window_end"])
        .reset_index(drop=True)
    )


def nanoseconds(dates: pd.Series) -> np.ndarray:
    """Dates as int64 nanoseconds since the epoch (NaT as the smallest int64), for searching."""
    return dates.to_numpy(dtype="datetime64[ns]").view(np.int64)


def lookup_table(keys: np.ndarray, size: int) -> Callable[[np.ndarray], np.ndarray]:
    """A look-up from integer keys (in ``range(size)``, each at most once) to their positions in
    ``keys``, -1 for a key not there: a table when ``size`` is moderate, else a hash index."""
    if size <= _TABLE_LIMIT:
        table = np.full(size, -1, dtype=np.int64 if len(keys) > 2**31 - 1 else np.int32)
        table[keys] = np.arange(len(keys))
        return lambda asked: table[asked]
    index = pd.Index(keys)
    return lambda asked: index.get_indexer(asked)


#: Largest key range :func:`lookup_table` holds as a table (four bytes per possible key).
_TABLE_LIMIT = 1 << 27


def runs(first: np.ndarray, stop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each position ``i`` repeated for ``first[i]:stop[i]``: the positions, and the values of
    those runs (for each ``i`` in order, ``first[i], first[i] + 1, ... stop[i] - 1``)."""
    counts = np.maximum(stop - first, 0)
    # the smallest integers that hold the positions, for memory (long runs of many rows)
    small = np.int32 if max(len(first), int(stop.max(initial=0))) < 2**31 - 1 else np.int64
    rows = np.repeat(np.arange(len(first), dtype=small), counts)
    # position within each row's run: 0, 1, ... counts[i] - 1, shifted by first[i]
    starts = np.repeat((first - (np.cumsum(counts) - counts)).astype(np.int64), counts)
    return rows, (starts + np.arange(len(rows))).astype(small, copy=False)


def _repeat_over(
    frame: pd.DataFrame, calendar: pd.DataFrame, first: np.ndarray, stop: np.ndarray
) -> pd.DataFrame:
    """Each row of ``frame`` repeated for the calendar rows ``first[i]:stop[i]`` (in order), with
    the columns of those calendar rows appended; a new RangeIndex.

    The result equals a cross join of ``frame`` and ``calendar`` filtered to those rows, without
    building the cross join.
    """
    rows, picked = runs(first, stop)
    left = frame.take(rows).reset_index(drop=True)
    right = calendar.take(picked).reset_index(drop=True)
    return pd.concat([left, right], axis=1)


def at_snapshots(
    records: pd.DataFrame,
    inp: MeasureInput,
    start: str = "start_date",
    end: str = "end_date",
) -> pd.DataFrame:
    """Rows of ``records`` open on each reporting month's snapshot date (last working day).

    Open on day d: start <= d and (end missing or end > d). Adds ``month`` and ``snapshot``.
    """
    return open_at(records, inp.calendar[["month", "snapshot"]], start, end)


def open_at(records: pd.DataFrame, calendar: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """Rows of ``records`` open on the ``snapshot`` date of each row of ``calendar``.

    The result has the record columns plus the calendar columns: for each record (in order) the
    calendar rows on which it is open (in calendar order), with a new RangeIndex.
    """
    first, last = calendar["snapshot"].min(), calendar["snapshot"].max()
    ends = records[end]
    candidates = records[(records[start] <= last) & (ends.isna() | (ends > first))]
    snapshots = calendar["snapshot"]
    shared = set(candidates.columns) & set(calendar.columns)
    if shared or snapshots.isna().any() or not snapshots.is_monotonic_increasing:
        crossed = candidates.merge(calendar, how="cross")
        open_now = (crossed[start] <= crossed["snapshot"]) & (
            crossed[end].isna() | (crossed[end] > crossed["snapshot"])
        )
        return crossed[open_now].reset_index(drop=True)
    # Snapshots ascending: a record is open on the run of snapshots from the first on or after
    # its start up to (not including) the first on or after its end.
    days = nanoseconds(snapshots)
    opened = np.searchsorted(days, nanoseconds(candidates[start]), side="left")
    closed = np.searchsorted(days, nanoseconds(candidates[end]), side="left")
    closed[candidates[end].isna().to_numpy()] = len(days)
    return _repeat_over(candidates, calendar, opened, closed)


def joint_keys(
    left: pd.DataFrame, right: pd.DataFrame, on: list[str]
) -> tuple[np.ndarray, np.ndarray, int] | None:
    """One ``int64`` key per row of each frame, equal exactly when the ``on`` values are (missing
    equal to missing, as in a merge), and the number of possible keys (keys lie in
    ``range(size)``); ``None`` if the combinations would not fit in an int64.

    Each column's values are numbered jointly over both frames (fast for the coded identifiers
    and for months) and the numbers combined.
    """
    left_key = np.zeros(len(left), dtype=np.int64)
    right_key = np.zeros(len(right), dtype=np.int64)
    room, total = np.iinfo(np.int64).max, 1
    for column in on:
        (left_codes, right_codes), size = joint_codes(left[column], right[column])
        room //= size
        if room == 0:
            return None
        total *= size
        left_key = left_key * size + left_codes
        right_key = right_key * size + right_codes
    return left_key, right_key, total


def joint_codes(left: pd.Series, right: pd.Series) -> tuple[tuple[np.ndarray, np.ndarray], int]:
    """Numbers from 0 (missing) to ``size - 1`` for the values of both, equal when equal."""
    if isinstance(left.dtype, pd.CategoricalDtype) and left.dtype == right.dtype:
        size = len(left.dtype.categories) + 1
        return (left.cat.codes.to_numpy(np.int64) + 1, right.cat.codes.to_numpy(np.int64) + 1), size
    if isinstance(left.dtype, pd.PeriodDtype) and left.dtype == right.dtype:
        ordinals = [np.asarray(s.array.asi8, dtype=np.int64) for s in (left, right)]
        present = [o[o != np.iinfo(np.int64).min] for o in ordinals]  # NaT is the smallest
        known = np.concatenate(present)
        if len(known) == len(left) + len(right):  # no month missing
            low = int(known.min()) if len(known) else 0
            size = (int(known.max()) - low + 2) if len(known) else 1
            return (ordinals[0] - low + 1, ordinals[1] - low + 1), size
    both = pd.concat([left, right], ignore_index=True)
    codes, uniques = pd.factorize(both, use_na_sentinel=True)
    codes = codes.astype(np.int64) + 1  # 0: a missing value, a value of its own
    return (codes[: len(left)], codes[len(left) :]), len(uniques) + 1


def has_match(frame: pd.DataFrame, others: pd.DataFrame, on: list[str]) -> pd.Series:
    """Whether each row of ``frame`` has its ``on`` values among the rows of ``others``.

    The same as a left merge of ``frame[on]`` with ``others[on]`` asking which rows found a
    partner (missing values match missing values, as in a merge), on one integer key per row.
    """
    keys = joint_keys(frame, others, on)
    if keys is None:  # too many combinations for one int64: let pandas join the columns
        found = frame[on].merge(others[on].drop_duplicates(), on=on, how="left", indicator=True)
        return pd.Series((found["_merge"] == "both").to_numpy(), index=frame.index)
    left, right, size = keys
    if size <= _BITMAP_LIMIT:  # a flag per possible key: no hashing
        held = np.zeros(size, dtype=bool)
        held[right] = True
        return pd.Series(held[left], index=frame.index)
    return pd.Series(pd.Index(right).unique().get_indexer(left) >= 0, index=frame.index)


#: Largest key range :func:`has_match` looks up in a table of flags (one byte per key).
_BITMAP_LIMIT = 1 << 28


def sort_order(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Row positions that put ``frame`` in the order of ``frame.sort_values(columns,
    kind="stable")`` (missing values last), found on one integer key per row when the columns are
    coded identifiers or dates at midnight, else by pandas."""
    key = np.zeros(len(frame), dtype=np.int64)
    room = np.iinfo(np.int64).max
    for column in columns:
        ranked = _sortable(frame[column])
        if ranked is None:
            break
        values, size = ranked
        room //= size
        if room == 0:
            break
        key = key * size + values
    else:
        return np.argsort(key, kind="stable")
    order = frame[columns].assign(_row=np.arange(len(frame)))
    return order.sort_values(columns, kind="stable")["_row"].to_numpy()


def last_in_groups(frame: pd.DataFrame, by: list[str], then: list[str]) -> pd.DataFrame:
    """``frame.sort_values(by + then, kind="stable").drop_duplicates(by, keep="last")``: for each
    combination of ``by``, the row that sorts last by ``then`` (index labels kept), found on
    integer keys when the columns allow it."""
    groups = [_sortable(frame[column]) for column in by]
    key = np.zeros(len(frame), dtype=np.int64)
    room = np.iinfo(np.int64).max
    for ranked in groups:
        if ranked is None or room // ranked[1] == 0:
            ordered = frame.sort_values(by + then, kind="stable")
            return ordered.drop_duplicates(by, keep="last")
        room //= ranked[1]
        key = key * ranked[1] + ranked[0]
    order = sort_order(frame, by + then)
    grouped = key[order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = grouped[1:] != grouped[:-1]
    return frame.take(order[last])


def _sortable(values: pd.Series) -> tuple[np.ndarray, int] | None:
    """Numbers from 0 in the order pandas sorts ``values`` (missing last), and how many."""
    if isinstance(values.dtype, pd.CategoricalDtype) and values.dtype.ordered:
        codes = values.cat.codes.to_numpy(np.int64)
        size = len(values.dtype.categories) + 1
        return np.where(codes < 0, size - 1, codes), size
    if isinstance(values.dtype, pd.PeriodDtype):
        ordinals = np.asarray(values.array.asi8, dtype=np.int64)
        missing = ordinals == np.iinfo(np.int64).min  # NaT
        known = ordinals[~missing]
        low = int(known.min()) if len(known) else 0
        size = (int(known.max()) - low + 2) if len(known) else 1
        return np.where(missing, size - 1, ordinals - low), size
    if values.dtype == "datetime64[ns]":
        stamps = values.to_numpy().view(np.int64)
        missing = np.isnat(values.to_numpy())
        if (stamps[~missing] % NS_PER_DAY).any():
            return None  # times of day: leave it to pandas
        days = stamps // NS_PER_DAY
        low = int(days[~missing].min()) if (~missing).any() else 0
        high = int(days[~missing].max()) if (~missing).any() else 0
        size = high - low + 2
        return np.where(missing, size - 1, days - low), size
    return None


_NAT = np.iinfo(np.int64).min


def count_at_most(
    groups: np.ndarray,
    values: pd.Series,
    asked_groups: np.ndarray,
    asked: pd.Series,
    strictly: bool = False,
) -> np.ndarray:
    """For each question ``(asked_groups[i], asked[i])``, how many of the pairs
    ``(groups[j], values[j])`` have that group and a value at most ``asked[i]`` (``strictly``:
    below it).

    Groups are non-negative integers (e.g. from :func:`joint_codes`); values and questions are
    dates (or numbers); missing values are never counted, and a missing question counts none. Answered by binary search in the sorted pairs,
    the values replaced by their rank among all values and questions (no cross join).
    """
    present = values.notna().to_numpy()
    if not present.all():  # a missing value is never at most anything
        groups, values = groups[present], values[present]
    mine, theirs = values.to_numpy(), asked.to_numpy()
    if mine.dtype.kind == "M":
        mine, theirs = mine.view(np.int64), theirs.astype(mine.dtype).view(np.int64)
    every = np.concatenate([mine, theirs])
    midnights = values.dtype.kind == "M" and not (mine % NS_PER_DAY).any()
    if midnights and not (theirs % NS_PER_DAY)[theirs != _NAT].any():
        # dates at midnight: days since the earliest date order them, no ranking needed
        days = np.where(every == _NAT, 0, every // NS_PER_DAY)
        low = int(days.min()) if len(days) else 0
        ranks = days - low + 1
        ranks[every == _NAT] = 0  # a missing question: below every value
    else:
        _, ranks = np.unique(every, return_inverse=True)
        ranks = ranks.reshape(-1)
    span = int(ranks.max()) + 2 if len(ranks) else 1
    keys = np.sort(groups.astype(np.int64) * span + ranks[: len(mine)])
    asked_groups = asked_groups.astype(np.int64)
    side = "left" if strictly else "right"
    upto = np.searchsorted(keys, asked_groups * span + ranks[len(mine) :], side=side)
    return upto - np.searchsorted(keys, asked_groups * span - 1, side="right")


def count_between(
    groups: np.ndarray,
    values: pd.Series,
    asked_groups: np.ndarray,
    low: pd.Series,
    high: pd.Series,
    include_low: bool = True,
) -> np.ndarray:
    """How many of the pairs have the asked group and a value in ``[low, high]`` (``(low, high]``
    without ``include_low``); see :func:`count_at_most`."""
    below = count_at_most(groups, values, asked_groups, low, strictly=include_low)
    return count_at_most(groups, values, asked_groups, high) - below


def open_on_snapshot(
    records: pd.DataFrame,
    asked: pd.DataFrame,
    key: str,
    start: str = "start_date",
    end: str = "end_date",
) -> np.ndarray:
    """For each row of ``asked`` (with ``key`` and a ``snapshot`` date), whether a row of
    ``records`` with the same ``key`` is open on that snapshot (start on or before it, no end or
    an end after it).

    Each record is open on a run of the (few) distinct snapshot dates, found by binary search;
    the runs mark a table of flags by snapshot and key, which each question reads.
    """
    snapshots = np.unique(asked["snapshot"].to_numpy(dtype="datetime64[ns]"))
    (theirs, mine), size = joint_codes(records[key], asked[key])
    days = snapshots.view(np.int64)
    opened = np.searchsorted(days, nanoseconds(records[start]), side="left")
    ends = records[end]
    closed = np.searchsorted(days, nanoseconds(ends), side="left")
    closed[ends.isna().to_numpy()] = len(days)
    closed[records[start].isna().to_numpy()] = 0  # no start: never open
    runs = np.maximum(closed - opened, 0)
    which = np.repeat(theirs, runs)
    first = np.repeat(opened - (np.cumsum(runs) - runs), runs) + np.arange(runs.sum())
    flags = np.zeros(len(days) * size, dtype=bool)
    flags[first * size + which] = True
    position = np.searchsorted(
        days, asked["snapshot"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    )
    return flags[position * size + mine]


def records(
    frame: pd.DataFrame,
    *,
    record_id: str,
    numerator: pd.Series | float,
    denominator: pd.Series | float | None = 1.0,
    team: str = "team",
    child_id: str | None = "child_id",
) -> pd.DataFrame:
    """Build the record-level rows a measure returns (see the module docstring)."""
    out = pd.DataFrame(
        {
            "month": frame["month"],
            "team": _identifier(frame[team]),
            "record_id": _identifier(frame[record_id]),
            "child_id": (
                _identifier(frame[child_id])
                if child_id is not None
                else pd.Series(pd.NA, index=frame.index, dtype="string")
            ),
        }
    )
    out["numerator"] = (
        numerator.astype(float) if isinstance(numerator, pd.Series) else float(numerator)
    )
    if denominator is None:
        out["denominator"] = np.nan
    else:
        out["denominator"] = (
            denominator.astype(float) if isinstance(denominator, pd.Series) else float(denominator)
        )
    return out.reset_index(drop=True)


def _identifier(values: pd.Series) -> pd.Series:
    """Identifiers as strings; coded identifiers (see :mod:`scorecard.measures.codes`) stay coded,
    so that rows are not turned back into text only to be summed."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values
    return values.astype("string")


MeasureFunction = Callable[[MeasureInput], pd.DataFrame]


@dataclass(frozen=True)
class Measure:
    """A registered measure: its id (the indicator it computes by default), the extracts it reads,
    the parameters it declares and its function."""

    indicator: str
    needs: tuple[str, ...]
    function: MeasureFunction
    parameters: tuple[Parameter, ...] = ()

    @property
    def doc(self) -> str:
        return (self.function.__doc__ or "").strip()

    @property
    def contract(self) -> MeasureContract:
        """What the measure declares, for checking a registry against it."""
        return MeasureContract(self.indicator, self.needs, self.parameters)


_MEASURES: dict[str, Measure] = {}


def measure(
    indicator: str, *, needs: tuple[str, ...], parameters: tuple[Parameter, ...] = ()
) -> Callable[[MeasureFunction], MeasureFunction]:
    """Register ``function`` as the measure ``indicator`` (by default the indicator of that id),
    reading the extracts ``needs``, with the declared ``parameters`` (see
    :class:`scorecard.registry.contract.Parameter`)."""

    def register(function: MeasureFunction) -> MeasureFunction:
        if indicator in _MEASURES:
            raise ValueError(f"a measure for {indicator!r} is already registered")
        _MEASURES[indicator] = Measure(indicator, tuple(needs), function, tuple(parameters))
        return function

    return register


def whole(name: str, meaning: str, default: int | None = None, *, minimum: int = 0,
          maximum: int | None = None) -> Parameter:  # fmt: skip
    """A whole-number parameter (months, days, ages, counts), by default at least 0."""
    return Parameter(name, ParameterKind.WHOLE, meaning, default, minimum, maximum)


#: The domain modules, one per group of indicators; importing one registers its measures.
DOMAINS = (
    "referrals",
    "children_in_need",
    "private_fostering",
    "child_protection",
    "children_in_care",
    "adoption",
    "care_leavers",
    "quality",
    "staffing",
)


def registered_measures() -> Mapping[str, Measure]:
    """Every registered measure by indicator id (importing the domain modules registers them)."""
    for domain in DOMAINS:
        importlib.import_module(f"scorecard.measures.{domain}")
    return MappingProxyType(dict(_MEASURES))


def contracts() -> Mapping[str, MeasureContract]:
    """What every registered measure declares, by measure id: give it to
    :func:`scorecard.registry.load_registry` (``measures=``) to check a registry against it."""
    return MappingProxyType({k: m.contract for k, m in registered_measures().items()})

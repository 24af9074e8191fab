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
same rows are the drill-down an analyst uses to check a figure. Built for a drill-down
(``MeasureInput.detail``), a measure may add a ``reason`` (why the record is in the numerator or
not) and the dates and quantities its rule used (:func:`explained`, which calls the measure's
``why`` only then, or ``records(extra=..., reason=...)``). Helpers here turn events and
episodes into rows per reporting month for the three data periods, vectorised over all months;
the integer-key and binary-search machinery they use is in :mod:`scorecard.measures.kernels`.

**Summed rows.** Computing the results only sums the rows (``MeasureInput.summed``: set by
:func:`scorecard.measures.compute.compute` for the results, never for a drill-down, false when a
measure is called directly). A measure may then return summed rows instead of record rows: the
same columns, each row standing for all the records of one team and month, ``record_id`` and
``child_id`` missing, ``numerator`` and ``denominator`` the sums of those records' contributions
(missing values skipped; missing where all are) -- but only where summing them gives the same team,
area and county figures, bit for bit, as summing the record rows. :func:`explained` with a
``date`` does so when its sums are exact in any order (whole-number contributions), so that an
event in the periods of 12 reporting months is not repeated 12 times only to be added up.
"""

from __future__ import annotations

import importlib
import numbers
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from types import MappingProxyType
from typing import Any, assert_never

import numpy as np
import pandas as pd

from scorecard.calendar.months import r12m_starts, ytd_starts
from scorecard.calendar.working_days import month_ends, snapshot_dates
from scorecard.extracts.container import Extracts
from scorecard.measures.kernels import nanoseconds, runs, take_rows, whole_below_limit
from scorecard.registry.contract import MeasureContract, Parameter, ParameterKind
from scorecard.registry.model import Indicator, Period, Registry

RECORD_COLUMNS = ["month", "team", "record_id", "child_id", "numerator", "denominator"]


class NotComputable(LookupError):
    """An indicator cannot be computed: an extract it needs is absent."""


@dataclass(frozen=True)
class MeasureInput:
    """What a measure sees: extracts, reporting months (with their dates) and its indicator."""

    extracts: Extracts
    months: pd.PeriodIndex
    indicator: Indicator
    #: True when the rows are built for a drill-down: a measure may then add what its rule used
    #: and why (``records(extra=..., reason=...)``); computing the results leaves them out.
    detail: bool = False
    #: True when the rows are only summed (:func:`scorecard.measures.compute.compute` sets it for
    #: the results, nothing else does): a measure may then return *summed rows* in place of
    #: record-level rows where the sums are exactly the same (see :func:`explained`). False by
    #: default, so that a measure called directly, a test or a drill-down gets record rows.
    summed: bool = False

    def open_records(
        self,
        name: str,
        start: str = "start_date",
        end: str = "end_date",
        columns: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """``at_snapshots(self.extract(name)[columns], self, start, end)`` (default: all columns),
        the open records found once per computation (see :func:`open_records`)."""
        self.extract(name)  # NotComputable if absent
        return open_records(self.extracts, name, self.months, start, end, columns)

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
    """Within the block, each :func:`node` builds each intermediate frame of ``extracts`` only once
    (the periods of care, the looked-after population, ...); they are dropped at its end."""
    token = _SHARING.set(_Sharing(extracts))
    try:
        yield
    finally:
        _SHARING.reset(token)


def node(build: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """Declare ``build(extracts, *inputs)`` a shared intermediate frame (the periods of care, the
    open rows on each snapshot, the care leavers' birthdays, ...).

    Inside :func:`sharing` for the same extracts it is built once per distinct ``inputs`` and each
    caller gets a shallow copy (with copy-on-write, no caller can alter what another sees);
    elsewhere it is simply built. The cache key is the function itself and its inputs, made
    hashable by :func:`node_key` (reporting months by their ordinals, a :class:`MeasureInput` by
    its months, period and every parameter its measure declares): no caller builds a key by hand,
    so a new input can never be left out of it.
    """

    @wraps(build)
    def shared_frame(extracts: Extracts, *inputs: Any) -> pd.DataFrame:
        current = _SHARING.get()
        if current is None or current.extracts is not extracts:
            return build(extracts, *inputs)
        key = (build, *(node_key(value) for value in inputs))
        if key not in current.frames:
            current.frames[key] = build(extracts, *inputs)
        return current.frames[key].copy(deep=False)

    return shared_frame


def node_key(value: Any) -> Hashable:
    """The part of a :func:`node`'s cache key that stands for one of its inputs.

    Reporting months: their frequency and ordinals. A :class:`MeasureInput`: its months, its
    indicator's period and the value of every parameter its measure declares (not the indicator's
    id, so that indicators of one measure with the same parameters share the frame). Anything else
    must be hashable as it is (strings, numbers, enums, functions, tuples of these).
    """
    match value:
        case pd.PeriodIndex():
            return ("months", value.freqstr, tuple(value.asi8))
        case MeasureInput():
            found = registered_measures().get(value.indicator.measure_id)
            if found is None:
                raise LookupError(f"no measure {value.indicator.measure_id!r} is registered")
            declared = found.contract.parameters
            settings = tuple((p.name, repr(value.param(p.name))) for p in declared)
            return ("input", node_key(value.months), value.indicator.period, settings)
        case tuple():
            return tuple(node_key(item) for item in value)
    try:
        hash(value)
    except TypeError:
        raise TypeError(f"a node input must be hashable, not {type(value).__name__}") from None
    return value


def open_records(
    extracts: Extracts,
    name: str,
    months: pd.PeriodIndex,
    start: str = "start_date",
    end: str = "end_date",
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Rows of the extract ``name`` open on the snapshot date of each of ``months`` (see
    :func:`open_at`): its ``columns`` (default all, in the extract's order), then ``month`` and
    ``snapshot``. Which record is open on which snapshot is found once per computation (see
    :func:`open_rows`)."""
    return open_rows(extracts, months, start, end, columns, present_extract, name)


def present_extract(extracts: Extracts, name: str) -> pd.DataFrame:
    """The extract ``name``; :class:`NotComputable` if it is absent."""
    frame = extracts.get(name)
    if frame is None:
        raise NotComputable(f"extract {name!r} is absent")
    return frame


def open_rows(
    extracts: Extracts,
    months: pd.PeriodIndex,
    start: str,
    end: str,
    columns: Sequence[str] | None,
    source: Callable[..., pd.DataFrame],
    *inputs: Any,
    keep: np.ndarray | None = None,
    snapshot: bool = True,
) -> pd.DataFrame:
    """``open_at(frame[columns], calendar)`` on the snapshot dates of ``months``, where ``frame``
    is ``source(extracts, *inputs)`` (an extract, or a :func:`node` derived from the extracts).
    Which row is open on which snapshot is a :func:`node` (found once per computation) and each
    caller is given only the ``columns`` it reads: a month-by-month copy of every column is kept
    by no one.

    ``keep``, a boolean mask over the rows of :func:`open_positions` (the same rows in the same
    order), gives only those rows, labelled by their positions: ``open_rows(...)[keep]``, without
    copying the columns of the rows left out first. ``snapshot=False`` leaves out the
    ``snapshot`` column (for a caller that does not read it: not copied for the rows kept)."""
    frame = source(extracts, *inputs)
    rows = _open_positions(extracts, months, start, end, source, *inputs)
    kept = list(frame.columns) if columns is None else [c for c in frame.columns if c in columns]
    dates = ["month", "snapshot"] if snapshot else ["month"]
    if keep is None:
        picked = take_rows(frame[kept], rows["_row"].to_numpy())
        return pd.concat([picked, rows[dates]], axis=1)
    labels = np.flatnonzero(keep)
    picked = take_rows(frame[kept], rows["_row"].to_numpy()[labels])
    return pd.concat([picked, take_rows(rows[dates], labels)], axis=1).set_axis(labels)


def open_positions(
    extracts: Extracts,
    months: pd.PeriodIndex,
    start: str,
    end: str,
    source: Callable[..., pd.DataFrame],
    *inputs: Any,
) -> pd.DataFrame:
    """``_row, month, snapshot, _at``: the position in ``source(extracts, *inputs)`` of each row
    open on the snapshot date of each of ``months`` and the position of the month in ``months``
    (int32), in the order of :func:`open_rows` (found once per computation): what a measure reads
    to choose rows before :func:`open_rows` copies them, or to read what it worked out once per
    month."""
    return _open_positions(extracts, months, start, end, source, *inputs)


@node
def _open_positions(
    extracts: Extracts,
    months: pd.PeriodIndex,
    start: str,
    end: str,
    source: Callable[..., pd.DataFrame],
    *inputs: Any,
) -> pd.DataFrame:
    """``_row, month, snapshot, _at``: the position in ``source(extracts, *inputs)`` of each row
    open on the snapshot date of each of ``months``, and the month's position in ``months``."""
    frame = source(extracts, *inputs)
    calendar = reporting_calendar(months, Period.SNAPSHOT)[["month", "snapshot"]]
    calendar["_at"] = np.arange(len(calendar), dtype=np.int32)
    row = np.arange(len(frame), dtype=np.int32 if len(frame) < 2**31 - 1 else np.int64)
    spans = pd.DataFrame({"_start": frame[start], "_end": frame[end], "_row": row})
    return open_at(spans, calendar, "_start", "_end", kept=["_row"])


def month_positions(month: pd.Series, months: pd.PeriodIndex) -> np.ndarray:
    """The position in ``months`` of each row's ``month`` (monthly Periods; int32), -1 where it
    is not among them (or missing): with it a row reads what was worked out once per reporting month
    (e.g. a date from the month's snapshot) instead of working it out again for every row.

    >>> months = pd.period_range("2015-04", "2015-06", freq="M")
    >>> month_positions(pd.Series(pd.PeriodIndex(["2015-06", "2015-04", None, "2015-07"],
    ...                                          freq="M")), months).tolist()
    [2, 0, -1, -1]
    """
    ordinals = np.asarray(month.array.asi8, dtype=np.int64)
    wanted = np.asarray(months.asi8, dtype=np.int64)
    if not len(wanted):
        return np.full(len(ordinals), -1, dtype=np.int32)
    low, span = int(wanted.min()), int(wanted.max()) - int(wanted.min()) + 1
    table = np.full(span + 1, -1, dtype=np.int32)  # the last: a month not among them
    table[wanted - low] = np.arange(len(wanted))
    # months since the first, as unsigned: one before it (or NaT, the smallest int64) wraps round
    # to a huge number, so that every month outside the range reads the last entry (in place:
    # one temporary the size of the rows)
    since = (ordinals - low).view(np.uint64)
    np.minimum(since, span, out=since)
    return table[since]


def in_period(events: pd.DataFrame, date_column: str, inp: MeasureInput) -> pd.DataFrame:
    """Rows of ``events`` repeated for every reporting month whose window contains the date.

    YTD: [1 April of the month's financial year, last day of the month]; R12M: the 12 whole
    months ending with the month. The result has the event columns plus ``month``: for each event
    (in order) its months in ascending order. An event can fall in at most 12 reporting months, so
    each is repeated at most 12 times (not once per month asked), keeping memory proportional to
    the events.
    """
    return _in_period_of(events, date_column, inp, events)


def within_periods(dates: pd.Series, inp: MeasureInput) -> np.ndarray:
    """Whether each date lies from the earliest start of a reporting month's period to the latest
    month end (both included; a missing date does not): every event that :func:`in_period` can
    repeat for a month is among these, so that a measure need not work on the others. Compared
    by numpy in the dates' own unit (the bounds, whole days, converted to it exactly), so that a
    date beyond the range of nanoseconds is not wrapped round into a window."""
    calendar = inp.calendar
    if calendar.empty:
        return np.zeros(len(dates), dtype=bool)
    values = dates.to_numpy()
    if values.dtype.kind != "M":  # not numpy datetimes (e.g. with a time zone): pandas compares
        low, high = calendar["period_start"].min(), calendar["month_end"].max()
        return (dates.notna() & (dates >= low) & (dates <= high)).to_numpy(dtype=bool)
    unit = f"datetime64[{np.datetime_data(values.dtype)[0]}]"
    low = calendar["period_start"].min().to_datetime64().astype(unit)
    high = calendar["month_end"].max().to_datetime64().astype(unit)
    return (values >= low) & (values <= high)  # NaT compares False


def _in_period_of(
    events: pd.DataFrame,
    date_column: str,
    inp: MeasureInput,
    values: pd.DataFrame,
    found: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """:func:`in_period` of ``events`` giving the columns of ``values`` (rows aligned with
    ``events``: the same number, in the same order) instead of the events' own; nothing else is
    copied. ``found``: :func:`_period_runs` of the same arguments, when already worked out."""
    candidates, first, stop = _period_runs(events, date_column, inp) if found is None else found
    rows, picked = runs(first, stop)
    return pd.concat(
        [take_rows(values, candidates[rows]), take_rows(inp.calendar[["month"]], picked)], axis=1
    )


def _period_runs(
    events: pd.DataFrame, date_column: str, inp: MeasureInput
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``candidates, first, stop``: the positions in ``events`` of the events some reporting
    month's period can hold (:func:`within_periods`), and for each the positions in
    ``inp.months`` of the months whose period holds its date, ``first`` to ``stop`` (excluded;
    none when ``stop <= first``). Raises what :func:`in_period` raises for its arguments."""
    calendar = inp.calendar
    if inp.indicator.period is Period.SNAPSHOT:
        raise ValueError(f"{inp.indicator.id}: in_period is for YTD and R12M indicators")
    dates = events[date_column]
    # the positions of the candidates: their rows are copied once, when repeated
    candidates = np.flatnonzero(within_periods(dates, inp))
    months = calendar["month"]
    if "month" in events.columns:  # the result's own column; a measure passing one is a bug
        raise ValueError(f"{inp.indicator.id}: in_period needs events without a 'month' column")
    if not (months.is_monotonic_increasing and months.is_unique):  # compute() sorts them
        raise ValueError(f"{inp.indicator.id}: in_period needs ascending, distinct months")
    # Months ascending: window ends ascend and window starts never decrease, so the months whose
    # window holds a date are a run [first month ending on or after it, last starting on or before].
    day = nanoseconds(dates)[candidates]
    first = np.searchsorted(nanoseconds(calendar["month_end"]), day, side="left")
    stop = np.searchsorted(nanoseconds(calendar["period_start"]), day, side="right")
    return candidates, first, stop


def _repeat_over(
    frame: pd.DataFrame, calendar: pd.DataFrame, first: np.ndarray, stop: np.ndarray
) -> pd.DataFrame:
    """Each row of ``frame`` repeated for the calendar rows ``first[i]:stop[i]`` (in order), with
    the columns of those calendar rows appended; a new RangeIndex.

    The result equals a cross join of ``frame`` and ``calendar`` filtered to those rows, without
    building the cross join.
    """
    rows, picked = runs(first, stop)
    return pd.concat([take_rows(frame, rows), take_rows(calendar, picked)], axis=1)


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


def open_at(
    records: pd.DataFrame,
    calendar: pd.DataFrame,
    start: str,
    end: str,
    kept: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Rows of ``records`` open on the ``snapshot`` date of each row of ``calendar``.

    The result has the record columns (only those ``kept``, when given) plus the calendar
    columns: for each record (in order) the calendar rows on which it is open (in calendar
    order), with a new RangeIndex.
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
        crossed = crossed[open_now].reset_index(drop=True)
        return crossed if kept is None else crossed[[*kept, *calendar.columns]]
    # Snapshots ascending: a record is open on the run of snapshots from the first on or after
    # its start up to (not including) the first on or after its end.
    days = nanoseconds(snapshots)
    opened = np.searchsorted(days, nanoseconds(candidates[start]), side="left")
    closed = np.searchsorted(days, nanoseconds(candidates[end]), side="left")
    closed[candidates[end].isna().to_numpy()] = len(days)
    return _repeat_over(candidates if kept is None else candidates[list(kept)], calendar, opened,
                        closed)  # fmt: skip


def records(
    frame: pd.DataFrame,
    *,
    record_id: str,
    numerator: pd.Series | float,
    denominator: pd.Series | float | None = 1.0,
    team: str = "team",
    child_id: str | None = "child_id",
    extra: Mapping[str, str] | None = None,
    reason: pd.Series | None = None,
) -> pd.DataFrame:
    """Build the record-level rows a measure returns (see the module docstring).

    Optional, for the drill-down: ``extra`` names columns of ``frame`` to carry as they are
    (``{name shown: column}``: the dates and quantities the rule used), and ``reason`` says, per
    row, why the record is in the numerator or not (a categorical from :func:`reasons`, kept as
    the ``reason`` column). They do not change what is summed.
    """
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
        },
        copy=False,  # the columns as they are (copy-on-write keeps them from changing)
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
    if reason is not None:
        out["reason"] = reason
    for name, column in (extra or {}).items():
        out[name] = frame[column]
    return out.reset_index(drop=True)


def reasons(
    choices: Sequence[tuple[pd.Series | np.ndarray, str]], otherwise: str, index: pd.Index
) -> pd.Series:
    """A categorical Series over ``index``: for each row the text of the first choice whose mask
    holds, else ``otherwise`` (missing in a mask counts as not holding). Vectorised; the texts are
    stored once, as categories."""
    texts = [text for _, text in choices] + [otherwise]
    masks = [np.asarray(pd.Series(mask).fillna(False), dtype=bool) for mask, _ in choices]
    codes = np.select(masks, np.arange(len(choices)), default=len(choices)) if masks else 0
    codes = np.broadcast_to(np.asarray(codes, dtype=np.int8), (len(index),))
    return pd.Series(pd.Categorical.from_codes(codes, categories=texts), index=index)


@dataclass(frozen=True)
class Shown:
    """What a drill-down shows of each record: ``reason`` (a categorical from :func:`reasons`)
    and ``columns``, ``{name shown: a column of the frame or values aligned with it}`` (the dates
    and quantities the rule used)."""

    reason: pd.Series
    columns: Mapping[str, pd.Series | str] = field(default_factory=dict)


def explained(
    inp: MeasureInput,
    frame: pd.DataFrame,
    why: Callable[[pd.DataFrame], Shown],
    *,
    record_id: str,
    numerator: pd.Series | str,
    date: str | None = None,
    columns: Sequence[str] | None = None,
    denominator: pd.Series | str | float | None = 1.0,
    child_id: str | None = "child_id",
) -> pd.DataFrame:
    """:func:`records` of ``frame`` (one row per record and month), or with ``date`` of the events
    of ``frame`` in each month's period by that date (:func:`in_period` of its ``columns``, by
    default all; of those, only the ones the rows carry are repeated for the months);
    ``numerator`` and ``denominator`` are columns of ``frame`` (or, without ``date``, values
    aligned with it; a number for every row). Built for a drill-down (``inp.detail``), the rows also carry ``why(frame)``: the reason
    and the columns shown. ``why`` is called only then, so computing the results does none of its
    work and sums the same rows.

    With ``date``, when the rows are only summed (``inp.summed``, not ``inp.detail``), the result
    is *summed rows* (see the module docstring): one per team and reporting month whose period
    holds at least one event of the team, ``record_id`` and ``child_id`` missing, ``numerator``
    and ``denominator`` the sums over those events (skipping missing values; missing where all
    are), worked out once per event from the run of months whose period holds it, not by
    repeating it for each month. Only where that is exact in any order: every numerator and
    denominator a whole number or missing, their magnitudes counted once per month summing below
    2**52 (so that every partial sum, however ordered, is a whole number held exactly), and no
    event in a period without a team; otherwise the record rows as ever. Either way
    :class:`~scorecard.measures.aggregate.UnitGrid` gives the same sums, bit for bit."""
    kept = list(frame.columns) if columns is None else list(columns)
    extra: dict[str, str] = {}
    if inp.detail:
        shown = why(frame)
        extra = {name: f"_shown_{n}" for n, name in enumerate(shown.columns)}
        values = {
            extra[name]: frame[value] if isinstance(value, str) else value
            for name, value in shown.columns.items()
        }
        frame = frame.assign(_reason=shown.reason, **values)
        kept += ["_reason", *extra.values()]
    if date is not None:
        if isinstance(numerator, pd.Series) or isinstance(denominator, pd.Series):
            raise TypeError(
                f"{inp.indicator.id}: with a date, the numerator and denominator must be columns"
            )
        events = frame if columns is None else frame[kept]
        found = None
        if inp.summed and not inp.detail:
            summed, found = _summed_in_period(events, date, inp, (record_id, child_id),
                                              numerator, denominator)  # fmt: skip
            if summed is not None:
                return summed
        frame = _repeated_for_records(
            events, date, inp, ("team", record_id, child_id), (numerator, denominator), extra,
            found,
        )  # fmt: skip
    count = frame[numerator] if isinstance(numerator, str) else numerator
    return records(
        frame,
        record_id=record_id,
        numerator=count,
        denominator=frame[denominator] if isinstance(denominator, str) else denominator,
        child_id=child_id,
        reason=frame["_reason"] if inp.detail else None,
        extra=extra,
    )


def _repeated_for_records(
    events: pd.DataFrame,
    date: str,
    inp: MeasureInput,
    identifiers: tuple[str | None, ...],
    counts: tuple[object, ...],
    extra: Mapping[str, str],
    found: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """:func:`in_period` of only the columns of ``events`` that :func:`records` reads: the
    ``identifiers`` (as records gives them) and the columns among ``counts`` (as floats), then
    ``_reason`` and the ``extra`` columns of a drill-down. Each is converted once per event, before
    being repeated for the months, and no other column is copied. ``found``: the events' runs of
    months (:func:`_period_runs`), when already worked out."""
    wanted: dict[str, pd.Series] = {}
    for name in identifiers:
        if name is not None:
            wanted[name] = _identifier(events[name])
    for name in counts:
        if isinstance(name, str):
            wanted[name] = events[name].astype(float)
    for name in ["_reason", *extra.values()] if "_reason" in events.columns else []:
        wanted[name] = events[name]
    narrow = pd.DataFrame({k: v.reset_index(drop=True) for k, v in wanted.items()}, copy=False)
    return _in_period_of(events, date, inp, narrow, found)


def _summed_in_period(
    events: pd.DataFrame,
    date: str,
    inp: MeasureInput,
    identifiers: tuple[str | None, ...],
    numerator: object,
    denominator: object,
) -> tuple[pd.DataFrame | None, tuple[np.ndarray, np.ndarray, np.ndarray] | None]:
    """The summed rows of :func:`explained` with ``date`` (see there) and the runs of months
    of the events (:func:`_period_runs`, for the record rows); ``None`` for the rows where they
    would not be exact (the caller then builds the record rows).

    Each event adds its values to its team's months ``first`` to ``stop`` (excluded): a
    difference array per team over the month positions (+value at ``first``, -value at
    ``stop``, by ``bincount``) and a cumulative sum along the months. The values are whole
    numbers whose magnitudes, counted once per month, add up below 2**53 (checked), so every
    bincount, difference and cumulative sum is exact, as is the grid's sum of the record rows."""
    read = ["team", *identifiers, *(c for c in (numerator, denominator) if isinstance(c, str))]
    if not all(name is None or name in events.columns for name in read):
        return None, None  # (the record rows' error)
    values = [_summed_values(events, given) for given in (numerator, denominator)]
    if numerator is None or values[0] is None or values[1] is None:
        return None, None  # not a column or a number: as records() takes it
    found = _period_runs(events, date, inp)
    if not len(inp.months):
        return None, found
    candidates, first, stop = found
    held = first < stop
    picked, first, stop = candidates[held], first[held], stop[held]
    length = np.subtract(stop, first, dtype=np.int64)
    per_event = [v if np.ndim(v) == 0 else v[picked] for v in values]
    if not all(_exact_in_any_order(v, length) for v in per_event):
        return None, found
    team = events["team"]
    if isinstance(team.dtype, pd.CategoricalDtype):
        codes = team.cat.codes.to_numpy()[picked]
        if codes.min(initial=0) < 0:  # a missing team: the record rows' error
            return None, found
        # the categories held, numbered in order: the difference arrays are as wide as the teams
        used = np.flatnonzero(np.bincount(codes, minlength=len(team.cat.categories)))
        number = np.zeros(len(team.cat.categories), dtype=np.intp)
        number[used] = np.arange(len(used))
        codes = number[codes]
    else:  # text: numbered by first appearance
        codes, uniques = _identifier(team.iloc[picked]).array.factorize()
        if codes.min(initial=0) < 0:
            return None, found
        used = np.arange(len(uniques))
    months = len(inp.months)
    width = months + 1  # (a run may stop after the last month)
    size = len(used) * width
    start_at = np.multiply(codes, width, dtype=np.intp)
    stop_at = start_at + stop
    start_at += first

    def cumulative(weights: np.ndarray | None, kept: np.ndarray | None = None) -> np.ndarray:
        """Per team x month (flat, team-major), the sum of ``weights`` (default 1) of the events
        (those ``kept``) whose run holds the month."""
        starts, stops = (start_at, stop_at) if kept is None else (start_at[kept], stop_at[kept])
        change = np.bincount(starts, weights, minlength=size)
        change -= np.bincount(stops, weights, minlength=size)
        return np.cumsum(change.reshape(-1, width), axis=1)[:, :months].ravel()

    held_by = cumulative(None)
    cell = np.flatnonzero(held_by)  # the (team, month) held by some event: one row each
    count = held_by[cell]
    sums = []
    for value in per_event:
        if np.ndim(value) == 0:  # one number for every event (missing for counts' denominators)
            sums.append(count * float(value))
            continue
        present = ~np.isnan(value)
        summed = cumulative(np.where(present, value, 0.0))[cell]
        if not present.all():  # where none is present, missing (as no value)
            summed[cumulative(None, present)[cell] == 0] = np.nan
        sums.append(summed)
    rows = pd.RangeIndex(len(cell))
    at = cell // months
    teams = (
        pd.Categorical.from_codes(used[at], dtype=team.dtype)
        if isinstance(team.dtype, pd.CategoricalDtype)
        else uniques.take(at)
    )
    out = pd.DataFrame(
        {
            "month": take_rows(inp.calendar[["month"]], cell % months)["month"],
            "team": pd.Series(teams, index=rows),
            "record_id": pd.Series(pd.NA, index=rows, dtype="string"),
            "child_id": pd.Series(pd.NA, index=rows, dtype="string"),
            "numerator": sums[0],
            "denominator": sums[1],
        },
        index=rows,
    )
    return out, found


def _summed_values(events: pd.DataFrame, given: object) -> np.ndarray | float | None:
    """A numerator or denominator of :func:`explained` with a date, as the record rows take it:
    a column's values as floats (one per event), a number (a float), ``None`` missing (NaN);
    ``None`` for anything else."""
    if isinstance(given, str):
        return events[given].astype(float).to_numpy(dtype=float)
    if given is None:
        return np.nan
    if isinstance(given, numbers.Real):
        return float(given)
    return None


def _exact_in_any_order(values: np.ndarray | float, length: np.ndarray) -> bool:
    """Whether ``values`` (one per event, or one number for all), each counted ``length`` times
    (once per month), are whole numbers or missing whose magnitudes add up below 2**52
    (:func:`~scorecard.measures.kernels.whole_below_limit`): any sum of some of them is then
    exact, in any order."""
    if np.ndim(values) == 0:  # one number for every event: counted once per event and month
        values, length = np.array([values], dtype=float), np.array([length.sum()])
    return whole_below_limit(values, ~np.isnan(values), length)


def latest_by(events: pd.DataFrame, date: str, asked: pd.DataFrame, by: str, day: str) -> pd.Series:
    """For each row of ``asked``, the latest ``date`` of the ``events`` with its ``by`` value on
    or before its ``day`` (missing if none), aligned with ``asked``: what a drill-down shows as the
    last visit or check before a snapshot. Vectorised (an as-of merge)."""
    found = events.loc[events[date].notna(), [by, date]]
    found = pd.DataFrame(
        {"_by": found[by].astype("string"), "_date": found[date].astype("datetime64[ns]")}
    ).sort_values("_date")
    wanted = pd.DataFrame(
        {"_by": asked[by].astype("string"), "_day": asked[day].astype("datetime64[ns]"),
         "_row": np.arange(len(asked))}
    ).sort_values("_day")  # fmt: skip
    merged = pd.merge_asof(wanted, found, left_on="_day", right_on="_date", by="_by")
    return pd.Series(merged.sort_values("_row")["_date"].to_numpy(), index=asked.index)


def review_reasons(on_time: object, late: object, index: pd.Index) -> pd.Series:
    """The reasons of the review-timeliness measures (CP reviews, CIC reviews), one wording."""
    return reasons(
        [
            (on_time, "every review due by the snapshot date was held in time"),
            (late, "a review was held after its due date"),
        ],
        "the next review was due by the snapshot date and not held",
        index,
    )


def _identifier(values: pd.Series) -> pd.Series:
    """Identifiers as strings; coded identifiers (see :mod:`scorecard.measures.codes`) stay coded,
    so that rows are not turned back into text only to be summed."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values
    return values.astype("string")


#: The identifier columns of record-level rows: text (``string``) in the published rows.
_RECORD_IDENTIFIERS = ("team", "record_id", "child_id")


def record_text(rows: pd.DataFrame) -> pd.DataFrame:
    """Record-level rows as published: categorical text (the loaded extracts' teams and codes,
    coded identifiers) as text, the identifiers as ``string`` and other columns as ``str`` (as
    :func:`records` gives them from extracts held as text); ``reason`` stays categorical. ``rows``
    itself when nothing is categorical; ``rows`` is not modified."""
    changed = {
        column: values.astype("string" if column in _RECORD_IDENTIFIERS else "str")
        for column, values in rows.items()
        if column != "reason" and isinstance(values.dtype, pd.CategoricalDtype)
    }
    return rows.assign(**changed) if changed else rows


MeasureFunction = Callable[[MeasureInput], pd.DataFrame]


@dataclass(frozen=True)
class Measure:
    """A registered measure: its id (the indicator it computes by default), the extracts it reads,
    the parameters it declares and its function."""

    indicator: str
    needs: tuple[str, ...]
    function: MeasureFunction
    parameters: tuple[Parameter, ...] = ()
    #: Extracts read when supplied (the measure works without them, e.g. workers' roles).
    optional: tuple[str, ...] = ()

    @property
    def doc(self) -> str:
        return (self.function.__doc__ or "").strip()

    @property
    def contract(self) -> MeasureContract:
        """What the measure declares, for checking a registry against it."""
        return MeasureContract(self.indicator, self.needs, self.parameters, self.optional)


_MEASURES: dict[str, Measure] = {}


def measure(
    indicator: str,
    *,
    needs: tuple[str, ...],
    parameters: tuple[Parameter, ...] = (),
    optional: tuple[str, ...] = (),
) -> Callable[[MeasureFunction], MeasureFunction]:
    """Register ``function`` as the measure ``indicator`` (by default the indicator of that id),
    reading the extracts ``needs`` (and ``optional`` ones when supplied), with the declared
    ``parameters`` (see :class:`scorecard.registry.contract.Parameter`)."""

    def register(function: MeasureFunction) -> MeasureFunction:
        if indicator in _MEASURES:
            raise ValueError(f"a measure for {indicator!r} is already registered")
        _MEASURES[indicator] = Measure(indicator, tuple(needs), function, tuple(parameters),
                                       tuple(optional))  # fmt: skip
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
    "population",
    "referrals_2011",
    "children_in_need_2011",
    "assessments_2011",
)


def registered_measures() -> Mapping[str, Measure]:
    """Every registered measure by indicator id (importing the domain modules registers them)."""
    for domain in DOMAINS:
        importlib.import_module(f"scorecard.measures.{domain}")
    return MappingProxyType(dict(_MEASURES))


def extract_users(registry: Registry) -> dict[str, tuple[int, ...]]:
    """The refs of the indicators of ``registry`` whose measure reads each extract (derived from
    each measure's ``needs``, not written by hand); extracts no indicator reads are absent."""
    measures = registered_measures()
    users: dict[str, set[int]] = {}
    for indicator in registry:
        found = measures.get(indicator.measure_id) if indicator.supplied is None else None
        for name in (*found.needs, *found.optional) if found is not None else ():
            users.setdefault(name, set()).add(indicator.ref)
    return {name: tuple(sorted(refs)) for name, refs in users.items()}


def contracts() -> Mapping[str, MeasureContract]:
    """What every registered measure declares, by measure id: give it to
    :func:`scorecard.registry.load_registry` (``measures=``) to check a registry against it."""
    return MappingProxyType({k: m.contract for k, m in registered_measures().items()})

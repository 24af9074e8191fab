"""Kernels: the integer-key, binary-search, run-length and month-arithmetic machinery of the
measures, named and tested once, so that a measure body reads as its counting rule.

Conventions: arrays in, arrays out (numpy); no input is modified; "runs" are maximal stretches of
consecutive equal keys in an array already in key order (as after a sort); dates are
``datetime64`` and days are whole days since the epoch.

Families:

* **Runs** — :func:`run_starts`, :func:`position_in_run`, :func:`any_so_far`,
  :func:`last_at_or_before`, :func:`runs`, :func:`previous_in_groups`.
* **Taking rows** — :func:`take_values`, :func:`take_rows` (pandas' ``take`` with a new
  RangeIndex, on the columns' numpy arrays where they have them).
* **Integer keys** — :func:`joint_codes`, :func:`joint_keys`, :func:`has_match`,
  :func:`lookup_table`, :func:`sort_order`, :func:`last_in_groups`, :func:`all_in_groups`.
* **Binary search: counting and "open on"** — :func:`count_at_most`, :func:`count_between`,
  :func:`open_on_snapshot`, :func:`nanoseconds`.
* **Counting on a few dates** (e.g. the reporting months' snapshots) — :func:`bound_positions`,
  :func:`count_upto`.
* **Joining on codes** (instead of pandas' merges and grouped counts, which hash the categories of
  coded identifiers) — :func:`matching_pairs`, :func:`match_one`, :func:`looked_up`,
  :func:`merged_one`, :func:`pairs_merged`, :func:`distinct_per_group`.
* **Month and working-day arithmetic** — :func:`shift_months`, :func:`once_per_pair` (they live
  in :mod:`scorecard.calendar`, which must not import the measures; re-exported here).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from scorecard.calendar.months import shift_months
from scorecard.calendar.working_days import once_per_pair
from scorecard.extracts.arrays import group_codes

#: Nanoseconds in a day: dates at midnight are whole multiples of it.
NS_PER_DAY = np.int64(86_400_000_000_000)

#: A missing date (NaT) or month as int64: the smallest int64.
_NAT = np.iinfo(np.int64).min

__all__ = [
    "NS_PER_DAY",
    "all_in_groups",
    "any_so_far",
    "bound_positions",
    "count_at_most",
    "count_between",
    "count_upto",
    "distinct_per_group",
    "has_match",
    "joint_codes",
    "joint_keys",
    "last_at_or_before",
    "last_in_groups",
    "looked_up",
    "lookup_table",
    "match_one",
    "matching_pairs",
    "merged_one",
    "pairs_merged",
    "nanoseconds",
    "once_per_pair",
    "open_on_snapshot",
    "position_in_run",
    "previous_in_groups",
    "run_starts",
    "runs",
    "shift_months",
    "sort_order",
    "take_rows",
    "take_values",
]


def run_starts(*keys: np.ndarray) -> np.ndarray:
    """True at each row that begins a run: the first row, and every row whose key (the tuple of
    ``keys`` at that row; NaT/NaN compared as values) differs from the row before's.

    >>> run_starts(np.array([1, 1, 2, 2, 2, 1])).tolist()
    [True, False, True, False, False, True]
    """
    size = len(keys[0]) if keys else 0
    starts = np.ones(size, dtype=bool)
    if size > 1:
        changed = np.zeros(size - 1, dtype=bool)
        for key in keys:
            values = key.view(np.int64) if key.dtype.kind in "mM" else key
            changed |= values[1:] != values[:-1]
        starts[1:] = changed
    return starts


def position_in_run(starts: np.ndarray) -> np.ndarray:
    """0 for the first row of each run, then 1, 2, ... (``starts`` from :func:`run_starts`).

    >>> position_in_run(np.array([True, False, False, True, False])).tolist()
    [0, 1, 2, 0, 1]
    """
    rows = np.arange(len(starts))
    first = np.flatnonzero(starts)
    return rows - first[np.cumsum(starts) - 1] if len(starts) else rows


def any_so_far(flags: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """For each row, whether ``flags`` is true at it or at an earlier row of its run (a running
    "or" restarted at each run: ``flags.groupby(run).cummax()``).

    >>> any_so_far(np.array([0, 1, 0, 0, 0], bool), np.array([1, 0, 0, 1, 0], bool)).tolist()
    [False, True, True, False, False]
    """
    if not len(flags):
        return np.zeros(0, dtype=bool)
    total = np.cumsum(flags, dtype=np.int64)
    before = (total - flags)[starts]  # flags counted before each run's first row
    return total - before[np.cumsum(starts) - 1] > 0


def last_at_or_before(
    run_of_row: np.ndarray,
    values: np.ndarray,
    run_begins: np.ndarray,
    asked_runs: np.ndarray,
    asked: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """For each question (a run and an integer value), the last row of that run whose value is at
    most the asked one, and how many rows of the run have such a value.

    Rows are in run order and, within a run, in ascending ``values`` (integers, e.g. days);
    ``run_of_row`` numbers the runs 0, 1, ... ascending; ``run_begins[r]`` is run ``r``'s first
    row. ``asked_runs`` may be -1 (no such run: count 0). Returns ``(row, count)``, ``row`` -1
    where the count is 0. One binary search per question on one int64 key (run, value).
    """
    if not len(values):
        none = np.zeros(len(asked), dtype=np.int64)
        return none - 1, none
    low = int(values.min())
    span = int(values.max()) - low + 2
    position = run_of_row.astype(np.int64) * span + (values - low)
    known = asked_runs >= 0
    key = np.where(known, asked_runs, 0).astype(np.int64) * span + np.clip(
        asked - low, -1, span - 1
    )
    last = np.searchsorted(position, key, side="right") - 1
    begins = np.append(run_begins, 0)[np.where(known, asked_runs, len(run_begins))]
    count = np.where(known, last - begins + 1, 0)
    return np.where(count > 0, last, -1), count


#: A sum of whole numbers whose magnitudes add up below this is exact in float64 whatever the
#: order of addition (every partial sum is a whole number float64 holds exactly; the magnitudes,
#: added up in float64, are within far less than a factor of 2 of their true total, which is then
#: below 2**53).
EXACT_SUM_LIMIT = 2.0**52


def whole_below_limit(
    values: np.ndarray, present: np.ndarray, times: np.ndarray | None = None
) -> bool:
    """Whether every ``present`` value is a whole number and their magnitudes, each counted
    ``times`` (default once), add up below :data:`EXACT_SUM_LIMIT`: any sum of some of them, in
    any order, is then exact (how the roll-up and the summed rows decide to add whole numbers in
    their own order)."""
    magnitude = np.abs(values)
    if not np.all(np.floor(magnitude) == magnitude, where=present):
        return False
    if times is None:
        total = magnitude.sum(where=present)
    else:  # (not np.dot: BLAS threads would be started, and spin, for one sum)
        total = np.multiply(np.where(present, magnitude, 0.0), times).sum()
    return bool(total < EXACT_SUM_LIMIT)


def take_values(values: pd.Series, positions: np.ndarray) -> pd.Series:
    """``values.take(positions).reset_index(drop=True)``: the same dtype, values and name.

    Numbers, flags, dates, months (Periods) and categoricals are taken from their numpy arrays
    (the ordinals of months, the integer codes of categoricals), which is faster than pandas'
    ``take`` on millions of rows; other dtypes (text, nullable) are taken by their pandas arrays.
    """
    dtype = values.dtype
    taken: np.ndarray | pd.api.extensions.ExtensionArray
    if isinstance(dtype, np.dtype) and dtype.kind in "biufmM":
        taken = _gather(values.to_numpy(), positions)
    elif isinstance(dtype, pd.CategoricalDtype):
        codes = _gather(np.asarray(values.array.codes), positions)
        taken = pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
    elif isinstance(dtype, pd.PeriodDtype):
        taken = pd.arrays.PeriodArray(
            _gather(np.asarray(values.array.asi8), positions), dtype=dtype
        )
    else:  # (the array's take: the Series' would take its index too, to be dropped)
        taken = values.array.take(positions)
    return pd.Series(taken, name=values.name, copy=False)


def _gather(array: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """``array[positions]``; by ``np.take`` (faster) when the positions are ``intp`` already
    (with narrower positions ``np.take`` converts them first, and indexing is faster)."""
    if isinstance(positions, np.ndarray) and positions.dtype == np.intp and positions.ndim == 1:
        return np.take(array, positions)
    return array[positions]


def take_rows(frame: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    """``frame.take(positions).reset_index(drop=True)``, each column by :func:`take_values`
    (narrower integer positions made ``intp`` once for all the columns)."""
    if not frame.columns.is_unique:
        return frame.take(positions).reset_index(drop=True)
    if (
        isinstance(positions, np.ndarray)
        and positions.dtype.kind in "iu"
        and positions.dtype != np.intp
        and frame.shape[1] > 1
    ):
        positions = positions.astype(np.intp)
    out = pd.DataFrame(
        {n: take_values(frame.iloc[:, i], positions) for i, n in enumerate(frame.columns)},
        index=pd.RangeIndex(len(positions)),
        copy=False,
    )
    out.columns = frame.columns
    return out


# --------------------------------------------------------------------------------------------------
# Integer keys, binary search and "open on" (moved from base.py)


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
    counts = np.subtract(stop, first, dtype=np.int64)
    np.maximum(counts, 0, out=counts)
    total = int(counts.sum())
    # the smallest integers that hold the positions, for memory (long runs of many rows); the
    # sums below stay within (-total, max(stop)) and so fit them too
    small = np.int32 if max(len(first), int(stop.max(initial=0)), total) < 2**31 - 1 else np.int64
    rows = np.repeat(np.arange(len(first), dtype=small), counts)
    # position within each row's run: 0, 1, ... counts[i] - 1, shifted by first[i]
    shift = first - np.cumsum(counts)
    shift += counts
    values = shift.astype(small)[rows]  # (``np.repeat(shift, counts)``: rows ascend)
    values += np.arange(total, dtype=small)
    return rows, values


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
    for number, column in enumerate(on):
        (left_codes, right_codes), size = joint_codes(left[column], right[column])
        room //= size
        if room == 0:
            return None
        total *= size
        if number == 0:  # (the codes are new arrays of their own: combined in place)
            left_key, right_key = left_codes, right_codes
        else:
            left_key *= size
            left_key += left_codes
            right_key *= size
            right_key += right_codes
    return left_key, right_key, total


def joint_codes(left: pd.Series, right: pd.Series) -> tuple[tuple[np.ndarray, np.ndarray], int]:
    """Numbers from 0 (missing) to ``size - 1`` for the values of both, equal when equal."""
    if (
        isinstance(left.dtype, pd.CategoricalDtype)
        and left.dtype == right.dtype
        # unordered dtypes are equal whatever the order of their categories; codes need the order
        and left.dtype.categories.equals(right.dtype.categories)
    ):
        size = len(left.dtype.categories) + 1
        return (_plus(left.array.codes, 1), _plus(right.array.codes, 1)), size
    if isinstance(left.dtype, pd.PeriodDtype) and left.dtype == right.dtype:
        ordinals = [np.asarray(s.array.asi8, dtype=np.int64) for s in (left, right)]
        if not any((o == _NAT).any() for o in ordinals):  # no month missing (NaT)
            known = [o for o in ordinals if len(o)]
            low = min(int(o.min()) for o in known) if known else 0
            size = (max(int(o.max()) for o in known) - low + 2) if known else 1
            return (_plus(ordinals[0], 1 - low), _plus(ordinals[1], 1 - low)), size
    both = pd.concat([left, right], ignore_index=True)
    codes, uniques = pd.factorize(both, use_na_sentinel=True)
    codes = codes.astype(np.int64) + 1  # 0: a missing value, a value of its own
    return (codes[: len(left)], codes[len(left) :]), len(uniques) + 1


def _plus(values: np.ndarray, number: int) -> np.ndarray:
    """``values.astype(np.int64) + number``: a new int64 array (one pass, no temporary)."""
    out = values.astype(np.int64)  # (a copy)
    out += number
    return out


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
    kind="stable")`` (missing values last), found on integer keys (:func:`_order_of_keys`) when
    the columns are ordered codes, months or dates at midnight, else by pandas."""
    ranked = []
    for column in columns:
        found = _sortable(frame[column])
        if found is None:
            order = frame[columns].assign(_row=np.arange(len(frame)))
            return order.sort_values(columns, kind="stable")["_row"].to_numpy()
        ranked.append(found)
    return _order_of_keys(ranked, len(frame))


def _order_of_keys(ranked: list[tuple[np.ndarray, int]], size: int) -> np.ndarray:
    """``np.lexsort`` of the keys (first key first; each ``(numbers, how many)`` as from
    :func:`_sortable`), ties in row order: the keys combined into as few int64 numbers as hold
    them, each sorted by :func:`_stable_argsort`, last combination first (a sort by the earlier
    ones keeps the order of the later ones among equals)."""
    fits = 1 << (63 - _position_bits(size))  # how many keys a sort packed with positions holds
    chunks: list[tuple[np.ndarray, int]] = []
    for values, count in ranked:
        if chunks and chunks[-1][1] * count <= fits:
            key, held = chunks[-1]
            key *= count  # (in place: the chunks' keys are copies)
            key += values
            chunks[-1] = (key, held * count)
        else:
            chunks.append((values.astype(np.int64), count))
    order: np.ndarray | None = None
    for key, held in reversed(chunks):
        step = _stable_argsort(key if order is None else key[order], held, scratch=True)
        order = step if order is None else order[step]
    return np.arange(size) if order is None else order


def _position_bits(size: int) -> int:
    """How many bits hold the positions ``0 .. size - 1``."""
    return max(size - 1, 0).bit_length()


def _stable_argsort(key: np.ndarray, size: int, scratch: bool = False) -> np.ndarray:
    """``np.argsort(key, kind="stable")`` for integer keys in ``range(size)``.

    Each key is shifted left and its position written in the freed low bits: the numbers are then
    distinct and in the order of (key, position), so a plain sort of the numbers (numpy's quick,
    vectorised sort of int64, much faster than a stable argsort) orders the rows; the positions
    are read back from the low bits. When ``size`` times the rows would not fit an int64, numpy's
    stable argsort. ``scratch``: ``key`` (int64) may be overwritten (no copy).
    """
    bits = _position_bits(len(key))
    if size > 1 << (63 - bits):
        return np.argsort(key, kind="stable")
    packed = key if scratch and key.dtype == np.int64 else key.astype(np.int64)
    packed <<= bits
    packed |= np.arange(len(key), dtype=np.int64)
    packed.sort()
    packed &= (1 << bits) - 1
    return packed


def _sorted_keys(
    key: np.ndarray, size: int, scratch: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """``key`` sorted and the positions that sort it (``np.argsort(key, kind="stable")``), for
    integer keys in ``range(size)``: by one packed sort as :func:`_stable_argsort`, whose numbers
    give both (int64). ``scratch``: ``key`` (int64) may be overwritten (no copy)."""
    bits = _position_bits(len(key))
    if size > 1 << (63 - bits):
        order = np.argsort(key, kind="stable")
        return key[order].astype(np.int64), order
    packed = key if scratch and key.dtype == np.int64 else key.astype(np.int64)
    packed <<= bits
    packed |= np.arange(len(key), dtype=np.int64)
    packed.sort()
    ordered = packed >> bits
    packed &= (1 << bits) - 1
    return ordered, packed


def last_in_groups(frame: pd.DataFrame, by: list[str], then: list[str]) -> pd.DataFrame:
    """``frame.sort_values(by + then, kind="stable").drop_duplicates(by, keep="last")``: for each
    combination of ``by``, the row that sorts last by ``then`` (index labels kept), found on
    integer keys when the ``by`` columns allow it.

    The rows are ordered by their group (``by``) alone; only the rows of groups with several rows
    are then ordered by ``by + then`` (:func:`sort_order`) to find each group's last.
    """
    key = np.zeros(len(frame), dtype=np.int64)
    room, size = np.iinfo(np.int64).max, 1
    for number, column in enumerate(by):
        ranked = _sortable(frame[column])
        if ranked is None or room // ranked[1] == 0:
            ordered = frame.sort_values(by + then, kind="stable")
            return ordered.drop_duplicates(by, keep="last")
        values, count = ranked
        room //= count
        size *= count
        if number == 0:
            key = values.astype(np.int64)  # (a copy: combined in place below)
        else:
            key *= count
            key += values
    grouped, order = _sorted_keys(key, size, scratch=True)  # (the groups sorted, and the rows)
    first = np.ones(len(order), dtype=bool)
    first[1:] = grouped[1:] != grouped[:-1]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = first[1:]
    chosen = order[last]  # (the last row of each group in the order of the rows)
    shared = ~(first & last)
    if then and shared.any():
        rows = order[shared]  # the rows of groups with several rows, by group, then row
        columns = list(dict.fromkeys(by + then))
        again = sort_order(frame[columns].iloc[rows], by + then)
        within, groups = rows[again], grouped[shared][again]
        ends = np.ones(len(within), dtype=bool)
        ends[:-1] = groups[1:] != groups[:-1]
        chosen[shared[last]] = within[ends]
    out = take_rows(frame, chosen)  # (``frame.take(chosen)``, faster)
    out.index = frame.index.take(chosen)
    return out


def _sortable(values: pd.Series) -> tuple[np.ndarray, int] | None:
    """Numbers from 0 in the order pandas sorts ``values`` (missing last), and how many.

    (Codes without a missing value are returned as they are, in their own narrow integers; the
    other numbers are int64.)"""
    if isinstance(values.dtype, pd.CategoricalDtype) and values.dtype.ordered:
        codes = np.asarray(values.array.codes)
        size = len(values.dtype.categories) + 1
        if not len(codes) or codes.min() >= 0:
            return codes, size
        return np.where(codes < 0, size - 1, codes.astype(np.int64)), size
    if isinstance(values.dtype, pd.PeriodDtype):
        return _numbered(np.asarray(values.array.asi8, dtype=np.int64))  # NaT: the smallest
    if values.dtype == "datetime64[ns]":
        stamps = values.to_numpy().view(np.int64)
        missing = stamps == _NAT
        if missing.any():
            stamps = np.where(missing, 0, stamps)  # (a midnight, for the test below)
        days = stamps // NS_PER_DAY
        if (days * NS_PER_DAY != stamps).any():
            return None  # times of day: leave it to pandas
        return _numbered(np.where(missing, _NAT, days) if missing.any() else days)
    return None


def _numbered(values: np.ndarray) -> tuple[np.ndarray, int]:
    """For int64 ``values`` (``_NAT`` where missing): ``values - low`` and ``size``, the values
    from ``low`` (the smallest) to ``size - 3 + low`` (the largest) as ``0 .. size - 2``, a
    missing value as ``size - 1``."""
    missing = values == _NAT
    if not missing.any():
        low = int(values.min()) if len(values) else 0
        size = (int(values.max()) - low + 2) if len(values) else 1
        return values - low, size
    known = values[~missing]
    low = int(known.min()) if len(known) else 0
    size = (int(known.max()) - low + 2) if len(known) else 1
    return np.where(missing, size - 1, values - low), size


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
    return _counts_at_most(groups, values, asked_groups, [(asked, strictly)])[0]


def _counts_at_most(
    groups: np.ndarray,
    values: pd.Series,
    asked_groups: np.ndarray,
    questions: list[tuple[pd.Series, bool]],
) -> list[np.ndarray]:
    """:func:`count_at_most` for several questions ``(asked, strictly)`` about the same groups
    (``asked_groups``), the pairs sorted once and each group's first pair searched once."""
    present = values.notna().to_numpy()
    if not present.all():  # a missing value is never at most anything
        groups, values = groups[present], values[present]
    mine, theirs = values.to_numpy(), [asked.to_numpy() for asked, _ in questions]
    if mine.dtype.kind == "M":
        mine = mine.view(np.int64)
        theirs = [t.astype(values.dtype, copy=False).view(np.int64) for t in theirs]
    every = np.concatenate([mine, *theirs])
    midnights = False
    if values.dtype.kind == "M":
        missing = every == _NAT  # (only questions: the values missing were left out)
        days = every // NS_PER_DAY
        midnights = not ((days * NS_PER_DAY != every) & ~missing).any()
    if midnights:
        # dates at midnight: days since the earliest date order them, no ranking needed
        days[missing] = 0
        low = int(days.min()) if len(days) else 0
        ranks = days - low + 1
        ranks[missing] = 0  # a missing question: below every value
    else:
        _, ranks = np.unique(every, return_inverse=True)
        ranks = ranks.reshape(-1)
    span = int(ranks.max()) + 2 if len(ranks) else 1
    keys = np.sort(groups.astype(np.int64) * span + ranks[: len(mine)])
    base = asked_groups.astype(np.int64) * span
    answers, before, at = [], None, len(mine)
    for (asked, strictly), answered in zip(questions, theirs, strict=True):
        upper = base + ranks[at : at + len(answered)]
        at += len(answered)
        order = _search_order(upper, len(keys))
        if order is not None:
            upper = upper[order]
        counted = np.searchsorted(keys, upper, side="left" if strictly else "right")
        if before is None:  # the pairs of groups before the asked one (in the same order: an
            # ascending ``upper`` is an ascending group); one group asked on many rows: a run
            before = _search_runs(keys, (base if order is None else base[order]) - 1, "right")
            if order is not None:
                before[order] = before.copy()  # back in the order of the questions
        if order is not None:
            counted[order] = counted.copy()
        counted -= before
        answers.append(np.where(asked.isna().to_numpy(), 0, counted))  # missing: counts none
    return answers


def _search_order(needles: np.ndarray, searched: int) -> np.ndarray | None:
    """The positions that put integer ``needles`` in ascending order, when binary searches of
    them in an array of ``searched`` items are faster in that order; else ``None``.

    Ascending needles read a large sorted array in order (each search near the one before)
    instead of a cache miss at every step: for a few hundred thousand needles or more in an
    array too large for the cache, sorting them first, searching and putting the answers back
    costs several times less than searching them as they come. ``None`` for few needles, a
    small array, or needles already ascending.
    """
    if len(needles) < _SEARCH_SORT_NEEDLES or searched < _SEARCH_SORT_ITEMS:
        return None
    if not (needles[1:] < needles[:-1]).any():
        return None
    low, high = int(needles.min()), int(needles.max())
    if high - low >= 1 << 62:
        return np.argsort(needles)
    return _stable_argsort(needles - low, high - low + 1)


def _search_runs(items: np.ndarray, needles: np.ndarray, side: str) -> np.ndarray:
    """``np.searchsorted(items, needles, side=side)``, each run of equal consecutive needles
    searched once (when the runs are fewer than half the needles) and the answer repeated."""
    if len(needles) < _SEARCH_SORT_NEEDLES:
        return np.searchsorted(items, needles, side=side)
    starts = np.flatnonzero(np.concatenate([[True], needles[1:] != needles[:-1]]))
    if 2 * len(starts) > len(needles):
        return np.searchsorted(items, needles, side=side)
    found = np.searchsorted(items, needles[starts], side=side)
    return np.repeat(found, np.diff(starts, append=len(needles)))


#: Fewest needles and searched items for which :func:`_search_order` sorts the needles first.
_SEARCH_SORT_NEEDLES = 1 << 12
_SEARCH_SORT_ITEMS = 1 << 16


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
    below, upto = _counts_at_most(groups, values, asked_groups, [(low, include_low), (high, False)])
    return upto - below


def bound_positions(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """For each of ``values``, how many of ``bounds`` are strictly below it; ``len(bounds)`` for a
    missing value (NaT, or NaN). In int32 (unless there are 2**31 bounds or more).

    ``bounds`` must be ascending and of ``values``' kind (dates compared as dates whatever their
    units). A value is at most a bound exactly when its position is at most that bound's own
    position (equal bounds share one): with positions, "value <= bound" over a few bounds (the
    reporting months' snapshots) becomes a comparison of small integers.

    >>> days = np.array(["2015-01-31", "2015-02-27", "2015-03-31"], dtype="datetime64[D]")
    >>> asked = np.array(["2015-01-31", "2015-02-01", "NaT", "2016-01-01"], dtype="datetime64[D]")
    >>> bound_positions(asked, days).tolist()
    [0, 1, 3, 3]
    """
    found = np.searchsorted(bounds, values, side="left")
    found[np.isnat(values) if values.dtype.kind in "mM" else np.isnan(values)] = len(bounds)
    return found.astype(np.int32 if len(bounds) < 2**31 - 1 else np.int64, copy=False)


def count_upto(
    groups: np.ndarray,
    positions: np.ndarray,
    asked_groups: np.ndarray,
    asked: np.ndarray,
    size: int,
) -> np.ndarray:
    """For each question ``(asked_groups[i], asked[i])``, how many of the items ``(groups[j],
    positions[j])`` have that group and a position at most ``asked[i]`` (int32, or int64 when
    there are 2**31 items or more: arrays the size of the questions kept small).

    Groups are non-negative integers (an asked group of -1 has no items: count 0); questions are
    positions in ``range(size)``; an item at position ``size`` or more is never counted (e.g. a
    missing date from :func:`bound_positions`). Meant for a small ``size`` (the reporting
    months): the counts of each group with items are a table of ``size`` running totals, read
    once per question; when that table would be too large, a binary search in the sorted items.

    >>> count_upto(np.array([0, 0, 0, 2]), np.array([0, 2, 5, 1]),
    ...            np.array([0, 0, 0, 1, 2, -1]), np.array([0, 1, 2, 2, 0, 2]), 3).tolist()
    [1, 1, 2, 0, 0, 0]
    """
    groups = np.asarray(groups, dtype=np.int64)
    width = size + 1  # the last column: items never counted
    slot = np.minimum(positions, size).astype(np.int64)
    n_groups = int(max(groups.max(initial=-1), np.max(asked_groups, initial=-1))) + 1
    has_items = np.zeros(n_groups + 1, dtype=bool)  # the last: the "no group" (-1) of a question
    has_items[groups] = True
    rows = int(has_items.sum())
    # each group's first cell (its row among those with items times ``width``); for the others,
    # the row after them, which has no items; in the narrowest integers that hold the cells
    cells = (rows + 1) * width
    small = np.int32 if cells < 2**31 - 1 else np.int64
    first_cell = (np.where(has_items, np.cumsum(has_items) - 1, rows) * width).astype(small)
    cell = first_cell[asked_groups]  # -1: the last, no items
    if cells <= _COUNT_TABLE_LIMIT:  # (counts in the narrowest integers that hold them)
        table = np.zeros(cells, dtype=np.int32 if len(groups) < 2**31 - 1 else np.int64)
        found, counted = np.unique(first_cell[groups] + slot, return_counts=True)
        table[found] = counted  # (a sort of the items: much faster than np.add.at)
        np.cumsum(table.reshape(rows + 1, width), axis=1, out=table.reshape(rows + 1, width))
        np.add(cell, asked, out=cell, casting="unsafe")  # (below ``cells``: fits)
        return table[cell]
    # too many groups for a table: one binary search per question in the sorted items
    keys = np.sort(first_cell[groups].astype(np.int64) + slot)
    first = np.searchsorted(keys, cell, side="left")
    np.add(cell, asked, out=cell, casting="unsafe")
    counted = np.searchsorted(keys, cell, side="right") - first
    return counted.astype(np.int32 if len(groups) < 2**31 - 1 else np.int64, copy=False)


#: Largest table :func:`count_upto` builds (groups with items times positions).
_COUNT_TABLE_LIMIT = 1 << 26


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
    asked_days = asked["snapshot"].to_numpy()
    if asked_days.dtype.kind != "M":
        asked_days = asked["snapshot"].to_numpy(dtype="datetime64[ns]")
    # the few distinct snapshots of the many rows by hashing, then sorted as np.unique sorts; in
    # the questions' own unit (each question's position among them is the same in any unit)
    snapshots = np.unique(pd.unique(asked_days))
    (theirs, mine), size = joint_codes(records[key], asked[key])
    days = snapshots.astype("datetime64[ns]").view(np.int64)
    starts, ends = nanoseconds(records[start]), nanoseconds(records[end])
    opened = np.searchsorted(days, starts, side="left")
    closed = np.searchsorted(days, ends, side="left")
    closed[ends == _NAT] = len(days)  # no end: open on every later snapshot
    closed[starts == _NAT] = 0  # no start: never open
    # the records open on a snapshot or more (most are not, at the end of long histories), each
    # repeated for its snapshots
    some = np.flatnonzero(closed > opened)
    rows, first = runs(opened[some], closed[some])
    flags = np.zeros(len(days) * size, dtype=bool)
    cells = first.astype(np.int64 if len(flags) > 2**31 - 1 else first.dtype, copy=False) * size
    cells += theirs[some][rows]
    flags[cells] = True
    position = np.searchsorted(snapshots.view(np.int64), asked_days.view(np.int64))
    return flags[position * size + mine]


def previous_event_date(events: pd.DataFrame, key: str, date: str) -> pd.Series:
    """For each row, the latest date of another row with the same ``key`` strictly before it.

    Rows of one key on the same date do not count as each other's previous event.
    """
    dates = events[date].to_numpy()
    if dates.dtype.kind != "M":
        distinct = events[[key, date]].dropna().drop_duplicates().sort_values([key, date])
        distinct["_previous"] = distinct.groupby(key, sort=False)[date].shift()
        found = events[[key, date]].merge(distinct, on=[key, date], how="left")
        return pd.Series(found["_previous"].to_numpy(), index=events.index)
    # Rows sorted by key and date: a row's previous event is the row just before the run of rows
    # with its key and date, if that row has the same key.
    keys = group_codes(events[key])
    stamps = dates.view(np.int64)
    found = _previous_day(keys, stamps)
    if found is not None:
        return pd.Series(found.view(dates.dtype), index=events.index)
    usable = np.flatnonzero((keys >= 0) & ~np.isnat(dates))
    order = usable[_key_date_order(keys[usable], stamps[usable])]
    k, d = keys[order], stamps[order]
    positions = np.arange(len(order))
    run_start = np.ones(len(order), dtype=bool)
    run_start[1:] = (k[1:] != k[:-1]) | (d[1:] != d[:-1])
    before = np.maximum.accumulate(np.where(run_start, positions, 0)) - 1
    has_previous = before >= 0
    has_previous[has_previous] = k[before[has_previous]] == k[has_previous]
    previous = np.full(len(events), np.datetime64("NaT"), dtype=dates.dtype)
    previous[order[has_previous]] = dates[order[before[has_previous]]]
    return pd.Series(previous, index=events.index)


def _previous_day(keys: np.ndarray, stamps: np.ndarray) -> np.ndarray | None:
    """:func:`previous_event_date` on the key codes (-1: missing) and the dates as int64 (NaT the
    smallest), as int64 (NaT where none), when the dates are whole days and (key, day) fits one
    int64; else ``None``.

    Each row is numbered ``key << bits | day`` (days since the earliest, in the low ``bits``) and
    the numbers sorted once (:func:`_sorted_keys`): the sorted numbers give each run's key and day
    by bit masks, so that no date or key is read back through the order (arrays of the size of
    the rows, updated in place where they can be).
    """
    usable = (keys >= 0) & (stamps != _NAT)
    rows = None if usable.all() else np.flatnonzero(usable)
    if rows is not None:
        keys, stamps = keys[rows], stamps[rows]
    if not len(stamps):
        return None
    days = stamps // NS_PER_DAY
    if (days * NS_PER_DAY != stamps).any():
        return None  # times of day
    low = int(days.min())
    bits = (int(days.max()) - low).bit_length()
    top = int(keys.max())
    if top >= 1 << (63 - bits):  # (top << bits | days below 2**bits: at most 2**63 - 1)
        return None
    days -= low
    combined = keys.astype(np.int64)  # (a copy)
    combined <<= bits
    combined |= days
    del days
    combined, order = _sorted_keys(combined, (top + 1) << bits, scratch=True)
    changed = np.empty(len(combined), dtype=bool)
    changed[0] = True
    np.not_equal(combined[1:], combined[:-1], out=changed[1:])  # a new (key, day) run
    # the first row of each row's run, less one: the last row of the run before (for the first
    # run, -1: the last row, whose answer is replaced below)
    before = np.arange(len(combined))
    before *= changed
    np.maximum.accumulate(before, out=before)
    before -= 1
    earlier = np.take(combined, before)
    np.bitwise_xor(earlier, combined, out=before)
    other_key = before >= 1 << bits  # the run before is of another key (or there is none)
    del before
    earlier &= (1 << bits) - 1  # its day, back to a date
    earlier += low
    earlier *= NS_PER_DAY
    np.copyto(earlier, _NAT, where=other_key)
    earlier[: np.searchsorted(combined, combined[0], side="right")] = _NAT  # the first run
    if rows is None:
        previous = np.empty(len(usable), dtype=np.int64)
    else:
        previous = np.full(len(usable), _NAT, dtype=np.int64)
        order = rows[order]
    previous[order] = earlier
    return previous


def _key_date_order(keys: np.ndarray, stamps: np.ndarray) -> np.ndarray:
    """``np.lexsort((stamps, keys))``: one sort of a combined integer when the dates are whole
    days (as canonical dates are) and the combination fits, else the two-key sort."""
    if len(keys) and not (stamps % NS_PER_DAY).any():
        days = stamps // NS_PER_DAY
        low, span = int(days.min()), int(days.max() - days.min()) + 1
        if int(keys.max()) < np.iinfo(np.int64).max // span - 1:
            return _stable_argsort(keys * span + (days - low), (int(keys.max()) + 1) * span)
    return np.lexsort((stamps, keys))


def unique_key(values: pd.Series) -> bool:
    """Whether ``values`` are all present and distinct (an extract's one-column key), on the
    integer codes of a coded identifier."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        if not len(codes):
            return True
        if codes.min() < 0:
            return False
        return bool(np.bincount(codes, minlength=len(values.dtype.categories)).max() <= 1)
    return bool(values.notna().all() and values.is_unique)


# --------------------------------------------------------------------------------------------------
# Joining on integer codes (no merge: pandas' merge on coded identifiers hashes their categories)


def matching_pairs(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of positions ``(i, j)`` with ``left[i] == right[j]`` (non-negative integer codes,
    e.g. from :func:`joint_codes`), ordered by ``i``, then by ``j``: the rows of an inner merge of
    the two on the codes, in its order. One sort of ``right`` and two binary searches."""
    if not len(left) or not len(right):
        none = np.zeros(0, dtype=np.intp)
        return none, none
    ordered, order = _sorted_keys(right, int(right.max()) + 1)
    first = np.searchsorted(ordered, left, side="left")
    stop = np.searchsorted(ordered, left, side="right")
    rows, at = runs(first, stop)
    return rows.astype(np.intp, copy=False), order[at]


def match_one(left: np.ndarray, right: np.ndarray, size: int) -> np.ndarray | None:
    """For each of ``left``'s codes (in ``range(size)``) the position of the one equal code in
    ``right``, -1 where none: a left merge on the codes, many to one. ``None`` when a code occurs
    more than once in ``right`` (not many to one)."""
    if len(right) and np.bincount(right, minlength=size).max() > 1:
        return None
    return lookup_table(right, size)(left)


def distinct_per_group(groups: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """How many distinct ``values`` each group has: for each group code in ``range(size)`` (the
    non-negative ``groups``), the number of distinct non-negative ``values`` codes among its rows
    (``frame.groupby(groups)[values].nunique()``, missing values, coded -1, not counted); 0 for a
    group with none."""
    present = values >= 0
    if not present.all():
        groups, values = groups[present], values[present]
    if not len(values):
        return np.zeros(size, dtype=np.int64)
    span = int(values.max()) + 1
    key = groups.astype(np.int64) * span
    key += values
    if size * span <= _BITMAP_LIMIT:  # a flag per possible pair: no sort
        seen = np.zeros(size * span, dtype=bool)
        seen[key] = True
        return seen.reshape(size, span).sum(axis=1, dtype=np.int64)
    key.sort()
    distinct = key[np.flatnonzero(run_starts(key))]
    return np.bincount(distinct // span, minlength=size).astype(np.int64)


def looked_up(keys: pd.Series, table: pd.DataFrame, key: str, column: str) -> pd.Series | None:
    """For each of ``keys``, the ``column`` of the row of ``table`` with that ``key`` (missing
    where none; a missing key finds a row with a missing key, as in a merge), with a new
    RangeIndex: ``frame.merge(table[[key, column]], on=key, how="left",
    validate="many_to_one")[column]`` for ``keys = frame[key]``, on integer codes. ``None`` when a
    key occurs more than once in ``table`` (not many to one)."""
    found = _found_once(keys, table[key])
    if found is None:
        return None
    return _taken(table[column], found)


def _found_once(keys: pd.Series, table_keys: pd.Series) -> np.ndarray | None:
    """:func:`match_one` of ``keys`` in ``table_keys`` (by :func:`joint_codes`)."""
    (mine, theirs), size = joint_codes(keys, table_keys)
    return match_one(mine, theirs, size)


def _taken(values: pd.Series, found: np.ndarray) -> pd.Series:
    """``values`` at the positions ``found`` (-1: missing), with a new RangeIndex."""
    return pd.Series(values.array.take(found, allow_fill=True), name=values.name, copy=False)


def merged_one(
    frame: pd.DataFrame,
    table: pd.DataFrame,
    key: str,
    columns: str | list[str],
    validate: str | None = None,
) -> pd.DataFrame:
    """``frame.merge(table[[key, *columns]], on=key, how="left", validate=validate)``: ``frame``
    with a new RangeIndex and the ``columns`` of ``table``'s row with its ``key``, found on
    integer codes (:func:`looked_up`) when ``table``'s keys are distinct and ``frame`` has none
    of ``columns``; else by the merge itself, which repeats rows or refuses as asked."""
    wanted = [columns] if isinstance(columns, str) else list(columns)
    found = None
    if not any(c in frame.columns for c in wanted) and key not in wanted:
        found = _found_once(frame[key], table[key])
    if found is None:
        return frame.merge(table[[key, *wanted]], on=key, how="left", validate=validate)
    return frame.reset_index(drop=True).assign(**{c: _taken(table[c], found) for c in wanted})


def pairs_merged(left: pd.DataFrame, right: pd.DataFrame, on: str) -> pd.DataFrame:
    """``left.merge(right, on=on)`` (an inner merge on one column, many to many): the rows of
    :func:`matching_pairs` of the two on integer codes, ``left``'s columns then ``right``'s
    others, a new RangeIndex. By the merge itself when the frames share another column (which it
    would suffix) or the key's dtypes differ (which it may convert)."""
    others = [c for c in right.columns if c != on]
    if any(c in left.columns for c in others) or left[on].dtype != right[on].dtype:
        return left.merge(right, on=on)
    (mine, theirs), _ = joint_codes(left[on], right[on])
    rows, found = matching_pairs(mine, theirs)
    return pd.concat([take_rows(left, rows), take_rows(right[others], found)], axis=1)


def all_in_groups(frame: pd.DataFrame, by: list[str], flag: str) -> pd.DataFrame:
    """``frame.groupby(by, as_index=False, sort=False, observed=True)[flag].all()`` for a
    ``flag`` of plain booleans: one row per combination of ``by`` (rows with a missing ``by``
    value left out) in order of first appearance, its ``by`` values and whether ``flag`` holds
    on all its rows. Grouped on integer codes (pandas' grouping recodes the categories of coded
    identifiers, millions of them, however few the rows); by pandas when the codes do not fit
    one int64 or the flag is not plain booleans."""
    flags = frame[flag]
    key = np.zeros(len(frame), dtype=np.int64)
    room = np.iinfo(np.int64).max
    ranked = [_sortable(frame[column]) for column in by] if flags.dtype == bool else [None]
    for found in ranked:
        if found is None or room // found[1] == 0:
            return frame.groupby(by, as_index=False, sort=False, observed=True)[flag].all()
        values, count = found
        room //= count
        key *= count
        key += values
    present = ~frame[by].isna().any(axis=1).to_numpy()
    rows = np.flatnonzero(present)
    codes, _ = pd.factorize(key[rows])  # numbered in order of first appearance
    groups = int(codes.max()) + 1 if len(codes) else 0
    first = np.unique(codes, return_index=True)[1]  # (by code: in order of first appearance)
    failing = np.bincount(codes[~flags.to_numpy()[rows]], minlength=groups)
    out = take_rows(frame[by], rows[first])
    out[flag] = failing == 0
    return out


def previous_in_groups(values: pd.Series, groups: pd.Series) -> pd.Series:
    """``values.groupby(groups, sort=False).shift()``: each row's value of the row before it in
    its group (missing for a group's first row and for a missing group), on the integer codes of
    ``groups`` when each group's rows are together (as after a sort by it); else by pandas."""
    codes = group_codes(groups)
    array = values.to_numpy()
    starts = run_starts(codes)
    present = codes[codes >= 0]
    together = not len(present) or int(starts[codes >= 0].sum()) == len(np.unique(present))
    if array.dtype.kind not in "mMf" or not together:
        return values.groupby(groups, sort=False).shift()
    shifted = np.full(len(array), np.array("NaT" if array.dtype.kind in "mM" else np.nan,
                                           dtype=array.dtype))  # fmt: skip
    follows = ~starts & (codes >= 0)  # (a missing group's rows are never shifted)
    shifted[follows] = array[np.flatnonzero(follows) - 1]
    return pd.Series(shifted, index=values.index, name=values.name)

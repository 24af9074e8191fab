"""Kernels: the integer-key, binary-search, run-length and month-arithmetic machinery of the
measures, named and tested once, so that a measure body reads as its counting rule.

Conventions: arrays in, arrays out (numpy); no input is modified; "runs" are maximal stretches of
consecutive equal keys in an array already in key order (as after a sort); dates are
``datetime64`` and days are whole days since the epoch.

Families:

* **Runs** — :func:`run_starts`, :func:`position_in_run`, :func:`any_so_far`,
  :func:`last_at_or_before`, :func:`runs`.
* **Integer keys** — :func:`joint_codes`, :func:`joint_keys`, :func:`has_match`,
  :func:`lookup_table`, :func:`sort_order`, :func:`last_in_groups`.
* **Binary search: counting and "open on"** — :func:`count_at_most`, :func:`count_between`,
  :func:`open_on_snapshot`, :func:`nanoseconds`.
* **Month and working-day arithmetic** — :func:`shift_months`, :func:`once_per_pair` (they live
  in :mod:`scorecard.calendar`, which must not import the measures; re-exported here).
"""

from __future__ import annotations

import numpy as np

from scorecard.calendar.months import shift_months
from scorecard.calendar.working_days import once_per_pair
from scorecard.measures.base import (
    count_at_most,
    count_between,
    has_match,
    joint_codes,
    joint_keys,
    last_in_groups,
    lookup_table,
    nanoseconds,
    open_on_snapshot,
    runs,
    sort_order,
)

__all__ = [
    "any_so_far",
    "count_at_most",
    "count_between",
    "has_match",
    "joint_codes",
    "joint_keys",
    "last_at_or_before",
    "last_in_groups",
    "lookup_table",
    "nanoseconds",
    "once_per_pair",
    "open_on_snapshot",
    "position_in_run",
    "run_starts",
    "runs",
    "shift_months",
    "sort_order",
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
    key = np.where(known, asked_runs, 0).astype(np.int64) * span + np.clip(asked - low, -1, span - 1)
    last = np.searchsorted(position, key, side="right") - 1
    begins = np.append(run_begins, 0)[np.where(known, asked_runs, len(run_begins))]
    count = np.where(known, last - begins + 1, 0)
    return np.where(count > 0, last, -1), count

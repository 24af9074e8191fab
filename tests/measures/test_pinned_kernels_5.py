"""``runs`` (``scorecard.measures.kernels``) called directly, worked by hand (mutation testing;
see docs/mutation.md).

``runs(first, stop)``: each position ``i`` repeated ``stop[i] - first[i]`` times (none when
``stop[i] <= first[i]``), and the values of those runs ``first[i], first[i] + 1, ...,
stop[i] - 1``, as integers: int32 when every position and value fits, else int64.
"""

from __future__ import annotations

import numpy as np

from scorecard.measures.kernels import runs


def test_small_runs_by_hand() -> None:
    # row 0: 2, 3; row 1: an empty run (stop == first); row 2: 5; row 3: stop before first, none
    rows, picked = runs(np.array([2, 0, 5, 7]), np.array([4, 0, 6, 3]))
    assert rows.tolist() == [0, 0, 2]
    assert picked.tolist() == [2, 3, 5]
    assert np.issubdtype(rows.dtype, np.integer)
    assert np.issubdtype(picked.dtype, np.integer)


def test_values_beyond_an_int32_are_not_wrapped() -> None:
    """A run of 2**31 and 2**31 + 1: neither fits an int32 (largest 2**31 - 1), so the values
    are held in int64; held in int32 they would wrap round to -2**31 and -2**31 + 1."""
    first = np.array([2**31], dtype=np.int64)
    stop = np.array([2**31 + 2], dtype=np.int64)
    rows, picked = runs(first, stop)
    assert rows.tolist() == [0, 0]
    assert picked.tolist() == [2**31, 2**31 + 1]
    assert picked.dtype == np.int64


def test_values_beyond_the_precision_of_a_float_stay_exact() -> None:
    """2**53 + 1 and 2**53 + 2 are int64s; a float64 holds only one of them (2**53 + 1 rounds to
    2**53), so positions computed or returned as floats would be off by one. ``tolist`` gives
    Python numbers, and a Python float never equals an odd integer beyond 2**53."""
    first = np.array([2**53 + 1], dtype=np.int64)
    stop = np.array([2**53 + 3], dtype=np.int64)
    rows, picked = runs(first, stop)
    assert rows.tolist() == [0, 0]
    assert picked.tolist() == [2**53 + 1, 2**53 + 2]
    assert all(type(value) is int for value in picked.tolist())

"""Fast membership, lookup and repetition tests on the columns of canonical extracts.

Canonical text columns are pandas strings backed by Arrow. pandas answers ``isin``, ``map`` and
``duplicated`` on them by hashing Python-level values, which is slow for millions of rows; Arrow's
compute functions do the same in C++ on the Arrow arrays directly. Each function here gives exactly
the result of the plain pandas expression named in its docstring, using Arrow when both operands
are Arrow-backed strings and pandas otherwise.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]


def arrow_strings(values: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The Arrow array behind a pyarrow-backed string Series (no copy), else ``None``."""
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return pa.array(values)
    return None


def _value_set(allowed: pa.Array | pa.ChunkedArray, like: pa.DataType) -> pa.Array:
    """``allowed`` as one array of type ``like`` (Arrow's set lookups need the input's type)."""
    if isinstance(allowed, pa.ChunkedArray):
        allowed = allowed.combine_chunks()
    return allowed if allowed.type == like else allowed.cast(like)


def unknown_values(values: pd.Series, allowed: pd.Series) -> pd.Series:
    """True where a non-missing value is not among ``allowed``:
    ``values.notna() & ~values.isin(allowed.dropna())`` (values compared as Python objects)."""
    left, right = arrow_strings(values), arrow_strings(allowed)
    if left is not None and right is not None:
        known = pc.is_in(left, value_set=_value_set(right, left.type), skip_nulls=True)
        unknown = values.notna().to_numpy() & ~np.asarray(known, dtype=bool)
        return pd.Series(unknown, index=values.index)
    # object arrays: ``isin`` on non-Arrow strings of mixed storage is slow for large sets
    found = values.astype(object).isin(allowed.dropna().astype(object))
    return (values.notna() & ~found).astype(bool)


def differs_from_parent(
    keys: pd.Series, values: pd.Series, parent_keys: pd.Series, parent_values: pd.Series
) -> pd.Series:
    """True where a row's ``values`` differs from its parent's: the ``parent_values`` of the first
    row whose ``parent_keys`` equals the row's ``keys``, the key and both values being known.

    That is ``keys.notna() & expected.notna() & values.notna() & values.ne(expected)`` with
    ``expected = keys.map(parent_values by parent_keys, first occurrence of each key)``.
    """
    arrays = [arrow_strings(s) for s in (keys, values, parent_keys, parent_values)]
    if all(a is not None for a in arrays):
        key, value, parent_key, parent_value = arrays
        assert key is not None and value is not None
        assert parent_key is not None and parent_value is not None
        # index_in: position of the first equal parent key; missing keys match nothing
        where = pc.index_in(key, value_set=_value_set(parent_key, key.type), skip_nulls=True)
        if isinstance(parent_value, pa.ChunkedArray):
            parent_value = parent_value.combine_chunks()
        expected = parent_value.take(where)
        if expected.type != value.type:
            expected = expected.cast(value.type)
        differs = pc.fill_null(pc.not_equal(value, expected), False)
        return pd.Series(np.asarray(differs, dtype=bool), index=keys.index)
    frame = pd.DataFrame({"key": parent_keys.to_numpy(), "value": parent_values.to_numpy()})
    parent = frame.drop_duplicates("key").set_index("key")["value"]
    expected = keys.map(parent)
    differs = keys.notna() & expected.notna() & values.notna() & values.ne(expected)
    return differs.fillna(False).astype(bool)


def _strictly_increasing(values: pa.Array | pa.ChunkedArray) -> bool:
    """True if every value is greater than the one before (no missing values)."""
    if values.null_count or len(values) < 2:
        return values.null_count == 0
    later = pc.greater(values.slice(1), values.slice(0, len(values) - 1))
    return bool(pc.all(later).as_py())


def has_repeats(frame: pd.DataFrame, columns: Sequence[str]) -> bool:
    """True if two rows have the same values in ``columns`` (missing values equal each other):
    ``frame.duplicated(columns).any()``."""
    if len(frame) < 2:
        return False
    if len(columns) == 1:
        values = arrow_strings(frame[columns[0]])
        if values is not None:
            # identifiers are often written in order: then they cannot repeat
            if _strictly_increasing(values):
                return False
            return len(pc.unique(values)) < len(values)  # a missing value counts as one value
        return bool(frame[columns[0]].duplicated().any())
    return bool(frame.duplicated(list(columns)).any())


def group_codes(values: pd.Series) -> np.ndarray:
    """An ``int64`` code per row: equal for equal values, ``-1`` for a missing value.

    Like ``pd.factorize(values)[0]`` except that the numbering is not in order of appearance; for
    grouping and ordering rows by value identity, not by value. A ``Categorical`` gives its codes.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy().astype(np.int64)
    array = arrow_strings(values)
    if array is None:
        return pd.factorize(values)[0].astype(np.int64)
    encoded = pc.dictionary_encode(array)  # one dictionary shared by every chunk
    if isinstance(encoded, pa.ChunkedArray):
        indices = pa.chunked_array([chunk.indices for chunk in encoded.chunks], type=pa.int32())
    else:
        indices = encoded.indices
    return np.asarray(pc.fill_null(indices, -1), dtype=np.int64)


def key_groups(frame: pd.DataFrame, keys: Sequence[str]) -> np.ndarray | None:
    """Per row, the number of its combination of ``keys`` values, in order of first appearance
    (``pd.factorize(pd.MultiIndex.from_frame(frame[keys]))[0]``), from each column's codes;
    ``None`` when a key is missing in some row (a MultiIndex numbers missing values its own way).
    The combination is renumbered after each key, so the numbers stay below the rows' count."""
    combined = np.zeros(len(frame), dtype=np.int64)
    for key in keys:
        codes, uniques = pd.factorize(frame[key])
        if (codes < 0).any():
            return None
        combined = pd.factorize(combined * len(uniques) + codes)[0].astype(np.int64)
    return combined


def release_unused_memory() -> None:
    """Return the memory Arrow's allocator keeps from freed arrays to the operating system, and
    the free memory of the C library's heap (:func:`trim_c_heap`).

    Converting the extracts frees about as much Arrow memory as the canonical extracts hold (the
    raw text and the intermediate strings); Arrow's default allocator keeps it for reuse by Arrow
    only, which numpy's allocations (most of the computation) cannot use. The arrays numpy and
    pandas freed while loading (text replaced by codes, temporary numbers) likewise stay with the
    C library's ``malloc`` (about 0.9 GB at scale 60) unless it is asked to give them back.
    """
    pa.default_memory_pool().release_unused()
    trim_c_heap()


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or ``None`` where there is none (macOS, Windows, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # (only when first needed)

    try:
        return ctypes.CDLL("libc.so.6").malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def trim_c_heap() -> bool:
    """Ask the C library to return the free memory of its heap to the operating system
    (glibc's ``malloc_trim(0)``); True if it could be asked, False where there is no such call."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True

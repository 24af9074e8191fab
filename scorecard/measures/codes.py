"""Identifiers that link extracts, coded once per computation for fast joins.

Measures join, sort, deduplicate and group extracts on identifiers such as ``child_id``,
``referral_id`` and ``team``. On Arrow-backed strings pandas does this by hashing or comparing the
text each time, which dominates the computation at scale. :func:`coded_extracts` gives the
computation a view of the extracts in which each *linking* identifier (an ``id`` or ``team``
column whose name appears in more than one extract) is an ordered ``Categorical`` whose categories
are every value of that identifier across all extracts, sorted. All columns of one identifier
share one dtype, so pandas joins, sorts and groups them on their integer codes; the categories are
sorted, so orderings (and ``min``/``max``) are those of the text. Values and missing values are
unchanged; the extracts given to :func:`~scorecard.measures.compute` are not modified.
"""

from __future__ import annotations

import dataclasses
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from scorecard.extracts.container import Extracts
from scorecard.extracts.schemas import SPECS

_IDENTIFIER_KINDS = ("id", "team")


@cache
def linking_identifiers() -> tuple[str, ...]:
    """Names of the ``id``/``team`` columns that occur in more than one extract (by the specs)."""
    holders: dict[str, int] = {}
    for spec in SPECS.values():
        for f in spec.fields:
            if f.kind in _IDENTIFIER_KINDS:
                holders[f.name] = holders.get(f.name, 0) + 1
    return tuple(sorted(name for name, n in holders.items() if n > 1))


def _as_text(values: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The values as an Arrow string array, or ``None`` if they are not text (left as they are)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return None
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        array = pa.array(values)
    elif values.dtype == object:
        try:
            array = pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None  # not all text: leave the column as it is
    else:
        return None
    return array if array.type == pa.large_string() else array.cast(pa.large_string())


def _text_index(values: pa.Array) -> pd.Index:
    """An Arrow string array as a pandas ``str`` Index (no copy of the text)."""
    text = pd.StringDtype("pyarrow", na_value=np.nan)
    series = pa.chunked_array([values]).to_pandas(types_mapper={values.type: text}.get)
    return pd.Index(series)


def coded_extracts(extracts: Extracts) -> Extracts:
    """``extracts`` with every linking identifier as a shared, sorted, ordered ``Categorical``."""
    frames = extracts.frames()
    replacements: dict[str, dict[str, pd.Series]] = {}
    for column in linking_identifiers():
        arrays = {
            name: array
            for name, frame in frames.items()
            if column in frame.columns and (array := _as_text(frame[column])) is not None
        }
        if not arrays:
            continue
        every = pa.chunked_array(
            [chunk for a in arrays.values() for chunk in getattr(a, "chunks", [a])],
            type=pa.large_string(),
        )
        # one hashing pass over every value: a dictionary shared by all chunks, then the
        # dictionary sorted and each chunk's indices renumbered to positions in the sorted one
        encoded = pc.dictionary_encode(every)
        if encoded.num_chunks:
            dictionary = encoded.chunk(encoded.num_chunks - 1).dictionary  # the fullest
        else:
            dictionary = pa.array([], type=pa.large_string())
        order = np.asarray(pc.array_sort_indices(dictionary), dtype=np.int64)
        rank = np.empty(len(order) + 1, dtype=np.int32)
        rank[order] = np.arange(len(order), dtype=np.int32)
        rank[-1] = -1  # a missing value (index -1 below)
        dtype = pd.CategoricalDtype(_text_index(dictionary.take(pa.array(order))), ordered=True)
        indices = np.concatenate(
            [np.asarray(pc.fill_null(c.indices, -1), dtype=np.int64) for c in encoded.chunks]
            or [np.array([], dtype=np.int64)]
        )
        position = 0
        for name, array in arrays.items():
            codes = rank[indices[position : position + len(array)]]
            position += len(array)
            coded = pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
            index = frames[name].index
            replacements.setdefault(name, {})[column] = pd.Series(coded, index=index, name=column)
    changed = {name: frames[name].assign(**columns) for name, columns in replacements.items()}
    return dataclasses.replace(extracts, **changed) if changed else extracts

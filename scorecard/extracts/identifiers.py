"""Identifiers that link extracts, numbered once for every extract that holds them.

A *linking identifier* is an ``id`` or ``team`` column whose name occurs in more than one extract
(``child_id``, ``referral_id``, ``cp_plan_id``, ``worker_id``, ``arrangement_id``, ``team``). All of
its values across the extracts are numbered once, the distinct values sorted, and every column of
that name coded against the sorted values: one shared, ordered pandas ``CategoricalDtype`` per
identifier (two identifiers at a time, on threads). Values of one shape (a prefix, then digits,
all of one width: ``CH0000000123``) are numbered from their digits, whose order is the text's;
any others are hashed (an Arrow dictionary; a large identifier in two halves on two threads,
whose dictionaries are then merged). The loader uses the codes to check references between extracts
(an orphan is a code its target never holds) and keeps them with the :class:`Extracts`; the engine
joins, sorts and groups on them (:mod:`scorecard.measures.codes`). Because the categories are
sorted, code order is text order, so sorting or taking a maximum on codes agrees with the text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

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


def _empty_mapping() -> Mapping[str, object]:
    return MappingProxyType({})


@dataclass(frozen=True, eq=False)
class IdentifierCodes:
    """Codes of the linking identifiers of some frames (by extract name).

    ``columns[column][name]`` is the ``Categorical`` of ``frames[name][column]`` (row by row);
    every ``Categorical`` of one column has the same dtype. ``frames`` are the frames coded: codes
    apply to a frame only while it is that very object.
    """

    columns: Mapping[str, Mapping[str, pd.Categorical]] = field(default_factory=_empty_mapping)
    frames: Mapping[str, pd.DataFrame] = field(default_factory=_empty_mapping)

    def get(self, name: str, frame: pd.DataFrame, column: str) -> pd.Categorical | None:
        """The codes of ``frame[column]`` if ``frame`` is the frame coded as ``name``."""
        if self.frames.get(name) is not frame:
            return None
        return self.columns.get(column, {}).get(name)

    def rebound(self, frames: Mapping[str, pd.DataFrame]) -> IdentifierCodes:
        """The same codes for ``frames``, each holding the same rows in the same order as the
        frame coded under its name (e.g. its columns reordered); other frames are dropped."""
        same = {
            name: frame
            for name, frame in frames.items()
            if name in self.frames and frame.index.equals(self.frames[name].index)
        }
        columns = {
            column: MappingProxyType({n: c for n, c in coded.items() if n in same})
            for column, coded in self.columns.items()
        }
        return IdentifierCodes(MappingProxyType(columns), MappingProxyType(same))


def _as_text(values: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The values as an Arrow large-string array, or ``None`` if they are not text."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        array = pa.array(values)
    elif values.dtype == object:
        try:
            array = pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None
    else:
        return None
    return array if array.type == pa.large_string() else array.cast(pa.large_string())


def _text_index(values: pa.Array | pa.ChunkedArray) -> pd.Index:
    """An Arrow string array as a pandas ``str`` Index (no copy of the text)."""
    text = pd.StringDtype("pyarrow", na_value=np.nan)
    chunked = values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values])
    series = chunked.to_pandas(types_mapper={values.type: text}.get)
    return pd.Index(series)


#: Identifiers coded at once by :func:`code_identifiers`.
_THREADS = 2

#: Below this many values an identifier is hashed in one piece; above, in two halves at once.
_SPLIT_ABOVE = 2_000_000


def _encode_part(values: pa.ChunkedArray) -> tuple[pa.Array, list[np.ndarray]]:
    """Arrow's dictionary encoding of ``values``: the dictionary (shared by all chunks, the last
    chunk's being the fullest) and each chunk's indices (-1: missing)."""
    encoded = pc.dictionary_encode(values)
    if not encoded.num_chunks:
        return pa.array([], type=values.type), []
    indices = []
    for chunk in encoded.chunks:
        part = chunk.indices
        indices.append(np.asarray(pc.fill_null(part, -1) if part.null_count else part))
    return encoded.chunk(encoded.num_chunks - 1).dictionary, indices


def _dictionary_encode(values: pa.ChunkedArray) -> tuple[pa.Array, list[np.ndarray]]:
    """The distinct values and, per chunk, each value's position among them (-1: missing).

    Hashing is the costliest step of loading at scale; Arrow does it without holding Python's
    lock, so a large identifier is hashed in two halves on two threads and the second half's
    dictionary is then merged into the first's.
    """
    if len(values) <= _SPLIT_ABOVE:
        return _encode_part(values)
    middle = len(values) // 2
    halves = [values.slice(0, middle), values.slice(middle)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        (first, first_indices), (second, second_indices) = pool.map(_encode_part, halves)
    # the second half's values: their position in the first's dictionary, or a new one after it
    found = pc.index_in(second, value_set=first)
    new = np.asarray(pc.is_null(found), dtype=bool)
    moved = np.array(pc.fill_null(found, 0), dtype=np.int32)  # a writable copy
    moved[new] = len(first) + np.arange(int(new.sum()), dtype=np.int32)
    moved = np.append(moved, np.int32(-1))  # index -1: missing stays missing
    dictionary = pa.concat_arrays([first, second.filter(pa.array(new))])
    return dictionary, first_indices + [moved[i] for i in second_indices]


def _sorted_dtype(categories: pa.Array | pa.ChunkedArray) -> pd.CategoricalDtype:
    """The ordered dtype of ``categories``, distinct and sorted (by construction: not checked
    again, which would hash them once more)."""
    index = _text_index(categories)
    fastpath = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    if fastpath is None:  # pragma: no cover - pandas without the private constructor
        return pd.CategoricalDtype(index, ordered=True)
    return fastpath(index, True)


#: Digits at most (so that the number fits an int64) for :func:`_fixed_width_numbers`.
_MAX_DIGITS = 18
#: Rows read at a time by :func:`_chunk_numbers` (its temporary arrays stay small).
_BLOCK = 1 << 18


class _Shape(NamedTuple):
    """Identifiers of one shape: ``head`` (UTF-8 bytes) followed by ``digits`` digits."""

    head: bytes
    digits: int


def _fixed_width_numbers(every: pa.ChunkedArray) -> tuple[np.ndarray, _Shape] | None:
    """If every known value is one prefix followed by digits, all of one length (``CH0000000123``:
    the shape of most case-management systems' identifiers), the digits as integers (missing:
    -1), whose order is then the text's, and the shape; otherwise ``None``. Read from the Arrow
    buffers with numpy (no hashing, no copy of the text)."""
    if not len(every) - every.null_count:
        return None
    chunk = next(c for c in every.chunks if c.null_count < len(c))
    first = chunk[pc.index(chunk.is_valid(), True).as_py()].as_py()
    prefix = next((i for i, c in enumerate(first) if "0" <= c <= "9"), len(first))
    shape = _Shape(first[:prefix].encode(), len(first) - prefix)
    if not 0 < shape.digits <= _MAX_DIGITS:
        return None
    numbers = np.empty(len(every), dtype=np.int64)
    longest = max(len(chunk) - chunk.null_count for chunk in every.chunks)
    pattern = _pattern(shape, min(_BLOCK, longest))  # (for this column only: a few MB at most)
    position = 0
    for chunk in every.chunks:
        part = numbers[position : position + len(chunk)]
        position += len(chunk)
        if chunk.null_count == len(chunk):
            part[:] = -1
            continue
        if not chunk.null_count:
            if not _chunk_numbers(chunk, shape, part, pattern):
                return None
            continue
        # only the values present are read (a column that is mostly blank costs little)
        present = np.empty(len(chunk) - chunk.null_count, dtype=np.int64)
        if not _chunk_numbers(pc.drop_null(chunk), shape, present, pattern):
            return None
        part[:] = -1
        part[np.asarray(chunk.is_valid(), dtype=bool)] = present
    return numbers, shape


def _chunk_numbers(
    chunk: pa.Array, shape: _Shape, out: np.ndarray, pattern: tuple[np.ndarray, np.ndarray]
) -> bool:
    """Write the numbers of ``chunk`` (a large-string array without missing values) into
    ``out``; ``False`` if some value is not of ``shape``. ``pattern``: :func:`_pattern` of
    ``shape`` for at least ``min(_BLOCK, len(chunk))`` rows."""
    n, width = len(chunk), len(shape.head) + shape.digits
    _, offsets_buffer, data_buffer = chunk.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64, count=n + 1, offset=chunk.offset * 8)
    start = int(offsets[0])
    if int(offsets[-1]) - start != n * width:
        return False
    text = np.frombuffer(data_buffer, dtype=np.uint8, count=n * width, offset=start)
    base, limit = pattern
    for at in range(0, n, _BLOCK):
        end = min(at + _BLOCK, n)
        if (np.diff(offsets[at : end + 1]) != width).any():
            return False
        # the bytes of the rows, less the head then "0" at each place: 0 for the head and 0..9
        # for digits where the value is of the shape (anything else, above the limit: one
        # comparison of contiguous bytes rather than a column at a time)
        size = (end - at) * width
        values = np.subtract(text[at * width : end * width], base[:size])
        if (values > limit[:size]).any():
            return False
        digits = values.reshape(end - at, width)[:, len(shape.head) :]
        value = digits[:, 0].astype(np.int64)
        for column in range(1, shape.digits):
            value *= 10
            value += digits[:, column]
        out[at:end] = value
    return True


def _pattern(shape: _Shape, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """For ``rows`` values of ``shape`` laid end to end: what to subtract from each byte (the
    head's own bytes, then "0") and the largest difference allowed (0 for the head, 9 for a
    digit)."""
    head = np.frombuffer(shape.head, dtype=np.uint8)
    base = np.tile(np.append(head, np.full(shape.digits, ord("0"), dtype=np.uint8)), rows)
    limit = np.tile(np.append(np.zeros(len(head), np.uint8), np.full(shape.digits, 9, np.uint8)),
                    rows)  # fmt: skip
    return base, limit


#: The text of 0000..9999, one row of four ASCII digits per number.
_FOUR_DIGITS = (
    (np.arange(10_000)[:, None] // np.array([1000, 100, 10, 1]) % 10) + ord("0")
).astype(np.uint8)


def _numbered_text(numbers: np.ndarray, shape: _Shape) -> pa.Array:
    """The identifiers of ``shape`` with ``numbers`` (the inverse of :func:`_chunk_numbers`)."""
    width = len(shape.head) + shape.digits
    text = np.empty((len(numbers), width), dtype=np.uint8)
    text[:, : len(shape.head)] = np.frombuffer(shape.head, dtype=np.uint8)
    rest, column = numbers, width
    while column > len(shape.head):  # four digits at a time, from the right
        size = min(4, column - len(shape.head))
        rest, low = np.divmod(rest, 10**size)
        text[:, column - size : column] = np.take(_FOUR_DIGITS[:, 4 - size :], low, axis=0)
        column -= size
    offsets = np.arange(len(numbers) + 1, dtype=np.int64) * width
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(text)]
    return pa.Array.from_buffers(pa.large_string(), len(numbers), buffers)


def _code_numbers(
    numbers: np.ndarray, shape: _Shape, spelled: Sequence[tuple[int, pa.ChunkedArray]] = ()
) -> tuple[pa.Array | pa.ChunkedArray, np.ndarray]:
    """The distinct identifiers in order and each row's code (missing: -1), from ``numbers``
    (:func:`_fixed_width_numbers`): numbered through a table of the span of the numbers when it
    is not much larger than the rows, else by sorting them.

    ``spelled``: text arrays whose numbers start at the given position of ``numbers``. One that
    holds every distinct identifier once, in order (an extract's own key as systems export it:
    sorted), is itself the distinct identifiers: its text is used as it is, rather than written
    again from the numbers."""
    known = numbers >= 0
    everywhere = bool(known.all())
    values = numbers if everywhere else numbers[known]
    low, high = int(values.min()), int(values.max())
    span = high - low + 1
    if span <= 4 * len(numbers) + (1 << 20):
        slot = numbers - low
        if not everywhere:
            slot[~known] = span  # missing: the extra slot, never present
        present = np.zeros(span + 1, dtype=bool)
        present[slot] = True
        present[span] = False
        rank = np.cumsum(present, dtype=np.int32)
        rank -= 1
        rank[span] = -1
        codes = rank[slot]
        distinct = np.flatnonzero(present) + low
    else:
        distinct, inverse = np.unique(values, return_inverse=True)
        codes = np.full(len(numbers), -1, dtype=np.int32)
        codes[known] = inverse
    codes = codes.astype(np.int32, copy=False)
    for at, text in spelled:
        if len(text) == len(distinct) and _increasing(numbers[at : at + len(text)]):
            # distinct values of the numbers, as many as there are: all of them, in order
            return text, codes
    return _numbered_text(distinct, shape), codes


def _increasing(numbers: np.ndarray) -> bool:
    """True if ``numbers`` (none missing: -1) are strictly increasing."""
    if not len(numbers) or numbers[0] < 0:
        return False
    return bool((numbers[1:] > numbers[:-1]).all())


def _codable(values: pd.Series) -> pa.Array | pa.ChunkedArray | pd.Categorical | None:
    """The values as :func:`code_column` takes them: an Arrow text array, or a ``Categorical``
    of text (coded by its categories); ``None`` if they are not text."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        if _as_text(pd.Series(values.cat.categories)) is None:
            return None
        return values.array
    return _as_text(values)


def _text_of(values: pa.Array | pa.ChunkedArray | pd.Categorical) -> pa.Array | pa.ChunkedArray:
    """The text coded for ``values``: itself, or the categories of a ``Categorical``."""
    if isinstance(values, pd.Categorical):
        text = _as_text(pd.Series(values.categories))
        assert text is not None  # checked by _codable
        return text
    return values


def code_column(
    arrays: Mapping[str, pa.Array | pa.ChunkedArray | pd.Categorical],
) -> dict[str, pd.Categorical]:
    """Arrow text arrays (by name) coded against their sorted distinct values (missing: -1).

    A ``Categorical`` of text is coded by its categories only (each row then takes the code of
    its category): the same codes as its values as text, without reading a row's text (a
    category that no row holds is then among the shared categories all the same)."""
    texts = {name: _text_of(a) for name, a in arrays.items()}
    every = pa.chunked_array(
        [chunk for a in texts.values() for chunk in getattr(a, "chunks", [a])],
        type=pa.large_string(),
    )
    numbered = _fixed_width_numbers(every)
    if numbered is not None:
        spelled, position = [], 0
        for name, array in arrays.items():
            if not isinstance(array, pd.Categorical) and len(array):
                chunks = getattr(array, "chunks", [array])
                spelled.append((position, pa.chunked_array(chunks, type=pa.large_string())))
            position += len(texts[name])
        categories, codes = _code_numbers(*numbered, spelled)
        dtype = _sorted_dtype(categories)
    else:
        dtype, codes = _hashed_codes(every)
    coded, position = {}, 0
    for name, array in arrays.items():
        size = len(texts[name])
        part = codes[position : position + size]
        position += size
        if isinstance(array, pd.Categorical):  # each row the code of its category (-1: missing)
            part = np.append(part, np.int32(-1))[np.asarray(array.codes)]
        coded[name] = pd.Categorical.from_codes(part, dtype=dtype, validate=False)
    return coded


def _hashed_codes(every: pa.ChunkedArray) -> tuple[pd.CategoricalDtype, np.ndarray]:
    """Any text: the dtype of its sorted distinct values (by hashing) and each row's code."""
    dictionary, chunk_indices = _dictionary_encode(every)
    order = np.asarray(pc.array_sort_indices(dictionary), dtype=np.int64)
    rank = np.empty(len(order) + 1, dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    rank[-1] = -1  # a missing value (index -1 below)
    dtype = _sorted_dtype(dictionary.take(pa.array(order)))
    # each chunk's indices renumbered straight into one array of codes (no int64 copies)
    codes = np.empty(len(every), dtype=np.int32)
    position = 0
    for indices in chunk_indices:
        codes[position : position + len(indices)] = rank[indices]
        position += len(indices)
    return dtype, codes


def code_identifiers(
    frames: Mapping[str, pd.DataFrame], columns: tuple[str, ...] | None = None
) -> IdentifierCodes:
    """Code the linking identifiers (or ``columns``) of ``frames`` (by extract name); a column
    that is not text (or a ``Categorical`` of text) in some frame is left out there."""
    texts: dict[str, dict[str, pa.Array | pa.ChunkedArray | pd.Categorical]] = {}
    for column in linking_identifiers() if columns is None else columns:
        arrays = {
            name: array
            for name, frame in frames.items()
            if column in frame.columns and (array := _codable(frame[column])) is not None
        }
        if arrays:
            texts[column] = arrays
    # numpy and Arrow work without Python's lock: two identifiers at a time, the largest first
    # (the values read: text rows, and the categories of a Categorical), so that a large one
    # does not start last
    largest_first = sorted(texts, key=lambda column: -_values_read(texts[column]))
    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        done = dict(
            zip(largest_first, pool.map(code_column, (texts[c] for c in largest_first)), strict=True)
        )
    coded = {column: MappingProxyType(done[column]) for column in texts}
    return IdentifierCodes(MappingProxyType(coded), MappingProxyType(dict(frames)))


def _values_read(arrays: Mapping[str, pa.Array | pa.ChunkedArray | pd.Categorical]) -> int:
    """How many values :func:`code_column` reads to code ``arrays``: each text array's rows, a
    ``Categorical``'s categories."""
    return sum(
        len(a.categories) if isinstance(a, pd.Categorical) else len(a) for a in arrays.values()
    )


def held_as_codes(
    frames: Mapping[str, pd.DataFrame], identifiers: IdentifierCodes, columns: tuple[str, ...]
) -> dict[str, pd.DataFrame]:
    """``frames`` with each of ``columns`` replaced by its codes in ``identifiers`` (the shared
    ``Categorical``, not a copy), where they apply to the frame (:meth:`IdentifierCodes.get`);
    other frames and columns as they are. Values and missing values are unchanged."""
    out = dict(frames)
    for name, frame in frames.items():
        replaced = {
            column: pd.Series(coded, index=frame.index, name=column, copy=False)
            for column in columns
            if column in frame.columns
            and (coded := identifiers.get(name, frame, column)) is not None
        }
        if replaced:
            out[name] = frame.assign(**replaced)
    return out


def unknown_codes(values: pd.Categorical, allowed: pd.Categorical) -> np.ndarray:
    """True where a non-missing value is not among ``allowed`` (same dtype)."""
    codes = np.asarray(values.codes)
    held = np.zeros(len(values.categories) + 1, dtype=bool)
    held[np.asarray(allowed.codes)] = True  # -1 marks the last slot, never looked up
    if held[:-1].all():  # every value held (as a key beside its references usually is)
        return np.zeros(len(codes), dtype=bool)
    return (codes >= 0) & ~held[codes]


def codes_differ_from_parent(
    keys: pd.Categorical,
    values: pd.Categorical,
    parent_keys: pd.Categorical,
    parent_values: pd.Categorical,
) -> np.ndarray:
    """True where a row's value differs from its parent's (the value of the first parent row with
    the row's key), the key and both values being known; keys and values share dtypes."""
    parent = np.asarray(parent_keys.codes)
    key = np.asarray(keys.codes)
    if _numbered_in_order(parent, len(parent_keys.categories)):  # row i holds key i
        where = key.astype(np.int64)  # (-1: missing, no parent row)
    else:
        first = np.full(len(parent_keys.categories) + 1, -1, dtype=np.int64)
        held = parent >= 0
        rows = np.flatnonzero(held)
        if not len(rows) or np.bincount(parent[rows]).max() == 1:  # each key once: no sorting
            first[parent[rows]] = rows
        else:
            distinct, at = np.unique(parent, return_index=True)  # first rows
            known = distinct >= 0
            first[distinct[known]] = at[known]
        where = np.where(key >= 0, first[key], -1)
    padded = np.append(np.asarray(parent_values.codes, dtype=np.int64), -1)  # row -1: none
    expected = padded[where]
    value = np.asarray(values.codes)
    return (where >= 0) & (expected >= 0) & (value >= 0) & (value != expected)


def _numbered_in_order(codes: np.ndarray, size: int) -> bool:
    """True if ``codes`` are 0, 1, ..., ``size`` - 1: each of ``size`` categories once, in order
    (a key exported in order, coded against its own values)."""
    if len(codes) != size or not size:
        return len(codes) == size
    return codes[0] == 0 and bool((np.diff(codes) == 1).all())

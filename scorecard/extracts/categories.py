"""Text of few distinct values held as pandas categoricals in the loaded extracts.

The columns of kind ``code`` (a closed vocabulary: ``visit_type``, ``worker_role``, ...) and
``team`` repeat a handful to a few dozen values over millions of rows. Once an extract has been
checked, the loader holds them as ordered ``Categorical`` columns (:func:`as_categories`): one small
integer per row instead of a string. A ``code`` column's categories are its vocabulary (the same
dtype whatever the rows hold, so that two loads concatenate as categoricals); a ``team`` column's
are the teams it holds, and once the extracts are checked against each other it is replaced by the
shared coding of ``team`` across extracts (:mod:`scorecard.extracts.identifiers`). Categories are
sorted, so that sorting, ``min`` and ``max`` agree with the text. Values and missing values are
those of the text: ``==``, ``isin``, ``astype("str")`` give what they gave on the text.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]

from scorecard.extracts.arrays import arrow_strings
from scorecard.extracts.identifiers import _hashed_codes, code_column, linking_identifiers
from scorecard.extracts.schemas import EXTRACT_NAMES
from scorecard.extracts.spec import CATEGORY_KINDS, TEXT_OR_CATEGORY_KINDS, ExtractSpec, Field

_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)
#: Columns converted at once by :func:`as_categories`, for frames of at least ``_THREADS_FROM``
#: rows.
_THREADS = 2
_THREADS_FROM = 200_000


#: An extract of at least this many rows has its linking identifiers numbered as soon as it is
#: checked (their text freed before the next extract is read: what keeps the peak memory of a
#: national load down); a smaller one keeps them as text until every extract is coded together
#: (numbering twice costs more time than the memory it saves: 0.1-0.15 s of a load at scale 10).
#: Either way the loaded frames hold the same shared codes.
EARLY_CODING_FROM = 1_000_000


def early_coded(frame: pd.DataFrame) -> tuple[str, ...]:
    """The linking identifiers to number as soon as ``frame`` (a checked extract) is checked: all
    of them for a frame of at least :data:`EARLY_CODING_FROM` rows, else none."""
    return linking_identifiers() if len(frame) >= EARLY_CODING_FROM else ()


def is_case(name: str) -> bool:
    """True for a case-level extract (its codes and teams held as categoricals), False for the
    organisation table (a reference table of a few rows, kept as text)."""
    return name in EXTRACT_NAMES


def as_text(frame: pd.DataFrame, spec: ExtractSpec) -> pd.DataFrame:
    """``frame`` with its ``code`` and ``team`` columns held as categoricals of text (as a Parquet
    file's dictionary columns read) turned into text (``str``); ``frame`` itself if none is."""
    columns = {
        name: frame[name].astype("str")
        for name in category_columns(spec)
        if name in frame.columns and _text_categorical(frame[name])
    }
    return frame.assign(**columns) if columns else frame


def category_columns(spec: ExtractSpec) -> tuple[str, ...]:
    """The columns of ``spec`` held as categoricals (its ``code`` and ``team`` columns)."""
    return tuple(f.name for f in spec.fields if f.kind in CATEGORY_KINDS)


def held_as_category(field: Field, dtype: object) -> bool:
    """True if ``dtype`` is how the loader may hold ``field``: a ``Categorical`` of text (``str``
    categories) for a ``code``, ``team`` or ``id`` column (the canonical ``str`` is checked
    apart)."""
    return (
        field.kind in TEXT_OR_CATEGORY_KINDS
        and isinstance(dtype, pd.CategoricalDtype)
        and dtype.categories.dtype == _TEXT
    )


def _text_categorical(values: pd.Series) -> bool:
    """True for a ``Categorical`` of ``str`` categories."""
    dtype = values.dtype
    return isinstance(dtype, pd.CategoricalDtype) and dtype.categories.dtype == _TEXT


def categorical_text(values: pd.Series, vocabulary: Sequence[str] = ()) -> pd.Series:
    """Text ``values`` as an ordered ``Categorical`` Series (same index and name) whose sorted
    categories are the values present (or the categories of a ``Categorical`` of text) and
    ``vocabulary``; ``values`` itself when it is neither text held by Arrow (pandas' ``str``) nor
    such a ``Categorical``. Equal to ``values.astype(pd.CategoricalDtype(sorted(set(
    values.dropna()) | set(vocabulary)), ordered=True))``, by Arrow's hashing."""
    if _text_categorical(values):  # its categories, sorted, then the vocabulary
        present = pd.Index(np.sort(values.cat.categories.to_numpy(dtype=object)), dtype=_TEXT)
        moved = np.append(present.get_indexer(values.cat.categories), -1).astype(np.int32)
        codes = moved[np.asarray(values.array.codes)]
        dtype = pd.CategoricalDtype(present, ordered=True)
    else:
        array = arrow_strings(values)
        if array is None:
            return values
        every = pa.chunked_array(getattr(array, "chunks", [array]), type=array.type)
        if every.type != pa.large_string():
            every = every.cast(pa.large_string())
        dtype, codes = _hashed_codes(every)
    present = dtype.categories
    if vocabulary:
        wanted = pd.Index(sorted(set(vocabulary).union(present)), dtype=_TEXT)
        if not wanted.equals(present):
            moved = np.append(wanted.get_indexer(present).astype(np.int32), np.int32(-1))
            codes = moved[codes]
            dtype = pd.CategoricalDtype(wanted, ordered=True)
    categorical = pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
    return pd.Series(categorical, index=values.index, name=values.name, copy=False)


def as_categories(
    frame: pd.DataFrame, spec: ExtractSpec, linking: Collection[str] = ()
) -> pd.DataFrame:
    """``frame`` (canonical rows of ``spec``) with its ``code`` and ``team`` columns, and those
    named in ``linking`` (the linking identifiers), held as categoricals (:func:`categorical_text`;
    a ``code`` column's vocabulary among its categories; a linking identifier numbered as
    :func:`~scorecard.extracts.identifiers.code_column` numbers it, until all extracts are coded
    together); ``frame`` itself when there are none. The extract's own key (``referral_id`` of
    referrals) is left as text: every value distinct, its categories would be its text again (it
    is coded with the others). ``frame`` is not modified."""
    own_key = spec.key[0] if len(spec.key) == 1 else None
    names = [
        *category_columns(spec),
        *(n for n in linking if spec.has(n) and n != own_key),
    ]
    wanted = [
        n
        for n in dict.fromkeys(names)
        if n in frame.columns
        and (arrow_strings(frame[n]) is not None or _text_categorical(frame[n]))
    ]
    if not wanted:
        return frame

    def convert(name: str) -> pd.Series:
        if name in linking:
            values = frame[name]
            given = values.array if _text_categorical(values) else arrow_strings(values)
            coded = code_column({name: given})[name]
            return pd.Series(coded, index=frame.index, name=name, copy=False)
        return categorical_text(frame[name], spec.field(name).codes)

    if len(frame) < _THREADS_FROM:  # small: threads would cost more than they save
        columns = {name: convert(name) for name in wanted}
    else:  # numpy and Arrow work without Python's lock: two columns at a time
        with ThreadPoolExecutor(max_workers=_THREADS) as pool:
            columns = dict(zip(wanted, pool.map(convert, wanted), strict=True))
    return frame.assign(**columns)

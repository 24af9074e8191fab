"""``frame.to_csv(path, index=False)``, byte for byte, column by column: the results CSV of a build.

pandas writes a CSV row by row through the standard library's ``csv`` writer, after turning each
chunk of rows into objects; for the results CSV of a build (about 17,000 rows of 50 columns at
the bundled county's size) that is about 0.3 s. :func:`csv_text` makes the same text column by
column: each column's cells become their text as pandas and the ``csv`` writer would make it
(worked out once per distinct value where values repeat), the few texts the writer would quote are
quoted by the writer itself, and each row is joined once. A frame it does not know how to write
exactly (a dtype other than those below, one column, column levels) goes to ``to_csv`` as before.

Text of a cell, as ``to_csv`` with its defaults writes it: a missing value (``isna``) is empty;
``float64``: numpy's ``astype(str)`` (what pandas calls); integers and text as they print; a
boolean ``True``/``False``; a monthly (or other) ``Period`` as ``str(period)``; the cells of an
``object`` column by ``str`` (a float by its shortest repr).
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

#: A text the ``csv`` writer never quotes (minimal quoting, ``,`` and ``"``): letters, digits,
#: ``_ . + -``. Any other text is passed through the writer itself (see :func:`_quoted`).
_PLAIN = re.compile(r"[\w.+\-]*")
#: The line end of ``to_csv`` (its default ``lineterminator``).
_END = os.linesep


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` to ``path`` as ``frame.to_csv(path, index=False)`` writes it (UTF-8, the
    platform's line ends, minimal quoting, missing values empty), faster (see :func:`csv_text`)."""
    text = csv_text(frame)
    if text is None:
        frame.to_csv(path, index=False)
        return
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def csv_text(frame: pd.DataFrame) -> str | None:
    """The text of ``frame.to_csv(index=False)``, or ``None`` for a frame this does not write
    (column levels, fewer than two columns, or a column of another dtype than ``float64``, numpy
    integers, booleans and objects, ``str``/``string``, categories of text or numbers, periods,
    pandas' nullable integers)."""
    if isinstance(frame.columns, pd.MultiIndex) or frame.shape[1] < 2:
        return None  # (one column: the csv writer quotes an empty cell as "")
    columns = []
    for position in range(frame.shape[1]):
        cells = _cells(frame.iloc[:, position])
        if cells is None:
            return None
        columns.append(cells)
    header = _quote_all(["" if name is None else str(name) for name in frame.columns])
    lines = [",".join(header)]
    lines.extend(map(",".join, zip(*columns, strict=True)))
    return _END.join(lines) + _END


def _cells(column: pd.Series) -> list[str] | None:
    """The cells of ``column`` as the CSV has them (quoted where the writer quotes), or ``None``
    for a dtype this module does not write."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype):
        values = column.to_numpy()
        if dtype == np.float64:
            # by bit pattern: -0.0 and 0.0 are two values, as are their texts
            codes, uniques = pd.factorize(values.view(np.int64))
            numbers = uniques.view(np.float64)
            texts = numbers.astype(str).astype(object)
            texts[np.isnan(numbers)] = ""
            return texts.take(codes).tolist()  # numbers are never quoted
        if dtype.kind in "iu":
            return values.astype(str).tolist()
        if dtype.kind == "b":
            return np.where(values, "True", "False").tolist()
        if dtype == object:
            return _quote_all(_object_texts(values, pd.isna(values)))
        return None
    if isinstance(dtype, pd.PeriodDtype | pd.StringDtype | pd.CategoricalDtype):
        if isinstance(dtype, pd.CategoricalDtype) and dtype.categories.dtype.kind in "Mm":
            return None  # (pandas writes dates in categories in its own way)
        codes, uniques = pd.factorize(column)  # missing: code -1
        texts = _quote_all(_object_texts(np.asarray(uniques, dtype=object), None))
        table = np.array([*texts, ""], dtype=object)  # -1: the last, empty
        return table.take(codes).tolist()
    if pd.api.types.is_integer_dtype(dtype):  # pandas' nullable integers (Int64, ...)
        values = np.asarray(column.array.astype(object))
        return _object_texts(values, np.asarray(column.isna(), dtype=bool))
    return None


def _object_texts(values: np.ndarray, missing: np.ndarray | None) -> list[str]:
    """The texts the csv writer makes of objects (``str``; empty where ``missing``)."""
    texts = list(map(str, values.tolist()))
    if missing is not None and missing.any():
        for i in np.flatnonzero(missing).tolist():
            texts[i] = ""
    return texts


def _quote_all(texts: list[str]) -> list[str]:
    """``texts`` as the csv writer writes them in a row: the plain ones as they are, the others
    quoted (or not) by the writer itself, once per distinct text."""
    quoted = {text: _quoted(text) for text in set(texts) if not _PLAIN.fullmatch(text)}
    quoted = {text: field for text, field in quoted.items() if field != text}
    if not quoted:
        return texts
    return [quoted.get(text, text) for text in texts]


def _quoted(text: str) -> str:
    """``text`` as the csv writer (``to_csv``'s dialect) writes it as a cell of a longer row."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=_END).writerow([text, ""])
    return buffer.getvalue()[: -len("," + _END)]

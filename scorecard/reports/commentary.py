"""The commentary file: what the service says about a figure, shown in the reports.

A CSV with the columns ``indicator, unit, month, text`` (any order, more columns refused):

- ``indicator``: the indicator's id (``pf_initial_visit_7_days``) or its ref (``8``);
- ``unit``: a unit of the scorecard (the county, an area or a team), matched without regard to case;
- ``month``: ``YYYY-MM``, the reporting month the text is about;
- ``text``: the commentary, as it should be published (it is escaped in the HTML and guarded
  against formulas in the workbook like every other text).

One row per indicator, unit and month. Every problem (a missing or unknown column, an unknown
indicator or unit, a month that is not ``YYYY-MM``, an empty text, two rows for one figure) is
reported at once with the file, the column and the line numbers (line 1 is the header).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from scorecard.errors import DataError
from scorecard.registry.model import Registry

COLUMNS = ("indicator", "unit", "month", "text")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class CommentaryError(DataError):
    """The commentary file cannot be used: every problem, with file, column and lines."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = tuple(problems)
        listed = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"commentary file {path.name}: {len(problems)} problem(s)\n{listed}")


def _lines(mask: pd.Series) -> str:
    lines = (mask[mask].index + 2).tolist()
    shown = ", ".join(str(n) for n in lines[:10])
    return f"line {shown}" if len(lines) == 1 else f"lines {shown}" + (", ..." * (len(lines) > 10))


def _close(value: str, known: Iterable[str]) -> str:
    near = difflib.get_close_matches(value, list(known), n=3)
    return f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else ""


def load_commentary(
    path: str | os.PathLike[str], registry: Registry, units: Iterable[str]
) -> pd.DataFrame:
    """The commentary of ``path`` checked against ``registry`` and the scorecard's ``units``:
    columns ``indicator`` (the id), ``unit`` (as the scorecard spells it), ``month`` (a monthly
    ``Period``) and ``text``. Raises :class:`CommentaryError` listing every problem."""
    file = Path(path)
    try:
        raw = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommentaryError(file, ["the file does not exist"]) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise CommentaryError(file, [f"not a readable CSV file ({exc})"]) from None
    problems: list[str] = []
    missing = [c for c in COLUMNS if c not in raw.columns]
    extra = [c for c in raw.columns if c not in COLUMNS]
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)} (expected: {', '.join(COLUMNS)})")
    if extra:
        problems.append(f"unknown column(s): {', '.join(extra)} (expected: {', '.join(COLUMNS)})")
    if problems:
        raise CommentaryError(file, problems)
    frame = raw[list(COLUMNS)].apply(lambda column: column.str.strip())

    by_ref = {str(indicator.ref): indicator.id for indicator in registry}
    ids = frame["indicator"].map(lambda value: by_ref.get(value, value))
    unknown = ~ids.isin(registry.ids)
    for value in frame.loc[unknown, "indicator"].unique():
        where = _lines(frame["indicator"].eq(value) & unknown)
        problems.append(f"column indicator, {where}: {value!r} is neither an indicator id nor a "
                        f"ref of the registry{_close(value, registry.ids)}")  # fmt: skip

    spelled = {unit.casefold(): unit for unit in units}
    named = frame["unit"].str.casefold().map(spelled)
    for value in frame.loc[named.isna(), "unit"].unique():
        where = _lines(frame["unit"].eq(value))
        problems.append(f"column unit, {where}: {value!r} is not a unit of the scorecard"
                        f"{_close(value, spelled.values())}")  # fmt: skip

    bad_month = ~frame["month"].str.fullmatch(_MONTH)
    if bad_month.any():
        problems.append(f"column month, {_lines(bad_month)}: not a month written YYYY-MM")
    empty = frame["text"].eq("")
    if empty.any():
        problems.append(f"column text, {_lines(empty)}: empty text")

    checked = pd.DataFrame({"indicator": ids, "unit": named, "month": frame["month"]})
    repeated = checked.duplicated(keep=False) & ~(unknown | named.isna() | bad_month)
    if repeated.any():
        problems.append(f"{_lines(repeated)}: more than one text for the same indicator, unit "
                        f"and month")  # fmt: skip
    if problems:
        raise CommentaryError(file, problems)
    return pd.DataFrame(
        {
            "indicator": ids.astype(str),
            "unit": named.astype(str),
            "month": pd.PeriodIndex(frame["month"], freq="M"),
            "text": frame["text"],
        }
    )

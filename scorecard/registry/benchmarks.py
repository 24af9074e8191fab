"""Comparator values (benchmarks): what England, the region and the statistical neighbours scored.

A comparator table (``data/benchmarks/comparators.csv``; columns in ``docs/benchmarks.md``) holds
one row per indicator, financial year and comparator, each value with the publication, table and
address it was read from. :func:`load_benchmarks` reads and checks it against a registry (every
problem at once, naming the file, column and CSV lines) into a :class:`Benchmarks`;

- :func:`join_benchmarks` puts the values beside the county's results of the same financial year
  (``england``, ``england_source``, ``region``, ``region_source``, ``neighbours``,
  ``neighbours_source``; a result of March 2015 takes the 2014-15 row, one of April 2015 the
  2015-16 row or nothing);
- :func:`fill_benchmark` gives an indicator rated by the ``benchmark`` rule the table's value
  (England by default) in a financial year where its registry gives no ``benchmark``
  (``rate(..., benchmarks=...)`` calls it).

Everything here is pure: inputs are never modified.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import assert_never

import numpy as np
import pandas as pd
import pandera.pandas as pa

from scorecard.calendar.periods import financial_year_starts, to_months
from scorecard.errors import DataError, UsageError
from scorecard.registry.model import Registry, RuleMethod, ValueUnit

#: The comparator table's file name in a benchmarks folder.
BENCHMARKS_FILE = "comparators.csv"
#: Columns of the comparator table: the required ones, then the optional ones.
REQUIRED_COLUMNS = ["indicator", "financial_year", "comparator", "value", "unit", "publication",
                    "url"]  # fmt: skip
OPTIONAL_COLUMNS = ["area", "table", "notes"]
#: A financial year as the table writes it: ``2014-15``.
_YEAR = r"^[0-9]{4}-[0-9]{2}$"
#: Most lines named in one message.
_SHOWN = 10


class Comparator(str, Enum):
    """Whom a benchmark value describes."""

    ENGLAND = "england"
    REGION = "region"
    NEIGHBOURS = "statistical_neighbours"

    @property
    def column(self) -> str:
        """The column that carries the value beside the results (its source: ``<column>_source``)."""
        match self:
            case Comparator.ENGLAND:
                return "england"
            case Comparator.REGION:
                return "region"
            case Comparator.NEIGHBOURS:
                return "neighbours"
            case _:
                assert_never(self)

    @property
    def label(self) -> str:
        """The comparator's name as a report's column heading gives it."""
        match self:
            case Comparator.ENGLAND:
                return "England"
            case Comparator.REGION:
                return "Region"
            case Comparator.NEIGHBOURS:
                return "Statistical neighbours"
            case _:
                assert_never(self)


#: The columns :func:`join_benchmarks` adds, in order.
BENCHMARK_COLUMNS = [name for c in Comparator for name in (c.column, f"{c.column}_source")]


class BenchmarkError(DataError):
    """A comparator table that cannot be used; the message names the file, columns and lines."""


@dataclass(frozen=True)
class Benchmarks:
    """A checked comparator table (build it with :func:`load_benchmarks` or
    :func:`validate_benchmarks`). ``frame``: ``indicator, financial_year, fy_start, comparator,
    area, value, unit, publication, table, url, notes, source`` (``source``: area, publication and
    table in one text, e.g. ``South East: <publication>, table: <table>``); ``name``: the file it
    was read from."""

    frame: pd.DataFrame
    name: str

    def values(self, comparator: Comparator) -> pd.DataFrame:
        """``indicator, fy_start, value, source`` of one comparator."""
        rows = self.frame["comparator"] == comparator.value
        return self.frame.loc[rows, ["indicator", "fy_start", "value", "source"]]


def default_benchmarks_folder() -> Path:
    """``data/benchmarks`` of the repository (it need not exist)."""
    return Path(__file__).resolve().parents[2] / "data" / "benchmarks"


def load_benchmarks(path: os.PathLike[str] | str, registry: Registry) -> Benchmarks:
    """Read and check a comparator table: ``path`` is the CSV file or a folder holding
    ``comparators.csv``. Raises :class:`BenchmarkError` naming the file, column and lines."""
    path = Path(path)
    file = path / BENCHMARKS_FILE if path.is_dir() else path
    if not file.is_file():
        raise BenchmarkError(f"{file}: no comparator table (expected a CSV file, or a folder "
                             f"holding {BENCHMARKS_FILE})")  # fmt: skip
    try:
        raw = pd.read_csv(
            file, dtype="string", keep_default_na=False, na_values=[""], encoding="utf-8-sig"
        )  # a spreadsheet may save a byte-order mark
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise BenchmarkError(f"{file.name}: not a readable CSV file: {exc}") from None
    return validate_benchmarks(raw, registry, name=file.name)


def validate_benchmarks(
    table: pd.DataFrame, registry: Registry, name: str = "benchmarks"
) -> Benchmarks:
    """Check a comparator table (as read from its CSV: one row per line, line 2 first) against
    ``registry``: the columns, known indicator ids, years written ``2014-15``, known comparators,
    a finite non-negative number in ``value`` (at most 100 for a percentage), the unit of the
    indicator in the registry, a ``publication`` and ``url`` on every row, one row per indicator,
    financial year and comparator. Every problem is collected before one
    :class:`BenchmarkError` is raised."""
    if not isinstance(table, pd.DataFrame):
        raise UsageError(f"{name}: expected a pandas DataFrame, got {type(table).__name__}")
    columns = [str(c) for c in table.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    unknown = [c for c in columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    problems = []
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)} (allowed: "
                        f"{', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)})")  # fmt: skip
    if problems:
        raise BenchmarkError(f"{name}: {'; '.join(problems)}")
    text = pd.DataFrame(
        {c: (table[c].astype("string").str.strip().replace("", pd.NA) if c in columns
             else pd.Series(pd.NA, index=table.index, dtype="string"))
         for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
    )  # fmt: skip
    text.index = pd.RangeIndex(2, len(text) + 2)  # CSV lines: the header is line 1
    try:
        _schema(registry).validate(text, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems.append(_describe(exc.failure_cases))
    problems += _unit_problems(text, registry)
    if problems:
        raise BenchmarkError(f"{name}: {'; '.join(problems)}")
    value = pd.to_numeric(text["value"]).astype(float)
    fy_start = text["financial_year"].str.slice(0, 4).astype("int64")
    table_text, area = text["table"].fillna(""), text["area"].fillna("")
    source = (area.where(area == "", area + ": ") + text["publication"]
              + table_text.where(table_text == "", ", table: " + table_text))  # fmt: skip
    frame = text.assign(value=value, fy_start=fy_start, source=source).reset_index(drop=True)
    order = ["indicator", "financial_year", "fy_start", "comparator", "area", "value", "unit",
             "publication", "table", "url", "notes", "source"]  # fmt: skip
    return Benchmarks(frame[order], name)


def _is_number(values: pd.Series) -> pd.Series:
    number = pd.to_numeric(values, errors="coerce")
    return number.notna() & np.isfinite(number.astype(float).fillna(0.0))


def _consecutive(values: pd.Series) -> pd.Series:
    first = pd.to_numeric(values.str.slice(0, 4), errors="coerce")
    second = pd.to_numeric(values.str.slice(5, 7), errors="coerce")
    return (second == (first + 1) % 100).fillna(False)


def _schema(registry: Registry) -> pa.DataFrameSchema:
    text = {"dtype": "string", "nullable": False}
    return pa.DataFrameSchema(
        {
            "indicator": pa.Column(
                checks=pa.Check.isin(registry.ids, error="an indicator id of the registry"), **text
            ),
            "financial_year": pa.Column(
                checks=[
                    pa.Check.str_matches(_YEAR, error="a financial year written 2014-15"),
                    pa.Check(_consecutive, error="a year followed by the next (2014-15)"),
                ],
                **text,
            ),
            "comparator": pa.Column(
                checks=pa.Check.isin(
                    [c.value for c in Comparator],
                    error="one of " + ", ".join(c.value for c in Comparator),
                ),
                **text,
            ),
            "value": pa.Column(
                checks=[
                    pa.Check(_is_number, error="a number"),
                    pa.Check(
                        lambda v: (pd.to_numeric(v, errors="coerce") >= 0).fillna(True),
                        error="zero or more",
                    ),
                ],
                **text,
            ),
            "unit": pa.Column(
                checks=pa.Check.isin(
                    [u.value for u in ValueUnit],
                    error="one of " + ", ".join(u.value for u in ValueUnit),
                ),
                **text,
            ),
            "publication": pa.Column(**text),
            "url": pa.Column(**text),
            "table": pa.Column("string", nullable=True),
            "notes": pa.Column("string", nullable=True),
            "area": pa.Column("string", nullable=True),
        },
        unique=["indicator", "financial_year", "comparator"],
        report_duplicates="all",
    )


def _lines(labels: list[object]) -> str:
    shown = [str(x) for x in labels[:_SHOWN]]
    more = f" and {len(labels) - _SHOWN} more" if len(labels) > _SHOWN else ""
    return ", ".join(shown) + more


def _describe(cases: pd.DataFrame) -> str:
    parts = []
    unique = cases["check"].isin(["field_uniqueness", "multiple_fields_uniqueness"])
    if unique.any():
        twice = _lines(sorted({int(i) for i in cases.loc[unique, "index"] if pd.notna(i)}))
        parts.append("columns indicator, financial_year, comparator: more than one row for the "
                     f"same indicator, year and comparator on lines {twice}")  # fmt: skip
    for (column, check), group in cases[~unique].groupby(["column", "check"], dropna=False,
                                                         sort=False):  # fmt: skip
        lines = _lines(sorted({int(i) for i in group["index"].tolist() if pd.notna(i)}))
        values = sorted({str(v) for v in group["failure_case"].tolist()})[:5]
        if check == "not_nullable":
            why = "its source" if column in ("publication", "url") else "it"
            parts.append(f"column {column}: empty on lines {lines} (every value needs {why})")
        else:
            parts.append(f"column {column}: not {check} on lines {lines} (values {values})")
    return "; ".join(parts)


def _unit_problems(text: pd.DataFrame, registry: Registry) -> list[str]:
    """Rows whose unit is not the indicator's, and percentages above 100 (known ids only)."""
    units = {i.id: i.unit.value for i in registry}
    expected = text["indicator"].map(units)
    known = expected.notna() & text["unit"].notna()
    wrong = known & (text["unit"] != expected)
    problems = []
    if wrong.any():
        pairs = [f"{ln} ({i}: {expected[ln]}, not {u})"
                 for ln, i, u in zip(text.index[wrong], text["indicator"][wrong],
                                     text["unit"][wrong], strict=True)]  # fmt: skip
        problems.append(f"column unit: not the indicator's unit in the registry on lines "
                        f"{_lines(pairs)}")  # fmt: skip
    value = pd.to_numeric(text["value"], errors="coerce")
    above = ((expected == ValueUnit.PERCENT.value) & (value > 100)).fillna(False)
    if above.any():
        problems.append(f"column value: a percentage above 100 on lines "
                        f"{_lines(list(text.index[above]))}")  # fmt: skip
    return problems


def _financial_year_starts(frame: pd.DataFrame) -> pd.Series:
    if "fy_start" in frame.columns:
        return frame["fy_start"].astype("int64")
    return financial_year_starts(to_months(frame["month"]))


def _lookup(frame: pd.DataFrame, benchmarks: Benchmarks, comparator: Comparator) -> pd.DataFrame:
    """The ``value`` and ``source`` of ``comparator`` for each row of ``frame`` (by indicator and
    the financial year of its month), in order; missing where the table has none."""
    keys = pd.DataFrame(
        {
            "indicator": frame["indicator"].astype(str).to_numpy(dtype=object),
            "fy_start": _financial_year_starts(frame).to_numpy(dtype="int64"),
        }
    )
    table = benchmarks.values(comparator).astype({"indicator": object, "fy_start": "int64"})
    found = keys.merge(table, on=["indicator", "fy_start"], how="left", validate="many_to_one")
    found.index = frame.index
    return found[["value", "source"]]


def join_benchmarks(
    rated: pd.DataFrame, benchmarks: Benchmarks, *, level: str = "county"
) -> pd.DataFrame:
    """``rated`` (a frame with ``indicator`` and ``month``, such as :func:`~scorecard.rate`
    returns) with the comparators of each row's indicator and financial year added on the rows
    of ``level`` (all rows when there is no ``level`` column): ``england``, ``england_source``,
    ``region``, ``region_source``, ``neighbours``, ``neighbours_source``; missing elsewhere and
    where the table has no value. A copy: ``rated`` is not modified."""
    if not isinstance(benchmarks, Benchmarks):
        raise UsageError(f"join_benchmarks() needs Benchmarks (see load_benchmarks), got "
                         f"{type(benchmarks).__name__}")  # fmt: skip
    if "level" in rated.columns:
        here = rated["level"].astype("string").eq(level).fillna(False).to_numpy(dtype=bool)
    else:
        here = np.ones(len(rated), dtype=bool)
    added = {}
    for comparator in Comparator:
        found = _lookup(rated, benchmarks, comparator)
        added[comparator.column] = found["value"].astype(float).where(here)
        added[f"{comparator.column}_source"] = found["source"].astype("string").where(here)
    return rated.assign(**added)


def fill_benchmark(frame: pd.DataFrame, benchmarks: Benchmarks,
                   comparator: Comparator = Comparator.ENGLAND) -> pd.Series:  # fmt: skip
    """The ``benchmark`` column of ``frame`` (joined with its thresholds: ``indicator``,
    ``fy_start`` or ``month``, ``method``, ``benchmark``) with the table's value of
    ``comparator`` where the rule is ``benchmark`` and the registry gives none for the year."""
    found = _lookup(frame, benchmarks, comparator)["value"].astype(float)
    use = (frame["method"] == RuleMethod.BENCHMARK.value).fillna(False) & frame["benchmark"].isna()
    return frame["benchmark"].astype(float).where(~use, found)


def resolve_benchmarks(
    benchmarks: Benchmarks | os.PathLike[str] | str | None, registry: Registry
) -> Benchmarks | None:
    """What :func:`~scorecard.compute_scorecard` uses: ``benchmarks`` itself, the table read from
    a path (checked against ``registry``), or, for ``None`` with the bundled registry (read from
    the repository's ``indicators.yaml``), the repository's ``data/benchmarks`` folder when it
    exists; else nothing. A registry of one's own is never paired with the bundled table: give
    its table."""
    if isinstance(benchmarks, Benchmarks):
        return benchmarks
    if isinstance(benchmarks, (str, os.PathLike)):
        return load_benchmarks(benchmarks, registry)
    if benchmarks is not None:
        raise UsageError(
            f"benchmarks: expected Benchmarks, a path or None, got {type(benchmarks).__name__}"
        )
    from scorecard.registry.loader import default_registry_path

    folder = default_benchmarks_folder()
    bundled = registry.sources[:1] == (str(default_registry_path()),)
    if not bundled or not (folder / BENCHMARKS_FILE).is_file():
        return None
    return load_benchmarks(folder, registry)


__all__ = [
    "BENCHMARKS_FILE",
    "BENCHMARK_COLUMNS",
    "BenchmarkError",
    "Benchmarks",
    "Comparator",
    "default_benchmarks_folder",
    "fill_benchmark",
    "join_benchmarks",
    "load_benchmarks",
    "resolve_benchmarks",
    "validate_benchmarks",
]

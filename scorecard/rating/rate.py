"""Rate a long frame of results: thresholds in force, applicability, RAG, direction of travel.

``rate(results, registry)`` takes one row per indicator, organisational unit and month, and returns
the same rows (same index, same order, input not modified) with these columns added:

=================  ==========================================================================
ref, title, group  from the registry
polarity, period   H/L/T and YTD/SS/R12M
value_unit         percent, count, days, ratio or per 10,000
financial_year     the financial year of the month, e.g. ``2015/16``
thresholds_year    the financial year whose thresholds are in force: the month's own, or an
                   earlier one carried forward (``carry_forward`` in the registry); missing
                   when there are none
target ... tol.    the thresholds in force that financial year (``target, floor, green_lower,
                   green_upper, amber_lower, amber_upper, benchmark, tolerance``)
state              a :class:`~scorecard.rating.vocabulary.RatingState` value (categorical
                   ``STATE_DTYPE``): ``rated`` or why not (see below)
rag                ``R``/``A``/``G`` (ordered categorical) when ``state`` is ``rated``, else
                   missing
rag_note           the state in words (why a row has no RAG; for a RAG on thresholds carried
                   forward, which year's they are)
previous_value     the value of the month before for the same indicator and unit (if in the frame)
dot_previous       direction of travel from it: improved / same / worsened
outturn_month      March of the previous financial year
outturn_value      the value of that month (if in the frame)
dot_outturn        direction of travel from the outturn
=================  ==========================================================================

A missing ``value`` is computed as ``numerator * scale / denominator`` (scale 100 for percentages),
or for a count is its ``numerator``; a denominator of 0 gives no value.

``state`` takes the first that holds of: ``not applicable`` (the registry's ``applies_to`` excludes
the unit's ``level``, or a team's ``team_type``), ``extract absent`` (``note`` says the indicator
was not computable), ``no data`` (no value: no records, or a denominator of 0), ``no thresholds``
(none for the financial year), ``not rated at this level`` (the registry's ``rated_at`` excludes
the level), ``below minimum`` (denominator below the minimum), ``rated``. Without a ``level``
column every row is applicable and rated at its level; without ``team_type`` only the level
decides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import assert_never

import numpy as np
import pandas as pd
import pandera.pandas as pa

from scorecard.calendar.periods import (
    financial_year_labels,
    financial_year_starts,
    outturn_month,
    to_months,
)
from scorecard.errors import DataError, UsageError
from scorecard.extracts.arrays import key_groups
from scorecard.extracts.schemas import TEAM_TYPES
from scorecard.rating.rules import direction_codes, rag_codes
from scorecard.rating.vocabulary import DIRECTION_DTYPE, RAG_DTYPE, STATE_DTYPE, RatingState
from scorecard.registry.benchmarks import Benchmarks, Comparator, fill_benchmark
from scorecard.registry.model import Registry, RuleMethod, UnitLevel, ValueUnit

KEY = ["indicator", "unit", "month"]
RESULT_COLUMNS = [*KEY, "numerator", "denominator", "value"]
THRESHOLD_COLUMNS = ["target", "floor", "green_lower", "green_upper", "amber_lower", "amber_upper",
                     "benchmark", "tolerance"]  # fmt: skip

#: A value agrees with its numerator and denominator when it differs from
#: ``numerator * scale / denominator`` by at most this, relatively, or by at most
#: :data:`ROUNDING` (a value rounded to one decimal place, as published).
VALUE_TOLERANCE = 1e-6
ROUNDING = 0.05

#: Most rows named in one message.
_SHOWN = 10


class ResultsError(DataError):
    """A results frame that cannot be rated; the message names the columns and rows at fault."""


def _finite(series: pd.Series) -> pd.Series:
    return pd.Series(np.isfinite(series.to_numpy(dtype=float)) | series.isna().to_numpy(),
                     index=series.index)  # fmt: skip


def _results_schema(registry: Registry, columns: pd.Index) -> pa.DataFrameSchema:
    number = {"nullable": True, "coerce": True}
    finite = pa.Check(_finite, error="finite (not inf or -inf)")
    schema = {
        "indicator": pa.Column(str, pa.Check.isin(registry.ids), nullable=False),
        "unit": pa.Column(str, nullable=False),
        "month": pa.Column(nullable=False),
        "numerator": pa.Column(float, [finite, pa.Check.ge(0)], **number),
        "denominator": pa.Column(float, [finite, pa.Check.ge(0)], **number),
        "value": pa.Column(float, [finite], **number),
    }
    if "level" in columns:
        schema["level"] = pa.Column(str, pa.Check.isin([x.value for x in UnitLevel]), nullable=True)
    if "team_type" in columns:
        schema["team_type"] = pa.Column(str, pa.Check.isin(TEAM_TYPES), nullable=True)
    return pa.DataFrameSchema(schema, unique=KEY, report_duplicates="all")


def validate_results(results: pd.DataFrame, registry: Registry, name: str = "results") -> pd.DataFrame:
    """Check a results frame; return a copy with float measures and monthly-Period ``month``.

    Checks: the columns ``indicator, unit, month, numerator, denominator, value``; known indicators;
    one row per indicator, unit and month; finite numbers; no negative numerator or denominator;
    for a percentage, a numerator at most the denominator and a value in [0, 100]; no negative
    value; a value that agrees with its numerator and denominator; known ``level`` and
    ``team_type`` values when those columns are given. Every problem is collected before one
    :class:`ResultsError` is raised. A column named like one :func:`rate` adds from the registry
    (``ref``, ``title``, the thresholds, ...: a rated frame given back) is refused first.
    """
    if not isinstance(results, pd.DataFrame):
        raise UsageError(
            f"{name}: expected a pandas DataFrame of results (one row per indicator, unit and "
            f"month), got {type(results).__name__}"
        )
    if isinstance(results.columns, pd.MultiIndex):
        raise ResultsError(f"{name}: columns must be single names (not a MultiIndex), such as "
                           f"{', '.join(RESULT_COLUMNS)}")  # fmt: skip
    twice = sorted({str(c) for c in results.columns[results.columns.duplicated()]})
    if twice:
        raise ResultsError(f"{name}: column(s) named more than once: {', '.join(twice)}")
    missing = [c for c in RESULT_COLUMNS if c not in results.columns]
    if missing:
        raise ResultsError(f"{name}: missing column(s) {', '.join(missing)}")
    added = _added_by_rate(registry)
    taken = [c for c in results.columns if c in added]
    if taken:
        raise ResultsError(
            f"{name}: column(s) {', '.join(map(str, taken))} are added by rate from the registry: "
            "drop or rename them (to rate a rated frame again, pass only its result columns)"
        )
    if results.empty:
        raise ResultsError(f"{name}: no rows to rate")
    text = {
        c: results[c].astype("string")
        for c in ("indicator", "unit", "level", "team_type")
        if c in results.columns and isinstance(results[c].dtype, pd.CategoricalDtype)
    }
    if text:
        results = results.assign(**text)  # categories compared as text
    checked = _plainly_valid(results, registry)
    if checked is None:  # the schema finds and words every problem (or passes what is unusual)
        try:
            checked = _results_schema(registry, results.columns).validate(results, lazy=True)
        except pa.errors.SchemaErrors as exc:
            raise ResultsError(f"{name}: {_describe_failures(exc.failure_cases)}") from None
        checked = checked.copy()
    problems = _impossible_values(checked, registry)
    if problems:
        raise ResultsError(f"{name}: {'; '.join(problems)}")
    try:
        checked["month"] = to_months(checked["month"])
    except ValueError as exc:
        raise ResultsError(f"{name}: column month: {exc}") from None
    return checked


def _text_passes(
    column: pd.Series, nullable: bool, allowed: pd.Index | Sequence[str] | None = None
) -> bool:
    """Whether the schema's ``str`` column check surely passes ``column``: Python strings in an
    object column (none missing), or Arrow-backed text (missing only where ``nullable``), all in
    ``allowed`` (when given). False when unsure, not only when it fails."""
    dtype = column.dtype
    if dtype == object:
        if pd.api.types.infer_dtype(column, skipna=False) != "string":
            return False
    elif not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return False
    elif not nullable and bool(column.isna().any()):
        return False
    if allowed is None:
        return True
    present = column.dropna().to_numpy(dtype=object)
    if not isinstance(allowed, pd.Index):
        allowed = pd.Index(pd.unique(pd.Series(list(allowed), dtype=object)), dtype=object)
    return bool((allowed.get_indexer(present) >= 0).all())


def _plainly_valid(results: pd.DataFrame, registry: Registry) -> pd.DataFrame | None:
    """The copy :func:`validate_results` checks further (measures coerced to float) when
    ``results`` surely passes the schema of :func:`_results_schema`, found with a few array tests
    instead of the schema's own (pandera's fixed cost dominates small frames); ``None`` when it
    might not, and the schema is then run, for its own result or its words of every failure."""
    columns = results.columns
    if not (
        _text_passes(results["indicator"], False, registry.memo("rate.ids", _ids))
        and _text_passes(results["unit"], False)
        and ("level" not in columns
             or _text_passes(results["level"], True, [x.value for x in UnitLevel]))
        and ("team_type" not in columns or _text_passes(results["team_type"], True, TEAM_TYPES))
        and bool(results["month"].notna().all())
    ):  # fmt: skip
        return None
    measures = {}
    for column in ("numerator", "denominator", "value"):
        series = results[column]
        if not (isinstance(series.dtype, np.dtype) and series.dtype.kind in "fiu"):
            return None
        numbers = series.to_numpy(dtype=float)
        if np.isinf(numbers).any() or (column != "value" and (numbers < 0).any()):
            return None
        if series.dtype != np.float64:
            measures[column] = series.astype("float64")
    if _repeats_a_key(results):
        return None
    checked = results.copy()
    for column, series in measures.items():
        checked[column] = series
    return checked


def _repeats_a_key(results: pd.DataFrame) -> bool:
    """``results.duplicated(subset=KEY).any()``, from each key column's codes (True, so that the
    schema decides, when a key is missing)."""
    groups = key_groups(results, KEY)
    return groups is None or int(groups.max(initial=-1)) + 1 < len(groups)


def _impossible_values(frame: pd.DataFrame, registry: Registry) -> list[str]:
    """What is impossible across columns, given each indicator's unit (one text per kind)."""
    units = frame["indicator"].map({i.id: i.unit.value for i in registry}).to_numpy(dtype=object)
    percent = units == ValueUnit.PERCENT.value
    has_denominator = np.isin(units, [u.value for u in ValueUnit if u.has_denominator])
    scale = np.select([units == u.value for u in ValueUnit], [u.scale for u in ValueUnit], 1.0)
    numerator = frame["numerator"].to_numpy(dtype=float)
    denominator = frame["denominator"].to_numpy(dtype=float)
    value = frame["value"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.where(has_denominator, numerator * scale / denominator, numerator)
        expected = np.where(has_denominator & (denominator == 0), np.nan, expected)
        above = percent & (numerator > denominator)
        outside = percent & ((value < 0) | (value > 100))
        negative = ~percent & (value < 0)
        known = ~np.isnan(value) & ~np.isnan(numerator) & (~has_denominator | ~np.isnan(denominator))
        gap = np.abs(value - expected)
        agrees = (gap <= ROUNDING) | (gap <= VALUE_TOLERANCE * np.abs(expected))
        disagrees = known & ~agrees  # NaN expected (denominator 0) never agrees
    problems = []
    index = frame.index

    def rows(mask: np.ndarray) -> str:
        labels = list(index[mask][:_SHOWN])
        more = f" and {int(mask.sum()) - _SHOWN} more" if mask.sum() > _SHOWN else ""
        return f"{labels}{more}"

    def shown(values: np.ndarray, mask: np.ndarray) -> list[str]:
        return [f"{v:g}" for v in values[mask][:5]]

    if above.any():
        problems.append(f"column numerator: above the denominator of a percentage in rows "
                        f"{rows(above)} (numerators {shown(numerator, above)}, denominators "
                        f"{shown(denominator, above)})")  # fmt: skip
    if outside.any():
        problems.append(f"column value: a percentage outside [0, 100] in rows {rows(outside)} "
                        f"(values {shown(value, outside)})")  # fmt: skip
    if negative.any():
        problems.append(f"column value: negative (a count, days or ratio cannot be) in rows "
                        f"{rows(negative)} (values {shown(value, negative)})")  # fmt: skip
    if disagrees.any():
        problems.append(f"column value: disagrees with numerator and denominator (numerator x "
                        f"scale / denominator) in rows {rows(disagrees)} (values "
                        f"{shown(value, disagrees)}, computed {shown(expected, disagrees)})")  # fmt: skip
    return problems


def _added_by_rate(registry: Registry) -> frozenset[str]:
    """The columns :func:`rate` takes from the registry by name: a results column of the same
    name would collide with them."""
    return registry.memo("rate.added_by_rate", _columns_added_by_rate)


def _columns_added_by_rate(registry: Registry) -> frozenset[str]:
    own = {"indicator", "unit", "rule", "carry_forward", "fy_start", "financial_year"}
    taken = {*registry.to_frame().columns, *registry.thresholds_frame().columns}
    return frozenset({str(c) for c in taken} - own | {"thresholds_year", "unit_thresholds"})


def _describe_failures(cases: pd.DataFrame) -> str:
    # a column that could not be read as numbers is named by its coercion failure; the checks
    # that then ran on it would only quote the Python error they raised
    failed = cases.loc[cases["check"].astype(str).str.startswith("coerce_dtype"), "column"]
    cases = cases[~(cases["index"].isna() & cases["column"].isin(failed))]
    parts = []
    for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
        rows = [i for i in group["index"].tolist() if pd.notna(i)][:10]
        values = sorted({str(v) for v in group["failure_case"].tolist()})[:5]
        parts.append(f"column {column}: fails {check} in rows {rows} (values {values})")
    return "; ".join(parts)


def rate(
    results: pd.DataFrame,
    registry: Registry,
    *,
    benchmarks: Benchmarks | None = None,
    comparator: Comparator = Comparator.ENGLAND,
) -> pd.DataFrame:
    """Add thresholds in force, state, RAG and directions of travel to ``results`` (see module
    doc), by the thresholds and rules of ``registry`` (required: the engine never reads a registry
    behind the caller's back; ``scorecard.rate`` loads the bundled one when given none). Raises
    :class:`~scorecard.errors.UsageError` when ``results`` is not a DataFrame or ``registry`` not a
    Registry, and :class:`ResultsError` when it cannot be rated.

    ``benchmarks`` (a comparator table, :mod:`scorecard.registry.benchmarks`): an indicator rated
    by the ``benchmark`` rule takes the table's value of ``comparator`` (England by default) for
    a financial year whose thresholds give no ``benchmark``; with no benchmark from either, its
    rows are ``no thresholds``."""
    if not isinstance(results, pd.DataFrame):
        raise UsageError(
            "rate() needs a pandas DataFrame of results (one row per indicator, unit and month), "
            f"got {type(results).__name__}"
        )
    if not isinstance(registry, Registry):
        raise UsageError(f"rate() needs a Registry (see load_registry), got {type(registry).__name__}")
    frame = validate_results(results, registry)
    index = frame.index
    frame = frame.reset_index(drop=True)

    frame["fy_start"] = financial_year_starts(frame["month"])
    frame["financial_year"] = financial_year_labels(frame["fy_start"])
    joined = _with_thresholds(_with_meta(frame, registry), registry)
    if benchmarks is not None:
        joined["benchmark"] = fill_benchmark(joined, benchmarks, comparator)
    joined["thresholds_year"] = joined["thresholds_year"].astype("string")

    numerator = joined["numerator"].to_numpy(dtype=float)
    denominator = joined["denominator"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        computed = np.where(denominator > 0, numerator * joined["scale"] / denominator, np.nan)
    count = (joined["value_unit"] == ValueUnit.COUNT.value).to_numpy()
    computed = np.where(count, numerator, computed)  # a count's value is its numerator
    joined["value"] = joined["value"].fillna(pd.Series(computed, index=joined.index))

    codes = rag_codes(joined)
    applies, level_applies, rated_here = _applicability(joined, registry)
    rated_here |= applies & joined["unit_thresholds"].to_numpy(dtype=bool)  # its own thresholds
    note = joined["note"] if "note" in joined.columns else pd.Series(pd.NA, index=joined.index)
    absent = note.astype("string").str.startswith("not computable").fillna(False).to_numpy(bool)
    no_value = joined["value"].isna().to_numpy()
    no_benchmark = (joined["method"] == RuleMethod.BENCHMARK.value) & joined["benchmark"].isna()
    no_thresholds = (joined["method"].isna() | no_benchmark).to_numpy(dtype=bool)
    below_minimum = denominator < joined["min_denominator"].to_numpy(dtype=float)
    states = [
        (~applies, RatingState.NOT_APPLICABLE),
        (absent, RatingState.EXTRACT_ABSENT),
        (no_value, RatingState.NO_DATA),
        (no_thresholds, RatingState.NO_THRESHOLDS),
        (~rated_here, RatingState.NOT_RATED_AT_LEVEL),
        (below_minimum, RatingState.BELOW_MINIMUM),
    ]
    state = np.select([c for c, _ in states], [s.value for _, s in states], RatingState.RATED.value)
    joined["state"] = pd.Categorical(state, dtype=STATE_DTYPE)
    rated = state == RatingState.RATED.value
    joined["rag"] = pd.Categorical(np.where(rated, codes, None), dtype=RAG_DTYPE)
    joined["rag_note"] = _notes(joined, state, level_applies, note)

    joined = _add_travel(joined)
    joined.index = index
    order = [
        *results.columns,
        "ref", "title", "group", "polarity", "period", "value_unit", "financial_year",
        "thresholds_year", *THRESHOLD_COLUMNS, "state", "rag", "rag_note",
        "previous_value", "dot_previous", "outturn_month", "outturn_value", "dot_outturn",
    ]  # fmt: skip
    return joined[[c for c in dict.fromkeys(order)]]


def _ids(registry: Registry) -> pd.Index:
    return pd.Index(list(registry.ids), dtype=object)


def _indicator_positions(frame: pd.DataFrame, registry: Registry) -> np.ndarray:
    """Each row's indicator as its position in the registry (-1 for one not in it)."""
    ids = registry.memo("rate.ids", _ids)
    return ids.get_indexer(frame["indicator"].to_numpy(dtype=object))


def _with_meta(frame: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """``frame`` (a fresh RangeIndex, every indicator in the registry) with the columns of
    ``registry.to_frame()`` but ``rule``, by position: what a left merge on ``indicator`` gives."""
    key_dtype, meta = registry.memo("rate.meta", _meta_table)
    found = meta.take(_indicator_positions(frame, registry))
    found.index = frame.index
    if frame["indicator"].dtype != key_dtype:  # as a merge gives its key: objects
        frame = frame.assign(indicator=frame["indicator"].astype(object))
    return pd.concat([frame, found], axis=1)


def _meta_table(registry: Registry) -> tuple[object, pd.DataFrame]:
    meta = registry.to_frame().drop(columns="rule")
    return meta["indicator"].dtype, meta.drop(columns="indicator")


class _ThresholdTable:
    """One kind of thresholds of a registry (every unit's, or units' own) as sorted arrays, for
    the look-up of the thresholds in force by :func:`_in_force_at`."""

    def __init__(self, table: pd.DataFrame, ids: pd.Index, units: pd.Index) -> None:
        indicator = ids.get_indexer(table["indicator"].to_numpy(dtype=object))
        unit = units.get_indexer(table["unit"].to_numpy(dtype=object)) if len(units) else 0
        start = table["fy_start"].to_numpy(dtype=np.int64)
        key = _threshold_key(indicator * (len(units) + 1) + unit + 1, start)
        order = np.argsort(key, kind="stable")
        self.key = key[order]
        self.group = (indicator * (len(units) + 1) + unit + 1)[order] if len(table) else key
        self.start = start[order]
        self.carry = table["carry_forward"].to_numpy(dtype=bool)[order]
        self.method = table["method"].to_numpy(dtype=object)[order]
        self.on_boundary = table["on_boundary"].to_numpy(dtype=object)[order]
        self.values = table[THRESHOLD_COLUMNS].to_numpy(dtype=float)[order]
        labels = financial_year_labels(pd.Series(start, dtype=np.int64)).to_numpy(dtype=object)
        self.label = labels[order]


def _threshold_key(group: np.ndarray, start: np.ndarray) -> np.ndarray:
    """One sortable int64 per (group, financial year start): the group in the high bits."""
    return (np.asarray(group, dtype=np.int64) << 32) + (start.astype(np.int64) + (1 << 31))


def _in_force_at(
    table: _ThresholdTable, group: np.ndarray, start: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each (group, year): the position in ``table`` of the row in force (that year's, or the
    latest earlier year's when the row carries forward) and whether there is one."""
    if not len(table.key):
        return np.zeros(len(start), dtype=np.int64), np.zeros(len(start), dtype=bool)
    pos = np.searchsorted(table.key, _threshold_key(group, start), side="right") - 1
    at = np.maximum(pos, 0)
    same = (pos >= 0) & (table.group[at] == group)
    usable = same & ((table.start[at] == start) | table.carry[at])
    return at, usable


def _threshold_tables(
    registry: Registry,
) -> tuple[_ThresholdTable, _ThresholdTable, pd.Index] | None:
    """The registry's thresholds of every unit and units' own (with those units); ``None``
    without any."""
    table = registry.thresholds_frame()
    if table.empty:
        return None
    ids = pd.Index(list(registry.ids), dtype=object)
    own = table[table["unit"].notna()]
    units = pd.Index(pd.unique(own["unit"].to_numpy(dtype=object)), dtype=object)
    general = _ThresholdTable(table[table["unit"].isna()], ids, pd.Index([], dtype=object))
    return general, _ThresholdTable(own, ids, units), units


def _with_thresholds(frame: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """``frame`` with the thresholds in force for each row's indicator, unit and financial year
    (the columns and values of :func:`_with_thresholds_by_merge`), looked up in sorted arrays of
    the registry's thresholds (built once per registry) instead of merges."""
    tables = registry.memo("rate.thresholds", _threshold_tables)
    if tables is None:
        return _with_thresholds_by_merge(frame, registry)
    general, own, units = tables
    indicator = _indicator_positions(frame, registry)
    start = frame["fy_start"].to_numpy(dtype=np.int64)
    at, usable = _in_force_at(general, indicator + 1, start)
    method = np.where(usable, general.method[at], None)
    on_boundary = np.where(usable, general.on_boundary[at], None)
    values = np.where(usable[:, None], general.values[at], np.nan)
    label = np.where(usable, general.label[at], None)
    unit = units.get_indexer(frame["unit"].to_numpy(dtype=object)) if len(units) else None
    if unit is not None:
        group = np.where(unit >= 0, indicator * (len(units) + 1) + unit + 1, -1)
        at, mine = _in_force_at(own, group, start)
        mine &= unit >= 0
        method = np.where(mine, own.method[at], method)
        on_boundary = np.where(mine, own.on_boundary[at], on_boundary)
        values = np.where(mine[:, None], own.values[at], values)
        label = np.where(mine, own.label[at], label)
    else:
        mine = np.zeros(len(frame), dtype=bool)
    text = {"method": method, "on_boundary": on_boundary, "thresholds_year": label}
    found = pd.DataFrame(
        {
            **{c: pd.Series(v, index=frame.index, dtype=object) for c, v in text.items()},
            **{c: values[:, i] for i, c in enumerate(THRESHOLD_COLUMNS)},
            "unit_thresholds": mine,
        },
        index=frame.index,
    )
    return pd.concat([frame, found], axis=1)


def _with_thresholds_by_merge(frame: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """``frame`` with the thresholds in force for each row's indicator, unit and financial year:
    the unit's own (``unit_thresholds``) if it has some, else those of every unit; each is that
    year's or, for an indicator whose thresholds carry forward, the latest earlier year's.
    ``thresholds_year`` says which year's (missing when none are in force) and
    ``unit_thresholds`` whether they are the unit's own.

    The merge way of :func:`_with_thresholds`: its fallback for a registry without thresholds,
    and the reference its test compares with."""
    table = registry.thresholds_frame().drop(columns="financial_year")
    table["fy_start"] = table["fy_start"].astype("int64")
    table["indicator"] = table["indicator"].astype(str).to_numpy(dtype=object)
    keys = pd.DataFrame(
        {
            "indicator": frame["indicator"].astype(str).to_numpy(dtype=object),
            "unit": frame["unit"].astype(str).to_numpy(dtype=object),
            "fy_start": frame["fy_start"].astype("int64").to_numpy(),
        }
    )
    general = table[table["unit"].isna()].drop(columns="unit")
    found = _in_force(keys[["indicator", "fy_start"]], general, ["indicator"])
    found["unit_thresholds"] = False
    own = table[table["unit"].notna()]
    if len(own):
        specific = _in_force(keys, own, ["indicator", "unit"])
        use = specific["thresholds_year"].notna().to_numpy()
        if use.any():  # pandas refuses to set no rows of an int column from an empty object array
            found.loc[use, specific.columns] = specific.loc[use].to_numpy()
        found.loc[use, "unit_thresholds"] = True
        for column in THRESHOLD_COLUMNS:
            found[column] = pd.to_numeric(found[column]).astype(float)
    found["unit_thresholds"] = found["unit_thresholds"].astype(bool)
    found = found.drop(columns=["indicator", "fy_start", "unit"], errors="ignore")
    found.index = frame.index
    return pd.concat([frame, found], axis=1)


def _in_force(keys: pd.DataFrame, table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """For each row of ``keys`` (``by`` columns and ``fy_start``), the row of ``table`` in force:
    the same year's, or the latest earlier year's when its ``carry_forward`` is set; all missing
    when there is none. One row per row of ``keys``, in order, with ``thresholds_year``."""
    pairs = keys.drop_duplicates().sort_values("fy_start")
    rated = table.rename(columns={"fy_start": "thresholds_start"}).sort_values("thresholds_start")
    found = pd.merge_asof(
        pairs, rated, left_on="fy_start", right_on="thresholds_start", by=by,
        direction="backward",
    )  # fmt: skip
    carried = found["thresholds_start"] != found["fy_start"]
    forward = found["carry_forward"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    unusable = found["thresholds_start"].isna().to_numpy() | (carried.to_numpy() & ~forward)
    columns = [c for c in rated.columns if c not in (*by, "carry_forward")]
    found[columns] = found[columns].astype(object)
    found.loc[unusable, columns] = None
    starts = pd.to_numeric(found["thresholds_start"])
    labels = financial_year_labels(starts.fillna(0).astype("int64"))
    found["thresholds_year"] = labels.where(starts.notna(), None).astype(object)
    found = found.drop(columns=["thresholds_start", "carry_forward"])
    out = keys.merge(found, on=[*by, "fy_start"], how="left", validate="many_to_one")
    for column in THRESHOLD_COLUMNS:
        out[column] = pd.to_numeric(out[column]).astype(float)
    return out


def _applicability(frame: pd.DataFrame, registry: Registry) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: whether the indicator applies to the unit, whether it applies at the unit's
    level (whatever the team type), and whether it is rated at that level. Rows without a level
    (no ``level`` column, or a missing level) apply and are rated."""
    n = len(frame)
    everywhere = np.ones(n, dtype=bool)
    if "level" not in frame.columns:
        return everywhere, everywhere.copy(), everywhere.copy()
    table = registry.memo("rate.applicability", _applicability_table)
    indicator = _indicator_positions(frame, registry)
    level = frame["level"].astype("string").fillna("").to_numpy(dtype=object)
    at_level, rated_at = everywhere.copy(), everywhere.copy()
    for unit_level in UnitLevel:
        here = level == unit_level.value
        at_level &= ~here | table[f"applies_{unit_level.value}"][indicator]
        rated_at &= ~here | table[f"rated_{unit_level.value}"][indicator]
    applies = at_level.copy()
    if "team_type" in frame.columns:
        team_type = frame["team_type"].astype("string")
        types, allowed = registry.memo("rate.team_types", _team_type_table)
        kind = types.get_indexer(team_type.fillna("").astype(str).to_numpy(dtype=object))
        pair = indicator * (len(types) + 1) + kind + 1
        ok = (np.isin(pair, allowed) & (kind >= 0)) | table["any_team_type"][indicator]
        typed_team = (level == UnitLevel.TEAM.value) & team_type.notna().to_numpy()
        applies &= ~typed_team | ok
    return applies, at_level, rated_at & applies


def _applicability_table(registry: Registry) -> dict[str, np.ndarray]:
    """``registry.applicability_frame()`` as bool arrays by indicator position."""
    table = registry.applicability_frame()
    return {str(c): table[c].to_numpy(dtype=bool) for c in table.columns if c != "indicator"}


def _team_type_table(registry: Registry) -> tuple[pd.Index, np.ndarray]:
    """The team types named in the registry, and the (indicator position, team type position)
    pairs of ``registry.team_types_frame()`` coded as in :func:`_applicability`."""
    pairs = registry.team_types_frame()
    types = pd.Index(pd.unique(pairs["team_type"].to_numpy(dtype=object)), dtype=object)
    ids = pd.Index(list(registry.ids), dtype=object)
    indicator = ids.get_indexer(pairs["indicator"].to_numpy(dtype=object))
    kind = types.get_indexer(pairs["team_type"].to_numpy(dtype=object))
    return types, indicator * (len(types) + 1) + kind + 1


def _notes(frame: pd.DataFrame, state: np.ndarray, level_applies: np.ndarray,
           note: pd.Series) -> pd.Series:  # fmt: skip
    """The state of each row in words (``rag_note``), built on the rows of each state only."""
    blank = pd.Series("", index=frame.index, dtype=object)
    level = frame["level"].astype("string").fillna("") if "level" in frame.columns else blank
    team_type = (
        frame["team_type"].astype("string").fillna("") if "team_type" in frame.columns else blank
    )
    year, used = frame["financial_year"], frame["thresholds_year"]
    out = pd.Series(pd.NA, index=frame.index, dtype="string")
    for kind in RatingState:
        rows = state == kind.value
        if not rows.any():
            continue
        match kind:
            case RatingState.NOT_APPLICABLE:
                text = pd.Series(
                    np.where(level_applies[rows],
                             "does not apply to teams of type " + team_type[rows],
                             "does not apply at " + level[rows] + " level"),
                    index=frame.index[rows],
                )  # fmt: skip
            case RatingState.EXTRACT_ABSENT:
                text = note[rows]
            case RatingState.NO_DATA:
                text = pd.Series("no result", index=frame.index[rows])
            case RatingState.NO_THRESHOLDS:
                text = "no thresholds for " + year[rows]
            case RatingState.NOT_RATED_AT_LEVEL:
                text = "not rated at " + level[rows] + " level: the thresholds hold for other levels only"
            case RatingState.BELOW_MINIMUM:
                minimum = frame.loc[rows, "min_denominator"].fillna(0).astype(int).astype(str)
                text = "denominator below the minimum of " + minimum
            case RatingState.RATED:
                carried = (used[rows].notna() & (used[rows] != year[rows])).to_numpy(dtype=bool)
                text = pd.Series(
                    np.where(carried, "rated on the " + used[rows].fillna("").astype(str)
                             + " thresholds, carried forward", None),
                    index=frame.index[rows],
                )  # fmt: skip
            case _:
                assert_never(kind)
        out[rows] = text.astype("string").to_numpy()
    return out


def _add_travel(frame: pd.DataFrame) -> pd.DataFrame:
    """Previous-month and outturn values, and directions of travel from them (a look-up of each
    row's indicator, unit and earlier month among the rows, as a left merge on them would)."""
    if "previous_month" in frame.columns:  # a results column of that name: as it always was
        frame["previous_month"] = frame["month"] - 1
    frame["outturn_month"] = outturn_month(frame["month"])
    month = pd.PeriodIndex(frame["month"]).asi8
    value = frame["value"].to_numpy(dtype=float)
    find = _row_finder(frame, month)
    for name, wanted in (("previous", month - 1),
                         ("outturn", pd.PeriodIndex(frame["outturn_month"]).asi8)):  # fmt: skip
        row, found = find(wanted)
        frame[f"{name}_value"] = np.where(found, value[row], np.nan)
        frame[f"dot_{name}"] = pd.Categorical(
            direction_codes(
                value,
                frame[f"{name}_value"].to_numpy(dtype=float),
                frame["sign"].to_numpy(dtype=float),
                frame["target"].to_numpy(dtype=float),
            ),
            dtype=DIRECTION_DTYPE,
        )
    return frame


def _row_finder(
    frame: pd.DataFrame, month: np.ndarray
) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """A function of month ordinals (one per row) giving, per row, the row of the same indicator
    and unit in that month and whether there is one (rows unique by indicator, unit, month)."""
    indicator, _ = pd.factorize(frame["indicator"].to_numpy(dtype=object))
    unit, units = pd.factorize(frame["unit"].to_numpy(dtype=object))
    series = indicator.astype(np.int64) * len(units) + unit
    first, last = int(month.min()), int(month.max())
    span = last - first + 1
    key = series * span + (month - first)
    order = np.argsort(key, kind="stable")
    keys = key[order]

    def find(wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        inside = (wanted >= first) & (wanted <= last)
        sought = series * span + (np.clip(wanted, first, last) - first)
        pos = np.minimum(np.searchsorted(keys, sought), len(keys) - 1)
        found = inside & (keys[pos] == sought)
        return order[pos], found

    return find

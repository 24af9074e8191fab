"""Compute every indicator of a registry for a range of months and every organisational unit."""

from __future__ import annotations

import difflib
import numbers
import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scorecard.calendar.periods import to_month
from scorecard.errors import DataError, UsageError
from scorecard.extracts.container import Extracts
from scorecard.extracts.ready import check_ready
from scorecard.measures.activity import compute_activity
from scorecard.measures.aggregate import RESULT_COLUMNS, Level, UnitGrid, unit_table
from scorecard.measures.base import (
    RECORD_COLUMNS,
    Measure,
    MeasureInput,
    NotComputable,
    record_text,
    registered_measures,
    sharing,
)
from scorecard.measures.codes import coded_extracts
from scorecard.registry.contract import contract_issues
from scorecard.registry.loader import RegistryError, RegistryIssue
from scorecard.registry.model import Registry

DEFAULT_COUNTY = "County"

#: Set this environment variable (the test suite does) to let a failing measure raise instead of
#: becoming its indicator's note ("failed: ...").
RAISE_FAILURES = "SCORECARD_RAISE_MEASURE_FAILURES"


class MeasureFailedWarning(UserWarning):
    """A measure raised an error: its indicator's note says "failed: ..." and the run went on."""


class UnknownNameError(UsageError, KeyError):
    """An indicator, unit or month that is not in the scorecard; the message says what is (close
    names first). A ``KeyError`` too, as a lookup that fails."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class NotComputedError(DataError, KeyError):
    """The indicator is known but has no record-level rows: it was not computed (the message
    says why, from its ``note``)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _fold(text: object) -> str:
    """``text`` compared without case or runs of spaces."""
    return " ".join(str(text).split()).casefold()


def _close(key: str, names: Iterable[str], limit: int = 5) -> list[str]:
    """The names of ``names`` closest to ``key`` (case and spacing ignored), best first; then
    those containing it."""
    by_fold: dict[str, str] = {}
    for name in names:
        by_fold.setdefault(_fold(name), name)
    folded = _fold(key)
    close = difflib.get_close_matches(folded, list(by_fold), n=limit, cutoff=0.6)
    within = [f for f in by_fold if folded and folded in f and f not in close]
    return [by_fold[f] for f in [*close, *within][:limit]]


def find_indicator(registry: Registry | None, indicator: object, known: Iterable[str] = ()) -> str:
    """The id of the indicator that ``indicator`` names: its ref (an int, or digits as text), its
    id or its measure's id, or its title; ids and titles in any case and spacing.

    Without a registry, only the ids of ``known`` are matched. Raises :class:`UnknownNameError`
    listing the closest ids and titles.
    """
    indicators = list(registry) if registry is not None else []
    ids = [i.id for i in indicators] or list(dict.fromkeys(str(k) for k in known))
    if isinstance(indicator, bool) or not isinstance(indicator, numbers.Integral | str):
        raise UnknownNameError(f"an indicator is named by its ref (a whole number), id or title, "
                               f"not {indicator!r}")  # fmt: skip
    text = str(indicator).strip()
    if isinstance(indicator, numbers.Integral) or text.isdigit():
        ref = int(text)
        found = [i.id for i in indicators if i.ref == ref]
        if found:
            return found[0]
        refs = sorted(i.ref for i in indicators)
        known_refs = f" (refs {refs[0]} to {refs[-1]})" if refs else " (no registry to look it up)"
        raise UnknownNameError(f"no indicator with ref {ref}{known_refs}")
    if text in ids:
        return text
    folded = _fold(text)
    matches = [i for i in ids if _fold(i) == folded]
    if not matches and indicators:
        matches = [i.id for i in indicators if folded in (_fold(i.title), _fold(i.measure_id))]
    if len(matches) == 1:
        return matches[0]
    if matches:  # one measure computing several indicators
        raise UnknownNameError(f"{text!r} names {len(matches)} indicators: "
                               f"{', '.join(matches)}; give one of their ids")  # fmt: skip
    described = {i.id: f"{i.id} (ref {i.ref}: {i.title})" for i in indicators}
    titles = {i.title: described[i.id] for i in indicators}
    suggestions = [described.get(n, titles.get(n, n)) for n in _close(text, [*ids, *titles])]
    hint = (
        "; did you mean " + ", ".join(dict.fromkeys(suggestions)) + "?"
        if suggestions
        else " (give a ref, an id or a title; the registry lists them)"
    )
    raise UnknownNameError(f"no indicator named {text!r}{hint}")


def find_unit(units: Iterable[str], unit: object) -> str:
    """The name among ``units`` that ``unit`` names: exactly, else in any case and spacing.
    Raises :class:`UnknownNameError` listing the closest names."""
    names = list(dict.fromkeys(str(u) for u in units))
    if not isinstance(unit, str):
        raise UnknownNameError(f"a unit is named by its name (text), not {unit!r}")
    if unit in names:
        return unit
    matches = [n for n in names if _fold(n) == _fold(unit)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UnknownNameError(f"{unit!r} matches {len(matches)} units that differ only in case: "
                               f"{matches}; give the exact name")  # fmt: skip
    close = _close(unit, names)
    hint = (
        f"; did you mean {', '.join(repr(n) for n in close)}?"
        if close
        else f"; the units are {', '.join(repr(n) for n in names[:12])}"
        + (f" and {len(names) - 12} more" if len(names) > 12 else "")
    )
    raise UnknownNameError(f"no unit named {unit!r}{hint}")


@dataclass(frozen=True)
class Computation:
    """The results of a run and the record-level rows behind them.

    ``results``: one row per indicator, unit and month (``indicator, unit, level, team_type, month,
    numerator, denominator, value, note``), ready for :func:`scorecard.rating.rate`. ``team_type``
    is the organisation's type of a team (missing for areas and the county); with ``level`` it
    decides whether an indicator applies to the unit. ``note`` says why an indicator could not be
    computed. ``records``: the record-level rows of each computed indicator
    (built again on demand, one indicator at a time, so that a run does not hold them all).
    ``activity``: the counts of the activity page (see :mod:`scorecard.measures.activity`); it may
    be given as a function that builds them, called when ``activity`` is first read.
    ``registry``: the registry computed (lets :meth:`drill_down` take a ref or a title).
    """

    results: pd.DataFrame
    records: Mapping[str, pd.DataFrame]
    units: pd.DataFrame
    activity: pd.DataFrame
    registry: Registry | None = None

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if name == "activity" and callable(value):  # built when first read, then kept
            value = value()
            object.__setattr__(self, "activity", value)
        return value

    def drill_down(self, indicator: str | int, unit: str, month: object) -> pd.DataFrame:
        """The records in the denominator of ``indicator`` for ``unit`` in ``month``.

        ``indicator``: its ref (``14`` or ``"14"``), id or title (any case, see
        :func:`find_indicator`); ``unit``: a team, area or the county, in any case. An unknown
        indicator, unit or month raises :class:`UnknownNameError` (close names listed); an
        indicator that was not computed, :class:`NotComputedError` with its note.

        Columns ``record_id, child_id, team, numerator, denominator, in_numerator, reason``,
        then the dates and quantities the measure's rule used, where it gives them (e.g.
        ``referral_date, previous_referral_date``); ``reason`` says why the record is in the
        numerator or not (missing where the measure does not say). The sums of ``numerator`` and
        ``denominator`` are the unit's figures. For analysts: contains person-level ids.
        """
        indicator = find_indicator(self.registry, indicator, self.results["indicator"].unique())
        if indicator not in self.records:
            notes = self.results.loc[self.results["indicator"] == indicator, "note"].dropna()
            why = str(notes.iloc[0]) if len(notes) else "not computed in this run"
            raise NotComputedError(f"no record-level rows for {indicator!r}: {why}")
        unit = find_unit(self.units["unit"], unit)
        period = to_month(month)
        computed = pd.PeriodIndex(self.results["month"].unique(), freq="M").sort_values()
        if period not in computed:
            raise UnknownNameError(f"{period} was not computed (months {computed[0]} to "
                                   f"{computed[-1]})" if len(computed) else
                                   f"{period} was not computed (no months)")  # fmt: skip
        teams = self.units.loc[self.units["unit"] == unit, "team"]
        rows = self.records[indicator]
        chosen = rows[(rows["month"] == period) & rows["team"].isin(teams)]
        out = chosen[["record_id", "child_id", "team", "numerator", "denominator"]].copy()
        out["in_numerator"] = out["numerator"] > 0
        out["reason"] = (
            chosen["reason"].astype("string")
            if "reason" in chosen.columns
            else pd.Series(pd.NA, index=chosen.index, dtype="string")
        )
        extra = [c for c in chosen.columns if c not in RECORD_COLUMNS and c != "reason"]
        out[extra] = chosen[extra]
        return out.sort_values(["team", "record_id"]).reset_index(drop=True)


def month_range(first: object, last: object) -> pd.PeriodIndex:
    """The reporting months from ``first`` to ``last`` inclusive."""
    return pd.period_range(to_month(first), to_month(last), freq="M")


def compute(
    extracts: Extracts,
    months: Iterable[object] | pd.PeriodIndex,
    registry: Registry,
    county: str = DEFAULT_COUNTY,
    indicators: Iterable[str] | None = None,
) -> Computation:
    """Compute ``indicators`` (default: all in the registry) for ``months`` and every unit.

    ``extracts`` must carry the organisation table. An indicator whose measure needs an absent
    extract is reported in ``note`` as not computable (value missing, never 0).

    The activity page's counts are computed with the indicators (sharing their intermediate
    frames) when every indicator of the registry is asked for, as for a scorecard; for a
    selection of ``indicators`` they are computed only if :attr:`Computation.activity` is read.
    """
    check_ready(extracts, county)  # validated extracts with an organisation table, sane names
    if not isinstance(registry, Registry):  # never the bundled one behind the caller's back
        raise UsageError(f"compute() needs a Registry (see load_registry; scorecard.compute loads "
                         f"the bundled one when given none), got {type(registry).__name__}")  # fmt: skip
    months = pd.PeriodIndex([to_month(m) for m in months], freq="M").unique().sort_values()
    units = unit_table(extracts.organisation, county)
    measures = registered_measures()
    check_contract(registry, measures)
    wanted = list(indicators) if indicators is not None else list(registry.ids)
    coded = coded_extracts(extracts)
    activity: pd.DataFrame | Callable[[], pd.DataFrame]
    with sharing(coded):
        results, computed = _compute_all(coded, months, registry, wanted, measures, units)
        if indicators is None:
            activity = compute_activity(coded, months, units)
        else:
            activity = _activity_later(extracts, months, units)
    del coded
    records = RecordRows(extracts, months, registry, measures, tuple(computed))
    results["team_type"] = team_types_of(results, extracts.organisation)
    columns = [*RESULT_COLUMNS[:3], "team_type", *RESULT_COLUMNS[3:], "note"]
    return Computation(results[columns], records, units, activity, registry)  # type: ignore[arg-type]


def _activity_later(
    extracts: Extracts, months: pd.PeriodIndex, units: pd.DataFrame
) -> Callable[[], pd.DataFrame]:
    """A function computing the activity counts of ``extracts`` (as :func:`compute` would)."""

    def build() -> pd.DataFrame:
        coded = coded_extracts(extracts)
        with sharing(coded):
            return compute_activity(coded, months, units)

    return build


def team_types_of(results: pd.DataFrame, organisation: pd.DataFrame) -> pd.Series:
    """The organisation's ``team_type`` of each team row of ``results`` (missing for area and
    county rows, and when the organisation table has no ``team_type``)."""
    out = pd.Series(pd.NA, index=results.index, dtype="string")
    if "team_type" not in organisation.columns:
        return out
    types = pd.Series(
        organisation["team_type"].astype("string").to_numpy(),
        index=organisation["team"].astype("string").to_numpy(),
    )
    types = types[~types.index.duplicated()]
    teams = (results["level"] == Level.TEAM.value).to_numpy()
    found = types.reindex(results.loc[teams, "unit"].astype("string").to_numpy())
    out[teams] = found.to_numpy()
    return out


class RecordRows(Mapping[str, pd.DataFrame]):
    """The record-level rows of the computed indicators, built when first asked for.

    Measures are pure, so building an indicator's rows again gives the rows its results were
    summed from; keeping all 44 indicators' rows after a run would dominate its memory.
    """

    def __init__(
        self,
        extracts: Extracts,
        months: pd.PeriodIndex,
        registry: Registry,
        measures: Mapping[str, Measure],
        computed: tuple[str, ...],
    ) -> None:
        self._args = (extracts, months, registry, measures)
        self._computed = computed
        self._cache: dict[str, pd.DataFrame] = {}

    def __getitem__(self, indicator: str) -> pd.DataFrame:
        if indicator not in self._computed:
            raise KeyError(indicator)
        if indicator not in self._cache:
            extracts, months, registry, measures = self._args
            rows = measures[registry[indicator].measure_id].function(
                MeasureInput(extracts, months, registry[indicator], detail=True)
            )
            # keep only the latest: drill-downs go one indicator at a time
            self._cache = {indicator: record_text(rows)}
        return self._cache[indicator]

    def __iter__(self) -> Iterator[str]:
        return iter(self._computed)

    def __len__(self) -> int:
        return len(self._computed)


def _compute_all(
    extracts: Extracts,
    months: pd.PeriodIndex,
    registry: Registry,
    wanted: list[str],
    measures: Mapping[str, Measure],
    units: pd.DataFrame,
) -> tuple[pd.DataFrame, list[str]]:
    """The results of the wanted indicators (with ``note``) and the ids of those computed."""
    grid = UnitGrid(units, months)
    parts, notes, computed = [], [], []
    for indicator_id in wanted:
        indicator = registry[indicator_id]
        found = measures.get(indicator.measure_id)
        note = None
        if indicator.supplied is not None:
            note = f"not computed: supplied from outside the library ({indicator.supplied})"
            found = None
        else:
            assert found is not None  # check_contract refused indicators without a measure
            absent = [name for name in found.needs if extracts.get(name) is None]
            if absent:
                note = f"not computable: extract(s) absent: {', '.join(absent)}"
        sums = None
        if note is None:
            assert found is not None
            try:
                # only summed: a measure may give summed rows (the same sums; see MeasureInput)
                rows = found.function(MeasureInput(extracts, months, indicator, summed=True))
            except NotComputable as exc:
                note = f"not computable: {exc}"
            except Exception as exc:  # one failing measure must not abort the others
                if os.environ.get(RAISE_FAILURES):
                    raise
                note = f"failed: {type(exc).__name__}: {exc}"
                warnings.warn(f"{indicator_id} (ref {indicator.ref}): measure {found.indicator!r} "
                              f"failed: {type(exc).__name__}: {exc}", MeasureFailedWarning,
                              stacklevel=2)  # fmt: skip
            else:
                try:
                    _check_rows(rows, indicator_id, units)
                except ValueError:  # said of the records, as ever (summed rows name none)
                    del rows
                    _check_rows(found.function(MeasureInput(extracts, months, indicator)),
                                indicator_id, units)  # fmt: skip
                    raise
                computed.append(indicator_id)
                sums = grid.sums(rows)
                del rows
        parts.append((indicator.id, indicator.unit, sums))
        notes.append(note)
    results = grid.results(parts)
    per_indicator = len(results) // len(parts) if parts else 0
    results["note"] = pd.Series(
        np.repeat(np.array(notes, dtype=object), per_indicator), dtype="string"
    )
    return results, computed


def check_contract(registry: Registry, measures: Mapping[str, Measure]) -> None:
    """Raise :class:`RegistryError` (file and line of each problem) when ``registry`` does not fit
    the measures: an indicator without a measure, an undeclared or out-of-range parameter."""
    found = contract_issues(registry, {k: m.contract for k, m in measures.items()})
    if found:
        raise RegistryError(RegistryIssue(i.file, i.line, i.path, i.message) for i in found)


def _check_rows(rows: pd.DataFrame, indicator: str, units: pd.DataFrame) -> None:
    missing = [c for c in RECORD_COLUMNS if c not in rows.columns]
    if missing:
        raise TypeError(f"measure {indicator!r} returned no column(s) {missing}")
    team = rows["team"]
    if isinstance(team.dtype, pd.CategoricalDtype):  # look up each category once
        known = np.append(team.cat.categories.isin(units["team"]), False)  # code -1: missing
        codes = team.cat.codes.to_numpy()
        if known[:-1].all() and codes.min(initial=0) >= 0:  # every category known, none missing
            return
        unknown = pd.Series(~known[codes], index=rows.index)
    else:
        unknown = ~team.isin(units["team"])
    if unknown.any():
        ids = rows.loc[unknown, "record_id"].head(10).tolist()
        teams = sorted(rows.loc[unknown, "team"].astype("string").fillna("<missing>").unique())[:10]
        raise ValueError(
            f"{indicator}: {int(unknown.sum())} record(s) belong to team(s) not in the "
            f"organisation table {teams} (records {ids})"
        )

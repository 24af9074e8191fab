"""Roll record-level rows up to teams, areas and the county.

A team's numerator and denominator are the sums of its records' contributions; an area's and the
county's are the sums over their teams (teams with a blank area roll up to the county directly).
Every unit gets a row for every month, so a unit with nothing to count shows a denominator of 0
(no result) rather than disappearing; a count indicator shows 0.
"""

from __future__ import annotations

from enum import Enum

import numpy as np
import pandas as pd

from scorecard.measures.base import month_positions
from scorecard.measures.kernels import whole_below_limit
from scorecard.registry.model import ValueUnit


class Level(str, Enum):
    TEAM = "team"
    AREA = "area"
    COUNTY = "county"


RESULT_COLUMNS = ["indicator", "unit", "level", "month", "numerator", "denominator", "value"]


def unit_table(organisation: pd.DataFrame, county: str) -> pd.DataFrame:
    """``team -> unit, level`` pairs: a team belongs to the county, its area (if any) and itself."""
    teams = organisation["team"].astype("string")
    areas = organisation["area"].astype("string")
    parts = [  # county first, then areas, then teams: the order reports show them in
        pd.DataFrame({"team": teams, "unit": county, "level": Level.COUNTY.value}),
        pd.DataFrame({"team": teams, "unit": areas, "level": Level.AREA.value})[areas.notna()],
        pd.DataFrame({"team": teams, "unit": teams, "level": Level.TEAM.value}),
    ]
    return pd.concat(parts, ignore_index=True)


def result_values(numerator: pd.Series, denominator: pd.Series, unit: ValueUnit) -> pd.Series:
    """``numerator * scale / denominator``; a count's value is its numerator; 0 denominator -> NA."""
    if not unit.has_denominator:
        return numerator.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = numerator * unit.scale / denominator
    return values.where(denominator > 0)


class UnitGrid:
    """Every unit of ``units`` by every month of ``months``: sums record-level rows into results.

    Built once per computation and used for every indicator. Rows are summed into team x month
    cells, then cells into unit x month, on integer keys, missing values skipped. Whole-number
    contributions (flags, counts, days) are summed with ``bincount``, exact in any order; others
    by pandas' grouped sums, one column at a time, as the roll-up always summed them.
    """

    def __init__(self, units: pd.DataFrame, months: pd.PeriodIndex) -> None:
        self.months = months
        self.teams = pd.Index(units["team"].unique())
        # units: one per (unit, level), in order of first appearance; each sums its teams' cells
        which, self._distinct = pd.factorize(pd.MultiIndex.from_frame(units[["unit", "level"]]))
        self._member = self.teams.get_indexer(units["team"])
        self._unit_cell = (which[:, None] * len(months) + np.arange(len(months))).ravel()
        ordinals = np.asarray(months.asi8, dtype=np.int64)
        consecutive = len(ordinals) and (ordinals == ordinals[0] + np.arange(len(ordinals))).all()
        #: the first month's ordinal when the months are consecutive and in order, else None
        self._first = int(ordinals[0]) if consecutive else None
        self._size = len(self._distinct) * len(months)
        self._unit = pd.Series(
            np.repeat(self._distinct.get_level_values(0).to_numpy(), len(months)),
            dtype=units["unit"].dtype,
        )
        self._level = pd.Series(
            np.repeat(self._distinct.get_level_values(1).to_numpy(), len(months)),
            dtype=units["level"].dtype,
        )

    def sums(self, rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Numerator and denominator sums per unit and month (unit-major) of record-level
        ``rows``; a unit with nothing to count sums to 0. Rows of other months are left out;
        every team of ``rows`` must be in the grid's units (the caller checks)."""
        team = _positions(self.teams, rows["team"])
        # each row's cell, in the integers ``bincount`` counts with: the team's first cell...
        cell = np.multiply(team, len(self.months), dtype=np.intp)
        kept = self._add_month_positions(cell, rows["month"])  # ... plus the month's position
        kept &= team >= 0

        numerator = rows["numerator"].to_numpy(dtype=float)
        denominator = rows["denominator"].to_numpy(dtype=float)
        if not kept.all():
            cell, numerator, denominator = cell[kept], numerator[kept], denominator[kept]
        flagged = _flags_of_records(numerator, denominator)
        if flagged is not None:  # the usual rows: one count of (cell, flag) pairs gives both
            return self._flag_sums(cell, flagged)
        present = ~np.isnan(numerator), ~np.isnan(denominator)  # (missing values are skipped)
        if _whole(numerator, present[0]) and _whole(denominator, present[1]):
            # whole numbers (flags, counts, days) add up exactly in any order
            return (self._whole_sums(cell, numerator, present[0]),
                    self._whole_sums(cell, denominator, present[1]))  # fmt: skip
        # pandas' grouped sums, one column at a time (pandas' result can differ in the last bit
        # between a column summed alone and several summed together); missing values are
        # skipped and min_count=1 leaves a cell with none missing
        grid = np.full((len(self.teams) * len(self.months), 2), np.nan)
        for position, values in enumerate((numerator, denominator)):
            by_cell = pd.Series(values).groupby(cell).sum(min_count=1)
            grid[by_cell.index.to_numpy(), position] = by_cell.to_numpy()
        per_team = grid.reshape(len(self.teams), len(self.months), 2)[self._member].reshape(-1, 2)
        sums = []
        for position in (0, 1):
            by_unit = pd.Series(per_team[:, position]).groupby(self._unit_cell).sum()
            sums.append(by_unit.reindex(np.arange(self._size), fill_value=0.0).to_numpy())
        return sums[0], sums[1]  # a missing team sum adds nothing

    def _add_month_positions(self, cell: np.ndarray, month: pd.Series) -> np.ndarray:
        """Add to ``cell`` (in place) the position of each row's month among the grid's months;
        whether the month is among them (where not, ``cell`` is left meaningless)."""
        if not (
            isinstance(month.dtype, pd.PeriodDtype)
            and month.dtype.freq == self.months.freq
            and self.months.is_unique  # (else get_indexer refuses, as it always did)
        ):
            found = self.months.get_indexer(pd.PeriodIndex(month, freq=self.months.freq))
        elif self._first is None:
            found = month_positions(month, self.months)  # on the months' ordinals, no hashing
        else:  # consecutive months in order: a month's position is its ordinal less the first's
            since = np.asarray(month.array.asi8, dtype=np.int64) - self._first
            np.add(cell, since, out=cell, casting="unsafe")  # (wrong only where not kept)
            # as unsigned, a month before the first (or NaT, the smallest int64) wraps round to a
            # huge number: one comparison finds the months among the grid's
            return since.view(np.uint64) < len(self.months)
        cell += found
        return found >= 0

    def _whole_sums(self, cell: np.ndarray, values: np.ndarray, counted: np.ndarray) -> np.ndarray:
        """Sums per unit and month of whole-number ``values`` where ``counted`` (not missing)."""
        if not counted.all():
            cell, values = cell[counted], values[counted]
        size = len(self.teams) * len(self.months)
        return self._unit_sums(np.bincount(cell, weights=values, minlength=size))

    def _flag_sums(self, cell: np.ndarray, flagged: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Numerator and denominator sums per unit and month of rows each counting 1 in the
        denominator and ``flagged`` (0 or 1) in the numerator: how many rows of each cell are
        flagged and how many there are, from one count of the pairs ``(cell, flag)`` (whole
        numbers: the same sums as adding the rows' values)."""
        size = len(self.teams) * len(self.months)
        pairs = np.multiply(cell, 2)
        pairs += flagged
        counts = np.bincount(pairs, minlength=2 * size).reshape(size, 2)
        return (self._unit_sums(counts[:, 1].astype(float)),
                self._unit_sums((counts[:, 0] + counts[:, 1]).astype(float)))  # fmt: skip

    def _unit_sums(self, by_cell: np.ndarray) -> np.ndarray:
        """Sums per unit and month of the team x month sums ``by_cell`` (floats, team-major)."""
        per_team = by_cell.reshape(len(self.teams), len(self.months))[self._member].ravel()
        return np.bincount(self._unit_cell, weights=per_team, minlength=self._size)

    def results(
        self, parts: list[tuple[str, ValueUnit, tuple[np.ndarray, np.ndarray] | None]]
    ) -> pd.DataFrame:
        """``RESULT_COLUMNS`` for each ``(name, unit, sums)`` (``sums`` ``None``: all missing),
        one block of units x months per name, in order."""
        if not parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in RESULT_COLUMNS})
        missing = np.full(self._size, np.nan)
        numerators, denominators, values = [], [], []
        for _name, unit, sums in parts:
            numerator, denominator = sums if sums is not None else (missing, missing)
            denominator = denominator if unit.has_denominator else missing
            numerators.append(numerator)
            denominators.append(denominator)
            values.append(result_values(pd.Series(numerator), pd.Series(denominator), unit))
        numerator, denominator = np.concatenate(numerators), np.concatenate(denominators)
        value = np.concatenate([v.to_numpy(dtype=float) for v in values])
        n = len(parts)
        out = pd.DataFrame(
            {
                "indicator": pd.Series(np.repeat([p[0] for p in parts], self._size), dtype="str"),
                "unit": pd.concat([self._unit] * n, ignore_index=True),
                "level": pd.concat([self._level] * n, ignore_index=True),
                "month": self.months[np.tile(np.arange(len(self.months)), len(self._distinct) * n)],
                "numerator": numerator,
                "denominator": denominator,
                "value": value,
            }
        )
        return out


def roll_up(
    rows: pd.DataFrame,
    name: str,
    unit: ValueUnit,
    months: pd.PeriodIndex,
    units: pd.DataFrame,
) -> pd.DataFrame:
    """Results named ``name`` (an indicator id) for every unit of ``units`` and every month, from
    record-level ``rows`` measured in ``unit``: one row per unit (in the order of ``units``) and
    month (in the order of ``months``), the sums of the numerators and denominators of the unit's
    teams' rows in that month (see :class:`UnitGrid`)."""
    grid = UnitGrid(units, months)
    return grid.results([(name, unit, grid.sums(rows))])


def _whole(values: np.ndarray, present: np.ndarray | None = None) -> bool:
    """Whether every present value is a whole number and their magnitudes sum below 2**52
    (:func:`~scorecard.measures.kernels.whole_below_limit`; ``present``: where ``values`` are not
    missing, when already known): the order of the sum cannot then change the answer."""
    present = ~np.isnan(values) if present is None else present
    flags = values == 0.0
    flags |= values == 1.0
    if np.all(flags, where=present):  # flags and counts of one (the usual): fewer than 2**52
        return True
    return whole_below_limit(values, present)


def _flags_of_records(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray | None:
    """When every denominator is 1 and every numerator 0 or 1 (none missing), the numerators as
    0/1 integers (``uint8``); else ``None``."""
    ones = denominator == 1.0
    if not ones.all():
        return None
    flagged = np.equal(numerator, 1.0, out=ones)  # (reused: the denominators are done with)
    if not (flagged | (numerator == 0.0)).all():
        return None
    return flagged.view(np.uint8)


def _positions(index: pd.Index, values: pd.Series) -> np.ndarray:
    """Position of each value in ``index`` (-1 if absent), by category for a ``Categorical``."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        # (a missing value's code, -1, reads the -1 appended; int32 unless the index is huge)
        of_category = np.append(index.get_indexer(values.cat.categories), -1)
        return of_category.astype(np.int32 if len(index) < 2**31 - 1 else np.int64)[
            values.cat.codes.to_numpy()
        ]
    return index.get_indexer(values)

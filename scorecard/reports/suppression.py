"""Suppression of small numbers that cannot be undone by sums over the organisation.

Primary suppression
    A cell (one indicator, unit and month of the results; one activity, unit and month of the
    activity table) is withheld when a count in it is from 1 to ``below - 1``: the numerator or,
    for percentages, days and ratios, the denominator; the count of an activity. Zero is never a
    primary suppression (DfE practice: a zero discloses nothing about a child).

Secondary (complementary) suppression
    Every figure published is additive over the organisation: the county's numerator is the sum of
    its areas' and of the teams directly under it, an area's the sum of its teams'; the same for
    denominators (percent, days, ratio) and activity counts. A withheld cell in a group
    ``parent = child_1 + ... + child_n`` whose other cells are all published is the parent minus
    the others (the issue's example: North 9/23, Team B 8/20, so Team A is 1/3). So, as in the
    GSS/DfE guidance, in any group with exactly one unknown cell (withheld, or not published at
    all) that is withheld, one more cell is withheld: the smallest published child (a non-zero one
    first: a withheld zero protects little), or the parent when there is no published child left.
    Withholding a cell can leave another group (the parent's own group, or the team's area) with
    one unknown, so this is repeated until nothing changes (a fixed point). Numerators and
    denominators are checked separately; a cell is withheld whole (numerator, denominator and
    value).

    In a hierarchy (a tree of sums) a group with no, or at least two, unknowns everywhere means no
    withheld cell can be derived by any combination of the sums: each unknown lies in at most two
    groups and the groups form a tree, so every unknown lies on a path of unknowns between two
    groups with spare freedom. ``tests/reports/test_suppression.py`` checks this exactly (a rank
    test on the sum equations) over random hierarchies with hypothesis.

What else is withheld
    The RAG rating, the state of a withheld cell where it depends on its figures (rated, no data,
    below the minimum denominator) and its directions of travel; a previous or outturn result whose
    own month is withheld, and the direction of travel from it (a visible "same" beside a withheld
    previous result would give it away). Chart points are the published values, so they follow.

The flags renderers use: ``suppressed`` (the cell), ``previous_suppressed`` and
``outturn_suppressed`` on the results; ``withheld`` on the activity counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scorecard.errors import UsageError
from scorecard.extracts.arrays import key_groups
from scorecard.rating.vocabulary import RatingState
from scorecard.registry.model import ValueUnit

#: States that depend on a cell's figures: not shown for a withheld cell.
VALUE_STATES = frozenset(
    {RatingState.RATED.value, RatingState.NO_DATA.value, RatingState.BELOW_MINIMUM.value}
)


class SuppressionError(UsageError):
    """Suppression asked for without what it needs (the organisation of several units)."""


@dataclass(frozen=True)
class Hierarchy:
    """The sums published figures obey: ``(parent, children)`` per group.

    The county is the sum of its areas and of the teams with no area; an area the sum of its teams.
    """

    groups: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def from_units(cls, units: pd.DataFrame) -> Hierarchy:
        """From a computation's ``units`` table (``team, unit, level``: a team belongs to the
        county, its area if any, and itself)."""
        units = units.astype({"team": "string", "unit": "string", "level": "string"})
        county_rows = units[units["level"] == "county"]
        area_rows = units[units["level"] == "area"]
        area_of = dict(zip(area_rows["team"], area_rows["unit"], strict=True))
        # the teams of each county and area, in the order of the rows (as a groupby on unit
        # without sorting gives them; a missing unit is no group), without a frame per group
        counties: dict[object, dict[str, None]] = {}
        for county, team in zip(county_rows["unit"], county_rows["team"], strict=True):
            if county is not pd.NA:
                counties.setdefault(county, {})[str(area_of.get(team, team))] = None
        areas: dict[object, dict[str, None]] = {}
        for area, team in zip(area_rows["unit"], area_rows["team"], strict=True):
            if area is not pd.NA:
                areas.setdefault(area, {})[str(team)] = None
        groups = [(str(county), tuple(children)) for county, children in counties.items()]
        groups += [(str(area), tuple(teams)) for area, teams in areas.items()]
        return cls(tuple(groups))

    @classmethod
    def flat(cls) -> Hierarchy:
        """No sums (a single unit)."""
        return cls(())

    @property
    def units(self) -> list[str]:
        names: dict[str, None] = {}
        for parent, children in self.groups:
            names[parent] = None
            names.update(dict.fromkeys(children))
        return list(names)


def hierarchy_for(frame: pd.DataFrame, units: pd.DataFrame | None) -> Hierarchy:
    """The hierarchy of ``units``; with none, a frame of a single unit has no sums to protect and
    any other frame is refused (its sums are unknown, so suppression could be undone)."""
    if units is not None and {"team", "unit", "level"} <= set(units.columns):
        return Hierarchy.from_units(units)
    if frame["unit"].nunique() <= 1:
        return Hierarchy.flat()
    raise SuppressionError(
        "suppressing small numbers over several units needs the organisation (which teams make up "
        "each area and the county), so that a withheld figure cannot be worked out from the others"
    )


def complete(
    withheld: np.ndarray,
    quantities: Sequence[np.ndarray],
    groups: Sequence[tuple[int, Sequence[int]]],
) -> np.ndarray:
    """Secondary suppression: ``withheld`` (slices x units, bool) grown to a fixed point.

    ``quantities``: arrays of the same shape, the additive figures of each cell (NaN where not
    published); ``groups``: ``(parent column, child columns)``. In every slice and group where
    exactly one cell of a quantity is unknown (withheld or NaN) and that cell is withheld, the
    smallest published child (non-zero first), or else the parent, is withheld too.
    """
    out = withheld.copy()
    if not groups or out.size == 0:
        return out
    changed = True
    while changed:
        changed = False
        for parent, children in groups:
            kids = np.asarray(children, dtype=int)
            cols = np.concatenate([[parent], kids])
            for q in quantities:
                values = q[:, cols]
                unknown = out[:, cols] | np.isnan(values)
                exposed = (unknown.sum(axis=1) == 1) & (out[:, cols] & unknown).any(axis=1)
                if not exposed.any():
                    continue
                rows = np.flatnonzero(exposed)
                child_values = values[rows, 1:]
                known = ~unknown[rows, 1:]
                # smallest non-zero published child first, then zeros; unknown children never
                key = np.where(child_values > 0, child_values, np.finfo(float).max)
                key = np.where(known, key, np.inf)
                has_child = known.any(axis=1)
                # np.argmin: among equal keys, the first child in the organisation's order
                pick = np.where(has_child, kids[np.argmin(key, axis=1)], parent)
                out[rows, pick] = True
                changed = True
    return out


def _cells(
    frame: pd.DataFrame, slice_keys: list[str], hierarchy: Hierarchy
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, list[int]]], int]:
    """Slice and unit positions of each row, the groups as unit positions, and the unit count."""
    slices = _row_groups(frame, slice_keys)
    names = hierarchy.units
    known = set(names)
    extra = [u for u in pd.unique(frame["unit"].astype(str)) if u not in known]
    index = pd.Index(names + extra)
    position = index.get_indexer(frame["unit"].astype(str))
    groups = [
        (int(index.get_loc(parent)), [int(index.get_loc(c)) for c in children])
        for parent, children in hierarchy.groups
    ]
    return np.asarray(slices), position, groups, len(index)


def _row_groups(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Per row, the number of its combination of ``keys`` values, in order of first appearance:
    ``pd.factorize(pd.MultiIndex.from_frame(frame[keys]))[0]`` (:func:`key_groups`, or the
    MultiIndex itself when a key is missing)."""
    groups = key_groups(frame, keys)
    if groups is None:
        return np.asarray(pd.factorize(pd.MultiIndex.from_frame(frame[keys]))[0])
    return groups


def _grid(slices: np.ndarray, position: np.ndarray, n_units: int, values: np.ndarray) -> np.ndarray:
    n_slices = int(slices.max()) + 1 if slices.size else 0
    grid = np.full((n_slices, n_units), np.nan)
    grid[slices, position] = values
    return grid


def withheld_cells(
    frame: pd.DataFrame,
    slice_keys: list[str],
    quantities: Sequence[str],
    primary: np.ndarray,
    hierarchy: Hierarchy,
) -> np.ndarray:
    """Per row of ``frame``: withheld after secondary suppression within each slice."""
    slices, position, groups, n_units = _cells(frame, slice_keys, hierarchy)
    if slices.size == 0:
        return np.zeros(0, dtype=bool)
    grids = [_grid(slices, position, n_units, frame[q].to_numpy(dtype=float)) for q in quantities]
    start = np.zeros(grids[0].shape, dtype=bool)
    start[slices, position] = primary
    done = complete(start, grids, groups)
    return done[slices, position]


def _small(values: pd.Series, below: int) -> np.ndarray:
    v = values.to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        return (v > 0) & (v < below)


def suppress_results(frame: pd.DataFrame, below: int | None, hierarchy: Hierarchy) -> pd.DataFrame:
    """A copy of a rated frame fit for publication (see the module doc); adds ``suppressed``,
    ``previous_suppressed`` and ``outturn_suppressed``. ``below=None`` withholds nothing."""
    out = frame.copy()
    if below is None or out.empty:
        return out.assign(suppressed=False, previous_suppressed=False, outturn_suppressed=False)
    if "value_unit" in out.columns:
        flags = {u.value: u.has_denominator for u in ValueUnit}
        has_denominator = out["value_unit"].map(flags).fillna(True).to_numpy(dtype=bool)
    else:
        has_denominator = np.ones(len(out), dtype=bool)
    quantities = out[["indicator", "unit", "month", "numerator"]].copy()
    quantities["denominator"] = out["denominator"].where(has_denominator)
    primary = _small(quantities["numerator"], below) | _small(quantities["denominator"], below)
    hidden = withheld_cells(
        quantities, ["indicator", "month"], ["numerator", "denominator"], primary, hierarchy
    )
    small = pd.Series(hidden, index=out.index)
    out["suppressed"] = small
    for column in ("numerator", "denominator", "value"):
        if out[column].dtype == np.float64:
            figures = out[column].to_numpy(copy=True)
            figures[hidden] = np.nan
            out[column] = figures
        else:
            out.loc[small, column] = np.nan
    for column in ("rag", "dot_previous", "dot_outturn"):
        if column in out.columns:
            out[column] = out[column].mask(small)
    if "rag_note" in out.columns:
        out["rag_note"] = out["rag_note"].mask(small)
    if "state" in out.columns:
        out["state"] = out["state"].mask(small & out["state"].astype(str).isin(VALUE_STATES))
    months = {"previous": out["month"] - 1}
    if "outturn_month" in out.columns:
        months["outturn"] = out["outturn_month"]
    withheld_then = _withheld_in(out, small.to_numpy(), months)
    for name in ("previous", "outturn"):
        if name not in months:
            out[f"{name}_suppressed"] = small.to_numpy()
            continue
        flag = small.to_numpy() | withheld_then[name]
        out[f"{name}_suppressed"] = flag
        for column in (f"{name}_value", f"dot_{name}"):
            if column in out.columns:
                out[column] = out[column].mask(flag)
    return out


def _withheld_in(
    frame: pd.DataFrame, hidden: np.ndarray, months: dict[str, pd.Series]
) -> dict[str, np.ndarray]:
    """Per row and name of ``months``: whether the row of the same indicator and unit in that
    month is withheld (``hidden``). Monthly periods are looked up as integer codes; anything
    else (or a missing key) as :func:`_withheld_in_by_index` does."""
    month = frame["month"]
    periods = isinstance(month.dtype, pd.PeriodDtype) and all(
        m.dtype == month.dtype for m in months.values()
    )
    indicator, _ = pd.factorize(frame["indicator"].to_numpy(dtype=object))
    unit, units = pd.factorize(frame["unit"].to_numpy(dtype=object))
    ordinals = [pd.PeriodIndex(m).asi8 for m in (month, *months.values())] if periods else []
    if (
        not periods
        or (indicator < 0).any()
        or (unit < 0).any()
        or any(bool(pd.isna(m).any()) for m in (month, *months.values()))
    ):
        return _withheld_in_by_index(frame, hidden, months)
    own, wanted = ordinals[0], dict(zip(months, ordinals[1:], strict=True))
    first = min(int(o.min()) for o in ordinals)
    span = max(int(o.max()) for o in ordinals) - first + 1
    series = indicator.astype(np.int64) * len(units) + unit
    hidden_keys = (series * span + (own - first))[hidden]
    return {name: np.isin(series * span + (at - first), hidden_keys) for name, at in wanted.items()}


def _withheld_in_by_index(
    frame: pd.DataFrame, hidden: np.ndarray, months: dict[str, pd.Series]
) -> dict[str, np.ndarray]:
    """:func:`_withheld_in` by MultiIndex look-ups (its fallback and reference)."""
    hidden_keys = pd.MultiIndex.from_frame(frame.loc[hidden, ["indicator", "unit", "month"]])
    return {
        name: pd.MultiIndex.from_arrays([frame["indicator"], frame["unit"], at]).isin(hidden_keys)
        for name, at in months.items()
    }


def suppress_activity_counts(
    activity: pd.DataFrame, below: int | None, hierarchy: Hierarchy
) -> pd.DataFrame:
    """A copy of the activity counts (``activity, unit, month, count``) with ``withheld``: counts
    from 1 to ``below - 1``, and the cells withheld so that they cannot be worked out from the
    area and county totals (secondary suppression per activity and month); withheld counts are
    set missing."""
    out = activity.copy()
    if below is None or out.empty:
        return out.assign(withheld=False)
    primary = _small(out["count"], below)
    hidden = withheld_cells(out, ["activity", "month"], ["count"], primary, hierarchy)
    out["withheld"] = hidden
    out.loc[hidden, "count"] = np.nan
    return out

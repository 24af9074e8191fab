"""Roll-up of the usual record rows (denominator 1, numerator a 0/1 flag), summed by one count of
(cell, flag) pairs: hand-worked sums, rows of months outside the grid left out."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.measures.aggregate import UnitGrid, _flags_of_records, unit_table

ORGANISATION = pd.DataFrame({"team": ["T1", "T2", "T3"], "area": ["North", "North", None]})


def _rows(months: list[str | None], teams: list[str], numerator: list[float]) -> pd.DataFrame:
    return pd.DataFrame({
        "team": pd.Series(teams, dtype="category"),
        "month": pd.PeriodIndex(months, freq="M"),
        "numerator": numerator,
        "denominator": 1.0,
    })  # fmt: skip


def _sums(months: pd.PeriodIndex, rows: pd.DataFrame) -> dict[tuple[str, str], tuple[float, ...]]:
    units = unit_table(ORGANISATION, "County")
    numerator, denominator = UnitGrid(units, months).sums(rows)
    out: dict[tuple[str, str], tuple[float, ...]] = {}
    for i, (unit, _level) in enumerate(dict.fromkeys(zip(units["unit"], units["level"]))):
        for j, month in enumerate(months):
            cell = i * len(months) + j
            out[(unit, str(month))] = (numerator[cell], denominator[cell])
    return out


def test_flags_summed_per_team_area_and_county() -> None:
    months = pd.period_range("2015-04", "2015-06", freq="M")  # consecutive
    # T1 April: 2 rows, 1 flagged; T2 April: 1 row flagged; T3 June: 2 rows, none flagged;
    # left out: March (before), July (after), a missing month
    rows = _rows(
        ["2015-04", "2015-04", "2015-04", "2015-06", "2015-06", "2015-03", "2015-07", None],
        ["T1", "T1", "T2", "T3", "T3", "T1", "T1", "T1"],
        [1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0],
    )
    got = _sums(months, rows)
    assert got[("T1", "2015-04")] == (1.0, 2.0)
    assert got[("T2", "2015-04")] == (1.0, 1.0)
    assert got[("North", "2015-04")] == (2.0, 3.0)
    assert got[("County", "2015-04")] == (2.0, 3.0)
    assert got[("T3", "2015-06")] == (0.0, 2.0)
    assert got[("North", "2015-06")] == (0.0, 0.0)  # T3 has no area: county only
    assert got[("County", "2015-06")] == (0.0, 2.0)
    assert got[("County", "2015-05")] == (0.0, 0.0)


def test_months_not_consecutive_give_the_same_sums() -> None:
    months = pd.PeriodIndex(["2015-04", "2015-06"], freq="M")  # May not asked: left out
    rows = _rows(["2015-04", "2015-05", "2015-06", "2015-06"], ["T1", "T1", "T2", "T2"],
                 [1.0, 1.0, 1.0, 0.0])  # fmt: skip
    got = _sums(months, rows)
    assert got[("T1", "2015-04")] == (1.0, 1.0)
    assert got[("T2", "2015-06")] == (1.0, 2.0)
    assert got[("County", "2015-06")] == (1.0, 2.0)


def test_other_values_take_the_general_sums() -> None:
    assert _flags_of_records(np.array([1.0, 0.0]), np.array([1.0, 1.0])).tolist() == [1, 0]
    assert _flags_of_records(np.array([2.0, 0.0]), np.array([1.0, 1.0])) is None  # a count
    assert _flags_of_records(np.array([np.nan, 0.0]), np.array([1.0, 1.0])) is None  # missing
    assert _flags_of_records(np.array([1.0, 0.0]), np.array([1.0, 0.0])) is None  # not counted
    months = pd.period_range("2015-04", "2015-04", freq="M")
    rows = _rows(["2015-04", "2015-04"], ["T1", "T1"], [2.0, np.nan])  # 2 counted, NaN skipped
    assert _sums(months, rows)[("T1", "2015-04")] == (2.0, 2.0)

"""The check that every record row's team is in the organisation table, on coded (categorical)
teams: rows are refused only for the teams they use, whichever way the check goes."""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard.measures.aggregate import unit_table
from scorecard.measures.compute import _check_rows

UNITS = unit_table(pd.DataFrame({"team": ["A1", "A2"], "area": ["N", "N"]}), "County")


def _rows(teams: list[str | None], categories: list[str]) -> pd.DataFrame:
    return pd.DataFrame({
        "month": pd.PeriodIndex(["2015-04"] * len(teams), freq="M"),
        "team": pd.Categorical(teams, categories=categories),
        "record_id": [f"r{i}" for i in range(len(teams))],
        "child_id": "c", "numerator": 1.0, "denominator": 1.0,
    })  # fmt: skip


def test_known_teams_pass_and_an_unused_unknown_category_is_not_a_row() -> None:
    _check_rows(_rows(["A1", "A2", "A1"], ["A1", "A2"]), "ind", UNITS)
    _check_rows(_rows(["A1", "A2"], ["A1", "A2", "Z9"]), "ind", UNITS)  # Z9: no row uses it
    _check_rows(_rows([], ["A1"]), "ind", UNITS)


def test_a_missing_team_is_refused_even_when_every_category_is_known() -> None:
    with pytest.raises(ValueError) as raised:
        _check_rows(_rows(["A1", None, "A2"], ["A1", "A2"]), "ind", UNITS)
    assert str(raised.value) == (
        "ind: 1 record(s) belong to team(s) not in the organisation table ['<missing>'] "
        "(records ['r1'])"
    )


def test_an_unknown_team_used_by_a_row_is_refused() -> None:
    with pytest.raises(ValueError, match=r"1 record\(s\) .* \['Z9'\] \(records \['r2'\]\)"):
        _check_rows(_rows(["A1", "A2", "Z9"], ["A1", "A2", "Z9"]), "ind", UNITS)

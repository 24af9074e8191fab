"""Rates per 10,000 (scorecard.measures.population): the messages and edges the mutation review
found unpinned, each worked by hand.

The organisation of ``tests.measures.builders``: A1 and C1 in North, A2 in South, F directly under
the county.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from scorecard.measures.base import MeasureInput, NotComputable
from scorecard.measures.population import (
    children_population,
    population_level,
    population_rows,
)
from tests.measures.builders import ORGANISATION, build
from tests.measures.registry_2011 import registry_2011


def bands(*rows: tuple[str, int, int, int, int]) -> pd.DataFrame:
    """``unit, year, age_from, age_to, population`` as the loader types them (floats)."""
    frame = pd.DataFrame(rows, columns=["unit", "year", "age_from", "age_to", "population"])
    return frame.astype({"year": float, "age_from": float, "age_to": float, "population": float})


def test_exactly_five_faults_are_all_named_without_a_count_of_more() -> None:
    # five units whose one band 0-19 reaches across 0-17: all five named, no "and 0 more"
    five = bands(*[(f"T{i}", 2015, 0, 19, 1) for i in range(5)])
    with pytest.raises(NotComputable) as caught:
        children_population(five, 0, 17)
    assert str(caught.value) == (
        "population: age band(s) reaching across ages 0-17 cannot be split: T0 mid-2015 ages "
        "0-19, T1 mid-2015 ages 0-19, T2 mid-2015 ages 0-19, T3 mid-2015 ages 0-19, T4 mid-2015 "
        "ages 0-19"
    )


def test_the_gap_message_names_each_unit_and_year_word_for_word() -> None:
    # A1 mid-2015 lacks age 5; A2 mid-2014 has bands only above 17 (none inside)
    frame = bands(("A1", 2015, 0, 4, 10), ("A1", 2015, 6, 17, 10), ("A2", 2014, 18, 19, 5))
    with pytest.raises(NotComputable) as caught:
        children_population(frame, 0, 17)
    assert str(caught.value) == (
        "population: the age bands of A1 mid-2015, A2 mid-2014 do not cover every age 0-17 "
        "exactly once"
    )


def test_the_totals_frame_has_its_columns() -> None:
    frame = bands(("A2", 2015, 0, 17, 7), ("A1", 2014, 0, 9, 3), ("A1", 2014, 10, 17, 4))
    out = children_population(frame, 0, 17)
    assert list(out.columns) == ["unit", "year", "population"]
    # by hand: A2 mid-2015 = 7; A1 mid-2014 = 3 + 4 = 7
    assert sorted(out.values.tolist()) == [["A1", 2014.0, 7.0], ["A2", 2015.0, 7.0]]


def test_the_units_message_word_for_word() -> None:
    with pytest.raises(NotComputable) as caught:
        population_level(pd.Series(["A1", "North"]), ORGANISATION)
    # teams and areas mixed, no unknown name: only that is said
    assert str(caught.value) == (
        "population: the units must be all teams of the organisation table, all areas, or one "
        "name for the whole authority (teams and areas mixed)"
    )


def _input(population: list[dict], indicator: str = "cic_per_10000", **changes) -> MeasureInput:
    extracts = build(children=[{"child_id": "c1", "date_of_birth": "2010-01-01"}],
                     population=population)  # fmt: skip
    chosen = registry_2011()[indicator]
    if changes:
        chosen = replace(chosen, **changes)
    return MeasureInput(extracts, pd.period_range("2015-05", "2015-05", freq="M"), chosen)


def test_an_empty_population_word_for_word() -> None:
    with pytest.raises(NotComputable) as caught:
        population_rows(_input([]))
    assert str(caught.value) == "extract 'population' has no rows"


def test_levels_below_the_population_are_listed_with_and() -> None:
    # a population for the county only, an indicator applying to every level: area and team
    county = [{"unit": "Shire", "year": 2015, "age_from": 0, "age_to": 17, "population": 100}]
    with pytest.raises(NotComputable) as caught:
        population_rows(_input(county, "referral_rate_per_10000"))
    assert str(caught.value).endswith(
        "applies to the area and team level(s) (restrict applies_to.levels)"
    )


def test_an_indicator_without_applicability_is_taken_to_apply_everywhere() -> None:
    # an Indicator built in code may leave ``applicability`` None: every level, so a population
    # by area is refused (the team level lies below it), not an AttributeError
    by_area = [{"unit": "North", "year": 2015, "age_from": 0, "age_to": 17, "population": 100}]
    with pytest.raises(NotComputable, match="given by area.*the team level"):
        population_rows(_input(by_area, applicability=None))


def test_an_area_population_is_held_by_the_areas_first_team_whatever_its_other_columns() -> None:
    # North's first team in the organisation table is A1, even when A1's team type is missing
    organisation = ORGANISATION.assign(team_type=[None, "children_in_care",
                                                  "assessment_and_family_support", "fostering"])
    extracts = build(children=[{"child_id": "c1", "date_of_birth": "2010-01-01"}],
                     population=[{"unit": "North", "year": 2015, "age_from": 0, "age_to": 17,
                                  "population": 100}])  # fmt: skip
    extracts = replace(extracts, organisation=organisation)
    inp = MeasureInput(extracts, pd.period_range("2015-05", "2015-05", freq="M"),
                       registry_2011()["cic_per_10000"])  # fmt: skip
    rows = population_rows(inp)
    assert rows[["unit", "team", "year", "population"]].values.tolist() == [
        ["North", "A1", 2015.0, 100.0]
    ]

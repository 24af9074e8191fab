"""Engine-wide properties on a realistic synthetic county (every extract present)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard.extracts import validate_extracts
from scorecard.measures import compute, registered_measures
from scorecard.synth import generate

MONTHS = pd.period_range("2015-03", "2015-05", freq="M")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return generate(scale=0.05, seed=7, last_month="2015-05")


@pytest.fixture(scope="module")
def computation(frames, registry):
    return compute(validate_extracts(frames), MONTHS, registry, county="Kent")


def test_every_indicator_is_computed(computation, registry) -> None:
    results = computation.results
    assert results["note"].isna().all(), results.loc[results["note"].notna(), "note"].unique()
    assert set(results["indicator"]) == set(registry.ids)
    # every indicator of the registry has its records (other registries' measures are not run)
    assert set(computation.records) == set(registry.ids)
    assert {i.measure_id for i in registry} <= set(registered_measures())


def test_county_is_the_sum_of_areas_and_teams(computation) -> None:
    results = computation.results
    units = computation.units
    team_rows = results[results["level"] == "team"].merge(
        units[units["level"] != "team"][["team", "unit", "level"]].rename(
            columns={"team": "unit", "unit": "parent", "level": "parent_level"}
        ),
        on="unit",
    )
    for parent_level in ("area", "county"):
        expected = (
            team_rows[team_rows["parent_level"] == parent_level]
            .groupby(["indicator", "parent", "month"])[["numerator", "denominator"]]
            .sum(min_count=1)
        )
        got = results[results["level"] == parent_level].set_index(["indicator", "unit", "month"])[
            ["numerator", "denominator"]
        ]
        got.index = got.index.set_names(["indicator", "parent", "month"])
        joined = expected.merge(
            got, left_index=True, right_index=True, how="outer", suffixes=("", "_got")
        )
        for column in ("numerator", "denominator"):
            a, b = joined[column].fillna(0), joined[f"{column}_got"].fillna(0)
            assert np.allclose(a, b), joined[~np.isclose(a, b)]
    # county = sum of areas + teams rolling up to the county directly
    areas = results[results["level"] == "area"].groupby(["indicator", "month"])["numerator"].sum()
    direct_teams = units[(units["level"] == "county")]["team"]
    with_area = units[units["level"] == "area"]["team"]
    loose = (
        results[
            (results["level"] == "team") & results["unit"].isin(set(direct_teams) - set(with_area))
        ]
        .groupby(["indicator", "month"])["numerator"]
        .sum()
    )
    county = results[results["level"] == "county"].set_index(["indicator", "month"])["numerator"]
    total = areas.add(loose, fill_value=0).reindex(county.index).fillna(0)
    assert np.allclose(total, county.fillna(0))


def test_drill_down_counts_equal_the_figures(computation) -> None:
    results = computation.results
    may = pd.Period("2015-05", freq="M")
    for indicator in computation.records:
        for unit in ("Kent", "North Kent", "Thanet AIT & FST"):
            row = results[(results["indicator"] == indicator) & (results["unit"] == unit)
                          & (results["month"] == may)].iloc[0]  # fmt: skip
            drill = computation.drill_down(indicator, unit, may)
            assert np.isclose(drill["numerator"].sum(), row["numerator"]), (indicator, unit)
            if pd.notna(row["denominator"]):
                assert np.isclose(drill["denominator"].sum(), row["denominator"]), (indicator, unit)


def test_rates_are_percentages(computation, registry) -> None:
    results = computation.results
    percent = [i.id for i in registry if i.unit.value == "percent"]
    values = results.loc[results["indicator"].isin(percent), "value"].dropna()
    assert ((values >= 0) & (values <= 100)).all()


def test_engine_does_not_mutate_its_inputs(frames, registry) -> None:
    extracts = validate_extracts(frames)
    before = {name: frame.copy(deep=True) for name, frame in extracts.frames().items()}
    compute(extracts, MONTHS, registry, county="Kent")
    for name, frame in extracts.frames().items():
        pd.testing.assert_frame_equal(frame, before[name], obj=name)


def test_every_measure_gives_the_same_on_text_and_categorical_columns(frames, registry) -> None:
    """The loader holds codes and teams as categoricals; an analyst's frames swapped in hold
    text: the results and every indicator's record rows (values and dtypes) are the same."""
    import dataclasses

    extracts = validate_extracts(frames)
    text = {
        name: frame.astype({c: "str" for c in frame.columns if frame[c].dtype == "category"})
        for name, frame in extracts.frames().items()
    }
    assert any(f["team"].dtype == "category" for f in extracts.frames().values() if "team" in f)
    as_text = dataclasses.replace(extracts, **text)
    assert not any(d == "category" for f in as_text.frames().values() for d in f.dtypes)
    held, given = (compute(e, MONTHS, registry, county="Kent") for e in (extracts, as_text))
    pd.testing.assert_frame_equal(held.results, given.results, check_exact=True)
    pd.testing.assert_frame_equal(held.activity, given.activity, check_exact=True)
    for indicator in held.records:
        pd.testing.assert_frame_equal(held.records[indicator], given.records[indicator],
                                      check_exact=True, obj=indicator)  # fmt: skip

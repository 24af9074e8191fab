"""The ``benchmark`` rule rated against a value of the comparator table (issue 13, item 4).

A ``benchmark``-rule indicator may leave out its ``benchmark`` (in YAML or in Python), and then
``rate(..., benchmarks=...)`` takes the comparator table's value (England unless told otherwise).
The registry here is loaded from YAML with a benchmark of 50 in 2015/16 and then has that value
taken out, so that the only benchmark left is the table's; a YAML registry without it is the same.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from types import MappingProxyType

import numpy as np
import pandas as pd
import pytest

from scorecard.calendar.periods import FinancialYear
from scorecard.rating import rate
from scorecard.registry import Registry, load_registry
from scorecard.registry.benchmarks import Comparator, validate_benchmarks
from tests.conftest import REPO
from tests.rating.conftest import results

YAML = textwrap.dedent(
    """\
    financial_years: ["2015/16"]
    groups: [G]
    defaults:
      min_denominator: {value: 5, inferred: "test"}
    indicators:
      - {ref: 1, id: versus_england, title: B, group: G, polarity: H, period: YTD, unit: percent,
         numerator: n, denominator: d, source: s, rule: benchmark,
         thresholds: {"2015/16": {benchmark: {value: 50, published: p},
                                  tolerance: {value: 2, inferred: i}}}}
      - {ref: 2, id: lower_better, title: L, group: G, polarity: L, period: YTD, unit: percent,
         numerator: n, denominator: d, source: s, rule: benchmark,
         thresholds: {"2015/16": {benchmark: {value: 50, published: p},
                                  tolerance: {value: 1, inferred: i}}}}
    """
)

FY = FinancialYear(2015)


def _without_benchmark(registry: Registry) -> Registry:
    """The registry with the 2015/16 benchmark of every indicator taken out (tolerance kept)."""
    indicators = tuple(
        dataclasses.replace(
            ind,
            thresholds=MappingProxyType(
                {FY: dataclasses.replace(ind.thresholds[FY], benchmark=None)}
            ),
        )
        for ind in registry.indicators
    )
    return dataclasses.replace(registry, indicators=indicators)


@pytest.fixture(scope="module")
def with_benchmark(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    path = tmp_path_factory.mktemp("bench") / "indicators.yaml"
    path.write_text(YAML, encoding="utf-8")
    return load_registry(path, REPO / "rag_rules")


@pytest.fixture(scope="module")
def without(with_benchmark: Registry) -> Registry:
    return _without_benchmark(with_benchmark)


def _table(registry: Registry):
    rows = [
        ("versus_england", "2015-16", "england", "60", "percent", "SFR test", "A1", "u"),
        ("versus_england", "2015-16", "region", "70", "percent", "SFR test", "A1", "u"),
        ("lower_better", "2015-16", "england", "20", "percent", "SFR test", "B2", "u"),
        ("versus_england", "2014-15", "england", "10", "percent", "SFR test", "A1", "u"),
    ]
    columns = ["indicator", "financial_year", "comparator", "value", "unit", "publication",
               "table", "url"]  # fmt: skip
    return validate_benchmarks(pd.DataFrame(rows, columns=columns), registry)


def _rate(registry: Registry, indicator: str, values: list[float], **kwargs) -> pd.DataFrame:
    frame = results([(indicator, "Kent", "2015-05", np.nan, np.nan, v) for v in values])
    frame["unit"] = [f"u{i}" for i in range(len(values))]
    return rate(frame, registry, **kwargs)


@pytest.mark.parametrize(
    ("value", "expected"),
    # England 60 (the table's 2015-16 row) +/- tolerance 2 (the registry's), H: Green from 62
    # (on the edge: the better rating), Amber from 58 up to 62, Red below 58
    [(63.0, "G"), (62.0, "G"), (61.9, "A"), (60.0, "A"), (58.0, "A"), (57.9, "R"), (51.0, "R")],
)
def test_a_missing_benchmark_is_the_england_value_of_the_table(without, value, expected) -> None:
    rated = _rate(without, "versus_england", [value], benchmarks=_table(without))
    assert rated["benchmark"].iloc[0] == 60.0
    assert rated["rag"].iloc[0] == expected and rated["state"].iloc[0] == "rated"


def test_lower_is_better_against_the_table(without) -> None:
    # England 20 +/- 1, L: 18.5 is better by more than 1 (G), 20.9 within (A), 21.5 worse (R)
    rated = _rate(without, "lower_better", [18.5, 20.9, 21.5], benchmarks=_table(without))
    assert rated["rag"].tolist() == ["G", "A", "R"]


def test_another_comparator_can_be_chosen(without) -> None:
    # the region's 70 +/- 2: 65 is Red against it (it would be Green against England's 60)
    rated = _rate(
        without, "versus_england", [65.0], benchmarks=_table(without), comparator=Comparator.REGION
    )
    assert rated["benchmark"].iloc[0] == 70.0 and rated["rag"].iloc[0] == "R"


def test_the_registry_benchmark_wins_over_the_table(with_benchmark) -> None:
    # the registry's own 50 +/- 2 is used: 55 is Green (against the table's 60 it would be Red)
    rated = _rate(with_benchmark, "versus_england", [55.0], benchmarks=_table(with_benchmark))
    assert rated["benchmark"].iloc[0] == 50.0 and rated["rag"].iloc[0] == "G"


def test_no_benchmark_from_either_is_not_rated(without) -> None:
    # no table: the benchmark rule has nothing to compare with, so no rating (never a Red)
    rated = _rate(without, "versus_england", [10.0])
    assert pd.isna(rated["rag"].iloc[0]) and rated["state"].iloc[0] == "no thresholds"
    # a table without a 2015-16 row for the indicator (only 2014-15): the same
    table = _table(without)
    older = dataclasses.replace(
        table, frame=table.frame[table.frame["financial_year"] == "2014-15"]
    )
    rated = _rate(without, "versus_england", [10.0], benchmarks=older)
    assert pd.isna(rated["benchmark"].iloc[0]) and rated["state"].iloc[0] == "no thresholds"


def test_the_table_does_not_touch_other_rules() -> None:
    registry = load_registry()
    table = validate_benchmarks(
        pd.DataFrame(
            {"indicator": ["pf_initial_visit_7_days"], "financial_year": ["2015-16"],
             "comparator": ["england"], "value": ["99"], "unit": ["percent"],
             "publication": ["P"], "url": ["u"]}
        ),
        registry,
    )  # fmt: skip
    frame = results([("pf_initial_visit_7_days", "Kent", "2015-05", 5, 7, None)])
    plain, with_table = rate(frame, registry), rate(frame, registry, benchmarks=table)
    # ref 8 is rated on its target 85 and floor 76.5: 5/7 = 71.4% is Red either way
    assert plain["rag"].iloc[0] == with_table["rag"].iloc[0] == "R"
    assert pd.isna(with_table["benchmark"].iloc[0])


def test_a_yaml_registry_may_leave_the_benchmark_out(
    tmp_path: pytest.TempPathFactory, without: Registry
) -> None:
    text = re.sub(r"benchmark: \{value: 50, published: p\},\s*", "", YAML)
    assert "benchmark: {value" not in text
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_registry(path, REPO / "rag_rules")
    assert loaded["versus_england"].thresholds[FY].benchmark is None
    table = _table(loaded)
    values = [63.0, 61.9, 57.9]
    assert _rate(loaded, "versus_england", values, benchmarks=table)["rag"].tolist() == [
        "G",
        "A",
        "R",
    ]

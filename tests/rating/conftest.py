"""A tiny hand-built registry for rating tests: one indicator per rule and polarity."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

from scorecard.registry import load_registry
from tests.conftest import REPO

TINY = textwrap.dedent(
    """\
    financial_years: ["2015/16"]
    groups: [G]
    defaults:
      min_denominator: {value: 5, inferred: "test"}
    indicators:
      - {ref: 1, id: high, title: H, group: G, polarity: H, period: YTD, unit: percent,
         numerator: n, denominator: d, source: s, rule: target_floor,
         thresholds: {"2014/15": {target: {value: 80, published: p}, floor: {value: 72, inferred: i}},
                      "2015/16": {target: {value: 85, published: p}, floor: {value: 76.5, published: p}}}}
      - {ref: 2, id: low, title: L, group: G, polarity: L, period: SS, unit: percent,
         numerator: n, denominator: d, source: s, rule: target_floor,
         thresholds: {"2015/16": {target: {value: 15, published: p}, floor: {value: 20, inferred: i}}}}
      - {ref: 3, id: close, title: T, group: G, polarity: T, period: YTD, unit: percent,
         numerator: n, denominator: d, source: s, rule: target_bands,
         thresholds: {"2015/16": {target: {value: 7.5, published: p},
                                  green: {lower: 5, upper: 10, published: p},
                                  amber: {lower: 2, upper: 13, published: p}}}}
      - {ref: 4, id: versus_england, title: B, group: G, polarity: H, period: R12M, unit: percent,
         numerator: n, denominator: d, source: s, rule: benchmark,
         thresholds: {"2015/16": {benchmark: {value: 60, published: p},
                                  tolerance: {value: 2, inferred: i}}}}
      - {ref: 5, id: backlog, title: C, group: G, polarity: L, period: SS, unit: count,
         numerator: n, source: s, rule: target_floor,
         thresholds: {"2015/16": {target: {value: 0, published: p}, floor: {value: 5, inferred: i}}}}
    """
)


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory):
    path = Path(tmp_path_factory.mktemp("tiny")) / "indicators.yaml"
    path.write_text(TINY, encoding="utf-8")
    return load_registry(path, REPO / "rag_rules")


def results(rows: list[tuple], columns=("indicator", "unit", "month", "numerator", "denominator",
                                        "value")) -> pd.DataFrame:  # fmt: skip
    return pd.DataFrame(rows, columns=list(columns))

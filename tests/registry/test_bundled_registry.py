"""The bundled indicators.yaml agrees with the published May 2015 scorecard table."""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard.calendar.periods import FinancialYear
from scorecard.registry import Polarity, ProvenanceKind, RuleMethod

FY_2015 = FinancialYear(2015)
UNITS = {"%": "percent", "count": "count", "days": "days", "caseload": "ratio"}


@pytest.fixture(scope="module")
def published(shared) -> pd.DataFrame:
    return pd.read_csv(shared / "reference" / "scs_scorecard_2015_05.csv").set_index("ref")


def test_all_44_indicators_match_the_published_table(registry, published) -> None:
    assert sorted(i.ref for i in registry) == list(range(1, 45))
    for indicator in registry:
        row = published.loc[indicator.ref]
        assert indicator.title == row["indicator"]
        assert indicator.group == row["group"]
        assert indicator.polarity.value == row["polarity"]
        assert indicator.period.value == row["data_period"]
        assert indicator.unit.value == UNITS[row["unit"]]
        assert indicator.thresholds[FY_2015].target.value == row["target_2015_16"]
        assert indicator.thresholds[FY_2015].target.provenance.kind is ProvenanceKind.PUBLISHED


def test_published_floors_and_bands_are_used_exactly(registry) -> None:
    # published-report.md, "Published RAG bands"
    ref8 = registry.by_ref(8).thresholds[FY_2015]
    assert (ref8.target.value, ref8.floor.value) == (85.0, 76.5)
    ref33 = registry.by_ref(33).thresholds[FY_2015]
    assert (ref33.target.value, ref33.floor.value) == (78.0, 60.0)
    ref14 = registry.by_ref(14).thresholds[FY_2015]
    assert (ref14.green.lower, ref14.green.upper) == (5.0, 10.0)
    assert (ref14.amber.lower, ref14.amber.upper) == (2.0, 13.0)
    for item in (ref8.floor, ref33.floor, ref14.green, ref14.amber):
        assert item.provenance.kind is ProvenanceKind.PUBLISHED
    # ref 8's 2014/15 target (80%) is published in the same report
    assert registry.by_ref(8).thresholds[FinancialYear(2014)].target.value == 80.0


def test_every_threshold_says_where_it_comes_from(registry) -> None:
    for indicator in registry:
        for year in indicator.thresholds.values():
            for name in ("target", "floor", "green", "amber", "benchmark", "tolerance"):
                item = getattr(year, name)
                if item is not None:
                    assert item.provenance.note.strip(), (indicator.ref, name)
        if indicator.ref not in (8, 33):
            floor = indicator.thresholds[FY_2015].floor
            assert floor is None or floor.provenance.kind is ProvenanceKind.INFERRED


def test_rules_match_polarity(registry) -> None:
    for indicator in registry:
        method = registry.rule_of(indicator).method
        expected = RuleMethod.BANDS if indicator.polarity is Polarity.TARGET else RuleMethod.TARGET_FLOOR
        assert method is expected, indicator.ref

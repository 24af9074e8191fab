"""docs/indicators.md is generated from the registry and the measures, and kept up to date."""

from __future__ import annotations

from scorecard.measures import registered_measures
from scorecard.reports.indicator_docs import render
from tests.conftest import REPO


def test_committed_indicator_docs_are_current() -> None:
    committed = (REPO / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert committed == render(), "run: python -m scorecard.reports.indicator_docs"


def test_every_indicator_has_a_documented_measure(registry) -> None:
    measures = registered_measures()
    assert sorted(measures) == sorted(registry.ids)
    for indicator in registry:
        assert len(measures[indicator.id].doc) > 80, indicator.id  # states its counting rule

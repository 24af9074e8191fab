"""docs/indicators.md is generated from the registry and the measures, and kept up to date."""

from __future__ import annotations

from scorecard.measures import registered_measures
from scorecard.registry import load_registry
from scorecard.reports.indicator_docs import render
from tests.conftest import REPO


def test_committed_indicator_docs_are_current() -> None:
    committed = (REPO / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert committed == render(), "run: python -m scorecard.reports.indicator_docs"


def test_every_indicator_has_a_documented_measure(registry) -> None:
    measures = registered_measures()
    # every measure computes an indicator of the bundled registry or of one in registries/
    others = {i.measure_id for path in sorted((REPO / "registries").glob("*.yaml"))
              for i in load_registry(path) if i.supplied is None}  # fmt: skip
    assert sorted(measures) == sorted(set(registry.ids) | others)
    for indicator in registry:
        assert len(measures[indicator.id].doc) > 80, indicator.id  # states its counting rule

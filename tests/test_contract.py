"""The contract between the registry and the measures (issue 11): an indicator added to a copy of
the registry under a new id and group, computed by an existing measure, builds a whole scorecard;
a measure that fails becomes its indicator's note instead of aborting the run."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from scorecard.bundled import COUNTY, bundled_extracts
from scorecard.cli import main
from scorecard.extracts import load_extracts
from scorecard.measures import compute
from scorecard.measures.base import _MEASURES, contracts
from scorecard.measures.compute import RAISE_FAILURES, MeasureFailedWarning
from scorecard.registry import load_registry
from tests.conftest import REPO

RULES = REPO / "rag_rules"

#: Indicator 45: ref 1's definition under a new id and a new group, computed by ref 1's measure.
EXTRA = '''
  - ref: 45
    id: re_referrals_12m_again
    measure: re_referrals_12m
    title: "% of referrals with a previous referral within 12 months (a copy)"
    group: Extra indicators
    polarity: L
    period: YTD
    unit: percent
    numerator: "referrals in the period for a child with another referral in the 12 months before"
    denominator: "referrals with a referral date in the period"
    source: "a copy of ref 1"
    parameters: {lookback_months: 12}
    rule: target_floor
    thresholds:
      "2014/15":
        target: {value: 25, inferred: "test"}
        floor: {value: 27.5, inferred: "test"}
      "2015/16":
        target: {value: 25, inferred: "test"}
        floor: {value: 27.5, inferred: "test"}
'''


def registry_with_45(tmp_path: Path) -> Path:
    text = (REPO / "indicators.yaml").read_text(encoding="utf-8")
    text = text.replace("  - Staffing\n", "  - Staffing\n  - Extra indicators\n", 1)
    path = tmp_path / "indicators.yaml"
    path.write_text(text.rstrip("\n") + "\n" + EXTRA, encoding="utf-8")
    return path


def test_a_45th_indicator_builds_a_whole_scorecard(tmp_path: Path) -> None:
    path = registry_with_45(tmp_path)
    registry = load_registry(path, RULES, measures=contracts())
    bundled = load_registry(measures=contracts())
    assert len(registry) == len(bundled) + 1 and registry.groups[-1] == "Extra indicators"

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--registry", str(path), "--rules", str(RULES),
                                       "--out", str(out), "--month", "2015-05"])  # fmt: skip
    assert result.exit_code == 0, result.output
    published = pd.read_csv(next((out / "current").glob("*results*.csv")))
    again = published[published["indicator"] == "re_referrals_12m_again"]
    first = published[published["indicator"] == "re_referrals_12m"]
    assert len(again) == len(first) > 0
    # the copy is counted by the same rule: the same figures on every unit where ref 1 applies
    # (ref 1 applies to some team types only; the copy, without applies_to, to every unit)
    columns = ["unit", "month", "numerator", "denominator", "value"]
    shown = first["numerator"].notna().to_numpy()
    assert shown.sum() > 10
    pd.testing.assert_frame_equal(again[columns][shown].reset_index(drop=True),
                                  first[columns][shown].reset_index(drop=True))  # fmt: skip


@pytest.fixture
def failing_measure(monkeypatch):
    """Ref 2's measure raises, as a bug in it would."""
    contracts()  # imports the domain modules, which register their measures
    measure = _MEASURES["assessments_within_45_wd"]

    def broken(inp):
        raise ZeroDivisionError("a bug in the measure")

    monkeypatch.setitem(_MEASURES, "assessments_within_45_wd",
                        type(measure)(measure.indicator, measure.needs, broken,
                                      measure.parameters))  # fmt: skip
    return measure


def test_a_failing_measure_becomes_its_note(failing_measure, monkeypatch) -> None:
    monkeypatch.delenv(RAISE_FAILURES, raising=False)
    registry = load_registry()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        done = compute(load_extracts(bundled_extracts()), ["2015-05"], registry, county=COUNTY,
                       indicators=["re_referrals_12m", "assessments_within_45_wd"])  # fmt: skip
    results = done.results
    failed = results[results["indicator"] == "assessments_within_45_wd"]
    assert (failed["note"] == "failed: ZeroDivisionError: a bug in the measure").all()
    assert failed["value"].isna().all()
    others = results[results["indicator"] == "re_referrals_12m"]
    assert others["note"].isna().all() and others["value"].notna().any()
    assert any(issubclass(w.category, MeasureFailedWarning) for w in caught)


def test_the_tests_still_fail_on_a_failing_measure(failing_measure, monkeypatch) -> None:
    monkeypatch.setenv(RAISE_FAILURES, "1")
    with pytest.raises(ZeroDivisionError):
        compute(load_extracts(bundled_extracts()), ["2015-05"], load_registry(), county=COUNTY,
                indicators=["assessments_within_45_wd"])  # fmt: skip


def test_compute_refuses_a_registry_that_does_not_fit_the_measures(tmp_path: Path) -> None:
    path = registry_with_45(tmp_path)
    text = path.read_text(encoding="utf-8").replace("measure: re_referrals_12m", "measure: nothing")
    registry = load_registry(path, RULES, text=text)  # loads: no measures given to check against
    from scorecard.registry import RegistryError

    with pytest.raises(RegistryError, match="no measure 'nothing' computes 're_referrals_12m_again'"):
        compute(load_extracts(bundled_extracts()), ["2015-05"], registry, county=COUNTY)


def test_docs_list_every_measure_and_its_parameters() -> None:
    text = (REPO / "docs" / "registry.md").read_text(encoding="utf-8")
    for name, contract in contracts().items():
        params = "; ".join(p.describe() for p in contract.parameters) or "none"
        assert f"| `{name}` | {contract.reads()} | {params} |" in text, name

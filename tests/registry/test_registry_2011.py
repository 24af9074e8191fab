"""The second registry (registries/improvement_plan_2011.yaml), direction-only indicators and the
rate unit per 10,000: loaded, rated and built end to end from the bundled data."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest
from click.testing import CliRunner

from scorecard.cli import main
from scorecard.measures.base import contracts
from scorecard.rating import ResultsError, rate
from scorecard.registry import RegistryError, ValueUnit, load_registry
from tests.conftest import REPO

REGISTRY_2011 = REPO / "registries" / "improvement_plan_2011.yaml"

DIRECTION_ONLY = textwrap.dedent(
    """\
    financial_years: ["2015/16"]
    groups: [Tests]
    indicators:
      - ref: 1
        id: rate_per_10000
        title: "Referrals per 10,000 children"
        group: Tests
        polarity: L
        period: R12M
        unit: per 10,000
        numerator: referrals
        denominator: children aged 0-17
        source: test
        rule: target_floor
        thresholds:
          "2015/16":
            target: {value: 533.1, published: "plan"}
            floor: {value: 533.1, inferred: "target only"}
      - ref: 2
        id: trend_only
        title: "Re-referrals"
        group: Tests
        polarity: L
        period: YTD
        unit: percent
        numerator: re-referrals
        denominator: referrals
        source: test
        rule: target_floor
    """
)


def test_a_rate_per_10000_and_a_direction_only_indicator_load_and_rate() -> None:
    registry = load_registry(REPO / "indicators.yaml", text=DIRECTION_ONLY)
    assert registry["rate_per_10000"].unit is ValueUnit.PER_10000
    assert ValueUnit.PER_10000.scale == 10_000 and ValueUnit.PER_10000.has_denominator
    assert dict(registry["trend_only"].thresholds) == {}
    results = pd.DataFrame({
        "indicator": ["rate_per_10000"] * 2 + ["trend_only"] * 2,
        "unit": ["Shire"] * 4,
        "month": ["2015-04", "2015-05"] * 2,
        "numerator": [16000, 17000, 30, 20],
        "denominator": [300000, 320000, 100, 100],
        "value": [None] * 4,
    })  # fmt: skip
    rated = rate(results, registry).set_index(["indicator", "month"])
    may = rated.loc[("rate_per_10000", "2015-05")]
    # 17,000 x 10,000 / 320,000 = 531.25: at or below the target 533.1 -> Green
    assert may["value"] == pytest.approx(531.25) and may["rag"] == "G"
    # April: 16,000 x 10,000 / 300,000 = 533.33: above the target (= floor) -> Red
    assert rated.loc[("rate_per_10000", "2015-04"), "rag"] == "R"
    trend = rated.loc[("trend_only", "2015-05")]
    assert pd.isna(trend["rag"]) and trend["state"] == "no thresholds"
    assert trend["dot_previous"] == "improved"  # 30% -> 20%, lower is better


def test_a_rate_given_with_its_figures_is_checked_per_10000() -> None:
    registry = load_registry(REPO / "indicators.yaml", text=DIRECTION_ONLY)
    results = pd.DataFrame({"indicator": ["rate_per_10000"], "unit": ["Shire"],
                            "month": ["2015-05"], "numerator": [17000], "denominator": [320000],
                            "value": [531.25]})  # 17,000 x 10,000 / 320,000  # fmt: skip
    assert rate(results, registry)["rag"].tolist() == ["G"]
    with pytest.raises(ResultsError, match="value"):  # a share, not per 10,000
        rate(results.assign(value=5.3125), registry)


def test_a_direction_only_indicator_has_no_unit_thresholds() -> None:
    text = DIRECTION_ONLY + textwrap.indent(textwrap.dedent(
        """\
        unit_thresholds:
          North:
            "2015/16":
              target: {value: 10, published: "x"}
              floor: {value: 12, published: "x"}
        """), "    ")  # fmt: skip
    with pytest.raises(RegistryError, match="direction-only indicator"):
        load_registry(REPO / "indicators.yaml", text=text)


def test_the_2011_registry_loads_against_the_measures() -> None:
    registry = load_registry(REGISTRY_2011, measures=contracts())
    assert registry.rules.keys() == {"target_met", "target_beaten", "target_floor"}
    supplied = {i.id for i in registry if i.supplied is not None}
    assert supplied == {"contacts_to_referrals", "contacts_into_social_care", "cafs_per_10000"}
    # "below 13.6%": a result on the target misses it
    assert registry.rule_of(registry["cp_plans_second_time"]).on_boundary.value == "worse"


def test_check_and_build_with_the_2011_registry(tmp_path) -> None:
    registry = load_registry(REGISTRY_2011, measures=contracts())
    checked = CliRunner().invoke(main, ["check", "--registry", str(REGISTRY_2011)])
    assert checked.exit_code == 0, checked.output
    assert f"{len(registry)} indicators" in checked.output
    out = tmp_path / "out"
    built = CliRunner().invoke(main, ["build", "--registry", str(REGISTRY_2011), "--out", str(out)])
    assert built.exit_code == 0, built.output
    results = pd.read_csv(out / "scorecard_2015-05_results.csv")
    county = results[(results["level"] == "county") & (results["month"] == "2015-05")]
    assert sorted(county["indicator"]) == sorted(registry.ids)
    county = county.set_index("indicator")
    typed = {"typed_assessments_in_time", "typed_assessments_overdue"}
    for indicator in registry:  # not computed where the extracts cannot feed it, with why
        row = county.loc[indicator.id]
        if indicator.supplied is not None:
            assert pd.isna(row["value"]) and row["state"] == "no data"
            assert row["note"].startswith("not computed: supplied from outside")
        elif indicator.measure_id in typed:  # the bundled assessments are all single ones
            kind = indicator.parameters["assessment_type"]
            assert pd.isna(row["value"]) and row["note"] == (
                f"not computable: the assessment_types extract records no {kind} assessment"
            )
        elif not indicator.thresholds:
            assert pd.notna(row["value"]) and row["state"] == "no thresholds"
        else:
            assert row["rag"] in ("R", "A", "G") and row["thresholds_year"] in (
                "2011/12",
                "2012/13",
            )
    # the rate: referrals over the bundled population, per 10,000 (figures read back, not typed)
    rate_row = county.loc["referral_rate_per_10000"]
    assert rate_row["value"] == pytest.approx(
        rate_row["numerator"] * 10_000 / rate_row["denominator"]
    )
    assert 300_000 < rate_row["denominator"] < 360_000  # the bundled county's children aged 0-17


def test_the_measure_tests_compute_the_indicators_of_the_2011_registry() -> None:
    # tests/measures write their own copy (they must not read registries/): it must not drift
    from tests.measures.registry_2011 import registry_2011

    registry = load_registry(REGISTRY_2011, measures=contracts())
    copied = registry_2011()
    shared = [i for i in copied if i.id in registry and registry[i.id].supplied is None]
    assert len(shared) == 9  # all the file's computed indicators but re-referrals (not tested)
    for mine in shared:
        theirs = registry[mine.id]
        assert (mine.measure_id, mine.period, mine.unit, dict(mine.parameters)) == (
            theirs.measure_id, theirs.period, theirs.unit, dict(theirs.parameters)
        ), mine.id  # fmt: skip
    assert copied["cic_per_10000"].applicability.levels == (
        registry["cic_per_10000"].applicability.levels
    )

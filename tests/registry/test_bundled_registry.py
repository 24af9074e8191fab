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


def test_every_indicator_says_whose_team_a_record_counts_in_and_where_it_applies(registry) -> None:
    for indicator in registry:
        assert indicator.counted_in, indicator.id
        assert indicator.applicability is not None and indicator.applicability.reason, indicator.id
        assert not indicator.carry_forward, indicator.id  # nothing carried forward in Kent's 2015


def test_transfer_artefacts_and_county_counts_are_not_rated_below_county(registry) -> None:
    from scorecard.registry.model import UnitLevel

    county = {UnitLevel.COUNTY}
    # refs 28, 29, 31: the adoption record / the end of care counts in the team holding the case
    # after its transfer to the adoption team: county only
    for ref in (28, 29, 31):
        assert registry.by_ref(ref).applicability.levels == county, ref
    # refs 3 and 7: count targets of the whole county
    for ref in (3, 7):
        assert registry.by_ref(ref).applicability.rated_at == county, ref
    # children placed for adoption moved to the adoption team: not rated there on the history
    # of their care before the transfer
    for ref in (19, 20, 22, 24, 25, 26, 27):
        assert "adoption" not in registry.by_ref(ref).applicability.team_types, ref


def test_a_front_door_team_lists_only_what_applies_to_it(registry) -> None:
    from scorecard.registry.model import UnitLevel

    listed = [i.ref for i in registry
              if i.applicability.applies_to(UnitLevel.TEAM, "front_door")]  # fmt: skip
    # re-referrals (it takes referrals), unallocated cases, audits of its cases, posts
    assert listed == [1, 7, 35, 36, 37, 40, 41]

"""Applicability, rated levels, counted_in and carry_forward in the registry: defaults, overrides
and immutability (the problems they can have are catalogue rows 110-115)."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest

from scorecard.extracts.schemas import TEAM_TYPES
from scorecard.registry import load_registry
from scorecard.registry.model import UnitLevel
from tests.conftest import REPO

COUNTY, AREA, TEAM = UnitLevel.COUNTY, UnitLevel.AREA, UnitLevel.TEAM


def indicator(ref: int, extra: str = "") -> str:
    return (
        f"  - {{ref: {ref}, id: i{ref}, title: T, group: G, polarity: H, period: YTD, "
        "unit: percent, numerator: n, denominator: d, source: s, rule: target_floor, "
        f"{extra}thresholds: {{'2015/16': {{target: {{value: 80, published: p}}, "
        "floor: {value: 70, published: p}}}}\n"
    )


def load(tmp_path: Path, defaults: str, *indicators: str):
    text = 'financial_years: ["2015/16"]\ngroups: [G]\n' + defaults + "indicators:\n" + "".join(indicators)
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    return load_registry(path, REPO / "rag_rules")


def test_without_any_applicability_an_indicator_applies_and_is_rated_everywhere(tmp_path) -> None:
    registry = load(tmp_path, "", indicator(1))
    found = registry["i1"].applicability
    assert found.levels == found.rated_at == {COUNTY, AREA, TEAM}
    assert found.team_types == set(TEAM_TYPES)
    assert registry["i1"].carry_forward is False and registry["i1"].counted_in is None


def test_indicators_inherit_the_defaults_and_override_them_key_by_key(tmp_path) -> None:
    defaults = textwrap.dedent(
        """\
        defaults:
          applies_to: {levels: [county, team], team_types: [adoption, fostering]}
          rated_at: [county, team]
          carry_forward: true
        """
    )
    registry = load(
        tmp_path,
        defaults,
        indicator(1),
        # levels replaced; team types still the defaults'; rated_at = defaults' within the levels
        indicator(2, "applies_to: {levels: [county], reason: r}, "),
        # team types replaced; rated_at replaced; carry_forward switched off
        indicator(3, "applies_to: {team_types: [fostering], reason: r}, rated_at: [county], "
                     "carry_forward: false, counted_in: the post's team, "),
    )
    first, second, third = (registry[i].applicability for i in ("i1", "i2", "i3"))
    assert (first.levels, first.team_types, first.rated_at) == (
        {COUNTY, TEAM}, {"adoption", "fostering"}, {COUNTY, TEAM})
    assert (second.levels, second.team_types, second.rated_at) == (
        {COUNTY}, {"adoption", "fostering"}, {COUNTY})
    assert (third.levels, third.team_types, third.rated_at) == (
        {COUNTY, TEAM}, {"fostering"}, {COUNTY})
    assert second.reason == "r" and first.reason is None
    assert [registry[i].carry_forward for i in ("i1", "i2", "i3")] == [True, True, False]
    assert registry["i3"].counted_in == "the post's team"
    # a fostering team: i1 and i3 apply, i3 is not rated at team level; i2 not at team level
    assert first.applies_to(TEAM, "fostering") and first.rated(TEAM, "fostering")
    assert third.applies_to(TEAM, "fostering") and not third.rated(TEAM, "fostering")
    assert not second.applies_to(TEAM, "fostering")
    assert not first.applies_to(TEAM, "front_door") and first.applies_to(TEAM, None)
    assert not first.applies_to(AREA)


def test_applicability_is_immutable(tmp_path) -> None:
    found = load(tmp_path, "", indicator(1)).by_ref(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.applicability.levels = frozenset()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        found.applicability.team_types.add("other")  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.counted_in = "x"  # type: ignore[misc]


def test_applicability_frames(tmp_path) -> None:
    registry = load(
        tmp_path, "", indicator(1, "applies_to: {levels: [county], reason: r}, "),
        indicator(2, "applies_to: {team_types: [asylum], reason: r}, rated_at: [county, area], "),
    )
    table = registry.applicability_frame().set_index("indicator")
    assert table.loc["i1"].tolist() == [True, True, False, False, False, False, False]
    assert table.loc["i2"].tolist() == [True, True, True, True, True, False, False]
    pairs = registry.team_types_frame()
    assert pairs[pairs["indicator"] == "i2"]["team_type"].tolist() == ["asylum"]

"""The measure framework's registry-facing helpers, pinned (mutation testing): which indicators
read which extract (``extract_users``) and what each measure declares (``contracts``).

The expected users are worked out from the measures' declarations (``@measure(..., needs=...,
optional=...)``): ``re_referrals_12m`` needs referrals; ``unallocated_cases`` needs referrals and
allocations and reads workforce when supplied; ``caseload_cic`` needs workforce and allocations.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from scorecard.measures.base import contracts, extract_users, registered_measures
from scorecard.registry import load_registry
from tests.conftest import REPO

TARGETS = '{"2015/16": {target: {value: 10, published: p}, floor: {value: 12, inferred: i}}}'
REGISTRY = textwrap.dedent(
    f"""\
    financial_years: ["2015/16"]
    groups: [G]
    indicators:
      - {{ref: 3, id: re_referrals_12m, title: A, group: G, polarity: L, period: YTD,
         unit: count, numerator: n, source: s, rule: target_floor, thresholds: {TARGETS}}}
      - {{ref: 7, id: unallocated_cases, title: B, group: G, polarity: L, period: SS,
         unit: count, numerator: n, source: s, rule: target_floor, thresholds: {TARGETS}}}
      - {{ref: 9, id: caseload_copy, measure: caseload_cic, title: C, group: G, polarity: L,
         period: SS, unit: count, numerator: n, source: s, rule: target_floor,
         thresholds: {TARGETS}}}
      - {{ref: 11, id: caseload_fostering, supplied: "the HR system", title: D, group: G,
         polarity: L, period: SS, unit: count, numerator: n, source: s, rule: target_floor,
         thresholds: {TARGETS}}}
      - {{ref: 12, id: no_such_measure_here, title: E, group: G, polarity: L, period: SS,
         unit: count, numerator: n, source: s, rule: target_floor, thresholds: {TARGETS}}}
    """
)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory):
    path = Path(tmp_path_factory.mktemp("users")) / "indicators.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return load_registry(path, REPO / "rag_rules")  # no measures given: nothing checked


def test_extract_users_follow_each_measure_s_declaration(registry) -> None:
    # ref 11 is supplied from outside (its id names a measure, which is not used); ref 12 has no
    # measure: neither reads an extract
    assert extract_users(registry) == {
        "referrals": (3, 7),
        "allocations": (7, 9),
        "workforce": (7, 9),
    }


def test_contracts_are_the_measures_declarations() -> None:
    found = contracts()
    assert set(found) == set(registered_measures())
    unallocated = found["unallocated_cases"]
    assert unallocated.needs == ("referrals", "allocations")
    assert unallocated.optional == ("workforce",)
    assert found["re_referrals_12m"].needs == ("referrals",)
    with pytest.raises(TypeError):
        found["x"] = unallocated  # type: ignore[index]  # read-only

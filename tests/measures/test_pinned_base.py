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


def test_whole_declares_a_whole_number_of_at_least_0_by_default() -> None:
    from scorecard.measures.base import whole
    from scorecard.registry.contract import Parameter, ParameterKind

    assert whole("months", "how many months") == Parameter(
        "months", ParameterKind.WHOLE, "how many months", None, 0, None)  # fmt: skip
    assert whole("days", "d", 28, minimum=1, maximum=90) == Parameter(
        "days", ParameterKind.WHOLE, "d", 28, 1, 90)  # fmt: skip


def test_measure_registers_its_declaration_once() -> None:
    # registration happens when a domain module is imported (before mutmut's mutants are active),
    # so it is checked here by registering a measure of the test's own and removing it again
    from scorecard.measures.base import _MEASURES, Measure, measure, whole

    def rows(inp):  # pragma: no cover - never run
        raise AssertionError

    parameter = whole("days", "d", 7)
    assert "pinned_test_measure" not in _MEASURES
    try:
        returned = measure("pinned_test_measure", needs=["visits"], parameters=[parameter],
                           optional=["workforce"])(rows)  # fmt: skip
        assert returned is rows
        assert _MEASURES["pinned_test_measure"] == Measure(
            "pinned_test_measure", ("visits",), rows, (parameter,), ("workforce",))  # fmt: skip
        with pytest.raises(ValueError, match=r"^a measure for 'pinned_test_measure' is already "
                                             r"registered$"):  # fmt: skip
            measure("pinned_test_measure", needs=("visits",))(rows)
        assert _MEASURES["pinned_test_measure"].function is rows  # the first one stays
    finally:
        _MEASURES.pop("pinned_test_measure", None)


def test_param_reads_the_registry_then_the_declared_default() -> None:
    import dataclasses

    import pandas as pd

    from scorecard.measures.base import _MEASURES, MeasureInput, measure, whole
    from tests.measures.builders import build

    registered_measures()
    indicator = load_registry()["re_referrals_12m"]  # lookback_months: 12 in the registry
    months = pd.PeriodIndex(["2015-05"], freq="M")

    def param(ind, name):
        return MeasureInput(build(), months, ind).param(name)

    assert (
        param(dataclasses.replace(indicator, parameters={"lookback_months": 6}), "lookback_months")
        == 6
    )
    assert param(dataclasses.replace(indicator, parameters={}), "lookback_months") == 12  # default
    with pytest.raises(LookupError) as caught:
        param(indicator, "lookback_month")
    assert caught.value.args[0] == (
        "measure 're_referrals_12m' reads parameter 'lookback_month', which it does not declare"
    )
    try:
        measure("pinned_required", needs=(), parameters=(whole("x", "m"),))(lambda inp: None)
        required = dataclasses.replace(indicator, id="needs_x", measure="pinned_required",
                                       parameters={})  # fmt: skip
        with pytest.raises(LookupError) as caught:
            param(required, "x")
        assert caught.value.args[0] == (
            "indicator 'needs_x' gives no value for the required parameter 'x'"
        )
        assert param(dataclasses.replace(required, parameters={"x": 0}), "x") == 0
    finally:
        _MEASURES.pop("pinned_required", None)


def test_in_period_refusals_word_for_word() -> None:
    import pandas as pd

    from scorecard.measures.base import MeasureInput, in_period

    registry = load_registry()
    events = pd.DataFrame({"date": pd.to_datetime(["2015-04-10"])})

    def refused(indicator: str, months: list[str], frame: pd.DataFrame) -> str:
        inp = MeasureInput(None, pd.PeriodIndex(months, freq="M"), registry[indicator])  # type: ignore[arg-type]
        with pytest.raises(ValueError) as caught:
            in_period(frame, "date", inp)
        return str(caught.value)

    # assessments_overdue is a snapshot (SS) indicator
    assert refused("assessments_overdue", ["2015-05"], events) == (
        "assessments_overdue: in_period is for YTD and R12M indicators"
    )
    assert refused("re_referrals_12m", ["2015-05", "2015-04"], events) == (
        "re_referrals_12m: in_period needs ascending, distinct months"
    )
    assert refused("re_referrals_12m", ["2015-05"], events.assign(month=1)) == (
        "re_referrals_12m: in_period needs events without a 'month' column"
    )

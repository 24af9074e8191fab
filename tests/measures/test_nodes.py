"""Shared intermediate frames (issue 11): a :func:`node`'s cache key comes from the function and its
inputs, never from a key written by hand."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from scorecard.measures.base import MeasureInput, node, node_key, sharing
from scorecard.registry import load_registry
from scorecard.registry.model import Period
from tests.conftest import REPO
from tests.measures.builders import build

MONTHS = pd.period_range("2015-04", "2015-06", freq="M")


def _counting() -> tuple[list[tuple], object]:
    calls: list[tuple] = []

    @node
    def frame(extracts, *inputs):  # type: ignore[no-untyped-def]
        calls.append(inputs)
        return pd.DataFrame({"x": [len(calls)]})

    return calls, frame


@pytest.fixture(scope="module")
def extracts():  # type: ignore[no-untyped-def]
    return build(referrals=[])


def test_built_once_per_distinct_inputs_inside_sharing(extracts) -> None:
    calls, frame = _counting()
    with sharing(extracts):
        first = frame(extracts, "a", MONTHS)
        again = frame(extracts, "a", pd.period_range("2015-04", "2015-06", freq="M"))
        other = frame(extracts, "b", MONTHS)
        fewer = frame(extracts, "a", MONTHS[:2])
    assert [(name, len(months)) for name, months in calls] == [("a", 3), ("b", 3), ("a", 2)]
    assert first["x"].tolist() == again["x"].tolist() == [1]
    assert other["x"].tolist() == [2] and fewer["x"].tolist() == [3]


def test_built_every_time_outside_sharing_or_for_other_extracts(extracts) -> None:
    calls, frame = _counting()
    frame(extracts, "a")
    frame(extracts, "a")
    with sharing(build(referrals=[])):
        frame(extracts, "a")
    assert len(calls) == 3


def test_one_caller_cannot_change_what_another_sees(extracts) -> None:
    _, frame = _counting()
    with sharing(extracts):
        mine = frame(extracts)
        mine.loc[0, "x"] = 99
        assert frame(extracts)["x"].tolist() == [1]


def test_two_functions_never_share_a_key(extracts) -> None:
    calls_a, a = _counting()
    calls_b, b = _counting()
    with sharing(extracts):
        a(extracts, "same")
        b(extracts, "same")
    assert len(calls_a) == len(calls_b) == 1


def test_an_unhashable_input_is_refused() -> None:
    with pytest.raises(TypeError, match="hashable, not list"):
        node_key([1, 2])


def test_a_measure_input_is_keyed_by_months_period_and_declared_parameters(extracts) -> None:
    """Refs 32 and 33 (one birthday cohort, same parameters) share a key; changing one of the
    cohort's declared parameters, the months or the period changes it; the indicator id does not."""
    registry = load_registry(REPO / "indicators.yaml")
    in_touch, suitable = registry.by_ref(32), registry.by_ref(33)
    assert in_touch.id != suitable.id

    def key(indicator, months=MONTHS):  # type: ignore[no-untyped-def]
        return node_key(MeasureInput(extracts, months, indicator))

    assert key(in_touch) == key(suitable)
    older = dataclasses.replace(in_touch, parameters={**in_touch.parameters, "oldest_age": 20})
    assert key(older) != key(in_touch)
    assert key(in_touch, MONTHS[:1]) != key(in_touch)
    other_period = dataclasses.replace(in_touch, period=Period.YTD)
    assert key(other_period) != key(in_touch)


def test_a_measure_input_without_a_registered_measure_is_refused(extracts) -> None:
    registry = load_registry(REPO / "indicators.yaml")
    unknown = dataclasses.replace(registry.by_ref(32), measure="no_such_measure")
    with pytest.raises(LookupError, match="no_such_measure"):
        node_key(MeasureInput(extracts, MONTHS, unknown))


def test_rows_of_a_missing_team_are_refused_with_a_message() -> None:
    """A measure returning a record without a team is refused naming it (building the message
    used to fail on sorting a missing value beside text)."""
    from scorecard.measures.compute import _check_rows

    rows = pd.DataFrame({
        "month": [pd.Period("2015-05", "M")] * 2, "team": pd.Series(["X", None], dtype="string"),
        "record_id": ["r1", "r2"], "child_id": ["c1", "c1"], "numerator": [1, 0],
        "denominator": [1, 1],
    })  # fmt: skip
    units = pd.DataFrame({"team": ["A"], "unit": ["A"], "level": ["team"]})
    with pytest.raises(
        ValueError, match=r"team\(s\) not in the organisation table \['<missing>', 'X'\]"
    ):
        _check_rows(rows, "x", units)

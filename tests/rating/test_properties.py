"""Properties of the rating rules (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scorecard.rating import rate
from scorecard.rating.rules import rag_codes
from tests.conftest import examples
from tests.rating.conftest import results

RANK = {"R": 0, "A": 1, "G": 2}
MIRROR = {"R": "G", "A": "A", "G": "R"}
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
percent = st.floats(min_value=0, max_value=100, allow_nan=False)


def target_floor_frame(values, sign, target, floor) -> pd.DataFrame:
    n = len(values)
    return pd.DataFrame({
        "value": values, "method": ["target_floor"] * n, "sign": [sign] * n,
        "on_boundary": ["better"] * n, "target": [target] * n, "floor": [floor] * n,
    })  # fmt: skip


def bands_frame(values, target, green, amber) -> pd.DataFrame:
    n = len(values)
    return pd.DataFrame({
        "value": values, "method": ["bands"] * n, "sign": [0] * n, "on_boundary": ["better"] * n,
        "target": [target] * n, "green_lower": [target - green] * n,
        "green_upper": [target + green] * n, "amber_lower": [target - amber] * n,
        "amber_upper": [target + amber] * n,
    })  # fmt: skip


@given(st.lists(percent, min_size=1, max_size=60))
@settings(max_examples=examples(60), deadline=None)
def test_rag_is_monotonic_in_the_value_for_h_and_l(tiny, values) -> None:
    rows = [(ind, f"u{i}", "2015-05", np.nan, np.nan, v)
            for ind in ("high", "low") for i, v in enumerate(values)]  # fmt: skip
    rated = rate(results(rows), tiny)
    for indicator, better_when in (("high", 1), ("low", -1)):
        part = rated[rated["indicator"] == indicator].sort_values("value")
        ranks = part["rag"].astype(object).map(RANK).to_numpy()
        steps = np.diff(ranks) * better_when
        assert (steps >= 0).all(), part[["value", "rag"]]


@given(st.lists(finite, min_size=1, max_size=40), finite, finite)
@settings(max_examples=examples(200), deadline=None)
def test_flipping_polarity_mirrors_green_and_red(values, a, b) -> None:
    target, floor = max(a, b), min(a, b)  # a valid H indicator: floor at or below the target
    high = rag_codes(target_floor_frame(values, 1, target, floor))
    # 1. by sign: an L indicator on negated values and thresholds rates exactly as H
    low_negated = rag_codes(target_floor_frame([-v for v in values], -1, -target, -floor))
    assert list(high) == list(low_negated)
    # 2. swapping H and L (and so target and floor) turns Green into Red and Red into Green
    low_swapped = rag_codes(target_floor_frame(values, -1, floor, target))
    for value, h, low in zip(values, high, low_swapped, strict=True):
        if min(abs(value - target), abs(value - floor)) > 1e-6 * max(1, abs(value)):
            assert low == MIRROR[h], (value, target, floor, h, low)


@given(finite, st.floats(0, 1e3), st.floats(0, 1e3), st.floats(0, 2e3))
@settings(max_examples=examples(300), deadline=None)
def test_t_rating_depends_only_on_the_distance_band(target, green, extra, distance) -> None:
    amber = green + extra
    for edge in (green, amber):
        assume(abs(distance - edge) > 1e-6 * max(1.0, abs(target) + edge))
    expected = "G" if distance <= green else "A" if distance <= amber else "R"
    codes = rag_codes(bands_frame([target + distance, target - distance], target, green, amber))
    assert list(codes) == [expected, expected]


@given(st.integers(0, 10_000), st.integers(1, 10_000))
@settings(max_examples=examples(200), deadline=None)
def test_percentages_from_counts_lie_in_0_100(tiny, numerator, denominator) -> None:
    assume(numerator <= denominator)
    rated = rate(results([("high", "Kent", "2015-05", numerator, denominator, np.nan)]), tiny)
    assert 0 <= rated["value"].iloc[0] <= 100


LEVELS = st.sampled_from([None, "county", "area", "team"])
TEAM_TYPES_OR_NONE = st.sampled_from([None, "assessment_and_family_support", "front_door", "other"])
MONTHS = st.sampled_from(["2014-05", "2015-05", "2016-05"])  # 2016/17 has no thresholds
INDICATORS = st.sampled_from(["high", "low", "close", "versus_england", "backlog"])


@st.composite
def result_rows(draw) -> tuple:
    indicator = draw(INDICATORS)
    denominator = draw(st.one_of(st.none(), st.integers(0, 50)))
    top = denominator if denominator is not None else 50
    numerator = draw(st.one_of(st.none(), st.integers(0, top)))
    if indicator == "backlog":
        denominator = None
    level = draw(LEVELS)
    team_type = draw(TEAM_TYPES_OR_NONE) if level == "team" else None
    note = draw(st.sampled_from([None, "not computable: extract(s) absent: x"]))
    return indicator, level, team_type, draw(MONTHS), numerator, denominator, note


@given(st.lists(result_rows(), min_size=1, max_size=40))
@settings(max_examples=examples(100), deadline=None)
def test_state_is_rated_exactly_when_there_is_a_rag(tiny, rows) -> None:
    frame = pd.DataFrame(
        [(ind, f"u{i}", level, team_type, month, num, den, np.nan, note)
         for i, (ind, level, team_type, month, num, den, note) in enumerate(rows)],
        columns=["indicator", "unit", "level", "team_type", "month", "numerator", "denominator",
                 "value", "note"],
    )  # fmt: skip
    rated = rate(frame, tiny)
    assert ((rated["state"] == "rated") == rated["rag"].notna()).all()
    assert rated["state"].notna().all()
    # a row with no value is never rated; a row of a year without thresholds neither
    assert not (rated["value"].isna() & rated["rag"].notna()).any()
    assert not ((rated["month"].astype(str) == "2016-05") & rated["rag"].notna()).any()

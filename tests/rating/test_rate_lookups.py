"""The look-ups ``rate`` makes instead of merges and a pandera check, against what they replace."""

from __future__ import annotations

import importlib
import textwrap

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.rating.rules import direction_codes
from scorecard.rating.vocabulary import DIRECTION_DTYPE
from scorecard.registry import load_registry
from tests.conftest import REPO, examples

RATE = vars(importlib.import_module("scorecard.rating.rate"))  # rate()'s module: its helpers
UNITS = ["Kent", "North", "Team A", "Team B"]

CARRIED = textwrap.dedent(
    """\
    financial_years: ["2015/16"]
    groups: [G]
    indicators:
      - {ref: 1, id: kept, title: K, group: G, polarity: H, period: SS, unit: percent,
         numerator: n, denominator: d, source: s, rule: target_floor, carry_forward: true,
         thresholds: {"2013/14": {target: {value: 80, published: p}, floor: {value: 70, inferred: i}},
                      "2015/16": {target: {value: 85, published: p}, floor: {value: 75, inferred: i}}},
         unit_thresholds: {"Team A": {"2015/16": {target: {value: 50, published: p},
                                                  floor: {value: 40, inferred: i}}},
                           "North": {"2013/14": {target: {value: 60, published: p},
                                                 floor: {value: 55, inferred: i}}}}}
      - {ref: 2, id: yearly, title: Y, group: G, polarity: L, period: SS, unit: count,
         numerator: n, source: s, rule: target_floor,
         thresholds: {"2015/16": {target: {value: 3, published: p}, floor: {value: 5, inferred: i}}},
         unit_thresholds: {"Team B": {"2013/14": {target: {value: 1, published: p},
                                                  floor: {value: 2, inferred: i}}}}}
      - {ref: 3, id: none, title: N, group: G, polarity: H, period: SS, unit: count,
         numerator: n, source: s, rule: target_floor}
    """
)


@pytest.fixture(scope="module")
def carried(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("carried") / "indicators.yaml"
    path.write_text(CARRIED, encoding="utf-8")
    return load_registry(path, REPO / "rag_rules")


keys = st.lists(
    st.tuples(st.sampled_from(["kept", "yearly", "none"]), st.sampled_from(UNITS),
              st.integers(2011, 2018)),
    min_size=1, max_size=30,
)  # fmt: skip


@given(rows=keys)
@settings(max_examples=examples(25), deadline=None)
def test_thresholds_in_force_are_those_of_the_merges(carried, rows) -> None:
    frame = pd.DataFrame(rows, columns=["indicator", "unit", "fy_start"])
    got = RATE["_with_thresholds"](frame, carried)
    want = RATE["_with_thresholds_by_merge"](frame, carried)
    columns = ["method", "on_boundary", *RATE["THRESHOLD_COLUMNS"], "thresholds_year",
               "unit_thresholds"]  # fmt: skip
    pd.testing.assert_frame_equal(got[columns], want[columns], check_exact=True)
    assert got[columns[:2]].map(type).equals(want[columns[:2]].map(type))


def test_thresholds_carried_forward_and_own_by_hand(carried) -> None:
    frame = pd.DataFrame(
        [("kept", "Team A", 2016), ("kept", "North", 2016), ("kept", "Kent", 2014),
         ("kept", "Kent", 2012), ("yearly", "Team B", 2013), ("yearly", "Team B", 2014),
         ("yearly", "Kent", 2014), ("none", "Kent", 2015)],
        columns=["indicator", "unit", "fy_start"],
    )  # fmt: skip
    got = RATE["_with_thresholds"](frame, carried)
    assert got["target"].fillna(-1).tolist() == [50.0, 60.0, 80.0, -1, 1.0, -1, -1, -1]
    assert got["unit_thresholds"].tolist() == [True, True] + [False, False, True] + [False] * 3
    assert got["thresholds_year"].tolist()[:5] == ["2015/16", "2013/14", "2013/14", None, "2013/14"]


def _travel_by_merge(frame: pd.DataFrame) -> pd.DataFrame:
    """The merges ``_add_travel`` replaced (the reference)."""
    frame = frame.copy()
    lookup = frame[["indicator", "unit", "month", "value"]]
    frame["previous_month"] = frame["month"] - 1
    frame["outturn_month"] = RATE["outturn_month"](frame["month"])
    for name, month_column in (("previous", "previous_month"), ("outturn", "outturn_month")):
        found = frame[["indicator", "unit", month_column]].merge(
            lookup.rename(columns={"month": month_column, "value": f"{name}_value"}),
            on=["indicator", "unit", month_column], how="left", validate="many_to_one",
        )  # fmt: skip
        frame[f"{name}_value"] = found[f"{name}_value"].to_numpy()
        frame[f"dot_{name}"] = pd.Categorical(
            direction_codes(frame["value"].to_numpy(dtype=float),
                            frame[f"{name}_value"].to_numpy(dtype=float),
                            frame["sign"].to_numpy(dtype=float),
                            frame["target"].to_numpy(dtype=float)),
            dtype=DIRECTION_DTYPE,
        )  # fmt: skip
    return frame


cells = st.lists(
    st.tuples(st.sampled_from(["a", "b"]), st.sampled_from(UNITS[:3]),
              st.integers(0, 30), st.one_of(st.none(), st.integers(0, 4))),
    min_size=1, max_size=40, unique_by=lambda r: r[:3],
)  # fmt: skip


@given(rows=cells, sign=st.sampled_from([-1, 0, 1]))
@settings(max_examples=examples(40), deadline=None)
def test_previous_and_outturn_values_are_those_of_the_merges(rows, sign) -> None:
    start = pd.Period("2014-01", freq="M")
    frame = pd.DataFrame(
        {
            "indicator": [r[0] for r in rows],
            "unit": [r[1] for r in rows],
            "month": pd.Series([start + r[2] for r in rows], dtype="period[M]"),
            "value": [np.nan if r[3] is None else float(r[3]) for r in rows],
            "sign": sign,
            "target": 2.0,
        }
    )
    got = RATE["_add_travel"](frame.copy())
    want = _travel_by_merge(frame)
    columns = ["outturn_month", "previous_value", "dot_previous", "outturn_value", "dot_outturn"]
    pd.testing.assert_frame_equal(got[columns], want[columns], check_exact=True)


numbers = st.one_of(st.none(), st.sampled_from([0.0, 1.0, 5.0, -1.0, np.inf, 100.0, 250.0]))
dtypes = st.sampled_from(["float64", "int64", "object", "Int64", "float32"])


@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["high", "low", "nope"]), st.sampled_from(["Kent", "North", None]),
                  st.sampled_from(["2015-05", "2015-06", None]), numbers, numbers, numbers,
                  st.sampled_from(["county", "area", "team", "region", None])),
        min_size=1, max_size=8,
    ),
    text=st.sampled_from(["object", "str", "string", "category"]),
    measure=dtypes,
)  # fmt: skip
@settings(max_examples=examples(80), deadline=None)
def test_a_frame_passed_without_the_schema_passes_it(tiny, rows, text, measure) -> None:
    frame = pd.DataFrame(
        rows, columns=["indicator", "unit", "month", "numerator", "denominator", "value", "level"]
    )
    frame = frame.astype({"indicator": text, "unit": text, "level": text})
    for column in ("numerator", "denominator", "value"):
        try:
            frame[column] = frame[column].astype(measure)
        except (ValueError, TypeError, OverflowError):
            pass
    quick = RATE["_plainly_valid"](frame, tiny)
    if quick is None:
        return
    schema = RATE["_results_schema"](tiny, frame.columns)
    pd.testing.assert_frame_equal(quick, schema.validate(frame, lazy=True), check_exact=True)


def test_a_plain_frame_skips_the_schema(tiny) -> None:
    frame = pd.DataFrame(
        {"indicator": ["high", "low"], "unit": ["Kent", "Kent"], "month": ["2015-05"] * 2,
         "numerator": [1, 2], "denominator": [3.0, np.nan], "value": [np.nan, 4.0],
         "level": pd.Series(["county", None], dtype="str")}
    )  # fmt: skip
    quick = RATE["_plainly_valid"](frame, tiny)
    assert quick is not None and quick["numerator"].dtype == np.float64
    for odd in ({"numerator": [-1, 2]}, {"value": [np.inf, 1.0]}, {"unit": ["Kent", None]},
                {"indicator": ["high", "nope"]}, {"month": ["2015-05", None]},
                {"level": ["county", "region"]}, {"unit": ["Kent", 3]}):  # fmt: skip
        assert RATE["_plainly_valid"](frame.assign(**odd), tiny) is None, odd
    assert RATE["_plainly_valid"](pd.concat([frame, frame], ignore_index=True), tiny) is None


def test_the_registry_builds_what_it_keeps_once(tiny) -> None:
    calls = []

    def build(registry):
        calls.append(registry)
        return object()

    first = tiny.memo("test.once", build)
    assert tiny.memo("test.once", build) is first and calls == [tiny]

"""Properties of the SPC columns over random frames (hypothesis): they do not depend on the order
of the rows or of the units, or on what the units are called; mirroring the values (x -> -x, H
<-> L) mirrors the limits and keeps every reading; doubling the values doubles the figures and
keeps every reading. Doubling and negating are exact in floating point, so these hold exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.rating.spc import SPC_COLUMNS, SpcSettings, add_spc
from tests.conftest import examples

SETTINGS = SpcSettings(min_baseline_points=6, trend_min_points=4)
KEY = ["indicator", "unit", "month"]
NUMBERS = ["spc_centre", "spc_lower", "spc_upper", "trend_slope", "trend_low", "trend_high"]
READINGS = ["spc_point", "spc_special_cause", "spc_variation", "spc_assurance",
            "trend_direction", "trend_points", "spc_note"]  # fmt: skip


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    n_units = draw(st.integers(1, 4))
    n_months = draw(st.integers(6, 20))
    indicators = draw(st.lists(st.sampled_from(["H", "L", "T"]), min_size=1, max_size=3))
    cells = len(indicators) * n_units * n_months
    values = draw(st.lists(st.one_of(st.integers(0, 40).map(float), st.just(np.nan)),
                           min_size=cells, max_size=cells))  # fmt: skip
    targets = draw(st.lists(st.integers(0, 40).map(float), min_size=len(indicators),
                            max_size=len(indicators)))  # fmt: skip
    months = pd.period_range("2014-01", periods=n_months, freq="M")
    index = pd.MultiIndex.from_product(
        [range(len(indicators)), [f"u{k}" for k in range(n_units)], months],
        names=["i", "unit", "month"],
    )
    frame = index.to_frame(index=False)
    frame["indicator"] = "ind" + frame["i"].astype(str)
    frame["polarity"] = [indicators[i] for i in frame["i"]]
    frame["target"] = [targets[i] for i in frame["i"]]
    t = frame["polarity"] == "T"
    frame["green_lower"] = np.where(t, frame["target"] - 3, np.nan)
    frame["green_upper"] = np.where(t, frame["target"] + 3, np.nan)
    frame["value"] = values
    return frame.drop(columns="i")


def texts(values: pd.Series) -> list[str | None]:
    return [None if pd.isna(v) else str(v) for v in values]


def keyed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.assign(month=frame["month"].astype(str)).sort_values(KEY).reset_index(drop=True)
    return out[KEY + SPC_COLUMNS]


@settings(max_examples=examples(30), deadline=None)
@given(frames(), st.randoms(use_true_random=False))
def test_the_order_of_rows_and_units_and_their_names_do_not_matter(frame, rnd) -> None:
    expected = keyed(add_spc(frame, SETTINGS))
    order = list(range(len(frame)))
    rnd.shuffle(order)
    shuffled = frame.iloc[order].reset_index(drop=True)
    pd.testing.assert_frame_equal(keyed(add_spc(shuffled, SETTINGS)), expected)
    # renamed units, in another order (z... sorts the other way round)
    names = {u: f"z{9 - int(u[1:])}" for u in frame["unit"].unique()}
    renamed = add_spc(shuffled.assign(unit=shuffled["unit"].map(names)), SETTINGS)
    back = renamed.assign(unit=renamed["unit"].map({v: k for k, v in names.items()}))
    pd.testing.assert_frame_equal(keyed(back), expected)


@settings(max_examples=examples(30), deadline=None)
@given(frames())
def test_mirroring_mirrors_the_limits_and_keeps_the_readings(frame) -> None:
    swap = {"H": "L", "L": "H", "T": "T"}
    mirrored = frame.assign(
        value=-frame["value"], target=-frame["target"], polarity=frame["polarity"].map(swap),
        green_lower=-frame["green_upper"], green_upper=-frame["green_lower"],
    )  # fmt: skip
    a, b = keyed(add_spc(frame, SETTINGS)), keyed(add_spc(mirrored, SETTINGS))
    np.testing.assert_array_equal(b["spc_centre"], -a["spc_centre"])
    np.testing.assert_array_equal(b["spc_lower"], -a["spc_upper"])
    np.testing.assert_array_equal(b["spc_upper"], -a["spc_lower"])
    np.testing.assert_allclose(b["trend_slope"], -a["trend_slope"], rtol=1e-12, atol=1e-12)
    side = {"above the upper limit": "below the lower limit", "run increasing": "run decreasing",
            "two of three high": "two of three low", "run above the centre": "run below the centre"}  # fmt: skip
    side |= {v: k for k, v in side.items()}
    flipped = [None if c is None else side[c] for c in texts(a["spc_special_cause"])]
    assert texts(b["spc_special_cause"]) == flipped
    for column in ("spc_point", "spc_variation", "spc_assurance", "spc_note"):
        pd.testing.assert_series_equal(b[column], a[column])
    # the slope's interval is mirrored too, so the direction read with the polarity is the same
    # (for T, where no direction is better, rising and falling swap)
    swap_t = {"rising": "falling", "falling": "rising"}
    expected = [swap_t.get(d, d) if d is not None else None for d in texts(a["trend_direction"])]
    assert texts(b["trend_direction"]) == expected


@settings(max_examples=examples(30), deadline=None)
@given(frames())
def test_doubling_doubles_the_figures_and_keeps_the_readings(frame) -> None:
    doubled = frame.assign(**{c: frame[c] * 2 for c in ("value", "target", "green_lower",
                                                          "green_upper")})  # fmt: skip
    a, b = keyed(add_spc(frame, SETTINGS)), keyed(add_spc(doubled, SETTINGS))
    for column in NUMBERS:
        np.testing.assert_allclose(b[column], 2 * a[column], rtol=1e-12, atol=1e-12)
    for column in READINGS:
        pd.testing.assert_series_equal(b[column], a[column])


@settings(max_examples=examples(25), deadline=None)
@given(frames())
def test_limits_straddle_the_centre_and_beyond_a_limit_is_always_flagged(frame) -> None:
    out = add_spc(frame, SETTINGS)
    has = out["spc_centre"].notna()
    assert (out.loc[has, "spc_lower"] <= out.loc[has, "spc_centre"]).all()
    assert np.allclose(out.loc[has, "spc_upper"] - out.loc[has, "spc_centre"],
                       out.loc[has, "spc_centre"] - out.loc[has, "spc_lower"])  # fmt: skip
    above = out["spc_point"] & (out["value"] > out["spc_upper"])
    assert (out.loc[above, "spc_special_cause"] == "above the upper limit").all()
    assert out.loc[~out["spc_point"], "spc_special_cause"].isna().all()

"""Statistical process control (scorecard.rating.spc), worked by hand.

Most series start with a baseline of twelve months alternating 12 and 10 (baseline_end fixes it to
those months), whose figures are easy to work out:

    centre        = (6 x 12 + 6 x 10) / 12 = 11
    moving ranges = |10 - 12| = 2, eleven times: mean moving range 2
    limits        = 11 -/+ 2.66 x 2 = 11 -/+ 5.32: lower 5.68, upper 16.32
    two sigma     = 11 -/+ (2/3) x 5.32 = 11 -/+ 3.5467: 7.4533 and 14.5467

The baseline ends on a 10 (below the centre), so runs after it start afresh. The months that
follow are the test's own points, judged against those limits.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from scorecard.errors import UsageError
from scorecard.rating.spc import SPC_COLUMNS, SpcSettings, add_spc, spc_words, t_quantile
from scorecard.rating.vocabulary import Assurance, SpecialCause, TrendDirection, Variation

BASELINE = [12.0, 10.0] * 6
START = pd.Period("2014-01", freq="M")
FIXED = SpcSettings(baseline_end=START + 11)  # the twelve baseline months


def series(values, polarity: str = "H", unit: str = "Unit", **columns) -> pd.DataFrame:
    """One indicator of one unit, a month per value from January 2014 (NaN: no value)."""
    n = len(values)
    frame = pd.DataFrame(
        {
            "indicator": "ind",
            "unit": unit,
            "month": pd.period_range(START, periods=n, freq="M"),
            "value": np.asarray(values, dtype=float),
            "polarity": polarity,
            "target": np.nan,
        }
    )
    for name, value in columns.items():
        frame[name] = value
    return frame


def causes(frame: pd.DataFrame) -> list[str | None]:
    return [None if pd.isna(c) else str(c) for c in frame["spc_special_cause"]]


def variations(frame: pd.DataFrame) -> list[str | None]:
    return [None if pd.isna(v) else str(v) for v in frame["spc_variation"]]


# --- centre and limits ---------------------------------------------------------------------------


def test_centre_and_limits_by_hand() -> None:
    out = add_spc(series(BASELINE))
    assert out["spc_centre"].tolist() == pytest.approx([11.0] * 12)
    assert out["spc_lower"].tolist() == pytest.approx([5.68] * 12)  # 11 - 2.66 x 2
    assert out["spc_upper"].tolist() == pytest.approx([16.32] * 12)  # 11 + 2.66 x 2
    assert variations(out) == [Variation.COMMON_CAUSE.value] * 12
    assert out["spc_point"].all()


def test_published_figures_of_nhsrplotthedots_deviations_vignette() -> None:
    """NHSRplotthedots, vignette "Deviations from Excel defaults" (vignettes/deviations.Rmd),
    section 1 "Treatment of outlying points": for the 18 points below, the Making Data Count
    Excel method (screen_outliers = FALSE) gives UPL 6.95, mean 1.94, LPL -3.06; the package's
    default, screening outlying moving ranges, gives UPL 4.6, mean 1.94, LPL -0.72. Both charts
    show "four grey common cause points followed by a single blue special cause improvement
    point followed by a further 12 grey common cause points" (improvement direction: increase).
    By hand: mean 35 / 18 = 1.944; moving ranges 1, 1, 1, 8, 9 and twelve 1s: 32 / 17 = 1.882;
    1.944 -/+ 2.66 x 1.882 = -3.06 and 6.95. Screened: 8 and 9 are at least 3.267 x 1.882 = 6.15,
    so left out: fifteen 1s, mean 1; 1.944 -/+ 2.66 = -0.72 and 4.60."""
    data = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    expected = [Variation.COMMON_CAUSE.value] * 18
    expected[4] = Variation.IMPROVEMENT.value
    for settings, (upper, mean, lower) in (
        (SpcSettings(), (6.95, 1.94, -3.06)),
        (SpcSettings(screen_moving_ranges=True), (4.6, 1.94, -0.72)),
    ):
        out = add_spc(series(data), settings)
        assert round(out["spc_upper"].iloc[0], 2) == upper
        assert round(out["spc_centre"].iloc[0], 2) == mean
        assert round(out["spc_lower"].iloc[0], 2) == lower
        assert variations(out) == expected
        assert causes(out)[4] == SpecialCause.ABOVE_UPPER.value


def test_baseline_months_and_limits_carried_to_other_months() -> None:
    # December 2013 (20) comes before the baseline (January to December 2014): it is judged
    # against the baseline's limits, not part of them; so are the two months after it
    frame = series([20.0, *BASELINE, 12.0, 10.0])
    frame["month"] = pd.period_range(START - 1, periods=15, freq="M")
    out = add_spc(frame, SpcSettings(baseline_start="2014-01", baseline_end="2014-12"))
    assert out["spc_centre"].tolist() == pytest.approx([11.0] * 15)
    assert out["spc_upper"].tolist() == pytest.approx([16.32] * 15)
    assert causes(out)[0] == SpecialCause.ABOVE_UPPER.value  # 20 > 16.32


def test_rebaselining_gives_each_period_its_own_limits() -> None:
    # from January 2015 the process runs at 24, 20, ...: centre 22, moving ranges 4, limits
    # 22 -/+ 10.64 = 11.36 and 32.64; a run never crosses the re-baselining month
    second = [24.0, 20.0] * 6
    out = add_spc(series([*BASELINE, *second]), SpcSettings(rebaseline=("2015-01",)))
    assert out["spc_centre"].tolist() == pytest.approx([11.0] * 12 + [22.0] * 12)
    assert out["spc_lower"].tolist() == pytest.approx([5.68] * 12 + [11.36] * 12)
    assert out["spc_upper"].tolist() == pytest.approx([16.32] * 12 + [32.64] * 12)
    assert variations(out) == [Variation.COMMON_CAUSE.value] * 24
    # without re-baselining the 24 points are above the one upper limit: mean of all 24 points
    # (72 + 60 + 144 + 120) / 24 = 16.5; ranges eleven 2s, |24 - 10| = 14, eleven 4s: 80 / 23
    merged = add_spc(series([*BASELINE, *second]))
    assert merged["spc_centre"].iloc[0] == pytest.approx(16.5)
    assert merged["spc_upper"].iloc[0] == pytest.approx(16.5 + 2.66 * 80 / 23)


def test_too_few_baseline_points_give_no_limits_and_say_so() -> None:
    out = add_spc(series(BASELINE[:11]))
    assert out["spc_centre"].isna().all() and out["spc_variation"].isna().all()
    assert set(out["spc_note"]) == {"no limits: 11 baseline point(s), fewer than 12"}
    # with 11 allowed: (6 x 12 + 5 x 10) / 11 = 122 / 11
    assert add_spc(series(BASELINE[:11]), SpcSettings(min_baseline_points=11))[
        "spc_centre"
    ].tolist() == pytest.approx([122 / 11] * 11)


# --- the special-cause rules ------------------------------------------------------------------------


def test_a_point_beyond_a_limit_by_polarity() -> None:
    # 17 > 16.32 (upper), 5 < 5.68 (lower); 12 and 16.3 within the limits (16.3 is beyond two
    # sigma, but alone in its three)
    values = [*BASELINE, 17.0, 10.0, 5.0, 12.0, 16.3]
    for polarity, high, low in (
        ("H", Variation.IMPROVEMENT, Variation.CONCERN),
        ("L", Variation.CONCERN, Variation.IMPROVEMENT),
        ("T", Variation.NEITHER, Variation.NEITHER),
    ):
        out = add_spc(series(values, polarity), FIXED)
        assert causes(out)[12:] == [
            SpecialCause.ABOVE_UPPER.value, None, SpecialCause.BELOW_LOWER.value, None, None,
        ]  # fmt: skip
        assert variations(out)[12:] == [high.value, Variation.COMMON_CAUSE.value, low.value,
                                        Variation.COMMON_CAUSE.value, Variation.COMMON_CAUSE.value]  # fmt: skip


def test_a_run_of_seven_on_one_side_of_the_centre() -> None:
    # seven 12s (above 11, below two sigma 14.55, equal so no trend) are a run; six are not
    seven = add_spc(series([*BASELINE, *[12.0] * 7]), FIXED)
    assert causes(seven)[12:] == [SpecialCause.RUN_ABOVE.value] * 7
    assert variations(seven)[12:] == [Variation.IMPROVEMENT.value] * 7
    six = add_spc(series([*BASELINE, *[12.0] * 6]), FIXED)
    assert causes(six)[12:] == [None] * 6
    below = add_spc(series([*BASELINE, *[10.0] * 6], "H"), FIXED)  # the baseline's last 10 too
    assert causes(below)[11:] == [SpecialCause.RUN_BELOW.value] * 7
    assert variations(below)[11:] == [Variation.CONCERN.value] * 7
    low_is_good = add_spc(series([*BASELINE, *[10.0] * 6], "L"), FIXED)
    assert variations(low_is_good)[11:] == [Variation.IMPROVEMENT.value] * 7
    neither = add_spc(series([*BASELINE, *[10.0] * 6], "T"), FIXED)
    assert variations(neither)[11:] == [Variation.NEITHER.value] * 7


def test_a_point_on_the_centre_breaks_a_run() -> None:
    # 12 x 3, 11 (on the centre), 12 x 4: runs of 3 and 4, no signal
    out = add_spc(series([*BASELINE, 12.0, 12.0, 12.0, 11.0, 12.0, 12.0, 12.0, 12.0]), FIXED)
    assert causes(out)[12:] == [None] * 8


def test_a_run_of_six_increasing_or_decreasing() -> None:
    # 10 (last baseline point), 10.5, 11, 11.5, 12, 12.5: six points each higher than the one
    # before (five rises), all within two sigma and crossing the centre: a trend, nothing else
    rising = add_spc(series([*BASELINE, 10.5, 11.0, 11.5, 12.0, 12.5]), FIXED)
    assert causes(rising)[11:] == [SpecialCause.RUN_INCREASING.value] * 6
    assert variations(rising)[11:] == [Variation.IMPROVEMENT.value] * 6
    assert causes(rising)[:11] == [None] * 11
    five = add_spc(series([*BASELINE, 10.5, 11.0, 11.5, 12.0]), FIXED)  # five points
    assert causes(five)[11:] == [None] * 5
    # 12, 11.5, 11, 10.5, 10, 9.5 after a 10: falling, bad for H, good for L, neither for T
    values = [*BASELINE, 12.0, 11.5, 11.0, 10.5, 10.0, 9.5]
    for polarity, kind in (("H", Variation.CONCERN), ("L", Variation.IMPROVEMENT),
                           ("T", Variation.NEITHER)):  # fmt: skip
        falling = add_spc(series(values, polarity), FIXED)
        assert causes(falling)[12:] == [SpecialCause.RUN_DECREASING.value] * 6
        assert variations(falling)[12:] == [kind.value] * 6
    # an equal value breaks the run: 10.5, 11, 11, 11.5, 12, 12.5
    flat = add_spc(series([*BASELINE, 10.5, 11.0, 11.0, 11.5, 12.0, 12.5]), FIXED)
    assert causes(flat)[11:] == [None] * 7


def test_two_of_three_beyond_two_sigma() -> None:
    # 15 and 15 are beyond 14.5467 (two sigma) and within 16.32: the two are flagged; the 9
    # between them is not (Western Electric reading: the third point may be anywhere)
    out = add_spc(series([*BASELINE, 15.0, 9.0, 15.0, 11.0]), FIXED)
    assert causes(out)[12:] == [SpecialCause.TWO_OF_THREE_HIGH.value, None,
                                SpecialCause.TWO_OF_THREE_HIGH.value, None]  # fmt: skip
    assert variations(out)[12:] == [Variation.IMPROVEMENT.value, Variation.COMMON_CAUSE.value,
                                    Variation.IMPROVEMENT.value, Variation.COMMON_CAUSE.value]  # fmt: skip
    # 7 and 7 are below 7.4533, above 5.68: concern for H, improvement for L
    low = add_spc(series([*BASELINE, 7.0, 7.0], "L"), FIXED)
    assert causes(low)[12:] == [SpecialCause.TWO_OF_THREE_LOW.value] * 2
    assert variations(low)[12:] == [Variation.IMPROVEMENT.value] * 2
    for polarity, kind in (("H", Variation.CONCERN), ("T", Variation.NEITHER)):
        read = add_spc(series([*BASELINE, 7.0, 7.0], polarity), FIXED)
        assert variations(read)[12:] == [kind.value] * 2
    # one of three beyond two sigma, or two of four: no signal

    none = add_spc(series([*BASELINE, 15.0, 11.0, 12.0, 15.0]), FIXED)
    assert causes(none)[12:] == [None] * 4
    # a point beyond the limit counts as beyond two sigma: 17 then 15
    mixed = add_spc(series([*BASELINE, 17.0, 15.0]), FIXED)
    assert causes(mixed)[12:] == [
        SpecialCause.ABOVE_UPPER.value,
        SpecialCause.TWO_OF_THREE_HIGH.value,
    ]
    off = add_spc(series([*BASELINE, 15.0, 9.0, 15.0]), SpcSettings(baseline_end="2014-12",
                                                                      two_of_three=False))  # fmt: skip
    assert causes(off)[12:] == [None] * 3


def test_rules_can_be_set_or_switched_off() -> None:
    values = [*BASELINE, *[12.0] * 5]
    assert (
        causes(add_spc(series(values), SpcSettings(baseline_end="2014-12", shift_points=5)))[12:]
        == [SpecialCause.RUN_ABOVE.value] * 5
    )
    assert causes(add_spc(series([*BASELINE, *[12.0] * 9]),
                          SpcSettings(baseline_end="2014-12", shift_points=None)))[12:] == [None] * 9  # fmt: skip
    rising = [*BASELINE, 10.5, 11.0, 11.5, 12.0, 12.5]
    off = add_spc(series(rising), SpcSettings(baseline_end="2014-12", trend_points=None))
    assert causes(off)[11:] == [None] * 6


def test_the_first_rule_in_order_names_the_point() -> None:
    # seven points above the centre, the fourth beyond the limit: that one is "above the upper
    # limit", the others "run above the centre"
    out = add_spc(series([*BASELINE, 12.0, 12.0, 12.0, 17.0, 12.0, 12.0, 12.0]), FIXED)
    expected = [SpecialCause.RUN_ABOVE.value] * 7
    expected[3] = SpecialCause.ABOVE_UPPER.value
    assert causes(out)[12:] == expected


# --- months without a point --------------------------------------------------------------------------


def test_months_without_a_point_are_explained_and_break_runs() -> None:
    # three 12s, a month with no value, four 12s: no run of seven; the gap keeps its limits
    values = [*BASELINE, 12.0, 12.0, 12.0, np.nan, 12.0, 12.0, 12.0, 12.0]
    out = add_spc(series(values), FIXED)
    assert causes(out)[12:] == [None] * 8
    assert not out["spc_point"].iloc[15] and out["spc_note"].iloc[15] == "not a point: no value"
    assert out["spc_upper"].iloc[15] == pytest.approx(16.32)
    assert pd.isna(out["spc_variation"].iloc[15]) and pd.isna(out["trend_slope"].iloc[15])


def test_states_partial_and_withheld_months_are_no_points() -> None:
    # the baseline alternates 12 and 10, with 50 in the months that are not points: were they
    # points, the centre would not be 11
    values = [*BASELINE[:6], 50.0, 50.0, 50.0, 50.0, *BASELINE[6:]]
    frame = series(values)
    frame["state"] = "rated"
    frame.loc[6, "state"] = "below minimum"
    frame["partial"] = False
    frame.loc[7, "partial"] = True
    frame["suppressed"] = False
    frame.loc[8, "suppressed"] = True
    frame.loc[9, "state"] = "not applicable"
    out = add_spc(frame, SpcSettings(min_baseline_points=12))
    assert out["spc_point"].tolist() == [True] * 6 + [False] * 4 + [True] * 6
    assert out["spc_note"].iloc[6:10].tolist() == [
        "not a point: denominator below the minimum",
        "not a point: partial figure",
        "not a point: withheld (small numbers)",
        "not a point: the indicator does not apply to the unit",
    ]
    # 12 baseline points; ranges only between consecutive months that are both points: five
    # before the gap and five after (all 2): centre 11, limits 11 -/+ 5.32
    assert out["spc_centre"].iloc[0] == pytest.approx(11.0)
    assert out["spc_upper"].iloc[0] == pytest.approx(16.32)
    assert pd.isna(out["spc_centre"].iloc[9])  # no SPC figure where the indicator does not apply
    # plotted on request
    both = add_spc(frame, SpcSettings(include_partial=True, include_below_minimum=True))
    assert both["spc_point"].iloc[6:10].tolist() == [True, True, False, False]


def test_a_withheld_month_says_only_that() -> None:
    frame = series([*BASELINE, np.nan], state="rated", suppressed=False)
    frame.loc[12, ["state", "suppressed"]] = ["below minimum", True]
    assert add_spc(frame)["spc_note"].iloc[12] == "not a point: withheld (small numbers)"


# --- assurance ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "target", "expected"),
    [
        ("H", 5.0, Assurance.PASSING),  # lower limit 5.68 reaches 5
        ("H", 17.0, Assurance.FAILING),  # upper limit 16.32 below 17
        ("H", 11.0, Assurance.HIT_AND_MISS),
        ("L", 17.0, Assurance.PASSING),  # upper limit 16.32 at most 17
        ("L", 5.0, Assurance.FAILING),  # lower limit 5.68 above 5
        ("L", 11.0, Assurance.HIT_AND_MISS),
    ],
)
def test_assurance_against_the_target(polarity: str, target: float, expected: Assurance) -> None:
    out = add_spc(series(BASELINE, polarity, target=target))
    assert set(out["spc_assurance"].astype(str)) == {expected.value}
    assert out["spc_note"].isna().all()


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ((5.0, 17.0), Assurance.PASSING),  # 5.68 and 16.32 both inside
        ((17.0, 20.0), Assurance.FAILING),  # both below the band
        ((2.0, 4.0), Assurance.FAILING),  # both above it
        ((10.0, 12.0), Assurance.HIT_AND_MISS),
    ],
)
def test_assurance_of_a_target_band_indicator(
    band: tuple[float, float], expected: Assurance
) -> None:
    out = add_spc(series(BASELINE, "T", target=11.0, green_lower=band[0], green_upper=band[1]))
    assert set(out["spc_assurance"].astype(str)) == {expected.value}


def test_assurance_on_the_target_and_without_one() -> None:
    # 100% every month: moving ranges 0, limits 100 and 100; a value on the target reaches it
    flat = [100.0] * 12
    assert set(add_spc(series(flat, "H", target=100.0))["spc_assurance"].astype(str)) == {
        Assurance.PASSING.value
    }
    assert set(add_spc(series(flat, "L", target=100.0))["spc_assurance"].astype(str)) == {
        Assurance.PASSING.value
    }
    none = add_spc(series(BASELINE, "H"))  # no target: no assurance
    assert none["spc_assurance"].isna().all() and none["spc_centre"].notna().all()
    # a benchmark-rated indicator: Green from benchmark + tolerance = 4 + 1 = 5 (H): passing
    bench = add_spc(series(BASELINE, "H", benchmark=4.0, tolerance=1.0))
    assert set(bench["spc_assurance"].astype(str)) == {Assurance.PASSING.value}


def test_assurance_follows_the_target_of_each_month() -> None:
    frame = series([*BASELINE, 12.0], "H", target=5.0)
    frame.loc[12, "target"] = 17.0  # a new financial year's target
    out = add_spc(frame, FIXED)
    assert out["spc_assurance"].astype(str).tolist() == [Assurance.PASSING.value] * 12 + [
        Assurance.FAILING.value
    ]


# --- direction of travel by regression ----------------------------------------------------------------


def test_t_quantiles_match_the_published_table() -> None:
    # two-sided 95% critical values of Student's t (NIST/SEMATECH e-Handbook of Statistical
    # Methods, 1.3.6.7.2, "Critical values of the Student's t distribution", column 0.975)
    for df, value in ((1, 12.706), (2, 4.303), (4, 2.776), (10, 2.228), (30, 2.042)):
        assert round(t_quantile(0.95, df), 3) == value
    assert round(t_quantile(0.99, 10), 3) == 3.169  # column 0.995


def test_a_probability_that_never_reaches_the_confidence_is_an_error(monkeypatch) -> None:
    # the search for the upper end doubles at most 60 times, then refuses (never loops for ever)
    from scorecard.rating import spc

    calls: list[float] = []

    def never(t: float, df: int) -> float:
        calls.append(t)
        return 0.5

    monkeypatch.setattr(spc, "_t_two_sided", never)
    with pytest.raises(ValueError, match="no t value reaches 0.95 with 3 degrees of freedom"):
        spc.t_quantile(0.95, 3)
    assert calls == [2.0**k for k in range(60)]


def test_slope_and_interval_by_hand() -> None:
    # x = 0..5, y = 1, 3, 2, 4, 3, 5: mean x 2.5, mean y 3; Sxx = 17.5; Sxy = 5 + 0 + 0.5 + 0.5
    # + 0 + 5 = 11; slope 11 / 17.5 = 0.628571; Syy = 10, residual 10 - 0.628571 x 11 = 3.085714;
    # se = sqrt(3.085714 / 4 / 17.5) = 0.209956; t(4) = 2.776445: interval 0.045639 to 1.211504
    out = add_spc(series([1.0, 3.0, 2.0, 4.0, 3.0, 5.0]))
    last = out.iloc[-1]
    assert last["trend_slope"] == pytest.approx(11 / 17.5)
    assert last["trend_low"] == pytest.approx(0.045639, abs=1e-6)
    assert last["trend_high"] == pytest.approx(1.211504, abs=1e-6)
    assert last["trend_points"] == 6
    assert last["trend_direction"] == TrendDirection.IMPROVING.value
    assert out["trend_slope"].iloc[:5].isna().all()  # fewer than six points so far
    assert add_spc(series([1.0, 3.0, 2.0, 4.0, 3.0, 5.0], "L"))["trend_direction"].iloc[-1] == (
        TrendDirection.WORSENING.value
    )
    assert add_spc(series([1.0, 3.0, 2.0, 4.0, 3.0, 5.0], "T"))["trend_direction"].iloc[-1] == (
        TrendDirection.RISING.value
    )


def test_no_clear_change_when_the_interval_holds_zero() -> None:
    # y = 1, 2, 1, 2, 1, 2: Sxy = 1.5, slope 0.085714; residual 1.5 - 0.128571 = 1.371429;
    # se = sqrt(1.371429 / 4 / 17.5) = 0.139971; half-width 2.776445 x se = 0.388621:
    # interval -0.302907 to 0.474335
    last = add_spc(series([1.0, 2.0, 1.0, 2.0, 1.0, 2.0])).iloc[-1]
    assert last["trend_low"] == pytest.approx(-0.302907, abs=1e-6)
    assert last["trend_high"] == pytest.approx(0.474335, abs=1e-6)
    assert last["trend_direction"] == TrendDirection.NO_CLEAR_CHANGE.value


def test_a_falling_line_and_the_window() -> None:
    # 20 months falling by 0.5 exactly: slope -0.5, interval -0.5 to -0.5, over the last 12
    values = [30.0 - 0.5 * k for k in range(20)]
    out = add_spc(series(values, "H"))
    assert out["trend_slope"].iloc[-1] == pytest.approx(-0.5)
    assert out["trend_high"].iloc[-1] == pytest.approx(-0.5)
    assert out["trend_points"].iloc[-1] == 12 and out["trend_points"].iloc[6] == 7
    assert out["trend_direction"].iloc[-1] == TrendDirection.WORSENING.value
    assert add_spc(series(values, "T"))["trend_direction"].iloc[-1] == TrendDirection.FALLING.value
    # the window holds the months, not the points: a gap leaves 11 points in the last 12 months
    gapped = list(values)
    gapped[15] = np.nan
    assert add_spc(series(gapped))["trend_points"].iloc[-1] == 11


# --- the frame ------------------------------------------------------------------------------------------


def test_columns_index_and_input_untouched() -> None:
    frame = series(BASELINE, target=5.0).set_axis(range(100, 112))
    before = frame.copy()
    out = add_spc(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert list(out.columns) == [*frame.columns, *SPC_COLUMNS]
    assert list(out.index) == list(frame.index)
    again = add_spc(out)  # recomputing replaces the columns
    assert list(again.columns) == list(out.columns)


def test_units_and_indicators_are_separate_series() -> None:
    a = series(BASELINE)
    b = series([v * 2 for v in BASELINE]).assign(unit="Other")
    c = series([v + 1 for v in BASELINE]).assign(indicator="other")
    out = add_spc(pd.concat([a, b, c], ignore_index=True))
    centres = out.groupby(["indicator", "unit"])["spc_centre"].first()
    assert centres.to_dict() == pytest.approx(
        {("ind", "Unit"): 11.0, ("ind", "Other"): 22.0, ("other", "Unit"): 12.0}
    )


def test_bad_settings_and_frames_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="baseline_start"):
        SpcSettings(baseline_start="2015-13")
    with pytest.raises(UsageError, match="after it ends"):
        SpcSettings(baseline_start="2015-04", baseline_end="2015-01")
    with pytest.raises(UsageError, match="not after the baseline start"):
        SpcSettings(baseline_start="2015-04", rebaseline=("2015-04",))
    with pytest.raises(UsageError, match="sequence of months"):
        SpcSettings(rebaseline="2015-04")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="shift_points"):
        SpcSettings(shift_points=1)
    with pytest.raises(UsageError, match="min_baseline_points"):
        SpcSettings(min_baseline_points=True)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="lacks column"):
        add_spc(series(BASELINE).drop(columns="polarity"))
    with pytest.raises(UsageError, match="polarity"):
        add_spc(series(BASELINE, "X"))
    with pytest.raises(UsageError, match="more than one row"):
        add_spc(pd.concat([series(BASELINE), series(BASELINE)]))
    assert SpcSettings.parse_baseline("2014-04:2015-03").baseline == (
        pd.Period("2014-04", freq="M"), pd.Period("2015-03", freq="M"),
    )  # fmt: skip
    with pytest.raises(UsageError, match="FROM:TO"):
        SpcSettings.parse_baseline("2014-04")


def test_an_empty_frame_gets_the_columns() -> None:
    out = add_spc(series(BASELINE).iloc[:0])
    assert list(out.columns[-len(SPC_COLUMNS) :]) == SPC_COLUMNS and out.empty


def test_words_for_the_summary() -> None:
    # centre 3, moving ranges 2, 1, 2, 1, 2: mean 1.6, limits 3 -/+ 4.256: the lower, -1.256,
    # reaches a target of -2; no special cause in six points
    row = add_spc(series([1.0, 3.0, 2.0, 4.0, 3.0, 5.0], target=-2.0),
                  SpcSettings(min_baseline_points=6)).iloc[-1].to_dict()  # fmt: skip
    spc, trend = spc_words(row)
    assert trend == "Improving"
    assert spc == "Common cause; consistently passing"
    assert spc_words({}) == ("-", "-")


def test_limit_factor_is_three_sigma() -> None:
    assert 3 / 1.128 == pytest.approx(2.66, abs=0.001) and not math.isnan(t_quantile(0.95, 3))


def test_a_baseline_too_short_for_the_months_computed_is_refused() -> None:
    months = pd.period_range("2014-05", "2015-05", freq="M")  # what `scorecard build` computes
    SpcSettings().check_months(months)  # no baseline given: every month, 13
    SpcSettings(baseline_start="2014-05", baseline_end="2015-04").check_months(months)  # 12
    with pytest.raises(UsageError, match="holds 11 of the months computed"):
        SpcSettings(baseline_start="2014-05", baseline_end="2015-03").check_months(months)
    with pytest.raises(UsageError, match="holds 3 of the months"):  # cut by the re-baselining
        SpcSettings(baseline_end="2015-03", rebaseline=("2014-08",)).check_months(months)


def test_the_build_command_takes_a_baseline_and_refuses_a_bad_one() -> None:
    from click.testing import CliRunner

    from scorecard.cli import main

    bad = CliRunner().invoke(main, ["build", "--spc-baseline", "2015-13:2015-04"])
    assert bad.exit_code == 2
    assert "--spc-baseline '2015-13:2015-04'" in bad.output and "Traceback" not in bad.output
    short = CliRunner().invoke(main, ["build", "--spc-baseline", "2014-05:2015-03"])
    assert short.exit_code == 2 and "fewer than the 12 needed" in short.output


def test_floating_point_noise_is_no_signal() -> None:
    # 29 / 100 * 100 is 28.999999999999996: twelve of them give limits of exactly that (moving
    # ranges 0); a 29.0 after them is the same figure, not a point above the upper limit
    noisy = 29 / 100 * 100
    out = add_spc(series([noisy] * 12 + [29.0]), FIXED)
    assert out["spc_upper"].iloc[0] == noisy
    assert out["spc_special_cause"].isna().all()


def test_flags_held_as_floats_with_nan_are_read_without_a_warning() -> None:
    # suppressed / partial as 0.0, 1.0 and NaN (as a CSV read without dtypes gives them): NaN is
    # "no"; month 3 (suppressed 1.0) and month 5 (partial 1.0) are not points
    import warnings

    values = [10.0, 12.0, 11.0, 13.0, 12.0, 11.0]
    frame = series(values, suppressed=[0.0, np.nan, 1.0, 0.0, np.nan, 0.0],
                   partial=[np.nan, 0.0, 0.0, 0.0, 1.0, np.nan])  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = add_spc(frame)
    assert out["spc_point"].tolist() == [True, True, False, True, False, True]

"""SPC on the charts, in the summary and in the published results: centre and process limits
drawn (geometry worked out by hand), special-cause points ringed, the SPC and Trend columns of
the unit tables, and SPC computed from published values only when figures are withheld."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from scorecard.pipeline import Scorecard
from scorecard.rating.spc import SPC_COLUMNS, SpcSettings, add_spc, published_spc, spc_words
from scorecard.reports import model
from scorecard.reports.build import results_for_publication
from scorecard.reports.charts import TrendChartRenderer
from scorecard.reports.html import render_html
from tests.reports.test_html import parse_html, sections, small_units, subset

MONTHS = pd.period_range("2014-06", "2015-05", freq="M")
NAN = np.full(12, np.nan)
#: x of each month's point: 50 + (302 / 12) x (i + 0.5)
X = ["62.6", "87.8", "112.9", "138.1", "163.2", "188.4", "213.6", "238.8", "263.9", "289.1",
     "314.2", "339.4"]  # fmt: skip


def paths(svg: str) -> dict[str, str]:
    return dict(re.findall(r'<path class="([^"]+)" d="([^"]*)"/>', svg))


def test_limits_centre_and_rings_worked_by_hand() -> None:
    # 10 every month; centre 10, limits 6 and 14. The y axis runs from 6 - 0.96 to 14 + 0.96
    # (12% of the span either side) over y = 150 to 8: y(v) = 150 - (v - 5.04) / 9.92 * 142:
    # y(14) = 21.74, y(6) = 136.26, y(10) = 79
    variation = [None] * 12
    variation[3], variation[5], variation[9] = "improvement", "concern", "neither"
    variation[1] = "common cause"
    svg = TrendChartRenderer(MONTHS).render_arrays(
        "count", np.full(12, 10.0), NAN, NAN, NAN, NAN, [None] * 12,
        centre=np.full(12, 10.0), lower_limit=np.full(12, 6.0), upper_limit=np.full(12, 14.0),
        variation=variation,
    )  # fmt: skip
    found = paths(svg)
    assert found["spc-limit"] == "M50 136.3H352M50 21.7H352"
    assert found["spc-centre"] == "M50 79H352"
    assert found["sc-improvement"] == f"M{X[3]} 79h0"
    assert found["sc-concern"] == f"M{X[5]} 79h0"
    assert found["sc-neither"] == f"M{X[9]} 79h0"
    assert found["point"].count("h0") == 12  # every point still drawn, under its rating
    # rings are drawn before the points, so the points sit on them
    assert svg.index('class="sc-improvement"') < svg.index('class="point"')


def test_limits_change_with_a_new_period_and_stop_where_there_are_none() -> None:
    # limits 6/14 for six months, none for two, then 8/12: each a step of its own months
    lower = np.array([6.0] * 6 + [np.nan] * 2 + [8.0] * 4)
    upper = np.array([14.0] * 6 + [np.nan] * 2 + [12.0] * 4)
    svg = TrendChartRenderer(MONTHS).render_arrays(
        "count", np.full(12, 10.0), NAN, NAN, NAN, NAN, [None] * 12,
        lower_limit=lower, upper_limit=upper,
    )  # fmt: skip
    # y(8) = 150 - 2.96 / 9.92 * 142 = 107.63, y(12) = 150 - 6.96 / 9.92 * 142 = 50.37; months
    # are 25.17 wide: the first six end at 201, the last four start at 251.3
    assert paths(svg)["spc-limit"] == "M50 136.3H201M251.3 107.6H352M50 21.7H201M251.3 50.4H352"


def test_a_limit_beyond_100_percent_is_drawn_at_100() -> None:
    # 99% every month, limits 97% and 101.5%: drawn at 97 and 100. The axis runs from 97 - 0.36
    # to 100 + 0.36: y(100) = 150 - 3.36 / 3.72 * 142 = 21.74, y(97) = 136.26, y(99) = 59.91
    svg = TrendChartRenderer(MONTHS).render_arrays(
        "percent", np.full(12, 99.0), NAN, NAN, NAN, NAN, ["G"] * 12,
        centre=np.full(12, 99.0), lower_limit=np.full(12, 97.0), upper_limit=np.full(12, 101.5),
    )  # fmt: skip
    found = paths(svg)
    assert found["spc-limit"] == "M50 136.3H352M50 21.7H352"
    assert found["spc-centre"] == "M50 59.9H352"


def test_no_spc_given_no_spc_drawn() -> None:
    svg = TrendChartRenderer(MONTHS).render_arrays(
        "count", np.full(12, 10.0), NAN, NAN, NAN, NAN, [None] * 12
    )
    assert 'class="spc-' not in svg and 'class="sc-' not in svg


def test_render_from_a_trend_frame_uses_its_spc_columns() -> None:
    frame = pd.DataFrame(
        {
            "month": MONTHS,
            "value": 10.0,
            "rag": None,
            "target": np.nan,
            "floor": np.nan,
            "green_lower": np.nan,
            "green_upper": np.nan,
            "spc_centre": 10.0,
            "spc_lower": 6.0,
            "spc_upper": 14.0,
            "spc_variation": ["improvement"] + [None] * 11,
        }
    )
    found = paths(TrendChartRenderer(MONTHS).render(frame, "count"))
    assert found["spc-limit"] == "M50 136.3H352M50 21.7H352"
    assert found["sc-improvement"] == f"M{X[0]} 79h0"


# --- the report ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(card: Scorecard) -> Scorecard:
    return subset(card, small_units(card))


def test_every_chart_shows_the_limits_its_rows_have(small: Scorecard) -> None:
    dom = sections(parse_html(render_html(small, small.latest_month)))
    recent = small.frame[small.frame["month"].isin(MONTHS)]
    checked = with_limits = ringed = 0
    for (unit, indicator), rows in recent.groupby(["unit", "indicator"], observed=True):
        figure = dom[unit].find_all("figure", "trend-chart", data_ref=str(int(rows["ref"].iloc[0])))
        if not figure:  # the indicator does not apply to the unit
            continue
        svg = figure[0].find("svg", "chart")
        classes = {p.attrs["class"]: p.attrs["d"] for p in svg.find_all("path")}
        has_limits = rows["spc_lower"].notna().any()
        assert ("spc-limit" in classes) == has_limits, (unit, indicator)
        special = rows["value"].notna() & rows["spc_variation"].isin(
            ["improvement", "concern", "neither"]
        )
        rings = sum(classes.get(c, "").count("h0") for c in ("sc-improvement", "sc-concern",
                                                             "sc-neither"))  # fmt: skip
        assert rings == int(special.sum()), (unit, indicator)
        checked += 1
        with_limits += int(has_limits)
        ringed += rings
    assert checked > 50 and with_limits > 20 and ringed > 0


def test_the_unit_tables_show_spc_and_trend(small: Scorecard) -> None:
    dom = sections(parse_html(render_html(small, small.latest_month)))
    county = dom[small.county]
    heads = [th.text() for th in county.find("table", "scorecard").find("thead").find_all("th")]
    assert heads[-2:] == ["SPC", "Trend"]
    current = small.frame[(small.frame["unit"] == small.county)
                          & (small.frame["month"] == small.latest_month)]  # fmt: skip
    seen = 0
    for row in current.to_dict("records"):
        found = county.find_all("tr", data_indicator=row["indicator"])
        if not found:
            continue
        cells = [td.text().strip() for td in found[0].find_all("td")]
        assert cells[-2:] == list(spc_words(row)), row["indicator"]
        seen += 1
    assert seen > 30


def test_published_spc_leaves_withheld_months_out() -> None:
    # 12, 10, ... for twelve months, the fourth (a 10) is 40 and withheld: were it a point (it is
    # in the analysts' frame), the centre would be (6 x 12 + 5 x 10 + 40) / 12 = 162 / 12 = 13.5;
    # published, it is that of the eleven published months: (6 x 12 + 5 x 10) / 11 = 122 / 11
    values = [12.0, 10.0] * 6
    values[3] = 40.0
    frame = pd.DataFrame({"indicator": "i", "unit": "u", "polarity": "H",
                          "month": pd.period_range("2014-01", periods=12, freq="M"),
                          "value": values, "suppressed": False})  # fmt: skip
    analysts = add_spc(frame.drop(columns="suppressed"), SpcSettings(min_baseline_points=11))
    assert analysts["spc_centre"].iloc[0] == pytest.approx(13.5)
    published = frame.assign(value=frame["value"].where(frame.index != 3))
    published.loc[3, "suppressed"] = True
    out = published_spc(published, SpcSettings(min_baseline_points=11))
    assert out["spc_centre"].iloc[0] == pytest.approx(122 / 11)
    assert not out["spc_point"].iloc[3]
    assert out["spc_note"].iloc[3] == "not a point: withheld (small numbers)"


def test_the_published_csv_carries_spc_from_published_values(card: Scorecard) -> None:
    below = 10
    csv = results_for_publication(card, below)
    assert all(c in csv.columns for c in SPC_COLUMNS)
    hidden = csv["suppressed"].to_numpy(dtype=bool)
    assert hidden.any()
    assert not csv.loc[hidden, "spc_point"].any()
    assert csv.loc[hidden, "spc_variation"].isna().all()
    assert csv.loc[hidden, "trend_slope"].isna().all()
    # the figures are those of the published values: recomputed from the publication frame
    frame = model.publication_frame(card, below)
    again = add_spc(frame, card.spc).set_index(["indicator", "unit", "month"])
    got = csv.set_index(["indicator", "unit", "month"])
    for column in ("spc_centre", "spc_upper", "trend_slope"):
        np.testing.assert_allclose(
            got[column].to_numpy(dtype=float),
            again.loc[got.index, column].to_numpy(dtype=float),
            equal_nan=True,
        )
    # and they differ from the analysts' figures somewhere (a withheld month left out)
    analysts = card.frame.set_index(["indicator", "unit", "month"]).loc[got.index]
    assert not np.allclose(got["spc_centre"].to_numpy(dtype=float),
                           analysts["spc_centre"].to_numpy(dtype=float), equal_nan=True)  # fmt: skip


def test_compute_scorecard_takes_the_settings_and_keeps_them(card: Scorecard) -> None:
    from scorecard.extracts import validate_extracts
    from scorecard.pipeline import compute_scorecard
    from scorecard.synth import generate

    assert card.spc == SpcSettings()
    settings = SpcSettings(baseline_end="2015-04", shift_points=None)
    extracts = validate_extracts(generate(scale=0.05, seed=11, last_month="2015-05"))
    other = compute_scorecard(extracts, "2014-05", "2015-05", county="Kent", spc=settings)
    assert other.spc is settings
    again = add_spc(other.frame, settings)
    pd.testing.assert_frame_equal(again[SPC_COLUMNS], other.frame[SPC_COLUMNS])
    assert not other.frame["spc_special_cause"].isin(["run above the centre",
                                                      "run below the centre"]).any()  # fmt: skip
    assert card.frame["spc_special_cause"].isin(["run above the centre",
                                                 "run below the centre"]).any()  # fmt: skip

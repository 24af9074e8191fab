"""The trend charts as inline SVG: geometry worked out by hand, withheld months not drawn, text
escaped, identical charts written once, and the same text alternative as the data frame's."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from scorecard.pipeline import Scorecard
from scorecard.reports import model
from scorecard.reports.charts import (
    AXES_ID,
    TrendChartRenderer,
    alt_text,
    chart_alt_text,
    nice_ticks,
)
from scorecard.reports.html import render_html
from tests.reports.test_html import parse_html, sections, small_units, subset

MONTHS = pd.period_range("2014-06", "2015-05", freq="M")
NAN = np.full(12, np.nan)


def paths(svg: str) -> dict[str, str]:
    return dict(re.findall(r'<path class="([^"]+)" d="([^"]*)"/>', svg))


@pytest.fixture()
def renderer() -> TrendChartRenderer:
    return TrendChartRenderer(MONTHS)


def test_geometry_worked_by_hand(renderer: TrendChartRenderer) -> None:
    # 50% every month but September (no value) and May (55%, Amber); target 60% then 62% from
    # April; floor 40%. The y axis runs from 40 - 2.64 to 62 + 2.64 (12% of the span either side)
    # over y = 150 (bottom) to 8 (top): y(v) = 150 - (v - 37.36) / 27.28 * 142.
    values = np.full(12, 50.0)
    values[3], values[11] = np.nan, 55.0
    target = np.full(12, 60.0)
    target[10:] = 62.0
    rags = ["G"] * 12
    rags[3], rags[11] = None, "A"
    svg = renderer.render_arrays(
        "percent", values, target, np.full(12, 40.0), NAN, NAN, rags, title="T"
    )
    found = paths(svg)
    # months are 302 / 12 = 25.17 wide from x = 50; a point sits in the middle of its month
    assert found["target"] == "M50 32.2H301.7V21.7H352"  # y(60) = 32.15, y(62) = 21.74
    assert found["floor"] == "M50 136.3H352"  # y(40) = 136.26
    # y(50) = 84.2; no point and a break in the line for September (x = 138.1)
    assert found["line"] == (
        "M62.6 84.2L87.8 84.2L112.9 84.2M163.2 84.2L188.4 84.2L213.6 84.2L238.8 84.2"
        "L263.9 84.2L289.1 84.2L314.2 84.2L339.4 58.2"
    )
    assert "138.1" not in found["point"] and found["point"].count("h0") == 11
    assert found["p-A"] == "M339.4 58.2h0"  # y(55) = 58.18
    assert found["p-G"].count("h0") == 10 and "p-R" not in found and "band" not in found
    # ticks every 5% from 40 to 60, labelled left of the axis
    assert re.findall(r'<text x="46" y="[\d.]+">([^<]*)</text>', svg) == [
        "40%", "45%", "50%", "55%", "60%",
    ]  # fmt: skip
    assert f'<use href="#{AXES_ID}"/>' in svg and "<title>T</title>" in svg


def test_the_green_band_of_a_target_band_indicator(renderer: TrendChartRenderer) -> None:
    # band 40 to 60 counts; y from 40 - 2.4 to 60 + 2.4: y(v) = 150 - (v - 37.6) / 24.8 * 142
    values = np.full(12, 50.0)
    svg = renderer.render_arrays(
        "count", values, NAN, NAN, np.full(12, 40.0), np.full(12, 60.0), [None] * 12
    )
    found = paths(svg)
    assert found["band"] == "M50 21.7H352V136.3H50Z"  # y(60) = 21.7, y(40) = 136.3
    assert found["p-NR"].count("h0") == 12  # not rated: grey


def test_no_point_for_a_month_without_a_value_even_if_rated(renderer: TrendChartRenderer) -> None:
    svg = renderer.render_arrays("percent", NAN, NAN, NAN, NAN, NAN, ["R"] * 12, empty="Withheld")
    assert "point" not in paths(svg) and "line" not in paths(svg)
    assert '<text class="message"' in svg and ">Withheld</text>" in svg


def test_text_is_escaped_and_output_deterministic(renderer: TrendChartRenderer) -> None:
    values = np.linspace(10, 20, 12)
    first = renderer.render_arrays(
        "days", values, NAN, NAN, NAN, NAN, [None] * 12, title='<script>"x"</script>'
    )
    assert "<script>" not in first and "&lt;script&gt;&#34;x&#34;&lt;/script&gt;" in first
    again = TrendChartRenderer(MONTHS).render_arrays(
        "days", values.copy(), NAN, NAN, NAN, NAN, [None] * 12, title='<script>"x"</script>'
    )
    assert again == first
    defs = renderer.defs()
    assert defs.count("<text") == 14  # 12 months and the years 2014 (June) and 2015 (January)
    assert f'id="{AXES_ID}"' in defs and 'aria-hidden="true"' in defs


def test_nice_ticks() -> None:
    assert nice_ticks(37.6, 62.4) == [40, 45, 50, 55, 60]
    assert nice_ticks(87.0, 99.4) == [87.5, 90, 92.5, 95, 97.5]
    assert nice_ticks(0, 100) == [0, 25, 50, 75, 100]
    assert nice_ticks(0, 3, integer=True) == [0, 1, 2, 3]
    assert nice_ticks(0, 1, integer=True) == [0, 1]  # counts: no tick between 0 and 1
    assert nice_ticks(5, 5) == [5]


def test_chart_alt_text_says_what_alt_text_says(card: Scorecard) -> None:
    """The page builds each chart's text alternative from arrays: the same words as from the
    trend frame, for every indicator of the county."""
    renderer = TrendChartRenderer(MONTHS)
    frame = model.publication_frame(card, 5)
    for indicator in card.registry.ids:
        series = model.trend(frame, indicator, card.county, MONTHS[-1], 12)
        unit = card.registry[indicator].unit.value
        rags = [None] * 12
        for month, rag in zip(series["month"], series["rag"], strict=True):
            rags[MONTHS.get_loc(month)] = None if pd.isna(rag) else str(rag)
        withheld = int(series["suppressed"].sum())
        assert chart_alt_text(
            "T", "U", MONTHS, unit, renderer.series(series, "value"), rags,
            renderer.series(series, "target"), renderer.series(series, "floor"),
            withheld=withheld,
        ) == alt_text("T", "U", series, MONTHS, unit, withheld=withheld)  # fmt: skip


def test_withheld_months_are_not_drawn(card: Scorecard) -> None:
    """With suppression, a chart has a point for each month whose result is published and none
    for a withheld month (the page's points follow the published values)."""
    small = subset(card, small_units(card))
    below = 10
    frame = model.publication_frame(small, below)
    dom = sections(parse_html(render_html(small, card.latest_month, suppress_below=below)))
    months = pd.period_range(card.latest_month - 11, card.latest_month, freq="M")
    recent = frame[frame["month"].isin(months)]
    checked = withheld_seen = 0
    for (unit, indicator), rows in recent.groupby(["unit", "indicator"], observed=True):
        figure = dom[unit].find_all("figure", "trend-chart", data_ref=str(int(rows["ref"].iloc[0])))
        if not figure:  # the indicator does not apply to the unit
            continue
        point = [p.attrs["d"] for p in figure[0].find("svg", "chart").find_all("path", "point")]
        drawn = point[0].count("h0") if point else 0
        assert drawn == int(rows["value"].notna().sum())
        assert not rows.loc[rows["suppressed"], "value"].notna().any()
        withheld_seen += int(rows["suppressed"].any())
        checked += 1
    assert checked > 50 and withheld_seen > 0

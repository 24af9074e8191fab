"""``card.plot``: an indicator's monthly trend for one unit as matplotlib Axes (issue 14, item 4).

The lines are checked against the registry, not against the rated frame the chart is drawn from:
each month's target and floor are the registry's thresholds for the month's financial year.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # no display in the tests

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex

import scorecard as sc
from scorecard.calendar.periods import FinancialYear
from scorecard.measures.compute import UnknownNameError
from scorecard.pipeline import Scorecard
from scorecard.reports.model import NOT_RATED_COLOUR, RAG_COLOURS
from scorecard.reports.plot import (
    AMBER_BAND_LABEL,
    FLOOR_LABEL,
    GREEN_BAND_LABEL,
    TARGET_LABEL,
    plot_indicator,
)
from tests.conftest import REPO


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _line(ax: Axes, label: str):
    found = [line for line in ax.get_lines() if line.get_label() == label]
    assert len(found) == 1, [line.get_label() for line in ax.get_lines()]
    return found[0]


def _band(ax: Axes, label: str) -> tuple[float, float]:
    found = [c for c in ax.collections if c.get_label() == label]
    assert len(found) == 1, [c.get_label() for c in ax.collections]
    heights = np.concatenate([path.vertices[:, 1] for path in found[0].get_paths()])
    return float(heights.min()), float(heights.max())


def test_target_and_floor_lines_follow_the_registry_year_by_year(card: Scorecard) -> None:
    # pf_initial_visit_7_days: the registry's target and floor change in April 2015 (2014/15 and
    # 2015/16 differ), so May 2014 - March 2015 and April - May 2015 must show different steps
    indicator = card.registry["pf_initial_visit_7_days"]
    ax = card.plot(indicator.title.upper(), "north kent")  # title and unit in any case
    assert isinstance(ax, Axes)
    months = card.months
    expected_target = [indicator.thresholds_for(FinancialYear.of(m)).target.value for m in months]
    expected_floor = [indicator.thresholds_for(FinancialYear.of(m)).floor.value for m in months]
    assert len(set(expected_target)) == 2  # the test means something: the years differ
    target, floor = _line(ax, TARGET_LABEL), _line(ax, FLOOR_LABEL)
    assert list(target.get_ydata()) == expected_target
    assert list(floor.get_ydata()) == expected_floor
    # the months are drawn at their first day (Periods converted to timestamps)
    assert list(pd.DatetimeIndex(target.get_xdata())) == list(months.to_timestamp())
    assert "North Kent" in ax.get_title(loc="left")


def test_points_are_coloured_by_rag(card: Scorecard) -> None:
    ax = card.plot("re_referrals_12m", card.county)
    rows = card.frame[(card.frame["indicator"] == "re_referrals_12m")
                      & (card.frame["unit"] == card.county)].sort_values("month")  # fmt: skip
    result = _line(ax, "Result")
    assert np.allclose(result.get_ydata(), rows["value"].to_numpy(dtype=float), equal_nan=True)
    points = ax.collections[-1]
    shown = rows[rows["value"].notna()]
    expected = [RAG_COLOURS[str(r)] if pd.notna(r) else NOT_RATED_COLOUR for r in shown["rag"]]
    assert [to_hex(c).upper() for c in points.get_facecolors()] == [c.upper() for c in expected]


def test_bands_of_a_target_band_indicator(card: Scorecard) -> None:
    indicator = card.registry["cp_repeat_24_months"]  # T: Green and Amber bands, no floor
    years = [indicator.thresholds_for(FinancialYear.of(m)) for m in card.months]
    year = years[-1]
    limits = {(y.target.value, y.green.lower, y.green.upper, y.amber.lower, y.amber.upper)
              for y in years}  # fmt: skip
    assert len(limits) == 1  # the same in both years: one band each across the chart
    ax = card.plot(indicator.ref, card.county)
    assert _band(ax, GREEN_BAND_LABEL) == (year.green.lower, year.green.upper)
    assert _band(ax, AMBER_BAND_LABEL) == (year.amber.lower, year.amber.upper)
    assert list(set(_line(ax, TARGET_LABEL).get_ydata())) == [year.target.value]
    assert FLOOR_LABEL not in [line.get_label() for line in ax.get_lines()]


def test_a_rated_frame_with_period_months_draws_on_given_axes() -> None:
    # the published May 2015 results, rated: `month` is a Period column
    rated = sc.rate(pd.read_csv(REPO / "data" / "published" / "scs_2015_05_results.csv"))
    assert isinstance(rated["month"].dtype, pd.PeriodDtype)
    registry = sc.load_registry()
    _, given = plt.subplots()
    ax = plot_indicator(rated, registry["pf_initial_visit_7_days"], "Kent", ax=given)
    assert ax is given
    # the file holds March, April and May 2015, drawn at their first days
    months = pd.period_range("2015-03", "2015-05", freq="M")
    x = pd.DatetimeIndex(_line(ax, "Result").get_xdata())
    assert list(x) == [pd.Timestamp("2015-03-01"), pd.Timestamp("2015-04-01"),
                       pd.Timestamp("2015-05-01")]  # fmt: skip
    # March is in 2014/15, April and May in 2015/16: the registry's targets of each year
    indicator = registry["pf_initial_visit_7_days"]
    expected = [indicator.thresholds_for(FinancialYear.of(m)).target.value for m in months]
    assert list(_line(ax, TARGET_LABEL).get_ydata()) == expected
    # published ref 8 in May 2015 is Red (71.4% against 85%): its point is red
    assert to_hex(ax.collections[-1].get_facecolors()[-1]).upper() == RAG_COLOURS["R"].upper()


def test_unknown_names_are_refused(card: Scorecard) -> None:
    with pytest.raises(UnknownNameError, match="did you mean"):
        card.plot("re-referals", card.county)
    with pytest.raises(UnknownNameError, match="no unit named 'Nowhere'"):
        card.plot("re_referrals_12m", "Nowhere")
    with pytest.raises(KeyError, match="no results of re_referrals_12m for 'Nowhere'"):
        plot_indicator(card.frame, card.registry["re_referrals_12m"], "Nowhere")


def test_no_thresholds_where_they_do_not_hold(card: Scorecard) -> None:
    # unallocated_cases: a count whose thresholds the registry sets for the county only
    indicator = card.registry["unallocated_cases"]
    rated_at = indicator.applicability.rated_at
    assert {level.value for level in rated_at} == {"county"}  # what the test relies on
    county = card.plot(indicator.id, card.county)
    assert {TARGET_LABEL, FLOOR_LABEL} <= {line.get_label() for line in county.get_lines()}
    area = card.plot(indicator.id, "North Kent")
    assert [line.get_label() for line in area.get_lines()] == ["Result"]
    assert "(thresholds not set at this level: no thresholds drawn)" in area.get_title(loc="left")

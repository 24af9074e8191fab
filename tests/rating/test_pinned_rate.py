"""The results-checking messages of ``rate``, pinned word for word (mutation testing).

A user who feeds bad results reads these messages: each names the column, the check, the rows
(at most 10, then "and N more") and some of the values (at most 5). Every expected message below
is written out by hand from the rows of its frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard.rating import ResultsError, rate
from tests.rating.conftest import results

MAY = "2015-05"


def message(frame: pd.DataFrame, tiny) -> str:
    with pytest.raises(ResultsError) as caught:
        rate(frame, tiny)
    return str(caught.value)


def test_schema_failures_in_the_order_found_with_ten_rows_and_five_values(tiny) -> None:
    rows = [("high", "Kent", MAY, 1, 10, np.nan)] * 2  # rows 0 and 1: the same key twice
    rows += [(f"nope{i}", "Kent", MAY, 1, 10, np.nan) for i in range(12)]  # rows 2-13: unknown
    rows += [("low", f"K{i}", MAY, -i - 1, 10, np.nan) for i in range(12)]  # rows 14-25: negative
    expected = (
        "results: "
        "column indicator: fails multiple_fields_uniqueness in rows [0, 1] (values ['high']); "
        "column unit: fails multiple_fields_uniqueness in rows [0, 1] (values ['Kent']); "
        "column month: fails multiple_fields_uniqueness in rows [0, 1] (values ['2015-05']); "
        # the first 10 of rows 2-13; the 5 first values in text order (nope10 before nope2)
        "column indicator: fails isin(('high', 'low', 'close', 'versus_england', 'backlog')) "
        "in rows [2, 3, 4, 5, 6, 7, 8, 9, 10, 11] "
        "(values ['nope0', 'nope1', 'nope10', 'nope11', 'nope2']); "
        "column numerator: fails greater_than_or_equal_to(0) "
        "in rows [14, 15, 16, 17, 18, 19, 20, 21, 22, 23] "
        "(values ['-1.0', '-10.0', '-11.0', '-12.0', '-2.0'])"
    )
    assert message(results(rows), tiny) == expected


def test_impossible_values_word_for_word(tiny) -> None:
    rows = [
        ("high", "A", MAY, 12, 10, np.nan),  # 0: numerator 12 above denominator 10
        ("high", "B", MAY, 1, 10, 101.0),  # 1: a percentage above 100 (and 10 computed)
        ("backlog", "C", MAY, np.nan, np.nan, -2.0),  # 2: a negative count
        ("high", "D", MAY, 1, 4, 30.0),  # 3: 1 x 100 / 4 = 25, not 30
        ("high", "E", MAY, 1, 4, 25.04),  # within the rounding of 0.05: agrees
    ]
    assert message(results(rows), tiny) == (
        "results: "
        "column numerator: above the denominator of a percentage in rows [0] (numerators ['12'], "
        "denominators ['10']); "
        "column value: a percentage outside [0, 100] in rows [1] (values ['101']); "
        "column value: negative (a count, days or ratio cannot be) in rows [2] (values ['-2']); "
        "column value: disagrees with numerator and denominator (numerator x scale / denominator) "
        "in rows [1, 3] (values ['101', '30'], computed ['10', '25'])"
    )


def test_more_than_ten_rows_are_counted(tiny) -> None:
    # 13 counts of -1: rows 0-9 named, "and 3 more"; five values shown
    rows = [("backlog", f"U{i}", MAY, np.nan, np.nan, -1.0) for i in range(13)]
    assert message(results(rows), tiny) == (
        "results: column value: negative (a count, days or ratio cannot be) in rows "
        "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9] and 3 more (values ['-1', '-1', '-1', '-1', '-1'])"
    )


def test_exactly_ten_rows_say_no_more(tiny) -> None:
    rows = [("backlog", f"U{i}", MAY, np.nan, np.nan, -1.0) for i in range(10)]
    text = message(results(rows), tiny)
    assert "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9] (values" in text and "more" not in text


def test_a_value_off_by_more_than_the_rounding_disagrees(tiny) -> None:
    # 1 x 100 / 3 = 33.333...: 33.3 is within 0.05 (published to one decimal), 33.4 is not (0.067)
    ok = rate(results([("high", "Kent", MAY, 1, 3, 33.3)]), tiny)
    assert ok["value"].iloc[0] == 33.3
    assert "rows [0] (values ['33.4'], computed ['33.3333'])" in message(
        results([("high", "Kent", MAY, 1, 3, 33.4)]), tiny)  # fmt: skip
    # a large value agrees within a relative 1e-6: 1,000,000 days / 1 = 1e6, given as 1e6 + 0.9
    big = rate(results([("backlog", "Kent", MAY, 1_000_000, np.nan, 1_000_000.9)]), tiny)
    assert big["value"].iloc[0] == 1_000_000.9


def test_a_percentage_of_exactly_100_and_a_numerator_equal_to_the_denominator_are_fine(
    tiny,
) -> None:
    rated = rate(results([("high", "Kent", MAY, 10, 10, 100.0), ("low", "Kent", MAY, 0, 10, 0.0)]),
                 tiny)  # fmt: skip
    assert rated["rag"].astype(str).tolist() == ["G", "G"]


def test_a_zero_denominator_with_a_value_disagrees(tiny) -> None:
    # 0/0 computes no value, so a value given with it cannot agree
    text = message(results([("high", "Kent", MAY, 0, 0, 50.0)]), tiny)
    assert text == ("results: column value: disagrees with numerator and denominator (numerator x "
                    "scale / denominator) in rows [0] (values ['50'], computed ['nan'])")  # fmt: skip


def test_compare_reports_thresholds_that_appear(tiny, tmp_path) -> None:
    # "low" has 2015/16 thresholds only; adding 2014/15 (target 15, floor 20) to a copy makes
    # March 2015 rated: 12% is at or below the target 15 (L), Green, where it had no RAG before
    from scorecard.rating import compare_ratings
    from scorecard.registry import load_registry
    from tests.conftest import REPO
    from tests.rating.conftest import TINY

    old = 'thresholds: {"2015/16": {target: {value: 15, published: p}, floor: {value: 20, inferred: i}}}'
    assert TINY.count(old) == 1
    new = old.replace('{"2015/16"', '{"2014/15": {target: {value: 15, published: p}, '
                      'floor: {value: 20, inferred: i}}, "2015/16"')  # fmt: skip
    path = tmp_path / "indicators.yaml"
    path.write_text(TINY.replace(old, new), encoding="utf-8")
    after = load_registry(path, REPO / "rag_rules")
    frame = results(
        [("low", "Kent", "2015-03", 12, 100, np.nan), ("low", "Kent", MAY, 12, 100, np.nan)]
    )
    diff = compare_ratings(frame, tiny, after)
    assert diff["month"].astype(str).tolist() == ["2015-03"]  # May is 2015/16: unchanged
    assert pd.isna(diff["target_before"].iloc[0]) and diff["target_after"].iloc[0] == 15.0
    assert pd.isna(diff["rag_before"].iloc[0]) and diff["rag_after"].iloc[0] == "G"
    assert diff["changed"].tolist() == ["target, floor, rag"]


class TestRefusedFramesWordForWord:
    """The messages of a frame that cannot be rated at all (written out from each frame)."""

    GOOD = ("high", "Kent", MAY, 8, 10, 80.0)

    def test_not_a_dataframe(self, tiny) -> None:
        from scorecard.errors import UsageError
        from scorecard.rating.rate import validate_results

        with pytest.raises(UsageError) as caught:
            rate(results([self.GOOD])["value"], tiny)
        assert str(caught.value) == ("rate() needs a pandas DataFrame of results (one row per "
                                     "indicator, unit and month), got Series")  # fmt: skip
        with pytest.raises(UsageError) as caught:
            validate_results([1, 2], tiny, name="extract r.csv")
        assert str(caught.value) == ("extract r.csv: expected a pandas DataFrame of results (one "
                                     "row per indicator, unit and month), got list")  # fmt: skip

    def test_not_a_registry(self) -> None:
        from scorecard.errors import UsageError

        with pytest.raises(UsageError) as caught:
            rate(results([self.GOOD]), "indicators.yaml")
        assert str(caught.value) == "rate() needs a Registry (see load_registry), got str"

    def test_multiindex_columns(self, tiny) -> None:
        frame = results([self.GOOD])
        frame.columns = pd.MultiIndex.from_tuples([(c, "") for c in frame.columns])
        assert message(frame, tiny) == (
            "results: columns must be single names (not a MultiIndex), such as indicator, unit, "
            "month, numerator, denominator, value"
        )

    def test_columns_twice_missing_and_no_rows(self, tiny) -> None:
        frame = results([self.GOOD])
        frame.columns = ["indicator", "unit", "month", "value", "numerator", "value"]
        assert message(frame, tiny) == "results: column(s) named more than once: value"
        assert message(results([self.GOOD]).drop(columns=["unit", "value"]), tiny) == (
            "results: missing column(s) unit, value")  # fmt: skip
        assert message(results([]), tiny) == "results: no rows to rate"

    def test_a_month_that_is_not_a_month(self, tiny) -> None:
        assert message(results([self.GOOD, ("low", "Kent", "2015-5", 1, 10, np.nan)]), tiny) == (
            "results: column month: values that are not months in rows [1] (values ['2015-5']): "
            "write months as YYYY-MM, e.g. '2015-05' (years 1700 to 2199)"
        )

    def test_an_unknown_level_and_team_type(self, tiny) -> None:
        frame = results([self.GOOD]).assign(level=["ward"], team_type=["front_door"])
        text = message(frame, tiny)
        assert text.startswith("results: column level: fails isin(['county', 'area', 'team']) in "
                               "rows [0] (values ['ward'])")  # fmt: skip
        frame = results([self.GOOD]).assign(level=["team"], team_type=["cooking"])
        assert message(frame, tiny).startswith(
            "results: column team_type: fails isin(('assessment_and_family_support', "
        )
        assert message(frame, tiny).endswith("in rows [0] (values ['cooking'])")

    def test_inf_is_not_finite(self, tiny) -> None:
        frame = results([self.GOOD, ("high", "B", MAY, 1, 10, np.inf)])
        assert message(frame, tiny) == (
            "results: column value: fails finite (not inf or -inf) in rows [1] (values ['inf'])")  # fmt: skip


UNITS = """\
financial_years: ["2015/16"]
groups: [G]
defaults:
  min_denominator: {value: 3, inferred: "test"}
indicators:
  - {ref: 1, id: wait, title: W, group: G, polarity: L, period: YTD, unit: days,
     numerator: n, denominator: d, source: s, rule: target_floor,
     thresholds: {"2015/16": {target: {value: 20, published: p}, floor: {value: 30, inferred: i}}}}
  - {ref: 2, id: load, title: R, group: G, polarity: L, period: SS, unit: ratio,
     numerator: n, denominator: d, source: s, rule: target_floor,
     thresholds: {"2015/16": {target: {value: 18, published: p}, floor: {value: 22, inferred: i}}}}
"""


@pytest.fixture(scope="module")
def units(tmp_path_factory: pytest.TempPathFactory):
    from scorecard.registry import load_registry
    from tests.conftest import REPO

    path = tmp_path_factory.mktemp("units") / "indicators.yaml"
    path.write_text(UNITS, encoding="utf-8")
    return load_registry(path, REPO / "rag_rules")


def test_days_and_ratios_are_numerator_over_denominator(units) -> None:
    rows = [
        ("wait", "Kent", MAY, 75, 3, np.nan),  # 75 days / 3 children = 25 days: Amber (L 20-30)
        ("wait", "North", MAY, 30, 0, np.nan),  # a denominator of 0: no value, no data
        ("load", "Kent", MAY, 54, 3, np.nan),  # 54 children / 3 FTE = 18: on the target, Green
        ("load", "North", MAY, 23, 1, np.nan),  # 23 per FTE, but 1 FTE is below the minimum 3
    ]
    rated = rate(results(rows), units)
    assert rated["value"].tolist()[0] == 25.0 and np.isnan(rated["value"].iloc[1])
    assert rated["value"].tolist()[2:] == [18.0, 23.0]
    assert rated["state"].astype(str).tolist() == ["rated", "no data", "rated", "below minimum"]
    assert [None if pd.isna(r) else r for r in rated["rag"]] == ["A", None, "G", None]
    assert rated["rag_note"].tolist()[1:4:2] == ["no result", "denominator below the minimum of 3"]


def test_the_columns_added_in_order(tiny) -> None:
    rated = rate(results([("high", "Kent", MAY, 17, 20, np.nan)]).assign(extra=1), tiny)
    assert list(rated.columns) == [
        "indicator", "unit", "month", "numerator", "denominator", "value", "extra",
        "ref", "title", "group", "polarity", "period", "value_unit", "financial_year",
        "thresholds_year", "target", "floor", "green_lower", "green_upper", "amber_lower",
        "amber_upper", "benchmark", "tolerance", "state", "rag", "rag_note",
        "previous_value", "dot_previous", "outturn_month", "outturn_value", "dot_outturn",
    ]  # fmt: skip
    row = rated.iloc[0]
    # 17/20 = 85%: on the 2015/16 target of "high" (85, floor 76.5): Green
    assert (row["ref"], row["title"], row["group"], row["polarity"], row["period"]) == (
        1, "H", "G", "H", "YTD")  # fmt: skip
    assert (row["value_unit"], row["financial_year"], row["thresholds_year"]) == (
        "percent", "2015/16", "2015/16")  # fmt: skip
    assert (row["target"], row["floor"], row["value"], row["rag"]) == (85.0, 76.5, 85.0, "G")
    assert np.isnan(row["benchmark"]) and pd.isna(row["rag_note"])
    assert str(row["outturn_month"]) == "2015-03" and pd.isna(row["previous_value"])

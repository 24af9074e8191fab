"""Summed rows (``MeasureInput.summed``): :func:`explained` with a date gives, for rows that are
only summed, one row per team and reporting month with the sums of its events, instead of
repeating each event for every month whose period holds it; the team, area and county sums are
the same, bit for bit. Hand-worked on dates at 1 April and month ends, a property against the
record rows, and every measure on the bundled data.

Periods (months 2015-02 to 2015-05, across the financial year starting 1 April 2015):

    month    YTD                          R12M
    2015-02  1 Apr 2014 - 28 Feb 2015     1 Mar 2014 - 28 Feb 2015
    2015-03  1 Apr 2014 - 31 Mar 2015     1 Apr 2014 - 31 Mar 2015
    2015-04  1 Apr 2015 - 30 Apr 2015     1 May 2014 - 30 Apr 2015
    2015-05  1 Apr 2015 - 31 May 2015     1 Jun 2014 - 31 May 2015
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.extracts import Extracts
from scorecard.measures.aggregate import UnitGrid, unit_table
from scorecard.measures.base import (
    MeasureInput,
    NotComputable,
    Shown,
    explained,
    registered_measures,
)
from scorecard.measures.compute import _check_rows, compute
from scorecard.registry import load_registry
from tests.conftest import examples
from tests.measures.builders import COUNTY, ORGANISATION

REGISTRY = load_registry()
YTD = REGISTRY["re_referrals_12m"]
R12M = next(i for i in REGISTRY if i.period.value == "R12M")
MONTHS = pd.period_range("2015-02", "2015-05", freq="M")
UNITS = unit_table(ORGANISATION, COUNTY)
T = pd.Timestamp


def no_why(frame: pd.DataFrame) -> Shown:
    raise AssertionError("why is for a drill-down only")


def events(teams, dates, numerators, denominators=None, categorical=False) -> pd.DataFrame:
    team = pd.Series(teams, dtype="category" if categorical else "string")
    frame = pd.DataFrame({"event_id": [f"e{i}" for i in range(len(teams))], "team": team,
                          "child_id": [f"c{i}" for i in range(len(teams))],
                          "date": pd.to_datetime(pd.Series(dates)), "n": numerators})  # fmt: skip
    if denominators is not None:
        frame["d"] = denominators
    return frame


def rows_of(frame, indicator, summed, months=MONTHS, numerator="n", denominator=1.0):
    inp = MeasureInput(Extracts(), months, indicator, summed=summed)
    return explained(inp, frame, no_why, record_id="event_id", numerator=numerator, date="date",
                     denominator=denominator)  # fmt: skip


def table(rows: pd.DataFrame) -> list[tuple]:
    """``team, month, numerator, denominator`` of each row (missing values as None)."""
    return [
        (str(t), str(m), None if np.isnan(n) else n, None if np.isnan(d) else d)
        for t, m, n, d in zip(rows["team"], rows["month"], rows["numerator"], rows["denominator"],
                              strict=True)  # fmt: skip
    ]


def sums(rows: pd.DataFrame, months=MONTHS) -> tuple[np.ndarray, np.ndarray]:
    return UnitGrid(UNITS, months).sums(rows)


def assert_same_sums(left: pd.DataFrame, right: pd.DataFrame, months=MONTHS) -> None:
    for a, b in zip(sums(left, months), sums(right, months), strict=True):
        assert np.array_equal(a, b, equal_nan=True)
        assert a.tobytes() == b.tobytes()  # bit for bit (the sign of a zero too)


# --- hand-worked ---------------------------------------------------------------------------------

#: Four referrals in two teams; numerators are days (whole numbers).
#: e0 A1 31 Mar 2015 (5): YTD 2015-03;             R12M 2015-03, 04, 05
#: e1 A1  1 Apr 2015 (0): YTD 2015-04, 05;         R12M 2015-04, 05
#: e2 A2  1 May 2014 (7): YTD 2015-02, 03;         R12M 2015-02, 03, 04
#: e3 A2 30 Apr 2015 (2): YTD 2015-04, 05;         R12M 2015-04, 05
FOUR = (["A1", "A1", "A2", "A2"], ["2015-03-31", "2015-04-01", "2014-05-01", "2015-04-30"],
        [5, 0, 7, 2])  # fmt: skip


@pytest.mark.parametrize("categorical", [False, True])
def test_hand_worked_ytd(categorical) -> None:
    frame = events(*FOUR, categorical=categorical)
    summed = rows_of(frame, YTD, True)
    assert list(summed.columns) == ["month", "team", "record_id", "child_id", "numerator",
                                    "denominator"]  # fmt: skip
    assert summed["record_id"].isna().all() and summed["child_id"].isna().all()
    assert table(summed) == [
        ("A1", "2015-03", 5, 1), ("A1", "2015-04", 0, 1), ("A1", "2015-05", 0, 1),
        ("A2", "2015-02", 7, 1), ("A2", "2015-03", 7, 1), ("A2", "2015-04", 2, 1),
        ("A2", "2015-05", 2, 1),
    ]  # fmt: skip
    records = rows_of(frame, YTD, False)
    assert len(records) == 7 and records["record_id"].notna().all()  # one per event and month
    assert_same_sums(summed, records)
    # the county (first unit): 2015-02 7/1, 2015-03 12/2, 2015-04 2/2, 2015-05 2/2
    numerator, denominator = sums(summed)
    assert numerator[:4].tolist() == [7, 12, 2, 2] and denominator[:4].tolist() == [1, 2, 2, 2]


@pytest.mark.parametrize("categorical", [False, True])
def test_hand_worked_r12m(categorical) -> None:
    frame = events(*FOUR, categorical=categorical)
    summed = rows_of(frame, R12M, True)
    assert table(summed) == [
        ("A1", "2015-03", 5, 1), ("A1", "2015-04", 5, 2), ("A1", "2015-05", 5, 2),
        ("A2", "2015-02", 7, 1), ("A2", "2015-03", 7, 1), ("A2", "2015-04", 9, 2),
        ("A2", "2015-05", 2, 1),
    ]  # fmt: skip
    records = rows_of(frame, R12M, False)
    assert len(records) == 10
    assert_same_sums(summed, records)


def test_missing_values_add_nothing() -> None:
    # e0 A1 10 Apr: numerator missing, denominator 2; e1 A1 20 Apr: 3, denominator missing;
    # e2 A2 10 May: both missing (a row: counted, with nothing to add)
    frame = events(["A1", "A1", "A2"], ["2015-04-10", "2015-04-20", "2015-05-10"],
                   [np.nan, 3, np.nan], [2, np.nan, np.nan])  # fmt: skip
    summed = rows_of(frame, YTD, True, denominator="d")
    assert table(summed) == [("A1", "2015-04", 3, 2), ("A1", "2015-05", 3, 2),
                             ("A2", "2015-05", None, None)]  # fmt: skip
    assert_same_sums(summed, rows_of(frame, YTD, False, denominator="d"))


def test_a_number_for_every_row() -> None:
    frame = events(*FOUR)
    # a count (numerator 1, no denominator), as children_in_need_2011 gives it
    counted = rows_of(frame, YTD, True, numerator=1.0, denominator=None)
    assert table(counted) == [
        ("A1", "2015-03", 1, None), ("A1", "2015-04", 1, None), ("A1", "2015-05", 1, None),
        ("A2", "2015-02", 1, None), ("A2", "2015-03", 1, None), ("A2", "2015-04", 1, None),
        ("A2", "2015-05", 1, None),
    ]  # fmt: skip
    assert_same_sums(counted, rows_of(frame, YTD, False, numerator=1.0, denominator=None))
    doubled = rows_of(frame, R12M, True, denominator=2)
    assert [row[3] for row in table(doubled)] == [2, 4, 4, 2, 2, 4, 2]
    assert_same_sums(doubled, rows_of(frame, R12M, False, denominator=2))


def test_no_event_in_any_period() -> None:
    frame = events(["A1"], ["2013-01-01"], [1])
    summed = rows_of(frame, YTD, True)
    assert summed.empty and list(summed.columns)[:2] == ["month", "team"]
    assert_same_sums(summed, rows_of(frame, YTD, False))


# --- when the record rows are kept ---------------------------------------------------------------


def test_not_whole_numbers_keep_the_record_rows() -> None:
    # 0.1, 0.2 and 0.3 in one team and month: added in another order, another last bit
    assert (0.1 + 0.2) + 0.3 != 0.1 + (0.2 + 0.3)
    frame = events(["A1"] * 3, ["2015-04-01", "2015-04-02", "2015-05-03"], [0.1, 0.2, 0.3])
    for indicator in (YTD, R12M):
        records = rows_of(frame, indicator, False)
        pd.testing.assert_frame_equal(rows_of(frame, indicator, True), records)
        # summed by months (April 0.1 + 0.2, May that + 0.3) the county's May would be
        # 0.6000000000000001, not the grid's 0.6 of the record rows
        assert_same_sums(rows_of(frame, indicator, True), records)
    # one value not whole among whole ones is enough, in the denominator too
    frame = events(*FOUR, denominators=[1, 1, 1.5, 1])
    pd.testing.assert_frame_equal(rows_of(frame, YTD, True, denominator="d"),
                                  rows_of(frame, YTD, False, denominator="d"))  # fmt: skip


@pytest.mark.parametrize("value", [np.inf, -np.inf, 2.0**51, 0.5])
def test_values_not_exact_in_any_order_keep_the_record_rows(value) -> None:
    # 2**51 counted in 2 months (April, May) reaches 2**52: not every order of the sums is known
    # to be exact
    frame = events(["A1", "A1"], ["2015-04-01", "2015-04-02"], [1.0, value])
    records = rows_of(frame, YTD, False)
    pd.testing.assert_frame_equal(rows_of(frame, YTD, True), records)
    summed = rows_of(frame, YTD, True, numerator=1, denominator=value)
    records = rows_of(frame, YTD, False, numerator=1, denominator=value)
    pd.testing.assert_frame_equal(summed, records)


def test_whole_numbers_below_the_limit_are_summed() -> None:
    # 2**50 counted in 2 months and 1 in 2 months: below 2**52
    frame = events(["A1", "A1"], ["2015-04-01", "2015-04-02"], [1.0, 2.0**50])
    summed = rows_of(frame, YTD, True)
    assert table(summed) == [("A1", "2015-04", 2.0**50 + 1, 2), ("A1", "2015-05", 2.0**50 + 1, 2)]
    assert_same_sums(summed, rows_of(frame, YTD, False))


@pytest.mark.parametrize("categorical", [False, True])
def test_a_missing_team_keeps_the_record_rows(categorical) -> None:
    frame = events(["A1", None], ["2015-04-01", "2015-04-02"], [1, 0], categorical=categorical)
    pd.testing.assert_frame_equal(rows_of(frame, YTD, True), rows_of(frame, YTD, False))
    # outside every period, a missing team makes no row: the sums are taken
    frame = events(["A1", None], ["2015-04-01", "2012-04-02"], [1, 0], categorical=categorical)
    assert rows_of(frame, YTD, True)["record_id"].isna().all()


def test_a_drill_down_gets_record_rows() -> None:
    frame = events(*FOUR)
    inp = MeasureInput(Extracts(), MONTHS, YTD, detail=True, summed=True)
    rows = explained(inp, frame, lambda f: Shown(pd.Series("why", index=f.index)),
                     record_id="event_id", numerator="n", date="date")  # fmt: skip
    assert len(rows) == 7 and rows["record_id"].notna().all() and "reason" in rows


# --- compute: asks for summed rows; an unknown team is still said of the records -----------------


class TestCompute:
    @pytest.fixture()
    def replaced(self):
        from tests.measures.test_pinned_compute import measure_of_the_test

        with measure_of_the_test() as register:
            yield register

    def run(self):
        from tests.measures.test_pinned_compute import EXTRACTS

        return compute(EXTRACTS, ["2015-04", "2015-05"], REGISTRY, county=COUNTY,
                       indicators=["re_referrals_12m"])  # fmt: skip

    def test_results_from_summed_rows_and_drill_downs_from_records(self, replaced) -> None:
        asked = []

        def rows(inp):
            asked.append((inp.summed, inp.detail))
            return explained(inp, events(*FOUR), no_why if not inp.detail else
                             (lambda f: Shown(pd.Series("why", index=f.index))),
                             record_id="event_id", numerator="n", date="date")  # fmt: skip

        replaced(rows)
        got = self.run()
        assert asked == [(True, False)]
        shire = got.results.set_index("unit").loc[COUNTY]
        # YTD, by hand: 2015-04 e1 (0) and e3 (2); 2015-05 the same
        assert shire["numerator"].tolist() == [2, 2] and shire["denominator"].tolist() == [2, 2]
        assert got.records["re_referrals_12m"]["record_id"].tolist() == ["e1", "e1", "e3", "e3"]
        assert asked == [(True, False), (False, True)]

    def test_a_team_not_in_the_organisation(self, replaced) -> None:
        def rows(inp):
            dates = ["2015-04-10", "2015-04-11", "2015-05-01"]
            frame = events(["Z9", "A1", "Y8"], dates, [1, 0, 1])
            return explained(inp, frame, no_why, record_id="event_id", numerator="n", date="date")

        replaced(rows)
        with pytest.raises(ValueError) as caught:
            self.run()
        # as the record rows say it: e0 in April and May, e2 in May
        assert str(caught.value) == (
            "re_referrals_12m: 3 record(s) belong to team(s) not in the organisation table "
            "['Y8', 'Z9'] (records ['e0', 'e0', 'e2'])"
        )


# --- a property: the same sums as the record rows ------------------------------------------------

DAY0 = T("2013-01-01")


@st.composite
def cases(draw):
    size = draw(st.integers(0, 25))
    teams = draw(st.lists(st.sampled_from(["A1", "A2", "C1", "F", None]), min_size=size,
                          max_size=size))  # fmt: skip
    if draw(st.booleans()):  # (most tests: every team known)
        teams = [t or "F" for t in teams]
    days = draw(st.lists(st.one_of(st.none(), st.integers(0, 4 * 366)), min_size=size,
                         max_size=size))  # fmt: skip
    dates = [None if d is None else DAY0 + pd.Timedelta(days=d) for d in days]
    whole = st.one_of(st.integers(-30, 30).map(float), st.just(np.nan))
    tenths = st.sampled_from([0.1, 0.2, 0.3, 0.7])  # (sums whose last bit depends on the order)
    value = draw(st.sampled_from([whole, st.one_of(whole, tenths, st.floats(-10, 10))]))
    numerators = draw(st.lists(value, min_size=size, max_size=size))
    denominator = draw(st.sampled_from(["d", 1.0, None, 2.0]))
    denominators = draw(st.lists(value, min_size=size, max_size=size))
    # distinct months, ascending (not always consecutive), across financial years
    start = pd.Period("2013-06", freq="M")
    chosen = draw(st.sets(st.integers(0, 36), min_size=1, max_size=8))
    months = pd.PeriodIndex([start + k for k in sorted(chosen)], freq="M")
    indicator = draw(st.sampled_from([YTD, R12M]))
    frame = events(teams, dates, numerators, denominators, categorical=draw(st.booleans()))
    return frame, months, indicator, denominator


@settings(max_examples=examples(60), deadline=None)
@given(cases())
def test_the_same_sums_as_the_record_rows(case) -> None:
    frame, months, indicator, denominator = case
    summed = rows_of(frame, indicator, True, months, denominator=denominator)
    records = rows_of(frame, indicator, False, months, denominator=denominator)
    assert_same_sums(summed, records, months)
    if summed["record_id"].isna().any() and len(summed):  # summed rows: as compute checks them
        _check_rows(summed, "x", UNITS)
        assert len(summed) <= len(records)


# --- every measure on the bundled data -----------------------------------------------------------


@lru_cache(maxsize=1)
def _bundled() -> Extracts:
    from scorecard.bundled import bundled_extracts
    from scorecard.extracts import load_extracts
    from scorecard.measures.codes import coded_extracts

    return coded_extracts(load_extracts(bundled_extracts()))  # coded, as compute() gives them


def test_every_measure_sums_the_same_on_the_bundled_data() -> None:
    from scorecard.bundled import COUNTY as BUNDLED_COUNTY
    from tests.measures.registry_2011 import registry_2011

    extracts = _bundled()
    months = pd.period_range("2015-03", "2015-05", freq="M")  # across 1 April 2015
    grid = UnitGrid(unit_table(extracts.organisation, BUNDLED_COUNTY), months)
    measures = registered_measures()
    compared, shortened = set(), set()
    for indicator in [*REGISTRY, *registry_2011()]:
        function = measures[indicator.measure_id].function
        try:
            records = function(MeasureInput(extracts, months, indicator))
        except NotComputable:
            continue
        summed = function(MeasureInput(extracts, months, indicator, summed=True))
        for a, b in zip(grid.sums(records), grid.sums(summed), strict=True):
            assert np.array_equal(a, b, equal_nan=True), indicator.id
            assert a.tobytes() == b.tobytes(), indicator.id
        compared.add(indicator.measure_id)
        if len(summed) < len(records):
            shortened.add(indicator.id)
    assert len(compared) >= 50  # every measure but those reading an extract the data lacks
    assert {"re_referrals_12m", "assessments_within_45_wd", "cp_repeat_24_months"} <= shortened

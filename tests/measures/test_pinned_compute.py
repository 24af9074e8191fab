"""``compute`` as a whole on tiny extracts: notes, months, team types, record rows and the checks
of a measure's rows (mutation testing).

Referrals (ref 1, YTD): a referral counts in the denominator of each month of its financial year
from its own month on, and in the numerator when the child had another referral in the 12 months
before. Teams: A1 and C1 in North, A2 in South, F county-wide; county "Shire".
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest

from scorecard.errors import UsageError
from scorecard.measures import compute
from scorecard.measures.base import _MEASURES, NotComputable, measure, registered_measures
from scorecard.measures.compute import RAISE_FAILURES, MeasureFailedWarning, team_types_of
from scorecard.registry import load_registry
from tests.conftest import REPO
from tests.measures.builders import COUNTY, ORGANISATION, build
from tests.measures.test_referrals import CHILDREN, referral

M = pd.Period
EXTRACTS = build(
    children=CHILDREN,
    referrals=[
        referral("r1", "c1", "2014-05-10"),
        referral("r2", "c1", "2015-05-10"),  # 12 months after r1: a re-referral (A1)
        referral("r3", "c2", "2015-04-02", team="A2"),  # first ever (A2)
    ],
)


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def run(registry):
    # months out of order and repeated: computed once each, in order
    return compute(EXTRACTS, ["2015-05", "2015-04", "2015-05"], registry, county=COUNTY,
                   indicators=["re_referrals_12m", "cin_seen_28_days"])  # fmt: skip


def test_results_columns_months_and_units(run) -> None:
    results = run.results
    assert list(results.columns) == ["indicator", "unit", "level", "team_type", "month",
                                     "numerator", "denominator", "value", "note"]  # fmt: skip
    # 2 indicators x 7 units (Shire, North, South, A1, C1, A2, F) x 2 months
    assert len(results) == 28
    first = results[results["indicator"] == "re_referrals_12m"]
    assert first["unit"].tolist()[::2] == ["Shire", "North", "South", "A1", "C1", "A2", "F"]
    assert first["month"].tolist()[:2] == [M("2015-04", "M"), M("2015-05", "M")]
    shire = first.set_index(["unit", "month"])
    # April: r3 only (0 of 1); May: r2 (re-referral) and r3 (1 of 2) = 50%
    assert shire.loc[("Shire", M("2015-04", "M")), ["numerator", "denominator"]].tolist() == [0, 1]
    assert shire.loc[("Shire", M("2015-05", "M")), ["numerator", "denominator", "value"]].tolist() == [
        1, 2, 50.0]  # fmt: skip


def test_team_types_only_for_teams(run) -> None:
    types = run.results.drop_duplicates("unit").set_index("unit")["team_type"]
    assert types["A1"] == "assessment_and_family_support" and types["F"] == "fostering"
    assert pd.isna(types["Shire"]) and pd.isna(types["North"])
    assert str(run.results["team_type"].dtype) == "string"


def test_a_missing_extract_is_a_note_not_a_zero(run) -> None:
    seen = run.results[run.results["indicator"] == "cin_seen_28_days"]
    assert seen["note"].unique().tolist() == [
        "not computable: extract(s) absent: cin_plans, visits"
    ]
    assert seen["value"].isna().all() and seen["numerator"].isna().all()
    assert run.results.loc[run.results["indicator"] == "re_referrals_12m", "note"].isna().all()


def test_record_rows_of_the_computed_indicators_only(run) -> None:
    assert list(run.records) == ["re_referrals_12m"] and len(run.records) == 1
    with pytest.raises(KeyError) as caught:
        run.records["cin_seen_28_days"]
    assert caught.value.args == ("cin_seen_28_days",)
    rows = run.records["re_referrals_12m"]
    assert run.records["re_referrals_12m"] is rows  # kept for the next look
    assert sorted(rows["record_id"].astype(str)) == ["r2", "r3", "r3"]  # r3 in April and May


def test_drill_down(run) -> None:
    got = run.drill_down("re_referrals_12m", "North", "2015-05")
    assert list(got.columns)[:7] == ["record_id", "child_id", "team", "numerator", "denominator",
                                     "in_numerator", "reason"]  # fmt: skip
    assert got[["record_id", "team", "in_numerator"]].astype(str).values.tolist() == [
        ["r2", "A1", "True"]]  # fmt: skip
    shire = run.drill_down("re_referrals_12m", COUNTY, "2015-05")
    # sorted by team then record: A1's r2, then A2's r3
    assert shire["record_id"].astype(str).tolist() == ["r2", "r3"]
    assert shire["in_numerator"].tolist() == [True, False]
    with pytest.raises(KeyError, match="no record-level rows for 'cin_seen_28_days'"):
        run.drill_down("cin_seen_28_days", COUNTY, "2015-05")
    with pytest.raises(KeyError, match="no unit named 'East'"):
        run.drill_down("re_referrals_12m", "East", "2015-05")


def test_activity_of_a_selection_is_built_when_read(run) -> None:
    activity = run.activity
    assert isinstance(activity, pd.DataFrame) and run.activity is activity


def test_a_registry_is_required() -> None:
    with pytest.raises(UsageError) as caught:
        compute(EXTRACTS, ["2015-05"], "indicators.yaml", county=COUNTY)
    assert str(caught.value) == (
        "compute() needs a Registry (see load_registry; scorecard.compute loads the bundled one "
        "when given none), got str"
    )


def test_a_supplied_indicator_is_not_computed(tmp_path) -> None:
    text = (REPO / "indicators.yaml").read_text(encoding="utf-8")
    assert text.count("    id: cin_seen_28_days\n") == 1
    text = text.replace(
        "    id: cin_seen_28_days\n", "    id: cin_seen_28_days\n    supplied: the HR system\n"
    )
    registry = load_registry(tmp_path / "indicators.yaml", REPO / "rag_rules", text=text)
    run = compute(EXTRACTS, ["2015-05"], registry, county=COUNTY,
                  indicators=["cin_seen_28_days", "re_referrals_12m"])  # fmt: skip
    notes = run.results.drop_duplicates("indicator").set_index("indicator")["note"]
    assert (
        notes["cin_seen_28_days"]
        == "not computed: supplied from outside the library (the HR system)"
    )
    assert pd.isna(notes["re_referrals_12m"])
    assert list(run.records) == ["re_referrals_12m"]


@contextmanager
def measure_of_the_test() -> Iterator[Callable]:
    """A decorator registering a test's function as the measure of ref 1 (``re_referrals_12m``,
    with its parameters); the real measure is put back afterwards."""
    registered_measures()  # the domain modules register their measures when imported
    original = _MEASURES.pop("re_referrals_12m")
    try:
        yield lambda function: measure("re_referrals_12m", needs=("referrals",),
                                       parameters=original.parameters)(function)  # fmt: skip
    finally:
        _MEASURES["re_referrals_12m"] = original


class TestAMeasureOfTheTest:
    """A measure registered by the test under the id of ref 1, so that ref 1 runs it."""

    @pytest.fixture()
    def replaced(self, registry):
        with measure_of_the_test() as register:
            yield register

    def compute(self, registry):
        return compute(
            EXTRACTS, ["2015-05"], registry, county=COUNTY, indicators=["re_referrals_12m"]
        )

    def test_not_computable_inside_a_measure_is_a_note(self, registry, replaced) -> None:
        def rows(inp):
            raise NotComputable("no referrals this year")

        replaced(rows)
        got = self.compute(registry)
        assert got.results["note"].unique().tolist() == ["not computable: no referrals this year"]
        assert list(got.records) == []

    def test_a_failing_measure_is_a_note_and_a_warning(
        self, registry, replaced, monkeypatch
    ) -> None:
        def rows(inp):
            raise ZeroDivisionError("oops")

        replaced(rows)
        monkeypatch.delenv(RAISE_FAILURES, raising=False)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = self.compute(registry)
        assert got.results["note"].unique().tolist() == ["failed: ZeroDivisionError: oops"]
        assert [w.category for w in caught] == [MeasureFailedWarning]
        assert str(caught[0].message) == (
            "re_referrals_12m (ref 1): measure 're_referrals_12m' failed: ZeroDivisionError: oops"
        )
        monkeypatch.setenv(RAISE_FAILURES, "1")
        with pytest.raises(ZeroDivisionError):
            self.compute(registry)

    def test_rows_without_a_record_column(self, registry, replaced) -> None:
        replaced(lambda inp: pd.DataFrame({"month": [], "team": []}))
        with pytest.raises(TypeError) as caught:
            self.compute(registry)
        assert str(caught.value) == ("measure 're_referrals_12m' returned no column(s) "
                                     "['record_id', 'child_id', 'numerator', 'denominator']")  # fmt: skip

    @pytest.mark.parametrize("categorical", [False, True])
    def test_rows_of_teams_not_in_the_organisation(self, registry, replaced, categorical) -> None:
        teams = ["A1", "Z9", "Y8"] + ["Z9"] * 10

        def rows(inp):
            team = pd.Series(teams, dtype="category" if categorical else "string")
            return pd.DataFrame({"month": M("2015-05", "M"), "team": team,
                                 "record_id": [f"x{i}" for i in range(len(teams))],
                                 "child_id": None, "numerator": 1.0, "denominator": 1.0})  # fmt: skip

        replaced(rows)
        with pytest.raises(ValueError) as caught:
            self.compute(registry)
        # 12 unknown rows (Z9 x 11, Y8); the first 10 record ids, the teams sorted
        assert str(caught.value) == (
            "re_referrals_12m: 12 record(s) belong to team(s) not in the organisation table "
            "['Y8', 'Z9'] (records ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9', 'x10'])"
        )


def test_team_types_of() -> None:
    results = pd.DataFrame({"unit": ["Shire", "A1", "F", "Q"],
                            "level": ["county", "team", "team", "team"]})  # fmt: skip
    organisation = pd.concat([ORGANISATION, ORGANISATION.iloc[[0]].assign(team_type="other")])
    got = team_types_of(results, organisation)  # A1 listed twice: the first type counts
    assert got.tolist()[1:3] == ["assessment_and_family_support", "fostering"]
    assert pd.isna(got[0]) and pd.isna(got[3])
    bare = team_types_of(results, ORGANISATION.drop(columns=["team_type"]))
    assert bare.isna().all() and str(bare.dtype) == "string"
    assert np.array_equal(got.index, results.index)


def test_activity_rows_carry_their_labels(run) -> None:
    # only referrals are supplied: the two referral activities, 7 units x 2 months each
    activity = run.activity
    assert list(activity.columns) == ["activity", "label", "unit", "level", "month", "count"]
    labels = activity.drop_duplicates("activity").set_index("activity")["label"].to_dict()
    assert labels == {"open_cases": "Open cases", "referrals": "Referrals in the month"}
    assert len(activity) == 28
    shire = activity[(activity["unit"] == COUNTY) & (activity["activity"] == "referrals")]
    # referrals dated in April 2015 (r3) and in May 2015 (r2): one each
    assert shire["count"].tolist() == [1, 1]

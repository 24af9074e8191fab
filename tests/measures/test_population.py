"""Rates per 10,000 children (scorecard.measures.population): a tiny population, worked by hand.

The organisation of ``tests.measures.builders``: A1 and C1 (children in care) in North, A2 in
South, F directly under the county. Rates are computed with the indicators of the 2011 registry
(``tests.measures.registry_2011``): the referral rate (R12M) applies to the teams, areas and
county, the children-in-care rate to the areas and county only (other levels are tried too).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from scorecard.measures import Computation, compute
from scorecard.measures.base import NotComputable
from scorecard.measures.population import children_population, population_level
from scorecard.registry import Registry
from scorecard.registry.model import UnitLevel
from tests.measures.builders import COUNTY, ORGANISATION, build, figures
from tests.measures.registry_2011 import registry_2011


def run(
    extracts, indicator: str, months: list[str], registry: Registry | None = None
) -> Computation:
    chosen = registry if registry is not None else registry_2011()
    return compute(extracts, months, chosen, county=COUNTY, indicators=[indicator])


def value(result: Computation, unit: str, month: str) -> float:
    rows = result.results
    row = rows[(rows["unit"] == unit) & (rows["month"] == pd.Period(month, freq="M"))]
    assert len(row) == 1
    return float(row["value"].iloc[0])


def note(result: Computation) -> str:
    return str(result.results["note"].dropna().iloc[0])


def band(unit: str, year: int, age_from: int, age_to: int, population: int) -> dict:
    return {"unit": unit, "year": year, "age_from": age_from, "age_to": age_to,
            "population": population}  # fmt: skip


#: A1: mid-2014 0-4 1,000 + 5-17 3,000 = 4,000 (the 18-18 band of 500 is outside 0-17);
#: mid-2015 0-17 5,000. A2: mid-2014 only, 2,000. C1 and F: no population.
POPULATION = [
    band("A1", 2014, 0, 4, 1000), band("A1", 2014, 5, 17, 3000), band("A1", 2014, 18, 18, 500),
    band("A1", 2015, 0, 17, 5000),
    band("A2", 2014, 0, 17, 2000),
]  # fmt: skip

CHILDREN = [{"child_id": f"c{i}", "date_of_birth": "2010-01-01"} for i in range(1, 10)]


def referral(rid: str, child: str, date: str, team: str, closed: str | None = None) -> dict:
    return {"referral_id": rid, "child_id": child, "team": team, "referral_date": date,
            "closure_date": closed}  # fmt: skip


class TestReferralRate:
    """Referrals in the rolling 12 months per 10,000 children aged 0-17."""

    extracts = build(
        children=CHILDREN,
        population=POPULATION,
        referrals=[
            referral("r1", "c1", "2014-06-01", "A1"),  # first day of May 2015's 12 months
            referral("r2", "c1", "2014-05-31", "A1"),  # the day before: only in March 2015's
            referral("r3", "c2", "2015-05-31", "A2"),  # last day of May 2015
            referral("r4", "c3", "2015-01-10", "F"),  # a team without population: county only
            referral("r5", "c4", "2015-02-01", "C1"),  # no population of its own: North's rate
        ],
    )

    def test_may_2015_uses_each_units_latest_estimate(self) -> None:
        result = run(self.extracts, "referral_rate_per_10000", ["2015-05"])
        # 12 months 2014-06-01..2015-05-31: r1, r3, r4, r5 (not r2). FY 2015/16 -> mid-2015:
        # A1 has it (5,000); A2 has only mid-2014 (2,000), its latest earlier estimate.
        assert figures(result, "A1", "2015-05") == (1, 5000)
        assert value(result, "A1", "2015-05") == pytest.approx(2.0)  # 1 x 10,000 / 5,000
        assert figures(result, "A2", "2015-05") == (1, 2000)
        assert value(result, "A2", "2015-05") == pytest.approx(5.0)
        assert figures(result, "C1", "2015-05") == (1, 0)  # no population: no rate
        assert math.isnan(value(result, "C1", "2015-05"))
        assert figures(result, "F", "2015-05") == (1, 0)
        assert figures(result, "North", "2015-05") == (2, 5000)  # r1 (A1) and r5 (C1)
        assert value(result, "North", "2015-05") == pytest.approx(4.0)
        assert figures(result, "South", "2015-05") == (1, 2000)
        assert figures(result, COUNTY, "2015-05") == (4, 7000)
        assert value(result, COUNTY, "2015-05") == pytest.approx(40000 / 7000)

    def test_the_financial_year_chooses_the_mid_year(self) -> None:
        result = run(self.extracts, "referral_rate_per_10000", ["2014-03", "2015-03", "2015-04"])
        # March 2015 is in FY 2014/15 -> mid-2014: A1 4,000 (0-4 and 5-17; 18-18 left out);
        # its 12 months 2014-04-01..2015-03-31 hold r1, r2 (A1), r4 (F), r5 (C1)
        assert figures(result, "A1", "2015-03") == (2, 4000)
        assert figures(result, COUNTY, "2015-03") == (4, 6000)
        # April 2015 is in FY 2015/16 -> mid-2015 for A1; 2014-05-01..2015-04-30: r1, r2, r4, r5
        assert figures(result, "A1", "2015-04") == (2, 5000)
        # March 2014 (FY 2013/14): no estimate of 2013 or before -> no population row, no rate
        assert figures(result, "A1", "2014-03") == (0, 0)
        assert result.drill_down("referral_rate_per_10000", "A1", "2014-03").empty
        assert math.isnan(value(result, COUNTY, "2014-03"))

    def test_drill_down_names_the_population_rows(self) -> None:
        result = run(self.extracts, "referral_rate_per_10000", ["2015-05"])
        drill = result.drill_down("referral_rate_per_10000", "A1", "2015-05")
        assert drill[["record_id", "numerator", "denominator"]].values.tolist() == [
            ["population A1 mid-2015", 0.0, 5000.0],
            ["r1", 1.0, 0.0],
        ]


class TestSnapshotRates:
    """Children in need, on a CP plan and in care on the snapshot date (Friday 29 May 2015)."""

    def test_children_in_need(self) -> None:
        extracts = build(children=CHILDREN, population=POPULATION, referrals=[
            referral("ra", "c1", "2015-01-01", "A1"),
            referral("rb", "c1", "2015-03-01", "A2"),  # c1's latest open referral: counted in A2
            referral("rc", "c2", "2015-05-29", "A1"),  # opened on the snapshot date: open
            referral("rd", "c3", "2015-01-01", "A2", closed="2015-05-29"),  # closed on it: not
            referral("re", "c4", "2015-01-01", "A1", closed="2015-05-30"),  # closed after: open
            referral("rf", "c5", "2015-06-01", "A1"),  # not yet
        ])  # fmt: skip
        result = run(extracts, "cin_per_10000", ["2015-05"])
        assert figures(result, "A1", "2015-05") == (2, 5000)  # c2, c4
        assert figures(result, "A2", "2015-05") == (1, 2000)  # c1 once
        assert figures(result, COUNTY, "2015-05") == (3, 7000)

    def test_children_on_a_plan(self) -> None:
        extracts = build(children=CHILDREN, population=POPULATION, cp_plans=[
            {"cp_plan_id": "p1", "child_id": "c1", "team": "A1", "start_date": "2015-02-01"},
            {"cp_plan_id": "p2", "child_id": "c1", "team": "A2", "start_date": "2015-03-01"},
            {"cp_plan_id": "p3", "child_id": "c2", "team": "A1", "start_date": "2015-05-29"},
            {"cp_plan_id": "p4", "child_id": "c3", "team": "A1", "start_date": "2015-01-01",
             "end_date": "2015-05-29"},  # ended on the snapshot date: not on a plan
            {"cp_plan_id": "p5", "child_id": "c4", "team": "A1", "start_date": "2015-01-01",
             "end_date": "2015-05-30"},
        ])  # fmt: skip
        result = run(extracts, "cp_per_10000", ["2015-05"])
        # c1 once, under its latest-starting plan p2 (A2); c2 (started on the snapshot), c4
        assert figures(result, "A1", "2015-05") == (2, 5000)
        assert figures(result, "A2", "2015-05") == (1, 2000)
        assert value(result, COUNTY, "2015-05") == pytest.approx(30000 / 7000)

    def test_children_in_care_by_area(self) -> None:
        def episode(eid, child, team, start, end=None, status="C2"):
            return {"episode_id": eid, "child_id": child, "team": team, "start_date": start,
                    "end_date": end, "legal_status": status, "placement_type": "U1",
                    "reason_ceased": "E11" if end else None}  # fmt: skip

        extracts = build(children=CHILDREN, population=POPULATION, cic_episodes=[
            episode("e1", "c1", "C1", "2014-01-01"),
            episode("e2", "c2", "A2", "2015-05-29"),  # started on the snapshot date
            episode("e3", "c3", "C1", "2014-01-01", end="2015-05-29"),  # left care on it
            episode("e4", "c4", "C1", "2015-01-01", status="V3"),  # a short break: not counted
            episode("e5", "c5", "F", "2015-01-01"),  # county only
        ])  # fmt: skip
        result = run(extracts, "cic_per_10000", ["2015-05"])
        assert figures(result, "North", "2015-05") == (1, 5000)  # c1 (C1), A1's population
        assert figures(result, "South", "2015-05") == (1, 2000)  # c2
        assert figures(result, COUNTY, "2015-05") == (3, 7000)  # c1, c2, c5


AREA_POPULATION = [band("North", 2015, 0, 17, 6000), band("South", 2015, 0, 17, 4000)]
EPISODES = [
    {"episode_id": "e1", "child_id": "c1", "team": "C1", "start_date": "2015-01-01",
     "legal_status": "C2", "placement_type": "U1"},
    {"episode_id": "e2", "child_id": "c2", "team": "A1", "start_date": "2015-01-01",
     "legal_status": "C2", "placement_type": "U1"},
    {"episode_id": "e3", "child_id": "c3", "team": "F", "start_date": "2015-01-01",
     "legal_status": "C2", "placement_type": "U1"},
]  # fmt: skip


class TestPopulationLevels:
    """A population by area or for the county: no rate below the level it covers."""

    def test_by_area(self) -> None:
        extracts = build(children=CHILDREN, population=AREA_POPULATION, cic_episodes=EPISODES)
        result = run(extracts, "cic_per_10000", ["2015-05"])  # applies to county and areas
        assert figures(result, "North", "2015-05") == (2, 6000)  # c1 (C1), c2 (A1)
        assert figures(result, "South", "2015-05") == (0, 4000)
        assert figures(result, COUNTY, "2015-05") == (3, 10000)
        # North's population is held by its first team, A1 (a team figure the registry hides)
        drill = result.drill_down("cic_per_10000", "North", "2015-05")
        assert ["population North mid-2015", "A1"] in drill[["record_id", "team"]].values.tolist()

    def test_by_area_refuses_an_indicator_applying_to_teams(self) -> None:
        extracts = build(children=CHILDREN, population=AREA_POPULATION, cic_episodes=EPISODES)
        result = run(extracts, "cic_per_10000", ["2015-05"], registry_2011("county, area, team"))
        assert result.results["value"].isna().all()
        assert "given by area" in note(result) and "the team level" in note(result)

    def test_for_the_county_only(self) -> None:
        extracts = build(children=CHILDREN, population=[band("Shire", 2015, 0, 17, 8000)],
                         cic_episodes=EPISODES)  # fmt: skip
        refused = run(extracts, "cic_per_10000", ["2015-05"])  # applies to areas too
        assert "given by county" in note(refused) and "area" in note(refused)
        result = run(extracts, "cic_per_10000", ["2015-05"], registry_2011("county"))
        assert figures(result, COUNTY, "2015-05") == (3, 8000)
        assert value(result, COUNTY, "2015-05") == pytest.approx(30000 / 8000)
        # held by the first team of the organisation table, A1
        drill = result.drill_down("cic_per_10000", COUNTY, "2015-05")
        assert ["population Shire mid-2015", "A1"] in drill[["record_id", "team"]].values.tolist()
        teams = run(extracts, "cic_per_10000", ["2015-05"], registry_2011("county, team"))
        assert "given by county" in note(teams) and "the team level" in note(teams)

    def test_unknown_and_mixed_units_are_refused(self) -> None:
        mixed = build(
            children=CHILDREN,
            cic_episodes=EPISODES,
            population=[band("A1", 2015, 0, 17, 10), band("North", 2015, 0, 17, 10)],
        )
        assert "teams and areas mixed" in note(run(mixed, "cic_per_10000", ["2015-05"]))
        unknown = build(
            children=CHILDREN,
            cic_episodes=EPISODES,
            population=[band("A1", 2015, 0, 17, 10), band("Nowhere", 2015, 0, 17, 9)],
        )
        said = note(run(unknown, "cic_per_10000", ["2015-05"]))
        assert "not a team or area: Nowhere)" in said and "mixed" not in said


class TestPopulationHelpers:
    """The level of a population's units and the sum of its bands, on frames built here."""

    def test_levels(self) -> None:
        assert population_level(pd.Series(["A1", "A2", "A1"]), ORGANISATION) is UnitLevel.TEAM
        assert population_level(pd.Series(["North"]), ORGANISATION) is UnitLevel.AREA
        assert population_level(pd.Series(["Shire", "Shire"]), ORGANISATION) is UnitLevel.COUNTY
        with pytest.raises(NotComputable, match=r"\(not a team or area: Shire, Wold\)$"):
            population_level(pd.Series(["Shire", "Wold"]), ORGANISATION)
        with pytest.raises(NotComputable, match="area: Wold; teams and areas mixed\\)$"):
            population_level(pd.Series(["A1", "North", "Wold"]), ORGANISATION)

    @staticmethod
    def frame(*bands: tuple[int, int, int]) -> pd.DataFrame:
        return pd.DataFrame([band("A1", 2015, a, b, n) for a, b, n in bands]).astype(
            {"year": float, "age_from": float, "age_to": float, "population": float}
        )

    def test_bands_inside_the_ages_are_summed(self) -> None:
        # 0-4 (10) + 5 (1) + 6-17 (100) = 111; 18-19 (7) and 20 (5) lie outside 0-17
        found = children_population(self.frame((0, 4, 10), (5, 5, 1), (6, 17, 100), (18, 19, 7),
                                               (20, 20, 5)), 0, 17)  # fmt: skip
        assert found.values.tolist() == [["A1", 2015.0, 111.0]]
        # ages 5-6: 5 (1) + 6 (2) = 3
        assert children_population(self.frame((5, 5, 1), (6, 6, 2)), 5, 6)[
            "population"
        ].tolist() == [3.0]
        # one age only (min_age = max_age = 6): the 6 band
        assert children_population(self.frame((5, 5, 1), (6, 6, 2)), 6, 6)[
            "population"
        ].tolist() == [2.0]

    def test_bands_in_any_order(self) -> None:
        found = children_population(self.frame((6, 17, 100), (0, 4, 10), (5, 5, 1)), 0, 17)
        assert found["population"].tolist() == [111.0]

    def test_a_long_list_of_faults_is_cut_short(self) -> None:
        frame = pd.DataFrame([band(f"T{i}", 2015, 0, 19, 1) for i in range(7)]).astype(
            {"year": float, "age_from": float, "age_to": float, "population": float}
        )
        with pytest.raises(NotComputable, match=r"T4 mid-2015 ages 0-19 and 2 more$"):
            children_population(frame, 0, 17)

    @pytest.mark.parametrize(
        ("bands", "message"),
        [
            (
                ((0, 4, 10), (5, 19, 100)),
                "reaching across ages 0-17 cannot be split: A1 mid-2015 ages 5-19",
            ),
            (((0, 4, 10), (6, 17, 100)), "do not cover every age 0-17"),  # age 5 missing
            (((0, 5, 10), (5, 17, 100)), "do not cover every age 0-17"),  # age 5 twice
            (((0, 4, 10), (5, 16, 100)), "do not cover every age 0-17"),  # age 17 missing
            (((1, 17, 10),), "do not cover every age 0-17"),  # age 0 missing
            (((18, 20, 10),), "do not cover every age 0-17"),  # nothing inside
        ],
    )
    def test_bands_that_do_not_give_the_ages_are_refused(self, bands, message) -> None:
        with pytest.raises(NotComputable, match=message):
            children_population(self.frame(*bands), 0, 17)

    def test_a_band_reaching_below_the_youngest_age_is_refused(self) -> None:
        with pytest.raises(NotComputable, match="ages 0-5"):
            children_population(self.frame((0, 5, 1), (6, 17, 2)), 5, 17)
        with pytest.raises(NotComputable, match="min_age 6 is above max_age 5"):
            children_population(self.frame((0, 17, 1)), 6, 5)

    def test_an_empty_population_is_not_computable(self) -> None:
        extracts = build(children=CHILDREN, population=[], cic_episodes=EPISODES)
        assert "has no rows" in note(run(extracts, "cic_per_10000", ["2015-05"]))

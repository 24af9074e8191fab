"""Measures of rates per 10,000 children: referrals, children in need, on a CP plan, in care.

A rate's record-level rows are of two kinds. *Counted* rows are the referrals or children counted
(numerator 1, denominator 0), each in the team holding it. *Population* rows carry the child
population (numerator 0, denominator the number of children aged ``min_age``-``max_age``, by
default 0-17) of each unit of the ``population`` extract, one per unit and reporting month, with
the record id ``population <unit> mid-<year>``. A unit's rate is ``10,000 x counted / population``
of the rows summed into it.

Where the population comes from
  The ``population`` extract gives the population by team (the district a team serves), by area or
  for the whole authority (the county); all its rows at one level. By team: a team's rate is its
  own counted rows over its population, and an area's and the county's are the sums of their
  teams' (a team with no population of its own, a children-in-care team say, adds its counted
  rows to its area and the county and has no rate of its own). By area or for the county: the
  rate is **not computed below the level the population covers**. The population row of an area
  (of the county) is held by the first team of the area (of the organisation table), so that the
  area (county) sums come out right; a team's (an area's) figure would then be meaningless, so
  the indicator must not apply at those levels (``applies_to.levels`` in the registry): the
  measure refuses to compute, saying so, when it does.

Which year
  A reporting month uses the mid-year estimate of the year its financial year starts in (April
  2015 to March 2016: mid-2015), as the DfE's rates for a year ending 31 March use the estimates
  of the June before; when that year is not in the extract, the latest earlier year of the unit.
  A month with no earlier estimate has no population row: no rate.

Ages
  The bands of ages ``min_age``-``max_age`` are summed; a band reaching across either limit (a
  15-19 band for 0-17) cannot be split and is refused, as is a unit and year whose bands do not
  cover every age in the range exactly once.
"""

from __future__ import annotations

import pandas as pd

from scorecard.calendar.periods import financial_year_starts
from scorecard.measures.base import (
    MeasureInput,
    NotComputable,
    in_period,
    measure,
    reasons,
    records,
    whole,
)
from scorecard.measures.care_periods import looked_after_on_snapshots
from scorecard.measures.kernels import last_in_groups
from scorecard.registry.model import ALL_LEVELS, UnitLevel

#: The levels below each level of population (where a rate cannot be computed from it).
_BELOW = {
    UnitLevel.TEAM: frozenset[UnitLevel](),
    UnitLevel.AREA: frozenset({UnitLevel.TEAM}),
    UnitLevel.COUNTY: frozenset({UnitLevel.TEAM, UnitLevel.AREA}),
}

_AGES = (
    whole("min_age", "youngest age (in whole years) of the children counted in the population", 0,
          maximum=120),
    whole("max_age", "oldest age (in whole years) of the children counted in the population", 17,
          maximum=120),
)  # fmt: skip

_SHOWN = 5


def _listed(labels: pd.Series) -> str:
    """Up to five of ``labels``, then how many more."""
    values = [str(v) for v in labels.drop_duplicates()]
    more = f" and {len(values) - _SHOWN} more" if len(values) > _SHOWN else ""
    return ", ".join(values[:_SHOWN]) + more


def children_population(population: pd.DataFrame, min_age: int, max_age: int) -> pd.DataFrame:
    """``unit, year, population``: the residents aged ``min_age`` to ``max_age`` of each unit and
    mid-year. :class:`NotComputable` for a band reaching across either limit, or a unit and year
    whose bands do not cover every age of the range exactly once."""
    if min_age > max_age:
        raise NotComputable(f"min_age {min_age} is above max_age {max_age}")
    band_from, band_to = population["age_from"], population["age_to"]
    touching = (band_to >= min_age) & (band_from <= max_age)
    inside = touching & (band_from >= min_age) & (band_to <= max_age)
    straddling = population[touching & ~inside]
    if len(straddling):
        labels = (straddling["unit"].astype(str) + " mid-" + straddling["year"].map("{:.0f}".format)
                  + " ages " + straddling["age_from"].map("{:.0f}".format) + "-"
                  + straddling["age_to"].map("{:.0f}".format))  # fmt: skip
        raise NotComputable(f"population: age band(s) reaching across ages {min_age}-{max_age} "
                            f"cannot be split: {_listed(labels)}")  # fmt: skip
    bands = population.loc[inside, ["unit", "year", "age_from", "age_to", "population"]]
    bands = bands.sort_values(["unit", "year", "age_from"], kind="stable")
    group = [bands["unit"], bands["year"]]
    previous_to = bands["age_to"].groupby(group, sort=False).shift()
    expected_from = (previous_to + 1).fillna(min_age)
    gap_or_overlap = (bands["age_from"] != expected_from).groupby(group, sort=False).any()
    last_to = bands["age_to"].groupby(group, sort=False).max()
    totals = bands["population"].groupby(group, sort=False).sum()
    broken = gap_or_overlap | (last_to != max_age)
    # a unit and year with bands only outside the range has none inside: not covered either
    every = population[["unit", "year"]].drop_duplicates()
    known = pd.MultiIndex.from_frame(every)
    missing = known[~known.isin(totals.index)]
    if broken.any() or len(missing):
        wrong = [f"{u} mid-{y:.0f}" for u, y in (*broken[broken].index, *missing)]
        raise NotComputable(f"population: the age bands of {_listed(pd.Series(wrong))} do not "
                            f"cover every age {min_age}-{max_age} exactly once")  # fmt: skip
    out = totals.rename("population").reset_index()
    out.columns = ["unit", "year", "population"]
    return out


def population_level(units: pd.Series, organisation: pd.DataFrame) -> UnitLevel:
    """The level of the units of a population extract: all teams, all areas, or one other name
    (the county). :class:`NotComputable` otherwise, naming the units that do not fit."""
    names = pd.Series(units.drop_duplicates().astype(str).to_numpy())
    teams = set(organisation["team"].astype(str))
    areas = set(organisation["area"].dropna().astype(str))
    is_team, is_area = names.isin(teams), names.isin(areas) & ~names.isin(teams)
    if is_team.all():
        return UnitLevel.TEAM
    if is_area.all():
        return UnitLevel.AREA
    if not (is_team | is_area).any() and len(names) == 1:
        return UnitLevel.COUNTY
    odd = names[~is_team & ~is_area]
    found = [f"not a team or area: {_listed(odd)}"] if len(odd) else []
    if is_team.any() and is_area.any():
        found.append("teams and areas mixed")
    raise NotComputable(
        "population: the units must be all teams of the organisation table, all "
        f"areas, or one name for the whole authority ({'; '.join(found)})"
    )


def _holders(level: UnitLevel, units: pd.Series, organisation: pd.DataFrame) -> pd.Series:
    """The team holding each unit's population row: the team itself, the first team of the area,
    or the first team of the organisation table (for the county)."""
    names = units.astype(str)
    match level:
        case UnitLevel.TEAM:
            return names
        case UnitLevel.AREA:
            first = organisation.dropna(subset=["area"]).drop_duplicates("area")
            lookup = pd.Series(first["team"].astype(str).to_numpy(), first["area"].astype(str))
            return names.map(lookup)
        case UnitLevel.COUNTY:
            return pd.Series(str(organisation["team"].iloc[0]), index=units.index)


def population_rows(inp: MeasureInput) -> pd.DataFrame:
    """The population rows of ``inp``'s months (see the module docstring): ``month, team, unit,
    year, population``; :class:`NotComputable` when the population cannot give the indicator's
    rate at every level where it applies."""
    organisation = inp.extracts.organisation
    assert organisation is not None  # compute() checks it is there
    population = inp.extract("population")
    if population.empty:
        raise NotComputable("extract 'population' has no rows")
    level = population_level(population["unit"], organisation)
    applicable = ALL_LEVELS if inp.indicator.applicability is None else (
        inp.indicator.applicability.levels)  # fmt: skip
    below = sorted(v.value for v in applicable & _BELOW[level])
    if below:
        raise NotComputable(f"the population is given by {level.value}: a rate per 10,000 is not "
                            f"computed below that level, but the indicator applies to the "
                            f"{' and '.join(below)} level(s) (restrict applies_to.levels)")  # fmt: skip
    totals = children_population(population, int(inp.param("min_age")), int(inp.param("max_age")))
    totals = totals.sort_values("year", kind="stable")
    calendar = inp.calendar[["month"]].copy()
    calendar["wanted"] = financial_year_starts(calendar["month"]).astype("float64")
    units = pd.DataFrame({"unit": totals["unit"].drop_duplicates()})
    grid = units.merge(calendar, how="cross").sort_values("wanted", kind="stable")
    found = pd.merge_asof(grid, totals, left_on="wanted", right_on="year", by="unit",
                          direction="backward")  # fmt: skip
    found = found[found["year"].notna()].reset_index(drop=True)
    found["team"] = _holders(level, found["unit"], organisation).to_numpy()
    return found[["month", "team", "unit", "year", "population"]]


def per_10000(
    counted: pd.DataFrame, inp: MeasureInput, record_id: str, why: str, date: str
) -> pd.DataFrame:
    """The rows of a rate: ``counted`` (one row per referral or child, with ``month``, ``team``,
    ``record_id``, ``child_id`` and ``date``, the date that decided it) in the numerator, and the
    population rows in the denominator. A drill-down's rows say why (``why``: why a counted row
    is counted) and carry the date, and the population's mid-year and size."""
    people = population_rows(inp)
    people["record_id"] = ("population " + people["unit"].astype(str) + " mid-"
                           + people["year"].map("{:.0f}".format))  # fmt: skip
    counted_why = denominator_why = None
    if inp.detail:
        counted_why = reasons([], why, counted.index)
        ages = f"{int(inp.param('min_age'))}-{int(inp.param('max_age'))}"
        denominator_why = reasons(
            [], f"the denominator: children aged {ages} in the unit's population (the mid-year "
            "estimate of the year the financial year starts in, or the latest before it)", people.index,
        )  # fmt: skip
    numerator = records(counted, record_id=record_id, numerator=1.0, denominator=0.0,
                        reason=counted_why, extra={date: date} if inp.detail else None)  # fmt: skip
    denominator = records(
        people, record_id="record_id", numerator=0.0, denominator=people["population"],
        child_id=None, reason=denominator_why,
        extra={"population_year": "year", "population": "population"} if inp.detail else None,
    )  # fmt: skip
    return pd.concat([numerator, denominator], ignore_index=True)


@measure("referrals_per_10000", needs=("referrals", "population"), parameters=_AGES)
def referrals_per_10000(inp: MeasureInput) -> pd.DataFrame:
    """Referrals with a referral date in the period (YTD or rolling 12 months) per 10,000 children
    aged ``min_age``-``max_age`` (0-17) of the population (DfE: referrals per 10,000 children). A
    child referred twice counts twice. Each referral counts in the team holding it."""
    wanted = ["referral_id", "team", "child_id", "referral_date"]
    rows = in_period(inp.extract("referrals")[wanted], "referral_date", inp)
    return per_10000(rows, inp, "referral_id", "a referral dated in the period", "referral_date")


@measure("cin_per_10000", needs=("referrals", "population"), parameters=_AGES)
def cin_per_10000(inp: MeasureInput) -> pd.DataFrame:
    """Children in need on the snapshot date per 10,000 children aged ``min_age``-``max_age``
    (0-17): children with a referral (CIN episode) open on the snapshot date (referral date on or
    before it, no closure date or one after it), whatever their plan (children on a CP plan and in
    care included, as in the DfE's children-in-need rate). A child counts once, under the latest
    open referral (then the highest referral id), in its team."""
    open_cases = inp.open_records("referrals", "referral_date", "closure_date",
                                  ("referral_id", "child_id", "team", "referral_date"))  # fmt: skip
    cohort = last_in_groups(open_cases, ["month", "child_id"], ["referral_date", "referral_id"])
    return per_10000(cohort, inp, "referral_id",
                     "a child with a referral open on the snapshot date", "referral_date")


@measure("cp_per_10000", needs=("cp_plans", "population"), parameters=_AGES)
def cp_per_10000(inp: MeasureInput) -> pd.DataFrame:
    """Children on a child protection plan on the snapshot date per 10,000 children aged
    ``min_age``-``max_age`` (0-17): a plan open on the snapshot date (start on or before it, no
    end or an end after it). A child counts once, under the latest-starting open plan (then the
    highest plan id), in its team."""
    plans = inp.open_records("cp_plans", columns=("cp_plan_id", "child_id", "team", "start_date"))
    cohort = last_in_groups(plans, ["month", "child_id"], ["start_date", "cp_plan_id"])
    return per_10000(cohort, inp, "cp_plan_id",
                     "a child on a child protection plan on the snapshot date", "start_date")


@measure("cic_per_10000", needs=("cic_episodes", "population"), parameters=_AGES)
def cic_per_10000(inp: MeasureInput) -> pd.DataFrame:
    """Children looked after on the snapshot date per 10,000 children aged ``min_age``-``max_age``
    (0-17): a care episode open on the snapshot date (start on or before it, no end or an end
    after it) other than a short break (legal status V3/V4), as in the DfE's looked-after rate.
    A child counts once, under the latest-starting open episode (then the highest episode id), in
    the team holding it."""
    open_now = looked_after_on_snapshots(inp.extracts, inp.months,
                                         ("episode_id", "child_id", "team", "start_date"))  # fmt: skip
    cohort = last_in_groups(open_now, ["month", "child_id"], ["start_date", "episode_id"])
    return per_10000(cohort, inp, "episode_id",
                     "a child looked after on the snapshot date", "start_date")


__all__ = [
    "children_population",
    "cic_per_10000",
    "cin_per_10000",
    "cp_per_10000",
    "per_10000",
    "population_level",
    "population_rows",
    "referrals_per_10000",
]

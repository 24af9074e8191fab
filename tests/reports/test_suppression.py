"""Suppression that cannot be undone: primary and secondary suppression over the organisation,
withheld ratings, directions, previous and outturn results; the property that no withheld cell can
be worked out from the published cells by the sums of the hierarchy."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scorecard as sc
from scorecard.measures.compute import Computation
from scorecard.pipeline import Scorecard
from scorecard.reports import model
from scorecard.reports.build import results_for_publication
from scorecard.reports.suppression import (
    Hierarchy,
    SuppressionError,
    complete,
    suppress_activity_counts,
    suppress_results,
)

PERCENT = "re_referrals_12m"  # percent, lower is better, minimum denominator 5
COUNT = "assessments_overdue"  # count
MAY, APRIL = pd.Period("2015-05", "M"), pd.Period("2015-04", "M")
REGISTRY = sc.load_registry()


def organisation(areas: dict[str, list[str]], direct: list[str], county: str = "Kent"):
    """The computation's ``units`` table: every team in the county, its area (if any), itself."""
    teams = [t for ts in areas.values() for t in ts] + direct
    area_of = {t: a for a, ts in areas.items() for t in ts}
    rows = [(t, county, "county") for t in teams]
    rows += [(t, area_of[t], "area") for t in teams if t in area_of]
    rows += [(t, t, "team") for t in teams]
    return pd.DataFrame(rows, columns=["team", "unit", "level"])


def results(team_figures: dict[str, tuple[float, float]], areas, direct, month=MAY,
            indicator=PERCENT, county="Kent") -> pd.DataFrame:  # fmt: skip
    """Results of one indicator and month, with the areas and the county summed from the teams."""
    figures = dict(team_figures)
    for area, teams in areas.items():
        figures[area] = tuple(sum(figures[t][i] for t in teams) for i in (0, 1))  # type: ignore[assignment]
    top = list(areas) + direct
    figures[county] = tuple(sum(figures[u][i] for u in top) for i in (0, 1))  # type: ignore[assignment]
    level = {county: "county", **dict.fromkeys(areas, "area")}
    return pd.DataFrame(
        {
            "indicator": indicator,
            "unit": list(figures),
            "level": [level.get(u, "team") for u in figures],
            "month": month,
            "numerator": [float(n) for n, _ in figures.values()],
            "denominator": [float(d) for _, d in figures.values()],
            "value": np.nan,
        }
    )


def card_of(frame: pd.DataFrame, units: pd.DataFrame, activity: pd.DataFrame | None = None):
    rated = sc.rate(frame, REGISTRY)
    if activity is None:
        activity = pd.DataFrame(columns=["activity", "label", "unit", "level", "month", "count"])
    computation = Computation(frame, {}, units, activity)
    return Scorecard(rated, computation, REGISTRY, "Kent")


# --- the issue's example, worked by hand ----------------------------------------------------------

AREAS = {"North": ["Team A", "Team B"]}
DIRECT = ["Team C"]
# Team A 1/3 and Team B 8/20 make North 9/23; Team C 10/30; Kent 19/53.
FIGURES = {"Team A": (1, 3), "Team B": (8, 20), "Team C": (10, 30)}


def test_the_issues_example_north_minus_team_b_no_longer_gives_team_a() -> None:
    """Team A (1/3) is withheld for being small. North (9/23) and Team B (8/20) published would
    give it (9 - 8 = 1, 23 - 20 = 3), so Team B, the only other team of North, is withheld too.
    Kent = North + Team C then has no unknown cell, and nothing there is withheld."""
    card = card_of(results(FIGURES, AREAS, DIRECT), organisation(AREAS, DIRECT))
    published = results_for_publication(card, 5).set_index("unit")
    assert published.loc["Team A", ["numerator", "denominator", "value"]].tolist() == ["c"] * 3
    assert published.loc["Team B", ["numerator", "denominator", "value"]].tolist() == ["c"] * 3
    assert published.loc["North", ["numerator", "denominator"]].tolist() == [9.0, 23.0]
    assert published.loc["Team C", ["numerator", "denominator"]].tolist() == [10.0, 30.0]
    assert published.loc["Kent", ["numerator", "denominator"]].tolist() == [19.0, 53.0]
    assert published["suppressed"].to_dict() == {
        "Kent": False, "North": False, "Team A": True, "Team B": True, "Team C": False,
    }  # fmt: skip
    # a withheld cell shows "c" for its rating and state too
    assert published.loc["Team B", "rag"] == "c" and published.loc["Team B", "state"] == "c"


def test_an_area_of_one_team_is_withheld_with_it_and_the_county_gets_a_complement() -> None:
    """Team D (2/12) is withheld for being small. South has no other team, so South (= Team D) is
    withheld. Kent = North + South then has one unknown cell (South): North, its only other child,
    is withheld. North = Team A + Team B then has one unknown (North): the smaller team by
    numerator, Team A (6 < 8), is withheld. Every group now has two unknown cells or none."""
    areas = {"North": ["Team A", "Team B"], "South": ["Team D"]}
    figures = {"Team A": (6, 15), "Team B": (8, 25), "Team D": (2, 12)}
    frame = suppress_results(
        results(figures, areas, []), 5, Hierarchy.from_units(organisation(areas, []))
    ).set_index("unit")
    assert frame["suppressed"].to_dict() == {
        "Team A": True, "Team B": False, "Team D": True, "North": True, "South": True,
        "Kent": False,
    }  # fmt: skip
    assert frame.loc["Kent", ["numerator", "denominator"]].tolist() == [16.0, 52.0]


def test_zero_is_never_withheld_for_being_small() -> None:
    """0/0 and 0/20 are published; 4/6 is withheld (4 < 5) and its complement in North is the
    smallest NON-ZERO other team (Team B 6/9, not Team Z 0/20)."""
    areas = {"North": ["Team A", "Team B", "Team Z", "Team Y"]}
    figures = {"Team A": (4, 6), "Team B": (6, 9), "Team Z": (0, 20), "Team Y": (30, 60)}
    frame = suppress_results(
        results(figures, areas, []), 5, Hierarchy.from_units(organisation(areas, []))
    ).set_index("unit")
    assert frame["suppressed"].to_dict() == {
        "Kent": False, "North": False, "Team A": True, "Team B": True, "Team Z": False,
        "Team Y": False,
    }  # fmt: skip
    # Kent = North: North is the only child and Kent's group has no unknown cell


def test_counts_are_checked_on_numerators_only() -> None:
    """A count indicator has no denominator: 3 is withheld (below 5), 12 is not; North = Team A +
    Team B then needs Team B (12) withheld too."""
    areas = {"North": ["Team A", "Team B"]}
    frame = results({"Team A": (3, 0), "Team B": (12, 0)}, areas, [], indicator=COUNT)
    frame["denominator"] = np.nan
    out = suppress_results(
        frame.assign(value_unit="count"), 5, Hierarchy.from_units(organisation(areas, []))
    ).set_index("unit")
    assert out["suppressed"].to_dict() == {
        "Kent": False, "North": False, "Team A": True, "Team B": True,
    }  # fmt: skip


def test_previous_and_outturn_results_and_their_directions_are_withheld() -> None:
    """Team A is 1/3 (33.3%) in April (withheld) and 10/30 (33.3%) in May (published): its May row
    would say "same" beside a withheld previous result, which gives it away. The previous result and
    the direction from it are withheld; May's own figures are shown."""
    areas = {"North": ["Team A", "Team B"]}
    april = results({"Team A": (1, 3), "Team B": (8, 20)}, areas, [], month=APRIL)
    may = results({"Team A": (10, 30), "Team B": (8, 20)}, areas, [])
    card = card_of(pd.concat([april, may], ignore_index=True), organisation(areas, []))
    raw = card.frame.set_index(["unit", "month"])
    assert raw.loc[("Team A", MAY), "dot_previous"] == "same"  # what would leak
    published = results_for_publication(card, 5)
    may_a = published[(published["unit"] == "Team A") & (published["month"] == MAY)].iloc[0]
    assert may_a["numerator"] == 10.0 and may_a["suppressed"] == False
    assert may_a["previous_value"] == "c" and may_a["dot_previous"] == "c"
    assert may_a["previous_suppressed"] == True
    frame = model.publication_frame(card, 5).set_index(["unit", "month"])
    assert pd.isna(frame.loc[("Team A", MAY), "dot_previous"])
    assert pd.isna(frame.loc[("Team A", MAY), "previous_value"])


def test_the_rag_of_a_withheld_cell_is_withheld_and_gives_no_exception_report() -> None:
    """Team A 4/6 = 66.7% of re-referrals would be Red; withheld, it has no RAG (and so no
    exception report), and the published summary counts do not include it."""
    areas = {"North": ["Team A", "Team B"]}
    card = card_of(
        results({"Team A": (4, 6), "Team B": (6, 40)}, areas, []), organisation(areas, [])
    )
    assert card.frame.set_index("unit").loc["Team A", "rag"] == "R"
    frame = model.publication_frame(card, 5)
    assert model.red_indicators(frame, "Team A", MAY) == []
    assert "0 indicators rated as Red" in model.summary_sentence(frame, "Team A", MAY)


def test_suppression_over_several_units_needs_the_organisation() -> None:
    frame = results(FIGURES, AREAS, DIRECT)
    with pytest.raises(SuppressionError, match="needs the organisation"):
        model.suppress_small_counts(frame, 5)
    one = frame[frame["unit"] == "Kent"]
    assert not model.suppress_small_counts(one, 5)["suppressed"].any()  # 19 and 53: not small
    assert model.suppress_small_counts(one, 20)["suppressed"].tolist() == [True]  # 19 < 20


def test_activity_counts_get_secondary_suppression() -> None:
    """Open cases: Team A 2 (withheld), Team B 40, North 42: Team B is withheld too. Kent = North +
    Team C (30) = 72 stays."""
    units = organisation(AREAS, DIRECT)
    activity = pd.DataFrame(
        {
            "activity": "open_cases", "label": "Open cases",
            "unit": ["Kent", "North", "Team A", "Team B", "Team C"],
            "level": ["county", "area", "team", "team", "team"],
            "month": MAY, "count": [72.0, 42.0, 2.0, 40.0, 30.0],
        }
    )  # fmt: skip
    out = suppress_activity_counts(activity, 5, Hierarchy.from_units(units)).set_index("unit")
    assert out["withheld"].to_dict() == {
        "Kent": False, "North": False, "Team A": True, "Team B": True, "Team C": False,
    }  # fmt: skip
    assert out["count"].isna().tolist() == [False, False, True, True, False]
    table = model.suppress_activity(model.activity_table(out.reset_index(), "Team B", MAY), None)
    assert table[["this_month_withheld", "change_withheld"]].values.tolist() == [[True, True]]


def test_the_hierarchy_of_an_organisation() -> None:
    units = organisation({"North": ["A", "B"], "South": ["C"]}, ["D"])
    assert Hierarchy.from_units(units).groups == (
        ("Kent", ("North", "South", "D")),
        ("North", ("A", "B")),
        ("South", ("C",)),
    )


# --- the property: nothing withheld can be worked out ---------------------------------------------


def determined(unknown: list[int], groups: list[tuple[int, list[int]]], cell: int) -> bool:
    """True when ``cell`` (one of ``unknown``) is fixed by the sums ``parent = sum(children)``
    given every other cell: e_cell lies in the row space of the equations restricted to the
    unknown cells (a rank test, exact for these small 0/+-1 matrices)."""
    column = {u: i for i, u in enumerate(unknown)}
    rows = []
    for parent, children in groups:
        row = np.zeros(len(unknown))
        for u, sign in [(parent, 1.0), *((c, -1.0) for c in children)]:
            if u in column:
                row[column[u]] += sign
        if row.any():
            rows.append(row)
    if not rows:
        return False
    a = np.array(rows)
    e = np.zeros(len(unknown))
    e[column[cell]] = 1.0
    return bool(np.linalg.matrix_rank(np.vstack([a, e])) == np.linalg.matrix_rank(a))


def test_the_rank_test_itself() -> None:
    """Hand-worked: K = N + C, N = A + B. With A alone unknown, A = N - B: determined. With A and B
    unknown, only A + B is known: not determined. With A, B and N unknown and K, C known, N = K - C
    is determined but A and B are not."""
    groups = [(0, [1, 2]), (1, [3, 4])]  # 0 K, 1 N, 2 C, 3 A, 4 B
    assert determined([3], groups, 3)
    assert not determined([3, 4], groups, 3)
    assert determined([1, 3, 4], groups, 1) and not determined([1, 3, 4], groups, 4)


@st.composite
def organisations(draw: Any) -> tuple[dict[str, list[str]], list[str]]:
    n_areas = draw(st.integers(0, 4))
    areas = {f"Area {i}": [f"T{i}.{j}" for j in range(draw(st.integers(1, 4)))]
             for i in range(n_areas)}  # fmt: skip
    direct = [f"D{j}" for j in range(draw(st.integers(0 if n_areas else 1, 3)))]
    return areas, direct


small_counts = st.one_of(st.integers(0, 3), st.integers(0, 12), st.integers(0, 60))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), shape=organisations(), below=st.integers(1, 9))
def test_no_withheld_cell_of_the_results_can_be_worked_out(data, shape, below) -> None:
    areas, direct = shape
    teams = [t for ts in areas.values() for t in ts] + direct
    frames = []
    for month in (APRIL, MAY):
        for indicator in (PERCENT, COUNT):
            figures = {}
            for team in teams:
                numerator = data.draw(small_counts)
                figures[team] = (numerator, numerator + data.draw(small_counts))
            frame = results(figures, areas, direct, month=month, indicator=indicator)
            if indicator == COUNT:
                frame["denominator"] = np.nan
            frames.append(frame)
    units = organisation(areas, direct)
    card = card_of(pd.concat(frames, ignore_index=True), units)
    published = results_for_publication(card, below)
    hierarchy = Hierarchy.from_units(units)
    names = hierarchy.units
    index = {u: i for i, u in enumerate(names)}
    groups = [(index[p], [index[c] for c in cs]) for p, cs in hierarchy.groups]
    raw = card.frame.set_index(["indicator", "unit", "month"])
    for (indicator, month), rows in published.groupby(["indicator", "month"]):
        rows = rows.set_index("unit")
        withheld = rows["suppressed"].astype(bool)
        # primary: every count from 1 to below - 1 is withheld; zero never for being small
        truth = raw.xs((indicator, month), level=("indicator", "month"))
        counts = truth[["numerator"] + (["denominator"] if indicator == PERCENT else [])]
        small = ((counts > 0) & (counts < below)).any(axis=1)
        assert (withheld[small[small].index]).all()
        hidden = withheld.to_dict()  # one unit a row: the cells as dicts (not a .loc each)
        for quantity in ["numerator"] + (["denominator"] if indicator == PERCENT else []):
            shown, true = rows[quantity].to_dict(), truth[quantity].to_dict()
            unknown = [index[u] for u in names if shown[u] == "c" or pd.isna(shown[u])]
            assert {names[u] for u in unknown} >= set(withheld[withheld].index)
            for cell in unknown:
                if hidden[names[cell]]:
                    assert not determined(unknown, groups, cell), (indicator, month, names[cell])
            # what is published is the truth
            for unit in names:
                if not hidden[unit]:
                    assert float(shown[unit]) == true[unit] or pd.isna(true[unit])
    # previous results publish nothing the previous month's own row does not
    may = published[published["month"] == MAY].set_index(["indicator", "unit"])
    april = published[published["month"] == APRIL].set_index(["indicator", "unit"])
    for key, row in may.iterrows():
        if april.loc[key, "suppressed"]:
            assert row["previous_value"] == "c" and row["dot_previous"] in ("c",)
        if row["suppressed"]:
            assert row["rag"] == "c" and row["dot_previous"] == "c"


@settings(max_examples=150, deadline=None)
@given(data=st.data(), shape=organisations(), below=st.integers(1, 9))
def test_no_withheld_activity_count_can_be_worked_out(data, shape, below) -> None:
    areas, direct = shape
    units = organisation(areas, direct)
    hierarchy = Hierarchy.from_units(units)
    frames = []
    for activity in ("open_cases", "referrals"):
        counts = {t: data.draw(small_counts) for t in [t for ts in areas.values() for t in ts]
                  + direct}  # fmt: skip
        frame = results({t: (c, 0) for t, c in counts.items()}, areas, direct, indicator=activity)
        frames.append(frame.rename(columns={"indicator": "activity", "numerator": "count"}))
    activity = pd.concat(frames, ignore_index=True).assign(label="x")
    out = suppress_activity_counts(activity, below, hierarchy)
    names = hierarchy.units
    index = {u: i for i, u in enumerate(names)}
    groups = [(index[p], [index[c] for c in cs]) for p, cs in hierarchy.groups]
    for _, rows in out.groupby("activity"):
        rows = rows.set_index("unit")
        original = activity[activity["activity"] == rows["activity"].iloc[0]].set_index("unit")
        small = (original["count"] > 0) & (original["count"] < below)
        assert rows.loc[small[small].index, "withheld"].all()
        unknown = [index[u] for u in names if rows.loc[u, "withheld"]]
        for cell in unknown:
            assert not determined(unknown, groups, cell), names[cell]


def test_complete_reaches_a_fixed_point_on_a_chain() -> None:
    """K = N + S, N = A + B, S = C. C (primary) forces S (S's only child), then S forces N (Kent's
    only other child), then N forces its smaller team A (1 < 9). K and B stay published."""
    groups = [(0, [1, 2]), (1, [3, 4]), (2, [5])]  # 0 K, 1 N, 2 S, 3 A, 4 B, 5 C
    values = np.array([[20.0, 10.0, 10.0, 1.0, 9.0, 10.0]])
    start = np.array([[False, False, False, False, False, True]])
    done = complete(start, [values], groups)
    assert done.tolist() == [[False, True, True, True, False, True]]


def test_suppress_below_none_withholds_nothing() -> None:
    frame = results(FIGURES, AREAS, DIRECT)
    out = suppress_results(frame, None, Hierarchy.flat())
    assert not out[["suppressed", "previous_suppressed", "outturn_suppressed"]].any().any()

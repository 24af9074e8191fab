"""The state of every rated row: applicability, precedence of the reasons for no RAG, thresholds
carried forward, and the summary over the applicable rows. Hand-worked on a three-indicator
registry (below): each expected state is worked out in the comment of its row."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scorecard.calendar.periods import FinancialYear
from scorecard.rating import applicable_rows, rate, summary_counts, summary_sentence
from scorecard.rating.vocabulary import STATE_DTYPE, RatingState
from scorecard.registry import load_registry
from tests.conftest import REPO
from tests.rating.conftest import results

AFS = "assessment_and_family_support"

REGISTRY = textwrap.dedent(
    f"""\
    financial_years: ["2015/16"]
    groups: [G]
    defaults:
      min_denominator: {{value: 5, inferred: "test"}}
    indicators:
      - {{ref: 1, id: seen, title: S, group: G, polarity: H, period: YTD, unit: percent,
         numerator: n, denominator: d, source: s, rule: target_floor,
         applies_to: {{levels: [county, area, team], team_types: [{AFS}], reason: r}},
         rated_at: [county, team],
         thresholds: {{"2015/16": {{target: {{value: 80, published: p}},
                                   floor: {{value: 70, published: p}}}}}}}}
      - {{ref: 2, id: overdue, title: O, group: G, polarity: L, period: SS, unit: count,
         numerator: n, source: s, rule: target_floor,
         applies_to: {{levels: [county, area, team], team_types: [{AFS}], reason: r}},
         rated_at: [county],
         thresholds: {{"2015/16": {{target: {{value: 10, published: p}},
                                   floor: {{value: 12, inferred: i}}}}}}}}
      - {{ref: 3, id: adopted, title: A, group: G, polarity: H, period: YTD, unit: percent,
         numerator: n, denominator: d, source: s, rule: target_floor, carry_forward: true,
         applies_to: {{levels: [county], reason: r}},
         thresholds: {{"2015/16": {{target: {{value: 20, published: p}},
                                   floor: {{value: 18, inferred: i}}}}}}}}
    """
)

COLUMNS = ("indicator", "unit", "level", "team_type", "month", "numerator", "denominator", "value",
           "note")  # fmt: skip
ABSENT = "not computable: extract(s) absent: visits"

#: (row, expected state, expected RAG)
ROWS = [
    # 8/10 = 80%, at the target 80: Green
    (("seen", "Kent", "county", None, "2015-05", 8, 10, np.nan, None), "rated", "G"),
    # area: thresholds hold for county and team only (also below the minimum: the level wins)
    (("seen", "North", "area", None, "2015-05", 3, 4, np.nan, None), "not rated at this level", None),
    # 2/4: denominator 4 below the minimum 5
    (("seen", "Team A", "team", AFS, "2015-05", 2, 4, np.nan, None), "below minimum", None),
    # 0/0: no value
    (("seen", "Team B", "team", AFS, "2015-05", 0, 0, np.nan, None), "no data", None),
    # a front-door team: not applicable, before the absent extract and the missing value
    (("seen", "Duty", "team", "front_door", "2015-05", 0, 0, np.nan, ABSENT), "not applicable", None),
    # not computable: extract absent, before "no data"
    (("seen", "Kent", "county", None, "2015-04", np.nan, np.nan, np.nan, ABSENT), "extract absent", None),
    # 2016/17 has no thresholds and seen does not carry forward
    (("seen", "Kent", "county", None, "2016-05", 8, 10, np.nan, None), "no thresholds", None),
    # a count of 15, worse than the floor 12 (L): Red
    (("overdue", "Kent", "county", None, "2015-05", 15, np.nan, np.nan, None), "rated", "R"),
    # the county count target does not hold for a team
    (("overdue", "Team A", "team", AFS, "2015-05", 15, np.nan, np.nan, None),
     "not rated at this level", None),
    # no thresholds in 2016/17 comes before "not rated at this level"
    (("overdue", "Team A", "team", AFS, "2016-05", 15, np.nan, np.nan, None), "no thresholds", None),
    # adopted applies to the county only
    (("adopted", "Team A", "team", AFS, "2015-05", 0, 10, np.nan, None), "not applicable", None),
    # 2/10 = 20% on the 2015/16 thresholds carried forward to 2016/17: at the target, Green
    (("adopted", "Kent", "county", None, "2016-05", 2, 10, np.nan, None), "rated", "G"),
    # 1/10 = 10% in 2017/18, still on 2015/16's: below the floor 18, Red
    (("adopted", "Kent", "county", None, "2017-05", 1, 10, np.nan, None), "rated", "R"),
    # a team of unknown type: only the level decides; 9/10 = 90%: Green
    (("seen", "Team C", "team", None, "2015-05", 9, 10, np.nan, None), "rated", "G"),
]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory):
    path = Path(tmp_path_factory.mktemp("states")) / "indicators.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return load_registry(path, REPO / "rag_rules")


@pytest.fixture
def rated(registry) -> pd.DataFrame:
    # rated in each test (14 rows, cheap): a module-scoped frame would be rated once, in the first
    # test, and mutmut would then run only that test against the mutants of rate's helpers
    return rate(results([row for row, _, _ in ROWS], COLUMNS), registry)


def test_state_and_rag_of_every_row(rated) -> None:
    assert rated["state"].dtype == STATE_DTYPE
    assert rated["state"].astype(str).tolist() == [state for _, state, _ in ROWS]
    got = [None if pd.isna(r) else r for r in rated["rag"].astype(object)]
    assert got == [rag for _, _, rag in ROWS]


def test_notes_say_why_in_words(rated) -> None:
    notes = rated["rag_note"].tolist()
    assert notes[1] == "not rated at area level: the thresholds hold for other levels only"
    assert notes[2] == "denominator below the minimum of 5"
    assert notes[3] == "no result"
    assert notes[4] == "does not apply to teams of type front_door"
    assert notes[5] == ABSENT
    assert notes[6] == "no thresholds for 2016/17"
    assert notes[10] == "does not apply at team level"
    assert notes[11] == "rated on the 2015/16 thresholds, carried forward"
    assert pd.isna(notes[0])


def test_carried_forward_thresholds_say_where_they_come_from(rated) -> None:
    assert rated["financial_year"].tolist()[11:13] == ["2016/17", "2017/18"]
    assert rated["thresholds_year"].tolist()[11:13] == ["2015/16", "2015/16"]
    assert rated["target"].tolist()[11:13] == [20.0, 20.0]
    # seen does not carry forward: no thresholds year, no target in 2016/17
    assert pd.isna(rated["thresholds_year"].iloc[6]) and np.isnan(rated["target"].iloc[6])


def test_registry_thresholds_for_follows_carry_forward(registry) -> None:
    assert registry["adopted"].thresholds_for(FinancialYear(2019)).target.value == 20.0
    assert registry["adopted"].thresholds_for(FinancialYear(2014)) is None  # nothing earlier
    assert registry["seen"].thresholds_for(FinancialYear(2016)) is None


def test_without_a_level_column_every_row_applies(registry) -> None:
    # the same rows without level and team_type: the Duty row's 0/0 is "no data" (but the
    # absent note still wins), the area row below the minimum, the team count rated (15: Red)
    plain = results([row for row, _, _ in ROWS], COLUMNS).drop(columns=["level", "team_type"])
    states = rate(plain, registry)["state"].astype(str).tolist()
    assert states[1] == "below minimum"
    assert states[4] == "extract absent"
    assert states[8] == "rated"
    assert states[10] == "rated"  # 0/10 = 0% for the county-only indicator: Red
    assert "not applicable" not in states and "not rated at this level" not in states


def test_applicable_rows_leave_out_what_does_not_apply(rated) -> None:
    kept = applicable_rows(rated)
    assert len(kept) == len(ROWS) - 2  # rows 4 and 10
    assert (kept["state"] != RatingState.NOT_APPLICABLE.value).all()


def test_summary_counts_only_applicable_rows(rated) -> None:
    counts = summary_counts(rated).set_index(["unit", "month"])
    may = pd.Period("2015-05", "M")
    # Kent, May 2015: seen Green, overdue Red
    kent = counts.loc[("Kent", may)]
    assert (kent["green"], kent["amber"], kent["red"], kent["not_rated"]) == (1, 0, 1, 0)
    # Team A, May 2015: seen below minimum, overdue not rated at this level (adopted: n/a)
    team = counts.loc[("Team A", may)]
    assert (team["green"], team["red"], team["not_rated"]) == (0, 0, 2)
    # Duty's only row does not apply: nothing counted
    assert counts.loc[("Duty", may), ["green", "not_rated", "no_thresholds"]].tolist() == [0, 0, 0]


def test_summary_sentence_says_a_year_has_no_thresholds(tiny) -> None:
    # the tiny registry has thresholds for 2015/16 (and 2014/15 for one) and no carry forward
    ids = ["high", "low", "close", "versus_england", "backlog"]
    frame = results([(i, "Kent", "2020-05", 1, 10 if i != "backlog" else np.nan, np.nan)
                     for i in ids])  # fmt: skip
    sentence = summary_sentence(rate(frame, tiny), "Kent", "2020-05")
    assert sentence.startswith(
        "As at 31/05/2020, Kent has no thresholds for 2020/21: 5 indicators not rated. "
    )
    assert "0 indicators rated as Green" not in sentence


def test_summary_sentence_with_some_thresholds_carried_forward(rated) -> None:
    # Kent, May 2016: adopted Green (carried forward), seen without thresholds
    sentence = summary_sentence(rated, "Kent", "2016-05")
    assert sentence.startswith(
        "As at 31/05/2016, Kent has 1 indicator rated as Green, 0 indicators rated as Amber and "
        "0 indicators rated as Red; no thresholds for 2016/17: 1 indicator not rated. "
    )


def test_a_unit_where_nothing_applies_keeps_zero_counts_and_a_sentence(rated) -> None:
    # Duty (front door) has one row, for seen, which does not apply to it
    counts = summary_counts(rated).set_index("unit")
    assert counts.loc["Duty", ["green", "amber", "red", "not_rated"]].tolist() == [0, 0, 0, 0]
    assert summary_sentence(rated, "Duty", "2015-05") == (
        "As at 31/05/2015, no indicator of the scorecard applies to Duty."
    )


UNIT_REGISTRY = textwrap.dedent(
    f"""\
    financial_years: ["2015/16"]
    groups: [G]
    indicators:
      - {{ref: 2, id: overdue, title: O, group: G, polarity: L, period: SS, unit: count,
         numerator: n, source: s, rule: target_floor,
         applies_to: {{levels: [county, area, team], team_types: [{AFS}], reason: r}},
         rated_at: [county],
         thresholds: {{"2015/16": {{target: {{value: 10, published: p}},
                                   floor: {{value: 12, inferred: i}}}}}},
         unit_thresholds: {{"Team A": {{"2015/16": {{target: {{value: 2, published: p}},
                                                    floor: {{value: 4, inferred: i}}}}}}}}}}
    """
)


def test_a_unit_with_its_own_thresholds_is_rated_on_them(tmp_path) -> None:
    path = tmp_path / "indicators.yaml"
    path.write_text(UNIT_REGISTRY, encoding="utf-8")
    registry = load_registry(path, REPO / "rag_rules")
    rows = [
        # the county: 11 against the county's target 10 and floor 12 (L): Amber
        ("overdue", "Kent", "county", None, "2015-05", 11, np.nan, np.nan, None),
        # Team A: 3 against its own target 2 and floor 4: Amber, though teams are not rated
        ("overdue", "Team A", "team", AFS, "2015-05", 3, np.nan, np.nan, None),
        # Team B has no thresholds of its own: not rated at team level
        ("overdue", "Team B", "team", AFS, "2015-05", 3, np.nan, np.nan, None),
        # Team A in 2016/17: its table has no 2016/17 and nothing carries forward
        ("overdue", "Team A", "team", AFS, "2016-05", 3, np.nan, np.nan, None),
    ]
    rated = rate(results(rows, COLUMNS), registry)
    assert rated["state"].astype(str).tolist() == [
        "rated", "rated", "not rated at this level", "no thresholds"]
    assert rated["rag"].astype(object).tolist()[:2] == ["A", "A"]
    assert rated["target"].tolist()[:3] == [10.0, 2.0, 10.0]
    assert rated["target"].dtype == float
    overdue = registry["overdue"]
    assert overdue.thresholds_for(FinancialYear(2015), "Team A").target.value == 2.0
    assert overdue.thresholds_for(FinancialYear(2015), "Team B").target.value == 10.0

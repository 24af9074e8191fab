"""Applicability and the notes of ``rate`` on rows of every level, pinned (mutation testing).

Each test calls ``rate`` itself (no shared rated frame): mutmut runs, for a mutant of ``rate``'s
helpers, only the tests it saw call them, and a frame rated once in a module fixture is seen by
the first test that asks for it only. Every expected state and note is worked out by hand from
the registry below and written in the comment of its row.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scorecard.rating import rate
from scorecard.registry import load_registry
from tests.conftest import REPO
from tests.rating.conftest import results

AFS = "assessment_and_family_support"
MAY = "2015-05"  # financial year 2015/16

#: ``teamwork`` is shown for areas and teams (of one type) and rated for teams only;
#: ``countywide`` is shown and rated for the county only.
REGISTRY = textwrap.dedent(
    f"""\
    financial_years: ["2015/16"]
    groups: [G]
    defaults:
      min_denominator: {{value: 5, inferred: "test"}}
    indicators:
      - {{ref: 1, id: teamwork, title: W, group: G, polarity: H, period: YTD, unit: percent,
         numerator: n, denominator: d, source: s, rule: target_floor,
         applies_to: {{levels: [area, team], team_types: [{AFS}], reason: r}},
         rated_at: [team],
         thresholds: {{"2015/16": {{target: {{value: 80, published: p}},
                                   floor: {{value: 70, published: p}}}}}}}}
      - {{ref: 2, id: countywide, title: C, group: G, polarity: L, period: SS, unit: count,
         numerator: n, source: s, rule: target_floor,
         applies_to: {{levels: [county], reason: r}},
         thresholds: {{"2015/16": {{target: {{value: 10, published: p}},
                                   floor: {{value: 12, inferred: i}}}}}}}}
    """
)

COLUMNS = ("indicator", "unit", "level", "team_type", "month", "numerator", "denominator", "value")

#: (row, expected state, expected RAG, expected rag_note; None: no note)
ROWS = [
    # teamwork is not shown for the county (the first level checked)
    (("teamwork", "Kent", "county", None, MAY, 8, 10, np.nan), "not applicable", None,
     "does not apply at county level"),
    # countywide is not shown for an area (the level checked second)
    (("countywide", "North", "area", None, MAY, 9, np.nan, np.nan), "not applicable", None,
     "does not apply at area level"),
    # nor for a team, whatever its type
    (("countywide", "Team A", "team", AFS, MAY, 9, np.nan, np.nan), "not applicable", None,
     "does not apply at team level"),
    # teamwork is shown for teams, but of the assessment type only: the level applies, the type not
    (("teamwork", "Duty", "team", "front_door", MAY, 8, 10, np.nan), "not applicable", None,
     "does not apply to teams of type front_door"),
    # teamwork is shown for an area but rated for teams only
    (("teamwork", "North", "area", None, MAY, 8, 10, np.nan), "not rated at this level", None,
     "not rated at area level: the thresholds hold for other levels only"),
    # 8/10 = 80%, at the target 80 (H): Green, no note
    (("teamwork", "Team A", "team", AFS, MAY, 8, 10, np.nan), "rated", "G", None),
    # a team of unknown type: the level alone decides; 9/10 = 90% above the target: Green
    (("teamwork", "Team C", "team", None, MAY, 9, 10, np.nan), "rated", "G", None),
    # a count of 9 at the county, at or below the target 10 (L): Green
    (("countywide", "Kent", "county", None, MAY, 9, np.nan, np.nan), "rated", "G", None),
    # no level: applies and rated; a count of 13, above the floor 12 (L): Red
    (("countywide", "Elsewhere", None, None, MAY, 13, np.nan, np.nan), "rated", "R", None),
]  # fmt: skip


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory):
    path = Path(tmp_path_factory.mktemp("levels")) / "indicators.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return load_registry(path, REPO / "rag_rules")


def notes(rated: pd.DataFrame) -> list[str | None]:
    return [None if pd.isna(n) else n for n in rated["rag_note"]]


def test_every_level_is_checked_and_its_note_names_it(registry) -> None:
    rated = rate(results([row for row, *_ in ROWS], COLUMNS), registry)
    assert rated["state"].astype(str).tolist() == [state for _, state, _, _ in ROWS]
    assert [None if pd.isna(r) else r for r in rated["rag"].astype(object)] == [
        rag for _, _, rag, _ in ROWS
    ]
    assert notes(rated) == [note for *_, note in ROWS]


def test_the_note_column_is_text_with_missing_values(registry) -> None:
    # rows 4 (a note) and 5 (rated on its own year's thresholds: no note)
    rated = rate(results([ROWS[4][0], ROWS[5][0]], COLUMNS), registry)
    assert rated["rag_note"].dtype == "string"  # pandas' text dtype whose missing value is NA
    assert rated["rag_note"].iloc[0] == (
        "not rated at area level: the thresholds hold for other levels only"
    )
    assert rated["rag_note"].iloc[1] is pd.NA


def test_levels_without_team_types(registry) -> None:
    # without a team_type column only the level decides: countywide does not apply to an area,
    # teamwork applies to (and is rated for) a team: 8/10 = 80%, at the target: Green
    frame = results(
        [("countywide", "North", "area", MAY, 9, np.nan, np.nan),
         ("teamwork", "Team A", "team", MAY, 8, 10, np.nan),
         ("teamwork", "Team B", "team", MAY, 7, 10, np.nan)],  # 70%: on the floor 70, Amber
        ("indicator", "unit", "level", "month", "numerator", "denominator", "value"),
    )  # fmt: skip
    rated = rate(frame, registry)
    assert rated["state"].astype(str).tolist() == ["not applicable", "rated", "rated"]
    assert [None if pd.isna(r) else r for r in rated["rag"].astype(object)] == [None, "G", "A"]
    assert notes(rated) == ["does not apply at area level", None, None]

"""Periods of care and placements do not depend on the order of the episode rows (a one-day
episode ending the day another starts comes first, as the extract's overlap check orders them)."""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard.measures.care_periods import care_episodes
from tests.measures.builders import build
from tests.measures.test_children_in_care import ep

COLUMNS = ["episode_id", "period_start", "placement_start", "previous_placement_start"]


@pytest.mark.parametrize("order", [["e0", "e1", "e2"], ["e0", "e2", "e1"], ["e2", "e1", "e0"]])
def test_a_one_day_episode_comes_first_whatever_the_row_order(order: list[str]) -> None:
    # c1: e0 from 1 January 2014 ends 1 June (care continues); e2, a one-day episode on 1 June
    # (a new placement, P), ends that day (care continues); e1 starts on 1 June (a new
    # placement, P) and is open. Worked by hand: one period of care from 1 January; placements
    # e0 (1 Jan), e2 (1 Jun, previous placement 1 Jan), e1 (1 Jun, previous placement 1 Jun).
    rows = {
        "e0": ep("e0", "c1", "2014-01-01", "2014-06-01"),
        "e2": ep("e2", "c1", "2014-06-01", "2014-06-01", rne="P"),
        "e1": ep("e1", "c1", "2014-06-01", rne="P"),
    }
    child = {"child_id": "c1", "date_of_birth": "2010-03-01"}
    extracts = build(children=[child], cic_episodes=[rows[e] for e in order])
    out = care_episodes(extracts.cic_episodes)[COLUMNS].set_index("episode_id").sort_index()
    day = pd.Timestamp
    assert out["period_start"].tolist() == [day("2014-01-01")] * 3
    assert out.loc["e0", "placement_start"] == day("2014-01-01")
    assert out.loc["e2", "previous_placement_start"] == day("2014-01-01")
    assert out.loc["e1", "previous_placement_start"] == day("2014-06-01")

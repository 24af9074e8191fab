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


def test_periods_of_care_whatever_the_order_of_their_episodes() -> None:
    """``_periods`` reads each period's first and last episode; episodes not in runs of period
    (not as ``care_episodes`` gives them) go by its grouping instead, with the same answer."""
    from scorecard.measures.care_periods import _periods

    day = pd.Timestamp
    eps = pd.DataFrame(
        {  # period 1: E1 then E2 (placed for adoption, A3, from 2015-03-01); period 2: E3
            "period_id": [1, 1, 2],
            "child_id": ["C1", "C1", "C2"],
            "episode_id": ["E1", "E2", "E3"],
            "start_date": [day("2015-01-01"), day("2015-03-01"), day("2015-02-01")],
            "end_date": [day("2015-03-01"), day("2015-06-30"), pd.NaT],
            "reason_ceased": [None, "E11", None],
            "team": ["T1", "T2", "T3"],
            "placement_type": ["U1", "A3", "U4"],
        }
    )
    expected = pd.DataFrame(
        {
            "period_id": [1, 2],
            "child_id": ["C1", "C2"],
            "care_start": [day("2015-01-01"), day("2015-02-01")],
            "care_end": [day("2015-06-30"), pd.NaT],
            "reason_ceased": ["E11", None],
            "last_episode_id": ["E2", "E3"],
            "team": ["T2", "T3"],
            "placed_start": [day("2015-03-01"), pd.NaT],
        }
    )
    pd.testing.assert_frame_equal(_periods(eps), expected)
    shuffled = eps.take([2, 0, 1]).reset_index(drop=True)  # periods 2, 1, 1: not in order
    pd.testing.assert_frame_equal(_periods(shuffled), expected)
    none = _periods(eps.iloc[:0])  # no episode: no period, the same columns
    assert none.empty and list(none.columns) == list(expected.columns)

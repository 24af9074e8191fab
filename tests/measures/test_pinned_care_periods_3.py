"""Periods of care (``scorecard.measures.care_periods``) on tiny extracts worked by hand (mutation
testing; see docs/mutation.md): a period never runs on from another child's episode nor across a
day the child left care, the columns ``care_episodes`` adds (and only those), the message when the
episodes extract is absent, and the columns ``looked_after_on_snapshots`` gives a caller.

Rule (module docstring): a period of care is a run of ONE child's episodes, each starting on the
day the previous one ended with reason X1 (care continues); any other start begins a new period.
"""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard.measures.base import NotComputable
from scorecard.measures.care_periods import (
    care_episodes,
    extract_care_episodes,
    looked_after_on_snapshots,
)
from tests.measures.builders import build
from tests.measures.test_children_in_care import ep, kid

T = pd.Timestamp
ADDED = ["period_id", "placement_id", "period_start", "placement_start", "previous_placement_start"]


def _care(*episodes: dict) -> pd.DataFrame:
    extracts = build(children=[kid("c1"), kid("c2")], cic_episodes=list(episodes))
    return care_episodes(extracts.get("cic_episodes"))


def test_another_childs_first_episode_starts_a_period_of_its_own() -> None:
    # c1's only episode ends on 1 March 2014 with X1 (as if care continued, the next episode not
    # in the extract); c2's first episode starts that same day. c2's row comes right after c1's
    # (rows are in child order) and its start equals the previous row's end, but it is another
    # child: two periods, c2's starting on 1 March 2014 with no placement before it
    eps = _care(ep("e1", "c1", "2014-01-10", "2014-03-01"), ep("e2", "c2", "2014-03-01"))
    assert eps["episode_id"].tolist() == ["e1", "e2"]
    assert eps["period_id"].tolist() == [1, 2]
    assert eps["placement_id"].tolist() == [1, 2]
    assert eps["period_start"].tolist() == [T("2014-01-10"), T("2014-03-01")]
    assert eps["placement_start"].tolist() == [T("2014-01-10"), T("2014-03-01")]
    assert eps["previous_placement_start"].isna().all()


def test_another_childs_episode_after_a_child_left_care_the_same_day() -> None:
    # c1 leaves care on 1 March 2014 (E4A, returned home); c2 starts that day: two periods
    eps = _care(
        ep("e1", "c1", "2014-01-10", "2014-03-01", reason="E4A"), ep("e2", "c2", "2014-03-01")
    )
    assert eps["period_id"].tolist() == [1, 2]
    assert eps["period_start"].tolist() == [T("2014-01-10"), T("2014-03-01")]


def test_a_return_to_care_on_the_day_the_child_left_is_a_new_period() -> None:
    # c1 leaves care on 1 March 2014 (E4A, not X1) and comes back the same day (RNE S): the first
    # episode did not end with X1, so the second begins a new period of care (period 2, from
    # 1 March), and a new placement with no placement before it in its period
    eps = _care(
        ep("e1", "c1", "2014-01-10", "2014-03-01", reason="E4A"),
        ep("e2", "c1", "2014-03-01", rne="S"),
    )
    assert eps["period_id"].tolist() == [1, 2]
    assert eps["period_start"].tolist() == [T("2014-01-10"), T("2014-03-01")]
    assert eps["previous_placement_start"].isna().all()


def test_care_episodes_adds_its_five_columns_and_no_other() -> None:
    # the input's columns, then the five documented ones; the row order is the sorted one, on a
    # fresh 0, 1, ... index (no column made of the input's row labels)
    extracts = build(
        children=[kid("c1")],
        cic_episodes=[ep("e2", "c1", "2014-03-01"), ep("e1", "c1", "2014-01-10", "2014-03-01")],
    )
    episodes = extracts.get("cic_episodes")
    eps = care_episodes(episodes)
    assert eps.columns.tolist() == [*episodes.columns, *ADDED]
    assert eps.index.tolist() == [0, 1]
    assert eps["episode_id"].tolist() == ["e1", "e2"]  # by start date
    # e2 starts the day e1 ended with X1 and its RNE is S: one period, two placements
    assert eps["period_id"].tolist() == [1, 1] and eps["placement_id"].tolist() == [1, 2]
    assert eps["previous_placement_start"].tolist()[1] == T("2014-01-10")


def test_without_the_episodes_extract_the_message_names_it() -> None:
    # the text becomes the results' note "not computable: extract 'cic_episodes' is absent"
    extracts = build(children=[kid("c1")])
    with pytest.raises(NotComputable) as raised:
        extract_care_episodes(extracts)
    assert str(raised.value) == "extract 'cic_episodes' is absent"


def test_looked_after_on_snapshots_gives_only_the_columns_asked_for() -> None:
    # c1 in care from 10 January 2014, open: on the snapshot of January 2014 (its last day) and
    # of February; a caller asking for child_id gets child_id, then month and snapshot
    extracts = build(children=[kid("c1")], cic_episodes=[ep("e1", "c1", "2014-01-10")])
    months = pd.period_range("2014-01", "2014-02", freq="M")
    got = looked_after_on_snapshots(extracts, months, ("child_id",))
    assert got.columns.tolist() == ["child_id", "month", "snapshot"]
    assert got["child_id"].astype(str).tolist() == ["c1", "c1"]
    assert got["month"].tolist() == list(months)

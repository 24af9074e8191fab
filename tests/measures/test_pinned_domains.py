"""Pinned counting rules of the domain measures, worked by hand on tiny extracts.

Each test kills one or more mutation-testing survivors (docs/mutation.md): the spells of one
worker with one child (ref 27), the team of a worker holding two posts of the same FTE and the
refusal without an organisation table (refs 42-44), and an allocation recorded under another role
(``allocations_to``).

Snapshot date used: May 2015 -> Fri 29 May 2015 (31 May is a Sunday).
"""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard.extracts import validate_extracts
from scorecard.measures.base import MeasureInput, NotComputable, registered_measures
from scorecard.measures.children_in_care import allocation_spells
from scorecard.measures.workers import SOCIAL_WORKER_ROLES, allocations_to
from tests.measures.builders import _filled, _registry, build, figures, run


def _allocation(aid: str, child: str, worker: str, start: str, end: str | None = None,
                role: str | None = None) -> dict:  # fmt: skip
    return {"allocation_id": aid, "child_id": child, "worker_id": worker, "team": "C1",
            "start_date": start, "end_date": end, "worker_role": role}  # fmt: skip


def _post(pid: str, team: str, fte: float, worker: str, role: str) -> dict:
    return {"post_id": pid, "team": team, "fte": fte, "contract": "permanent", "worker_id": worker,
            "role": role, "caseholding": True, "qualified_social_worker": True,
            "start_date": "2014-01-01", "end_date": None}  # fmt: skip


class TestAllocationSpells:
    """Ref 27's spells: allocations of one worker to one child that overlap form one spell."""

    def test_overlapping_allocations_of_the_last_pair_end_at_the_latest_end(self) -> None:
        # k1/w1: 1 Jan - 30 Jun 2020, then 1 Mar 2020 - 31 Mar 2021 (starts before the first
        # ends): one spell, 1 Jan 2020 to 31 Mar 2021 (the later end, which is on the last row).
        # It is the last spell of the frame: its end must be read at the frame's last row, not
        # the one before (which would give 30 Jun 2020).
        allocations = build(
            allocations=[
                _allocation("a1", "k1", "w1", "2020-01-01", "2020-06-30"),
                _allocation("a2", "k1", "w1", "2020-03-01", "2021-03-31"),
            ]
        ).get("allocations")
        spells = allocation_spells(allocations)
        assert list(spells.columns) == ["child_id", "worker_id", "start", "end"]
        assert spells.astype({"start": "datetime64[ns]", "end": "datetime64[ns]"}).astype(
            {"child_id": object, "worker_id": object}
        ).values.tolist() == [
            ["k1", "w1", pd.Timestamp("2020-01-01"), pd.Timestamp("2021-03-31")]
        ]  # fmt: skip

    def test_a_lone_last_allocation_keeps_its_own_end(self) -> None:
        # Two pairs: k1/w1 (1 Jan - 30 Jun 2020) and k2/w2 (1 Feb - 31 Dec 2021). Each is its own
        # spell; the last spell (k2/w2) ends on 31 Dec 2021, not on the previous spell's end.
        allocations = build(
            allocations=[
                _allocation("a1", "k1", "w1", "2020-01-01", "2020-06-30"),
                _allocation("a2", "k2", "w2", "2021-02-01", "2021-12-31"),
            ]
        ).get("allocations")
        spells = allocation_spells(allocations)
        assert spells["worker_id"].tolist() == ["w1", "w2"]
        assert spells["end"].tolist() == [pd.Timestamp("2020-06-30"), pd.Timestamp("2021-12-31")]


class TestCaseloads:
    """Refs 42-44: a worker in several posts counts once, in the team of the largest post, then
    of the first by post id."""

    def test_equal_posts_count_in_the_team_of_the_first_post_id(self) -> None:
        # w1 holds two fostering posts of 0.5 FTE: p1 in A1, p2 in F. Equal FTE, so the team is
        # p1's (the first post id): A1 has w1 with 1.0 FTE and one child (k1, allocated as a
        # fostering social worker, open on 29 May 2015) -> 1 / 1.0; F has no worker.
        extracts = build(
            children=[{"child_id": "k1", "date_of_birth": "2010-01-01"}],
            workforce=[
                _post("p2", "F", 0.5, "w1", "fostering_social_worker"),
                _post("p1", "A1", 0.5, "w1", "fostering_social_worker"),
            ],
            allocations=[
                _allocation("a1", "k1", "w1", "2015-01-01", role="fostering_social_worker")
            ],
        )
        result = run(extracts, "caseload_fostering", "2015-05")
        assert figures(result, "A1", "2015-05") == (1, 1.0)
        assert result.drill_down("caseload_fostering", "F", "2015-05").empty

    @pytest.mark.parametrize("indicator", ["caseload_cic", "caseload_ait_fst"])
    def test_without_an_organisation_table_the_team_types_are_unknown(self, indicator) -> None:
        # compute() refuses extracts without an organisation table before any measure runs; a
        # measure called directly says why it cannot pick the teams of a type.
        frames = {
            "workforce": _filled("workforce", [_post("p1", "C1", 1.0, "w1", "social_worker")]),
            "allocations": _filled("allocations", [_allocation("a1", "k1", "w1", "2015-01-01")]),
        }
        extracts = validate_extracts(frames, None)
        measure = registered_measures()[indicator]
        inp = MeasureInput(extracts, pd.PeriodIndex(["2015-05"], freq="M"), _registry()[indicator])
        with pytest.raises(NotComputable) as caught:
            measure.function(inp)
        assert str(caught.value) == "the organisation table (team types) is absent"


def test_an_allocation_under_another_role_is_not_taken_from_the_workers_post() -> None:
    """``allocations_to``: the allocation's own worker_role decides; only a blank one takes the
    worker's post role. w1 holds a social worker post. a1 (role fostering_social_worker) is not a
    social worker's allocation; a2 (blank) is, by w1's post; a3 (blank, w2 has no social worker
    post) is not; a4 (role social_worker) is."""
    extracts = build(
        workforce=[_post("p1", "C1", 1.0, "w1", "social_worker"),
                   _post("p2", "F", 1.0, "w2", "fostering_social_worker")],
        allocations=[
            _allocation("a1", "k1", "w1", "2015-01-01", role="fostering_social_worker"),
            _allocation("a2", "k2", "w1", "2015-01-01"),
            _allocation("a3", "k3", "w2", "2015-01-01"),
            _allocation("a4", "k4", "w2", "2015-01-01", role="social_worker"),
        ],
    )  # fmt: skip
    chosen = allocations_to(
        extracts.get("allocations"), extracts.get("workforce"), SOCIAL_WORKER_ROLES
    )
    assert sorted(chosen["allocation_id"].tolist()) == ["a2", "a4"]

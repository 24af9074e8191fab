"""The coded view of the extracts (mutation testing): every linking identifier becomes an ordered
Categorical with one dtype per identifier across extracts, its categories sorted text, the values
and index unchanged; the caller's extracts are not modified."""

from __future__ import annotations

import dataclasses

import pandas as pd

from scorecard.measures.codes import coded_extracts
from tests.measures.builders import build
from tests.measures.test_referrals import referral


def extracts():
    return build(
        children=[{"child_id": c, "date_of_birth": "2010-01-01"} for c in ("c2", "c10", "c1")],
        referrals=[
            referral("r2", "c10", "2015-05-01", team="A2"),
            referral("r1", "c1", "2015-05-02"),
        ],
    )


def check(coded, original) -> None:
    children, referrals = coded.get("children"), coded.get("referrals")
    for frame, before in (
        (children, original.get("children")),
        (referrals, original.get("referrals")),
    ):
        assert frame.index.equals(before.index)
        for column in ("child_id",) + (("referral_id", "team") if "team" in frame else ()):
            assert (
                isinstance(frame[column].dtype, pd.CategoricalDtype) and frame[column].cat.ordered
            )
            assert frame[column].astype(str).tolist() == before[column].astype(str).tolist()
    # one dtype for child_id in both extracts; categories sorted as text
    assert children["child_id"].dtype == referrals["child_id"].dtype
    assert list(children["child_id"].cat.categories) == ["c1", "c10", "c2"]
    assert list(referrals["team"].cat.categories) == sorted(referrals["team"].cat.categories)


def test_identifiers_are_coded_with_shared_sorted_categories() -> None:
    original = extracts()
    before = original.get("referrals").copy()
    coded = coded_extracts(original)
    check(coded, original)
    pd.testing.assert_frame_equal(original.get("referrals"), before)  # not modified


def test_a_frame_replaced_after_loading_is_coded_afresh() -> None:
    original = extracts()
    referrals = original.get("referrals")
    changed = dataclasses.replace(original, referrals=referrals.assign(child_id=["c2", "c1"]))
    coded = coded_extracts(changed)
    assert coded.get("referrals")["child_id"].astype(str).tolist() == ["c2", "c1"]
    check(coded, changed)


def test_the_organisation_s_teams_are_coded_too() -> None:
    coded = coded_extracts(build())
    team = coded.organisation["team"]
    assert isinstance(team.dtype, pd.CategoricalDtype)
    assert team.astype(str).tolist() == ["A1", "C1", "A2", "F"]
    assert list(team.cat.categories) == ["A1", "A2", "C1", "F"]

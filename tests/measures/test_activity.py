"""The activity page counts, by hand."""

from __future__ import annotations

import pandas as pd

from scorecard.measures import compute
from scorecard.registry import load_registry
from tests.measures.builders import COUNTY, build, run

CHILDREN = [{"child_id": c, "date_of_birth": "2010-01-01"} for c in ("c1", "c2", "c3")]


def test_activity_counts() -> None:
    extracts = build(
        children=CHILDREN,
        referrals=[
            # c1 has two open referrals: counted once, in the team of the later one (A2)
            {"referral_id": "r1", "child_id": "c1", "team": "A1", "referral_date": "2015-03-02"},
            {"referral_id": "r2", "child_id": "c1", "team": "A2", "referral_date": "2015-05-05"},
            # closed on the May snapshot date (Fri 29 May 2015): open in April, not in May
            {"referral_id": "r3", "child_id": "c2", "team": "A1", "referral_date": "2015-04-10",
             "closure_date": "2015-05-29"},
        ],
        cp_plans=[
            {"cp_plan_id": "p1", "child_id": "c2", "team": "A1", "start_date": "2015-05-01"},
        ],
    )  # fmt: skip
    result = run(extracts, "re_referrals_12m", ["2015-04", "2015-05"])
    activity = result.activity.set_index(["activity", "unit", "month"])["count"]
    april, may = pd.Period("2015-04", freq="M"), pd.Period("2015-05", freq="M")
    assert activity[("open_cases", COUNTY, april)] == 2  # c1 (r1), c2 (r3)
    assert activity[("open_cases", COUNTY, may)] == 1  # c1 only (r3 closed on the snapshot)
    assert activity[("open_cases", "A2", may)] == 1 and activity[("open_cases", "A1", may)] == 0
    assert activity[("referrals", COUNTY, april)] == 1  # r3
    assert activity[("referrals", "North", may)] == 0 and activity[("referrals", "South", may)] == 1
    assert (
        activity[("cp_children", COUNTY, may)] == 1
        and activity[("cp_plans_started", "A1", may)] == 1
    )
    # extracts that are absent give no activity rows (not zeros)
    assert "children_in_care" not in set(result.activity["activity"])


def test_activity_of_a_selection_is_built_when_read_and_equals_the_full_run() -> None:
    extracts = build(
        children=CHILDREN,
        referrals=[
            {"referral_id": "r1", "child_id": "c1", "team": "A1", "referral_date": "2015-03-02"},
            {"referral_id": "r2", "child_id": "c2", "team": "A2", "referral_date": "2015-05-05"},
        ],
        cic_episodes=[
            {"episode_id": "e1", "child_id": "c3", "team": "A1", "start_date": "2015-01-05",
             "legal_status": "C2", "placement_type": "U4", "reason_new_episode": "S"},
        ],
    )  # fmt: skip
    full = compute(extracts, ["2015-04", "2015-05"], load_registry(), county=COUNTY)
    assert isinstance(vars(full)["activity"], pd.DataFrame)  # computed with the indicators
    selection = run(extracts, "re_referrals_12m", ["2015-04", "2015-05"])
    assert callable(vars(selection)["activity"])  # not computed until read
    pd.testing.assert_frame_equal(selection.activity, full.activity, check_exact=True)
    counts = selection.activity.set_index(["activity", "unit", "month"])["count"]
    assert counts[("children_in_care", COUNTY, pd.Period("2015-05", freq="M"))] == 1  # c3
    assert selection.activity is selection.activity  # built once

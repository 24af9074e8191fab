"""validate_extracts on in-memory frames: same checks, original index kept, inputs untouched."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scorecard.extracts import (
    EXTRACT_NAMES,
    ExtractValidationError,
    ExtractWarning,
    validate_extracts,
)


def test_valid_frames_validate(valid_frames: dict[str, pd.DataFrame]) -> None:
    extracts = validate_extracts(valid_frames)
    assert extracts.present == EXTRACT_NAMES
    assert extracts.sources["referrals"] == "<DataFrame>"
    assert extracts.cic_episodes["distance_miles"].tolist() == [5.5, 12.0]


def test_organisation_as_argument(valid_frames: dict[str, pd.DataFrame]) -> None:
    organisation = valid_frames.pop("organisation")
    extracts = validate_extracts(valid_frames, organisation=organisation)
    assert len(extracts.organisation) == 3
    with pytest.raises(ValueError, match="twice"):
        validate_extracts({**valid_frames, "organisation": organisation}, organisation=organisation)


def test_inputs_are_not_mutated(valid_frames: dict[str, pd.DataFrame]) -> None:
    before = {name: frame.copy(deep=True) for name, frame in valid_frames.items()}
    extracts = validate_extracts(valid_frames)
    for name, frame in valid_frames.items():
        pd.testing.assert_frame_equal(frame, before[name])
        assert extracts.get(name) is not frame
    # and a failing validation leaves them untouched too
    broken = dict(valid_frames)
    broken["referrals"] = valid_frames["referrals"].assign(referral_date="01/04/2015")
    with pytest.raises(ExtractValidationError):
        validate_extracts(broken)
    pd.testing.assert_frame_equal(valid_frames["referrals"], before["referrals"])


def test_original_index_is_kept_and_named_in_failures(
    valid_frames: dict[str, pd.DataFrame],
) -> None:
    referrals = valid_frames["referrals"].set_axis([101, 102, 103])
    extracts = validate_extracts({**valid_frames, "referrals": referrals})
    assert list(extracts.referrals.index) == [101, 102, 103]
    broken = referrals.copy()
    broken.loc[102, "closure_date"] = "2015-01-01"
    with pytest.raises(ExtractValidationError) as info:
        validate_extracts({**valid_frames, "referrals": broken})
    failure = info.value.failures.iloc[0]
    assert (failure["extract"], failure["column"], failure["check"]) == (
        "referrals",
        "closure_date",
        "end_before_start",
    )
    assert failure["row"] == 102 and pd.isna(failure["line"])
    assert "at row 102 [referral_id=R2]" in str(info.value)


def test_native_python_values_are_accepted(valid_frames: dict[str, pd.DataFrame]) -> None:
    cp_plans = pd.DataFrame(
        {
            "cp_plan_id": [1],
            "child_id": ["C4"],
            "team": ["Team A"],
            "referral_id": [None],
            "start_date": [dt.date(2014, 6, 25)],
            "end_date": [pd.NaT],
        }
    )
    visits = valid_frames["visits"].assign(child_seen=[True, True, False])
    frames = {**valid_frames, "cp_plans": cp_plans, "visits": visits, "cp_reviews": None}
    extracts = validate_extracts(frames)
    assert extracts.cp_plans["cp_plan_id"].tolist() == ["1"]
    assert extracts.cp_plans["start_date"].tolist() == [pd.Timestamp("2014-06-25")]
    assert extracts.visits["child_seen"].tolist() == [True, True, False]


def test_time_of_day_is_not_a_date(valid_frames: dict[str, pd.DataFrame]) -> None:
    reviews = valid_frames["cic_reviews"].assign(review_date=pd.Timestamp("2014-07-20 09:30"))
    with pytest.raises(ExtractValidationError) as info:
        validate_extracts({**valid_frames, "cic_reviews": reviews})
    assert info.value.failures["check"].tolist() == ["date_has_time"]


def test_unknown_extract_name_is_an_error(valid_frames: dict[str, pd.DataFrame]) -> None:
    with pytest.raises(ExtractValidationError) as info:
        validate_extracts({**valid_frames, "referals": valid_frames["referrals"]})
    failure = info.value.failures.iloc[0]
    assert (failure["extract"], failure["check"]) == ("referals", "unknown_extract")


def test_duplicate_index_is_an_error(valid_frames: dict[str, pd.DataFrame]) -> None:
    visits = valid_frames["visits"].set_axis([0, 0, 1])
    with pytest.raises(ExtractValidationError) as info:
        validate_extracts({**valid_frames, "visits": visits})
    assert info.value.failures["check"].tolist() == ["duplicate_index"]


def test_extra_columns_error_or_drop(valid_frames: dict[str, pd.DataFrame]) -> None:
    children = valid_frames["children"].assign(helper=1)
    with pytest.raises(ExtractValidationError) as info:
        validate_extracts({**valid_frames, "children": children})
    assert info.value.failures[["column", "check"]].values.tolist() == [["helper", "extra_column"]]
    with pytest.warns(ExtractWarning):
        extracts = validate_extracts({**valid_frames, "children": children}, extra_columns="drop")
    assert "helper" not in extracts.children.columns


def test_none_means_absent(valid_frames: dict[str, pd.DataFrame]) -> None:
    extracts = validate_extracts({**valid_frames, "workforce": None})
    assert extracts.workforce is None and extracts.absent == ("workforce",)


def test_without_children_child_ids_are_not_checked(valid_frames: dict[str, pd.DataFrame]) -> None:
    frames = {k: v for k, v in valid_frames.items() if k != "children"}
    extracts = validate_extracts(frames)
    assert any("referrals.child_id not checked" in note for note in extracts.notes)


def test_two_broken_extracts_in_one_error(valid_frames: dict[str, pd.DataFrame]) -> None:
    frames = dict(valid_frames)
    frames["cp_plans"] = valid_frames["cp_plans"].assign(team="Team Q")
    frames["workforce"] = valid_frames["workforce"].assign(fte="-1")
    with pytest.raises(ExtractValidationError) as info:
        validate_extracts(frames)
    failures = info.value.failures
    assert set(zip(failures["extract"], failures["check"], strict=True)) == {
        ("cp_plans", "unknown_team"),
        ("workforce", "out_of_range"),
    }
    assert (failures["extract"] == "workforce").sum() == 3

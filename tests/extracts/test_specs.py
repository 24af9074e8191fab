"""The specs are consistent, cover the 44 indicators, match real-format data and the docs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.extracts import SCHEMAS, SPECS, reference
from scorecard.extracts.schemas import (
    ACCOMMODATION_TYPES,
    ACTIVITY_CODES,
    IN_TOUCH_CODES,
    _period_order,
    overlapping,
)
from scorecard.extracts.spec import NoOverlap

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("spec", list(SPECS.values()), ids=list(SPECS))
def test_spec_is_consistent(spec) -> None:
    columns = spec.columns
    assert len(set(columns)) == len(columns)
    assert all(c == c.lower() and " " not in c for c in columns)
    assert set(spec.key) <= set(columns)
    for order in spec.date_orders:
        assert spec.field(order.earlier).kind == spec.field(order.later).kind == "date"
    for rule in spec.rules:
        assert set(rule.columns) <= set(columns) and rule.column in columns
    for ref in spec.references:
        assert ref.column in columns and ref.target_column in SPECS[ref.target].columns
    for field in spec.fields:
        assert bool(field.codes) == (field.kind == "code"), field.name
        assert field.description and field.source
    if spec.name != "organisation":
        # every record an indicator counts carries its team, or hangs off a record that does
        holders = {ref.target for ref in spec.references} - {"children"}
        # (the population's ``unit`` names a team, an area or the county: checked by the rates)
        assert spec.has("team") or holders or spec.name in ("children", "health_checks",
                                                            "population")  # fmt: skip
    assert SCHEMAS[spec.name].columns.keys() == set(columns)


def test_every_indicator_has_its_extracts() -> None:
    # derived from the measures' declarations: every indicator of the bundled registry reads an
    # extract, and every extract the measures read is a canonical one
    from scorecard.measures.base import extract_users
    from scorecard.registry import load_registry

    registry = load_registry()
    users = extract_users(registry)
    assert set(users) <= set(SPECS) - {"organisation"}
    assert {ref for refs in users.values() for ref in refs} == {i.ref for i in registry}


def test_overlap_rule() -> None:
    rule = NoOverlap("child_id", "start", "end", "episode")
    frame = pd.DataFrame(
        {
            "child_id": ["A", "A", "A", "B", "B", "C"],
            "start": pd.to_datetime(
                ["2015-01-01", "2015-02-01", "2015-03-01", "2015-01-01", "2015-01-10", "2015-01-01"]
            ),
            "end": pd.to_datetime(
                ["2015-02-01", None, "2015-04-01", "2015-03-01", "2015-01-20", None]
            ),
        },
        index=[10, 11, 12, 13, 14, 15],
    )
    # A: 2nd starts on the 1st's end (fine), 3rd starts while the open 2nd runs; B: nested
    assert overlapping(frame, rule).tolist() == [False, False, True, False, True, False]


@pytest.mark.parametrize("order", [[0, 1], [1, 0]])
def test_overlap_rule_does_not_depend_on_row_order(order: list[int]) -> None:
    """A one-day episode (1 June to 1 June) and an open one starting that day: the one-day
    episode ends when the other starts, so neither overlaps, in either order of the rows (the
    check used to flag the one-day episode when it came second)."""
    rule = NoOverlap("child_id", "start", "end", "episode")
    frame = pd.DataFrame(
        {
            "child_id": ["c1", "c1"],
            "start": pd.to_datetime(["2014-06-01", "2014-06-01"]),
            "end": pd.to_datetime([None, "2014-06-01"]),
        }
    ).iloc[order]
    assert overlapping(frame, rule).tolist() == [False, False]
    # a real overlap is found in either order: an episode to 2 June and the open one
    frame.loc[frame["end"].notna(), "end"] = pd.Timestamp("2014-06-02")
    assert overlapping(frame, rule).sum() == 1


def _overlapping_by_hand(frame: pd.DataFrame) -> list[bool]:
    """The rule written out pair by pair: within a child, periods in order of start, then end
    (open last), then row position; a period overlaps if an earlier one ends after it starts."""
    flagged = [False] * len(frame)
    far = pd.Timestamp("2262-01-01")
    rows = [
        (child, start, far if pd.isna(end) else end, position)
        for position, (child, start, end) in enumerate(frame.itertuples(index=False))
        if not pd.isna(child) and not pd.isna(start)
    ]
    for child, start, end, position in rows:
        earlier = [
            other_end
            for other_child, other_start, other_end, other_position in rows
            if other_child == child
            and (other_start, other_end, other_position) < (start, end, position)
        ]
        flagged[position] = any(other_end > start for other_end in earlier)
    return flagged


DAYS = st.sampled_from([None, "2015-01-01", "2015-01-02", "2015-01-03", "2015-01-05"])


@settings(max_examples=200, deadline=None)
@given(
    periods=st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", None]), DAYS, DAYS), min_size=0, max_size=9
    ),
    sort_first=st.booleans(),
)
def test_overlap_rule_agrees_with_the_rule_written_pair_by_pair(periods, sort_first) -> None:
    # rows in any order, or already sorted by child and dates (as an import writes them, when
    # the check skips its sort)
    rule = NoOverlap("child_id", "start", "end", "episode")
    frame = pd.DataFrame(periods, columns=["child_id", "start", "end"]).astype(
        {"child_id": "str", "start": "datetime64[ns]", "end": "datetime64[ns]"}
    )
    if sort_first:
        frame = frame.sort_values(["child_id", "start", "end"], na_position="last", kind="stable")
    frame.index = range(100, 100 + len(frame))
    assert overlapping(frame, rule).tolist() == _overlapping_by_hand(frame)


#: Whole days, the first and last dates conversion accepts, and a time of day (with which the
#: check orders the periods by ``np.lexsort`` and ranks their ends by ``np.unique``).
MOMENTS = st.sampled_from(
    [None, "1678-01-01", "2015-01-01", "2015-01-01 12:00", "2015-01-02", "2261-12-31"]
)


@settings(max_examples=100, deadline=None)
@given(
    periods=st.lists(
        st.tuples(st.sampled_from(["a", "b", None]), MOMENTS, MOMENTS), min_size=0, max_size=8
    )
)
def test_overlap_rule_agrees_with_the_rule_for_times_of_day_and_far_dates(periods) -> None:
    rule = NoOverlap("child_id", "start", "end", "episode")
    frame = pd.DataFrame(periods, columns=["child_id", "start", "end"]).astype(
        {"child_id": "str", "start": "datetime64[ns]", "end": "datetime64[ns]"}
    )
    assert overlapping(frame, rule).tolist() == _overlapping_by_hand(frame)


def test_period_order_is_a_stable_sort_by_group_start_and_end() -> None:
    # rows (group, start day, end day), worked out by hand: group 0 first (its rows by start,
    # then end), then group 1; the two equal rows 1 and 4 keep their order
    group = np.array([1, 0, 0, 1, 0])
    start = np.array([5, 7, 3, 5, 7])
    end = np.array([9, 8, 4, 6, 8])
    assert _period_order(group, (start, end)).tolist() == [2, 1, 4, 3, 0]


def test_period_order_gives_way_when_the_key_would_not_fit_in_63_bits() -> None:
    # days from 1678 to 2262 (212,701 days): 2 * 10**8 groups would need more than 62 bits
    start, end = np.array([-106_000, 0]), np.array([0, 106_700])
    assert _period_order(np.array([0, 2 * 10**8]), (start, end)) is None
    assert _period_order(np.array([0, 10**4]), (start, end)).tolist() == [0, 1]


def test_ssda903_codes_in_the_fake_return_are_accepted(shared: Path) -> None:
    folder = shared / "fixtures" / "ssda903_fake"
    episodes = pd.read_csv(folder / "episodes.csv", dtype=str)
    spec = SPECS["cic_episodes"]
    for column, code in [
        ("RNE", "reason_new_episode"),
        ("LS", "legal_status"),
        ("PLACE", "placement_type"),
        ("PLACE_PROVIDER", "placement_provider"),
        ("REC", "reason_ceased"),
    ]:
        assert set(episodes[column].dropna()) <= set(spec.field(code).codes), column
    reviews = pd.read_csv(folder / "reviews.csv", dtype=str)
    assert set(reviews["REVIEW_CODE"].dropna()) <= set(
        SPECS["cic_reviews"].field("participation").codes
    )
    oc3 = pd.read_csv(folder / "oc3.csv", dtype=str)
    assert set(oc3["IN_TOUCH"].dropna()) <= set(IN_TOUCH_CODES)
    assert set(oc3["ACTIV"].dropna()) - {"0"} <= set(ACTIVITY_CODES)  # 0 -> blank
    accommodation = oc3["ACCOM"].dropna()
    assert set(accommodation.str[0]) - {"0"} <= set(ACCOMMODATION_TYPES)
    assert set(accommodation.str[1]) <= {"1", "2"}


def test_docs_reference_is_up_to_date() -> None:
    text = (REPO / "docs" / "extracts.md").read_text(encoding="utf-8")
    from scorecard.measures.base import extract_users
    from scorecard.registry import load_registry

    users = extract_users(load_registry())
    assert reference.generated_block(text) == reference.render(users), (
        "docs/extracts.md is out of date: run python -m scorecard.extracts.reference"
    )

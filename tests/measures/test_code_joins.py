"""The joins on integer codes of ``scorecard.measures.kernels`` (``matching_pairs``, ``match_one``,
``looked_up``, ``distinct_per_group``) against the pandas expressions they replace (merges and a
grouped ``nunique``), and the measures' helpers built on them against the code they replaced.
Worked by hand, then random cases (hypothesis, kept small)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.measures.children_in_need import _first_authorisations
from scorecard.measures.kernels import (
    distinct_per_group,
    joint_codes,
    looked_up,
    match_one,
    matching_pairs,
    merged_one,
    pairs_merged,
)
from scorecard.measures.staffing import _distinct_children

codes = st.lists(st.integers(0, 6), max_size=25).map(lambda v: np.array(v, dtype=np.int64))


def _merged_pairs(left: np.ndarray, right: np.ndarray) -> tuple[list[int], list[int]]:
    """The old expression: an inner merge on the codes, row numbers of both sides."""
    merged = pd.DataFrame({"k": left, "i": np.arange(len(left))}).merge(
        pd.DataFrame({"k": right, "j": np.arange(len(right))}), on="k"
    )
    return merged["i"].tolist(), merged["j"].tolist()


def test_matching_pairs_by_hand() -> None:
    rows, found = matching_pairs(np.array([2, 0, 2, 5]), np.array([2, 3, 2, 0]))
    # left 0 (2) meets right 0 and 2; left 1 (0) meets right 3; left 2 as left 0; left 3 none
    assert rows.tolist() == [0, 0, 1, 2, 2]
    assert found.tolist() == [0, 2, 3, 0, 2]
    none = matching_pairs(np.array([1]), np.array([], dtype=np.int64))
    assert [n.tolist() for n in none] == [[], []]


@settings(max_examples=40, deadline=None)
@given(codes, codes)
def test_matching_pairs_are_the_rows_of_an_inner_merge_in_its_order(left, right) -> None:
    rows, found = matching_pairs(left, right)
    assert (rows.tolist(), found.tolist()) == _merged_pairs(left, right)


def test_match_one_by_hand() -> None:
    assert match_one(np.array([3, 1, 0, 3]), np.array([1, 3]), 4).tolist() == [1, 0, -1, 1]
    assert match_one(np.array([1]), np.array([1, 1]), 2) is None  # not many to one


@settings(max_examples=40, deadline=None)
@given(codes, codes)
def test_looked_up_is_a_left_merge_many_to_one(left, right) -> None:
    right = np.unique(right)  # a key of the table
    cats = pd.CategoricalDtype([f"c{n}" for n in range(7)], ordered=True)
    frame = pd.DataFrame({"key": pd.Categorical.from_codes(left, dtype=cats)})
    table = pd.DataFrame(
        {
            "key": pd.Categorical.from_codes(right, dtype=cats),
            "when": pd.to_datetime("2015-01-01") + pd.to_timedelta(right * 3, unit="D"),
        }
    )
    expected = frame.merge(table, on="key", how="left", validate="many_to_one")["when"]
    pd.testing.assert_series_equal(looked_up(frame["key"], table, "key", "when"), expected)


def test_looked_up_refuses_a_table_with_a_repeated_key() -> None:
    table = pd.DataFrame({"key": ["a", "a"], "when": pd.to_datetime(["2015-01-01"] * 2)})
    assert looked_up(pd.Series(["a"]), table, "key", "when") is None


def test_looked_up_matches_missing_keys_as_a_merge_does() -> None:
    frame = pd.DataFrame({"key": pd.Series(["a", None, "b"], dtype="string")})
    table = pd.DataFrame({"key": pd.Series([None, "a"], dtype="string"), "n": [1.0, 2.0]})
    expected = frame.merge(table, on="key", how="left", validate="many_to_one")["n"]
    pd.testing.assert_series_equal(looked_up(frame["key"], table, "key", "n"), expected)


@pytest.mark.parametrize("keys", [["a", "b"], ["a", "a"]])
def test_merged_one_is_the_left_merge(keys: list[str]) -> None:
    frame = pd.DataFrame({"key": ["b", "c", "a", "b"], "x": [1, 2, 3, 4]}, index=[7, 5, 3, 1])
    table = pd.DataFrame({"key": keys, "when": pd.to_datetime(["2015-01-01", "2015-02-01"]),
                          "other": [0, 0]})  # fmt: skip
    expected = frame.merge(table[["key", "when"]], on="key", how="left")
    pd.testing.assert_frame_equal(merged_one(frame, table, "key", "when"), expected)
    if keys[0] == keys[1]:  # a repeated key: the merge repeats the rows, or refuses
        assert len(expected) == 5
        with pytest.raises(pd.errors.MergeError):
            merged_one(frame, table, "key", "when", validate="many_to_one")


def test_distinct_per_group_by_hand() -> None:
    groups = np.array([0, 0, 0, 2, 2, 1])
    values = np.array([4, 4, -1, 1, 3, -1])  # -1: missing, not counted
    assert distinct_per_group(groups, values, 4).tolist() == [1, 0, 2, 0]


@settings(max_examples=40, deadline=None)
@given(codes, st.data())
def test_distinct_per_group_is_a_grouped_nunique(groups, data) -> None:
    values = np.array(data.draw(st.lists(st.integers(-1, 5), min_size=len(groups),
                                         max_size=len(groups))), dtype=np.int64)  # fmt: skip
    expected = pd.Series(np.where(values < 0, np.nan, values)).groupby(groups).nunique()
    got = distinct_per_group(groups, values, 7)
    assert got[expected.index.to_numpy()].tolist() == expected.tolist()
    assert not got[np.setdiff1d(np.arange(7), groups)].any()


def test_distinct_per_group_by_sorting_when_the_pairs_are_many(monkeypatch) -> None:
    from scorecard.measures import kernels

    monkeypatch.setattr(kernels, "_BITMAP_LIMIT", 1)
    groups = np.array([0, 0, 0, 2, 2, 1])
    values = np.array([4, 4, -1, 1, 3, -1])
    assert distinct_per_group(groups, values, 4).tolist() == [1, 0, 2, 0]


# -- the measures' helpers against the pandas code they replaced ---------------------------------

ids = pd.CategoricalDtype([f"i{n}" for n in range(8)], ordered=True)
day = pd.Timestamp("2015-01-01")


def _coded(numbers: list[int]) -> pd.Categorical:
    return pd.Categorical.from_codes(numbers, dtype=ids)  # -1: missing


def _days(numbers: list[int | None]) -> pd.Series:
    return pd.Series([pd.NaT if n is None else day + pd.Timedelta(days=n) for n in numbers],
                     dtype="datetime64[ns]")  # fmt: skip


def _old_first_authorisations(cases: pd.DataFrame, assessments: pd.DataFrame) -> np.ndarray:
    """The code ``_first_authorisations`` replaced (cin_with_plan until 2026-12-05)."""
    done = assessments[assessments["authorised_date"].notna()]
    referrals = cases[["referral_id", "child_id", "referral_date"]].drop_duplicates("referral_id")
    linked = done.loc[done["referral_id"].notna(), ["referral_id", "authorised_date"]]
    unlinked = referrals.merge(
        done.loc[done["referral_id"].isna(), ["child_id", "start_date", "authorised_date"]],
        on="child_id",
    )
    unlinked = unlinked[unlinked["start_date"] >= unlinked["referral_date"]]
    candidates = pd.concat(
        [linked, unlinked[["referral_id", "authorised_date"]]], ignore_index=True
    )
    (case_codes, codes), size = joint_codes(cases["referral_id"], candidates["referral_id"])
    earliest = candidates["authorised_date"].groupby(codes).min()
    first = np.full(size, np.datetime64("NaT"), dtype=earliest.to_numpy().dtype)
    first[earliest.index.to_numpy()] = earliest.to_numpy()
    return first[case_codes]


small = st.lists(st.tuples(st.integers(-1, 7), st.integers(-1, 3), st.integers(0, 9)),
                 max_size=12)  # fmt: skip
assessed = st.lists(
    st.tuples(st.integers(-1, 7), st.integers(-1, 3), st.integers(0, 9),
              st.one_of(st.none(), st.integers(0, 20))),
    max_size=12,
)  # fmt: skip


@settings(max_examples=50, deadline=None)
@given(small, assessed)
def test_first_authorisations_as_the_merge_and_concatenation(case_rows, assessment_rows) -> None:
    cases = pd.DataFrame(
        {
            "referral_id": _coded([r for r, _, _ in case_rows]),
            "child_id": _coded([c for _, c, _ in case_rows]),
            "referral_date": _days([d for _, _, d in case_rows]),
        }
    )
    assessments = pd.DataFrame(
        {
            "referral_id": _coded([r for r, _, _, _ in assessment_rows]),
            "child_id": _coded([c for _, c, _, _ in assessment_rows]),
            "start_date": _days([s for _, _, s, _ in assessment_rows]),
            "authorised_date": _days([a for _, _, _, a in assessment_rows]),
        }
    )
    got = _first_authorisations(cases, assessments)
    np.testing.assert_array_equal(got, _old_first_authorisations(cases, assessments))
    assert got.dtype == np.dtype("datetime64[ns]")


def test_first_authorisations_by_hand() -> None:
    # referral i0 (child i1, from day 5): its own assessment (day 9) and the child's unlinked ones
    # started on day 6 (authorised day 7: counts, the earliest) and day 2 (before it: not its)
    cases = pd.DataFrame({"referral_id": _coded([0, 0, 1]), "child_id": _coded([1, 1, 2]),
                          "referral_date": _days([5, 5, 3])})  # fmt: skip
    assessments = pd.DataFrame(
        {
            "referral_id": _coded([0, -1, -1, 1]),
            "child_id": _coded([1, 1, 1, 2]),
            "start_date": _days([5, 6, 2, 3]),
            "authorised_date": _days([9, 7, 4, None]),  # i1's is not authorised
        }
    )
    got = _first_authorisations(cases, assessments)
    assert list(pd.Series(got)) == [day + pd.Timedelta(days=7)] * 2 + [pd.NaT]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(-1, 4)), max_size=8, unique=True),
       st.lists(st.tuples(st.integers(0, 2), st.integers(-1, 4), st.integers(-1, 5)),
                max_size=20))  # fmt: skip
def test_distinct_children_as_the_grouped_count_and_merge(worker_rows, allocation_rows) -> None:
    months = pd.period_range("2015-01", periods=3, freq="M")
    workers = pd.DataFrame(
        {
            "month": months[[m for m, _ in worker_rows]],
            "worker_id": _coded([w for _, w in worker_rows]),
            "fte": 1.0,
        }
    )
    allocated = pd.DataFrame(
        {
            "worker_id": _coded([w for _, w, _ in allocation_rows]),
            "child_id": _coded([c for _, _, c in allocation_rows]),
            "month": months[[m for m, _, _ in allocation_rows]],
        }
    )
    children = (
        allocated.groupby(["month", "worker_id"], sort=False)["child_id"]
        .nunique()
        .rename("children")
        .reset_index()
    )
    expected = workers.merge(children, on=["month", "worker_id"], how="left")["children"]
    pd.testing.assert_series_equal(_distinct_children(workers, allocated), expected)


@pytest.mark.parametrize("found", [True, False])
def test_distinct_children_int_when_every_worker_has_allocations(found: bool) -> None:
    months = pd.period_range("2015-01", periods=1, freq="M")
    workers = pd.DataFrame({"month": months[[0, 0]], "worker_id": _coded([0, 1])})
    allocated = pd.DataFrame({"worker_id": _coded([0, 1] if found else [0]),
                              "child_id": _coded([3, -1] if found else [3]),
                              "month": months[[0] * (2 if found else 1)]})  # fmt: skip
    got = _distinct_children(workers, allocated)
    assert got.tolist()[0] == 1
    assert got.dtype == (np.int64 if found else np.float64)
    assert (got.tolist()[1] == 0) if found else np.isnan(got.tolist()[1])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(-1, 4), st.integers(0, 2)), max_size=10),
       st.lists(st.tuples(st.integers(-1, 4), st.one_of(st.none(), st.integers(0, 90)),
                          st.booleans()), max_size=15))  # fmt: skip
def test_reviews_held_as_the_merge_and_grouping(plan_rows, review_rows) -> None:
    from scorecard.measures.child_protection import _reviews_held, _reviews_held_by_merge

    months = pd.period_range("2015-01", periods=3, freq="M")
    plans = pd.DataFrame(
        {
            "cp_plan_id": _coded([p for p, _ in plan_rows]),
            "month": months[[m for _, m in plan_rows]],
            "snapshot": _days([30 * m + 28 for _, m in plan_rows]),
            "_first_due": _days([0] * len(plan_rows)),
        }
    )
    reviews = pd.DataFrame(
        {
            "cp_plan_id": _coded([p for p, _, _ in review_rows]),
            "review_date": _days([d for _, d, _ in review_rows]),
            "_late": [late for _, _, late in review_rows],
        }
    )
    rows, late = _reviews_held(plans, reviews)
    expected, expected_late = _reviews_held_by_merge(plans, reviews)  # the code it replaced
    pd.testing.assert_series_equal(rows["_last"], expected["_last"])
    pd.testing.assert_series_equal(late, expected_late, check_names=False)  # (not read)
    pd.testing.assert_frame_equal(rows[plans.columns], plans)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-1, 4), max_size=10), st.lists(st.integers(-1, 4), max_size=10))
def test_pairs_merged_is_the_inner_merge(left_codes, right_codes) -> None:
    left = pd.DataFrame({"x": np.arange(len(left_codes)) * 10, "child_id": _coded(left_codes)},
                        index=np.arange(len(left_codes))[::-1])  # fmt: skip
    right = pd.DataFrame({"child_id": _coded(right_codes),
                          "when": _days(list(range(len(right_codes))))})  # fmt: skip
    expected = left.merge(right, on="child_id")
    pd.testing.assert_frame_equal(pairs_merged(left, right, "child_id"), expected)


def test_pairs_merged_leaves_suffixes_and_other_dtypes_to_the_merge() -> None:
    left = pd.DataFrame({"k": ["a", "b"], "v": [1, 2]})
    right = pd.DataFrame({"k": ["b", "a", "b"], "v": [3, 4, 5]})
    expected = left.merge(right, on="k")
    assert list(expected.columns) == ["k", "v_x", "v_y"]
    pd.testing.assert_frame_equal(pairs_merged(left, right, "k"), expected)
    right = pd.DataFrame({"k": pd.Categorical(["b", "a"]), "w": [3, 4]})
    pd.testing.assert_frame_equal(pairs_merged(left, right, "k"), left.merge(right, on="k"))


def test_merged_one_of_several_columns() -> None:
    frame = pd.DataFrame({"child_id": _coded([2, 0, -1, 2]), "x": [1, 2, 3, 4]}, index=[4, 3, 2, 1])
    table = pd.DataFrame({"child_id": _coded([0, 2, 5]), "uasc": pd.array([True, None, False]),
                          "ceased": _days([1, None, 3])})  # fmt: skip
    expected = frame.merge(table[["child_id", "uasc", "ceased"]], on="child_id", how="left")
    got = merged_one(frame, table, "child_id", ["uasc", "ceased"])
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("coded", [True, False])
def test_allocations_to_as_before(coded: bool) -> None:
    from scorecard.measures.workers import allocations_to

    def ids(values: list[str | None]) -> object:
        series = pd.Series(values, dtype="string")
        dtype = pd.CategoricalDtype(["w1", "w2", "w3"], ordered=True)
        return (series.astype(dtype) if coded else series).array

    allocations = pd.DataFrame(
        {
            "child_id": ["c1", "c2", "c3", "c4", "c5"],
            "worker_id": ids(["w1", "w2", None, "w3", "w1"]),
            "worker_role": pd.array(["social_worker", None, None, None, "team_manager"],
                                    dtype="string"),
            "start_date": _days([1, 2, 3, 4, 5]).array,
        },
        index=[9, 8, 7, 6, 5],
    )  # fmt: skip
    workforce = pd.DataFrame({"worker_id": ids(["w2", "w3", None]),
                              "role": ["social_worker", "team_manager", "social_worker"]})
    roles = ("social_worker",)
    # the old expression (allocations_to until 2026-12-05)
    blank = allocations["worker_role"].isna() & allocations["worker_id"].isin(
        workforce.loc[workforce["role"].isin(roles), "worker_id"].dropna()
    )
    expected = allocations[allocations["worker_role"].isin(roles) | blank]
    assert expected["child_id"].tolist() == ["c1", "c2"]
    pd.testing.assert_frame_equal(allocations_to(allocations, workforce, roles), expected)
    pd.testing.assert_frame_equal(
        allocations_to(allocations, workforce, roles, ("start_date", "child_id")),
        expected[["child_id", "start_date"]],
    )


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(-1, 3), st.integers(-1, 2), st.booleans()),
                max_size=25))  # fmt: skip
def test_all_in_groups_as_the_grouped_all(rows) -> None:
    from scorecard.measures.kernels import all_in_groups

    months = pd.period_range("2015-01", periods=3, freq="M")
    frame = pd.DataFrame(
        {
            "month": months[[m for m, _, _, _ in rows]],
            "arrangement_id": _coded([a for _, a, _, _ in rows]),
            "team": pd.Categorical.from_codes([t for _, _, t, _ in rows],
                                              dtype=pd.CategoricalDtype(["t0", "t1", "t2"],
                                                                        ordered=True)),
            "_in_time": np.array([f for _, _, _, f in rows], dtype=bool),
            "other": 1.5,
        }
    )  # fmt: skip
    keys = ["month", "arrangement_id", "team"]
    expected = frame.groupby(keys, as_index=False, sort=False, observed=True)["_in_time"].all()
    pd.testing.assert_frame_equal(all_in_groups(frame, keys, "_in_time"), expected)


def test_all_in_groups_by_hand() -> None:
    from scorecard.measures.kernels import all_in_groups

    frame = pd.DataFrame({"a": _coded([3, 1, 3, -1, 1]), "ok": [True, True, False, False, True]})
    got = all_in_groups(frame, ["a"], "ok")
    assert got["a"].astype(str).tolist() == ["i3", "i1"]  # first appearance; missing left out
    assert got["ok"].tolist() == [False, True]
    frame["a"] = frame["a"].cat.as_unordered()  # (not sortable codes: pandas groups)
    pd.testing.assert_frame_equal(
        all_in_groups(frame, ["a"], "ok"),
        frame.groupby(["a"], as_index=False, sort=False, observed=True)["ok"].all(),
    )


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(-1, 3), st.one_of(st.none(), st.integers(0, 50))),
                max_size=20), st.booleans())  # fmt: skip
def test_previous_in_groups_as_the_grouped_shift(rows, together) -> None:
    from scorecard.measures.kernels import previous_in_groups

    if together:  # each group's rows together, as after a sort (missing groups last)
        rows = sorted(rows, key=lambda r: (r[0] < 0, r[0]))
    frame = pd.DataFrame({"plan": _coded([p for p, _ in rows]),
                          "date": _days([d for _, d in rows]).array},
                         index=np.arange(len(rows)) * 2)  # fmt: skip
    expected = frame.groupby("plan", sort=False, observed=True)["date"].shift()
    pd.testing.assert_series_equal(previous_in_groups(frame["date"], frame["plan"]), expected)


def test_previous_in_groups_by_hand() -> None:
    from scorecard.measures.kernels import previous_in_groups

    plan = pd.Series(_coded([0, 0, 0, 2, -1, -1]))
    date = _days([1, 5, 9, 3, 4, 6])
    got = previous_in_groups(date, plan)
    assert got.tolist() == [pd.NaT, *_days([1, 5]).tolist(), pd.NaT, pd.NaT, pd.NaT]

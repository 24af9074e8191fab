"""Linking identifiers coded once: the coded checks agree with the text checks they replace."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard.extracts.arrays import differs_from_parent, unknown_values
from scorecard.extracts.identifiers import (
    code_identifiers,
    codes_differ_from_parent,
    linking_identifiers,
    unknown_codes,
)
from scorecard.measures.codes import coded_extracts

ids = st.lists(
    st.one_of(st.none(), st.sampled_from(["A1", "A2", "B", "b", "C 3", "é"])), max_size=12
)


def _text(values: list[str | None]) -> pd.Series:
    return pd.Series(values, dtype="str")


def test_linking_identifiers_are_the_shared_id_columns() -> None:
    assert linking_identifiers() == (
        "arrangement_id",
        "assessment_id",  # assessments and assessment_types
        "child_id",
        "cp_plan_id",
        "referral_id",
        "team",
        "worker_id",
    )


@given(values=ids, allowed=ids)
def test_unknown_codes_agree_with_unknown_values(values: list, allowed: list) -> None:
    frames = {"a": pd.DataFrame({"x": _text(values)}), "b": pd.DataFrame({"x": _text(allowed)})}
    coded = code_identifiers(frames, ("x",)).columns["x"]
    expected = unknown_values(frames["a"]["x"], frames["b"]["x"]).to_numpy()
    np.testing.assert_array_equal(unknown_codes(coded["a"], coded["b"]), expected)


@given(
    rows=st.lists(
        st.tuples(ids.map(lambda v: v[0] if v else None), ids.map(lambda v: v[0] if v else None)),
        max_size=10,
    ),
    parents=st.lists(
        st.tuples(ids.map(lambda v: v[0] if v else None), ids.map(lambda v: v[0] if v else None)),
        max_size=10,
    ),
)
def test_coded_parent_check_agrees_with_text_check(rows: list, parents: list) -> None:
    child = pd.DataFrame(rows, columns=["key", "value"], dtype="str")
    parent = pd.DataFrame(parents, columns=["key", "value"], dtype="str")
    frames = {"child": child, "parent": parent}
    codes = code_identifiers(frames, ("key", "value")).columns
    got = codes_differ_from_parent(
        codes["key"]["child"],
        codes["value"]["child"],
        codes["key"]["parent"],
        codes["value"]["parent"],
    )
    expected = differs_from_parent(child["key"], child["value"], parent["key"], parent["value"])
    np.testing.assert_array_equal(got, expected.to_numpy())


def test_codes_follow_text_order_and_keep_missing_values() -> None:
    frames = {
        "a": pd.DataFrame({"x": _text(["b", None, "a10", "a9"])}),
        "b": pd.DataFrame({"x": _text(["c"])}),
    }
    coded = code_identifiers(frames, ("x",)).columns["x"]
    assert list(coded["a"].categories) == ["a10", "a9", "b", "c"]
    assert coded["a"].dtype == coded["b"].dtype and coded["a"].ordered
    assert coded["a"].tolist()[0] == "b" and pd.isna(coded["a"].tolist()[1])
    assert list(coded["a"].codes) == [2, -1, 0, 1]


def test_columns_coded_largest_first_are_given_in_their_order() -> None:
    # "x" reads 10 values, "y" 5 and "z" 2 (its categories): coded in that order (the reverse of
    # the order asked for), and given in the order asked for
    frames = {
        "a": pd.DataFrame(
            {"x": _text(["b", "a", "b", None, "a"]), "y": _text(["q", "p", "r", "p", None])}
        ),
        "b": pd.DataFrame(
            {"x": _text(["c", "c", "a", None, "c"]), "z": pd.Categorical(["n", "m", "n", "m", "m"])}
        ),
    }
    coded = code_identifiers(frames, ("z", "y", "x"))
    assert list(coded.columns) == ["z", "y", "x"]
    assert list(coded.columns["x"]) == ["a", "b"]
    assert list(coded.columns["x"]["a"].codes) == [1, 0, 1, -1, 0]
    assert list(coded.columns["x"]["b"].codes) == [2, 2, 0, -1, 2]
    assert list(coded.columns["y"]["a"].codes) == [1, 0, 2, 0, -1]
    assert list(coded.columns["z"]["b"].codes) == [1, 0, 1, 0, 0]


def test_values_read_counts_text_rows_and_categories() -> None:
    from scorecard.extracts.identifiers import _values_read

    text = pa.array(["a", None, "b"], type=pa.large_string())
    chunked = pa.chunked_array([text, text])
    categorical = pd.Categorical(["m", "n", "m", "m"])  # 2 categories, 4 rows
    assert _values_read({"a": text, "b": chunked, "c": categorical}) == 3 + 6 + 2


def test_engine_reuses_the_loaders_codes_and_recodes_a_replaced_frame(valid_folder) -> None:
    import scorecard as sc

    extracts = sc.load_extracts(valid_folder)
    visits = extracts.visits
    assert extracts.identifiers.get("visits", visits, "child_id") is not None
    coded = coded_extracts(extracts)
    assert isinstance(coded.visits["child_id"].dtype, pd.CategoricalDtype)
    assert coded.visits["child_id"].tolist() == visits["child_id"].tolist()
    # the loader holds the identifier as its codes already: the engine's view is the same column
    assert extracts.visits["child_id"].dtype == coded.visits["child_id"].dtype
    assert extracts.visits is visits  # the caller's extracts are unchanged

    changed = dataclasses.replace(
        extracts, visits=visits.assign(child_id=visits["child_id"].str.lower())
    )
    assert changed.identifiers.get("visits", changed.visits, "child_id") is None
    recoded = coded_extracts(changed)
    assert recoded.visits["child_id"].tolist() == changed.visits["child_id"].tolist()
    assert recoded.visits["child_id"].dtype == recoded.children["child_id"].dtype


@given(first=ids, second=ids, third=ids)
def test_hashing_in_two_halves_gives_the_same_codes(first: list, second: list, third: list) -> None:
    from scorecard.extracts import identifiers

    frames = {n: pd.DataFrame({"x": _text(v)}) for n, v in zip("abc", (first, second, third))}
    whole = code_identifiers(frames, ("x",)).columns["x"]
    limit, identifiers._SPLIT_ABOVE = identifiers._SPLIT_ABOVE, 0
    try:
        halves = code_identifiers(frames, ("x",)).columns["x"]
    finally:
        identifiers._SPLIT_ABOVE = limit
    for name in "abc":
        assert halves[name].dtype == whole[name].dtype
        np.testing.assert_array_equal(halves[name].codes, whole[name].codes)


@st.composite
def _numbered_ids(draw: st.DrawFn) -> list[str | None]:
    """Identifiers mostly of one shape (a prefix and digits, one width), with near misses."""
    prefix = draw(st.sampled_from(["", "CH", "é", "A-"]))
    width = draw(st.sampled_from([1, 3, 12]))
    shaped = st.integers(0, 10**width - 1).map(lambda n: f"{prefix}{n:0{width}d}")
    misses = st.sampled_from(["CH12", "X0001", "CH00a1", "", "0001", "CH０1", "CH+01", "é1"])
    weights = draw(st.sampled_from(["shaped", "mixed"]))
    value = st.one_of(shaped, st.none()) if weights == "shaped" else st.one_of(shaped, misses)
    return draw(st.lists(value, max_size=15))


@given(first=_numbered_ids(), second=_numbered_ids())
def test_numbering_fixed_width_identifiers_gives_the_hashed_codes(first: list, second: list) -> None:
    from scorecard.extracts import identifiers

    frames = {"a": pd.DataFrame({"x": _text(first)}), "b": pd.DataFrame({"x": _text(second)})}
    numbered = code_identifiers(frames, ("x",)).columns["x"]
    shortcut, identifiers._fixed_width_numbers = identifiers._fixed_width_numbers, lambda _: None
    try:
        hashed = code_identifiers(frames, ("x",)).columns["x"]
    finally:
        identifiers._fixed_width_numbers = shortcut
    for name in "ab":
        assert list(numbered[name].categories) == list(hashed[name].categories)
        assert numbered[name].ordered
        np.testing.assert_array_equal(numbered[name].codes, hashed[name].codes)
        assert numbered[name].codes.dtype == hashed[name].codes.dtype


def test_fixed_width_identifiers_are_numbered_and_other_shapes_are_not() -> None:
    import pyarrow as pa

    from scorecard.extracts.identifiers import _fixed_width_numbers

    def numbers(values: list[str | None]) -> list[int] | None:
        found = _fixed_width_numbers(pa.chunked_array([pa.array(values, pa.large_string())]))
        return None if found is None else found[0].tolist()

    assert numbers(["CH0012", None, "CH0003", "CH9999"]) == [12, -1, 3, 9999]
    assert numbers(["007", "100"]) == [7, 100]
    assert numbers(["é07", "é10"]) == [7, 10]
    assert numbers(["CH0012", "CH003"]) is None  # two widths: text order is not the numbers'
    assert numbers(["CH0012", "XY0003"]) is None  # two prefixes
    assert numbers(["CH0012", "CH00a3"]) is None  # a letter among the digits
    assert numbers(["CH00+3", "CH0012"]) is None  # a sign is not a digit
    # a head or a digit one above or below (the bytes either side of "0"-"9" and of the head)
    assert numbers(["CH0012", "CI0013"]) is None and numbers(["CH0012", "CG0013"]) is None
    assert numbers(["CH0012", "CH00:3"]) is None and numbers(["CH0012", "CH00/3"]) is None
    assert numbers(["CH0012", "DH0013"]) is None and numbers(["07", "0:"]) is None
    assert numbers(["ABCD", "ABCE"]) is None  # no digits
    assert numbers(["1" * 19, "2" * 19]) is None  # beyond an int64
    assert numbers([None, None]) is None
    assert numbers([]) is None


def test_fixed_width_identifiers_read_from_sliced_chunks_in_small_blocks(monkeypatch) -> None:
    import pyarrow as pa

    from scorecard.extracts import identifiers

    monkeypatch.setattr(identifiers, "_BLOCK", 2)
    whole = pa.array(["XX", "CH0012", "CH0003", None, "CH0100", "CH0007"], pa.large_string())
    every = pa.chunked_array([whole.slice(1, 4), pa.array([None, "CH0005"], pa.large_string())])
    numbers, shape = identifiers._fixed_width_numbers(every)
    assert numbers.tolist() == [12, 3, -1, 100, -1, 5] and shape == (b"CH", 4)
    categories, codes = identifiers._code_numbers(numbers, shape)
    assert categories.to_pylist() == ["CH0003", "CH0005", "CH0012", "CH0100"]
    assert codes.tolist() == [2, 0, -1, 3, -1, 1]
    wrong = pa.chunked_array([whole.slice(1, 4), pa.array(["CH0005", "CH005"], pa.large_string())])
    assert identifiers._fixed_width_numbers(wrong) is None  # the last block has a short value
    # far-apart numbers are sorted rather than tabled
    sparse = np.array([10**15, -1, 3, 10**15], dtype=np.int64)
    categories, codes = identifiers._code_numbers(sparse, identifiers._Shape(b"", 16))
    assert categories.to_pylist() == ["0000000000000003", "1000000000000000"]
    assert codes.tolist() == [1, -1, 0, 1]


def _hashed(frames: dict[str, pd.DataFrame]) -> dict[str, pd.Categorical]:
    """The codes of column ``x`` of ``frames`` by hashing (the fixed-width numbering off)."""
    from scorecard.extracts import identifiers

    shortcut, identifiers._fixed_width_numbers = identifiers._fixed_width_numbers, lambda _: None
    try:
        return dict(code_identifiers(frames, ("x",)).columns["x"])
    finally:
        identifiers._fixed_width_numbers = shortcut


@given(
    key=st.sets(st.integers(0, 999), min_size=1, max_size=12),
    others=st.lists(st.one_of(st.none(), st.integers(0, 999)), max_size=12),
    within=st.booleans(),
)
def test_a_key_in_order_gives_its_text_as_the_categories(key, others, within) -> None:
    # an own key exported in order (every value once, sorted) beside references to it: the
    # same categories and codes as hashing, whether or not the references stay within the key
    ordered = sorted(key)
    if within:
        others = [None if n is None else ordered[n % len(ordered)] for n in others]
    frames = {
        "a": pd.DataFrame({"x": _text([f"CH{n:03d}" for n in ordered])}),
        "b": pd.DataFrame({"x": _text([None if n is None else f"CH{n:03d}" for n in others])}),
    }
    numbered = code_identifiers(frames, ("x",)).columns["x"]
    for name, hashed in _hashed(frames).items():
        assert list(numbered[name].categories) == list(hashed.categories)
        np.testing.assert_array_equal(numbered[name].codes, hashed.codes)


def test_a_key_in_order_is_not_written_again(monkeypatch) -> None:
    from scorecard.extracts import identifiers

    def written(*_: object) -> None:
        raise AssertionError("written again")

    monkeypatch.setattr(identifiers, "_numbered_text", written)
    key = pd.DataFrame({"x": _text(["CH001", "CH004", "CH009"])})
    refs = pd.DataFrame({"x": _text(["CH009", None, "CH001"])})
    coded = code_identifiers({"a": key, "b": refs}, ("x",)).columns["x"]
    assert list(coded["b"].categories) == ["CH001", "CH004", "CH009"]
    assert coded["b"].codes.tolist() == [2, -1, 0]
    # not in order, with a missing value, or a reference outside it: written from the numbers
    for first, second in [
        (["CH004", "CH001", "CH009"], ["CH001"]),
        (["CH001", None, "CH009"], ["CH001"]),
        (["CH001", "CH004", "CH009"], ["CH002"]),
    ]:
        frames = {"a": pd.DataFrame({"x": _text(first)}), "b": pd.DataFrame({"x": _text(second)})}
        with pytest.raises(AssertionError, match="written again"):
            code_identifiers(frames, ("x",))


def test_a_column_repeating_a_value_is_never_taken_for_the_categories() -> None:
    # b is in order and as long as the distinct values, but repeats one: not the categories
    frames = {
        "a": pd.DataFrame({"x": _text(["CH004", "CH001"])}),
        "b": pd.DataFrame({"x": _text(["CH001", "CH001"])}),
    }
    coded = code_identifiers(frames, ("x",)).columns["x"]
    assert list(coded["a"].categories) == ["CH001", "CH004"]
    assert coded["a"].codes.tolist() == [1, 0] and coded["b"].codes.tolist() == [0, 0]


def test_an_empty_column_beside_others_is_coded() -> None:
    # an extract without rows (its column an Arrow array of no chunks) beside one with rows
    frames = {
        "a": pd.DataFrame({"x": pd.Series(pa.chunked_array([], pa.large_string()).to_pandas(
            types_mapper={pa.large_string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get))}),
        "b": pd.DataFrame({"x": _text(["CH002", "CH001"])}),
    }
    coded = code_identifiers(frames, ("x",)).columns["x"]
    assert len(coded["a"]) == 0 and list(coded["b"].categories) == ["CH001", "CH002"]
    assert coded["b"].codes.tolist() == [1, 0]


@given(
    keys=st.sets(st.sampled_from(["A1", "A2", "B", "C 3", "b", "é"]), min_size=1),
    values=st.lists(st.one_of(st.none(), st.sampled_from(["x", "y"])), min_size=6, max_size=6),
    rows=st.lists(
        st.tuples(st.integers(-1, 5), st.one_of(st.none(), st.sampled_from(["x", "y"]))),
        max_size=10,
    ),
)
def test_parent_keys_in_order_give_the_text_check(keys, values, rows) -> None:
    # every key once, in order, and the children's keys among them: the parent row of a key
    # is the key's code (no table of first rows); the same answer as the text check
    ordered = sorted(keys)
    parent = pd.DataFrame({"key": ordered, "value": values[: len(ordered)]}, dtype="str")
    child = pd.DataFrame(
        [(None if at < 0 else ordered[at % len(ordered)], value) for at, value in rows],
        columns=["key", "value"],
        dtype="str",
    )
    codes = code_identifiers({"child": child, "parent": parent}, ("key", "value")).columns
    assert codes["key"]["parent"].codes.tolist() == list(range(len(ordered)))
    got = codes_differ_from_parent(
        codes["key"]["child"], codes["value"]["child"],
        codes["key"]["parent"], codes["value"]["parent"],
    )  # fmt: skip
    expected = differs_from_parent(child["key"], child["value"], parent["key"], parent["value"])
    np.testing.assert_array_equal(got, expected.to_numpy())


def test_numbered_in_order() -> None:
    from scorecard.extracts.identifiers import _numbered_in_order

    assert _numbered_in_order(np.array([0, 1, 2], dtype=np.int32), 3)
    assert _numbered_in_order(np.array([], dtype=np.int32), 0)
    assert not _numbered_in_order(np.array([0, 1, 2], dtype=np.int32), 4)  # a category unheld
    assert not _numbered_in_order(np.array([1, 2, 3], dtype=np.int32), 3)
    assert not _numbered_in_order(np.array([0, 2, 1], dtype=np.int32), 3)
    assert not _numbered_in_order(np.array([0, 0, 1], dtype=np.int32), 3)
    assert not _numbered_in_order(np.array([-1, 0, 1], dtype=np.int32), 3)

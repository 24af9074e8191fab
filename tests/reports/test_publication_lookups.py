"""The shortcuts of the publication path against the pandas expressions they replace."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.reports import suppression
from scorecard.reports.model import publishable_text
from scorecard.reports.safety import _guard_each, guard_formulas
from tests.conftest import examples

words = st.sampled_from(["a", "b", "=SUM(A1)", "-3", "+x", "@y", "ok", "\tz"])


@given(
    rows=st.lists(st.tuples(st.sampled_from(["p", "q", None]), st.integers(0, 3), words),
                  min_size=0, max_size=12),
    numbers=st.sampled_from([1.0, -1.0]),
)  # fmt: skip
@settings(max_examples=examples(40), deadline=None)
def test_guard_formulas_guards_what_each_column_on_its_own_would(rows, numbers) -> None:
    frame = pd.DataFrame(rows, columns=["text", "number", "word"])
    frame = frame.assign(
        category=pd.Categorical(frame["word"]),
        objects=pd.Series([numbers] * len(frame), dtype=object),
        string=frame["text"].astype("string"),
        codes=pd.Categorical(frame["number"]),
    )
    got = guard_formulas(frame)
    want = _guard_each(frame.copy())
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got.map(type).equals(want.map(type))


@given(
    rows=st.lists(st.tuples(st.sampled_from(["x", "y", None]), st.integers(0, 2),
                            st.sampled_from(["u", "v", "w"])), min_size=1, max_size=15),
)  # fmt: skip
@settings(max_examples=examples(40), deadline=None)
def test_row_groups_are_those_of_a_multiindex(rows) -> None:
    frame = pd.DataFrame(rows, columns=["a", "b", "c"])
    frame["b"] = pd.Series([pd.Period("2015-04", "M") + b for b in frame["b"]], dtype="period[M]")
    for keys in (["a", "b"], ["b", "c"], ["c"]):
        want, _ = pd.factorize(pd.MultiIndex.from_frame(frame[keys]))
        assert suppression._row_groups(frame, keys).tolist() == list(want)


@given(
    cells=st.lists(st.tuples(st.sampled_from(["i", "j"]), st.sampled_from(["Kent", "North"]),
                             st.integers(0, 14), st.booleans()),
                   min_size=1, max_size=20, unique_by=lambda c: c[:3]),
)  # fmt: skip
@settings(max_examples=examples(40), deadline=None)
def test_withheld_months_are_those_of_the_multiindex_look_up(cells) -> None:
    start = pd.Period("2014-12", "M")
    frame = pd.DataFrame(
        {
            "indicator": [c[0] for c in cells],
            "unit": [c[1] for c in cells],
            "month": pd.Series([start + c[2] for c in cells], dtype="period[M]"),
        }
    )
    hidden = np.array([c[3] for c in cells])
    months = {"previous": frame["month"] - 1,
              "outturn": pd.Series([pd.Period("2015-03", "M")] * len(frame), dtype="period[M]")}  # fmt: skip
    got = suppression._withheld_in(frame, hidden, months)
    want = suppression._withheld_in_by_index(frame, hidden, months)
    assert {k: v.tolist() for k, v in got.items()} == {k: list(v) for k, v in want.items()}


def test_hierarchy_from_units_by_hand() -> None:
    units = pd.DataFrame(
        [("T1", "Kent", "county"), ("T2", "Kent", "county"), ("T3", "Kent", "county"),
         ("T1", "North", "area"), ("T2", "North", "area"), ("T1", "T1", "team"),
         ("T2", "T2", "team"), ("T3", "T3", "team"), ("T4", None, "county")],
        columns=["team", "unit", "level"],
    )  # fmt: skip
    hierarchy = suppression.Hierarchy.from_units(units)
    assert hierarchy.groups == (("Kent", ("North", "T3")), ("North", ("T1", "T2")))


def test_text_with_nothing_in_it_stays_missing_text() -> None:
    for values in (pd.Series([None, None], dtype=object), pd.Series([], dtype="string")):
        got = publishable_text(values)
        assert got.dtype == "string" and got.isna().all() and len(got) == len(values)
    assert publishable_text(pd.Series([None, "line 4 [child_id=C1] x"])).tolist() == [pd.NA, "x"]


@given(
    rows=st.lists(st.tuples(st.integers(1, 4), st.integers(0, 5), st.integers(0, 99)),
                  min_size=0, max_size=20),
)  # fmt: skip
@settings(max_examples=examples(30), deadline=None)
def test_results_are_ordered_as_sort_values_orders_them(rows) -> None:
    from scorecard.reports.build import _by_ref_and_month

    names = [f"r{i}" for i in range(len(rows))]
    frame = pd.DataFrame(rows, columns=["ref", "month", "x"], index=names)
    frame["month"] = pd.Series([pd.Period("2015-01", "M") + m for m in frame["month"]],
                               dtype="period[M]", index=frame.index)  # fmt: skip
    want = frame.sort_values(["ref", "month"], kind="stable")
    pd.testing.assert_frame_equal(_by_ref_and_month(frame), want, check_exact=True)


def test_guard_formulas_in_batches_guards_the_same(monkeypatch) -> None:
    from scorecard.reports import safety

    frame = pd.DataFrame({"a": ["=x", "b"], "b": ["c", "d"], "c": ["+1", "e"], "d": [1.0, 2.0]})
    whole = guard_formulas(frame)
    monkeypatch.setattr(safety, "_BATCH", 3)  # every column a batch of its own
    assert [len(b) for b in safety._batches([("a", np.zeros(2)), ("b", np.zeros(2)),
                                             ("c", np.zeros(5))])] == [1, 1, 1]  # fmt: skip
    pd.testing.assert_frame_equal(guard_formulas(frame), whole, check_exact=True)
    assert whole["a"].tolist() == ["'=x", "b"] and whole["c"].tolist() == ["'+1", "e"]

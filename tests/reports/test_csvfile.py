"""The results CSV written column by column (``scorecard.reports.csvfile``): the same bytes as
``frame.to_csv(path, index=False)``, for every dtype it writes, and ``to_csv`` itself for the
others."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.pipeline import Scorecard
from scorecard.reports.build import results_for_publication
from scorecard.reports.csvfile import csv_text, write_csv
from scorecard.reports.model import Publication
from tests.conftest import examples

_END = os.linesep


def test_a_small_frame_by_hand() -> None:
    frame = pd.DataFrame({
        "unit": pd.Series(["Kent", "a,b", None], dtype="str"),
        "month": pd.PeriodIndex(["2015-05", None, "2015-04"], freq="M"),
        "value": [0.1 + 0.2, -0.0, np.nan],
        "n": [1, 2, 3],
        "shown": pd.Series([1.5, "c", None], dtype=object),
        "rag": pd.Categorical(["G", None, 'say "R"']),
        "flag": [True, False, True],
        "points": pd.array([4, None, 6], dtype="Int64"),
    })  # fmt: skip
    expected = _END.join([
        "unit,month,value,n,shown,rag,flag,points",
        "Kent,2015-05,0.30000000000000004,1,1.5,G,True,4",
        '"a,b",,-0.0,2,c,,False,',
        ',2015-04,,3,,"say ""R""",True,6',
    ]) + _END  # fmt: skip
    assert csv_text(frame) == expected
    assert frame.to_csv(index=False) == expected


_TEXT = st.text(st.sampled_from(list('ab ,"\n\r\t=-.é_') + ["\u2028"]), max_size=4)
_FLOAT = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 1e16, 1e-5])
_OBJECT = st.one_of(st.none(), st.just(np.nan), st.just(pd.NA), _FLOAT, _TEXT,
                    st.integers(-(10**20), 10**20), st.booleans(),
                    st.just(np.float64(2.5)))  # fmt: skip


@st.composite
def _frames(draw: st.DrawFn) -> pd.DataFrame:
    rows = draw(st.integers(0, 6))

    def cells(strategy: st.SearchStrategy) -> list:
        return draw(st.lists(strategy, min_size=rows, max_size=rows))

    makers = {
        "float": lambda: pd.Series(cells(_FLOAT), dtype=float),
        "int": lambda: pd.Series(cells(st.integers(-(2**63), 2**63 - 1)), dtype=np.int64),
        "bool": lambda: pd.Series(cells(st.booleans()), dtype=bool),
        "object": lambda: pd.Series(cells(_OBJECT), dtype=object),
        "str": lambda: pd.Series(cells(st.none() | _TEXT), dtype="str"),
        "string": lambda: pd.Series(cells(st.none() | _TEXT), dtype="string"),
        "category": lambda: pd.Series(cells(st.none() | _TEXT), dtype="category"),
        "numbers": lambda: pd.Series(cells(st.none() | st.integers(0, 3)), dtype="category"),
        "period": lambda: pd.Series(pd.PeriodIndex(cells(st.none() | st.sampled_from(
            ["2015-05", "1999-12", "2100-01"])), freq="M")),
        "Int64": lambda: pd.Series(cells(st.none() | st.integers(-5, 5)), dtype="Int64"),
    }  # fmt: skip
    kinds = draw(st.lists(st.sampled_from(sorted(makers)), min_size=2, max_size=5))
    names = draw(st.lists(_TEXT | st.integers(0, 9), min_size=len(kinds), max_size=len(kinds)))
    return pd.DataFrame(dict(enumerate(makers[kind]() for kind in kinds))).set_axis(names, axis=1)


@settings(max_examples=examples(150), deadline=None)
@given(frame=_frames())
def test_the_same_text_as_to_csv(frame: pd.DataFrame) -> None:
    assert csv_text(frame) == frame.to_csv(index=False)


def test_frames_it_does_not_write_go_to_to_csv(tmp_path: Path) -> None:
    one = pd.DataFrame({"a": ["", "x"]})  # one column: an empty cell is written ""
    dates = pd.DataFrame({"a": pd.to_datetime(["2015-05-01", None]), "b": [1, 2]})
    small = pd.DataFrame({"a": np.array([0.1, 2.5], dtype=np.float32), "b": [1, 2]})
    for frame in (one, dates, small):
        assert csv_text(frame) is None
        write_csv(frame, tmp_path / "out.csv")
        frame.to_csv(tmp_path / "expected.csv", index=False)
        assert (tmp_path / "out.csv").read_bytes() == (tmp_path / "expected.csv").read_bytes()


def test_the_results_csv_of_a_card(card: Scorecard, tmp_path: Path) -> None:
    for below in (None, 5):
        prepared = Publication(card, card.latest_month, below)
        published = results_for_publication(card, below, prepared)
        pd.testing.assert_frame_equal(published, results_for_publication(card, below))
        write_csv(published, tmp_path / "results.csv")
        published.to_csv(tmp_path / "expected.csv", index=False)
        assert (tmp_path / "results.csv").read_bytes() == (tmp_path / "expected.csv").read_bytes()


def test_a_publication_of_another_suppression_is_refused(card: Scorecard) -> None:
    with pytest.raises(ValueError, match="suppress_below 5 of this one"):
        results_for_publication(card, 5, Publication(card, card.latest_month, None))

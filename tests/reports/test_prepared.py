"""What the outputs of one build share, prepared once (``model.Publication`` and the one-pass
helpers behind it): the same rows, words and files as the per-unit steps they replace."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.pipeline import Scorecard
from scorecard.rating.vocabulary import RAG
from scorecard.reports import model, workbook
from scorecard.reports.html import render_html
from scorecard.reports.movement import exception_texts
from scorecard.reports.workbook import write_workbook

MAY, APRIL = pd.Period("2015-05", "M"), pd.Period("2015-04", "M")


def _same(a: Any, b: Any) -> bool:
    """Equal, a missing value equal to any other missing value."""
    missing_a = a is None or (not isinstance(a, str | bool) and pd.isna(a))
    missing_b = b is None or (not isinstance(b, str | bool) and pd.isna(b))
    if missing_a or missing_b:
        return missing_a and missing_b
    return bool(a == b)


def _same_rows(got: list[dict[str, Any]], expected: list[dict[str, Any]]) -> bool:
    return len(got) == len(expected) and all(
        list(g) == list(e) and all(_same(g[k], e[k]) for k in e)
        for g, e in zip(got, expected, strict=True)
    )


def _per_unit(activity: pd.DataFrame, month: object, below: int | None) -> dict[str, list]:
    """The activity tables as the reports made them before: unit by unit."""
    return {
        str(unit): model.suppress_activity(
            model.activity_table(activity[activity["unit"] == unit], unit, month), below
        ).to_dict("records")
        for unit in activity["unit"].unique()
    }


def test_activity_tables_hand_worked() -> None:
    activity = pd.DataFrame(
        {
            "activity": ["open", "open", "starts", "open", "starts", "open"],
            "label": ["Open cases", "Open cases", "Care starts", "Open cases", "Care starts",
                      "Open cases"],
            "unit": ["Kent", "Kent", "Kent", "Team A", "Team A", "Team B"],
            "month": [APRIL, MAY, MAY, MAY, MAY, APRIL],
            "count": [118.0, 120.0, 3.0, np.nan, 0.0, 7.0],
            "withheld": [False, False, False, True, False, False],
        }
    )  # fmt: skip
    got = model.activity_tables(activity, MAY, 5)
    assert list(got) == ["Kent", "Team A", "Team B"]
    assert got["Team B"] == []  # counts last month only
    assert got["Kent"][0] == {
        "activity": "Open cases", "this_month": 120.0, "last_month": 118.0, "change": 2.0,
        "this_month_withheld": False, "last_month_withheld": False, "change_withheld": False,
    }  # fmt: skip
    # the flags come from the counts (3 is small, but not withheld there); no count last month
    care = got["Kent"][1]
    assert (care["this_month"], care["this_month_withheld"], care["change_withheld"]) == (
        3.0, False, False)  # fmt: skip
    assert math.isnan(care["last_month"]) and math.isnan(care["change"])
    withheld = got["Team A"][0]
    assert withheld["this_month_withheld"] and withheld["change_withheld"]
    # without flags, small counts are withheld by ``below``
    flagless = model.activity_tables(activity.drop(columns="withheld"), MAY, 5)
    assert [r["this_month_withheld"] for r in flagless["Kent"]] == [False, True]
    assert model.activity_tables(None, MAY, 5) == {}
    assert model.activity_tables(activity.iloc[0:0], MAY, 5) == {}


@st.composite
def _activity(draw: st.DrawFn) -> pd.DataFrame:
    cells = draw(
        st.lists(
            st.tuples(st.sampled_from(["Kent", "North", "Team A"]),
                      st.sampled_from(["a", "b", "c"]),
                      st.sampled_from([APRIL, MAY, pd.Period("2015-03", "M")])),
            unique=True, max_size=14,
        )
    )  # fmt: skip
    counts = draw(
        st.lists(st.one_of(st.just(np.nan), st.integers(0, 12).map(float)),
                 min_size=len(cells), max_size=len(cells))  # fmt: skip
    )
    frame = pd.DataFrame(
        {
            "activity": [c[1] for c in cells],
            "label": [f"Label {c[1]}" for c in cells],
            "unit": [c[0] for c in cells],
            "month": pd.PeriodIndex([c[2] for c in cells], freq="M"),
            "count": pd.Series(counts, dtype=float),
        }
    )
    if draw(st.booleans()):
        frame["withheld"] = draw(
            st.lists(st.booleans(), min_size=len(cells), max_size=len(cells))
        )
    return frame


@settings(max_examples=40, deadline=None)
@given(activity=_activity(), below=st.one_of(st.none(), st.integers(1, 8)))
def test_activity_tables_are_the_per_unit_tables(activity: pd.DataFrame, below: int | None) -> None:
    got = model.activity_tables(activity, MAY, below)
    expected = _per_unit(activity, MAY, below)
    assert list(got) == list(expected)
    for unit, rows in expected.items():
        assert _same_rows(got[unit], rows), unit


def test_the_prepared_parts_are_what_each_output_made(card: Scorecard) -> None:
    below = 5
    prepared = model.Publication(card, "2015-05", below)
    frame = model.publication_frame(card, below)
    pd.testing.assert_frame_equal(prepared.frame, frame)
    current = frame[frame["month"] == MAY]
    assert prepared.sentences == model.summary_sentences(current, MAY)
    assert prepared.exception_texts == exception_texts(card, frame, MAY, below)
    pd.testing.assert_frame_equal(prepared.quality, model.quality_for_publication(card.quality))
    activity = model.publication_activity(card, below)
    expected = _per_unit(activity, MAY, below)
    assert list(prepared.activity_tables) == list(expected)
    assert all(_same_rows(prepared.activity_tables[u], rows) for u, rows in expected.items())
    # every unit's table: the rows of model.unit_table, with every column of the frame
    rows = prepared.unit_rows
    assert set(rows) == {str(u) for u in model.applicable(current)["unit"].unique()}
    for unit, records in rows.items():
        table = model.unit_table(frame, unit, MAY).to_dict("records")
        shown = [{c: r[c] for c in model.UNIT_TABLE_COLUMNS} for r in records]
        assert _same_rows(shown, table), unit
        assert {"suppressed", "previous_suppressed", "outturn_suppressed"} <= set(records[0])
    assert prepared.frame is prepared.frame  # made once


def test_the_workbook_notes_and_red_points_in_one_pass(card: Scorecard) -> None:
    prepared = model.Publication(card, "2015-05", 5)
    tables = prepared.unit_rows
    notes = workbook._unit_notes(tables)
    assert notes == {unit: workbook._notes(rows) for unit, rows in tables.items()}
    frame = prepared.frame
    window = frame[(frame["month"] >= MAY - 3) & (frame["month"] <= MAY)]
    points = workbook._red_points(window, tables)
    reds = 0
    for unit, rows in tables.items():  # as the unit sheet read them before: unit by unit
        for indicator in [r["indicator"] for r in rows if r["rag"] == RAG.RED.value]:
            reds += 1
            mine = window[(window["unit"] == unit) & (window["indicator"] == indicator)]
            wanted = ["indicator", "month", *(c for c in workbook._NO_POINT if c in mine.columns)]
            expected = {p["month"]: p for p in mine[wanted].to_dict("records")}
            got = points[unit][indicator]
            assert list(got) == list(expected)
            assert all(_same_rows([got[m]], [expected[m]]) for m in expected)
    assert reds > 0 and sum(len(v) for v in points.values()) == reds
    assert workbook._red_points(window, {}) == {}


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {n: book.read(n) for n in book.namelist() if n != "docProps/core.xml"}


def test_the_outputs_are_the_same_prepared_once_or_each_on_its_own(
    card: Scorecard, tmp_path: Path
) -> None:
    """Sharing changes nothing (no output changes what another reads)."""
    below = 3
    prepared = model.Publication(card, "2015-05", below)
    assert render_html(card, "2015-05", suppress_below=below, prepared=prepared) == render_html(
        card, "2015-05", suppress_below=below
    )
    alone = write_workbook(card, "2015-05", tmp_path / "alone.xlsx", suppress_below=below)
    shared = write_workbook(card, "2015-05", tmp_path / "shared.xlsx", suppress_below=below,
                            prepared=prepared)  # fmt: skip
    assert _members(alone) == _members(shared)


def test_a_style_is_made_once_whatever_the_order_of_its_properties(tmp_path: Path) -> None:
    from xlsxwriter import Workbook

    book = Workbook(str(tmp_path / "styles.xlsx"))
    styles = workbook._Styles(book)
    made = len(book.formats)  # xlsxwriter's own
    bold = styles(bold=True, align="center")
    assert styles(bold=True, align="center") is bold  # found as given
    assert styles(align="center", bold=True) is bold  # the same set, another order
    assert styles(align="center", bold=True, italic=True) is not bold
    assert styles(font_name="Arial", bold=True, align="center") is bold  # the font is the default
    assert len(book.formats) == made + 2
    book.close()


def test_a_publication_prepared_for_another_month_or_threshold_is_refused(card: Scorecard) -> None:
    prepared = model.Publication(card, "2015-05", 5)
    assert model.Publication.of(prepared, card, MAY, 5) is prepared
    assert model.Publication.of(None, card, MAY, 5).suppress_below == 5
    for month, below in ((APRIL, 5), (MAY, None), (MAY, 3)):
        with pytest.raises(ValueError, match="prepared publication"):
            model.Publication.of(prepared, card, month, below)
    with pytest.raises(ValueError, match="prepared publication"):
        render_html(card, "2015-05", suppress_below=None, prepared=prepared)

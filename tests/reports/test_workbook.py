"""The Excel workbook: layout, figures, RAG fills, exception reports, suppression and safety.

Each workbook is written once per module and read back with openpyxl.
"""

from __future__ import annotations

import dataclasses
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from scorecard.pipeline import Scorecard
from scorecard.rating.vocabulary import RatingState
from scorecard.reports import model
from scorecard.reports.workbook import (
    ACTIVITY_SHEET,
    CONTENTS_SHEET,
    MAX_SHEET_NAME,
    QUALITY_SHEET,
    sheet_names,
    write_workbook,
)

MONTH = pd.Period("2015-05", freq="M")
HEADER_ROW = 5  # 1-based row of the unit table's header
EVIL_UNIT = '=HYPERLINK("http://x","y")'
EVIL_TITLE = "<script>alert(1)</script> % of referrals"
EXCEPTION = re.compile(r"^Exception report - ref (\d+): ")


# ------------------------------------------------------------------------------------------------
# Fixtures and helpers


@pytest.fixture(scope="module")
def plain(card: Scorecard, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workbook(card, MONTH, tmp_path_factory.mktemp("wb") / "plain.xlsx")


@pytest.fixture(scope="module")
def book(plain: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(plain)


def subset(card: Scorecard, keep: list[str], rename: dict[str, str] | None = None) -> Scorecard:
    """The scorecard of some of the units only (to keep tests fast), optionally renamed."""
    rename = rename or {}
    frame = card.frame[card.frame["unit"].isin(keep)].copy()
    frame["unit"] = frame["unit"].replace(rename)
    activity = card.computation.activity
    activity = activity[activity["unit"].isin(keep)].replace({"unit": rename})
    computation = dataclasses.replace(card.computation, activity=activity)
    return dataclasses.replace(card, frame=frame, computation=computation)


@pytest.fixture(scope="module")
def small_card(card: Scorecard) -> Scorecard:
    """The county, its areas and a few teams."""
    order = model.units_in_order(card.frame)
    keep = order.loc[order["level"] != "team", "unit"].tolist()
    return subset(card, keep + order.loc[order["level"] == "team", "unit"].tolist()[:6])


@pytest.fixture(scope="module")
def suppressed(small_card: Scorecard, tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("wb") / "suppressed.xlsx"
    return openpyxl.load_workbook(write_workbook(small_card, "2015-05", path, suppress_below=5))


@pytest.fixture(scope="module")
def evil_card(card: Scorecard) -> Scorecard:
    """The fixture with a team renamed to a formula and an indicator titled with a script tag,
    cut down to the county and that team."""
    team = model.units_in_order(card.frame).query("level == 'team'")["unit"].iloc[0]
    evil = subset(card, [card.county, team], {team: EVIL_UNIT})
    frame = evil.frame.assign(title=evil.frame["title"].where(evil.frame["ref"] != 1, EVIL_TITLE))
    return dataclasses.replace(evil, frame=frame)


@pytest.fixture(scope="module")
def evil(evil_card: Scorecard, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("wb") / "evil.xlsx"
    return openpyxl.load_workbook(write_workbook(evil_card, MONTH, path, suppress_below=5))


def units(card: Scorecard) -> list[str]:
    return model.units_in_order(card.frame[card.frame["month"] == MONTH])["unit"].tolist()


def unit_sheet(workbook: openpyxl.Workbook, unit: str) -> Worksheet:
    """The sheet whose title cell names ``unit``."""
    for ws in workbook.worksheets[1:-1]:
        if ws["A1"].value == f"Scorecard - {unit}":
            return ws
    raise KeyError(unit)


def column(ws: Worksheet, starts: str) -> int:
    """1-based column of the unit table's header cell starting with ``starts``."""
    for cell in ws[HEADER_ROW]:
        if isinstance(cell.value, str) and cell.value.startswith(starts):
            return cell.column
    raise KeyError(starts)


def table_rows(ws: Worksheet) -> Iterator[tuple[int, int]]:
    """(row, ref) of the unit table's indicator rows (group rows and exceptions skipped)."""
    assert ws.cell(HEADER_ROW, 1).value == "Ref"
    row = HEADER_ROW + 1
    while ws.cell(row, 1).value is not None:
        ref = ws.cell(row, 1).value
        if isinstance(ref, int):
            yield row, ref
        row += 1


def exception_refs(ws: Worksheet) -> list[int]:
    refs = []
    for (value,) in ws.iter_rows(min_col=1, max_col=1, values_only=True):
        match = EXCEPTION.match(value) if isinstance(value, str) else None
        if match:
            refs.append(int(match[1]))
    return refs


def rated(card: Scorecard, unit: str) -> pd.DataFrame:
    return model.unit_table(card.frame, unit, MONTH).set_index("ref")


def every_cell(workbook: openpyxl.Workbook) -> Iterator[Any]:
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            yield from row


# ------------------------------------------------------------------------------------------------
# Layout


def test_sheets_are_contents_units_in_order_then_activity(card: Scorecard, book) -> None:
    names = units(card)
    assert book.sheetnames == [
        CONTENTS_SHEET,
        *sheet_names(names, reserved=(CONTENTS_SHEET, ACTIVITY_SHEET, QUALITY_SHEET)),
        ACTIVITY_SHEET,
        QUALITY_SHEET,  # the card comes with its data-quality report
    ]
    titles = [ws["A1"].value for ws in book.worksheets[1:-2]]
    assert titles == [f"Scorecard - {unit}" for unit in names]
    assert titles[0] == "Scorecard - Kent"


def test_contents_links_every_unit_and_states_month_key_and_quality(card: Scorecard, book) -> None:
    ws = book[CONTENTS_SHEET]
    texts = [c.value for c in every_cell_of(ws) if isinstance(c.value, str)]
    assert any("May 2015" in t for t in texts)
    assert any("provisional management information" in t for t in texts)
    assert {"Green", "Amber", "Red", "Not rated"} <= set(texts)
    links = {c.value: c.hyperlink.location for c in every_cell_of(ws) if c.hyperlink}
    for unit, sheet in zip(units(card), book.sheetnames[1:-2], strict=True):
        target, cell = links[unit].rsplit("!", 1)
        assert (target.strip("'").replace("''", "'"), cell) == (sheet, "A1")
    assert ACTIVITY_SHEET in "".join(links.values())


def every_cell_of(ws: Worksheet) -> Iterator[Any]:
    for row in ws.iter_rows():
        yield from row


def test_unit_sheet_has_summary_sentence_header_and_print_setup(card: Scorecard, book) -> None:
    for unit in units(card):
        ws = unit_sheet(book, unit)
        # the published summary sentence, then what statistical process control says
        assert ws["A3"].value.startswith(
            card.summary_sentence(unit, MONTH) + " Statistical process control: "
        )
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToHeight == 0
    ws = unit_sheet(book, card.county)
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers[:4] == ["Ref", "Indicator", "Polarity", "Data period"]
    assert "Target 15/16" in headers
    assert "Outturn result (Mar 15)" in headers


def test_groups_head_the_table_in_ref_order(card: Scorecard, book) -> None:
    ws = unit_sheet(book, card.county)
    expected = rated(card, card.county)
    refs = [ref for _, ref in table_rows(ws)]
    assert refs == expected.index.tolist()
    first_row = HEADER_ROW + 1
    assert ws.cell(first_row, 1).value == expected["group"].iloc[0]


# ------------------------------------------------------------------------------------------------
# Figures and RAG fills


def test_latest_results_equal_the_rated_frame(card: Scorecard, book) -> None:
    for unit in units(card):
        ws = unit_sheet(book, unit)
        value_col = column(ws, "Latest result")
        expected = rated(card, unit)
        seen = 0
        for row, ref in table_rows(ws):
            cell = ws.cell(row, value_col)
            want = expected.loc[ref, "value"]
            if pd.isna(want):
                assert cell.value == "-"
                continue
            assert cell.data_type == "n"  # a number with a number format, not text
            assert round(cell.value, 1) == round(float(want), 1)
            if expected.loc[ref, "value_unit"] == "percent":
                assert cell.number_format == '0.0"%"'
            seen += 1
        assert seen > 0


def test_numerators_denominators_and_targets_are_numbers(card: Scorecard, book) -> None:
    ws = unit_sheet(book, card.county)
    expected = rated(card, card.county)
    headers = {"numerator": "Numerator", "denominator": "Denominator", "target": "Target"}
    cols = {name: column(ws, header) for name, header in headers.items()}
    for row, ref in table_rows(ws):
        for name, col in cols.items():
            want = expected.loc[ref, name]
            cell = ws.cell(row, col)
            if pd.isna(want):
                assert cell.value is None
            else:
                assert cell.data_type == "n" and cell.value == pytest.approx(float(want))


def test_rag_fills_match_the_ratings(card: Scorecard, book) -> None:
    colours = {rag: colour.lstrip("#").upper() for rag, colour in model.RAG_COLOURS.items()}
    grey = model.NOT_RATED_COLOUR.lstrip("#").upper()
    found = set()
    for unit in units(card):
        ws = unit_sheet(book, unit)
        value_col, rag_col = column(ws, "Latest result"), column(ws, "RAG")
        expected = rated(card, unit)
        for row, ref in table_rows(ws):
            rag = expected.loc[ref, "rag"]
            fill = ws.cell(row, value_col).fill
            want = grey if pd.isna(rag) else colours[rag]
            assert fill.fill_type == "solid"
            assert fill.fgColor.rgb[-6:].upper() == want
            # no rating: the words of the state (here worked out from rag_note), not "Not rated"
            state = expected.loc[ref, "state"]
            words = (
                RatingState(state).label
                if pd.isna(rag)
                else {"R": "Red", "A": "Amber", "G": "Green"}[rag]
            )
            assert ws.cell(row, rag_col).value == words
            found.add("-" if pd.isna(rag) else rag)
    assert found == {"R", "A", "G", "-"}  # the fixture exercises every colour


def test_direction_of_travel_arrows(card: Scorecard, book) -> None:
    ws = unit_sheet(book, card.county)
    expected = rated(card, card.county)
    col = column(ws, "DoT from previous")
    for row, ref in table_rows(ws):
        dot = expected.loc[ref, "dot_previous"]
        assert ws.cell(row, col).value == (None if pd.isna(dot) else model.DOT_ARROWS[dot])


# ------------------------------------------------------------------------------------------------
# Exception reports


def test_exception_reports_exactly_for_red_indicators(card: Scorecard, book, plain: Path) -> None:
    total = 0
    for unit in units(card):
        ws = unit_sheet(book, unit)
        reds = model.red_indicators(card.frame, unit, MONTH)
        refs = [card.registry[i].ref for i in reds]
        assert exception_refs(ws) == refs
        total += len(refs)
    assert total > 0
    with zipfile.ZipFile(plain) as archive:
        charts = [n for n in archive.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)]
    assert len(charts) == total  # one native line chart per exception report


def test_exception_report_trend_and_notes(card: Scorecard, book) -> None:
    unit = next(u for u in units(card) if model.red_indicators(card.frame, u, MONTH))
    indicator = model.red_indicators(card.frame, unit, MONTH)[0]
    ws = unit_sheet(book, unit)
    top = next(c.row for c in ws["A"] if isinstance(c.value, str) and EXCEPTION.match(c.value))
    month_col = 2
    head = next(r for r in range(top, top + 6) if ws.cell(r, month_col).value == "Month")
    result_col = next(c.column for c in ws[head] if c.value == "Result")
    target_col = next(c.column for c in ws[head] if c.value == "Target in force")
    trend = model.trend(card.frame, indicator, unit, MONTH, 4).set_index("month")
    months = pd.period_range(MONTH - 3, MONTH, freq="M")
    for i, month in enumerate(months, start=1):
        assert ws.cell(head + i, month_col).value == month.strftime("%b %y")
        value = trend["value"].get(month)
        cell = ws.cell(head + i, result_col)
        if value is None or pd.isna(value):
            assert cell.value == "-"
        else:
            assert round(cell.value, 1) == round(value, 1)
        target = trend["target"].get(month)
        if target is not None and pd.notna(target):
            assert ws.cell(head + i, target_col).value == pytest.approx(target)
    notes = model.data_notes(card.registry[indicator], card.registry, MONTH)
    texts = {c.value for row in ws.iter_rows(min_row=head, max_row=head + 20) for c in row}
    assert set(notes) <= texts
    assert set(notes.values()) <= texts


# ------------------------------------------------------------------------------------------------
# Activity


def test_activity_sheet(card: Scorecard, book) -> None:
    ws = book[ACTIVITY_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[3][:4] == ("Activity", "May 2015", "April 2015", "Change")
    expected = model.activity_table(card.computation.activity, card.county, MONTH)
    start = next(i for i, r in enumerate(rows) if r[0] == card.county)
    for offset, record in enumerate(expected.itertuples(), start=1):
        label, now, before, change = rows[start + offset][:4]
        assert label == record.activity
        assert now == record.this_month and before == record.last_month
        assert change == record.change
    names = set(units(card))
    headings = [r[0] for r in rows if r[0] in names]
    assert headings == units(card)


# ------------------------------------------------------------------------------------------------
# Publication safety


def test_suppression_writes_c(small_card: Scorecard, suppressed) -> None:
    card = small_card
    hidden = model.suppress_small_counts(card.frame, 5, card.computation.units)
    hidden = hidden[hidden["month"] == MONTH]
    assert hidden["suppressed"].any()
    checked = 0
    for unit in units(card):
        ws = unit_sheet(suppressed, unit)
        cols = [column(ws, h) for h in ("Latest result", "Numerator", "Denominator")]
        flags = hidden[hidden["unit"] == unit].set_index("ref")["suppressed"]
        for row, ref in table_rows(ws):
            values = [ws.cell(row, c).value for c in cols]
            if flags[ref]:
                assert values == ["c", "c", "c"]
                checked += 1
            else:  # nothing from 1 to 4 is shown
                assert not any(isinstance(v, (int, float)) and 0 < v < 5 for v in values[1:])
    assert checked > 0


def test_suppression_withholds_small_activity_counts(suppressed) -> None:
    ws = suppressed[ACTIVITY_SHEET]
    values = [c.value for row in ws.iter_rows(min_row=5, min_col=2, max_col=3) for c in row]
    assert "c" in values
    assert not any(isinstance(v, (int, float)) and 0 < v < 5 for v in values)


def test_suppression_withholds_previous_results_of_withheld_months(
    small_card: Scorecard, suppressed
) -> None:
    card = small_card
    hidden = model.suppress_small_counts(card.frame, 5, card.computation.units)
    previous = hidden[(hidden["month"] == MONTH - 1) & hidden["suppressed"]]
    assert not previous.empty
    for unit, rows in previous.groupby("unit"):
        ws = unit_sheet(suppressed, unit)
        col = column(ws, "Previous result")
        refs = set(rows["ref"])
        for row, ref in table_rows(ws):
            if ref in refs:
                assert ws.cell(row, col).value == "c"


def test_formula_and_markup_in_data_are_stored_as_plain_strings(evil_card: Scorecard, evil) -> None:
    assert len(evil.sheetnames) == 5  # contents, county, the team, activity, data quality
    team_sheet = evil.worksheets[2]
    assert team_sheet["A1"].value == f"Scorecard - {EVIL_UNIT}"
    assert len(team_sheet.title) <= MAX_SHEET_NAME
    assert not set(team_sheet.title) & set("[]:*?/\\")
    contents = [c for c in every_cell_of(evil[CONTENTS_SHEET]) if c.value == EVIL_UNIT]
    activity = [c for c in every_cell_of(evil[ACTIVITY_SHEET]) if c.value == EVIL_UNIT]
    titles = [c for c in every_cell(evil) if c.value == EVIL_TITLE]
    assert contents and activity and len(titles) >= 2  # the county's and the team's tables
    for cell in [*contents, *activity, *titles]:
        assert cell.data_type == "s"
    for cell in [*contents, *activity]:  # Excel's "'" prefix: stays text even when edited
        assert cell.quotePrefix
    assert all(c.data_type != "f" for c in every_cell(evil))  # the workbook holds no formula
    sentence = team_sheet["A3"]
    assert sentence.data_type == "s" and EVIL_UNIT in sentence.value


def test_aggregates_only_no_child_ids(card: Scorecard, book) -> None:
    ids = set()
    for rows in card.computation.records.values():
        ids |= set(rows["child_id"].astype(str))
    assert ids
    strings = {c.value for c in every_cell(book) if isinstance(c.value, str)}
    assert not strings & ids


# ------------------------------------------------------------------------------------------------
# Sheet names and errors


def test_sheet_names_are_valid_and_unique() -> None:
    names = sheet_names(
        [
            "Central Duty/Out of Hours/Central Referral Unit",
            "central duty/out of hours/central referral unit (again)",
            "A[1]:*?\\",
            "'quoted'",
            "Contents",
            "history",
            "",
            "x" * 40,
            "X" * 40,
        ],
        reserved=("Contents", "Activity"),
    )
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= MAX_SHEET_NAME
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'") and not name.endswith("'")
    assert names[0] == "Central Duty-Out of Hours-Centr"
    assert names[1].endswith(" (2)")
    assert names[4] == "Contents (2)" and names[5] == "history (2)"
    assert names[8] == "X" * 27 + " (2)"


def test_unknown_month_raises(card: Scorecard, tmp_path: Path) -> None:
    with pytest.raises(KeyError):
        write_workbook(card, "2010-01", tmp_path / "none.xlsx")


def test_exception_charts_draw_the_process_limits(card: Scorecard, book, plain: Path) -> None:
    """Every exception chart has the SPC process limits as two series (issue 13: limits on every
    chart), read from hidden helper columns holding the frame's spc_lower / spc_upper."""
    with zipfile.ZipFile(plain) as archive:
        names = [n for n in archive.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)]
        xml = [archive.read(n).decode("utf-8") for n in names]
    assert xml and all("Lower process limit" in x and "Upper process limit" in x for x in xml)
    unit = next(u for u in units(card) if model.red_indicators(card.frame, u, MONTH))
    indicator = model.red_indicators(card.frame, unit, MONTH)[0]
    ws = unit_sheet(book, unit)
    header = next(
        c for row in ws.iter_rows() for c in row if c.value == "Upper process limit (chart)"
    )
    frame = model.publication_frame(card, None)
    expected = frame[(frame["indicator"] == indicator) & (frame["unit"] == unit)
                     & (frame["month"] == MONTH)]["spc_upper"].iloc[0]  # fmt: skip
    written = [ws.cell(r, header.column).value for r in range(header.row + 1, header.row + 5)]
    assert written[-1] == pytest.approx(expected)

"""The scorecard as an Excel workbook, laid out like the published report.

>>> from scorecard.reports.workbook import write_workbook
>>> write_workbook(card, "2015-05", "scorecard_2015-05.xlsx", suppress_below=5)  # doctest: +SKIP

Sheets, in order:

``Contents``
    The month, a link to every unit's sheet with its count of Green/Amber/Red ratings, the
    data-quality note (provisional management information), the suppression note, and the keys:
    RAG colours, polarity, direction of travel and data periods.
one sheet per unit (the county, then its areas, then its teams)
    "Scorecard - <unit>", the summary sentence, then the table grouped under the published
    headings (ref, indicator, polarity, data period, latest result filled with its RAG colour, the
    rating in words, numerator, denominator, target for the financial year, previous result and
    direction of travel, outturn result and direction of travel, notes). Below the table, one
    exception report per Red indicator, each starting a new printed page: title and rating, the
    trend of the last four month-ends (result, rating, numerator, denominator, target in force), a
    native line chart of the result against the target, the data notes, and an empty commentary
    box for the service to complete.
``Activity``
    Per unit: each activity count this month, last month and the change.
``Data quality``
    What was loaded, rows excluded by reason, extracts absent or not read, checks not run and the
    indicators not computable and why (when the scorecard has a quality report; no record ids, no
    paths: :func:`scorecard.reports.model.quality_for_publication`).

A unit sheet lists the indicators that apply to the unit; a row without a rating shows its state
in the RAG column ("below the minimum denominator", "no thresholds for the year", ...), and a
partial figure is marked "partial" in the notes.

Only aggregates are written (the rated frame and the activity counts; never record-level rows).
Figures are numbers with number formats, so they can be summed and charted. Every text that comes
from the data or the registry is written with ``write_string`` in a workbook that turns no string
into a formula or a link; text starting like a formula also gets Excel's quote prefix, so that even
editing the cell keeps it text. With ``suppress_below``, small counts are withheld as in
:func:`scorecard.reports.model.suppress_small_counts` (with secondary suppression over the
organisation) and shown as ``c``, with their ratings and directions, and so are previous and
outturn results whose own month was withheld, and the activity counts withheld likewise.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import quote_sheetname
from xlsxwriter.worksheet import Worksheet

from scorecard.calendar.periods import FinancialYear, to_month
from scorecard.rating.summary import summary_counts
from scorecard.rating.vocabulary import RAG, Direction, RatingState
from scorecard.registry.benchmarks import Comparator
from scorecard.registry.model import Period, Polarity, ValueUnit
from scorecard.reports import model
from scorecard.reports.safety import FORMULA_PREFIXES

if TYPE_CHECKING:
    from scorecard.pipeline import Scorecard

CONTENTS_SHEET = "Contents"
ACTIVITY_SHEET = "Activity"
QUALITY_SHEET = "Data quality"
RATING_COUNTS = ["green", "amber", "red", "not_rated"]
#: Month-ends shown in an exception report's trend table and chart.
TREND_MONTHS = 4
#: Excel's limit on the length of a sheet name (in UTF-16 code units) and the characters it refuses.
MAX_SHEET_NAME = 31
_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
#: Names Excel keeps for itself (case-insensitive).
_RESERVED_SHEET_NAMES = frozenset({"history"})

DATA_QUALITY_NOTE = (
    "Data quality: these figures are provisional management information taken from the case "
    "management system. They are subject to change as records are updated and may differ from "
    "the final figures published in statutory returns."
)
RAG_KEY = {
    RAG.GREEN.value: "Green: current target achieved or exceeded",
    RAG.AMBER.value: "Amber: below the current target but above the minimum standard (floor)",
    RAG.RED.value: "Red: below the minimum standard (floor)",
}
NOT_RATED_KEY = "Not rated: the reason is shown in the RAG column ({})".format(
    ", ".join(
        s.label for s in RatingState if s not in (RatingState.RATED, RatingState.NOT_APPLICABLE)
    )
)
WITHHELD_KEY = (
    "Withheld to protect confidentiality: small numbers, and the figures they could be "
    "worked out from"
)
PARTIAL_KEY = "Partial: a figure over a period the data only partly covers (see the note)"

#: Number formats of results by value unit: a percentage is stored as 93.1 and shown as 93.1%.
VALUE_FORMATS = {
    ValueUnit.PERCENT.value: '0.0"%"',
    ValueUnit.COUNT.value: "#,##0",
    ValueUnit.DAYS.value: "#,##0.0",
    ValueUnit.RATIO.value: "#,##0.0",
    ValueUnit.PER_10000.value: "#,##0.0",
}
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"  # counts of FTE
CHANGE_FORMAT = "+#,##0;-#,##0;0"

_FONT: dict[str, Any] = {"font_name": "Arial", "font_size": 10, "valign": "top"}
_BORDER: dict[str, Any] = {"border": 1, "border_color": "#BFBFBF"}
_HEADER: dict[str, Any] = {
    "bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "text_wrap": True,
    "align": "center", "valign": "vcenter", **_BORDER,
}  # fmt: skip
_GROUP: dict[str, Any] = {"bold": True, "bg_color": "#DDEBF7", **_BORDER}
_BANNER: dict[str, Any] = {
    "bold": True, "font_size": 12, "font_color": "#FFFFFF", "bg_color": "#1F4E79",
}  # fmt: skip
_DOT_COLOURS = {
    Direction.IMPROVED.value: "#1E6B30",
    Direction.SAME.value: "#595959",
    Direction.WORSENED.value: "#A61C1C",
}


@dataclass(frozen=True)
class _Unit:
    """A unit of the workbook: its name in the data, its level and its sheet's name."""

    name: str
    level: str
    sheet: str


@dataclass(frozen=True)
class _Column:
    key: str
    header: str
    width: float


def _columns(period: pd.Period) -> list[_Column]:
    """The unit table's columns; headers name the months and the financial year."""
    fy = FinancialYear.of(period)
    outturn = fy.first_month - 1
    return [
        _Column("ref", "Ref", 5),
        _Column("title", "Indicator", 62),
        _Column("polarity", "Polarity", 8),
        _Column("period", "Data period", 8),
        _Column("value", f"Latest result ({_short(period)})", 11),
        _Column("rag", "RAG", 9),
        _Column("numerator", "Numerator", 11),
        _Column("denominator", "Denominator", 12),
        _Column("target", f"Target {fy.start % 100:02d}/{(fy.start + 1) % 100:02d}", 9),
        _Column("previous_value", f"Previous result ({_short(period - 1)})", 11),
        _Column("dot_previous", "DoT from previous", 12),
        _Column("outturn_value", f"Outturn result ({_short(outturn)})", 11),
        _Column("dot_outturn", "DoT from outturn", 12),
        _Column("notes", "Notes", 34),
    ]


def _short(period: pd.Period) -> str:
    return period.strftime("%b %y")


def _long(period: pd.Period) -> str:
    return period.strftime("%B %Y")


# --------------------------------------------------------------------------------------------
# Sheet names


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _truncate(text: str, limit: int) -> str:
    while _utf16_len(text) > limit:
        text = text[:-1]
    return text


def _clean_sheet_name(name: str, limit: int = MAX_SHEET_NAME) -> str:
    cleaned = re.sub(r"\s+", " ", _INVALID_SHEET_CHARS.sub("-", str(name))).strip()
    cleaned = _truncate(cleaned, limit).strip().strip("'").strip()
    return cleaned or "Unit"


def sheet_names(units: Iterable[str], reserved: Iterable[str] = ()) -> list[str]:
    """Valid, unique Excel sheet names for ``units`` (in order).

    Characters Excel refuses (``[]:*?/\\`` and control characters) become ``-``, names are cut to
    31 characters, may not start or end with an apostrophe, and a name already taken (ignoring
    case, as Excel does, and including ``reserved``) gets a suffix `` (2)``, `` (3)``, ...
    """
    taken = {r.lower() for r in reserved} | set(_RESERVED_SHEET_NAMES)
    names = []
    for unit in units:
        base = _clean_sheet_name(unit)
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            suffix = f" ({n})"
            name = _clean_sheet_name(base, MAX_SHEET_NAME - len(suffix)) + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def _internal_link(sheet: str, cell: str = "A1") -> str:
    return f"internal:{quote_sheetname(sheet)}!{cell}"


# --------------------------------------------------------------------------------------------
# Cell writing


class _Styles:
    """Formats created once per distinct set of properties (Excel caps a file's formats)."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._cache: dict[tuple[tuple[str, Any], ...], Format] = {}
        #: the same formats by the properties as given (in their order): found without sorting
        self._given: dict[tuple[tuple[str, Any], ...], Format] = {}

    def __call__(self, **properties: Any) -> Format:
        given = tuple(properties.items())
        found = self._given.get(given)
        if found is not None:
            return found
        merged = {**_FONT, **properties}
        key = tuple(sorted(merged.items()))
        if key not in self._cache:
            self._cache[key] = self._workbook.add_format(merged)
        self._given[given] = self._cache[key]
        return self._cache[key]


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and math.isnan(value))  # fmt: skip


def _text(ws: Worksheet, styles: _Styles, row: int, col: int, value: Any, **style: Any) -> None:
    """Write text that can never become a formula or a link (blank when missing)."""
    if _missing(value):
        ws.write_blank(row, col, None, styles(**style))
        return
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        style = {**style, "quote_prefix": True}
    ws.write_string(row, col, text, styles(**style))


def _link(
    ws: Worksheet, styles: _Styles, row: int, col: int, sheet: str, text: str, **style: Any
) -> None:
    """A link to cell A1 of ``sheet`` showing ``text`` (stored as a string, never a formula)."""
    style = {"font_color": "#0563C1", "underline": 1, **style}
    if text.startswith(FORMULA_PREFIXES):
        style["quote_prefix"] = True
    ws.write_url(row, col, _internal_link(sheet), styles(**style), string=text)


def _merged_text(
    ws: Worksheet, styles: _Styles, row: int, first: int, last: int, value: Any, **style: Any
) -> None:
    """Text across the cells ``first..last`` of a row (merged; the text is written as a string)."""
    if last > first:
        ws.merge_range(row, first, row, last, "", styles(**style))
    _text(ws, styles, row, col=first, value=value, **style)


def _number(
    ws: Worksheet,
    styles: _Styles,
    row: int,
    col: int,
    value: Any,
    num_format: str,
    *,
    missing: str = "",
    **style: Any,
) -> None:
    """Write a number with a number format; ``missing`` (e.g. ``-``) when there is none."""
    if _missing(value) or not math.isfinite(float(value)):
        if missing:
            ws.write_string(row, col, missing, styles(align="center", **style))
        else:
            ws.write_blank(row, col, None, styles(**style))
        return
    ws.write_number(row, col, float(value), styles(num_format=num_format, **style))


def _withheld(ws: Worksheet, styles: _Styles, row: int, col: int, **style: Any) -> None:
    ws.write_string(row, col, model.SUPPRESSED, styles(align="center", **style))


def _rows_for(text: str, width: float) -> int:
    """Lines a wrapped text needs in a cell ``width`` characters wide (an estimate)."""
    return max(1, math.ceil(len(text) * 1.1 / max(width, 1)))


# --------------------------------------------------------------------------------------------
# Publication: suppression


# --------------------------------------------------------------------------------------------
# The workbook


def write_workbook(
    card: Scorecard,
    month: object,
    path: str | Path,
    *,
    suppress_below: int | None = None,
    build_note: str | None = None,
    units: Collection[str] | None = None,
    prepared: model.Publication | None = None,
) -> Path:
    """Write the scorecard of ``month`` (every unit, or the ``units`` named) to an .xlsx file at
    ``path``; return the path.

    ``suppress_below``: withhold (show ``c``) numerators, denominators and results built from a
    count from 1 to ``suppress_below - 1``, and such activity counts. ``None`` withholds nothing.
    ``prepared``: what the build's outputs share (:class:`model.Publication` of the same card,
    month and ``suppress_below``). Raises ``KeyError`` when the scorecard has no results for
    ``month``.
    """
    period = to_month(month)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    prepared = model.Publication.of(prepared, card, period, suppress_below)
    frame = prepared.frame
    this_month = prepared.current
    if this_month.empty:
        raise KeyError(f"no results for {period} in the scorecard")
    ordered = model.units_in_order(this_month)
    if units is not None:  # the units chosen (names as the scorecard spells them)
        ordered = ordered[ordered["unit"].isin(list(units))]
        if ordered.empty:
            raise KeyError(f"none of the units {sorted(units)} has results for {period}")
    names = [str(u) for u in ordered["unit"]]
    sheets = sheet_names(names, reserved=(CONTENTS_SHEET, ACTIVITY_SHEET, QUALITY_SHEET))
    levels = [str(level) for level in ordered["level"]]
    units = [_Unit(*unit) for unit in zip(names, levels, sheets, strict=True)]
    tables = prepared.unit_rows  # every unit's table of the month, in one pass
    window = frame[(frame["month"] >= period - (TREND_MONTHS - 1)) & (frame["month"] <= period)]
    points = _red_points(window, tables)
    notes = _unit_notes(tables)

    workbook = Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": False,
            # the sheets' XML is assembled in memory, not in temporary files (faster; a county's
            # workbook is a few MB)
            "in_memory": True,
        },
    )
    workbook.set_properties(
        {
            "title": f"Performance scorecard - {card.county} - {_long(period)}",
            "subject": "Children's social care performance scorecard",
            "comments": "Provisional management information; aggregates only.",
        }
    )
    styles = _Styles(workbook)
    contents = workbook.add_worksheet(CONTENTS_SHEET)
    unit_sheets = [workbook.add_worksheet(unit.sheet) for unit in units]
    activity = workbook.add_worksheet(ACTIVITY_SHEET)
    quality = workbook.add_worksheet(QUALITY_SHEET) if card.quality is not None else None

    shown = model.applicable(this_month)
    counts = summary_counts(shown).set_index("unit")[RATING_COUNTS].to_dict("index")
    _write_contents(contents, styles, card, period, units, counts, suppress_below)
    columns = _columns(period)
    sentences = prepared.sentences  # over the rows that apply
    texts = prepared.exception_texts
    for unit, ws in zip(units, unit_sheets, strict=True):
        _write_unit_sheet(
            workbook, ws, styles, card, points.get(unit.name, {}), unit, period, columns,
            suppress_below, sentences[unit.name], tables.get(unit.name, []), texts,
            notes.get(unit.name, []),
        )  # fmt: skip
    _write_activity(activity, styles, card, prepared.activity_tables, period, units,
                    suppress_below)  # fmt: skip
    if quality is not None:
        _write_quality(quality, styles, card, period, prepared.quality)
    if build_note:  # footer: which build this is (scorecard.reports.publish writes its manifest)
        _text(contents, styles, contents.dim_rowmax + 2, 0, build_note, italic=True, font_size=8)
        for sheet in workbook.worksheets():
            sheet.set_footer(f"&LProvisional management information&C&6{build_note.replace('&', '&&')}"
                             "&RPage &P of &N")  # fmt: skip
        workbook.set_custom_property("Scorecard build", build_note)
    contents.activate()
    workbook.close()  # only now is the file written: a failure above leaves no partial file
    return path


def _write_contents(
    ws: Worksheet,
    styles: _Styles,
    card: Scorecard,
    period: pd.Period,
    units: list[_Unit],
    counts: Mapping[Any, Mapping[Any, Any]],
    suppress_below: int | None,
) -> None:
    """The first sheet: month, data-quality note, links to the sheets, keys."""
    widths = [34, 30, 9, 9, 9, 9, 10]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    last = len(widths) - 1
    as_at = period.to_timestamp(how="end").strftime("%d/%m/%Y")
    _merged_text(ws, styles, 0, 0, last, f"Performance scorecard - {card.county}",
                 bold=True, font_size=14)  # fmt: skip
    _text(ws, styles, 1, 0, f"Reporting month: {_long(period)} (figures as at {as_at})", bold=True)
    ws.set_row(2, 15 * _rows_for(DATA_QUALITY_NOTE, sum(widths)))
    _merged_text(ws, styles, 2, 0, last, DATA_QUALITY_NOTE, text_wrap=True, italic=True)
    row = 3
    if suppress_below is not None:
        note = (
            f"Counts from 1 to {suppress_below - 1} are withheld to protect confidentiality and "
            f'shown as "{model.SUPPRESSED}", with the results built from them.'
        )
        _merged_text(ws, styles, row, 0, last, note, italic=True)
        row += 1

    row += 1
    _text(ws, styles, row, 0, "Sheets", bold=True, font_size=12)
    row += 1
    headers = ["Unit (link to its sheet)", "Sheet", "Level", "Green", "Amber", "Red", "Not rated"]
    for col, header in enumerate(headers):
        _text(ws, styles, row, col, header, **_HEADER)
    row += 1
    cell = styles(**_BORDER)
    for unit in units:
        _link(ws, styles, row, 0, unit.sheet, unit.name, **_BORDER)
        _text(ws, styles, row, 1, unit.sheet, **_BORDER)
        _text(ws, styles, row, 2, unit.level.capitalize(), **_BORDER)
        found = counts.get(unit.name, {})
        for col, name in enumerate(RATING_COUNTS, start=3):
            ws.write_number(row, col, int(found.get(name, 0)), cell)
        row += 1
    _link(ws, styles, row, 0, ACTIVITY_SHEET, "Activity (all units)", **_BORDER)
    _text(ws, styles, row, 1, ACTIVITY_SHEET, **_BORDER)
    row += 1
    if card.quality is not None:
        _link(ws, styles, row, 0, QUALITY_SHEET, "Data quality (what the figures come from)",
              **_BORDER)  # fmt: skip
        _text(ws, styles, row, 1, QUALITY_SHEET, **_BORDER)
        row += 1
    row += 1

    _text(ws, styles, row, 0, "RAG key", bold=True, font_size=12)
    row += 1
    for rag, words in RAG_KEY.items():
        _text(ws, styles, row, 0, RAG(rag).label, bg_color=model.RAG_COLOURS[rag], **_BORDER)
        _merged_text(ws, styles, row, 1, last, words)
        row += 1
    _text(ws, styles, row, 0, "Not rated", bg_color=model.NOT_RATED_COLOUR, **_BORDER)
    _merged_text(ws, styles, row, 1, last, NOT_RATED_KEY)
    row += 1
    if suppress_below is not None:
        _text(ws, styles, row, 0, model.SUPPRESSED, align="center", **_BORDER)
        _merged_text(ws, styles, row, 1, last, WITHHELD_KEY)
        row += 1
    _text(ws, styles, row, 0, model.PARTIAL, align="center", italic=True, **_BORDER)
    _merged_text(ws, styles, row, 1, last, PARTIAL_KEY)
    row += 2

    _text(ws, styles, row, 0, "Polarity", bold=True, font_size=12)
    row += 1
    for polarity in Polarity:
        _text(ws, styles, row, 0, polarity.value, align="center", **_BORDER)
        _merged_text(ws, styles, row, 1, last, polarity.in_words)
        row += 1
    row += 1
    _text(ws, styles, row, 0, "Direction of travel (DoT)", bold=True, font_size=12)
    row += 1
    for direction, arrow in model.DOT_ARROWS.items():
        _text(ws, styles, row, 0, arrow, font_color=_DOT_COLOURS[direction], **_BORDER)
        _merged_text(ws, styles, row, 1, last, f"Performance has {direction} (judged with the "
                     "polarity; for T, by the distance from the target)" if direction != "same"
                     else "Performance has remained the same")  # fmt: skip
        row += 1
    row += 1
    _text(ws, styles, row, 0, "Data period", bold=True, font_size=12)
    row += 1
    for data_period in Period:
        _text(ws, styles, row, 0, data_period.value, align="center", **_BORDER)
        ws.set_row(row, 15 * _rows_for(data_period.in_words, sum(widths[1:])))
        _merged_text(ws, styles, row, 1, last, data_period.in_words, text_wrap=True)
        row += 1

    ws.hide_gridlines(2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _write_unit_sheet(
    workbook: Workbook,
    ws: Worksheet,
    styles: _Styles,
    card: Scorecard,
    points: Mapping[str, Mapping[pd.Period, Mapping[str, Any]]],
    the_unit: _Unit,
    period: pd.Period,
    columns: list[_Column],
    suppress_below: int | None,
    sentence: str,
    records: list[dict[str, Any]],
    texts: Mapping[tuple[str, str], tuple[str, bool]],
    notes: list[str | None],
) -> None:
    """Title, summary sentence (``sentence``), grouped table (``records``: its rows, from
    :func:`model.unit_rows`; ``notes``: their notes column, from :func:`_unit_notes`) and the
    exception reports of one unit (``points``: the months of its Red indicators, from
    :func:`_red_points`; their commentary from ``texts``: see
    :func:`scorecard.reports.movement.exception_texts`)."""
    unit = the_unit.name
    columns = _with_comparators(columns, records)
    last = len(columns) - 1
    width = sum(c.width for c in columns)
    for col, column in enumerate(columns):
        ws.set_column(col, col, column.width)
    _text(ws, styles, 0, 0, f"Scorecard - {unit}", bold=True, font_size=14)
    _text(ws, styles, 1, 0,
          f"{the_unit.level.capitalize()} - {_long(period)} - provisional management information",
          italic=True, font_color="#595959")  # fmt: skip
    ws.set_row(2, 15 * _rows_for(sentence, width))
    _merged_text(ws, styles, 2, 0, last, sentence, text_wrap=True, valign="top")
    if suppress_below is not None:
        _merged_text(ws, styles, 3, 0, last,
                     f'"{model.SUPPRESSED}": withheld (a count from 1 to {suppress_below - 1}).',
                     italic=True)  # fmt: skip
    header_row = 4
    for col, column in enumerate(columns):
        _text(ws, styles, header_row, col, column.header, **_HEADER)
    ws.set_row(header_row, 30)

    row = header_row + 1
    group = None
    for record, note in zip(records, notes, strict=True):
        if record["group"] != group:
            group = record["group"]
            _merged_text(ws, styles, row, 0, last, group, **_GROUP)
            row += 1
        _write_indicator_row(ws, styles, row, record, columns, note)
        row += 1

    ws.freeze_panes(header_row + 1, 0)
    ws.repeat_rows(header_row)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&LProvisional management information&RPage &P of &N")
    ws.hide_gridlines(2)

    breaks = []
    row += 2
    reds = [r["indicator"] for r in records if r["rag"] == RAG.RED.value]  # model.red_indicators
    for indicator in reds:
        breaks.append(row)
        row = _write_exception(
            workbook, ws, styles, card, points.get(indicator, {}), unit, period, indicator, row,
            columns, texts.get((indicator, unit)),
        )
    if breaks:
        ws.set_h_pagebreaks(breaks)


def _red_points(
    window: pd.DataFrame, tables: Mapping[str, list[dict[str, Any]]]
) -> dict[str, dict[str, dict[pd.Period, dict[str, Any]]]]:
    """``{unit: {indicator: {month: point}}}``: the months of ``window`` (the rows of the trend
    months) of every indicator rated Red in a unit's table (``tables``: :func:`model.unit_rows`),
    each point with the columns an exception report shows, read in one pass for every unit."""
    reds = {(unit, r["indicator"]) for unit, rows in tables.items() for r in rows
            if r["rag"] == RAG.RED.value}  # fmt: skip
    if not reds:
        return {}
    chosen = window[window["indicator"].isin({indicator for _, indicator in reds})]
    # the rows of the Red pairs only (a few of the units' rows), read as records once
    pairs = zip(chosen["unit"].tolist(), chosen["indicator"].tolist(), strict=True)
    chosen = chosen[np.asarray([(str(u), i) in reds for u, i in pairs], dtype=bool)]
    wanted = ["indicator", "month", *(c for c in _NO_POINT if c in chosen.columns)]
    out: dict[str, dict[str, dict[pd.Period, dict[str, Any]]]] = {}
    for unit, point in zip(chosen["unit"].tolist(), chosen[wanted].to_dict("records"), strict=True):
        mine = out.setdefault(str(unit), {}).setdefault(point["indicator"], {})
        mine[point["month"]] = point
    return out


def _unit_notes(tables: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[str | None]]:
    """:func:`_notes` of every unit's table (``tables``: :func:`model.unit_rows`), in one pass."""
    every = [record for rows in tables.values() for record in rows]
    notes = iter(_notes(every))
    return {unit: [next(notes) for _ in rows] for unit, rows in tables.items()}


def _notes(records: list[dict[str, Any]]) -> list[str | None]:
    """The notes column of a unit table, one text per record: the partial mark, the rating's note
    and the computation's note, each fit for publication (:func:`model.publishable_text`, run once
    over every piece of the table), joined with "; "; ``None`` when there is none."""
    pieces: list[str] = []
    owner: list[int] = []
    for i, record in enumerate(records):
        notes = [model.partial_text(record["partial"], record["partial_note"])]
        notes += [str(record[k]) for k in ("rag_note", "note") if not _missing(record[k])]
        for note in notes:
            if note:
                pieces.append(note)
                owner.append(i)
    shown: list[list[str]] = [[] for _ in records]
    text = model.publishable_text(pd.Series(pieces, dtype="string"))
    for i, words in zip(owner, text.tolist(), strict=True):
        if not _missing(words):
            shown[i].append(words)
    return ["; ".join(words) or None for words in shown]


def _write_indicator_row(
    ws: Worksheet,
    styles: _Styles,
    row: int,
    record: Mapping[Any, Any],
    columns: list[_Column],
    notes: str | None,
) -> None:
    """One row of a unit table (one indicator); ``notes``: its notes column (:func:`_notes`)."""
    value_format = VALUE_FORMATS[str(record["value_unit"])]
    rag = record["rag"]
    rated = not _missing(rag)
    fill = model.RAG_COLOURS[rag] if rated else model.NOT_RATED_COLOUR
    for col, column in enumerate(columns):
        key = column.key
        if key == "ref":
            ws.write_number(row, col, int(record["ref"]), styles(align="center", **_BORDER))
        elif key == "title":
            _text(ws, styles, row, col, record["title"], text_wrap=True, **_BORDER)
        elif key in ("polarity", "period"):
            _text(ws, styles, row, col, record[key], align="center", **_BORDER)
        elif key == "value":
            if record["suppressed"]:
                _withheld(ws, styles, row, col, bold=True, bg_color=fill, **_BORDER)
            else:
                _number(ws, styles, row, col, record["value"], value_format, missing="-",
                        bold=True, bg_color=fill, **_BORDER)  # fmt: skip
        elif key == "rag":
            if record["suppressed"]:
                label = model.SUPPRESSED
            else:
                label = RAG(rag).label if rated else model.state_label(record["state"])
            _text(ws, styles, row, col, label, align="center", bg_color=fill, text_wrap=True,
                  **_BORDER)  # fmt: skip
        elif key in ("numerator", "denominator"):
            if record["suppressed"]:
                _withheld(ws, styles, row, col, **_BORDER)
            else:
                number = record[key]
                fmt = INTEGER_FORMAT if _missing(number) or float(number).is_integer() else (
                    DECIMAL_FORMAT)  # fmt: skip
                _number(ws, styles, row, col, number, fmt, **_BORDER)
        elif key == "target":
            _number(ws, styles, row, col, record["target"], value_format, **_BORDER)
        elif key in ("previous_value", "outturn_value"):
            if record[key.replace("_value", "_suppressed")]:
                _withheld(ws, styles, row, col, **_BORDER)
            else:
                _number(ws, styles, row, col, record[key], value_format, missing="-", **_BORDER)
        elif key in ("dot_previous", "dot_outturn"):
            direction = record[key]
            if _missing(direction):
                ws.write_blank(row, col, None, styles(**_BORDER))
            else:
                _text(ws, styles, row, col, model.DOT_ARROWS[direction],
                      font_color=_DOT_COLOURS[direction], **_BORDER)  # fmt: skip
        elif key == "notes":
            _text(ws, styles, row, col, notes, text_wrap=True, font_color="#595959", **_BORDER)
        elif key in _COMPARATOR_KEYS:
            _number(ws, styles, row, col, record.get(key), value_format, **_BORDER)
            source = record.get(f"{key}_source")
            if not _missing(record.get(key)) and not _missing(source):
                ws.write_comment(row, col, f"Source: {source}")
        else:  # pragma: no cover - every column of _columns and _with_comparators is written
            raise AssertionError(f"unknown column {key!r}")


#: Comparator columns of a unit table (values from data/benchmarks; their source as a cell comment).
_COMPARATOR_KEYS = {c.column: c for c in Comparator}


def _with_comparators(columns: list[_Column], records: list[dict[str, Any]]) -> list[_Column]:
    """``columns`` with, before the notes, a column for each comparator (England, region,
    statistical neighbours) that has a value on at least one of ``records`` (in practice on the
    county's sheet: the comparators describe the whole authority)."""
    extra = [
        _Column(key, comparator.label, 10)
        for key, comparator in _COMPARATOR_KEYS.items()
        if any(not _missing(r.get(key)) for r in records)
    ]
    at = next((i for i, c in enumerate(columns) if c.key == "notes"), len(columns))
    return [*columns[:at], *extra, *columns[at:]]


#: A month without results in an exception report's trend table (shown as "-").
_NO_POINT = dict.fromkeys(
    ["value", "numerator", "denominator", "target", "rag", "state", "suppressed", "spc_lower",
     "spc_upper"], np.nan,
)  # fmt: skip


def _write_exception(
    workbook: Workbook,
    ws: Worksheet,
    styles: _Styles,
    card: Scorecard,
    by_month: Mapping[pd.Period, Mapping[str, Any]],
    unit: str,
    period: pd.Period,
    indicator_id: str,
    top: int,
    columns: list[_Column],
    commentary: tuple[str, bool] | None = None,
) -> int:
    """One exception report from row ``top``; return the first free row below it. ``by_month``:
    the indicator's results for the unit by month (a month without any shows "-");
    ``commentary``: its text and whether it was drafted from the figures."""
    indicator = card.registry[indicator_id]
    col = {c.key: i for i, c in enumerate(columns)}
    last = len(columns) - 1
    value_format = VALUE_FORMATS[indicator.unit.value]

    banner = f"Exception report - ref {indicator.ref}: {indicator.title}"
    _merged_text(ws, styles, top, 0, last, banner, **_BANNER)
    ws.set_row(top, 20)
    red = model.RAG_COLOURS[RAG.RED.value]
    _text(ws, styles, top + 1, 1, f"{unit} - {_long(period)}", bold=True)
    _text(ws, styles, top + 1, col["value"] - 1, "Rating", bold=True, align="right")
    _text(ws, styles, top + 1, col["value"], RAG.RED.label, bold=True, align="center",
          bg_color=red, **_BORDER)  # fmt: skip

    # Trend table: the last TREND_MONTHS month-ends (a month without results shows "-").
    months = pd.period_range(period - (TREND_MONTHS - 1), period, freq="M")
    trend = [{**_NO_POINT, **by_month.get(month, {}), "month": month} for month in months]
    head = top + 3
    trend_columns = {
        1: "Month", col["value"]: "Result", col["rag"]: "RAG", col["numerator"]: "Numerator",
        col["denominator"]: "Denominator", col["target"]: "Target in force",
    }  # fmt: skip
    for c, header in trend_columns.items():
        _text(ws, styles, head, c, header, **_HEADER)
    # Hidden helper columns hold the charted numbers only (a "c" or "-" would plot as zero).
    value_helper, target_helper = last + 2, last + 3
    lower_helper, upper_helper = last + 4, last + 5  # the SPC process limits (scorecard.rating.spc)
    ws.set_column(value_helper, upper_helper, None, None, {"hidden": True})
    _text(ws, styles, head, value_helper, "Result (chart)")
    _text(ws, styles, head, target_helper, "Target (chart)")
    _text(ws, styles, head, lower_helper, "Lower process limit (chart)")
    _text(ws, styles, head, upper_helper, "Upper process limit (chart)")
    for i, point in enumerate(trend):
        r = head + 1 + i
        rag = point["rag"]
        rated = not _missing(rag)
        fill = model.RAG_COLOURS[rag] if rated else model.NOT_RATED_COLOUR
        withheld = bool(point["suppressed"]) if not _missing(point["suppressed"]) else False
        _text(ws, styles, r, 1, _short(point["month"]), **_BORDER)
        for key in ("polarity", "period"):
            ws.write_blank(r, col[key], None, styles(**_BORDER))
        if withheld:
            _withheld(ws, styles, r, col["value"], bg_color=fill, **_BORDER)
            _withheld(ws, styles, r, col["numerator"], **_BORDER)
            _withheld(ws, styles, r, col["denominator"], **_BORDER)
        else:
            _number(ws, styles, r, col["value"], point["value"], value_format, missing="-",
                    bg_color=fill, **_BORDER)  # fmt: skip
            for key in ("numerator", "denominator"):
                number = point[key]
                fmt = INTEGER_FORMAT if _missing(number) or float(number).is_integer() else (
                    DECIMAL_FORMAT)  # fmt: skip
                _number(ws, styles, r, col[key], number, fmt, **_BORDER)
        if withheld:
            rating = model.SUPPRESSED
        elif rated:
            rating = RAG(rag).label
        else:
            rating = model.state_label(point.get("state")) if not _missing(
                point.get("state")) else "Not rated"  # fmt: skip
        _text(ws, styles, r, col["rag"], rating, align="center", bg_color=fill, **_BORDER)
        _number(ws, styles, r, col["target"], point["target"], value_format, missing="-",
                **_BORDER)  # fmt: skip
        # No cell at all where there is no number: the chart then leaves a gap (a blank cell
        # would be cached as 0 in the chart).
        for helper, number in ((value_helper, None if withheld else point["value"]),
                               (target_helper, point["target"]),
                               (lower_helper, point["spc_lower"]),
                               (upper_helper, point["spc_upper"])):  # fmt: skip
            if not _missing(number):
                ws.write_number(r, helper, float(number), styles(num_format=value_format))
    first_point, last_point = head + 1, head + len(trend)

    # Data notes and the commentary box, under the trend table (columns B to the target).
    row = last_point + 2
    _text(ws, styles, row, 1, "Data notes", bold=True)
    row += 1
    note_width = sum(c.width for c in columns[2 : col["target"] + 1])
    for label, words in model.data_notes(indicator, card.registry, period).items():
        ws.set_row(row, 14 * _rows_for(words, note_width))
        _text(ws, styles, row, 1, label, bold=True, **_BORDER)
        _merged_text(ws, styles, row, 2, col["target"], words, text_wrap=True, **_BORDER)
        row += 1
    row += 1
    label = "Commentary (drafted from the figures)" if commentary and commentary[1] else (
        "Commentary")  # fmt: skip
    _text(ws, styles, row, 1, label, bold=True, text_wrap=True, **_BORDER)
    words = commentary[0] if commentary else None
    ws.set_row(row, max(60, 14 * _rows_for(words or "", note_width)))
    _merged_text(ws, styles, row, 2, col["target"], words, text_wrap=True, valign="top",
                 **_BORDER)  # fmt: skip
    row += 1

    # The chart, beside the trend table and notes (columns from the previous result to the end).
    chart = workbook.add_chart({"type": "line"})
    sheet = ws.get_name()
    categories = [sheet, first_point, 1, last_point, 1]
    chart.add_series(
        {
            "name": "Result",
            "categories": categories,
            "values": [sheet, first_point, value_helper, last_point, value_helper],
            "line": {"color": "#1F4E79", "width": 2.25},
            "marker": {"type": "circle", "size": 6, "fill": {"color": "#1F4E79"},
                       "border": {"color": "#1F4E79"}},
        }
    )  # fmt: skip
    chart.add_series(
        {
            "name": "Target",
            "categories": categories,
            "values": [sheet, first_point, target_helper, last_point, target_helper],
            "line": {"color": "#A61C1C", "width": 1.5, "dash_type": "dash"},
            "marker": {"type": "none"},
        }
    )
    for helper, name in ((lower_helper, "Lower process limit"), (upper_helper, "Upper process limit")):
        chart.add_series(
            {
                "name": name,
                "categories": categories,
                "values": [sheet, first_point, helper, last_point, helper],
                "line": {"color": "#7F7F7F", "width": 1, "dash_type": "round_dot"},
                "marker": {"type": "none"},
            }
        )
    chart.set_title({"name": f"Ref {indicator.ref}: {unit}", "name_font": {"size": 10}})
    gridlines = {"visible": True, "line": {"color": "#D9D9D9"}}
    chart.set_y_axis({"num_format": value_format.replace("0.0", "0"), "major_gridlines": gridlines})
    chart.set_legend({"position": "bottom"})
    chart.show_hidden_data()
    chart.show_blanks_as("gap")
    chart_width = sum(c.width for c in columns[col["previous_value"] :]) * 7 + 5 * len(columns)
    chart.set_size({"width": int(chart_width), "height": 260})
    ws.insert_chart(top + 1, col["previous_value"], chart, {"x_offset": 8, "y_offset": 4})
    chart_rows = math.ceil(270 / 20)  # rows of about 20 pixels under the chart
    return max(row, top + 1 + chart_rows) + 2


def _write_activity(
    ws: Worksheet,
    styles: _Styles,
    card: Scorecard,
    tables: Mapping[str, list[dict[str, Any]]],
    period: pd.Period,
    units: list[_Unit],
    suppress_below: int | None,
) -> None:
    """The activity sheet: a block per unit with this month, last month and the change
    (``tables``: every unit's rows, :func:`model.activity_tables`)."""
    widths = [42, 13, 13, 11]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    last = len(widths) - 1
    _text(ws, styles, 0, 0, f"Activity - {card.county} - {_long(period)}", bold=True, font_size=14)
    _text(ws, styles, 1, 0, "Counts of children on the last working day of the month, and the "
          "month's starts; provisional management information.", italic=True)  # fmt: skip
    if suppress_below is not None:
        _text(ws, styles, 2, 0, f'"{model.SUPPRESSED}": withheld (a count from 1 to '
              f"{suppress_below - 1}).", italic=True)  # fmt: skip
    header_row = 3
    for col, header in enumerate(["Activity", _long(period), _long(period - 1), "Change"]):
        _text(ws, styles, header_row, col, header, **_HEADER)
    ws.freeze_panes(header_row + 1, 0)
    ws.repeat_rows(header_row)

    row = header_row + 1
    for unit in units:
        ws.merge_range(row, 0, row, last, "", styles(**_GROUP))
        _link(ws, styles, row, 0, unit.sheet, unit.name, **_GROUP)
        row += 1
        table = tables.get(unit.name, [])
        if not table:
            _merged_text(ws, styles, row, 0, last, "No activity counts for this month.",
                         italic=True, **_BORDER)  # fmt: skip
            row += 1
        for record in table:
            _text(ws, styles, row, 0, record["activity"], **_BORDER)
            cells = ((1, "this_month", INTEGER_FORMAT), (2, "last_month", INTEGER_FORMAT),
                     (3, "change", CHANGE_FORMAT))  # fmt: skip
            for col, key, fmt in cells:
                if record[f"{key}_withheld"]:
                    _withheld(ws, styles, row, col, **_BORDER)
                else:
                    _number(ws, styles, row, col, record[key], fmt, missing="-", **_BORDER)
            row += 1
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.hide_gridlines(2)


def _write_quality(
    ws: Worksheet,
    styles: _Styles,
    card: Scorecard,
    period: pd.Period,
    shown: pd.DataFrame | None = None,
) -> None:
    """The data-quality sheet: what was loaded, rows excluded by reason, extracts absent or not
    read, indicators not computable and why (as published: no record ids, no paths; ``shown``:
    the report as published, when it is already made)."""
    from scorecard.reports.html import quality_sections

    widths = [22, 28, 10, 90]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    last = len(widths) - 1
    _text(ws, styles, 0, 0, f"Data quality - {card.county} - {_long(period)}", bold=True,
          font_size=14)  # fmt: skip
    _merged_text(ws, styles, 1, 0, last, "What the figures were computed from. Counts only: no "
                 "record of a child is shown.", italic=True)  # fmt: skip
    row = 3
    for section in quality_sections(card.quality, shown):
        _merged_text(ws, styles, row, 0, last, section.heading, **_GROUP)
        row += 1
        for col, header in enumerate(["Extract", "Column / check", "Rows", "Detail"]):
            _text(ws, styles, row, col, header, **_HEADER)
        row += 1
        for item in section.rows:
            _text(ws, styles, row, 0, item.extract or None, **_BORDER)
            _text(ws, styles, row, 1, item.subject or None, **_BORDER)
            if item.rows:
                ws.write_number(row, 2, int(item.rows.replace(",", "")),
                                styles(num_format=INTEGER_FORMAT, **_BORDER))  # fmt: skip
            else:
                ws.write_blank(row, 2, None, styles(**_BORDER))
            ws.set_row(row, 15 * _rows_for(item.detail, widths[3]))
            _text(ws, styles, row, 3, item.detail or None, text_wrap=True, **_BORDER)
            row += 1
        row += 1
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.hide_gridlines(2)

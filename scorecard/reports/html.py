"""The scorecard as ONE self-contained HTML file: every unit, its RAG table, activity, exception
reports and a trend chart per indicator.

>>> from scorecard.reports.html import write_html
>>> write_html(card, "2015-05", "scorecard_2015_05.html", suppress_below=5)  # doctest: +SKIP

The file needs nothing else to be read: CSS is inline, charts are inline SVG drawn from the data
(:mod:`scorecard.reports.charts`, about 0.6 KB each, styled by the page's CSS) and there is no
script. A sidebar links to every unit (county, then each area with its teams, then the county-wide
teams); one unit is shown at a time with the CSS ``:target`` selector (the county when the address
has no fragment), browsers without ``:has()`` show every unit one after the other, and printing
prints every unit, each from a new page.

Everything shown comes from :mod:`scorecard.reports.model` (the same words and figures as the
workbook) and is rendered by a Jinja2 template with autoescaping, so a unit or an indicator title
containing markup is shown as text. Only aggregates are shown: the rated frame, the activity counts
and the registry; never the record-level rows of the computation. With ``suppress_below`` small
counts are withheld, with the cells that would let them be worked out (secondary suppression over
the organisation, :mod:`scorecard.reports.suppression`), and shown as ``c``, as are their ratings
and directions of travel. A unit lists the indicators that apply to it; a row without a rating
shows its state in words; a partial figure is marked "partial". A data-quality section closes the
page (:func:`scorecard.reports.model.quality_for_publication`: no record ids, no paths).
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from scorecard.calendar.periods import FinancialYear, to_month
from scorecard.rating.spc import SpcSettings, spc_words
from scorecard.rating.vocabulary import RAG, RatingState
from scorecard.registry.model import Period, Polarity, ValueUnit
from scorecard.reports import model
from scorecard.reports.charts import (
    BAND_COLOUR,
    CONCERN_COLOUR,
    FLOOR_COLOUR,
    GRID_COLOUR,
    IMPROVEMENT_COLOUR,
    LINE_COLOUR,
    NEITHER_COLOUR,
    NO_RESULTS,
    SPC_LINE_COLOUR,
    SPINE_COLOUR,
    TARGET_COLOUR,
    TEXT_COLOUR,
    WITHHELD,
    TrendChartRenderer,
    chart_alt_text,
)

if TYPE_CHECKING:  # reports read a Scorecard (the model); they do not run the pipeline
    from scorecard.pipeline import Scorecard

log = logging.getLogger(__name__)

TREND_MONTHS = 12  # months in a trend chart
EXCEPTION_MONTHS = 4  # months in an exception report's trend table
LEVEL_LABELS = {"county": "County", "area": "Area", "team": "Team"}
#: The data periods in the key under each RAG table (the cells' tooltips give them in full).
PERIOD_KEY = {
    Period.YTD: "year to date",
    Period.SNAPSHOT: "snapshot on the last working day",
    Period.ROLLING_12_MONTHS: "rolling 12 months",
}


# --- the view model: plain, already formatted text; the template only lays it out --------------


def _missing(value: object) -> bool:
    """``None``, NaN, ``pd.NA`` or ``NaT``."""
    if value is None:
        return True
    if isinstance(value, str):  # (the common cases first: pd.isna of text is False, of a float
        return False  # NaN)
    if isinstance(value, float):
        return math.isnan(value)
    return bool(pd.isna(value))  # type: ignore[call-overload]


@dataclass(frozen=True)
class Dot:
    """A direction of travel: arrow, word and CSS class (empty when there is none)."""

    arrow: str = ""
    word: str = ""

    @classmethod
    def of(cls, value: object) -> Dot:
        if _missing(value):
            return cls()
        arrow, _, word = model.DOT_ARROWS[str(value)].partition(" ")
        return cls(arrow, word)


@dataclass(frozen=True)
class Rating:
    """A RAG rating as shown: ``letter`` (``R``/``A``/``G``; for a row without a rating, the words
    of its state, e.g. "below the minimum denominator"; ``c`` when withheld), ``words`` (the
    tooltip), the CSS class and ``code`` for ``data-rag`` (``R``/``A``/``G``, ``NR``, ``c``)."""

    letter: str
    words: str
    css: str
    code: str = ""
    state: str = ""

    @classmethod
    def of(cls, rag: object, state: object = None, *, withheld: bool = False) -> Rating:
        if withheld:
            return cls(model.SUPPRESSED, "Withheld to protect confidentiality (small numbers)",
                       "rag-withheld", model.SUPPRESSED, "withheld")  # fmt: skip
        if not _missing(rag):
            letter = str(rag)
            return cls(letter, RAG(letter).label, f"rag-{letter}", letter, RatingState.RATED.value)
        if _missing(state) or str(state) == RatingState.RATED.value:
            return cls("not rated", "Not rated", "rag-none state", "NR", "")
        label = model.state_label(state)
        return cls(label, f"Not rated: {label}", "rag-none state", "NR", str(state))


@dataclass(frozen=True)
class Row:
    """One indicator of a unit's RAG table."""

    ref: int
    indicator: str
    title: str
    polarity: str
    polarity_words: str
    period: str
    period_words: str
    result: str
    rating: Rating
    numerator: str
    denominator: str
    target: str
    previous: str
    dot_previous: Dot
    outturn: str
    dot_outturn: Dot
    chart_id: str
    partial: str = ""
    england: str = ""  # the England comparator (county rows), with its source
    england_source: str = ""
    spc: str = "-"  # variation and assurance of the month (statistical process control)
    spc_detail: str = ""  # centre, limits, special cause, or why there are none
    trend: str = "-"  # direction of travel by regression
    trend_detail: str = ""


def _spc_detail(r: Mapping[str, Any], value_unit: str) -> tuple[str, str]:
    """The tooltips of the SPC and trend cells: centre, limits and special cause (or why there
    are none); the slope and its interval."""
    parts = []
    if not _missing(r.get("spc_centre")):
        parts.append(
            f"Centre {model.format_value(r['spc_centre'], value_unit)}, process limits "
            f"{model.format_value(r['spc_lower'], value_unit)} to "
            f"{model.format_value(r['spc_upper'], value_unit)}"
        )
    if not _missing(r.get("spc_special_cause")):
        parts.append(f"special cause: {r['spc_special_cause']}")
    if not _missing(r.get("spc_note")):
        parts.append(str(r["spc_note"]))
    trend = ""
    if not _missing(r.get("trend_slope")):
        per = "percentage points a month" if value_unit == ValueUnit.PERCENT.value else "a month"
        trend = (
            f"Slope {r['trend_slope']:+.2f} {per} (95% interval {r['trend_low']:+.2f} to "
            f"{r['trend_high']:+.2f}) over {int(r['trend_points'])} months"
        )
    return "; ".join(parts), trend


def _spc_key(settings: SpcSettings) -> dict[str, str]:
    """The words of the key for the SPC and trend columns, from the settings used."""
    rules = ["a point beyond a process limit"]
    if settings.shift_points is not None:
        rules.append(f"a run of {settings.shift_points} on one side of the centre")
    if settings.trend_points is not None:
        rules.append(f"a run of {settings.trend_points} rising or falling")
    if settings.two_of_three:
        rules.append("two of three beyond two sigma on one side")
    listed = ", ".join(rules[:-1]) + (" or " if len(rules) > 1 else "") + rules[-1]
    return {
        "rules": listed,
        "months": str(settings.trend_months),
        "confidence": f"{settings.confidence:.0%}",
    }


@dataclass(frozen=True)
class Group:
    name: str
    rows: list[Row]


@dataclass(frozen=True)
class TrendRow:
    month: str
    result: str
    target: str
    rating: Rating
    partial: str = ""


@dataclass(frozen=True)
class Exception_:
    """The exception report of one Red indicator."""

    ref: int
    title: str
    rating: Rating
    trend: list[TrendRow]
    notes: dict[str, str]
    chart_id: str
    #: The service's commentary, or the sentence drafted from the figures (``drafted``).
    commentary: str | None = None
    drafted: bool = False


@dataclass(frozen=True)
class Chart:
    """A trend chart: ``svg`` is the chart's markup (escaped by the renderer), ``alt`` its text
    alternative (also the ``<title>`` inside the ``<svg>``)."""

    ref: int
    title: str
    svg: str
    alt: str
    id: str
    rating: Rating


@dataclass(frozen=True)
class ActivityRow:
    label: str
    this_month: str
    last_month: str
    change: str


@dataclass
class UnitView:
    name: str
    level: str
    anchor: str
    summary: str
    counts: dict[str, int]
    activity: list[ActivityRow] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    exceptions: list[Exception_] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass(frozen=True)
class NavEntry:
    name: str
    anchor: str
    reds: int
    children: list[NavEntry] = field(default_factory=list)


@dataclass(frozen=True)
class NavSection:
    heading: str
    entries: list[NavEntry]


@dataclass(frozen=True)
class QualityRow:
    extract: str
    subject: str
    rows: str
    detail: str


@dataclass(frozen=True)
class QualitySection:
    heading: str
    rows: list[QualityRow]


#: Sections of the data-quality report under the headings the HTML and the workbook show.
QUALITY_HEADINGS = {
    "as_of": "Extraction date",
    "loaded": "What was loaded",
    "absent": "Extracts absent or not read",
    "not read": "Extracts absent or not read",
    "unknown_file": "Extracts absent or not read",
    "excluded": "Rows excluded, by reason",
    "kept": "Rows kept and counted",
    "ignored": "Lines ignored and columns dropped",
    "dropped": "Lines ignored and columns dropped",
    "skipped": "Checks not run",
    "not computable": "Indicators not computable, and why",
}


def quality_sections(
    quality: pd.DataFrame | None, shown: pd.DataFrame | None = None
) -> list[QualitySection]:
    """The data-quality report as published (:func:`scorecard.reports.build.quality_for_publication`:
    no record ids, no paths), grouped under :data:`QUALITY_HEADINGS` in their order; ``shown``:
    that report when it is already made."""
    from scorecard.reports.build import quality_for_publication

    if quality is None or quality.empty:
        return []
    shown = quality_for_publication(quality) if shown is None else shown
    headings = list(dict.fromkeys(QUALITY_HEADINGS.values()))
    grouped: dict[str, list[QualityRow]] = {}
    for item in shown.to_dict("records"):
        section = str(item.get("section", ""))
        heading = QUALITY_HEADINGS.get(section, "Other notes")
        subject = " ".join(
            str(item[k]) for k in ("column", "check") if k in item and not _missing(item[k])
        )
        rows = item.get("rows")
        grouped.setdefault(heading, []).append(
            QualityRow(
                extract="" if _missing(item.get("extract")) else str(item["extract"]),
                subject=subject,
                rows="" if _missing(rows) else f"{int(rows):,}",  # type: ignore[arg-type]
                detail="" if _missing(item.get("detail")) else str(item["detail"]),
            )
        )
    order = [*headings, "Other notes"]
    return [QualitySection(h, grouped[h]) for h in order if h in grouped]


# --- helpers ------------------------------------------------------------------------------------


def _anchors(names: Iterable[str]) -> dict[str, str]:
    """A unique, safe fragment id per unit: ``unit-kent``, ``unit-dover-cic``, ``unit-3``."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for i, name in enumerate(names):
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower())[:40].strip("-") or str(i)
        anchor, n = f"unit-{slug}", 2
        while anchor in used:
            anchor, n = f"unit-{slug}-{n}", n + 1
        used.add(anchor)
        out[name] = anchor
    return out


def _month_label(month: pd.Period) -> str:
    return month.strftime("%b %y")  # "May 15", as the published report


def _withheld_or(value: float, unit: str, withheld: bool) -> str:
    """A result as printed, or ``c`` when it is withheld."""
    return model.SUPPRESSED if withheld else model.format_value(value, unit)


def _target_text(row: Mapping[str, Any]) -> str:
    if pd.notna(row["target"]):
        return model.format_value(row["target"], row["value_unit"])
    if pd.notna(row.get("benchmark")):
        return "benchmark " + model.format_value(row["benchmark"], row["value_unit"])
    return "-"


def _england(row: Mapping[str, Any], unit: str) -> dict[str, str]:
    """The England comparator of a row as printed, and its source (empty without one)."""
    value = row.get("england")
    if value is None or pd.isna(value):
        return {}
    source = row.get("england_source")
    return {"england": model.format_value(value, unit),
            "england_source": "" if source is None or pd.isna(source) else str(source)}  # fmt: skip


def _change(value: float) -> str:
    """A change in a count: ``+12``, ``-3``, ``0``; empty when unknown."""
    if pd.isna(value):
        return ""
    return f"{value:+,.0f}" if round(value) != 0 else "0"


def activity_text(table: pd.DataFrame, below: int | None) -> pd.DataFrame:
    """A :func:`model.activity_table` as text; counts withheld by :func:`model.suppress_activity`
    are shown as ``c``."""
    rows = [_activity_row(r) for r in model.suppress_activity(table, below).to_dict("records")]
    return pd.DataFrame(
        [(r.label, r.this_month, r.last_month, r.change) for r in rows],
        columns=["activity", "this_month", "last_month", "change"],
        index=table.index,
    )


def _activity_row(row: dict[str, Any]) -> ActivityRow:
    """One activity row (``activity``, counts, change and their ``*_withheld`` flags) as shown:
    ``c`` where withheld."""
    hidden = model.SUPPRESSED
    return ActivityRow(
        str(row["activity"]),
        hidden if row["this_month_withheld"] else model.format_count(row["this_month"]),
        hidden if row["last_month_withheld"] else model.format_count(row["last_month"]),
        hidden if row["change_withheld"] else _change(row["change"]),
    )


# --- building the page --------------------------------------------------------------------------


class _Builder:
    """Turns a (possibly suppressed) rated frame into the template's view model."""

    def __init__(
        self,
        card: Scorecard,
        month: pd.Period,
        suppress_below: int | None,
        units: Collection[str] | None = None,
        prepared: model.Publication | None = None,
    ) -> None:
        self.card = card
        self.month = month
        self.suppress_below = suppress_below
        self.prepared = model.Publication.of(prepared, card, month, suppress_below)
        self.frame = self.prepared.frame  # SPC from published values
        self.activity = self.prepared.activity
        current = self.prepared.current
        if current.empty:
            raise ValueError(f"the scorecard has no results for {month} (it covers "
                             f"{card.months[0]} to {card.months[-1]})")  # fmt: skip
        # units in reporting order; a unit without results this month (a closed team) is left out
        self.units = model.units_in_order(current)
        if units is not None:  # the units chosen (names as the scorecard spells them)
            self.units = self.units[self.units["unit"].isin(list(units))]
            if self.units.empty:
                raise ValueError(f"none of the units {sorted(units)} has results for {month}")
        self.anchors = _anchors(self.units["unit"])
        self.chart_months = pd.period_range(month - (TREND_MONTHS - 1), month, freq="M")
        self.renderer = TrendChartRenderer(self.chart_months)
        self.fy = FinancialYear.of(month)
        self.outturn_month = self.fy.first_month - 1
        self.timings: dict[str, float] = {}

    def build(self) -> dict[str, object]:
        start = time.perf_counter()
        recent = self.frame[self.frame["month"].isin(self.chart_months)]
        self._index_recent(recent)
        per_unit = self.prepared.unit_rows  # every unit's table, in one pass
        self._sentences = self.prepared.sentences
        views = []
        for unit, level in zip(self.units["unit"], self.units["level"], strict=True):
            t0 = time.perf_counter()
            views.append(self._unit(unit, level, per_unit.get(unit, [])))
            self.timings[unit] = time.perf_counter() - t0
        self.renderer.close()
        log.info(
            "HTML scorecard: %d units, %d charts drawn in %.1f s",
            len(views), self.renderer.rendered, time.perf_counter() - start,
        )  # fmt: skip
        outturn = self.outturn_month
        return {
            "county": self.card.county,
            "month_label": self.month.strftime("%B %Y"),
            "units": views,
            "chart_defs": self.renderer.defs(),
            "nav": self._nav(views),
            "headings": {
                "target": f"Target {self.fy.label[2:]}",
                "previous": f"Previous ({_month_label(self.month - 1)})",
                "outturn": f"Outturn ({_month_label(outturn)})",
                "this_month": _month_label(self.month),
                "last_month": _month_label(self.month - 1),
            },
            "suppress_below": self.suppress_below,
            "quality": quality_sections(self.card.quality, self.prepared.quality),
            "states": [
                s.label
                for s in RatingState
                if s not in (RatingState.RATED, RatingState.NOT_APPLICABLE)
            ],
            "colours": {
                **{RAG(k).label.lower(): v for k, v in model.RAG_COLOURS.items()},
                "none": model.NOT_RATED_COLOUR,
                "line": LINE_COLOUR,
                "target": TARGET_COLOUR,
                "floor": FLOOR_COLOUR,
                "band": BAND_COLOUR,
                "grid": GRID_COLOUR,
                "text": TEXT_COLOUR,
                "spine": SPINE_COLOUR,
                "spc_line": SPC_LINE_COLOUR,
                "improvement": IMPROVEMENT_COLOUR,
                "concern": CONCERN_COLOUR,
                "neither": NEITHER_COLOUR,
            },
            "polarities": [(p.value, p.in_words) for p in Polarity],
            "periods": [(p.value, PERIOD_KEY[p]) for p in Period],
            "dots": [tuple(text.partition(" ")[::2]) for text in model.DOT_ARROWS.values()],
            "spc_key": _spc_key(getattr(self.card, "spc", None) or SpcSettings()),
        }

    def _index_recent(self, recent: pd.DataFrame) -> None:
        """The chart months' rows as arrays, once for the whole page: ``self._pos[pair, i]`` is
        the row (in ``recent``) of a unit and indicator in the i-th chart month, or -1; numeric
        columns as float arrays (NaN for missing, and at the end for -1), the others as lists."""
        months = pd.PeriodIndex(recent["month"].astype(self.chart_months.dtype))
        month_index = self.chart_months.get_indexer(months)
        pairs = pd.MultiIndex.from_arrays(
            [recent["unit"].astype(object), recent["indicator"].astype(object)]
        )
        codes, uniques = pairs.factorize()
        pos = np.full((len(uniques), len(self.chart_months)), -1, dtype=np.int64)
        pos[codes, month_index] = np.arange(len(recent))
        self._pos = pos
        self._pair = {key: i for i, key in enumerate(uniques)}
        self._num = {
            c: np.append(recent[c].to_numpy(dtype=float, na_value=np.nan), np.nan)
            for c in ("value", "target", "floor", "green_lower", "green_upper", "spc_centre",
                      "spc_lower", "spc_upper")
        }  # fmt: skip
        hidden = recent["suppressed"].to_numpy(dtype=bool)
        self._hidden = np.append(hidden, False)
        self._obj = {
            c: [*(recent[c].astype(object).tolist() if c in recent.columns else
                  [None] * len(recent)), None]
            for c in ("rag", "state", "partial", "partial_note", "spc_variation")
        }  # fmt: skip
        #: each row's month as the exception reports label it (chart months labelled once)
        labels = [_month_label(m) for m in self.chart_months]
        self._recent_labels = [labels[i] for i in month_index.tolist()]
        #: ratings and SPC variations as the charts take them: ``None`` where missing
        self._shown = {
            c: [*(recent[c].astype(object).where(recent[c].notna(), None).tolist()
                  if c in recent.columns else [None] * len(recent)), None]
            for c in ("rag", "spc_variation")
        }  # fmt: skip

    def _unit(self, unit: str, level: str, table: list[dict[str, Any]]) -> UnitView:
        """Everything shown for one unit, from its rows of the month (``table``: the indicators
        that apply to it, in ref order, with their states)."""
        anchor = self.anchors[unit]
        counts = {letter: int(sum(r["rag"] == letter for r in table)) for letter in ("G", "A", "R")}
        hidden = [bool(r["suppressed"]) for r in table]
        counts["c"] = int(sum(hidden))
        counts["NR"] = int(sum(_missing(r["rag"]) and not h for r, h in zip(table, hidden)))
        view = UnitView(
            name=unit,
            level=LEVEL_LABELS.get(level, str(level).title()),
            anchor=anchor,
            summary=self._sentences[unit],
            counts=counts,
        )
        view.activity = self._activity(unit)

        groups: list[Group] = []
        rags, variation = self._shown["rag"], self._shown["spc_variation"]
        for r, hide in zip(table, hidden, strict=True):
            row = self._row(r, anchor, hide)
            unit_of_value = r["value_unit"]
            if not groups or groups[-1].name != r["group"]:
                groups.append(Group(r["group"], []))
            groups[-1].rows.append(row)

            pair = self._pair.get((unit, r["indicator"]))
            where = self._pos[pair] if pair is not None else np.full(len(self.chart_months), -1)
            months_withheld = int(self._hidden[where].sum())
            values = self._num["value"][where]
            target, floor = self._num["target"][where], self._num["floor"][where]
            rows_of = where.tolist()
            month_rags = [rags[i] for i in rows_of]
            month_variation = [variation[i] for i in rows_of]
            spc_text = f"Latest month: {row.spc.lower()}." if row.spc != "-" else ""
            alt = chart_alt_text(
                row.title, unit, self.chart_months, unit_of_value, values, month_rags, target,
                floor, withheld=months_withheld, spc_text=spc_text,
            )  # fmt: skip
            svg = self.renderer.render_arrays(
                unit_of_value, values, target, floor, self._num["green_lower"][where],
                self._num["green_upper"][where], month_rags, title=alt,
                empty=WITHHELD if months_withheld else NO_RESULTS,
                centre=self._num["spc_centre"][where], lower_limit=self._num["spc_lower"][where],
                upper_limit=self._num["spc_upper"][where], variation=month_variation,
            )  # fmt: skip
            view.charts.append(Chart(row.ref, row.title, svg, alt, row.chart_id, row.rating))
            if r["rag"] == RAG.RED.value:
                view.exceptions.append(self._exception(row, where, unit_of_value, unit))
        view.groups = groups
        return view

    def _row(self, r: dict[str, Any], anchor: str, hide: bool) -> Row:
        """One line of the RAG table from the month's row of the publication frame (with its
        thresholds and notes)."""
        value_unit = r["value_unit"]
        indicator = r["indicator"]
        previous_hidden = bool(r["previous_suppressed"])
        outturn_hidden = bool(r["outturn_suppressed"])
        spc, trend = spc_words(r)
        spc_detail, trend_detail = _spc_detail(r, value_unit)
        return Row(
            ref=int(r["ref"]),
            indicator=indicator,
            title=r["title"],
            polarity=r["polarity"],
            polarity_words=Polarity(r["polarity"]).in_words,
            period=r["period"],
            period_words=Period(r["period"]).in_words,
            result=_withheld_or(r["value"], value_unit, hide),
            rating=Rating.of(r["rag"], r["state"], withheld=hide),
            numerator=model.SUPPRESSED if hide else model.format_count(r["numerator"]),
            denominator=(
                model.SUPPRESSED
                if hide and ValueUnit(value_unit).has_denominator
                else model.format_count(r["denominator"])
            ),
            target=_target_text(r),
            previous=_withheld_or(r["previous_value"], value_unit, previous_hidden),
            dot_previous=Dot.of(r["dot_previous"]),
            outturn=_withheld_or(r["outturn_value"], value_unit, outturn_hidden),
            dot_outturn=Dot.of(r["dot_outturn"]),
            chart_id=f"{anchor}--ref-{r['ref']}",
            partial=model.partial_text(r["partial"], r["partial_note"]),
            **_england(r, value_unit),
            spc=spc,
            spc_detail=spc_detail,
            trend=trend,
            trend_detail=trend_detail,
        )

    def _exception(self, row: Row, where: np.ndarray, value_unit: str, unit: str) -> Exception_:
        """The exception report of a Red indicator: its last months with results (``where``: its
        rows in the chart months, -1 for none), the data notes and the commentary (the service's,
        or drafted from the figures)."""
        obj, num = self._obj, self._num
        trend_rows = []
        for i in [int(i) for i in where[-EXCEPTION_MONTHS:] if i >= 0]:
            hidden = bool(self._hidden[i])
            trend_rows.append(
                TrendRow(
                    month=self._recent_labels[i],
                    result=_withheld_or(num["value"][i], value_unit, hidden),
                    target=model.format_value(num["target"][i], value_unit),
                    rating=Rating.of(obj["rag"][i], obj["state"][i], withheld=hidden),
                    partial=model.partial_text(obj["partial"][i], obj["partial_note"][i]),
                )
            )
        notes = model.data_notes(self.card.registry[row.indicator], self.card.registry, self.month)
        # drafted once for every unit (and shared with the workbook), when first needed
        texts = self.prepared.exception_texts
        text, drafted = texts.get((row.indicator, unit), (None, False))
        return Exception_(row.ref, row.title, row.rating, trend_rows, notes, row.chart_id, text,
                          drafted)  # fmt: skip

    def _activity(self, unit: str) -> list[ActivityRow]:
        """The unit's activity counts as :func:`activity_text` shows them (every unit's table
        made in one pass: :func:`model.activity_tables`)."""
        return [_activity_row(r) for r in self.prepared.activity_tables.get(unit, [])]

    def _nav(self, views: list[UnitView]) -> list[NavSection]:
        """County; each area with its teams; the teams that belong to no area."""
        by_name = {v.name: v for v in views}

        def entry(view: UnitView, children: list[NavEntry] | None = None) -> NavEntry:
            return NavEntry(view.name, view.anchor, view.counts["R"], children or [])

        counties = [entry(v) for v in views if v.level == "County"]
        areas = [v for v in views if v.level == "Area"]
        teams = [v for v in views if v.level not in ("County", "Area")]
        membership = self.card.computation.units
        area_of: dict[str, str] = {}
        if membership is not None and {"team", "unit", "level"} <= set(membership.columns):
            in_area = membership[membership["level"] == "area"]
            area_of = dict(zip(in_area["team"].astype(str), in_area["unit"].astype(str)))
        sections = [NavSection("County", counties)] if counties else []
        if areas:
            sections.append(
                NavSection(
                    "Areas and their teams",
                    [
                        entry(a, [entry(t) for t in teams if area_of.get(t.name) == a.name])
                        for a in areas
                    ],
                )
            )
        loose = [entry(t) for t in teams if area_of.get(t.name) not in by_name]
        if loose:
            sections.append(NavSection("County-wide teams" if areas else "Teams", loose))
        return sections


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("scorecard.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render_html(card: Scorecard, month: object | None = None, *,
                suppress_below: int | None = None,
                units: Collection[str] | None = None,
                prepared: model.Publication | None = None) -> str:  # fmt: skip
    """The report as a string (see :func:`write_html`); ``units``: the units it shows, by name
    (default: every unit); ``prepared``: what the build's outputs share
    (:class:`model.Publication` of the same card, month and ``suppress_below``)."""
    period = to_month(month) if month is not None else card.latest_month
    if suppress_below is not None and suppress_below < 1:
        raise ValueError(f"suppress_below must be a positive count, not {suppress_below}")
    context = _Builder(card, period, suppress_below, units, prepared).build()
    return _environment().get_template("scorecard.html.j2").render(**context)


def write_html(
    card: Scorecard, month: object | None, path: str | Path, *, suppress_below: int | None = None
) -> Path:
    """Write the scorecard of ``month`` (default: the latest) for every unit of ``card`` to ONE
    self-contained HTML file at ``path``; return the path.

    ``suppress_below``: withhold numerators, denominators and results built on counts from 1 to
    ``suppress_below - 1`` (and such activity counts), shown as ``c``.
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(card, month, suppress_below=suppress_below), encoding="utf-8")
    return out

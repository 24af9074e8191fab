"""Trend charts of the HTML report: 12 months of one indicator for one unit, as inline SVG.

A county report has about 29 units x 44 indicators, some 700-1,300 charts, so a chart is a few
short paths written straight from the data (no plotting library, no image): about 0.6 KB of
markup and a few microseconds each. Everything every chart shares is written once per page:

* the axes and the month labels (the same months on every chart) are one ``<g>`` in a hidden
  ``<svg>`` (:meth:`TrendChartRenderer.defs`) that each chart draws with ``<use href="#...">``;
* colours, line widths and dashes are CSS classes (``scorecard.css``), not attributes.

Each chart shows the result line with one point per month coloured by its RAG rating (grey when not
rated), the target (dashed) and floor (dotted) in force each month as steps (they change with the
financial year), and for target-band (T) indicators the Green band shaded. With the statistical
process control columns (:mod:`scorecard.rating.spc`), it also shows the centre line (thin, solid)
and the process limits (thin, dashed) as steps (each period of the process has its own; a limit
beyond what a result can take, below 0 or above 100%, is drawn at that edge), and rings each
special-cause point in the "Making Data Count" colours: blue for improvement, orange for concern,
purple for "neither" (T indicators); common-cause points have no ring. A month without a
published value (no result, or withheld to protect small numbers: the publication frame has no
value there) has no point, and the line breaks there. Titles and the key are left to the HTML; the
chart's ``<title>`` holds its text alternative (:func:`alt_text`). Every piece of text is escaped,
and the output depends only on the data (numbers are written with one decimal), so identical
charts are identical strings and a page is the same from one build to the next.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd
from markupsafe import Markup, escape

from scorecard.rating.vocabulary import RAG, Variation
from scorecard.registry.model import ValueUnit
from scorecard.reports.model import RAG_COLOURS, format_value

#: Colours, shared with the HTML key and the charts' CSS (``html.py`` passes them to the page).
LINE_COLOUR = "#3C4650"
TARGET_COLOUR = "#1F4E79"
FLOOR_COLOUR = "#A12A2A"
BAND_COLOUR = "#4CAF50"
GRID_COLOUR = "#E6E8EB"
TEXT_COLOUR = "#4A4F55"
SPINE_COLOUR = "#9AA1A9"
#: Statistical process control: centre and limits, and the rings of special-cause points (the
#: colours of NHSRplotthedots' ``ptd_spc_colours``: Making Data Count's blue, orange and purple).
SPC_LINE_COLOUR = "#7F8890"
IMPROVEMENT_COLOUR = "#00B0F0"
CONCERN_COLOUR = "#E46C0A"
NEITHER_COLOUR = "#490092"
#: CSS classes of the rings round special-cause points, by ``spc_variation``.
VARIATION_CLASSES = {
    Variation.IMPROVEMENT.value: "sc-improvement",
    Variation.CONCERN.value: "sc-concern",
    Variation.NEITHER.value: "sc-neither",
}

#: Written across a chart without any result.
NO_RESULTS = "No results in these months"
WITHHELD = "Figures withheld: small numbers"

#: The chart's coordinate system (its ``viewBox``; CSS pixels at full size) and plot area.
WIDTH_PX, HEIGHT_PX = 360, 190
LEFT, RIGHT, TOP, BOTTOM = 50.0, 352.0, 8.0, 150.0
#: The id of the shared axes and month labels (:meth:`TrendChartRenderer.defs`).
AXES_ID = "sc-trend-axes"
#: CSS classes of the points by rating (``p-`` + RAG letter; ``p-NR`` not rated).
POINT_CLASSES = {**{r: f"p-{r}" for r in RAG_COLOURS}, None: "p-NR"}


def _n(value: float) -> str:
    """A coordinate as written: one decimal, no trailing ``.0`` (deterministic and short)."""
    text = f"{value:.1f}"
    text = text.removesuffix(".0")
    return "0" if text == "-0" else text


#: The plot area's left and right edges and the x of the tick labels, as written.
_LEFT, _RIGHT, _TICK_X = _n(LEFT), _n(RIGHT), _n(LEFT - 4)


def _tick_label(value: float, unit: ValueUnit) -> str:
    match unit:
        case ValueUnit.PERCENT:
            return f"{value:.0f}%" if abs(value - round(value)) < 1e-9 else f"{value:.1f}%"
        case ValueUnit.COUNT:
            return f"{value:,.0f}"
        case _:
            return f"{value:,.1f}".rstrip("0").rstrip(".")


def nice_ticks(low: float, high: float, *, integer: bool = False) -> list[float]:
    """Three to five round values (steps of 1, 2, 2.5 or 5 times a power of ten; whole numbers
    when ``integer``) from ``low`` to ``high``, both included when they fall on a step."""
    span = high - low
    if not math.isfinite(span) or span <= 0:
        return [low]
    for exponent in range(math.floor(math.log10(span / 5)) - 1, math.floor(math.log10(span)) + 2):
        for mantissa in (1.0, 2.0, 2.5, 5.0):
            step = mantissa * 10.0**exponent
            if integer and (step < 1 or not float(step).is_integer()):
                continue
            first = math.ceil(low / step - 1e-9)
            last = math.floor(high / step + 1e-9)
            count = last - first + 1
            if count <= 5:
                ticks = [round(k * step, 10) for k in range(first, last + 1)]
                if count >= 3 or integer:
                    return ticks or [low]
    return [low, high]


def _month_labels(months: pd.PeriodIndex) -> list[tuple[str, str]]:
    """``(Jun, "")`` per month, with the year under the first month and under each January."""
    return [
        (m.strftime("%b"), str(m.year) if i == 0 or m.month == 1 else "")
        for i, m in enumerate(months)
    ]


class TrendChartRenderer:
    """Render 12-month trend charts for a fixed run of ``months`` as inline SVG.

    >>> renderer = TrendChartRenderer(pd.period_range("2014-06", "2015-05", freq="M"))
    >>> trend = model.trend(frame, "cp_repeat_24_months", "Kent", "2015-05", 12)  # doctest: +SKIP
    >>> svg = renderer.render(trend, "percent", title="Trend chart of ...")  # doctest: +SKIP

    The page must hold :meth:`defs` once (the axes and month labels every chart uses).
    """

    def __init__(self, months: pd.PeriodIndex) -> None:
        self.months = months
        self._index = {m: i for i, m in enumerate(months)}
        self._step = (RIGHT - LEFT) / len(months)
        self._x = LEFT + self._step * (np.arange(len(months)) + 0.5)
        #: the months' edges as written (``_n(LEFT + k * step)``, k = 0 to the number of months)
        self._edges = [_n(LEFT + k * self._step) for k in range(len(months) + 1)]
        self._xs = [_n(x) for x in self._x.tolist()]
        self._cache: dict[Hashable, str] = {}
        self.rendered = 0  # chart bodies actually written (cache misses), for timing reports

    def defs(self) -> Markup:
        """The hidden ``<svg>`` with what every chart shares: axes and month labels."""
        labels = []
        for x, (month, year) in zip(self._x, _month_labels(self.months), strict=True):
            labels.append(f'<text x="{_n(x)}" y="{_n(BOTTOM + 13)}">{escape(month)}</text>')
            if year:
                labels.append(f'<text x="{_n(x)}" y="{_n(BOTTOM + 25)}">{escape(year)}</text>')
        return Markup(
            '<svg class="chart-defs" width="0" height="0" aria-hidden="true" focusable="false">'
            f'<defs><g id="{AXES_ID}"><path d="M{_n(LEFT)} {_n(TOP)}V{_n(BOTTOM)}H{_n(RIGHT)}" '
            f'fill="none" stroke="{SPINE_COLOUR}" stroke-width="0.8"/><g fill="{TEXT_COLOUR}" '
            f'font-size="9.7" text-anchor="middle">{"".join(labels)}</g></g></defs></svg>'
        )

    def _y(self, values: np.ndarray, low: float, high: float) -> np.ndarray:
        return BOTTOM - (values - low) / (high - low) * (BOTTOM - TOP)

    def series(self, trend: pd.DataFrame, column: str) -> np.ndarray:
        """One column of a :func:`scorecard.reports.model.trend` frame on the chart's months
        (NaN where a month has no value)."""
        out = np.full(len(self.months), np.nan)
        for month, value in zip(trend["month"], trend[column], strict=True):
            i = self._index.get(month)
            if i is not None and pd.notna(value):
                out[i] = float(value)
        return out

    def render(
        self,
        trend: pd.DataFrame,
        value_unit: ValueUnit | str,
        *,
        title: str = "",
        empty: str = NO_RESULTS,
    ) -> Markup:
        """The ``<svg>`` of one chart from a :func:`scorecard.reports.model.trend` frame (its
        published values: withheld months carry no value); ``title``: the text alternative
        (:func:`alt_text`); ``empty`` is written across a chart without any result (e.g.
        :data:`WITHHELD`)."""
        rags: list[str | None] = [None] * len(self.months)
        for month, rag in zip(trend["month"], trend["rag"], strict=True):
            if month in self._index and pd.notna(rag):
                rags[self._index[month]] = str(rag)
        spc: dict[str, object] = {}
        if {"spc_centre", "spc_lower", "spc_upper"} <= set(trend.columns):
            spc = {
                "centre": self.series(trend, "spc_centre"),
                "lower_limit": self.series(trend, "spc_lower"),
                "upper_limit": self.series(trend, "spc_upper"),
            }
        if "spc_variation" in trend.columns:
            variation: list[str | None] = [None] * len(self.months)
            for month, kind in zip(trend["month"], trend["spc_variation"], strict=True):
                if month in self._index and pd.notna(kind):
                    variation[self._index[month]] = str(kind)
            spc["variation"] = variation
        return self.render_arrays(
            value_unit,
            self.series(trend, "value"),
            self.series(trend, "target"),
            self.series(trend, "floor"),
            self.series(trend, "green_lower"),
            self.series(trend, "green_upper"),
            rags,
            title=title,
            empty=empty,
            **spc,  # type: ignore[arg-type]
        )

    def render_arrays(
        self,
        value_unit: ValueUnit | str,
        values: np.ndarray,
        target: np.ndarray,
        floor: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
        rags: Sequence[str | None],
        *,
        title: str = "",
        empty: str = NO_RESULTS,
        centre: np.ndarray | None = None,
        lower_limit: np.ndarray | None = None,
        upper_limit: np.ndarray | None = None,
        variation: Sequence[str | None] | None = None,
    ) -> Markup:
        """:meth:`render` from arrays on the chart's months (NaN: no value; a rating without a
        value is not drawn). ``centre``, ``lower_limit``, ``upper_limit`` (NaN: none that month)
        and ``variation`` (``spc_variation`` values; a ring round each special-cause point that
        has a value): the statistical process control view, drawn when given."""
        unit = ValueUnit(value_unit)
        message = "" if np.isfinite(values).any() else empty
        rags = tuple(r if r in RAG_COLOURS else None for r in rags)
        nothing = np.full(len(self.months), np.nan)
        lines = tuple(
            np.asarray(a, dtype=float) if a is not None else nothing
            for a in (centre, lower_limit, upper_limit)
        )
        rings = tuple(
            VARIATION_CLASSES.get(str(v)) if v is not None else None
            for v in (variation if variation is not None else [None] * len(self.months))
        )
        key = (unit, *(np.asarray(a, dtype=float).tobytes() for a in (values, target, floor,
               lower, upper, *lines)), rags, rings, message)  # fmt: skip
        body = self._cache.get(key)
        if body is None:
            body = self._draw(unit, values, target, floor, lower, upper, rags, message,
                              lines, rings)  # fmt: skip
            self._cache[key] = body
        label = f"<title>{escape(title)}</title>" if title else ""
        return Markup(
            f'<svg class="chart" viewBox="0 0 {WIDTH_PX} {HEIGHT_PX}" role="img">{label}{body}</svg>'
        )

    def _steps(self, values: np.ndarray, low: float, high: float) -> str:
        """Path data of a threshold in force each month: a step across each month's width (one
        line across the months where it stays the same), a vertical where it changes, a gap where
        there is none."""
        ys = [_n(y) if math.isfinite(y) else None for y in self._y(values, low, high).tolist()]
        parts: list[str] = []
        i, count = 0, len(ys)
        while i < count:
            y = ys[i]
            if y is None:
                i += 1
                continue
            j = i
            while j + 1 < count and ys[j + 1] == y:
                j += 1
            right = self._edges[j + 1]
            if i > 0 and ys[i - 1] is not None:
                parts.append(f"V{y}H{right}")
            else:
                parts.append(f"M{self._edges[i]} {y}H{right}")
            i = j + 1
        return "".join(parts)

    def _band(self, lower: np.ndarray, upper: np.ndarray, low: float, high: float) -> str:
        """Path data of the Green band: one closed shape per run of months that have both edges,
        each edge a step per month (merged where it stays the same)."""
        both = (np.isfinite(lower) & np.isfinite(upper)).tolist()
        ylow = [_n(y) for y in self._y(lower, low, high).tolist()]
        yup = [_n(y) for y in self._y(upper, low, high).tolist()]
        x = self._edges  # the months' edges as written

        parts: list[str] = []
        i, count = 0, len(both)
        while i < count:
            if not both[i]:
                i += 1
                continue
            j = i
            while j + 1 < count and both[j + 1]:
                j += 1
            shape = [f"M{x[i]} {yup[i]}"]
            shape += [f"H{x[k]}V{yup[k]}" for k in range(i + 1, j + 1) if yup[k] != yup[k - 1]]
            shape.append(f"H{x[j + 1]}V{ylow[j]}")
            shape += [f"H{x[k + 1]}V{ylow[k]}" for k in range(j - 1, i - 1, -1)
                      if ylow[k] != ylow[k + 1]]  # fmt: skip
            shape.append(f"H{x[i]}Z")
            parts.append("".join(shape))
            i = j + 1
        return "".join(parts)

    def _draw(
        self,
        unit: ValueUnit,
        values: np.ndarray,
        target: np.ndarray,
        floor: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
        rags: Sequence[str | None],
        message: str,
        spc_lines: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
        rings: Sequence[str | None] = (),
    ) -> str:
        self.rendered += 1
        nothing = np.full(len(self.months), np.nan)
        centre, lower_limit, upper_limit = spc_lines or (nothing, nothing, nothing)
        # a limit beyond what a result can take is drawn at that edge
        top = 100.0 if unit is ValueUnit.PERCENT else np.inf
        lower_limit, upper_limit = (np.clip(a, 0.0, top) for a in (lower_limit, upper_limit))
        low, high = self._limits(unit, values, target, floor, lower, upper, centre,
                                 lower_limit, upper_limit)  # fmt: skip
        out: list[str] = []
        ticks = [t for t in nice_ticks(low, high, integer=unit is ValueUnit.COUNT)
                 if low - 1e-9 <= t <= high + 1e-9]  # fmt: skip
        tick_y = self._y(np.array(ticks, dtype=float), low, high)
        grid = "".join(f"M{_LEFT} {_n(y)}H{_RIGHT}" for y in tick_y)
        if grid:
            out.append(f'<path class="grid" d="{grid}"/>')
        out.append(f'<use href="#{AXES_ID}"/>')
        if ticks:
            labels = "".join(
                f'<text x="{_TICK_X}" y="{_n(y)}">{escape(_tick_label(t, unit))}</text>'
                for t, y in zip(ticks, tick_y, strict=True)
            )
            out.append(f'<g class="ticks">{labels}</g>')
        band = self._band(lower, upper, low, high)
        if band:
            out.append(f'<path class="band" d="{band}"/>')
        limits = self._steps(lower_limit, low, high) + self._steps(upper_limit, low, high)
        if limits:
            out.append(f'<path class="spc-limit" d="{limits}"/>')
        middle = self._steps(centre, low, high)
        if middle:
            out.append(f'<path class="spc-centre" d="{middle}"/>')
        for css, series in (("target", target), ("floor", floor)):
            steps = self._steps(series, low, high)
            if steps:
                out.append(f'<path class="{css}" d="{steps}"/>')
        ys = self._y(values, low, high).tolist()
        shown = [math.isfinite(y) for y in ys]
        if any(shown):
            xs = self._xs  # the months' x, as written
            line, previous = [], False
            for x, y, ok in zip(xs, ys, shown, strict=True):
                if ok:
                    line.append(f"{'L' if previous else 'M'}{x} {_n(y)}")
                previous = ok
            out.append(f'<path class="line" d="{"".join(line)}"/>')
            # points: zero-length segments with round caps, an outline under each RAG colour
            dots = {i: f"M{xs[i]} {_n(y)}h0" for i, (y, ok) in enumerate(zip(ys, shown)) if ok}
            for css in VARIATION_CLASSES.values():  # rings under the points: special causes
                ringed = "".join(d for i, d in dots.items() if i < len(rings) and rings[i] == css)
                if ringed:
                    out.append(f'<path class="{css}" d="{ringed}"/>')
            out.append(f'<path class="point" d="{"".join(dots.values())}"/>')
            for rag, css in POINT_CLASSES.items():
                mine = "".join(d for i, d in dots.items() if rags[i] == rag)
                if mine:
                    out.append(f'<path class="{css}" d="{mine}"/>')
        if message:
            out.append(
                f'<text class="message" x="{_n((LEFT + RIGHT) / 2)}" '
                f'y="{_n((TOP + BOTTOM) / 2)}">{escape(message)}</text>'
            )
        return "".join(out)

    @staticmethod
    def _limits(unit: ValueUnit, *series: np.ndarray) -> tuple[float, float]:
        finite = np.concatenate([s[np.isfinite(s)] for s in series])
        if finite.size == 0:
            return (0.0, 100.0) if unit is ValueUnit.PERCENT else (0.0, 1.0)
        low, high = float(finite.min()), float(finite.max())
        span = high - low
        pad = span * 0.12 if span > 0 else max(abs(high) * 0.1, 1.0)
        low, high = low - pad, high + pad
        if low < 0 <= float(finite.min()):
            low = 0.0  # results are never negative
        if unit is ValueUnit.PERCENT and high > 100 >= float(finite.max()):
            high = 100.0 + min(pad, 2.0)
        if math.isclose(low, high):
            high = low + 1.0
        return low, high

    def close(self) -> None:
        """Forget the charts drawn (kept to reuse identical ones)."""
        self._cache.clear()


def alt_text(
    title: str,
    unit_name: str,
    trend: pd.DataFrame,
    months: pd.PeriodIndex,
    value_unit: str,
    *,
    withheld: int = 0,
) -> str:
    """The alternative text of a chart: what it shows and the figures a sighted reader takes away
    (plain text: the template escapes it). ``withheld``: months whose result is withheld."""
    span = f"{months[0].strftime('%B %Y')} to {months[-1].strftime('%B %Y')}"
    note = (
        f" Results of {withheld} month{'s' if withheld != 1 else ''} are withheld (small numbers)."
    )
    note = note if withheld else ""
    shown = trend[trend["value"].notna() & trend["month"].isin(months)]
    if shown.empty:
        return f"Trend chart of {title} for {unit_name}, {span}: no results shown.{note}"
    last = shown.iloc[-1]
    words = f"Trend chart of {title} for {unit_name}, {span}. "
    words += f"Latest result {format_value(last['value'], value_unit)} in {last['month']:%B %Y}"
    if pd.notna(last["rag"]):
        words += f", rated {RAG(str(last['rag'])).label}"
    if pd.notna(last["target"]):
        words += f"; target {format_value(last['target'], value_unit)}"
    if pd.notna(last["floor"]):
        words += f", floor {format_value(last['floor'], value_unit)}"
    words += "."
    if len(shown) > 1:
        low, high = shown["value"].min(), shown["value"].max()
        words += (
            f" Over {len(shown)} months results ranged from {format_value(low, value_unit)} "
            f"to {format_value(high, value_unit)}."
        )
    return words + note


def chart_alt_text(
    title: str,
    unit_name: str,
    months: pd.PeriodIndex,
    value_unit: str,
    values: np.ndarray,
    rags: Sequence[str | None],
    target: np.ndarray,
    floor: np.ndarray,
    *,
    withheld: int = 0,
    spc_text: str = "",
) -> str:
    """:func:`alt_text` from arrays on the chart's ``months`` (NaN: no value), as the page builds
    it for every chart; the same words, and ``spc_text`` (what the process limits say, one
    sentence) after the figures."""
    span = f"{months[0].strftime('%B %Y')} to {months[-1].strftime('%B %Y')}"
    s = "s" if withheld != 1 else ""
    note = f" Results of {withheld} month{s} are withheld (small numbers)." if withheld else ""
    shown = np.flatnonzero(np.isfinite(values))
    if shown.size == 0:
        return f"Trend chart of {title} for {unit_name}, {span}: no results shown.{note}"
    last = int(shown[-1])
    words = f"Trend chart of {title} for {unit_name}, {span}. "
    words += f"Latest result {format_value(values[last], value_unit)} in {months[last]:%B %Y}"
    if rags[last] is not None:
        words += f", rated {RAG(str(rags[last])).label}"
    if np.isfinite(target[last]):
        words += f"; target {format_value(target[last], value_unit)}"
    if np.isfinite(floor[last]):
        words += f", floor {format_value(floor[last], value_unit)}"
    words += "."
    if shown.size > 1:
        low, high = values[shown].min(), values[shown].max()
        words += (
            f" Over {shown.size} months results ranged from {format_value(low, value_unit)} "
            f"to {format_value(high, value_unit)}."
        )
    if spc_text:
        words += f" {spc_text}"
    return words + note

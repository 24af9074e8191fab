"""Trend charts of the HTML report: 12 months of one indicator for one unit, as small PNG images.

A county report has about 27 units x 44 indicators = 1,200 charts, so :class:`TrendChartRenderer`
keeps ONE matplotlib figure (Agg canvas, no pyplot state) and only updates its artists' data for
each chart. The month labels, the same on every chart, are drawn once and pasted back as pixels;
the pixels are mapped onto a fixed palette of the chart's own colours (exact RAG colours, 8-bit
PNG). A chart takes about 10 ms and 4-7 KB. Identical charts (for instance the "no results" chart
of an indicator in every team that has none) are drawn once.

Each chart shows the result line with one point per month coloured by its RAG rating (grey when not
rated), the target (dashed) and floor (dotted) in force each month as steps (they change with the
financial year), and for target-band (T) indicators the Green band shaded. Titles and the key are
left to the HTML (escaped text): no text from the data is drawn into an image.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Hashable

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PIL import Image

from scorecard.rating.vocabulary import RAG
from scorecard.registry.model import ValueUnit
from scorecard.reports.model import NOT_RATED_COLOUR, RAG_COLOURS, format_value

#: Colours, shared with the HTML key (``html.py`` draws the key with the same colours).
LINE_COLOUR = "#3C4650"
TARGET_COLOUR = "#1F4E79"
FLOOR_COLOUR = "#A12A2A"
BAND_COLOUR = "#4CAF50"
GRID_COLOUR = "#E6E8EB"
TEXT_COLOUR = "#4A4F55"
SPINE_COLOUR = "#9AA1A9"

#: Written across a chart without any result.
NO_RESULTS = "No results in these months"
WITHHELD = "Figures withheld: small numbers"

#: Chart size in CSS pixels; the PNG has ``SCALE`` times as many pixels for sharp high-DPI screens.
WIDTH_PX, HEIGHT_PX, SCALE = 360, 190, 1.5


def _rgb(colour: str) -> np.ndarray:
    colour = colour.lstrip("#")
    return np.array([int(colour[i : i + 2], 16) for i in (0, 2, 4)], dtype=float)


def _palette() -> np.ndarray:
    """A fixed palette (white first): every colour drawn, each also blended with white for
    antialiased edges and the band's tint. Mapping pixels onto it keeps the RAG colours exact."""
    drawn = [*RAG_COLOURS.values(), NOT_RATED_COLOUR, LINE_COLOUR, TARGET_COLOUR, FLOOR_COLOUR,
             BAND_COLOUR, TEXT_COLOUR, SPINE_COLOUR, GRID_COLOUR]  # fmt: skip
    colours = [np.array([255.0, 255.0, 255.0])]
    for colour in drawn:
        for weight in (1.0, 0.7, 0.45, 0.2):
            colours.append(_rgb(colour) * weight + 255.0 * (1 - weight))
    return np.rint(np.array(colours)).astype(np.int32)


_PALETTE = _palette()
_PALETTE_BYTES = _PALETTE.astype(np.uint8).ravel().tolist()


def _to_palette(pixels: np.ndarray) -> Image.Image:
    """An RGB array as a palette image on :data:`_PALETTE`, each pixel mapped to the nearest
    colour. Only the distinct non-white colours (a few hundred) are matched, so this is fast;
    Pillow's own palette quantiser approximates and turns white into light grey."""
    packed = (
        (pixels[..., 0].astype(np.uint32) << 16)
        | (pixels[..., 1].astype(np.uint32) << 8)
        | pixels[..., 2].astype(np.uint32)
    )
    indices = np.zeros(packed.shape, dtype=np.uint8)  # 0 is white
    ink = packed != 0xFFFFFF
    distinct, inverse = np.unique(packed[ink], return_inverse=True)
    rgb = np.stack([(distinct >> 16) & 255, (distinct >> 8) & 255, distinct & 255], axis=1)
    distance = ((rgb.astype(np.int32)[:, None, :] - _PALETTE[None, :, :]) ** 2).sum(axis=2)
    indices[ink] = distance.argmin(axis=1).astype(np.uint8)[inverse.ravel()]
    image = Image.fromarray(indices)
    image.putpalette(_PALETTE_BYTES)
    return image


def data_uri(png: bytes) -> str:
    """A ``data:`` URI embedding a PNG in the page (self-contained, no file beside the HTML)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _axis_formatter(unit: ValueUnit) -> FuncFormatter:
    def fmt(value: float, _pos: int) -> str:
        match unit:
            case ValueUnit.PERCENT:
                return f"{value:.0f}%" if abs(value - round(value)) < 1e-9 else f"{value:.1f}%"
            case ValueUnit.COUNT:
                return f"{value:,.0f}"
            case _:
                return f"{value:,.1f}".rstrip("0").rstrip(".")

    return FuncFormatter(fmt)


def _month_labels(months: pd.PeriodIndex) -> list[str]:
    """``Jun`` per month, with the year under the first month and under each January."""
    labels = []
    for i, m in enumerate(months):
        name = m.strftime("%b")
        labels.append(f"{name}\n{m.year}" if i == 0 or m.month == 1 else name)
    return labels


class TrendChartRenderer:
    """Render 12-month trend charts for a fixed run of ``months`` by reusing one figure.

    >>> renderer = TrendChartRenderer(pd.period_range("2014-06", "2015-05", freq="M"))
    >>> trend = model.trend(frame, "cp_repeat_24_months", "Kent", "2015-05", 12)  # doctest: +SKIP
    >>> png = renderer.render(trend, "percent")  # doctest: +SKIP
    """

    def __init__(self, months: pd.PeriodIndex) -> None:
        self.months = months
        self._index = {m: i for i, m in enumerate(months)}
        self._x = np.arange(len(months), dtype=float)
        self._cache: dict[Hashable, bytes] = {}
        self.rendered = 0  # charts actually drawn (cache misses), for timing reports

        dpi = 100 * SCALE
        fig = Figure(figsize=(WIDTH_PX / 100, HEIGHT_PX / 100), dpi=dpi, facecolor="white")
        self._canvas = FigureCanvasAgg(fig)
        ax = fig.add_axes((0.14, 0.2, 0.83, 0.74))
        ax.set_xlim(-0.5, len(months) - 0.5)
        ax.set_xticks(self._x, _month_labels(months))
        ax.tick_params(axis="both", labelsize=7, colors=TEXT_COLOUR, length=2.5, pad=2)
        ax.tick_params(axis="x", length=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_color(SPINE_COLOUR)
            ax.spines[side].set_linewidth(0.8)
        ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
        ax.set_axisbelow(True)
        self._locators = {
            counts: MaxNLocator(nbins=4, min_n_ticks=3, integer=counts) for counts in (False, True)
        }
        nan = np.full(len(months), np.nan)
        # thresholds are drawn as steps across each month's whole width: x of month i - 0.5, i + 0.5
        self._edges = np.repeat(self._x, 2) + np.tile([-0.5, 0.5], len(months))
        edge_nan = np.repeat(nan, 2)
        (self._target,) = ax.plot(self._edges, edge_nan, color=TARGET_COLOUR, lw=1.3,
                                  ls=(0, (4, 2.5)), zorder=2)  # fmt: skip
        (self._floor,) = ax.plot(self._edges, edge_nan, color=FLOOR_COLOUR, lw=1.3,
                                 ls=(0, (1, 1.8)), zorder=2)  # fmt: skip
        # results are never outside the limits; not clipping keeps whole markers on the axes' edge
        (self._line,) = ax.plot(self._x, nan, color=LINE_COLOUR, lw=1.6, zorder=3, clip_on=False)
        self._points = ax.scatter(self._x, nan, s=30, zorder=4, edgecolors=LINE_COLOUR,
                                  linewidths=0.7, clip_on=False)  # fmt: skip
        self._band: PolyCollection | None = None
        self._message = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center",
                                fontsize=8, color=TEXT_COLOUR)  # fmt: skip
        self._fig, self._ax = fig, ax
        self._strip_top, self._strip_left, self._strip_clear, self._strip = self._month_strip()

    def _month_strip(self) -> tuple[int, int, int, np.ndarray]:
        """Draw the month labels once and keep their pixels (every row under the axes); later draws
        leave the labels out and paste these pixels back. Every chart shares the x axis, and laying
        out its labels is about half the cost of a draw. Left of the y axis only the rows under the
        lowest y tick label (``clear`` rows down) are pasted back, for the year under the first
        month."""
        self._canvas.draw()
        pixels = np.asarray(self._canvas.buffer_rgba())[:, :, :3]
        height = pixels.shape[0]
        box = self._ax.get_window_extent()  # display pixels, origin at the bottom left
        top = math.ceil(height - box.y0 + 1.5)  # first row wholly under the bottom spine
        left = math.ceil(box.x0 + 1.5)  # right of the spine: y tick labels are left of it
        clear = math.ceil(7 * 100 * SCALE / 72)  # one line of 7 pt text
        strip = pixels[top:, :].copy()
        self._ax.xaxis.set_visible(False)  # the bottom spine stays
        return top, left, clear, strip

    def _series(self, trend: pd.DataFrame, column: str) -> np.ndarray:
        out = np.full(len(self.months), np.nan)
        for month, value in zip(trend["month"], trend[column], strict=True):
            i = self._index.get(month)
            if i is not None and pd.notna(value):
                out[i] = float(value)
        return out

    def render(
        self, trend: pd.DataFrame, value_unit: ValueUnit | str, *, empty: str = NO_RESULTS
    ) -> bytes:
        """The PNG of one chart from a :func:`scorecard.reports.model.trend` frame; ``empty`` is
        written across a chart without any result (e.g. :data:`WITHHELD`)."""
        unit = ValueUnit(value_unit)
        values = self._series(trend, "value")
        target = self._series(trend, "target")
        floor = self._series(trend, "floor")
        lower = self._series(trend, "green_lower")
        upper = self._series(trend, "green_upper")
        rags: list[str | None] = [None] * len(self.months)
        for month, rag in zip(trend["month"], trend["rag"], strict=True):
            if month in self._index and pd.notna(rag):
                rags[self._index[month]] = str(rag)
        message = "" if np.isfinite(values).any() else empty
        key = (unit, *(a.tobytes() for a in (values, target, floor, lower, upper)), tuple(rags),
               message)  # fmt: skip
        cached = self._cache.get(key)
        if cached is None:
            cached = self._draw(unit, values, target, floor, lower, upper, rags, message)
            self._cache[key] = cached
        return cached

    def _draw(
        self,
        unit: ValueUnit,
        values: np.ndarray,
        target: np.ndarray,
        floor: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
        rags: list[str | None],
        message: str,
    ) -> bytes:
        ax = self._ax
        self._line.set_ydata(values)
        self._target.set_ydata(np.repeat(target, 2))
        self._floor.set_ydata(np.repeat(floor, 2))
        self._points.set_offsets(np.column_stack([self._x, values]))
        self._points.set_facecolor(
            [RAG_COLOURS.get(r, NOT_RATED_COLOUR) if r else NOT_RATED_COLOUR for r in rags]
        )
        if self._band is not None:
            self._band.remove()
            self._band = None
        has_band = bool(np.isfinite(lower).any() and np.isfinite(upper).any())
        if has_band:
            self._band = ax.fill_between(
                self._edges, np.repeat(lower, 2), np.repeat(upper, 2),
                color=BAND_COLOUR, alpha=0.16, linewidth=0, zorder=1,
            )  # fmt: skip
        self._message.set_text(message)

        ax.yaxis.set_major_locator(self._locators[unit is ValueUnit.COUNT])
        ax.yaxis.set_major_formatter(_axis_formatter(unit))
        ax.set_ylim(*self._limits(unit, values, target, floor, lower, upper))
        self._canvas.draw()
        self.rendered += 1
        pixels = np.asarray(self._canvas.buffer_rgba())[:, :, :3].copy()
        top, left, clear = self._strip_top, self._strip_left, self._strip_clear
        pixels[top:, left:] = self._strip[:, left:]  # the month labels
        pixels[top + clear :, :left] = self._strip[clear:, :left]  # the year under the first
        out = io.BytesIO()
        _to_palette(pixels).save(out, format="PNG")
        return out.getvalue()

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
        """Free the figure (the renderer cannot be used afterwards)."""
        self._fig.clear()
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

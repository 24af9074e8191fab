"""The HTML scorecard: one self-contained, escaped file with every unit, its RAG table, activity,
exception reports and a trend chart per indicator."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from scorecard.pipeline import Scorecard
from scorecard.rating.summary import applicable_rows
from scorecard.rating.vocabulary import RatingState
from scorecard.registry.model import Registry
from scorecard.reports import model
from scorecard.reports.charts import AXES_ID, TrendChartRenderer, alt_text
from scorecard.reports.html import activity_text, render_html, write_html

SCRIPT = "<script>alert(1)</script>"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


# --- a small DOM from html.parser (the standard library's parser, as a browser-free check) -----


@dataclasses.dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = dataclasses.field(default_factory=list)
    parent: Node | None = None

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag)
            and (cls is None or cls in n.classes)
            and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}> under <{self.tag}>"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, parent=self.current))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.current.tag != tag:
            self.errors.append(f"</{tag}> closes <{self.current.tag}> at {self.getpos()}")
            while self.current.parent is not None and self.current.tag != tag:
                self.current = self.current.parent
        if self.current.parent is not None:
            self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(text: str) -> Node:
    """Parse with :mod:`html.parser`; fail on unbalanced or unclosed elements."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    assert not builder.errors, builder.errors[:5]
    assert builder.current is builder.root, f"<{builder.current.tag}> is never closed"
    return builder.root


def sections(dom: Node) -> dict[str, Node]:
    """The unit sections by unit name."""
    return {s.attrs["data-unit"]: s for s in dom.find_all("section", "unit")}


# --- fixtures -----------------------------------------------------------------------------------


def subset(card: Scorecard, units: list[str], **changes: Any) -> Scorecard:
    """A smaller card with only ``units`` (faster to render)."""
    frame = card.frame[card.frame["unit"].isin(units)]
    activity = card.computation.activity
    computation = dataclasses.replace(
        card.computation, activity=activity[activity["unit"].isin(units)]
    )
    return dataclasses.replace(card, frame=frame, computation=computation, **changes)


def small_units(card: Scorecard) -> list[str]:
    """The county, one area and one of its teams."""
    units = card.computation.units
    area_rows = units[units["level"] == "area"]
    area = str(area_rows["unit"].iloc[0])
    team = str(area_rows.loc[area_rows["unit"] == area, "team"].iloc[0])
    return [card.county, area, team]


@pytest.fixture(scope="module")
def built(card: Scorecard, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("html") / "reports" / "scorecard.html"
    written = write_html(card, card.latest_month, path)
    assert written == path
    return path, path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def text(built: tuple[Path, str]) -> str:
    return built[1]


@pytest.fixture(scope="module")
def dom(text: str) -> Node:
    return parse_html(text)


@pytest.fixture(scope="module")
def latest(card: Scorecard) -> pd.DataFrame:
    """The latest month's rows that the unit pages list (the indicators that apply to the unit)."""
    return applicable_rows(card.frame[card.frame["month"] == card.latest_month])


# --- the whole report ---------------------------------------------------------------------------


def test_the_file_is_written_and_parses(built: tuple[Path, str], dom: Node) -> None:
    path, text = built
    assert path.is_file() and path.stat().st_size > 10_000
    assert text.startswith("<!DOCTYPE html>")
    assert dom.find("html").attrs["lang"] == "en-GB"
    assert dom.find("title").text().endswith("May 2015")
    # how long it took is measured in benchmarks/ (targets.py), not asserted here: a shared
    # machine under load once took 87 s


def test_every_unit_has_a_section_a_title_and_a_link(card: Scorecard, dom: Node) -> None:
    found = sections(dom)
    units = model.units_in_order(card.frame)["unit"].tolist()
    assert list(found) == units  # county, areas, teams
    links = {a.attrs["href"] for a in dom.find("nav", "sidebar").find_all("a")}
    for unit, section in found.items():
        assert section.find("h2").text() == f"Scorecard - {unit}"
        assert f"#{section.attrs['id']}" in links
        # the published summary sentence, then what statistical process control says
        summary = section.find("p", "summary").text()
        assert summary.startswith(card.summary_sentence(unit) + " Statistical process control: ")
    ids = [n.attrs["id"] for n in dom.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids)), "duplicate ids"


def test_a_chart_per_indicator_per_unit(card: Scorecard, dom: Node, latest: pd.DataFrame) -> None:
    per_unit = latest.groupby("unit")["indicator"].nunique()
    total = 0
    for unit, section in sections(dom).items():
        figures = section.find_all("figure", "trend-chart")
        assert len(figures) == per_unit[unit] <= len(card.registry)
        refs = [int(f.attrs["data-ref"]) for f in figures]
        assert refs == sorted(latest.loc[latest["unit"] == unit, "ref"])
        for figure in figures:
            svg = figure.find("svg", "chart")
            assert svg.attrs["role"] == "img" and svg.attrs["viewbox"] == "0 0 360 190"
            title = svg.find("title").text()  # the chart's accessible name
            assert unit in title and len(title) > 40
            assert svg.find("use").attrs["href"] == f"#{AXES_ID}"
        total += len(figures)
    assert total == len(latest)
    # what every chart shares is on the page once
    assert len(dom.find_all("g", id=AXES_ID)) == 1 and not dom.find_all("img")


def test_rag_cells_carry_the_letters_of_the_ratings(dom: Node, latest: pd.DataFrame) -> None:
    expected = {
        (u, i): (str(r) if pd.notna(r) else "NR")
        for u, i, r in zip(latest["unit"], latest["indicator"], latest["rag"], strict=True)
    }
    states = dict(zip(zip(latest["unit"], latest["indicator"]), model.derived_states(latest)))
    seen = 0
    for unit, section in sections(dom).items():
        for row in section.find("table", "scorecard").find_all("tr"):
            if "data-indicator" not in row.attrs:
                continue
            cell = row.find("td", "result")
            letter = cell.find("span", "rag-letter").text()
            code = expected[unit, row.attrs["data-indicator"]]
            assert cell.attrs["data-rag"] == code
            css = {"R": "rag-R", "A": "rag-A", "G": "rag-G", "NR": "rag-none"}[code]
            assert css in cell.classes
            if code == "NR":  # no rating: the state's words are shown, never a bare "NR"
                state = states[unit, row.attrs["data-indicator"]]
                assert letter == RatingState(state).label and cell.attrs["data-state"] == state
            else:
                assert letter == code
            seen += 1
    assert seen == len(latest)
    assert {"R", "A", "G"} <= set(expected.values())


def test_the_rag_table_is_grouped_and_shows_the_published_columns(
    card: Scorecard, dom: Node
) -> None:
    county = sections(dom)[card.county]
    table = county.find("table", "scorecard")
    headings = [th.text() for th in table.find("thead").find_all("th")]
    assert headings[:2] == ["Ref", "Indicator"]
    assert {"Target 15/16", "Previous (Apr 15)", "Outturn (Mar 15)"} <= set(headings)
    groups = [tr.text() for tr in table.find_all("tr", "group")]
    assert groups == list(
        dict.fromkeys(i.group for i in sorted(card.registry, key=lambda i: i.ref))
    )
    arrows = {span.text().split()[-1] for span in table.find_all("td", "dot")}
    assert arrows <= {"improved", "same", "worsened", "-"}


def test_exception_reports_for_the_red_indicators(card: Scorecard, dom: Node) -> None:
    month = card.latest_month
    for unit, section in sections(dom).items():
        reds = model.red_indicators(card.frame, unit, month)
        reports = section.find_all("article", "exception")
        assert len(reports) == len(reds)
        for report, indicator in zip(reports, reds, strict=True):
            assert card.registry[indicator].title in report.find("h4").text()
            rows = report.find("table", "trend").find("tbody").find_all("tr")
            assert 1 <= len(rows) <= 4
            assert rows[-1].find("td", "rag-cell").text() == "R"
            notes = model.data_notes(card.registry[indicator], card.registry, month)
            assert [dt.text() for dt in report.find_all("dt")] == list(notes)
            assert [dd.text() for dd in report.find_all("dd")] == list(notes.values())
    assert any(section.find_all("article", "exception") for section in sections(dom).values())


def test_the_activity_table(card: Scorecard, dom: Node) -> None:
    table = model.activity_table(card.computation.activity, card.county, card.latest_month)
    shown = sections(dom)[card.county].find("table", "activity")
    rows = [[c.text() for c in tr.children if not isinstance(c, str)]
            for tr in shown.find("tbody").find_all("tr")]  # fmt: skip
    assert [r[0] for r in rows] == table["activity"].tolist()
    assert [r[1] for r in rows] == [model.format_count(v) for v in table["this_month"]]


def test_self_contained_no_network_no_script(text: str, dom: Node) -> None:
    assert "http://" not in text and "https://" not in text
    assert not dom.find_all("script") and not dom.find_all("link") and not dom.find_all("iframe")
    for node in dom.iter():
        for name in ("src", "href", "srcset", "action", "poster"):
            value = node.attrs.get(name)
            if value is not None:
                assert value.startswith("#"), (node.tag, value[:60])
    style = "".join(s.text() for s in dom.find_all("style"))
    assert "@import" not in style and "url(" not in style
    csp = dom.find("meta", http_equiv="Content-Security-Policy").attrs["content"]
    assert "default-src 'none'" in csp


def test_aggregates_only_no_record_level_ids(card: Scorecard, text: str) -> None:
    visible = text
    records = pd.concat(list(card.computation.records.values()))
    for column in ("child_id", "record_id"):
        ids = records[column].dropna().astype(str).unique()
        assert ids.size
        assert not [i for i in ids[:2000] if i in visible]


# --- escaping and suppression (a few units: quicker) --------------------------------------------


def test_markup_in_unit_names_and_titles_is_shown_as_text(card: Scorecard) -> None:
    county, area, team = small_units(card)
    latest = card.frame[(card.frame["unit"] == team) & (card.frame["month"] == card.latest_month)]
    indicator = str(latest["indicator"].iloc[0])
    evil_unit = f"{SCRIPT} & <b>Team</b>"
    frame = card.frame[card.frame["unit"].isin([county, area, team])].copy()
    frame["unit"] = frame["unit"].replace({team: evil_unit})
    mine = (frame["indicator"] == indicator) & (frame["unit"] == evil_unit)
    frame["title"] = frame["title"].mask(frame["indicator"] == indicator, SCRIPT)
    frame.loc[mine & (frame["month"] == card.latest_month), "rag"] = "R"  # an exception report
    original = card.registry[indicator]
    changed = dataclasses.replace(original, title=SCRIPT, source=f'{SCRIPT}"><img src=x>')
    registry = Registry(
        tuple(changed if i.id == indicator else i for i in card.registry),
        card.registry.rules,
        card.registry.financial_years,
        card.registry.sources,
    )
    assert original.title != SCRIPT
    small = subset(card, [county, area, team], registry=registry)
    activity = small.computation.activity.replace({"unit": {team: evil_unit}})
    small = dataclasses.replace(
        small, frame=frame, computation=dataclasses.replace(small.computation, activity=activity)
    )
    text = render_html(small, card.latest_month)
    assert "<script" not in text.lower()
    assert "<b>Team</b>" not in text and "<img src=x>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    dom = parse_html(text)
    assert not dom.find_all("script") and not dom.find_all("img", src="x")
    assert not [b for b in dom.find_all("b") if b.text() == "Team"]
    section = sections(dom)[evil_unit]
    assert section.find("h2").text() == f"Scorecard - {evil_unit}"
    assert re.fullmatch(r"unit-[a-z0-9-]+", section.attrs["id"])
    row = section.find("tr", data_indicator=indicator)
    assert row.find("th", "title").text() == SCRIPT
    report = section.find("article", "exception")
    assert SCRIPT in report.find("h4").text()
    assert report.find_all("dd")[-1].text() == f'{SCRIPT}"><img src=x>'
    figure = section.find("figure", "trend-chart", data_ref=str(original.ref))
    assert SCRIPT in figure.find("figcaption").text()
    assert SCRIPT in figure.find("svg", "chart").find("title").text()
    nav = [a.text() for a in dom.find("nav", "sidebar").find_all("a")]
    assert any(evil_unit in name for name in nav)


def test_suppression_shows_c_for_small_counts(card: Scorecard) -> None:
    units = small_units(card)
    small = subset(card, units)
    below = 10
    latest = small.frame[small.frame["month"] == card.latest_month]
    hidden = latest[
        ((latest["numerator"] > 0) & (latest["numerator"] < below))
        | ((latest["denominator"] > 0) & (latest["denominator"] < below))
    ]
    assert not hidden.empty, "the fixture has no small counts to withhold"
    plain = sections(parse_html(render_html(small, card.latest_month)))
    withheld = sections(parse_html(render_html(small, card.latest_month, suppress_below=below)))
    for unit, indicator, numerator in zip(
        hidden["unit"], hidden["indicator"], hidden["numerator"], strict=True
    ):
        row = withheld[unit].find("tr", data_indicator=indicator)
        cells = [c for c in row.children if isinstance(c, Node)]
        assert cells[4].find("span", "value").text() == "c"
        has_denominator = card.registry[indicator].unit.has_denominator
        assert cells[5].text() == "c" and cells[6].text() == ("c" if has_denominator else "")
        # the rating would tell which band the withheld value is in: withheld too
        assert row.find("td", "result").attrs["data-rag"] == "c"
        assert row.find("span", "rag-letter").text() == "c"
        before = plain[unit].find("tr", data_indicator=indicator)
        assert [c for c in before.children if isinstance(c, Node)][5].text() == (
            model.format_count(numerator)
        )
    # nothing is withheld without suppress_below
    assert all(cell.text() != "c" for s in plain.values() for cell in s.find_all("td"))


def test_a_withheld_month_is_withheld_as_previous_and_outturn_too(card: Scorecard) -> None:
    """A row that is not withheld shows the previous month's and the outturn's results: they are
    withheld ("c") when their own month's row is."""
    small = subset(card, [card.county])
    frame = small.frame.copy()
    month = card.latest_month
    latest = frame[(frame["month"] == month) & (frame["numerator"] >= 10)]
    latest = latest[latest["previous_value"].notna() & latest["outturn_value"].notna()]
    indicator = str(latest["indicator"].iloc[0])
    outturn = latest["outturn_month"].iloc[0]
    for earlier in (month - 1, outturn):
        that_month = (frame["indicator"] == indicator) & (frame["month"] == earlier)
        frame.loc[that_month, "numerator"] = 2.0  # a small count that month only
    dom = parse_html(render_html(dataclasses.replace(small, frame=frame), month, suppress_below=5))
    row = sections(dom)[card.county].find("tr", data_indicator=indicator)
    cells = [c.text() for c in row.children if isinstance(c, Node)]
    assert cells[4] != "c" and cells[5] != "c"  # this month is shown
    assert cells[8] == "c" and cells[10] == "c"  # previous and outturn are withheld


def test_suppression_of_activity_counts() -> None:
    table = pd.DataFrame(
        {
            "activity": ["Open cases", "Private fostering arrangements", "Care starts"],
            "this_month": [120.0, 3.0, 0.0],
            "last_month": [118.0, 6.0, np.nan],
            "change": [2.0, -3.0, np.nan],
        }
    )
    shown = activity_text(table, 5)
    assert shown.values.tolist() == [
        ["Open cases", "120", "118", "+2"],
        ["Private fostering arrangements", "c", "6", "c"],
        ["Care starts", "0", "", ""],
    ]
    assert activity_text(table, None)["this_month"].tolist() == ["120", "3", "0"]


def test_write_html_rejects_a_nonsense_threshold_or_month(card: Scorecard, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="suppress_below"):
        write_html(card, None, tmp_path / "x.html", suppress_below=0)
    with pytest.raises(ValueError, match="no results for 2016-01"):
        write_html(card, "2016-01", tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


# --- charts -------------------------------------------------------------------------------------


def test_charts_are_svg_reused_when_identical(card: Scorecard) -> None:
    months = pd.period_range(card.latest_month - 11, card.latest_month, freq="M")
    renderer = TrendChartRenderer(months)
    indicator = card.registry.ids[0]
    series = model.trend(card.frame, indicator, card.county, card.latest_month, 12)
    unit = card.registry[indicator].unit
    first = renderer.render(series, unit, title="A & B")
    assert first.startswith('<svg class="chart" viewBox="0 0 360 190" role="img">')
    assert "<title>A &amp; B</title>" in first and len(first) < 2_000
    assert renderer.render(series.copy(), unit, title="A & B") == first
    assert renderer.rendered == 1  # drawn once, the second from the cache
    empty = renderer.render(series.iloc[:0], unit)
    assert empty != first and renderer.rendered == 2 and "No results in these months" in empty
    words = alt_text("Title", card.county, series, months, unit.value)
    assert words.startswith(f"Trend chart of Title for {card.county}")
    assert "Latest result" in words
    assert "no results shown" in alt_text("T", "U", series.iloc[:0], months, unit.value)
    assert "2 months are withheld" in alt_text("T", "U", series, months, unit.value, withheld=2)
    renderer.close()


def test_render_defaults_to_the_latest_month(card: Scorecard) -> None:
    text = render_html(subset(card, [card.county]))
    assert card.latest_month.strftime("%B %Y") in text


def test_summary_sentences_in_one_pass_say_what_each_unit_s_sentence_says(card: Scorecard) -> None:
    frame = model.publication_frame(card, 5)
    month = card.latest_month
    sentences = model.summary_sentences(frame, month)
    units = frame.loc[frame["month"] == month, "unit"].unique().tolist()
    assert sorted(sentences) == sorted(units)
    for unit in units:
        assert sentences[unit] == model.summary_sentence(frame, unit, month)
    # a unit to which nothing applies keeps its own words
    nothing = frame.assign(state="not applicable")
    assert model.summary_sentences(nothing, month)[card.county] == (
        f"As at 31/05/2015, no indicator of the scorecard applies to {card.county}."
    )

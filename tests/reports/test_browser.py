"""The HTML scorecard in a real browser: headless Chromium renders it without errors, the RAG table
and a chart per indicator are in the rendered DOM, a screenshot is kept in the test's tmp dir for
people to look at, and the page prints to PDF in the documented layout (each unit from a new page).

Skipped only when Chromium is absent AND the environment variable CI is not set; in CI (where
``.ci/run`` installs Chromium) a missing browser fails the test.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from scorecard.pipeline import Scorecard
from scorecard.rating.summary import applicable_rows
from scorecard.rating.vocabulary import RatingState
from scorecard.reports import model
from scorecard.reports.html import write_html
from tests.reports.test_html import parse_html, sections, small_units, subset

CHROMIUM = Path(os.environ.get("SCORECARD_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
]  # fmt: skip
#: What Chromium writes to stderr when the page has a script error, a console error or a blocked
#: (non-inline) resource: none may appear.
PAGE_ERRORS = ("Uncaught", "ERROR:CONSOLE", "Refused to", "Failed to load resource", "net::ERR_")


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing but CI is set: .ci/run must install chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    return CHROMIUM


def run_chromium(
    browser: Path, tmp: Path, url: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium once (own profile, no network services) with logging to stderr."""
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    command = [
        str(browser), *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
        *extra, url,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, (
        f"chromium failed ({result.returncode}):\n{result.stderr[-3000:]}"
    )
    return result


def page_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if any(e in line for e in PAGE_ERRORS)]


@pytest.fixture(scope="module")
def report(card: Scorecard, tmp_path_factory: pytest.TempPathFactory) -> tuple[Scorecard, Path]:
    """The county, one area and a team, with small counts withheld (as published)."""
    small = subset(card, small_units(card))
    path = tmp_path_factory.mktemp("browser") / "scorecard.html"
    return small, write_html(small, card.latest_month, path, suppress_below=5)


def test_the_page_renders_without_errors(
    chromium: Path, report: tuple[Scorecard, Path], tmp_path: Path
) -> None:
    _, path = report
    screenshot = tmp_path / "scorecard.png"
    result = run_chromium(
        chromium, tmp_path, path.as_uri(), f"--screenshot={screenshot}", "--window-size=1400,2000"
    )
    assert not page_errors(result.stderr), page_errors(result.stderr)
    assert screenshot.is_file()
    assert Image.open(screenshot).size == (1400, 2000)
    assert_not_blank(screenshot)


def test_the_rag_table_is_in_the_rendered_dom(
    chromium: Path, report: tuple[Scorecard, Path], tmp_path: Path
) -> None:
    card, path = report
    result = run_chromium(chromium, tmp_path, path.as_uri(), "--dump-dom")
    assert not page_errors(result.stderr), page_errors(result.stderr)
    dom = parse_html(result.stdout)
    found = sections(dom)
    assert list(found) == model.units_in_order(card.frame)["unit"].tolist()
    latest = applicable_rows(card.frame[card.frame["month"] == card.latest_month])
    listed = latest.groupby("unit")["indicator"].nunique()  # the indicators that apply to a unit
    for unit, section in found.items():
        rows = [
            r
            for r in section.find("table", "scorecard").find_all("tr")
            if "data-indicator" in r.attrs
        ]
        assert len(rows) == listed[unit] <= len(card.registry)
        letters = {r.find("td", "result").find("span", "rag-letter").text() for r in rows}
        # a row without a rating shows its state in words, never a bare "NR"; "c" when withheld
        states = {s.label for s in RatingState if s is not RatingState.RATED}
        assert letters <= {"R", "A", "G", model.SUPPRESSED} | states and letters & {"R", "A", "G"}
        figures = section.find_all("figure", "trend-chart")
        assert len(figures) == listed[unit]
        # each an inline SVG chart with its text alternative
        assert all(unit in f.find("svg", "chart").find("title").text() for f in figures)


def test_a_team_is_shown_from_its_link(
    chromium: Path, report: tuple[Scorecard, Path], tmp_path: Path
) -> None:
    """Following a sidebar link (an address with the unit's fragment) shows that unit's page."""
    card, path = report
    team = small_units(card)[-1]
    anchor = sections(parse_html(path.read_text(encoding="utf-8")))[team].attrs["id"]
    screenshot = tmp_path / "team.png"
    result = run_chromium(
        chromium, tmp_path, f"{path.as_uri()}#{anchor}", f"--screenshot={screenshot}",
        "--window-size=1400,1200",
    )  # fmt: skip
    assert not page_errors(result.stderr), page_errors(result.stderr)
    assert_not_blank(screenshot)


def assert_not_blank(screenshot: Path) -> None:
    """The screenshot shows a page: many colours, RAG fills among them."""
    image = Image.open(screenshot).convert("RGB")
    colours = {colour for _, colour in image.getcolors(maxcolors=1_000_000) or []}
    rag = {tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in model.RAG_COLOURS.values()}
    assert len(colours) > 50, "the screenshot is (nearly) blank"
    assert colours & rag, "no RAG colour is visible"


#: Printed pages a unit may take at most (A4 landscape; scorecard.css, docs/reports.md): its
#: heading, summary and activity, the RAG table and key, the exception reports, then the charts.
PAGES_PER_UNIT = 8


def test_printing_starts_each_unit_on_a_new_page(
    chromium: Path, report: tuple[Scorecard, Path], tmp_path: Path
) -> None:
    card, path = report
    pdf = tmp_path / "scorecard.pdf"
    result = run_chromium(
        chromium, tmp_path, path.as_uri(), f"--print-to-pdf={pdf}", "--no-pdf-header-footer"
    )
    assert not page_errors(result.stderr), page_errors(result.stderr)
    pages = [set(page.extract_text().splitlines()) for page in PdfReader(pdf).pages]
    units = model.units_in_order(card.frame)["unit"].tolist()
    headings = {f"Scorecard - {unit}" for unit in units}
    starts = [i for i, lines in enumerate(pages) if lines & headings]
    # each unit's heading opens a page of its own, in the order of the report, the first on page 1
    assert [next(iter(pages[i] & headings)) for i in starts] == [f"Scorecard - {u}" for u in units]
    assert starts[0] == 0 and all(len(pages[i] & headings) == 1 for i in starts)
    # every unit fits in the documented number of pages (the last one's include data quality)
    spans = [b - a for a, b in zip(starts, [*starts[1:], len(pages)], strict=True)]
    assert all(1 <= span <= PAGES_PER_UNIT for span in spans), spans
    assert any(span >= 2 for span in spans)  # the county's charts follow on their own pages

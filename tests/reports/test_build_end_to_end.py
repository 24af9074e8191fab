"""`scorecard build` on the bundled data: workbook, HTML and CSV agree with each other."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from scorecard.cli import main
from scorecard.reports.model import RAG_COLOURS
from scorecard.reports.publish import read_published
from tests.conftest import REPO


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("build")
    result = CliRunner().invoke(main, ["build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "As at 31/05/2015, Kent has" in result.output
    return {
        "out": out,
        "workbook": out / "scorecard_2015-05.xlsx",
        "html": out / "scorecard_2015-05.html",
        "results": out / "scorecard_2015-05_results.csv",
        "quality": out / "scorecard_2015-05_data_quality.csv",
        "manifest": out / "scorecard_2015-05_manifest.json",
    }


@pytest.fixture(scope="module")
def results(built) -> pd.DataFrame:
    return pd.read_csv(built["results"], low_memory=False)


def test_results_csv_covers_every_indicator_unit_and_month(results) -> None:
    assert results["indicator"].nunique() == 44
    assert results["month"].nunique() == 13 and results["month"].max() == "2015-05"
    units = results[["unit", "level"]].drop_duplicates()
    assert (units["level"] == "county").sum() == 1 and len(units) == 1 + 5 + 23
    assert "child_id" not in results.columns and "record_id" not in results.columns


def test_workbook_values_and_fills_match_the_results(built, results) -> None:
    book = openpyxl.load_workbook(built["workbook"])
    may = results[results["month"] == "2015-05"]
    kent = may[may["unit"] == "Kent"].set_index("ref")
    sheet = book["Kent"]
    found = 0
    for row in sheet.iter_rows():
        ref = row[0].value
        if not isinstance(ref, int) or ref not in kent.index:
            continue
        cells = [c for c in row if isinstance(c.value, (int, float)) and c.column > 1]
        expected = kent.loc[ref]
        if pd.notna(expected["value"]):
            assert any(abs(c.value - expected["value"]) < 0.05 for c in cells), ref
            rag = expected["rag"]
            if isinstance(rag, str):
                colour = RAG_COLOURS[rag].lstrip("#").upper()
                fills = {str(c.fill.fgColor.rgb)[-6:].upper() for c in row}
                assert colour in fills, (ref, rag, fills)
        found += 1
    assert found == 44
    assert len(book.sheetnames) >= 1 + 5 + 23


class _Counter(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.charts = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg" and ("class", "chart") in attrs and ("role", "img") in attrs:
            self.charts += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_has_every_unit_and_a_chart_per_indicator(built, results) -> None:
    page = built["html"].read_text(encoding="utf-8")
    parser = _Counter()
    parser.feed(page)
    text = " ".join(parser.text)
    for unit in results["unit"].unique():
        assert f"Scorecard - {unit}" in text, unit
    latest = results[results["month"] == results["month"].max()]
    listed = latest[latest["state"] != "not applicable"]  # a unit page lists what applies to it
    assert 0 < len(listed) < len(latest)
    assert parser.charts == len(listed)  # one inline SVG chart per indicator that applies
    assert not re.search(r"(src|href)=\"https?://", page)


def test_data_quality_report_comes_with_the_scorecard(built) -> None:
    quality = pd.read_csv(built["quality"])
    assert {"section", "extract", "rows", "detail"} <= set(quality.columns)
    loaded = quality[quality["section"] == "loaded"]
    assert set(loaded["extract"]) >= {"referrals", "cp_plans", "cic_episodes", "workforce"}


def test_the_build_is_published_with_its_manifest(built) -> None:
    out = built["out"]
    manifest = read_published(out)  # every file there, with the recorded size and SHA-256
    assert manifest == json.loads(built["manifest"].read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == sorted(
        built[k].name for k in ("workbook", "html", "results", "quality")
    )
    assert (out / "current").resolve() == (out / ".builds" / manifest["build"]).resolve()
    assert manifest["library_version"] == "0.1.0"  # pyproject.toml's version
    assert (manifest["month"], manifest["county"]) == ("2015-05", "Kent")
    assert manifest["options"]["extracts"] == "bundled" and manifest["extracts_files"] >= 19
    # the registry fingerprint: the bundled indicators.yaml and rag_rules/*.yaml, hashed here
    # independently in the documented way (label NUL sha256 newline, registry then rules by name)
    digest = hashlib.sha256()
    files = [("registry", REPO / "indicators.yaml")] + [
        (f"rules/{p.name}", p) for p in sorted((REPO / "rag_rules").glob("*.yaml"))
    ]
    for label, path in files:
        digest.update(f"{label}\0{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    assert manifest["registry_sha256"] == digest.hexdigest()
    assert str(REPO) not in built["manifest"].read_text(encoding="utf-8")  # no path published


def test_footers_say_which_build_this_is(built) -> None:
    manifest = read_published(built["out"])
    expected = (
        f"Build {manifest['build']} · scorecard 0.1.0 · registry {manifest['registry_sha256'][:12]}"
        f" · extracts {manifest['extracts_sha256'][:12]} ({manifest['extracts_files']} files)"
    )
    page = built["html"].read_text(encoding="utf-8")
    assert f'<p class="build">{expected}' in page
    book = openpyxl.load_workbook(built["workbook"])
    assert all(expected in (sheet.oddFooter.center.text or "") for sheet in book.worksheets)
    contents = [c.value for row in book["Contents"].iter_rows() for c in row if c.value]
    assert any(str(v).startswith(expected) for v in contents)


def test_write_outputs_from_python_records_what_it_knows(card, tmp_path) -> None:
    """From Python, with a registry read from no file and extracts given in memory: the manifest
    and footers say these were not recorded (never a guess)."""
    from dataclasses import replace

    from scorecard.reports.build import write_outputs

    in_memory = replace(card, registry=replace(card.registry, sources=()))
    paths = write_outputs(in_memory, "2015-05", tmp_path / "out")
    manifest = read_published(tmp_path / "out")
    assert paths["manifest"] == tmp_path / "out" / "scorecard_2015-05_manifest.json"
    assert "data_quality" not in paths  # no quality frame given
    assert (manifest["registry_sha256"], manifest["extracts_sha256"]) == (None, None)
    page = paths["html"].read_text(encoding="utf-8")
    assert "registry not recorded · extracts not recorded" in page

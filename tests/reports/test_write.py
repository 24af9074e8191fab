"""``card.write`` and ``write_outputs(formats=..., units=...)`` (issue 14, item 4): only the kinds
of file asked for, only the units asked for in the workbook and HTML report, and every mistake
refused before anything is written."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from scorecard.errors import UsageError
from scorecard.measures.compute import UnknownNameError
from scorecard.pipeline import Scorecard
from scorecard.reports.build import OUTPUT_FORMATS, write_outputs
from scorecard.reports.workbook import ACTIVITY_SHEET, CONTENTS_SHEET, QUALITY_SHEET

STEM = "scorecard_2015-05"
UNIT_SECTION = re.compile(r'<section class="unit[^"]*" id="[^"]*" aria-labelledby="[^"]*" '
                          r'data-unit="([^"]*)"')  # fmt: skip


def _listing(out: Path) -> set[str]:
    """The names published at the top of ``out`` (links into current/), and those in current/."""
    top = {p.name for p in out.iterdir() if not p.name.startswith(".") and p.name != "current"}
    assert top == {p.name for p in (out / "current").iterdir()}
    return top


def test_a_subset_of_formats_writes_only_those_files(card: Scorecard, tmp_path: Path) -> None:
    out = tmp_path / "out"
    paths = card.write(out, formats=["results", "html"])
    assert set(paths) == {"results", "html", "manifest"}
    assert _listing(out) == {f"{STEM}_results.csv", f"{STEM}.html", f"{STEM}_manifest.json"}
    manifest = json.loads(paths["manifest"].read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {f"{STEM}_results.csv", f"{STEM}.html"}
    # one kind given as a string
    assert set(card.write(tmp_path / "one", formats="workbook")) == {"workbook", "manifest"}


def test_every_format_by_default_and_a_later_subset_replaces_the_set(
    card: Scorecard, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    paths = card.write(out)
    assert set(paths) == {*OUTPUT_FORMATS, "manifest"}  # the card has its data-quality report
    assert _listing(out) == {f"{STEM}.xlsx", f"{STEM}.html", f"{STEM}_results.csv",
                             f"{STEM}_data_quality.csv", f"{STEM}_manifest.json"}  # fmt: skip
    card.write(out, formats=["results"])
    # out/ shows one build's complete set: the latest, with the results CSV only
    assert _listing(out) == {f"{STEM}_results.csv", f"{STEM}_manifest.json"}


def test_units_limit_the_html_and_workbook_only(card: Scorecard, tmp_path: Path) -> None:
    out = tmp_path / "out"
    paths = card.write(out, units=["north kent", "THANET AIT & FST"], formats=OUTPUT_FORMATS)
    page = paths["html"].read_text(encoding="utf-8")
    shown = [html.unescape(u) for u in UNIT_SECTION.findall(page)]
    assert shown == ["North Kent", "Thanet AIT & FST"]  # in reporting order: area, then team
    sheets = load_workbook(paths["workbook"], read_only=True).sheetnames
    assert sheets == [CONTENTS_SHEET, "North Kent", "Thanet AIT & FST", ACTIVITY_SHEET,
                      QUALITY_SHEET]  # fmt: skip
    results = pd.read_csv(paths["results"], low_memory=False)
    assert results["unit"].nunique() == card.frame["unit"].nunique()  # the CSV: every unit


def test_mistakes_are_refused_before_anything_is_written(card: Scorecard, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(UsageError, match=r"unknown output format\(s\) 'pdf' \(formats: workbook, "):
        card.write(out, formats=["html", "pdf"])
    with pytest.raises(UsageError, match="no output format chosen"):
        card.write(out, formats=[])
    with pytest.raises(UnknownNameError, match="no unit named 'Nrth Kent'; did you mean 'North "):
        card.write(out, units=["Nrth Kent"])
    with pytest.raises(UsageError, match="no unit chosen"):
        card.write(out, units=[])
    with pytest.raises(UsageError, match="needs the data-quality report"):
        write_outputs(card, "2015-05", out, formats=["data_quality"])  # no quality given
    with pytest.raises(UsageError, match="no month 2016-01"):
        card.write(out, "2016-01")
    assert not out.exists()

"""``scorecard build --formats ... --units ...`` (issue 14, item 4): only the outputs and units
asked for; a wrong format is refused before computing, a wrong unit before writing."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from scorecard.cli import main
from scorecard.extracts import write_extracts
from tests.measures.builders import build

STEM = "scorecard_2015-05"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Referrals only (teams A1, A2 in areas North, South; see tests/measures/builders.py)."""
    extracts = build(
        children=[{"child_id": c, "date_of_birth": "2010-01-01"} for c in ("c1", "c2")],
        referrals=[
            {"referral_id": "r1", "child_id": "c1", "team": "A1", "referral_date": "2014-05-10"},
            {"referral_id": "r2", "child_id": "c1", "team": "A1", "referral_date": "2015-05-10"},
            {"referral_id": "r3", "child_id": "c2", "team": "A2", "referral_date": "2015-04-20"},
        ],
    )
    path = tmp_path_factory.mktemp("build_options") / "extracts"
    write_extracts(extracts, path)
    return path


def _build(folder: Path, out: Path, *options: str):
    args = ["build", "--extracts", str(folder), "--month", "2015-05", "--out", str(out),
            "--county", "Shire", *options]  # fmt: skip
    return CliRunner().invoke(main, args)


def _published(out: Path) -> set[str]:
    return {p.name for p in (out / "current").iterdir()}


def test_formats_and_units(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _build(folder, out, "--formats", "html,results", "--units", "north", "--units", "A2")
    assert result.exit_code == 0, result.output
    assert _published(out) == {f"{STEM}.html", f"{STEM}_results.csv", f"{STEM}_manifest.json"}
    page = (out / f"{STEM}.html").read_text(encoding="utf-8")
    units = [html.unescape(u) for u in re.findall(r'data-unit="([^"]*)"', page)]
    assert units == ["North", "A2"]  # the area, then the team; names as the organisation has them
    manifest = json.loads((out / f"{STEM}_manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["formats"] == ["html", "results"]
    assert manifest["options"]["units"] == ["north", "A2"]  # as given
    assert "html: " in result.output and "workbook: " not in result.output


def test_formats_repeated_and_the_default(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _build(folder, out, "--formats", "workbook", "--formats", "data_quality")
    assert result.exit_code == 0, result.output
    assert _published(out) == {f"{STEM}.xlsx", f"{STEM}_data_quality.csv",
                               f"{STEM}_manifest.json"}  # fmt: skip
    everything = tmp_path / "all"
    assert _build(folder, everything).exit_code == 0
    assert _published(everything) == {f"{STEM}.xlsx", f"{STEM}.html", f"{STEM}_results.csv",
                                      f"{STEM}_data_quality.csv", f"{STEM}_manifest.json"}  # fmt: skip


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--formats", "html,pdf"], "unknown output format(s) 'pdf' (formats: workbook, html, "),
        (["--formats", ","], "no output format chosen"),
        (["--units", "Nrth"], "no unit named 'Nrth'; did you mean 'North'?"),
    ],
)
def test_mistakes_exit_2_without_writing(
    folder: Path, tmp_path: Path, options: list[str], message: str
) -> None:
    out = tmp_path / "out"
    result = _build(folder, out, *options)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (out / "current").exists()


def test_the_command_line_knows_the_formats_of_write_outputs() -> None:
    from scorecard.reports.build import OUTPUT_FORMATS

    result = CliRunner().invoke(main, ["build", "--extracts", ".", "--month", "2015-05",
                                       "--formats", "nope"])  # fmt: skip
    assert result.exit_code == 2
    assert f"(formats: {', '.join(OUTPUT_FORMATS)})" in " ".join(result.output.split())


@pytest.mark.parametrize("options", [["--formats", "pdf"], ["--formats", ","]])
def test_a_wrong_format_is_answered_at_once(options: list[str]) -> None:
    from tests.test_import_cost import _loaded_after

    code = "import sys; sys.argv[0] = 'scorecard'; from scorecard.cli import main; main()"
    args = ["build", *options]  # (a --month would load the calendar to check it)
    assert _loaded_after(f"try:\n    {code}\nexcept SystemExit:\n    pass", *args) == []

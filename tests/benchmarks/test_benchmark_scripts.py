"""The benchmark scripts' own logic (not timings): README sections kept, figures compared, CSV
copies written canonically. Small and fast; the benchmarks themselves are not run here."""

from __future__ import annotations

import importlib
import sys

import pandas as pd
import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
run = importlib.import_module("run")
duckdb_baseline = importlib.import_module("duckdb_baseline")
targets = importlib.import_module("targets")

HEAD = "# Benchmarks\n\nGenerated head.\n\n| a |\n|---|\n| 1 |\n"
BY_HAND = "\n## Against the targets\n\nWritten by hand.\n\n## Other\n\nMore.\n"


def test_run_py_keeps_the_sections_written_by_hand(tmp_path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(HEAD + BY_HAND, encoding="utf-8")
    assert run._written_by_hand(readme) == BY_HAND
    assert run._written_by_hand(tmp_path / "absent.md") == ""


def test_targets_section_inserted_then_replaced_and_kept_by_run_py(tmp_path) -> None:
    first = targets.replace_section(
        HEAD + BY_HAND,
        targets.section(
            [targets.row("t1", "1 s", "≤ 2 s", True, "3 runs")], "machine A", "day 1", "cmd"
        ),
    )
    # inserted before the first hand-written section, everything else unchanged
    assert first.startswith(HEAD + "\n" + targets.HEADING + "\n")
    assert first.endswith(BY_HAND)
    assert "| t1 | 1 s | ≤ 2 s | met | 3 runs |" in first
    second = targets.replace_section(
        first,
        targets.section(
            [targets.row("t1", "3 s", "≤ 2 s", False, "3 runs")], "machine B", "day 2", "cmd"
        ),
    )
    assert second.count(targets.BEGIN) == 1 and second.count(targets.HEADING) == 1
    assert "| t1 | 3 s | ≤ 2 s | **not met** | 3 runs |" in second and "machine A" not in second
    assert (
        second.replace("machine B", "machine A")
        .replace("day 2", "day 1")
        .replace("| t1 | 3 s | ≤ 2 s | **not met** |", "| t1 | 1 s | ≤ 2 s | met |")
        == first
    )
    # run.py rewrites only what comes before the first "## ": the targets section survives it
    readme = tmp_path / "README.md"
    readme.write_text(second, encoding="utf-8")
    kept = run._written_by_hand(readme)
    assert (
        kept.startswith("\n" + targets.HEADING) and targets.END in kept and kept.endswith(BY_HAND)
    )


def _results(tmp_path, name: str, rows: list[tuple]) -> object:
    path = tmp_path / name
    pd.DataFrame(
        rows, columns=["indicator", "unit", "level", "month", "numerator", "denominator"]
    ).to_csv(path, index=False)
    return path


def test_compare_names_each_indicator_whose_figures_differ(tmp_path) -> None:
    rows = [
        ("ref_a", "Kent", "county", "2015-05", 3.0, 10.0),
        ("ref_a", "Team 1", "team", "2015-05", 3.0, 10.0),
        ("ref_b", "Kent", "county", "2015-05", 0.1 + 0.2, 1.0),
    ]
    left = _results(tmp_path, "left.csv", rows)
    same = _results(
        tmp_path, "same.csv", [*rows[:2], ("ref_b", "Kent", "county", "2015-05", 0.3, 1.0)]
    )
    assert duckdb_baseline.compare(left, same, ("library", "DuckDB")) == []  # FTE sums: 1e-9
    other = _results(
        tmp_path, "other.csv", [("ref_a", "Kent", "county", "2015-05", 4.0, 10.0), rows[1]]
    )  # ref_b absent: read as 0 / 0
    problems = duckdb_baseline.compare(left, other, ("library", "DuckDB"))
    assert problems == [
        (
            "ref_a: 1 of 2 unit-months differ (1 county months); e.g. Kent 2015-05: library 3/10, "
            "DuckDB 4/10"
        ),
        (
            "ref_b: 1 of 1 unit-months differ (1 county months); e.g. Kent 2015-05: library 0.3/1, "
            "DuckDB 0/0"
        ),
    ]


def test_csv_copy_writes_canonical_csv(tmp_path) -> None:
    pytest.importorskip("duckdb")
    parquet = tmp_path / "parquet"
    parquet.mkdir()
    pd.DataFrame(
        {
            "child_id": ["C1", "C,2"],
            "start_date": pd.to_datetime(["2015-01-31", None]),
            "flag": pd.array([True, None], dtype="boolean"),
            "fte": [0.5, None],
        }
    ).to_parquet(parquet / "things.parquet", index=False)
    (parquet / "manifest.yaml").write_text("extraction_date: 2015-05-31\n")
    csv = duckdb_baseline.csv_copy(parquet, tmp_path / "csv")
    assert (csv / "things.csv").read_text().splitlines() == [
        "child_id,start_date,flag,fte",
        "C1,2015-01-31,True,0.5",
        '"C,2",,,',
    ]
    assert (csv / "manifest.yaml").read_text() == "extraction_date: 2015-05-31\n"

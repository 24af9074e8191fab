"""Regenerating the golden snapshot prints the diff and writes only with --accept (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.golden import snapshot as golden


def frame(rows: list[tuple]) -> pd.DataFrame:
    columns = ["ref", "indicator", "unit", "level", "value", "rag"]
    return pd.DataFrame(rows, columns=columns)


OLD = frame([(1, "a", "Kent", "county", 50.0, "G"), (1, "a", "Swale", "team", 40.0, "A"),
             (2, "b", "Kent", "county", 7.0, "R")])  # fmt: skip


def test_no_change_gives_no_lines() -> None:
    assert golden.diff(OLD, OLD.copy()) == []


def test_a_changed_cell_an_added_and_a_removed_row() -> None:
    # worked by hand: Swale's value 40 -> 42.5 and its RAG A -> G (one row, two cells); ref 2's
    # county row removed; a ref 45 county row added
    new = frame([(1, "a", "Kent", "county", 50.0, "G"), (1, "a", "Swale", "team", 42.5, "G"),
                 (45, "c", "Kent", "county", 3.0, "A")])  # fmt: skip
    lines = golden.diff(OLD, new)
    assert lines[0] == "1 row(s) changed, 1 added, 1 removed (of 3 rows before, 3 now)"
    assert "+ 45 / c / Kent / county" in lines
    assert "- 2 / b / Kent / county" in lines
    assert "~ 1 / a / Swale / team: value '40.0' -> '42.5'" in lines
    assert "~ 1 / a / Swale / team: rag 'A' -> 'G'" in lines
    assert lines[-1] == "changed cells per column: value 1, rag 1"


def test_rounding_below_the_stored_precision_is_no_change() -> None:
    new = OLD.copy()
    new.loc[0, "value"] = 50.0 + 1e-9
    assert golden.diff(OLD, new) == []


def test_without_accept_nothing_is_written(tmp_path: Path, monkeypatch, capsys) -> None:
    path = tmp_path / "golden.csv"
    OLD.to_csv(path, index=False)
    before = path.read_bytes()
    monkeypatch.setattr(golden, "snapshot", lambda: OLD.assign(value=OLD["value"] + 1))
    monkeypatch.setattr(golden, "read_golden_from", lambda p: pd.read_csv(p))
    assert golden.main([], golden=path) == 1
    out = capsys.readouterr().out
    assert "3 row(s) changed" in out and "not written" in out and "ACCEPT=1" in out
    assert path.read_bytes() == before
    assert golden.main(["--accept"], golden=path) == 0
    assert pd.read_csv(path)["value"].tolist() == [51.0, 41.0, 8.0]
    assert golden.main([], golden=path) == 0
    assert "no change" in capsys.readouterr().out

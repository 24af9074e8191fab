"""The golden snapshot: the whole May 2015 scorecard (every indicator and unit) on the bundled data.

Not a correctness oracle (the hand-worked tests are): a regression snapshot. Any change to the
engine, the registry or the generator that moves a figure shows up as a diff of
``data/golden/scorecard_2015-05.csv`` to review. ``make golden`` (``python -m tests.golden.snapshot``) prints what
would change, row by row, and writes nothing; after review, ``make golden ACCEPT=1``
(``python -m tests.golden.snapshot --accept``) writes it, to be committed with the change that
caused it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from scorecard.bundled import COUNTY, LAST_MONTH, bundled_extracts
from scorecard.pipeline import compute_scorecard
from scorecard.rating.spc import SPC_COLUMNS
from scorecard.reports.movement import movements
from scorecard.reports.suppression import Hierarchy

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden" / f"scorecard_{LAST_MONTH}.csv"
COLUMNS = ["ref", "indicator", "unit", "level", "numerator", "denominator", "value", "target",
           "floor", "state", "rag", "rag_note", "previous_value", "dot_previous", "outturn_value",
           "dot_outturn", "note"]  # fmt: skip
COLUMNS += SPC_COLUMNS  # statistical process control and the regression (scorecard.rating.spc)
#: The sentence drafted from the figures for an exception report (scorecard.reports.movement):
#: what moved the figure since the previous month and which units below contributed most.
SENTENCE = "sentence"


def snapshot() -> pd.DataFrame:
    """The rated scorecard of the bundled data's last month, as stored in the golden file."""
    month = pd.Period(LAST_MONTH, freq="M")
    card = compute_scorecard(bundled_extracts(), month - 12, month, county=COUNTY)
    frame = card.frame[card.frame["month"] == month][COLUMNS]
    hierarchy = Hierarchy.from_units(card.computation.units)
    drafted = movements(card.frame, hierarchy, month)[["indicator", "unit", SENTENCE]]
    frame = frame.merge(drafted, on=["indicator", "unit"], how="left", validate="one_to_one")
    frame = frame.sort_values(["ref", "level", "unit"], kind="stable").reset_index(drop=True)
    for column in ("numerator", "denominator", "value", "previous_value", "outturn_value"):
        frame[column] = frame[column].round(6)
    for column in ("spc_centre", "spc_lower", "spc_upper", "trend_slope", "trend_low",
                   "trend_high"):  # fmt: skip
        frame[column] = frame[column].round(6)
    frame["trend_points"] = frame["trend_points"].astype(float)  # as the CSV reads it back
    return frame


def read_golden() -> pd.DataFrame:
    return read_golden_from(GOLDEN)


def read_golden_from(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"rag": "string", "rag_note": "string", "note": "string",
                                      "state": "string",
                                      "dot_previous": "string", "dot_outturn": "string",
                                      SENTENCE: "string"})  # fmt: skip


KEY = ["ref", "indicator", "unit", "level"]


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as the text the CSV holds (numbers rounded as stored), missing as ''."""
    return frame.astype("string").fillna("").set_index(KEY)


def diff(old: pd.DataFrame, new: pd.DataFrame, limit: int = 40) -> list[str]:
    """Lines describing how ``new`` differs from ``old`` (empty when they are the same): rows
    added and removed (by ref, indicator, unit and level), then each changed cell as
    ``old -> new``, at most ``limit`` detail lines, then how many cells changed per column."""
    before, after = _text(old.round(6)), _text(new.round(6))
    added = after.index.difference(before.index)
    removed = before.index.difference(after.index)
    both = after.index.intersection(before.index)
    columns = [c for c in after.columns if c in before.columns]
    a, b = before.loc[both, columns], after.loc[both, columns]
    changed = a.ne(b)
    lines: list[str] = []
    new_columns = [c for c in after.columns if c not in before.columns]
    gone_columns = [c for c in before.columns if c not in after.columns]
    if new_columns or gone_columns:
        lines.append(f"columns added: {', '.join(new_columns) or '-'}; removed: "
                     f"{', '.join(gone_columns) or '-'}")  # fmt: skip
    if len(added) or len(removed) or changed.to_numpy().any():
        rows = int(changed.any(axis=1).sum())
        lines.append(f"{rows} row(s) changed, {len(added)} added, {len(removed)} removed "
                     f"(of {len(before)} rows before, {len(after)} now)")  # fmt: skip
    details: list[str] = []
    details += [f"+ {' / '.join(map(str, key))}" for key in added]
    details += [f"- {' / '.join(map(str, key))}" for key in removed]
    stacked = changed.stack()
    for (*key, column) in stacked[stacked].index:
        k = tuple(key)
        details.append(f"~ {' / '.join(map(str, k))}: {column} {a.at[k, column]!r} -> "
                       f"{b.at[k, column]!r}")  # fmt: skip
    lines += details[:limit]
    if len(details) > limit:
        lines.append(f"... and {len(details) - limit} more")
    per_column = changed.sum()
    if per_column.any():
        counts = ", ".join(f"{c} {int(n)}" for c, n in per_column.items() if n)
        lines.append(f"changed cells per column: {counts}")
    return lines


def main(argv: Sequence[str] | None = None, golden: Path = GOLDEN) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.golden.snapshot",
        description="Show how the bundled May 2015 scorecard differs from the golden snapshot; "
        "write it only with --accept, after review.",
    )
    parser.add_argument("--accept", action="store_true", help="write the new snapshot")
    args = parser.parse_args(argv)
    new = snapshot()
    old = read_golden_from(golden) if golden.exists() else new.iloc[0:0]
    lines = diff(old, new)
    if not lines:
        print(f"no change: {golden} already holds this scorecard")
        return 0
    print("\n".join(lines))
    if not args.accept:
        print(f"not written; after review, run `make golden ACCEPT=1` (or add --accept) to write {golden}")
        return 1
    golden.parent.mkdir(parents=True, exist_ok=True)
    new.to_csv(golden, index=False)
    print(f"wrote {golden}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The golden snapshot: the whole May 2015 scorecard (every indicator and unit) on the bundled data.

Not a correctness oracle (the hand-worked tests are): a regression snapshot. Any change to the
engine, the registry or the generator that moves a figure shows up as a diff of
``data/golden/scorecard_2015-05.csv`` to review. Regenerate it with ``make golden``
(``python -m tests.golden.snapshot``) and commit the diff with the change that caused it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scorecard.bundled import COUNTY, LAST_MONTH, bundled_extracts
from scorecard.pipeline import compute_scorecard

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden" / f"scorecard_{LAST_MONTH}.csv"
COLUMNS = ["ref", "indicator", "unit", "level", "numerator", "denominator", "value", "target",
           "floor", "state", "rag", "rag_note", "previous_value", "dot_previous", "outturn_value",
           "dot_outturn", "note"]  # fmt: skip


def snapshot() -> pd.DataFrame:
    """The rated scorecard of the bundled data's last month, as stored in the golden file."""
    month = pd.Period(LAST_MONTH, freq="M")
    card = compute_scorecard(bundled_extracts(), month - 12, month, county=COUNTY)
    frame = card.frame[card.frame["month"] == month][COLUMNS]
    frame = frame.sort_values(["ref", "level", "unit"], kind="stable").reset_index(drop=True)
    for column in ("numerator", "denominator", "value", "previous_value", "outturn_value"):
        frame[column] = frame[column].round(6)
    return frame


def read_golden() -> pd.DataFrame:
    return pd.read_csv(GOLDEN, dtype={"rag": "string", "rag_note": "string", "note": "string",
                                      "state": "string",
                                      "dot_previous": "string", "dot_outturn": "string"})  # fmt: skip


if __name__ == "__main__":
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    snapshot().to_csv(GOLDEN, index=False)
    print(f"wrote {GOLDEN}")

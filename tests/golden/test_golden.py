"""The bundled data's May 2015 scorecard equals the reviewed snapshot in data/golden/."""

from __future__ import annotations

import pandas as pd

from tests.golden.snapshot import read_golden, snapshot


def test_scorecard_matches_the_golden_snapshot() -> None:
    got = snapshot()
    expected = read_golden()
    got_text = got.astype("string").fillna("")
    expected_text = expected.astype("string").fillna("")
    numbers = ["numerator", "denominator", "value", "previous_value", "outturn_value", "target",
               "floor"]  # fmt: skip
    pd.testing.assert_frame_equal(
        got[numbers].astype(float), expected[numbers].astype(float), check_exact=False, rtol=1e-9
    )
    others = [c for c in got.columns if c not in numbers]
    diff = got_text[others].ne(expected_text[others]).any(axis=1)
    assert not diff.any(), (
        "the scorecard moved; `make golden` shows the diff, `make golden ACCEPT=1` writes it after review:\n"
        + got[diff].head(20).to_string()
    )


def test_the_demo_has_a_mix_of_ratings() -> None:
    county = read_golden().query("level == 'county'")
    counts = county["rag"].value_counts()
    assert counts.get("R", 0) >= 3 and counts.get("A", 0) >= 3 and counts.get("G", 0) >= 3

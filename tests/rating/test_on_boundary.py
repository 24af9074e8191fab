"""``on_boundary`` of a rating rule (docs/registry.md): a value exactly on a threshold counts as
reaching it (``better``, every bundled rule) or as not reaching it (``worse``). Issue 11 named
``worse`` as documented but never tested."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scorecard.rating import rate
from scorecard.registry import load_registry
from tests.conftest import REPO
from tests.rating.conftest import TINY, results


def registry_with(tmp_path: Path, on_boundary: str):
    rules = tmp_path / f"rules_{on_boundary}"
    rules.mkdir()
    for rule in (REPO / "rag_rules").glob("*.yaml"):
        text = rule.read_text(encoding="utf-8").replace("on_boundary: better",
                                                        f"on_boundary: {on_boundary}")  # fmt: skip
        (rules / rule.name).write_text(text, encoding="utf-8")
    path = tmp_path / "indicators.yaml"
    path.write_text(TINY, encoding="utf-8")
    return load_registry(path, rules)


# (indicator, value) -> RAG under "better" and under "worse", worked by hand from TINY's 2015/16
# thresholds: high (H) target 85, floor 76.5; low (L) target 15, floor 20; close (T) green 5-10,
# amber 2-13; versus_england (H) benchmark 60 +/- tolerance 2 (Green from 62, Amber from 58).
CASES = [
    ("high", 85.0, "G", "A"),  # on the target
    ("high", 76.5, "A", "R"),  # on the floor
    ("high", 85.1, "G", "G"),  # beyond the target either way
    ("low", 15.0, "G", "A"),  # on the target (L: at most 15 is Green when boundaries go better)
    ("low", 20.0, "A", "R"),  # on the floor
    ("low", 14.9, "G", "G"),
    ("close", 5.0, "G", "A"),  # on the green band's lower edge
    ("close", 10.0, "G", "A"),  # on its upper edge
    ("close", 13.0, "A", "R"),  # on the amber band's upper edge
    ("close", 7.5, "G", "G"),
    ("versus_england", 62.0, "G", "A"),  # on benchmark + tolerance
    ("versus_england", 58.0, "A", "R"),  # on benchmark - tolerance
]


@pytest.mark.parametrize(("indicator", "value", "better", "worse"), CASES)
def test_on_boundary(tmp_path: Path, indicator: str, value: float, better: str, worse: str) -> None:
    frame = results([(indicator, "Kent", "2015-05", np.nan, 100.0, value)])
    assert rate(frame, registry_with(tmp_path, "better"))["rag"].iloc[0] == better
    assert rate(frame, registry_with(tmp_path, "worse"))["rag"].iloc[0] == worse

"""How to check what a rule change does to the figures (the pattern for analysts).

1. Load the registry as it is and as it would be after the change (here the change is made to a
   copy of the text; in a pull request, load the file from both branches).
2. Rate the same results under both with ``compare_ratings``.
3. Assert the rows that move — worked out by hand — so the review sees exactly what changes.
"""

from __future__ import annotations

import pandas as pd

from scorecard.rating import compare_ratings
from scorecard.registry import default_registry_path, load_registry
from tests.conftest import REPO

RESULTS = REPO / "data" / "published" / "scs_2015_05_results.csv"


def test_raising_the_assessment_timeliness_target_to_95(registry) -> None:
    text = default_registry_path().read_text(encoding="utf-8")
    old = ('        target: {value: 90.0, published: "SCS Performance Management Scorecard, May 2015'
           " (Kent CC, Children's Social Care and Health Cabinet Committee, 22 July 2015): 2015/16 "
           'target column"}\n        floor: {value: 81.0, inferred: "rule 1: 90% of the target; '
           'consistent with the published Green at 93.1"}')  # fmt: skip
    assert text.count(old) == 1  # ref 2's 2015/16 thresholds
    changed = load_registry(
        default_registry_path(),
        text=text.replace(old, old.replace("value: 90.0", "value: 95.0")),
    )

    diff = compare_ratings(pd.read_csv(RESULTS), registry, changed)

    # By hand: ref 2 is 93.1% in May (2306/2477) and 92.1% in April 2015, both of 2015/16: Green
    # against 90%, Amber against 95% (floor 81%). March 2015 belongs to 2014/15: unchanged.
    assert diff["indicator"].tolist() == ["assessments_within_45_wd"] * 2
    assert diff["month"].astype(str).tolist() == ["2015-04", "2015-05"]
    assert diff["target_before"].tolist() == [90.0, 90.0]
    assert diff["target_after"].tolist() == [95.0, 95.0]
    assert diff["rag_before"].astype(str).tolist() == ["G", "G"]
    assert diff["rag_after"].astype(str).tolist() == ["A", "A"]
    assert diff["changed"].tolist() == ["target, rag", "target, rag"]


def test_an_unchanged_registry_moves_nothing(registry) -> None:
    assert compare_ratings(pd.read_csv(RESULTS), registry, load_registry()).empty

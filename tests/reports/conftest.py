"""A small rated scorecard for report tests: the synthetic county at a small scale, 13 months."""

from __future__ import annotations

import pytest

from scorecard.extracts import validate_extracts
from scorecard.pipeline import Scorecard, compute_scorecard


@pytest.fixture(scope="session")
def card() -> Scorecard:
    from scorecard.synth import generate

    extracts = validate_extracts(generate(scale=0.05, seed=11, last_month="2015-05"))
    return compute_scorecard(extracts, "2014-05", "2015-05", county="Kent")

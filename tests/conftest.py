"""Shared test fixtures: paths to the repository, its bundled data and ../shared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles. "ci" (chosen by .ci/run, or by HYPOTHESIS_PROFILE=ci) has no deadline: a
# shared CI machine under load once failed a property test on a deadline, which says nothing about
# the property; `make test` chooses it too (its workers share the cores) unless HYPOTHESIS_PROFILE
# is set. "dev" (the default of `pytest` alone) keeps Hypothesis's own defaults. Tests that set
# their own ``@settings`` keep them on top of the profile.
settings.register_profile("ci", deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
settings.register_profile("dev")
# "mutation" (``make mutation``): as "ci", with a tenth of the examples (at least 10), so that each
# of the thousands of mutants costs seconds, not the half-minute of the full property tests; the
# hand-worked tests decide the boundaries, the properties add breadth (see docs/mutation.md).
MUTATION_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") == "mutation"
settings.register_profile("mutation", deadline=None, print_blob=True, max_examples=10,
                          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def examples(n: int) -> int:
    """``max_examples`` for a property test that sets its own: ``n``, or a tenth of it (at least
    10) under the "mutation" profile."""
    return max(10, n // 10) if MUTATION_PROFILE else n

# A measure that fails becomes its indicator's note in a user's run; in the tests it must fail loudly.
os.environ.setdefault("SCORECARD_RAISE_MEASURE_FAILURES", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SCORECARD_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared() -> Path:
    """``../shared`` beside the checkout (CI puts it there); override with SCORECARD_SHARED."""
    if not (SHARED / "reference").is_dir():
        pytest.fail(f"reference material not found at {SHARED}; set SCORECARD_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def registry():
    from scorecard.registry import load_registry

    return load_registry()

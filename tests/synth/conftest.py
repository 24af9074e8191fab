"""Shared synthetic extracts for the generator tests (generated once per session)."""

from __future__ import annotations

import pytest

from scorecard.synth import generate

#: Small enough for fast tests, large enough for every extract and code to occur.
SCALE = 0.1


@pytest.fixture(scope="session")
def frames():
    return generate(scale=SCALE, seed=2015)


@pytest.fixture(scope="session")
def validated(frames):
    from scorecard.extracts import validate_extracts

    return validate_extracts(frames)

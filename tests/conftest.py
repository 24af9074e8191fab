"""Shared test fixtures: paths to the repository, its bundled data and ../shared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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

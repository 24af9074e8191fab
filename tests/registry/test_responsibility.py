"""Lead responsibility (issue 13 item 5): division, director, cabinet member and portfolio, given
under ``defaults`` and per indicator (an indicator's own fields replace the defaults' one by one)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scorecard.registry import Responsibility, load_registry
from tests.conftest import REPO
from tests.registry.test_loader import VALID, line_of, problems, write


@pytest.fixture()
def rules_dir(tmp_path: Path) -> Path:
    target = tmp_path / "rag_rules"
    shutil.copytree(REPO / "rag_rules", target)
    return target

DEFAULTS = """defaults:
  responsibility:
    division: "Specialist Children's Services"
    director: "Director of Specialist Children's Services"
"""


def _with(text: str, own: str) -> str:
    text = text.replace("defaults:\n", DEFAULTS, 1)
    return text.replace("    rule: target_bands\n", "    rule: target_bands\n" + own, 1)


def test_defaults_apply_and_an_indicator_replaces_fields_one_by_one(
    tmp_path: Path, rules_dir: Path
) -> None:
    own = "    responsibility: {director: Jane Doe, cabinet_member: John Roe}\n"
    registry = load_registry(write(tmp_path, _with(VALID, own)), rules_dir)
    assert registry["visits_in_time"].responsibility == Responsibility(
        division="Specialist Children's Services",
        director="Director of Specialist Children's Services",
    )
    assert registry["repeat_plans"].responsibility == Responsibility(
        division="Specialist Children's Services", director="Jane Doe", cabinet_member="John Roe"
    )
    assert registry["repeat_plans"].responsibility.lines() == [
        ("Cabinet member", "John Roe"),
        ("Director", "Jane Doe"),
        ("Division", "Specialist Children's Services"),
    ]


def test_none_given_is_none(tmp_path: Path, rules_dir: Path) -> None:
    registry = load_registry(write(tmp_path, VALID), rules_dir)
    assert all(indicator.responsibility is None for indicator in registry)


def test_unknown_key_and_non_text_reported_with_file_and_line(
    tmp_path: Path, rules_dir: Path
) -> None:
    own = "    responsibility: {directorate: X, portfolio: 12}\n"
    text = _with(VALID, own)
    found = problems(write(tmp_path, text), rules_dir)
    line = line_of(text, "responsibility: {directorate")
    assert any(f":{line}:" in p and "unknown key 'directorate'" in p for p in found), found
    assert any(f":{line}:" in p and "portfolio must be non-empty text" in p for p in found), found


def test_the_bundled_registry_names_the_division() -> None:
    registry = load_registry(REPO / "indicators.yaml")
    assert {i.responsibility.division for i in registry} == {"Specialist Children's Services"}

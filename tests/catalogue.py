"""The bad-input catalogue (docs/bad-input.md) and the tests that show each of its rows.

A catalogue row names its test in its last cell. Catalogue tests live in any module of ``tests/``
named ``test_catalogue*.py``; each calls :func:`documented` with what the library said, so the
example quoted in the catalogue stays true. ``tests/extracts/test_catalogue.py`` checks that the
catalogue and the tests list the same cases (:func:`catalogue_test_ids`). Tests named
``test_quality_*`` or ``test_catalogue_*`` test the mechanism and are not catalogue rows.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CATALOGUE = REPO / "docs" / "bad-input.md"


def catalogue_rows() -> dict[str, str]:
    """``{test id: example message}`` from the catalogue tables of docs/bad-input.md.

    The test id is the last cell (in backticks); the example is the code span of the message cell.
    """
    rows: dict[str, str] = {}
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(cells) < 6 or not re.fullmatch(r"\d+", cells[0]):
            continue
        test = re.fullmatch(r"`(test_[\w\[\]-]+)`", cells[-1])
        assert test, f"catalogue row {cells[0]}: last cell must be a test id in backticks"
        example = re.search(r"`([^`]+)`", cells[-2])
        assert example, f"catalogue row {cells[0]}: the message cell needs an example in backticks"
        assert test.group(1) not in rows, f"catalogue row {cells[0]}: test named twice"
        rows[test.group(1)] = example.group(1).replace("\\|", "|")
    return rows


def documented(request: pytest.FixtureRequest, output: str) -> None:
    """The catalogue's example message for this test is part of what the library said."""
    example = catalogue_rows().get(request.node.name)
    assert example is not None, f"{request.node.name} is not in docs/bad-input.md"
    assert example in output, (
        f"docs/bad-input.md example for {request.node.name} is out of date:\n"
        f"  documented: {example}\n  actual output:\n{output}"
    )


def catalogue_modules() -> list[str]:
    """Dotted names of the catalogue test modules (``tests/**/test_catalogue*.py``)."""
    found = sorted((REPO / "tests").rglob("test_catalogue*.py"))
    return [".".join(p.relative_to(REPO).with_suffix("").parts) for p in found]


def catalogue_test_ids() -> set[str]:
    """Ids of the catalogue tests of every catalogue module (``name`` or ``name[param]``)."""
    ids: set[str] = set()
    for dotted in catalogue_modules():
        module = importlib.import_module(dotted)
        for name in dir(module):
            if not name.startswith("test_") or name.startswith(("test_quality_", "test_catalogue_")):
                continue
            marks = [
                m for m in getattr(getattr(module, name), "pytestmark", []) if m.name == "parametrize"
            ]
            if not marks:
                ids.add(name)
                continue
            (mark,) = marks
            for value in mark.args[1]:
                param = value.id if hasattr(value, "id") else str(value)
                ids.add(f"{name}[{param}]")
    return ids

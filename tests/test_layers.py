"""Layers one way (issue 11): no import cycle between the packages of ``scorecard``.

The graph is read from the source (``ast``): every ``import`` of a ``scorecard`` module, at module
level or inside a function, except those under ``if TYPE_CHECKING:`` (annotations only) and under
``if __name__ == "__main__":`` (scripts). A package is ``scorecard.<name>`` (a subpackage or a
top-level module such as ``scorecard.pipeline``).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from tests.conftest import REPO

SOURCE = REPO / "scorecard"


def _package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def _skipped(node: ast.If) -> bool:
    test = node.test
    if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
        return True
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__")  # fmt: skip


def _imports(tree: ast.AST) -> list[str]:
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _skipped(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return [name for name in found if name.startswith("scorecard.")]


def import_graph(source: Path = SOURCE) -> dict[str, set[str]]:
    """Package -> the packages it imports (itself excluded)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in sorted(source.rglob("*.py")):
        parts = path.relative_to(source.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if module == "scorecard":
            continue  # the package's lazy front door names everything
        own = _package(module)
        for name in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if _package(name) != own:
                graph[own].add(_package(name))
    return dict(graph)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first search (each as a path that returns to its start)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                found.append([*stack[stack.index(target):], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_no_import_cycle_between_packages() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles: " + "; ".join(" -> ".join(c) for c in found)


def test_reports_do_not_run_the_pipeline() -> None:
    graph = import_graph()
    assert "scorecard.pipeline" not in graph["scorecard.reports"]
    assert "scorecard.cli" not in set().union(*(v for k, v in graph.items() if k != "scorecard.cli"))


def test_the_engine_layers_point_down() -> None:
    graph = import_graph()
    # scorecard.progress (the steps reported to a progress callback) is at the bottom, with errors
    assert "scorecard.progress" not in graph
    below = {
        "scorecard.calendar": {"scorecard.errors"},
        "scorecard.extracts": {"scorecard.errors", "scorecard.progress"},
        "scorecard.registry": {"scorecard.errors", "scorecard.calendar", "scorecard.extracts"},
    }
    for package, allowed in below.items():
        assert graph.get(package, set()) <= allowed, (package, graph.get(package))
    for package in ("scorecard.measures", "scorecard.rating"):
        assert not graph[package] & {"scorecard.reports", "scorecard.pipeline", "scorecard.cli",
                                     "scorecard.importers"}, package  # fmt: skip


def test_the_cycle_finder_finds_a_cycle(tmp_path: Path) -> None:
    # the check itself can fail: two packages importing each other, one inside a function
    package = tmp_path / "scorecard"
    (package / "a").mkdir(parents=True)
    (package / "b").mkdir()
    (package / "a" / "__init__.py").write_text("from scorecard.b import x\n")
    (package / "b" / "__init__.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from scorecard.c import y\n"
        "def f():\n    from scorecard.a import z\n"
    )
    graph = import_graph(package)
    assert graph == {"scorecard.a": {"scorecard.b"}, "scorecard.b": {"scorecard.a"}}
    assert cycles(graph) == [["scorecard.a", "scorecard.b", "scorecard.a"]]

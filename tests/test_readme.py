"""The README's Python examples run and print what the README says they print."""

from __future__ import annotations

import contextlib
import io
import re

from tests.conftest import REPO


def test_readme_python_examples_run_as_documented() -> None:
    """Each python block runs (in order, in one namespace) and prints its trailing comments."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    assert len(blocks) >= 2
    namespace: dict[str, object] = {}
    for code in blocks:
        documented = [line[2:].strip() for line in code.splitlines() if line.startswith("# ")]
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 (our own README)
        assert [line.strip() for line in printed.getvalue().splitlines()] == documented

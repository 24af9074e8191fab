"""docs/notebook.md runs: each python block prints what its trailing comments say."""

from __future__ import annotations

import contextlib
import io
import os
import re

from tests.conftest import REPO


def test_notebook_page_runs_as_documented() -> None:
    text = (REPO / "docs" / "notebook.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    assert blocks
    namespace: dict[str, object] = {}
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        for code in blocks:
            documented = [line[2:].strip() for line in code.splitlines() if line.startswith("# ")]
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                exec(compile(code, "docs/notebook.md", "exec"), namespace)  # noqa: S102
            assert [line.strip() for line in printed.getvalue().splitlines()] == documented
    finally:
        os.chdir(cwd)

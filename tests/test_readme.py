"""The README's examples run as written: its Python blocks print what the README says they print,
and its command-line recipes work and print what it quotes (issue 14)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

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


def _section(title: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def _shell(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``script`` run by bash with this interpreter's ``scorecard`` first on the PATH."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip


def test_readme_rule_change_recipe_runs_as_written(tmp_path: Path) -> None:
    """The shell lines of "Checking a rule change", as written; only the scratch folder
    /tmp/before is moved into this test's own folder (so that parallel runs do not share it)."""
    if _shell("git rev-parse --is-inside-work-tree", REPO).returncode != 0:
        pytest.skip("not a git checkout: the recipe reads the last commit")
    (block,) = re.findall(r"```sh\n(.*?)```", _section("Checking a rule change"), re.DOTALL)
    assert "/tmp/before" in block and "scorecard compare" in block
    done = _shell(block.replace("/tmp/before", str(tmp_path / "before")), REPO)
    assert done.returncode == 0, done.stderr
    # the rows that differ, as CSV on standard output (none when indicators.yaml is as committed),
    # and their count on standard error
    assert done.stdout.startswith("indicator,unit,month,")
    assert re.fullmatch(r"\d+ row\(s\) differ\n", done.stderr), done.stderr


def test_readme_rule_change_recipe_as_it_was_fails_with_one_line(tmp_path: Path) -> None:
    """The recipe before issue 14 (a registry copied alone, no rules beside it) is refused with one
    message saying what to do, not 45 "rule does not exist" lines."""
    before = tmp_path / "before.yaml"
    before.write_text((REPO / "indicators.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    done = _shell(f"scorecard compare data/published/scs_2015_05_results.csv --before {before} "
                  "--after indicators.yaml", REPO)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == (f"Error: {before}: no rag_rules/ folder beside it to rate by: put the "
                           "rules there or give --rules DIR (e.g. --rules rag_rules)\n")  # fmt: skip


def test_readme_published_sentence_is_what_rate_prints() -> None:
    """`scorecard rate data/published/scs_2015_05_results.csv` prints the quoted sentence."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    command = "scorecard rate data/published/scs_2015_05_results.csv"
    assert f"`{command}` reproduces" in " ".join(text.split())
    quoted = " ".join(line[2:] for line in text.splitlines() if line.startswith("> "))
    done = _shell(f"{command} > /dev/null", REPO)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == " ".join(quoted.split())

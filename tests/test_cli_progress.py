"""Progress, --quiet, --verbose and warnings on the command line (issue 14, item 1).

Progress goes to standard error and only when it is a terminal: the terminal cases run the
command in a fresh interpreter whose standard error is a pseudo-terminal (``pty``) and whose
standard output is a pipe, so that both streams are seen as a user's shell would have them. The
library itself never prints: its steps go to the callback of :mod:`scorecard.progress`.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from scorecard import progress
from scorecard.cli import main
from scorecard.extracts import load_extracts
from scorecard.progress import Event, EventKind
from tests.conftest import REPO
from tests.extracts.conftest import VALID_CSV, write_folder

#: Terminal control sequences (colours, cursor movement) that rich writes around its display.
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The small valid set (no manifest.yaml: loading it warns that the manifest is inferred)."""
    return write_folder(tmp_path / "extracts", VALID_CSV)


def compute_args(folder: Path, *extra: str) -> list[str]:
    return ["compute", "--extracts", str(folder), "--from", "2015-05", *extra]


def on_a_terminal(args: list[str]) -> tuple[int, str, str]:
    """``scorecard ARGS`` with standard error on a pseudo-terminal: (exit code, stdout, stderr
    without terminal control sequences)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160"}
    env.pop("NO_COLOR", None)
    command = [sys.executable, "-c", "from scorecard.cli import main; main()", *args]
    process = subprocess.Popen(command, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=follower, env=env)  # fmt: skip
    os.close(follower)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the other end closed (EIO on Linux)
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        stdout, _ = process.communicate(timeout=300)
    finally:
        reader.join(timeout=30)
        os.close(leader)
    return (
        process.returncode,
        stdout.decode(),
        ANSI.sub("", b"".join(chunks).decode(errors="replace")),
    )


def test_progress_is_shown_on_a_terminal_and_only_on_stderr(folder: Path) -> None:
    code, stdout, stderr = on_a_terminal(compute_args(folder))
    assert code == 0, stderr
    # the steps of loading and computing were shown (on the terminal: standard error) ...
    assert "loading the extracts in extracts/" in stderr
    assert "computing 44 indicators for 2 months" in stderr
    # ... and standard output holds the results CSV only, with no progress and no control codes
    assert stdout.startswith("indicator,unit,level,")
    assert "loading" not in stdout and "computing" not in stdout and "\x1b" not in stdout


def test_quiet_shows_no_progress_even_on_a_terminal(folder: Path) -> None:
    code, stdout, stderr = on_a_terminal(compute_args(folder, "--quiet"))
    assert code == 0, stderr
    assert "loading the extracts" not in stderr and "computing" not in stderr
    assert stdout.startswith("indicator,unit,level,")


def test_no_progress_when_stderr_is_not_a_terminal(folder: Path) -> None:
    result = CliRunner().invoke(main, compute_args(folder, "--out", str(folder.parent / "r.csv")))
    assert result.exit_code == 0, result.output
    assert "loading the extracts" not in result.stderr and "computing" not in result.stderr
    assert result.stdout.startswith("As at 31/05/2015, County has")  # the summary still printed


@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_prints_each_step_with_its_time(folder: Path, where: str) -> None:
    args = compute_args(folder, "--out", str(folder.parent / "r.csv"))
    args = ["--verbose", *args] if where == "before" else [*args, "-v"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    timed = re.compile(r"^( *)(.+) \((\d+\.\d\d) s\)$")
    steps = {m.group(2): m.group(1) for m in map(timed.match, lines) if m}
    # every file read and every extract checked, nested under the load; then the registry, the
    # computation and the rating, at the top
    assert steps["reading referrals.csv"] == steps["checking referrals"] == "  "
    assert steps["loading the extracts in extracts/"] == ""
    assert steps["computing 44 indicators for 2 months"] == steps["rating"] == ""
    assert steps["loading the registry"] == ""
    assert {f"reading {name}.csv" for name in VALID_CSV} <= set(steps)
    assert "As at 31/05/2015" not in result.stderr  # the summary goes to the --out side


def test_quiet_and_verbose_together_is_a_usage_error(folder: Path) -> None:
    result = CliRunner().invoke(main, ["--quiet", *compute_args(folder), "--verbose"])
    assert result.exit_code == 2
    assert "give --quiet or --verbose, not both" in result.stderr


def test_a_warning_is_one_clean_line(folder: Path) -> None:
    (folder / "referals.csv").write_text("a,b\n", encoding="utf-8")  # not an extract: warned
    result = CliRunner().invoke(main, compute_args(folder, "--out", str(folder.parent / "r.csv")))
    assert result.exit_code == 0, result.output
    warned = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    expected = f"files in {folder} that are not extracts (not read): referals.csv (did you mean"
    assert warned == [f"warning: {expected} referrals?)"]
    # not Python's format: no category, no file:line, no source line of the library
    assert "ExtractWarning" not in result.stderr and "warnings.warn" not in result.stderr
    assert ".py:" not in result.stderr


def test_a_multi_line_warning_is_joined(monkeypatch: pytest.MonkeyPatch) -> None:
    from scorecard import cli

    def load(registry: object, rules: object) -> object:
        warnings.warn("first line\n  second line", UserWarning, stacklevel=1)
        raise cli.UsageError("stop here")

    monkeypatch.setattr(cli, "_load", load)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "warning: first line second line"


def test_the_library_reports_steps_to_a_callback_and_prints_nothing(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events: list[Event] = []
    with warnings.catch_warnings(), progress.reporting(events.append):
        warnings.simplefilter("ignore")
        load_extracts(folder)
    assert capsys.readouterr() == ("", "")
    by_label = {(e.label, e.kind): e for e in events}
    top = by_label[("loading the extracts in extracts/", EventKind.STARTED)]
    read = by_label[("reading referrals.csv", EventKind.FINISHED)]
    assert (top.depth, read.depth) == (0, 1)
    assert events[0] is top and events[-1].kind is EventKind.FINISHED and events[-1].key == top.key
    # every step that started finished, once
    started = [e.key for e in events if e.kind is EventKind.STARTED]
    finished = [e.key for e in events if e.kind is EventKind.FINISHED]
    assert sorted(started) == sorted(finished) and len(set(started)) == len(started)


def test_a_step_that_raises_is_reported_failed_and_the_error_passes() -> None:
    events: list[Event] = []
    with (
        progress.reporting(events.append),
        pytest.raises(KeyError),
        progress.step("outer", total=2) as outer,
    ):
        outer.advance(label="outer, half way")
        with progress.step("inner"):
            raise KeyError("x")
    assert [(e.kind, e.label, e.depth, e.done) for e in events] == [
        (EventKind.STARTED, "outer", 0, 0),
        (EventKind.ADVANCED, "outer, half way", 0, 1),
        (EventKind.STARTED, "inner", 1, 0),
        (EventKind.FAILED, "inner", 1, 0),
        (EventKind.FAILED, "outer, half way", 0, 1),
    ]


def test_without_a_callback_a_step_reports_nothing() -> None:
    assert not progress.active()
    with progress.step("quiet", total=3) as quiet:
        quiet.advance()
    assert quiet.done == 1  # counted, told to nobody

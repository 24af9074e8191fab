"""Fault test: ``scorecard build`` in a subprocess, killed at random moments (SIGKILL, SIGTERM),
two builds at once, a full disk and a read-only folder: the output folder always holds the
previous complete set or the new complete set (checked against the manifest's file hashes)."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from scorecard.cli import main
from scorecard.reports import build
from scorecard.reports.publish import read_published
from tests.extracts.conftest import VALID_CSV, write_folder

MONTH = "2015-05"
NAMES = {f"scorecard_{MONTH}{end}" for end in
         (".xlsx", ".html", "_results.csv", "_data_quality.csv", "_manifest.json")}  # fmt: skip


def _command(extracts: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "scorecard.cli", "build", "--extracts", str(extracts),
            "--month", MONTH, "--out", str(out)]  # fmt: skip


def _check(out: Path) -> str:
    """The build OUT shows, after checking it is one whole build: exactly its files at the top of
    OUT, each with the size and SHA-256 its manifest records. Returns the build id."""
    manifest = read_published(out)
    shown = {p.name for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert shown == NAMES, shown
    assert set(manifest["files"]) == NAMES - {f"scorecard_{MONTH}_manifest.json"}
    return str(manifest["build"])


@pytest.fixture(scope="module")
def extracts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_folder(tmp_path_factory.mktemp("extracts"), VALID_CSV)


@pytest.fixture(scope="module")
def first_build(extracts: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """A complete build into OUT, and how long it took."""
    out = tmp_path_factory.mktemp("published") / "out"
    start = time.monotonic()
    done = subprocess.run(
        _command(extracts, out), check=False, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return out, time.monotonic() - start


def _run_and_kill(command: list[str], sig: int, moment: float, out: Path, *, when_writing: bool):
    """Start a build, kill it with ``sig`` ``moment`` seconds after it starts (or after it starts
    writing its files, when ``when_writing``). Returns the exit code."""
    builds = out / ".builds"
    left_before = set(builds.iterdir())  # what a build killed earlier left behind
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    start = time.monotonic()
    if when_writing:  # wait for this build's own temporary folder
        while process.poll() is None and not any(
            p.name.endswith(".partial") for p in set(builds.iterdir()) - left_before
        ):
            time.sleep(0.005)
        start = time.monotonic()
    while process.poll() is None and time.monotonic() - start < moment:
        time.sleep(0.002)
    if process.poll() is None:
        process.send_signal(sig)
    return process.wait(timeout=60)


def test_a_killed_build_leaves_the_previous_set_or_the_new_one(extracts, first_build) -> None:
    out, duration = first_build
    previous = _check(out)
    rng = random.Random(2015)
    outcomes = []
    # two kills at a random moment of the whole run, two while the files are being written
    for sig, when_writing in [(signal.SIGKILL, False), (signal.SIGTERM, False),
                              (signal.SIGKILL, True), (signal.SIGTERM, True)]:  # fmt: skip
        moment = rng.uniform(0.2, 0.7) * duration if not when_writing else rng.uniform(0, 0.15)
        code = _run_and_kill(_command(extracts, out), sig, moment, out, when_writing=when_writing)
        shown = _check(out)  # the previous build or the new one, whole
        if sig == signal.SIGTERM and when_writing:  # stopped like Ctrl-C: it tidied up
            assert code == 1
            assert not [p for p in (out / ".builds").iterdir() if p.name.endswith(".partial")]
        outcomes.append((sig, round(moment, 2), code, shown != previous))
        previous = shown
    # the next complete build removes what the killed ones left behind
    done = subprocess.run(
        _command(extracts, out), check=False, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert _check(out) != previous
    assert not [p for p in (out / ".builds").iterdir() if p.name.endswith(".partial")]
    assert any(code != 0 for _, _, code, _ in outcomes), outcomes  # some build was killed


def test_two_builds_at_once_never_mix(extracts, first_build) -> None:
    out, _ = first_build
    before = _check(out)
    runs = [subprocess.Popen(_command(extracts, out), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]  # fmt: skip
    results = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    codes = sorted(code for code, _ in results)
    after = _check(out)
    assert after != before
    if codes == [0, 1]:  # they overlapped: the second failed at once, with the lock message
        failed = next(err for code, err in results if code == 1)
        assert f"Error: another scorecard build is writing to {out}" in failed
        assert "Traceback" not in failed
    else:  # one finished before the other took the lock: they ran one after the other
        assert codes == [0, 0], results


def test_a_full_disk_leaves_the_previous_outputs(extracts, first_build, monkeypatch) -> None:
    out, _ = first_build
    before = _check(out)

    def half_written(frame, path) -> None:  # the results CSV: half the file, then the disk is full
        text = frame.to_csv(index=False)
        Path(path).write_text(text[: len(text) // 2], encoding="utf-8")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(build, "write_csv", half_written)
    result = CliRunner().invoke(main, ["build", "--extracts", str(extracts), "--month", MONTH,
                                       "--out", str(out)])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (
        f"Error: could not write the outputs to {out}: No space left on device "
        f"(scorecard_{MONTH}_results.csv) while writing scorecard_{MONTH}_results.csv; the "
        "previous outputs are left as they were"
    ) in result.output
    assert _check(out) == before


def test_a_read_only_output_folder_is_an_error_and_changes_nothing(
    extracts, first_build, monkeypatch
) -> None:
    out, _ = first_build
    before = _check(out)
    real_open = Path.open

    def read_only(self: Path, mode: str = "r", *args, **kwargs):  # as on a read-only mount
        if self.parent == out and any(c in mode for c in "wax+"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", read_only)
    result = CliRunner().invoke(main, ["build", "--extracts", str(extracts), "--month", MONTH,
                                       "--out", str(out)])  # fmt: skip
    assert result.exit_code == 1
    assert result.output.endswith(
        f"Error: cannot write to the output folder {out}: Read-only file system (.lock)\n"
    )
    assert _check(out) == before

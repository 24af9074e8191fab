"""How the command line reports a mistake: one message, the exit code of its class, ``--debug``."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from scorecard.cli import main
from scorecard.errors import DataError, OutputError, UsageError
from tests.conftest import REPO

PUBLISHED = REPO / "data" / "published" / "scs_2015_05_results.csv"


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "results.csv"
    path.write_text("", encoding="utf-8")
    return path


def test_a_mistake_is_one_line_on_stderr_without_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["rate", str(_empty(tmp_path))])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_the_traceback_too(tmp_path: Path, where: str) -> None:
    args = ["rate", str(_empty(tmp_path))]
    args = ["--debug", *args] if where == "before" else [*args, "--debug"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert "scorecard.errors.DataError: " in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("Error: ")


@pytest.mark.parametrize(
    ("raised", "code", "message"),
    [
        (UsageError("a usage mistake"), 2, "Error: a usage mistake\n"),
        (DataError("unusable data"), 1, f"Error: {PUBLISHED}: unusable data\n"),
        (OutputError("cannot write"), 1, "Error: cannot write\n"),
        (PermissionError(errno.EACCES, os.strerror(errno.EACCES), "secret.csv"), 1,
         "Error: secret.csv: Permission denied\n"),
        (UnicodeDecodeError("utf-8", b"\xe9", 0, 1, "invalid continuation byte"), 1,
         ("Error: a file is not UTF-8 text (invalid continuation byte at byte 0): save it as "
          "UTF-8 ('CSV UTF-8' in Excel)\n")),
    ],
    ids=["usage", "data", "output", "os_error", "not_utf8"],
)  # fmt: skip
def test_each_class_of_error_has_its_exit_code(monkeypatch, raised, code, message) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise raised

    monkeypatch.setattr("scorecard.rating.rate", fail)  # the command imports it when run
    result = CliRunner().invoke(main, ["rate", str(PUBLISHED)])
    assert result.exit_code == code
    assert result.stderr == message


def test_a_bug_is_not_hidden(monkeypatch) -> None:
    """Anything else is a bug in the library: it is not dressed up as a user's mistake."""

    def fail(*args: object, **kwargs: object) -> None:
        raise KeyError("bug")

    monkeypatch.setattr("scorecard.rating.rate", fail)  # the command imports it when run
    result = CliRunner().invoke(main, ["rate", str(PUBLISHED)])
    assert isinstance(result.exception, KeyError)


def test_rate_out_is_replaced_in_one_step(tmp_path: Path, monkeypatch) -> None:
    """A failure while writing ``rate --out`` leaves the previous file as it was."""
    out = tmp_path / "rated.csv"
    out.write_text("previous\n", encoding="utf-8")

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = CliRunner().invoke(main, ["rate", str(PUBLISHED), "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {out}: No space left on device\n"
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rated.csv"]  # no temporary file left


def test_a_device_given_as_out_is_written_to_not_replaced() -> None:
    """``--out /dev/full`` (or ``/dev/stdout``): written as it is; /dev/full says the disk is full."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    result = CliRunner().invoke(main, ["rate", str(PUBLISHED), "--out", "/dev/full"])
    assert result.exit_code == 1
    assert result.stderr == "Error: cannot write /dev/full: No space left on device\n"
    assert Path("/dev/full").is_char_device()


def test_a_link_given_as_out_has_its_file_replaced(tmp_path: Path) -> None:
    target = tmp_path / "kept" / "rated.csv"
    target.parent.mkdir()
    target.write_text("previous\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    result = CliRunner().invoke(main, ["rate", str(PUBLISHED), "--out", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("indicator,")

"""Bad-input catalogue, command line and outputs (docs/bad-input.md rows 250-): each mistake ends in
one message on standard error and exit code 2 (usage) or 1 (data, outputs), never a traceback."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from scorecard import cli
from scorecard.cli import main
from scorecard.reports.publish import output_lock
from tests.catalogue import documented
from tests.conftest import REPO
from tests.extracts.conftest import VALID_CSV, write_folder

PUBLISHED = REPO / "data" / "published" / "scs_2015_05_results.csv"
HEADER = "indicator,unit,month,numerator,denominator,value\n"


def _run(args: list[str], code: int) -> str:
    """Run the command line; it must fail with ``code`` and one message, no traceback."""
    result: Result = CliRunner().invoke(main, args)
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.output.count("Error: ") == 1, result.output
    return result.output


@pytest.fixture
def extracts(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "extracts", VALID_CSV)


@pytest.mark.parametrize(
    ("args", "month"),
    [
        pytest.param(["build", "--month"], "2015-13", id="month_13"),
        pytest.param(["build", "--month"], "2015-5", id="no_leading_zero"),
        pytest.param(["compute", "--from"], "2015", id="year_only"),
        pytest.param(["rate", str(PUBLISHED), "--month"], "May 15", id="words"),
        pytest.param(["compute", "--from"], "01/02/2015", id="a_date"),
    ],
)
def test_cli_bad_month(request, extracts: Path, tmp_path: Path, args: list[str], month: str):
    extra = ["--extracts", str(extracts)] if args[0] in ("build", "compute") else []
    output = _run([*args, month, *extra, *(["--out", str(tmp_path / "o")] * (args[0] == "build"))],
                  2)  # fmt: skip
    documented(request, output)


def test_cli_bad_date(request, extracts: Path, tmp_path: Path) -> None:
    output = _run(["build", "--extracts", str(extracts), "--month", "2015-05", "--as-of",
                   "2015-02-30", "--out", str(tmp_path / "o")], 2)  # fmt: skip
    documented(request, output)


def test_cli_months_reversed(request, extracts: Path) -> None:
    output = _run(["compute", "--extracts", str(extracts), "--from", "2015-05", "--to", "2015-01"],
                  2)  # fmt: skip
    documented(request, output)


def test_cli_blank_county(request, extracts: Path) -> None:
    output = _run(["compute", "--extracts", str(extracts), "--from", "2015-05", "--county", " "], 2)
    documented(request, output)


@contextmanager
def _injected(monkeypatch: pytest.MonkeyPatch, out: Path, error: int) -> Iterator[None]:
    """Opening a file in ``out`` for writing fails with ``error`` (as on a read-only mount:
    tests run as root, for whom a folder without write permission is still writable)."""
    real_open = Path.open

    def failing(self: Path, mode: str = "r", *args, **kwargs):
        if out in self.parents and any(c in mode for c in "wax+"):
            raise OSError(error, os.strerror(error), str(self))
        return real_open(self, mode, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Path, "open", failing)
        yield


def test_cli_read_only_out(request, extracts: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    with _injected(monkeypatch, out, errno.EROFS):
        output = _run(["build", "--extracts", str(extracts), "--month", "2015-05",
                       "--out", str(out)], 1)  # fmt: skip
    documented(request, output)
    assert not any(p.name.startswith("scorecard_") for p in out.iterdir())


def test_cli_full_disk(request, extracts: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    real_write_text = Path.write_text

    def full(self: Path, data: str, *args, **kwargs) -> int:
        if self.suffix == ".html" and out in self.parents:
            real_write_text(self, data[: len(data) // 3], *args, **kwargs)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real_write_text(self, data, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    output = _run(["build", "--extracts", str(extracts), "--month", "2015-05", "--out", str(out)],
                  1)  # fmt: skip
    documented(request, output)
    assert not any(p.name.startswith("scorecard_") for p in out.iterdir())
    assert not list((out / ".builds").iterdir())  # the half-written build was removed


def test_cli_concurrent_build(request, extracts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    to_parent, from_child = os.pipe()
    to_child, from_parent = os.pipe()
    child = os.fork()
    if child == 0:  # another build holds the output folder
        try:
            with output_lock(out):
                os.write(from_child, b"1")
                os.read(to_child, 1)
        finally:
            os._exit(0)
    try:
        os.read(to_parent, 1)
        output = _run(["build", "--extracts", str(extracts), "--month", "2015-05",
                       "--out", str(out)], 1)  # fmt: skip
    finally:
        os.write(from_parent, b"x")
        os.waitpid(child, 0)
    documented(request, output)
    assert f"another scorecard build is writing to {out} (process {child})" in output


def test_cli_latin1_registry(request, tmp_path: Path) -> None:
    registry = tmp_path / "indicators.yaml"
    text = (REPO / "indicators.yaml").read_text(encoding="utf-8")
    registry.write_bytes(text.replace("Adoption", "Adopti\u00f3n", 1).encode("latin-1"))
    output = _run(["check", "--registry", str(registry), "--rules", str(REPO / "rag_rules")], 1)
    documented(request, output)
    assert str(registry) in output


def test_cli_latin1_results(request, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_bytes((HEADER + "cp_plans_18_months,K\u00e9nt,2015-05,1,2,\n").encode("latin-1"))
    output = _run(["rate", str(results)], 1)
    documented(request, output)


def test_cli_empty_results(request, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text("\n", encoding="utf-8")
    output = _run(["rate", str(results)], 1)
    documented(request, output)


def test_cli_mixed_month_formats(request, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text(HEADER + "cp_plans_18_months,Kent,2015-05,1,2,\n"
                       "cp_plans_18_months,Kent,2015-5,1,2,\n", encoding="utf-8")  # fmt: skip
    output = _run(["rate", str(results)], 1)
    documented(request, output)


def test_cli_results_not_a_file(request, tmp_path: Path) -> None:
    fifo = tmp_path / "results.csv"
    os.mkfifo(fifo)  # reading it would wait for a writer for ever
    output = _run(["rate", str(fifo)], 1)
    documented(request, output)


def test_cli_results_too_large(request, tmp_path: Path, monkeypatch) -> None:
    results = tmp_path / "results.csv"
    results.write_text(HEADER + "cp_plans_18_months,Kent,2015-05,1,2,\n", encoding="utf-8")
    monkeypatch.setattr(cli, "RESULTS_MAX_BYTES", 40)  # the file has 48 + 37 = 85 bytes
    output = _run(["rate", str(results)], 1)
    documented(request, output)


def test_cli_results_not_csv(request, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text(HEADER + '"cp_plans_18_months,Kent,2015-05,1,2,\n', encoding="utf-8")
    output = _run(["rate", str(results)], 1)
    documented(request, output)


def test_cli_rate_month_absent(request) -> None:
    output = _run(["rate", str(PUBLISHED), "--month", "2016-01"], 2)
    documented(request, output)


def test_cli_out_not_writable(request, tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    output = _run(["rate", str(PUBLISHED), "--out", str(blocker / "rated.csv")], 1)
    documented(request, output)


def test_cli_results_header_only(request, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text(HEADER, encoding="utf-8")
    output = _run(["rate", str(results)], 1)
    documented(request, output)


def test_cli_results_semicolons(request, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text(HEADER.replace(",", ";") + "cp_plans_18_months;Kent;2015-05;1;2;\n",
                       encoding="utf-8")  # fmt: skip
    output = _run(["rate", str(results)], 1)
    documented(request, output)

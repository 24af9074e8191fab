"""Help pages, the one default for --county and --date-format on the command line (issue 14)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from scorecard import cli
from scorecard.bundled import COUNTY, bundled_extracts
from scorecard.cli import main
from scorecard.extracts.spec import DateFormat
from tests.extracts.conftest import VALID_CSV, write_folder


def commands(group: click.Group = main, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The path of every command and group, the top included (``()``)."""
    found = [path]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += commands(command, (*path, name))
        else:
            found.append((*path, name))
    return found


def command_at(path: tuple[str, ...]) -> click.Command:
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def example_commands(text: str) -> list[list[str]]:
    """The words of each ``scorecard ...`` command in an examples text (continuation lines
    joined, comments dropped)."""
    joined = re.sub(r"\\\n\s*", " ", text)
    found = []
    for line in joined.splitlines():
        words = line.split("#")[0].split()
        if "scorecard" in words:
            found.append(words[words.index("scorecard") + 1 :])
    return found


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p) or "scorecard")
def test_every_help_page_ends_with_examples_of_its_own_options(path: tuple[str, ...]) -> None:
    """Each --help ends with examples; one runs this command; every option an example uses is an
    option of the command it runs (so that no example goes stale)."""
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "\n  Examples:\n" in result.output
    examples = result.output.split("\n  Examples:\n", 1)[1]
    runs = example_commands(examples)
    assert any(words[: len(path)] == list(path) for words in runs), runs
    top = {"--help"} | {opt for p in main.params for opt in getattr(p, "opts", [])}
    for words in runs:
        command: click.Command = main
        for word in words:
            if isinstance(command, click.Group) and word in command.commands:
                command = command.commands[word]
        assert not isinstance(command, click.Group) or not words, words
        known = top | {opt for p in command.params for opt in getattr(p, "opts", [])}
        used = {word for word in words if word.startswith("-")}
        assert used <= known, (words, used - known)


def test_the_command_line_date_formats_are_the_librarys() -> None:
    assert cli.DATE_FORMATS == tuple(member.value for member in DateFormat)


# --------------------------------------------------------------------------------------------------
# --county: one default for build and compute


def test_the_bundled_data_names_its_authority() -> None:
    """The bundled manifest says Kent: build's default county comes from it, not from a constant
    of the command line."""
    folder = bundled_extracts()
    assert "authority: Kent" in (folder / "manifest.yaml").read_text(encoding="utf-8")
    assert cli._county(None, folder) == COUNTY == "Kent"
    assert cli._county("Shire", folder) == "Shire"


def manifest(folder: Path, *lines: str) -> Path:
    text = "extraction_date: 2015-05-31\nfirst_date_covered: 2000-01-01\n" + "".join(
        f"{line}\n" for line in lines
    )
    (folder / "manifest.yaml").write_text(text, encoding="utf-8")
    return folder


def county_of(folder: Path, *extra: str) -> set[str]:
    out = folder.parent / "rated.csv"
    result = CliRunner().invoke(main, ["compute", "--extracts", str(folder), "--from", "2015-05",
                                       "--out", str(out), "--quiet", *extra])  # fmt: skip
    assert result.exit_code == 0, result.output
    rated = pd.read_csv(out)
    return set(rated.loc[rated["level"] == "county", "unit"])


def test_compute_takes_the_manifests_authority(tmp_path: Path) -> None:
    folder = manifest(write_folder(tmp_path / "x", VALID_CSV), "authority: Shire")
    assert county_of(folder) == {"Shire"}
    assert county_of(folder, "--county", "Wessex") == {"Wessex"}


def test_without_a_manifest_authority_the_county_is_county(tmp_path: Path) -> None:
    folder = manifest(write_folder(tmp_path / "x", VALID_CSV))
    assert county_of(folder) == {cli.DEFAULT_COUNTY} == {"County"}


# --------------------------------------------------------------------------------------------------
# --date-format


@pytest.fixture
def uk_folder(tmp_path: Path) -> Path:
    """The small valid set written day first (2015-05-20 -> 20/05/2015), with a manifest."""
    texts = {n: re.sub(r"(\d{4})-(\d{2})-(\d{2})", r"\3/\2/\1", t) for n, t in VALID_CSV.items()}
    return manifest(write_folder(tmp_path / "uk", texts))


def compute(folder: Path, *extra: str):
    return CliRunner().invoke(main, ["compute", "--extracts", str(folder), "--from", "2015-05",
                                     "--out", str(folder.parent / "rated.csv"), *extra])  # fmt: skip


def test_a_day_first_folder_is_read_with_the_option(tmp_path: Path, uk_folder: Path) -> None:
    iso = manifest(write_folder(tmp_path / "iso", VALID_CSV))
    assert compute(iso).exit_code == 0
    expected = pd.read_csv(iso.parent / "rated.csv")
    for spelling in ("DD/MM/YYYY", "dd/mm/yyyy"):
        result = compute(uk_folder, "--date-format", spelling)
        assert result.exit_code == 0, result.output
        pd.testing.assert_frame_equal(pd.read_csv(uk_folder.parent / "rated.csv"), expected)


def test_a_day_first_folder_is_refused_without_the_option_or_read_month_first(
    uk_folder: Path,
) -> None:
    for extra in ([], ["--date-format", "MM/DD/YYYY"]):
        result = compute(uk_folder, *extra)
        assert result.exit_code == 1, result.output
        assert "referrals (" in result.stderr and "closure_date: invalid_date" in result.stderr
        assert "Traceback" not in result.stderr


def test_the_manifest_can_declare_the_format(uk_folder: Path) -> None:
    manifest(uk_folder, "date_format: DD/MM/YYYY")
    assert compute(uk_folder).exit_code == 0
    clash = compute(uk_folder, "--date-format", "MM/DD/YYYY")
    assert clash.exit_code == 2
    assert "declares date_format DD/MM/YYYY" in clash.stderr


def test_an_unknown_date_format_is_a_usage_error(uk_folder: Path) -> None:
    result = compute(uk_folder, "--date-format", "DD-MM-YYYY")
    assert result.exit_code == 2
    assert "give one of YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY" in result.stderr


def test_python_dash_m_runs_the_command_line() -> None:
    """``python -m scorecard`` is the ``scorecard`` command (same name in its usage line)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "scorecard", "--help"], capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: scorecard [OPTIONS] COMMAND [ARGS]...")
    assert "build" in done.stdout

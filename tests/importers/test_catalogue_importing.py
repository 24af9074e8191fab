"""Bad-input catalogue, importing (docs/bad-input.md rows 450-): what `scorecard import` does with
input it cannot use as it is. Fake importers stand in for the three readers (the lazy import is
monkeypatched): these rows are about the frame around them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from scorecard import cli
from tests.catalogue import documented
from tests.importers.helpers import NA, children, referrals, result


def _fake(source: str, **options):
    extracts = {
        "ssda903": {"children": children([("C1", "2010-01-01", "M", True, NA)])},
        "cin_census": {
            "children": children([("C1", "2010-01-01", "M", False, True)]),
            "referrals": referrals([("R1", "C1", NA, "2015-01-10", NA),
                                    ("R2", "C1", NA, "2015-03-10", NA)]),
        },
    }[source]  # fmt: skip
    return lambda paths: result(source, extracts)


@pytest.fixture(autouse=True)
def fake_importers(monkeypatch):
    monkeypatch.setattr(cli, "load_importer", _fake)


def _run(args: list[str], code: int) -> str:
    run: Result = CliRunner().invoke(cli.main, ["import", *args])
    assert run.exit_code == code, run.output
    assert "Traceback" not in run.output
    if code:
        assert run.output.count("Error: ") == 1, run.output
    return run.output


def _file(tmp_path: Path, name: str, text: str = "x") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_unknown_source_file(request, tmp_path) -> None:
    output = _run(["ssda903", _file(tmp_path, "notes.txt"), "--out", str(tmp_path / "out")], 2)
    documented(request, output)
    assert not (tmp_path / "out").exists()


def test_import_team_not_in_mapping(request, tmp_path) -> None:
    teams = _file(tmp_path, "teams.csv", "kind,value,team\nchild,C9,North\n")
    org = _file(tmp_path, "org.csv", "team,area,team_type\nNorth,,front_door\n")
    out = tmp_path / "out"
    output = _run(["cin-census", _file(tmp_path, "cin.xml"), "--out", str(out), "--teams", teams,
                   "--organisation", org], 0)  # fmt: skip
    documented(request, output)
    # both referrals of C1 (not in the mapping) are in the team Unmapped, counted in the report
    assert "unmapped: referrals: no team for the record: put in team 'Unmapped': 2" in output
    organisation = (out / "organisation.csv").read_text(encoding="utf-8")
    assert "Unmapped,,other" in organisation


def test_import_mapping_file_malformed(request, tmp_path) -> None:
    teams = _file(tmp_path, "teams.csv", "kind,value,team\nchild,C1,North\nteam,X,North\n")
    output = _run(["cin-census", _file(tmp_path, "cin.xml"), "--out", str(tmp_path / "out"),
                   "--teams", teams], 1)  # fmt: skip
    documented(request, output)
    assert not (tmp_path / "out").exists()


def test_import_out_not_empty(request, tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "referrals.csv").write_text("old", encoding="utf-8")
    output = _run(["cin-census", _file(tmp_path, "cin.xml"), "--out", str(out)], 2)
    documented(request, output)
    assert sorted(p.name for p in out.iterdir()) == ["referrals.csv"]  # left as it was


def test_import_two_sources_disagree(request, tmp_path) -> None:
    output = _run(["all", "--ssda903", _file(tmp_path, "header.csv"), "--cin-census",
                   _file(tmp_path, "cin.xml"), "--out", str(tmp_path / "out")], 0)  # fmt: skip
    documented(request, output)


def test_import_extracts_do_not_validate(request, tmp_path, monkeypatch) -> None:
    bad = referrals([("R1", "C1", NA, "2015-01-10", "2015-01-01")])  # closed before it started
    monkeypatch.setattr(cli, "load_importer", lambda source, **options: lambda paths: result(
        source, {"children": children([("C1", "2010-01-01", "M", False, NA)]), "referrals": bad}))  # fmt: skip
    out = tmp_path / "out"
    output = _run(["cin-census", _file(tmp_path, "cin.xml"), "--out", str(out)], 1)
    documented(request, output)
    assert "closure_date: end_before_start" in output
    assert not out.exists() and (tmp_path / "out.import_report.csv").is_file()


def test_import_extract_larger_than_the_loader_reads(request, tmp_path, monkeypatch) -> None:
    # the loader refuses a file above max_file_bytes: the import must not leave such a folder
    # (the limit lowered so that a small file passes it)
    import importlib

    monkeypatch.setattr(importlib.import_module("scorecard.extracts.load"), "MAX_FILE_BYTES", 100)
    out = tmp_path / "out"
    output = _run(["cin-census", _file(tmp_path, "cin.xml"), "--out", str(out)], 1)
    documented(request, output)
    assert "unreadable_file" in output and "limit of 100 bytes" in output
    assert not out.exists() and (tmp_path / "out.import_report.csv").is_file()

"""`scorecard import ...` through click's CliRunner, with fake importers (the lazy import is
monkeypatched), and its exit codes: 0 done, 1 data, 2 usage."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from scorecard import cli
from scorecard.extracts import load_extracts
from scorecard.extracts.manifest import read_manifest
from tests.importers.helpers import NA, children, referrals, result

CALLS: list[tuple[str, list]] = []


OPTIONS: dict[str, dict] = {}


def _fake(source: str, **options):
    extracts = {
        "ssda903": {"children": children([("C1", "2010-01-01", "M", True, NA)])},
        "cin_census": {
            "children": children([("C1", "2010-01-01", "M", False, True)]),
            "referrals": referrals([("R1", "C1", NA, "2015-01-10", NA)]),
        },
        "annex_a": {"referrals": referrals([("R1", "C1", "Team A", "2015-01-10", "2015-02-01")])},
    }[source]

    def importer(paths):
        CALLS.append((source, list(paths)))
        OPTIONS[source] = options
        return result(source, extracts)

    return importer


@pytest.fixture
def fake_importers(monkeypatch):
    CALLS.clear()
    monkeypatch.setattr(cli, "load_importer", _fake)
    return CALLS


def _run(*args: str):
    return CliRunner().invoke(cli.main, ["import", *args])


def _files(tmp_path, *names: str):
    paths = []
    for name in names:
        path = tmp_path / name
        path.write_text("x", encoding="utf-8")
        paths.append(str(path))
    return paths


def test_import_one_source(tmp_path, fake_importers) -> None:
    (xml,) = _files(tmp_path, "cin_2015.xml")
    out = tmp_path / "out"
    run = _run("cin-census", xml, "--out", str(out), "--authority", "Shire")
    assert run.exit_code == 0, run.output
    assert fake_importers == [("cin_census", [tmp_path / "cin_2015.xml"])]
    extracts = load_extracts(out)
    assert extracts.referrals["team"].tolist() == ["Shire (all teams)"]
    # the authority is the folder's name for the whole authority (build's default --county)
    assert read_manifest(out).authority == "Shire"
    # summary: 1 child + 1 referral read (the fake's report), 1 + 1 teams set
    assert "Import report: 2 read, 1 team" in run.output
    assert "note: no team mapping and no organisation file" in run.output
    assert "Coverage: " in run.output and "re_referrals_12m" in run.output
    assert "ssda903" not in run.output.split("Coverage: ")[1].splitlines()[1]  # CIN column only


def test_import_all_merges_the_sources(tmp_path, fake_importers) -> None:
    csv, xml, xlsx = _files(tmp_path, "episodes.csv", "cin.xml", "annex.xlsx")
    out = tmp_path / "out"
    run = _run("all", "--ssda903", csv, "--cin-census", xml, "--annex-a", xlsx, "--out", str(out))
    assert run.exit_code == 0, run.output
    assert [source for source, _ in fake_importers] == ["ssda903", "cin_census", "annex_a"]
    extracts = load_extracts(out)
    # R1 from the CIN census; closure date filled from Annex A; its own team 'Team A' is not
    # in the one-unit organisation: every record is in the one unit
    assert extracts.referrals["closure_date"].tolist() == [pd.Timestamp("2015-02-01")]
    assert "conflict: children: uasc differs in CIN census" in run.output
    report = pd.read_csv(out / "import_report.csv")
    assert set(report["action"]) >= {"read", "merged", "filled", "conflict", "team"}


def test_with_a_mapping_and_an_organisation(tmp_path, fake_importers) -> None:
    (xml,) = _files(tmp_path, "cin.xml")
    teams = tmp_path / "teams.csv"
    teams.write_text("kind,value,team\nchild,C1,North\n", encoding="utf-8")
    org = tmp_path / "org.csv"
    org.write_text("team,area,team_type\nNorth,,front_door\nSouth,,front_door\n", encoding="utf-8")
    out = tmp_path / "out"
    run = _run(
        "cin-census", xml, "--out", str(out), "--teams", str(teams), "--organisation", str(org)
    )
    assert run.exit_code == 0, run.output
    assert load_extracts(out).referrals["team"].tolist() == ["North"]


def test_no_source_in_import_all_is_a_usage_error(tmp_path, fake_importers) -> None:
    run = _run("all", "--out", str(tmp_path / "out"))
    assert run.exit_code == 2
    assert "give at least one of --ssda903, --cin-census, --annex-a" in run.output


def test_extracts_that_do_not_validate_exit_1_and_leave_no_folder(tmp_path, monkeypatch) -> None:
    bad = referrals([("R1", "C1", NA, "2015-01-10", "2015-01-01")])  # closed before referred
    monkeypatch.setattr(
        cli,
        "load_importer",
        lambda source, **options: (
            lambda paths: result(
                source,
                {"children": children([("C1", "2010-01-01", "M", False, NA)]), "referrals": bad},
            )
        ),
    )
    (xml,) = _files(tmp_path, "cin.xml")
    run = _run("cin-census", xml, "--out", str(tmp_path / "out"))
    assert run.exit_code == 1
    assert "the imported extracts do not validate" in run.output
    assert "Traceback" not in run.output
    assert not (tmp_path / "out").exists()


def test_an_importer_not_installed_is_a_usage_error(tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(
        cli.IMPORTERS, "ssda903", ("scorecard.importers.no_such_module", "f", (".csv",), True)
    )
    (csv,) = _files(tmp_path, "header.csv")
    run = _run("ssda903", csv, "--out", str(tmp_path / "out"))
    assert run.exit_code == 2
    assert "the SSDA903 importer is not part of this version of scorecard" in run.output


def test_a_missing_input_file_is_a_usage_error(tmp_path, fake_importers) -> None:
    run = _run("annex-a", str(tmp_path / "nope.xlsx"), "--out", str(tmp_path / "out"))
    assert run.exit_code == 2
    assert fake_importers == []


def test_importer_options_reach_the_importers(fake_importers, tmp_path):
    """--exclude-invalid (CIN census), --request-date and --team-from (Annex A) are passed on."""
    OPTIONS.clear()
    cin, annex = tmp_path / "cin.xml", tmp_path / "annex.xlsx"
    cin.write_text("<x/>", encoding="utf-8")
    annex.write_bytes(b"PK")
    result = CliRunner().invoke(cli.main, [
        "import", "all", "--cin-census", str(cin), "--annex-a", str(annex), "--exclude-invalid",
        "--request-date", "2015-05-31", "--team-from", "worker", "--out", str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert OPTIONS["cin_census"] == {"invalid": "exclude"}
    assert OPTIONS["annex_a"] == {"request_date": "2015-05-31", "team_from": "worker"}
    OPTIONS.clear()
    result = CliRunner().invoke(cli.main, ["import", "cin-census", str(cin), "--out",
                                           str(tmp_path / "out2")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert OPTIONS["cin_census"] == {"invalid": "fail"}  # invalid dates refuse the import by default

"""The benchmark scripts' own logic (not timings): README sections kept, figures compared, CSV
copies written canonically. Small and fast; the benchmarks themselves are not run here."""

from __future__ import annotations

import importlib
import sys

import pandas as pd
import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
run = importlib.import_module("run")
duckdb_baseline = importlib.import_module("duckdb_baseline")
targets = importlib.import_module("targets")

HEAD = "# Benchmarks\n\nGenerated head.\n\n| a |\n|---|\n| 1 |\n"
BY_HAND = "\n## Against the targets\n\nWritten by hand.\n\n## Other\n\nMore.\n"


def test_run_py_keeps_the_sections_written_by_hand(tmp_path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(HEAD + BY_HAND, encoding="utf-8")
    assert run._written_by_hand(readme) == BY_HAND
    assert run._written_by_hand(tmp_path / "absent.md") == ""


def test_targets_section_inserted_then_replaced_and_kept_by_run_py(tmp_path) -> None:
    first = targets.replace_section(
        HEAD + BY_HAND,
        targets.section(
            [targets.row("t1", "1 s", "≤ 2 s", True, "3 runs")], "machine A", "day 1", "cmd"
        ),
    )
    # inserted before the first hand-written section, everything else unchanged
    assert first.startswith(HEAD + "\n" + targets.HEADING + "\n")
    assert first.endswith(BY_HAND)
    assert "| t1 | 1 s | ≤ 2 s | met | 3 runs |" in first
    second = targets.replace_section(
        first,
        targets.section(
            [targets.row("t1", "3 s", "≤ 2 s", False, "3 runs")], "machine B", "day 2", "cmd"
        ),
    )
    assert second.count(targets.BEGIN) == 1 and second.count(targets.HEADING) == 1
    assert "| t1 | 3 s | ≤ 2 s | **not met** | 3 runs |" in second and "machine A" not in second
    assert (
        second.replace("machine B", "machine A")
        .replace("day 2", "day 1")
        .replace("| t1 | 3 s | ≤ 2 s | **not met** |", "| t1 | 1 s | ≤ 2 s | met |")
        == first
    )
    # run.py rewrites only what comes before the first "## ": the targets section survives it
    readme = tmp_path / "README.md"
    readme.write_text(second, encoding="utf-8")
    kept = run._written_by_hand(readme)
    assert (
        kept.startswith("\n" + targets.HEADING) and targets.END in kept and kept.endswith(BY_HAND)
    )


def _results(tmp_path, name: str, rows: list[tuple]) -> object:
    path = tmp_path / name
    pd.DataFrame(
        rows, columns=["indicator", "unit", "level", "month", "numerator", "denominator"]
    ).to_csv(path, index=False)
    return path


def test_compare_names_each_indicator_whose_figures_differ(tmp_path) -> None:
    rows = [
        ("ref_a", "Kent", "county", "2015-05", 3.0, 10.0),
        ("ref_a", "Team 1", "team", "2015-05", 3.0, 10.0),
        ("ref_b", "Kent", "county", "2015-05", 0.1 + 0.2, 1.0),
    ]
    left = _results(tmp_path, "left.csv", rows)
    same = _results(
        tmp_path, "same.csv", [*rows[:2], ("ref_b", "Kent", "county", "2015-05", 0.3, 1.0)]
    )
    assert duckdb_baseline.compare(left, same, ("library", "DuckDB")) == []  # FTE sums: 1e-9
    other = _results(
        tmp_path, "other.csv", [("ref_a", "Kent", "county", "2015-05", 4.0, 10.0), rows[1]]
    )  # ref_b absent: read as 0 / 0
    problems = duckdb_baseline.compare(left, other, ("library", "DuckDB"))
    assert problems == [
        (
            "ref_a: 1 of 2 unit-months differ (1 county months); e.g. Kent 2015-05: library 3/10, "
            "DuckDB 4/10"
        ),
        (
            "ref_b: 1 of 1 unit-months differ (1 county months); e.g. Kent 2015-05: library 0.3/1, "
            "DuckDB 0/0"
        ),
    ]


def test_csv_copy_writes_canonical_csv(tmp_path) -> None:
    pytest.importorskip("duckdb")
    parquet = tmp_path / "parquet"
    parquet.mkdir()
    pd.DataFrame(
        {
            "child_id": ["C1", "C,2"],
            "start_date": pd.to_datetime(["2015-01-31", None]),
            "flag": pd.array([True, None], dtype="boolean"),
            "fte": [0.5, None],
        }
    ).to_parquet(parquet / "things.parquet", index=False)
    (parquet / "manifest.yaml").write_text("extraction_date: 2015-05-31\n")
    csv = duckdb_baseline.csv_copy(parquet, tmp_path / "csv")
    assert (csv / "things.csv").read_text().splitlines() == [
        "child_id,start_date,flag,fte",
        "C1,2015-01-31,True,0.5",
        '"C,2",,,',
    ]
    assert (csv / "manifest.yaml").read_text() == "extraction_date: 2015-05-31\n"


# --------------------------------------------------------------------------------------------------
# The DuckDB baseline's SQL on a few hand-worked records (county, 2015-05; snapshot Fri 29 May 2015)

TINY = {
    "organisation": "team,area\nT1,A1\nT2,\n",
    # ref 1: A's earlier referral exactly 12 months before (repeat), B's 12 months and a day (not),
    # C's first referral: 1 of the 3 referrals of 2015-04-01..2015-05-31
    "referrals": "referral_id,child_id,team,referral_date\nr1,A,T1,2014-04-15\nr2,A,T1,2015-04-15\n"
    "r3,B,T2,2014-04-14\nr4,B,T2,2015-04-15\nr5,C,T1,2015-05-10\n",
    # ref 2: started Mon 2 March 2015; the 45th working day after it is Thu 7 May (Good Friday,
    # Easter Monday and 4 May are bank holidays): in time; Fri 8 May (46th) is not
    "assessments": "assessment_id,child_id,team,start_date,authorised_date\n"
    "a1,A,T1,2015-03-02,2015-05-07\na2,B,T1,2015-03-02,2015-05-08\na3,C,T1,2015-05-01,\n",
    # ref 14: X's earlier plan ended exactly 24 months before the new one (repeat), Y's a day more
    "cp_plans": "cp_plan_id,child_id,team,start_date,end_date\n"
    "p1,X,T1,2013-01-01,2013-05-20\np2,X,T1,2015-05-20,\np3,Y,T2,2013-01-01,2013-05-19\n"
    "p4,Y,T2,2015-05-20,\n",
    # ref 19: K has 2 placements in the 12 months from 29 May 2014 (the first ended 1 June 2014;
    # RNE L continues a placement), L has 3 (RNE S, T, U); M is on a short break (V3): not counted
    "cic_episodes": "episode_id,child_id,team,start_date,end_date,reason_new_episode,"
    "legal_status,reason_ceased\n"
    "e1,K,T1,2014-01-01,2014-06-01,S,C2,X1\ne2,K,T1,2014-06-01,2014-09-01,P,C2,X1\n"
    "e3,K,T1,2014-09-01,,L,C1,\n"
    "e4,L,T1,2014-06-01,2014-08-01,S,C2,X1\ne5,L,T1,2014-08-01,2014-10-01,T,C2,X1\n"
    "e6,L,T1,2014-10-01,,U,C2,\ne7,M,T1,2015-05-01,,S,V3,\n",
    # ref 32: Z's 19th birthday 10 May 2015 (18th, 10 May 2014, is before 1 April 2015): in touch
    # only after the month's end; W's 19th birthday 20 April 2015, in touch exactly a month after;
    # V is not former relevant
    "care_leavers": "child_id,team,eligibility\nZ,T1,former_relevant\nW,T2,former_relevant\n"
    "V,T1,relevant\n",
    "care_leaver_contacts": "contact_id,child_id,contact_date,in_touch\n"
    "c1,Z,2015-02-10,NO\nc2,Z,2015-06-05,YES\nc3,W,2015-05-20,YES\nc4,V,2015-05-01,YES\n",
    "children": "child_id,date_of_birth\nZ,1996-05-10\nW,1996-04-20\nV,1996-05-01\n",
    # ref 40: caseholding posts in post on 29 May 2015: 1.0 permanent QSW, 0.5 agency, 1.0
    # permanent with qualification not recorded; not counted: a post that is not caseholding, one
    # ending on the snapshot date
    "workforce": "post_id,team,start_date,end_date,caseholding,fte,contract,"
    "qualified_social_worker\n"
    "w1,T1,2014-01-01,,True,1.0,permanent,True\nw2,T1,2014-01-01,,True,0.5,agency,True\n"
    "w3,T2,2014-01-01,,True,1.0,permanent,\nw4,T1,2014-01-01,,False,1.0,permanent,True\n"
    "w5,T2,2014-01-01,2015-05-29,True,1.0,permanent,True\n",
}


def test_duckdb_baseline_sql_on_hand_worked_records(tmp_path, monkeypatch) -> None:
    pytest.importorskip("duckdb")
    monkeypatch.setattr(duckdb_baseline, "DATA", tmp_path)
    folder = tmp_path / "tiny"
    folder.mkdir()
    for name, text in TINY.items():
        (folder / f"{name}.csv").write_text(text)
    calendars = duckdb_baseline.calendar_files()
    duckdb_baseline.run_duckdb(folder, "csv", "tiny", calendars)
    got = pd.read_csv(tmp_path / "six_duck_tiny.json.csv")
    county = got[(got["unit"] == "Kent") & (got["month"] == "2015-05")].set_index("indicator")
    assert county[["numerator", "denominator"]].to_dict("index") == {
        "re_referrals_12m": {"numerator": 1.0, "denominator": 3.0},
        "assessments_within_45_wd": {"numerator": 1.0, "denominator": 2.0},
        "cp_repeat_24_months": {"numerator": 1.0, "denominator": 2.0},
        "cic_3_placements_12m": {"numerator": 1.0, "denominator": 2.0},
        "care_leavers_in_touch": {"numerator": 1.0, "denominator": 2.0},
        "posts_permanent_qsw": {"numerator": 1.0, "denominator": 2.5},
    }
    # every unit: county, area A1 (team T1) and teams T1, T2; T2 has no area
    assert sorted(got["unit"].unique()) == ["A1", "Kent", "T1", "T2"]
    t2 = got[(got["unit"] == "T2") & (got["month"] == "2015-05")].set_index("indicator")
    assert t2.loc["posts_permanent_qsw", ["numerator", "denominator"]].tolist() == [0.0, 1.0]


def test_a_run_of_some_parts_keeps_the_other_parts_rows_and_says_from_when() -> None:
    old = {
        "date": "day 1",
        "command": "cmd all",
        "rows": [  # saved before rows named their part: told by their target
            targets.row("1. build", "6 s", "≤ 5 s", False, "3 runs"),
            targets.row("2. CSV load", "1.1x", "≤ 1.3x", True, "3 runs"),
            targets.row("Issue 10. N = 300", "1.06x", "≤ 1.0x", False, "3 runs"),
        ],
    }
    new = [dict(targets.row("Issue 10. N = 300", "0.98x", "≤ 1.0x", True, "3 runs"),
                part="import903", date="day 2", command="cmd 903")]  # fmt: skip
    rows, origin = targets.merged(old, new, ["import903"])
    assert [r["measured"] for r in rows] == ["6 s", "1.1x", "0.98x"]  # PARTS order, 903 new
    assert [r["date"] for r in rows] == ["day 1", "day 1", "day 2"]
    assert "build, csv from day 1 (`cmd all`)" in origin
    # a later run of another part keeps each row's own date
    again = [dict(targets.row("1. build", "4.9 s", "≤ 5 s", True, "3 runs"), part="build",
                  date="day 3", command="cmd build")]  # fmt: skip
    rows, origin = targets.merged({"rows": rows}, again, ["build"])
    assert [(r["measured"], r["date"]) for r in rows] == [
        ("4.9 s", "day 3"),
        ("1.1x", "day 1"),
        ("0.98x", "day 2"),
    ]
    assert "csv from day 1 (`cmd all`); import903 from day 2 (`cmd 903`)" in origin
    # a run of every part keeps nothing
    assert targets.merged(old, new, list(targets.PARTS)) == (new, "")

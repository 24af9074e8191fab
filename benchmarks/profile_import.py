"""Check and time the SSDA903 importer against another version of it (issue 10, Speed).

    python benchmarks/profile_import.py snapshot --code main --out /tmp/import_before
    python benchmarks/profile_import.py snapshot --code here --out /tmp/import_after
    python benchmarks/profile_import.py compare /tmp/import_before /tmp/import_after
    python benchmarks/profile_import.py time --n 10 100 --repeat 3       # main and here, alternately
    python benchmarks/profile_import.py profile --n 100                  # cProfile of this code

``--code main`` imports the importer modules as they are on the branch ``main`` (``git show``
into a temporary package), ``here`` the working tree's. ``snapshot`` runs every case below (the
shared fixtures, messy and bad hand-made returns, the benchmark returns x1 and x10, x10 with the
year folders given in reverse order, and x100 with ``--big``) through ``import_ssda903`` ->
``assign_teams`` -> ``write_import`` and saves, per case, every extract (as returned and as
written), the import report, the years, dates and notes, or the error message; ``compare``
checks them with ``pandas.testing.assert_frame_equal`` (same rows, order, values and dtypes).
``time`` runs each version in a fresh process (peak memory by ``resource.getrusage``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = Path(os.environ.get("SSDA903_DATA", "/work/main/benchmarks/.data"))
SHARED = Path(os.environ.get("SHARED", "/work/wt/shared"))
FIXTURE = SHARED / "fixtures" / "ssda903_fake"
MODULES = ("base", "dfe_codes", "coverage", "ssda903", "combine")


def load_code(which: str):
    """(import_ssda903, assign_teams, write_import) of ``main`` or of the working tree."""
    if which == "here":
        from scorecard.importers.combine import assign_teams, write_import
        from scorecard.importers.ssda903 import import_ssda903

        return import_ssda903, assign_teams, write_import
    pkg = Path(tempfile.mkdtemp(prefix="old_importers_")) / "old_importers"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    for name in MODULES:
        text = subprocess.run(
            ["git", "show", f"{which}:scorecard/importers/{name}.py"],
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        for other in MODULES:
            text = text.replace(f"scorecard.importers.{other}", f"old_importers.{other}")
            text = text.replace(f"from scorecard.importers import {other}",
                                f"from old_importers import {other}")  # fmt: skip
        (pkg / f"{name}.py").write_text(text)
    sys.path.insert(0, str(pkg.parent))
    ssda = importlib.import_module("old_importers.ssda903")
    comb = importlib.import_module("old_importers.combine")
    return ssda.import_ssda903, comb.assign_teams, comb.write_import


# --------------------------------------------------------------------------------------------------
# Cases


def _write(folder: Path, name: str, text: str | bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    (folder / name).write_bytes(data)


def make_cases(work: Path, big: bool) -> dict[str, list[Path]]:
    """Case name -> paths given to import_ssda903 (hand-made returns written under ``work``)."""
    fx = FIXTURE
    cases: dict[str, list[Path]] = {
        "fixture_folder": [fx],
        "fixture_xml": [fx / "fake_903.xml"],
        "fixture_csvs": sorted(p for p in fx.glob("*.csv")),
    }
    # two years of the fixture, the later one with every value padded, lower-case padded headers,
    # CRLF, a BOM, blank lines, a quoted field, a repeated row and an overlap
    a, b = work / "messy" / "2016-17", work / "messy" / "2017-18"
    for t in ("header", "episodes", "reviews", "uasc", "oc3", "ad1", "placed_for_adoption",
              "sw_episodes", "missing", "oc2"):  # fmt: skip
        lines = (fx / f"{t}.csv").read_text(encoding="utf-8-sig").splitlines()
        _write(a, f"{t}.csv", "\n".join(lines[: len(lines) // 2]) + "\n")
        head = ",".join(f" {c.lower()} " for c in lines[0].split(","))
        body = [",".join(f" {v}\t" for v in line.split(",")) for line in lines[1:]]
        body.insert(min(3, len(body)), "")
        body.insert(min(7, len(body)), "," * (lines[0].count(",")))
        body.append(body[0])
        if t == "episodes":
            first = lines[1].split(",")
            first[1] = "01/01/2017"
            body.append(",".join(first))
        text = "\ufeff" + "\r\n".join([head, *body]) + "\r\n"
        _write(b, f"{t}.csv", text)
    cases["messy_two_years"] = [work / "messy"]
    cases["messy_reversed"] = [b, a]
    q = work / "quoted" / "2017-18"
    ep = (fx / "episodes.csv").read_text().splitlines()
    quoted = [ep[0]] + ['"' + '","'.join(line.split(",")) + '"' for line in ep[1:50]]
    quoted.append(ep[50].replace(",PR0,", ',"PR0 ",'))
    _write(q, "episodes.csv", "\n".join(quoted) + "\n")
    _write(q, "header.csv", (fx / "header.csv").read_text())
    cases["quoted"] = [q]
    # bad input: every one an error (or a report row) naming file, line and column
    bad = {
        "bad_date": ("episodes.csv", ep[0] + "\n" + ep[1] + "\n" + ep[2].replace("/20", "-20")),
        "blank_decom": (
            "episodes.csv",
            ep[0]
            + "\n"
            + ep[1]
            + "\n"
            + ",".join([ep[2].split(",")[0], ""] + ep[2].split(",")[2:]),
        ),
        "missing_column": ("episodes.csv", ep[0].replace("DECOM,", "") + "\n"),
        "short_row": ("episodes.csv", ep[0] + "\n" + ep[1] + "\n1,01/01/2017\n"),
        "long_row": ("episodes.csv", ep[0] + "\n" + ep[1] + "\n" + ep[2] + ",x,y\n"),
        "not_utf8": ("episodes.csv", (ep[0] + "\n" + ep[1] + "\n").encode() + b"\xff\xfe,\n"),
        "empty": ("episodes.csv", ""),
        "header_only": ("episodes.csv", ep[0] + "\n"),
        "duplicate_column": ("episodes.csv", ep[0] + ",CHILD\n" + ep[1] + ",9\n"),
        "unnamed_column": ("episodes.csv", ep[0] + ",\n" + ep[1] + ",9\n"),
        "newline_in_quotes": (
            "episodes.csv",
            ep[0] + "\n" + ep[1] + "\n" + ep[2].replace(",,", ',"a\nb",', 1) + "\n" + ep[3] + "\n",
        ),
    }
    for name, (file, text) in bad.items():
        folder = work / name / "2017-18"
        _write(folder, file, text)
        _write(folder, "header.csv", (fx / "header.csv").read_text())
        cases[name] = [folder]
    for n in (1, 10) + ((100,) if big else ()):
        folder = DATA / f"ssda903_x{n}"
        if folder.exists():
            cases[f"x{n}"] = [folder]
    if (DATA / "ssda903_x10").exists():
        cases["x10_years_reversed"] = sorted((DATA / "ssda903_x10").iterdir(), reverse=True)
    return cases


def snapshot(code: str, out: Path, big: bool, only: list[str] | None) -> None:
    import warnings

    import pandas as pd

    from scorecard.errors import DataError

    import_ssda903, assign_teams, write_import = load_code(code)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="import_cases_"))
    try:
        for name, paths in make_cases(work, big).items():
            if only and name not in only:
                continue
            saved: dict[str, object] = {}
            try:
                result = import_ssda903(paths)
                saved["extracts"] = {k: v for k, v in result.extracts.items()}
                saved["report"] = result.report
                saved["meta"] = (result.source, result.collection_years, result.first_date_covered,
                                 result.extraction_date, result.notes)  # fmt: skip
                teams = assign_teams(result)
                saved["team_report"] = teams.result.report
                target = work / f"out_{name}"
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    try:
                        write_import(teams.result, target, organisation=teams.organisation)
                        saved["written"] = {
                            p.name: pd.read_parquet(p) for p in sorted(target.glob("*.parquet"))
                        }
                        saved["written_report"] = pd.read_csv(
                            target / "import_report.csv", dtype=str, keep_default_na=False
                        )
                        saved["manifest"] = (target / "manifest.yaml").read_text()
                    except DataError as error:
                        saved["write_error"] = f"{type(error).__name__}: {error}".replace(
                            str(work), "WORK"
                        )
            except DataError as error:
                saved["error"] = f"{type(error).__name__}: {error}".replace(str(work), "WORK")
            with open(out / f"{name}.pkl", "wb") as f:
                pickle.dump(saved, f)
            print(name, "error" if "error" in saved else "ok", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def compare(a: Path, b: Path) -> int:
    import pandas as pd
    from pandas.testing import assert_frame_equal

    bad = 0
    for file in sorted(a.glob("*.pkl")):
        other = b / file.name
        if not other.exists():
            print(f"{file.stem}: missing in {b}")
            bad += 1
            continue
        x, y = pickle.loads(file.read_bytes()), pickle.loads(other.read_bytes())
        problems = []
        if set(x) != set(y):
            problems.append(f"keys {sorted(x)} != {sorted(y)}")
        for key in sorted(set(x) & set(y)):
            u, v = x[key], y[key]
            if isinstance(u, dict):
                if list(u) != list(v):
                    problems.append(f"{key}: {list(u)} != {list(v)}")
                    continue
                pairs = [(f"{key}.{k}", u[k], v[k]) for k in u]
            else:
                pairs = [(key, u, v)]
            for label, p, q in pairs:
                if isinstance(p, pd.DataFrame):
                    try:
                        assert_frame_equal(p, q, check_exact=True)
                    except AssertionError as error:
                        problems.append(f"{label}: {str(error)[:600]}")
                elif p != q:
                    problems.append(f"{label}: {str(p)[:400]!r} != {str(q)[:400]!r}")
        status = "same" if not problems else "DIFFERENT"
        print(f"{file.stem}: {status}" + "".join(f"\n    {p}" for p in problems))
        bad += bool(problems)
    return 1 if bad else 0


# --------------------------------------------------------------------------------------------------
# Timing and profiling

RUN = r"""
import json, resource, sys, tempfile, time, warnings, shutil
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from profile_import import load_code
import_ssda903, assign_teams, write_import = load_code(sys.argv[1])
folder = Path(sys.argv[2])
years = sorted(p for p in folder.iterdir() if p.is_dir())
t0 = time.perf_counter()
result = import_ssda903(years)
t1 = time.perf_counter()
teams = assign_teams(result)
t2 = time.perf_counter()
out = Path(tempfile.mkdtemp()) / "out"
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    write_import(teams.result, out, organisation=teams.organisation)
t3 = time.perf_counter()
shutil.rmtree(out.parent)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
json.dump({"import": t1 - t0, "teams": t2 - t1, "write": t3 - t2, "total": t3 - t0,
           "peak_mb": peak}, open(sys.argv[3], "w"))
"""


def timing(ns: list[int], repeat: int, codes: list[str]) -> None:
    rows = []
    for n in ns:
        folder = DATA / f"ssda903_x{n}"
        runs: dict[str, list[dict]] = {c: [] for c in codes}
        for _ in range(repeat):
            for code in codes:  # alternately
                with tempfile.NamedTemporaryFile(suffix=".json") as f:
                    subprocess.run([sys.executable, "-c", RUN, code, str(folder), f.name,
                                    str(HERE)], check=True, cwd=ROOT)  # fmt: skip
                    runs[code].append(json.loads(Path(f.name).read_text()))
                print(n, code, runs[code][-1], flush=True)
        for code in codes:
            r = runs[code]
            med = {k: statistics.median(x[k] for x in r) for k in r[0]}
            rng = (min(x["total"] for x in r), max(x["total"] for x in r))
            rows.append(f"| {n} | {code} | {med['import']:.2f} | {med['teams']:.2f} | "
                        f"{med['write']:.2f} | {med['total']:.2f} ({rng[0]:.2f}-{rng[1]:.2f}) | "
                        f"{med['peak_mb']:,.0f} |")  # fmt: skip
    print("| N | code | import (s) | assign_teams (s) | write_import (s) | total (s), median "
          "(range) | peak memory (MB) |\n|---:|---|---:|---:|---:|---:|---:|")  # fmt: skip
    print("\n".join(rows))


def profile(n: int) -> None:
    import cProfile
    import pstats
    import warnings

    import_ssda903, assign_teams, write_import = load_code("here")
    years = sorted(p for p in (DATA / f"ssda903_x{n}").iterdir() if p.is_dir())
    prof = cProfile.Profile()
    prof.enable()
    result = import_ssda903(years)
    teams = assign_teams(result)
    out = Path(tempfile.mkdtemp()) / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        write_import(teams.result, out, organisation=teams.organisation)
    prof.disable()
    shutil.rmtree(out.parent)
    pstats.Stats(prof).sort_stats("cumulative").print_stats(45)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("--code", default="here", help="'here' or a git revision such as main")
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--big", action="store_true", help="also x100 (run under the bigmem lock)")
    s.add_argument("--only", nargs="*")
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    t = sub.add_parser("time")
    t.add_argument("--n", type=int, nargs="+", default=[10, 100])
    t.add_argument("--repeat", type=int, default=3)
    t.add_argument("--codes", nargs="+", default=["main", "here"])
    p = sub.add_parser("profile")
    p.add_argument("--n", type=int, default=100)
    args = parser.parse_args(argv)
    if args.command == "snapshot":
        snapshot(args.code, args.out, args.big, args.only)
    elif args.command == "compare":
        return compare(args.a, args.b)
    elif args.command == "time":
        timing(args.n, args.repeat, args.codes)
    else:
        profile(args.n)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

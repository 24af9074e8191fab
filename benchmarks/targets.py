"""Benchmark: every speed target of issue 12 (and issue 10's SSDA903 ratio) in one table.

    python benchmarks/targets.py                 # everything (make benchmark); rewrites its README table
    python benchmarks/targets.py --quick         # a few minutes: scale 1 only, fewer runs, no scale 60
    python benchmarks/targets.py --parts build help import --no-write
    python benchmarks/targets.py --parts duckdb --scales 1 10 --repeat 3
    python benchmarks/targets.py --parts import903 --replicas 300      # issue 10's full size (long)

Parts (``--parts``; default all):

* ``build``: ``scorecard build`` (the CLI, a fresh process, bundled county = scale 1) end to end,
  wall time (target 5 s), and the size of the HTML report it writes (target 3 MB).
* ``help``: ``scorecard --help``, wall time of the process (target 0.5 s).
* ``import``: ``import scorecard`` against ``import pandas``, each timed inside a fresh process
  (target: at most 0.1 s more).
* ``csv``: ``load_extracts`` of the same extracts from CSV against Parquet at scales 1 and 10
  (every extract; the CSV copy is written once by DuckDB, not timed; the modules loading imports
  are imported before the clock starts, since they cost both formats the same; target 1.3x).
* ``scale60``: load + compute + rate of the 44 indicators, 13 months, every unit, at scale 60
  (``run.py``'s measurement; targets 30 s and 4 GB).
* ``duckdb``: the library against the DuckDB SQL baseline of six indicators
  (``duckdb_baseline.py``) at each scale from Parquet and CSV (target 1.0x), figures checked equal.
* ``import903``: issue 10, SSDA903 import + 36 months against DuckDB (``import_903.py``) at
  ``--replicas`` (default 10; the issue's size is 300, about 1.5 minutes a run and 8 GB).

Every measurement runs in a fresh process, sides alternating, several runs (``--repeat``):
medians, with the range. Runs that may use more than 3 GB (scale 60, SSDA903 N >= 100) are
wrapped in ``flock $BENCH_BIGMEM_LOCK`` when that file exists (default
``/work/wt/notes/bigmem.lock``). A part that fails is shown as an error in its rows; the others
still run. Exit status 1 if a part failed or a figure differs between the library and DuckDB.
A run of some parts (``--parts``) keeps the other parts' rows of the last results saved
(``.data/targets_results.json``; each row with the date and command of the run that measured
it) and says so above the table; ``--quick`` keeps none.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics as st
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import duckdb_baseline
import run as run_py

DATA = HERE / ".data"
BIN = Path(sys.executable).parent
PARTS = ("build", "help", "import", "csv", "scale60", "duckdb", "import903")
BEGIN, END = "<!-- targets.py: begin -->", "<!-- targets.py: end -->"

# --------------------------------------------------------------------------------------------------
# Running things


def timed(command: list[str], big: bool = False, cwd: Path | None = None) -> tuple[float, float]:
    """Wall time (s) and peak memory (MB, max RSS) of a fresh process; raises if it fails. The
    max RSS includes this (parent) process's size at the vfork + exec: an upper bound."""
    command = duckdb_baseline.locked(command) if big else command
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    err = process.stderr.read().decode(errors="replace") if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}): {err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def inner(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON line last."""
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True,
                         text=True, env=duckdb_baseline.library_env())  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def spread(values: list[float], unit: str = "s") -> str:
    """``n runs, low–high unit`` (or ``1 run``)."""
    if len(values) == 1:
        return "1 run"
    return f"{len(values)} runs, {min(values):.2f}–{max(values):.2f} {unit}"


def row(target: str, measured: str, goal: str, met: bool | None, detail: str) -> dict:
    return {"target": target, "measured": measured, "goal": goal, "met": met, "detail": detail}


def compile_package() -> None:
    """Write the bytecode of the library's modules (``compileall``; only those changed since).

    Every run measured is then a user's run after the first: Python writes a module's bytecode on
    its first import, and a regular (not editable) install writes it when installing. This
    workplace sets ``PYTHONDONTWRITEBYTECODE=1``, under which each measured process would compile
    the library's modules again (about 0.2-0.3 s of CPU of a build). Bytecode of a module edited
    later is stale and ignored by Python (it compiles the module again, as without it)."""
    package = HERE.parent / "scorecard"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)


# --------------------------------------------------------------------------------------------------
# The parts


def part_build(args: argparse.Namespace) -> list[dict]:
    scorecard = str(BIN / "scorecard")
    times, peaks, html = [], [], 0
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="bench_build_", dir=DATA) as out:
            seconds, peak = timed([scorecard, "build", "--out", out])
            times.append(seconds)
            peaks.append(peak)
            # the reports it names (links into its .builds folder): the HTML report(s)
            html = sum(p.stat().st_size for p in Path(out).glob("*.html"))
    median = st.median(times)
    return [
        row("1. `scorecard build`, bundled county (scale 1), end to end", f"{median:.2f} s",
            "≤ 5 s", median <= 5.0,
            f"{spread(times)}; peak at most {max(peaks):,.0f} MB"),
        row("1. HTML report size, bundled county", f"{html / 1e6:.2f} MB", "≤ 3 MB",
            html <= 3e6, "the HTML report `scorecard build` writes"),
    ]  # fmt: skip


def part_help(args: argparse.Namespace) -> list[dict]:
    times = [timed([str(BIN / "scorecard"), "--help"])[0] for _ in range(max(args.repeat, 5))]
    median = st.median(times)
    return [row("4. `scorecard --help`", f"{median:.2f} s", "≤ 0.5 s", median <= 0.5,
                f"{spread(times)} (whole process)")]  # fmt: skip


IMPORT = """
import json, time
t = time.perf_counter()
import {module}
print(json.dumps({{"seconds": time.perf_counter() - t}}))
"""


#: ``import scorecard`` imports its public names when first used (PEP 562): what the first use of
#: ``sc.rate`` costs once pandas is imported, reported beside the target (not part of it).
FIRST_USE = """
import json, time
import pandas
t = time.perf_counter()
import scorecard
scorecard.rate
print(json.dumps({"seconds": time.perf_counter() - t}))
"""


def part_import(args: argparse.Namespace) -> list[dict]:
    pandas, scorecard, first = [], [], []
    for _ in range(max(args.repeat, 5)):  # alternating
        pandas.append(inner(IMPORT.format(module="pandas"))["seconds"])
        scorecard.append(inner(IMPORT.format(module="scorecard"))["seconds"])
        first.append(inner(FIRST_USE)["seconds"])
    p, s = st.median(pandas), st.median(scorecard)
    return [row("4. `import scorecard` against `import pandas`", f"{s:.2f} s vs {p:.2f} s "
                f"({s - p:+.2f} s)", "≤ pandas + 0.1 s", s <= p + 0.1,
                f"scorecard {spread(scorecard)}; pandas {spread(pandas)}; names are imported "
                f"when first used: `sc.rate` after `import pandas` +{st.median(first):.2f} s "
                f"({spread(first)})")]  # fmt: skip


LOAD = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
import scorecard as sc
# the modules loading uses (pandas, pyarrow's CSV and Parquet readers, pandera and the checks it
# imports on its first validation) imported before the clock starts: the same for both formats,
# they would only dilute the ratio
import scorecard.extracts.load, pandera.backends.pandas.builtin_checks, pandera.backends.pandas.register
t = time.perf_counter()
extracts = sc.load_extracts(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - t,
                  "rows": sum(len(f) for f in extracts.frames().values())}))
"""


def part_csv(args: argparse.Namespace) -> list[dict]:
    rows = []
    for scale in [s for s in args.scales if s <= 10]:
        parquet = duckdb_baseline.scale_folder(scale)
        csv = duckdb_baseline.csv_copy(parquet, DATA / f"csv_scale_{scale:g}")
        p_times, c_times = [], []
        for _ in range(args.repeat):  # alternating
            p_times.append(inner(LOAD, str(parquet))["seconds"])
            c_times.append(inner(LOAD, str(csv))["seconds"])
        p, c = st.median(p_times), st.median(c_times)
        rows.append(row(f"2. CSV load / Parquet load, scale {scale:g}", f"{c / p:.2f}x "
                        f"({c:.2f} s / {p:.2f} s)", "≤ 1.3x", c / p <= 1.3,
                        f"CSV {spread(c_times)}; Parquet {spread(p_times)}; every extract; "
                        "imports before the clock"))  # fmt: skip
    return rows


def part_scale60(args: argparse.Namespace) -> list[dict]:
    runs = [run_py.measure(60.0, lock=True) for _ in range(args.repeat_big)]
    median = run_py.summarise(runs)
    total, peak = median["total"], median["peak_mb"]
    return [
        row("3. scale 60: load + compute + rate (44 indicators, 13 months, every unit)",
            f"{total:.1f} s", "≤ 30 s", total <= 30.0,
            f"{len(runs)} run(s), {median['fastest']:.1f}–{median['slowest']:.1f} s; load "
            f"{median['load']:.1f} s, compute {median['compute']:.1f} s, rate {median['rate']:.1f} s"),
        row("3. scale 60: peak memory", f"{peak / 1024:.2f} GB", "≤ 4 GB", peak <= 4096,
            "largest max RSS of the runs"),
    ]  # fmt: skip


def part_duckdb(args: argparse.Namespace) -> list[dict]:
    rows = []
    for scale in args.scales:
        repeat = args.repeat_big if scale > 10 else args.repeat
        for r in duckdb_baseline.measure([scale], ["parquet", "csv"], repeat):
            lib, duck = r["library"], r["duckdb"]
            figures = "figures equal" if not r["problems"] else "FIGURES DIFFER: " + "; ".join(
                r["problems"])  # fmt: skip
            rows.append(row(
                f"5. library / DuckDB, 6 indicators, scale {r['scale']:g}, {r['format']}",
                f"{r['ratio']:.2f}x ({lib['median']:.2f} s / {duck['median']:.2f} s)", "≤ 1.0x",
                r["ratio"] <= 1.0,
                f"{repeat} run(s) each; library {lib['low']:.2f}–{lib['high']:.2f} s, DuckDB "
                f"{duck['low']:.2f}–{duck['high']:.2f} s; peak {lib['peak_mb']:,.0f} / "
                f"{duck['peak_mb']:,.0f} MB; {figures}", ))  # fmt: skip
            rows[-1]["problems"] = r["problems"]
    return rows


def part_import903(args: argparse.Namespace) -> list[dict]:
    import import_903

    calendar = import_903.calendar_file()
    rows = []
    for n in args.replicas:
        folder = import_903.generate(n)
        big = n >= 100
        repeat = args.repeat_big if big else args.repeat
        libs, ducks = [], []
        for _ in range(repeat):
            libs.append(import_903.run_library(folder, f"x{n}", lock=big))
            ducks.append(import_903.run_duckdb(folder, f"x{n}", calendar, lock=big))
        checks = import_903.compare(f"x{n}")
        differ = [c for c in checks if "; e.g." in c]  # compare() names an example when unequal
        lt, dt = [r["total"] for r in libs], [r["total"] for r in ducks]
        ratio = st.median(lt) / st.median(dt)
        rows.append(row(
            f"Issue 10. SSDA903 import + 36 months / DuckDB, N = {n} "
            f"({import_903.episode_rows(folder):,} episode rows)",
            f"{ratio:.2f}x ({st.median(lt):.1f} s / {st.median(dt):.1f} s)", "≤ 1.0x (at N = 300)",
            ratio <= 1.0,
            f"library {spread(lt)}; DuckDB {spread(dt)}; "
            f"{len(import_903.SQL_INDICATORS)} of {len(import_903.INDICATORS)} indicators in SQL; "
            + ("figures equal" if not differ else "FIGURES DIFFER: " + "; ".join(differ))))  # fmt: skip
        rows[-1]["problems"] = differ
    return rows


RUNNERS: dict[str, Callable[[argparse.Namespace], list[dict]]] = {
    "build": part_build, "help": part_help, "import": part_import, "csv": part_csv,
    "scale60": part_scale60, "duckdb": part_duckdb, "import903": part_import903,
}  # fmt: skip

# --------------------------------------------------------------------------------------------------
# The table


def table(rows: list[dict]) -> str:
    lines = ["| target | measured (median) | target value | met | runs, range, notes |",
             "|---|---:|---:|---|---|"]  # fmt: skip
    for r in rows:
        met = {True: "met", False: "**not met**", None: "—"}[r["met"]]
        lines.append(f"| {r['target']} | {r['measured']} | {r['goal']} | {met} | {r['detail']} |")
    return "\n".join(lines)


HEADING = "## Speed targets (issues 12 and 10)"


def section(rows: list[dict], machine: str, date: str, command: str, load: str = "") -> str:
    """The generated part of the README's targets section (between its two markers)."""
    return f"{BEGIN}\n`{command}` on {date}. Machine: {machine}.{load}\n\n{table(rows)}\n{END}"


def load_average() -> float | None:
    """The machine's 1-minute load average (other work slows every figure), if known."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def replace_section(readme: str, new: str) -> str:
    """``readme`` with the text between its targets markers replaced by ``new``; without markers,
    a targets section (heading + ``new``) is inserted before the first ``## `` section (so that
    ``run.py``, which rewrites only what comes before that heading, keeps it). Every other line
    is kept as it was."""
    if BEGIN in readme and END in readme.split(BEGIN, 1)[1]:
        head, rest = readme.split(BEGIN, 1)
        return head + new + rest.split(END, 1)[1]
    block = f"{HEADING}\n\nGenerated by `benchmarks/targets.py` (`make benchmark`).\n\n{new}\n"
    at = readme.find("\n## ")
    if at < 0:
        return readme.rstrip("\n") + "\n\n" + block
    return readme[: at + 1] + block + "\n" + readme[at + 1 :]


#: How the rows of each part begin (to tell the part of a row saved before rows named it).
PART_PREFIXES = {"build": "1. ", "help": "4. `scorecard --help`", "import": "4. `import scorecard`",
                 "csv": "2. ", "scale60": "3. ", "duckdb": "5. ", "import903": "Issue 10."}  # fmt: skip


def part_of(row: dict) -> str | None:
    """The part that measured ``row``."""
    if row.get("part") in PARTS:
        return str(row["part"])
    return next((p for p, prefix in PART_PREFIXES.items() if row["target"].startswith(prefix)),
                None)  # fmt: skip


def merged(
    previous: dict | list | None, rows: list[dict], parts: list[str]
) -> tuple[list[dict], str]:
    """``rows`` of this run's ``parts`` with the rows of the other parts from ``previous`` (the
    saved results of an earlier run: ``{"date", "command", "rows"}``, or a bare list of rows),
    in the order of :data:`PARTS`; and a sentence saying which rows come from which run (each
    row keeps the date and command of the run that measured it)."""
    if previous is None or set(parts) >= set(PARTS):
        return rows, ""
    saved = previous if isinstance(previous, dict) else {"rows": previous}
    kept = [
        dict(
            r,
            part=part_of(r),
            date=r.get("date", saved.get("date", "an earlier run")),
            command=r.get("command", saved.get("command", "")),
        )
        for r in saved.get("rows", [])
        if part_of(r) not in parts
    ]
    if not kept:
        return rows, ""
    order = {p: i for i, p in enumerate(PARTS)}
    together = sorted(rows + kept, key=lambda r: order.get(str(r.get("part")), len(PARTS)))
    runs: dict[tuple[str, str], list[str]] = {}
    for r in kept:
        found = runs.setdefault((str(r["date"]), str(r["command"])), [])
        if r["part"] not in found:
            found.append(str(r["part"]))
    origins = "; ".join(
        f"{', '.join(p)} from {date}" + (f" (`{command}`)" if command else "")
        for (date, command), p in runs.items()
    )
    return together, (f" Only {', '.join(parts)} measured in this run; the rows of the other "
                      f"parts are kept from earlier runs: {origins}.")  # fmt: skip


def publish(
    rows: list[dict],
    loads: list[float | None],
    argv: list[str] | None,
    write: bool,
    final: bool,
    parts: list[str] | None = None,
    previous: dict | list | None = None,
) -> str:
    """The README section of ``rows`` (rewritten in README.md when ``write``), also saved as
    ``.data/targets_results.json``; a run stopped part-way is marked so. A run of some ``parts``
    keeps the other parts' rows of the ``previous`` results, and says so."""
    command = "python benchmarks/targets.py " + " ".join(argv if argv is not None else sys.argv[1:])
    known = [x for x in loads if x is not None]
    load = (f" Load average (1 min) from {min(known):.1f} to {max(known):.1f} during the run "
            f"(2 cores: above 2, other work shared them)." if known else "")  # fmt: skip
    if not final:
        load += " Run in progress or stopped part-way: parts after the last row not measured."
    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for r in rows:  # each row says which run measured it
        r.setdefault("date", date)
        r.setdefault("command", command.strip())
    every, origin = merged(previous, rows, list(parts) if parts is not None else list(PARTS))
    text = section(every, run_py.machine(), date, command.strip(), load + origin)
    if write:
        readme = HERE / "README.md"
        old = readme.read_text(encoding="utf-8") if readme.is_file() else "# Benchmarks\n"
        readme.write_text(replace_section(old, text), encoding="utf-8")
    saved = {"date": date, "command": command.strip(), "rows": every}
    (DATA / "targets_results.json").write_text(json.dumps(saved, indent=1))
    return text


def saved_results() -> dict | list | None:
    """The results saved by the last run (``.data/targets_results.json``), if any."""
    path = DATA / "targets_results.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--quick", action="store_true",
                        help="scale 1 only, 1 run per side (3 for the cheap parts), no scale 60, "
                             "SSDA903 N = 1: a few minutes")  # fmt: skip
    parser.add_argument("--scales", type=float, nargs="+", default=None,
                        help="scales of the DuckDB and CSV parts (default 1 10 60)")  # fmt: skip
    parser.add_argument(
        "--replicas",
        type=int,
        nargs="+",
        default=None,
        help="SSDA903 N of the import903 part (default 10; the issue's size: 300)",
    )
    parser.add_argument("--repeat", type=int, default=None, help="runs per side (default 3)")
    parser.add_argument("--repeat-big", type=int, default=None,
                        help="runs per side at scale 60 and N >= 100 (default 3)")  # fmt: skip
    parser.add_argument("--no-write", action="store_true", help="print, do not rewrite README.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.parts = [p for p in args.parts if p != "scale60"]
    args.scales = args.scales or ([1.0] if args.quick else [1.0, 10.0, 60.0])
    args.replicas = args.replicas or ([1] if args.quick else [10])
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.repeat_big = args.repeat_big or (1 if args.quick else 3)
    DATA.mkdir(parents=True, exist_ok=True)
    compile_package()
    previous = None if args.quick else saved_results()  # (a quick run's rows are not kept)
    rows: list[dict] = []
    failed = False
    loads = [load_average()]
    for part in PARTS:
        if part not in args.parts:
            continue
        print(f"== {part}", flush=True)
        try:
            got = RUNNERS[part](args)
        except Exception as exc:  # noqa: BLE001 - one failing part must not hide the others
            traceback.print_exc()
            failed = True
            got = [row(part, "error", "", None, f"{type(exc).__name__}: "
                       f"{str(exc).splitlines()[0][:200] if str(exc) else ''}")]  # fmt: skip
        for r in got:
            r["part"] = part
            print(f"  {r['target']}: {r['measured']} ({r['goal']}) {r['met']}", flush=True)
            failed |= bool(r.get("problems"))
        rows.extend(got)
        loads.append(load_average())
        # after every part, so that a long run stopped part-way keeps what it measured
        publish(rows, loads, argv, write=not args.no_write, final=False, parts=args.parts,
                previous=previous)  # fmt: skip
    print(publish(rows, loads, argv, write=not args.no_write, final=True, parts=args.parts,
                  previous=previous))  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: load + compute + rate the 13-month scorecard for every unit, against data size.

    python benchmarks/run.py                 # scales 1, 10, 60; rewrites the table of benchmarks/README.md
    python benchmarks/run.py --scales 0.1 1  # any scales; --no-write to print only

Each scale is generated once (seed 2015, Parquet, cached under ``benchmarks/.data/``), then
measured in a fresh Python process so that the peak memory (max RSS) belongs to that run alone:
wall time and peak memory of (1) loading and validating the extracts, (2) computing the 44
indicators for 13 months and every unit, (3) rating them. Data generation is not timed.

Each scale is measured several times (``--repeat``; by default 5 runs up to scale 1, 3 above)
because a shared 2-core machine varies by tens of percent from run to run: the table shows the
run with the median total, the range of the totals and the largest peak memory of all runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
LAST_MONTH = "2015-05"
FIRST_MONTH = "2014-05"

MEASURE = """
import json, resource, sys, time
t0 = time.perf_counter()
import scorecard as sc
from scorecard.measures import compute, month_range
t1 = time.perf_counter()
extracts = sc.load_extracts(sys.argv[1])
t2 = time.perf_counter()
registry = sc.load_registry()
computation = compute(extracts, month_range(sys.argv[2], sys.argv[3]), registry, county="Kent")
t3 = time.perf_counter()
rated = sc.rate(computation.results, registry)
t4 = time.perf_counter()
rows = sum(len(f) for f in extracts.frames().values())
print(json.dumps({"rows": rows, "results": len(rated), "import": t1 - t0, "load": t2 - t1,
                  "compute": t3 - t2, "rate": t4 - t3, "total": t4 - t1,
                  "peak_mb": next((int(ln.split()[1]) / 1024 for ln in open("/proc/self/status") if ln.startswith("VmHWM:")), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


def ensure_data(scale: float) -> Path:
    folder = DATA / f"scale_{scale:g}"
    marker = folder / ".complete"
    if not marker.exists():
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "scorecard.synth", "--scale", f"{scale:g}", "--seed", "2015",
             "--last-month", LAST_MONTH, "--out", str(folder), "--format", "parquet", "--quiet"],
            check=True,
        )  # fmt: skip
        marker.write_text(f"generated in {time.perf_counter() - started:.1f}s\n")
    return folder


def measure(scale: float, lock: bool = False) -> dict[str, float]:
    """One run in a fresh process; ``lock``: under the shared big-memory lock when it exists (see
    ``duckdb_baseline.locked``)."""
    folder = ensure_data(scale)
    sys.path.insert(0, str(HERE))
    from duckdb_baseline import library_env, locked

    prefix = locked([]) if lock else []
    out = subprocess.run(
        [*prefix, sys.executable, "-c", MEASURE, str(folder), FIRST_MONTH, LAST_MONTH],
        check=True,
        capture_output=True,
        text=True,
        env=library_env(),
    )
    return {"scale": scale, **json.loads(out.stdout.strip().splitlines()[-1])}


def summarise(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run with the median total, plus the range of totals and the largest peak memory."""
    ordered = sorted(runs, key=lambda r: r["total"])
    median = dict(ordered[(len(ordered) - 1) // 2])
    median.update(runs=len(runs), fastest=ordered[0]["total"], slowest=ordered[-1]["total"],
                  peak_mb=max(r["peak_mb"] for r in runs))  # fmt: skip
    return median


def machine() -> str:
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines()
                 if ln.startswith("model name")]  # fmt: skip
        cpu = f"{names[0]}, " if names else ""
    import numpy
    import pandas

    return (
        f"{cpu}{os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, pandas {pandas.__version__}, "
        f"numpy {numpy.__version__}"
    )


def table(rows: list[dict[str, float]]) -> str:
    lines = [
        (
            "| scale | extract rows | result rows | runs | load (s) | compute (s) | rate (s) "
            "| total (s), median | total (s), range | peak memory (MB) |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['scale']:g} | {r['rows']:,.0f} | {r['results']:,.0f} | {r['runs']:.0f} | "
            f"{r['load']:.2f} | {r['compute']:.2f} | {r['rate']:.2f} | {r['total']:.2f} | "
            f"{r['fastest']:.2f}–{r['slowest']:.2f} | {r['peak_mb']:,.0f} |"
        )
    return "\n".join(lines)


README = """# Benchmarks

`python benchmarks/run.py` generates the synthetic county at each scale
(seed 2015, Parquet, cached in `benchmarks/.data/`, not timed) and measures, in a fresh process
per run, loading and validating the extracts, computing the 44 indicators for the 13 months
{first} to {last} for every team, area and the county, and rating them. Peak memory is the
process's maximum resident set size. Each scale runs several times (5 up to scale 1, 3 above):
the row is the run with the median total; the range is that of all runs' totals and the peak
memory the largest of all runs. Targets (issue 4): scale 1 within 2 s; scale 60 within 60 s and
8 GB on a 2-core machine.
`make benchmark` runs `benchmarks/targets.py` instead: every speed target of issues 12 and 10
in one table (the section "Speed targets" below; `--quick` for a short run).

Machine: {machine}.

{table}

Run on {date}. Times vary by a few tens of percent with the load of the machine.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0, 60.0])
    parser.add_argument("--repeat", type=int, default=None,
                        help="runs per scale (default: 5 up to scale 1, 3 above)")  # fmt: skip
    parser.add_argument("--no-write", action="store_true", help="print, do not rewrite README.md")
    args = parser.parse_args(argv)
    rows = []
    for scale in args.scales:
        repeat = args.repeat or (5 if scale <= 1 else 3)
        runs = []
        for _ in range(repeat):
            runs.append(measure(scale))
            print(json.dumps(runs[-1]), flush=True)
        rows.append(summarise(runs))
    text = README.format(first=FIRST_MONTH, last=LAST_MONTH, machine=machine(), table=table(rows),
                         date=time.strftime("%Y-%m-%d"))  # fmt: skip
    print(text)
    if not args.no_write:
        (HERE / "README.md").write_text(
            text + _written_by_hand(HERE / "README.md"), encoding="utf-8"
        )
    return 0


def _written_by_hand(readme: Path) -> str:
    """The README's sections after the generated table (from its first ``## `` heading on: the
    reading against the targets, other benchmarks), kept when the table is rewritten."""
    if not readme.is_file():
        return ""
    old = readme.read_text(encoding="utf-8")
    start = old.find("\n## ")
    return "" if start < 0 else old[start:]


if __name__ == "__main__":
    raise SystemExit(main())

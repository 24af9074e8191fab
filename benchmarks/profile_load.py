"""Loading extracts, before and after a change: CSV against Parquet, side by side in one run.

    python benchmarks/profile_load.py [--runs 3] [--whole] [--code main=REF] FOLDER ...

Each FOLDER (a folder of canonical extracts, CSV or Parquet) is loaded with ``load_extracts`` in a
fresh process per run, by each version of the library: this worktree's (``branch``) and, with
``--code label=REF``, the package as committed at git REF (exported to a temporary folder). Runs
alternate between folders and versions (each once, then again, ...) so that the load of a shared
machine falls on all of them.
``--whole`` also computes the 13 months 2014-05 to 2015-05 for every unit and rates them, as
``benchmarks/run.py`` does. Printed: the median time of the runs and their range, the median CPU
time of loading (all threads: steadier than the time on a busy machine), and the largest peak
memory (the process's maximum resident set size). Make CSV copies of the benchmark data with
``--to-csv SRC DST`` (the library's own writer, ``write_extracts(..., file_format="csv")``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CHILD = """
import json, resource, sys, time, warnings
sys.path.insert(0, sys.argv[1])
warnings.simplefilter("ignore")
t0 = time.perf_counter()
import scorecard as sc
assert sc.__file__.startswith(sys.argv[1]), sc.__file__
t1 = time.perf_counter()
c1 = time.process_time()
extracts = sc.load_extracts(sys.argv[2])
t2 = time.perf_counter()
times = {"load": t2 - t1, "load_cpu": time.process_time() - c1}
if sys.argv[3] == "whole":
    from scorecard.measures import compute, month_range
    registry = sc.load_registry()
    computation = compute(extracts, month_range("2014-05", "2015-05"), registry, county="Kent")
    t3 = time.perf_counter()
    rated = sc.rate(computation.results, registry)
    t4 = time.perf_counter()
    times.update(compute=t3 - t2, rate=t4 - t3, total=t4 - t1)
rows = sum(len(f) for f in extracts.frames().values())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"rows": rows, **times, "peak_mb": peak}))
"""


def export(ref: str, into: Path) -> Path:
    """The ``scorecard`` package as committed at ``ref``, written under ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "scorecard"], check=True, capture_output=True
    ).stdout
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def run_once(source: Path, folder: Path, whole: bool) -> dict[str, float]:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(source),
            str(folder.resolve()),
            "whole" if whole else "load",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),  # not the worktree: the package comes from ``source``
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def to_csv(source: Path, target: Path) -> None:
    import warnings

    from scorecard.extracts import load_extracts, write_extracts

    warnings.simplefilter("ignore")
    write_extracts(load_extracts(source), target, file_format="csv")
    manifest = source / "manifest.yaml"
    if manifest.exists():
        (target / "manifest.yaml").write_bytes(manifest.read_bytes())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--whole", action="store_true")
    parser.add_argument("--code", action="append", default=[], metavar="LABEL=REF")
    parser.add_argument("--to-csv", nargs=2, type=Path, metavar=("SRC", "DST"))
    args = parser.parse_args(argv)
    if args.to_csv:
        to_csv(*args.to_csv)
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        versions = {}
        for item in args.code:
            label, _, ref = item.partition("=")
            versions[label] = export(ref, Path(scratch) / label)
        versions["branch"] = ROOT
        key = "total" if args.whole else "load"
        print(
            f"| data | code | rows | runs | {key} (s), median | range | load CPU (s), median "
            "| peak memory (MB) |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        runs: dict[tuple[Path, str], list[dict[str, float]]] = {
            (folder, label): [] for folder in args.folders for label in versions
        }
        for _ in range(args.runs):  # every folder and version once, then again
            for (folder, label), found in runs.items():
                found.append(run_once(versions[label], folder, args.whole))

        for (folder, label), found in runs.items():
            times = [r[key] for r in found]
            extra = ""
            if args.whole:
                middle = sorted(found, key=lambda r: r[key])[(len(found) - 1) // 2]
                extra = f" (load {middle['load']:.2f}, compute {middle['compute']:.2f})"
            print(
                f"| {folder.name} | {label} | {int(found[0]['rows']):,} | {len(found)} | "
                f"{statistics.median(times):.2f}{extra} | {min(times):.2f}-{max(times):.2f} | "
                f"{statistics.median(r['load_cpu'] for r in found):.2f} | "
                f"{max(r['peak_mb'] for r in found):,.0f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How close loading from CSV can come to loading from Parquet (issue 12, target 2): a bound.

    python benchmarks/csv_bound.py              # scale 10 (the canonical extracts of run.py)
    python benchmarks/csv_bound.py --scale 1 --repeat 5

Loading a folder reads every file and then checks and codes what was read; only the reading
differs between the formats (the checks run on the same frames). So the CPU time of loading from
CSV is about that of loading from Parquet plus the extra CPU time of reading the CSV files. On
``cores`` cores, loading from CSV cannot take less wall time than its CPU time shared perfectly
between them, which gives a lower bound on the ratio CSV / Parquet:

    bound = (Parquet load CPU + CSV read CPU - Parquet read CPU) / cores / Parquet load wall

Measured here, each in a fresh process with the command line's memory settings, alternating
formats, median of ``--repeat`` runs: the loader's wall and CPU time (``load_extracts``, imports
before the clock, as ``targets.py`` times it) and the reading alone (``read_extract_file`` of every
file one after the other: Arrow's CSV reader and Parquet reader as the loader calls them). For
reference, DuckDB (when installed) loading the same files into tables (``read_parquet`` /
``read_csv``), which is no bound but shows what another engine's CSV reader costs on the same data.
Not part of ``make benchmark``: a one-off measurement quoted in ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics as st
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import duckdb_baseline  # noqa: E402

LOAD = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
import scorecard as sc
import scorecard.extracts.load
import pandera.backends.pandas.builtin_checks, pandera.backends.pandas.register
t, c = time.perf_counter(), time.process_time()
sc.load_extracts(sys.argv[1])
print(json.dumps({"wall": time.perf_counter() - t, "cpu": time.process_time() - c}))
"""

READ = """
import json, sys, time, warnings
from pathlib import Path
warnings.simplefilter("ignore")
from scorecard.extracts.load import read_extract_file, survey_folder
found, _, _ = survey_folder(Path(sys.argv[1]))
t, c = time.perf_counter(), time.process_time()
for name, candidates in found.items():
    path, kind = candidates[0]
    read_extract_file(name, path, kind)
print(json.dumps({"wall": time.perf_counter() - t, "cpu": time.process_time() - c}))
"""

DUCKDB = """
import glob, json, os, sys, time
import duckdb
con = duckdb.connect()
con.execute("SET threads = 2")
kind = sys.argv[2]
t = time.perf_counter()
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*." + kind))):
    name = os.path.basename(path).split(".")[0]
    reader = "read_parquet(?)" if kind == "parquet" else "read_csv(?, header = true)"
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM {reader}", [path])
print(json.dumps({"wall": time.perf_counter() - t}))
"""


def run(code: str, *args: str, library: bool = True) -> dict:
    env = duckdb_baseline.library_env() if library else dict(os.environ)
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True,
                         text=True, env=env)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    parquet = duckdb_baseline.scale_folder(args.scale)
    csv = duckdb_baseline.csv_copy(parquet, HERE / ".data" / f"csv_scale_{args.scale:g}")
    folders = {"parquet": parquet, "csv": csv}
    found: dict[str, dict[str, list[float]]] = {}
    for _ in range(args.repeat):
        for kind, folder in folders.items():
            for what, code in (("load", LOAD), ("read", READ)):
                got = run(code, str(folder))
                for measure, value in got.items():
                    found.setdefault(f"{what} {measure}", {}).setdefault(kind, []).append(value)
    try:
        import duckdb  # noqa: F401

        for _ in range(args.repeat):
            for kind, folder in folders.items():
                value = run(DUCKDB, str(folder), kind, library=False)["wall"]
                found.setdefault("duckdb wall", {}).setdefault(kind, []).append(value)
    except ImportError:
        pass
    median = {k: {kind: st.median(v) for kind, v in by.items()} for k, by in found.items()}
    cores = os.cpu_count() or 1
    bound = (
        median["load cpu"]["parquet"] + median["read cpu"]["csv"] - median["read cpu"]["parquet"]
    ) / cores / median["load wall"]["parquet"]
    print(f"scale {args.scale:g}, {args.repeat} runs each, medians (s), {cores} cores")
    print("| measure | Parquet | CSV | CSV / Parquet |")
    print("|---|---:|---:|---:|")
    for key, by in median.items():
        ratio = by["csv"] / by["parquet"] if by["parquet"] else float("nan")
        print(f"| {key} | {by['parquet']:.2f} | {by['csv']:.2f} | {ratio:.2f}x |")
    print(f"lower bound of the library's CSV / Parquet load ratio on {cores} cores: {bound:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

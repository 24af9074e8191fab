"""Time, profile and check ``compute`` alone (the step after loading) on the benchmark data.

    python benchmarks/profile_compute.py import 10                 # SSDA903 x10 -> .data/imported_x10
    python benchmarks/profile_compute.py save DATA OUT [--903]     # results + record rows -> OUT
    python benchmarks/profile_compute.py compare DATA OUT [--903]  # same again, assert equal
    python benchmarks/profile_compute.py time DATA [--903] [--profile]

``DATA`` is an extract folder: a synthetic scale (``.data/scale_10``: all 44 indicators, the
13 months 2014-05..2015-05, county "Kent") or an imported SSDA903 return (``--903``: the 12
indicators of ``import_903.py``, 36 months 2015-04..2018-03, county "Fake"). ``save`` writes the
results frame and every computed indicator's record-level rows as Parquet; ``compare`` computes
again and checks every frame with ``assert_frame_equal`` (exact). ``time`` prints the compute
wall time, its CPU time (less disturbed by other processes on a shared machine) and the peak
memory of one fresh run (run it several times, old and new code alternately).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
SOURCE = Path("/work/main/benchmarks/.data")
INDICATORS_903 = [  # refs 19-21, 23, 24, 28-34 (as import_903.py)
    "cic_3_placements_12m", "cic_same_placement_2y", "cic_in_house_foster",
    "cic_review_participation", "cic_reviews_in_time", "adoption_plan_by_2nd_review",
    "adoption_la_to_placed_days", "adoption_order_to_match_days", "cic_ceased_adopted",
    "care_leavers_in_touch", "care_leavers_suitable_accommodation", "care_leavers_eet",
]  # fmt: skip


def do_import(n: int) -> None:
    from scorecard.importers import assign_teams, import_ssda903, write_import

    folder = SOURCE / f"ssda903_x{n}"
    if not folder.exists():
        folder = DATA / f"ssda903_x{n}"
    years = sorted(p for p in folder.iterdir() if p.is_dir())
    result = import_ssda903(years)
    teams = assign_teams(result, authority="Fake")
    out = write_import(teams.result, DATA / f"imported_x{n}", organisation=teams.organisation)
    print(out)


def run(folder: str, is_903: bool, profiler=None):
    import scorecard as sc
    from scorecard.measures import compute, month_range

    extracts = sc.load_extracts(folder)
    registry = sc.load_registry()
    started, cpu = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    if is_903:
        computation = compute(extracts, month_range("2015-04", "2018-03"), registry,
                              county="Fake", indicators=INDICATORS_903)  # fmt: skip
    else:
        computation = compute(extracts, month_range("2014-05", "2015-05"), registry, county="Kent")
    seconds = time.perf_counter() - started
    run.cpu = time.process_time() - cpu  # type: ignore[attr-defined]
    if profiler is not None:
        profiler.disable()
    return computation, seconds


def frames(computation) -> dict[str, object]:
    out = {"results": computation.results, "units": computation.units}
    out["activity"] = computation.activity
    for indicator in computation.records:
        out[f"records_{indicator}"] = computation.records[indicator]
    return out


def main(argv: list[str] | None = None) -> int:
    warnings.simplefilter("ignore")
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["import", "save", "compare", "time"])
    parser.add_argument("data")
    parser.add_argument("out", nargs="?")
    parser.add_argument("--903", dest="is_903", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--no-records", action="store_true")
    args = parser.parse_args(argv)
    if args.action == "import":
        do_import(int(args.data))
        return 0
    if args.action == "time":
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
        computation, seconds = run(args.data, args.is_903, profiler)
        if profiler is not None:
            import pstats

            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
                os.environ.get("FILTER", "scorecard"), 60
            )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        cpu = run.cpu  # type: ignore[attr-defined]
        print(
            json.dumps({"compute": round(seconds, 3), "cpu": round(cpu, 3), "peak_mb": round(peak)})
        )
        return 0
    import pandas as pd

    out = Path(args.out)
    computation, seconds = run(args.data, args.is_903)
    names = ["results", "units", "activity"]
    if not args.no_records:
        names += [f"records_{i}" for i in computation.records]
    if args.action == "save":
        out.mkdir(parents=True, exist_ok=True)
        for name in names:
            frame = frames_get(computation, name)
            frame.to_pickle(out / f"{name}.pkl")
        print(f"saved {len(names)} frames to {out} (compute {seconds:.2f}s)")
        return 0
    failed = []
    for name in names:
        expected = pd.read_pickle(out / f"{name}.pkl")
        got = frames_get(computation, name)
        try:
            pd.testing.assert_frame_equal(got, expected, check_exact=True)
        except AssertionError as exc:
            failed.append(name)
            print(f"DIFFERENT {name}: {str(exc)[:400]}")
    print(f"compared {len(names)} frames: {len(failed)} different (compute {seconds:.2f}s)")
    return 1 if failed else 0


def frames_get(computation, name: str):
    if name in ("results", "units", "activity"):
        return getattr(computation, name)
    return computation.records[name.removeprefix("records_")]


if __name__ == "__main__":
    sys.exit(main())

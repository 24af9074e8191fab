"""``python -m scorecard.synth --scale 1.0 --seed 2015 --out DIR [--last-month 2015-05]``.

Writes the extracts and their ``manifest.yaml`` (see :func:`scorecard.synth.build.synthetic_manifest`).
"""

from __future__ import annotations

import argparse
import sys
import time

from scorecard.synth.build import generate, synthetic_manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scorecard.synth",
        description="Write seeded synthetic case-level extracts (a Kent-sized authority at scale 1).",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="volume multiplier (default 1.0)")
    parser.add_argument("--seed", type=int, default=2015, help="random seed (default 2015)")
    parser.add_argument(
        "--last-month",
        default="2015-05",
        help="last month of the extracts, YYYY-MM (default 2015-05)",
    )
    parser.add_argument("--out", required=True, help="folder to write the extracts to")
    parser.add_argument(
        "--format", choices=("csv", "parquet"), default="csv", help="file format (default csv)"
    )
    parser.add_argument("--quiet", action="store_true", help="do not print a summary")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")

    from scorecard.calendar.periods import to_month
    from scorecard.errors import UsageError
    from scorecard.extracts import Extracts, write_extracts

    try:
        last_month = str(to_month(args.last_month))
    except UsageError as exc:
        parser.error(f"--last-month: {exc}")
    began = time.perf_counter()
    frames = generate(scale=args.scale, seed=args.seed, last_month=last_month)
    generated = time.perf_counter()
    made = synthetic_manifest(scale=args.scale, seed=args.seed, last_month=last_month)
    extracts = Extracts(**frames, manifest=made)
    paths = write_extracts(extracts, args.out, file_format=args.format)
    if not args.quiet:
        rows = sum(len(f) for f in frames.values())
        print(
            f"wrote {len(paths)} files ({rows:,} rows) to {args.out} in "
            f"{time.perf_counter() - began:.1f}s (generation {generated - began:.1f}s)",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

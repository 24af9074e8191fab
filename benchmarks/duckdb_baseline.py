"""Benchmark (issue 12, target 5): the library against a hand-written DuckDB SQL baseline of six
representative indicators, one per domain, on the same canonical extracts, from Parquet and CSV.

    python benchmarks/duckdb_baseline.py                    # scales 1, 10, 60; 3 runs each side
    python benchmarks/duckdb_baseline.py --scales 1 --repeat 1 --formats parquet

The six indicators (refs and counting rules: ``indicators.yaml``, ``docs/indicators.md``):
ref 1 ``re_referrals_12m``, ref 2 ``assessments_within_45_wd``, ref 14 ``cp_repeat_24_months``,
ref 19 ``cic_3_placements_12m``, ref 32 ``care_leavers_in_touch``, ref 40 ``posts_permanent_qsw``;
for the 13 months 2014-05 to 2015-05 (as ``run.py``).

Data (not timed): the canonical extracts of ``run.py`` (``benchmarks/.data/scale_<N>``,
Parquet). Both sides read the same folder holding only the extracts these indicators use
(referrals, assessments, cp_plans, cic_episodes, care_leavers, care_leaver_contacts, children,
workforce, the organisation table and the manifest; copies of the Parquet files in
``.data/six_parquet_<N>``, as the loader does not follow links out of a folder) or its CSV copy (``.data/six_csv_<N>``, written once from the Parquet
files by DuckDB as canonical CSV: ISO dates, ``True``/``False`` flags, blank for missing).

Like for like, both sides compute every unit: each team, area and the county, every month.

* Library (fresh process): ``load_extracts`` (reads and validates the folder) + ``compute(...,
  indicators=[the six])`` (all units; it also counts the activity figures it always counts).
* DuckDB (fresh process, ``SET threads = 2``, in memory): reads the files (``read_parquet`` /
  ``read_csv`` with every column as text then cast, so that no column's type is guessed) and
  computes each indicator per team and month, then sums teams into areas and the county with the
  organisation table. Its only other inputs are two calendar tables made, not timed, from the
  library's calendar: the reporting months (snapshot = last working day, month end, start of the
  financial year and of the 12 months) and every day 1990-2030 with its working-day number
  (England and Wales bank holidays), so that working days between a and b = number(b) - number(a).

Sides alternate (library Parquet, DuckDB Parquet, library CSV, DuckDB CSV, ...); each reports its
wall time from after its imports (the library: also after the modules pandera imports on its
first validation, imported beforehand; DuckDB: after connecting and making its two calendar
tables) and its peak memory (VmHWM of its own process: ru_maxrss would also count the parent's
pages, inherited at the vfork + exec that starts it). Then every numerator and denominator of
every unit and month is compared between the two sides (and between the library's Parquet and CSV
runs); any difference is printed and makes the exit status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics as st
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
FIRST_MONTH, LAST_MONTH = "2014-05", "2015-05"
COUNTY = "Kent"
INDICATORS = {  # ref -> id
    1: "re_referrals_12m", 2: "assessments_within_45_wd", 14: "cp_repeat_24_months",
    19: "cic_3_placements_12m", 32: "care_leavers_in_touch", 40: "posts_permanent_qsw",
}  # fmt: skip
EXTRACTS = ("referrals", "assessments", "cp_plans", "cic_episodes", "care_leavers",
            "care_leaver_contacts", "children", "workforce", "organisation")  # fmt: skip
WORKDAYS = ("1990-01-01", "2030-12-31")

# --------------------------------------------------------------------------------------------------
# Data (not timed)


def scale_folder(scale: float) -> Path:
    """``run.py``'s canonical Parquet extracts at ``scale`` (generated there if absent)."""
    sys.path.insert(0, str(HERE))
    from run import ensure_data

    return ensure_data(scale)


def six_folders(scale: float) -> dict[str, Path]:
    """The folders both sides read: copies of the Parquet files of the extracts used, and their
    CSV copy (written once by DuckDB)."""
    source = scale_folder(scale)
    parquet = DATA / f"six_parquet_{scale:g}"
    csv = DATA / f"six_csv_{scale:g}"
    if not (parquet / ".complete").exists():
        shutil.rmtree(parquet, ignore_errors=True)
        parquet.mkdir(parents=True)
        for name in EXTRACTS:
            shutil.copyfile(source / f"{name}.parquet", parquet / f"{name}.parquet")
        shutil.copy(source / "manifest.yaml", parquet / "manifest.yaml")
        (parquet / ".complete").write_text("copied\n")
    csv_copy(parquet, csv)
    return {"parquet": parquet, "csv": csv}


def csv_copy(parquet: Path, csv: Path) -> Path:
    """``csv``: a canonical CSV copy of every Parquet extract of ``parquet`` (ISO dates,
    ``True``/``False`` flags, blank for missing, as ``write_extracts`` writes), with its manifest;
    written once by DuckDB (streaming, little memory), then reused."""
    if (csv / ".complete").exists():
        return csv
    import duckdb

    shutil.rmtree(csv, ignore_errors=True)
    csv.mkdir(parents=True)
    con = duckdb.connect()
    con.execute("SET memory_limit = '2GB'")
    con.execute(
        "SET enable_progress_bar = false"
    )  # a streaming copy: keep it small beside other work
    for path in sorted(parquet.glob("*.parquet")):
        schema = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
        columns = []
        for column, kind, *_ in schema:
            q = f'"{column}"'
            if kind.startswith("TIMESTAMP") or kind == "DATE":
                columns.append(f"strftime({q}, '%Y-%m-%d') AS {q}")
            elif kind == "BOOLEAN":
                columns.append(f"CASE WHEN {q} THEN 'True' WHEN NOT {q} THEN 'False' END AS {q}")
            else:
                columns.append(q)
        target = csv / f"{path.stem}.csv"
        con.execute(
            f"COPY (SELECT {', '.join(columns)} FROM read_parquet('{path}')) "
            f"TO '{target}' (HEADER, DELIMITER ',')"
        )
    if (parquet / "manifest.yaml").exists():
        shutil.copy(parquet / "manifest.yaml", csv / "manifest.yaml")
    (csv / ".complete").write_text("written by benchmarks/duckdb_baseline.py\n")
    return csv


def library_env() -> dict[str, str]:
    """The environment of a library process: the memory settings ``scorecard``'s command line
    makes (the variables of ``scorecard.cli.MEMORY_SETTINGS``: numpy's advice of transparent huge
    pages on and, on Linux, pyarrow on jemalloc), unless set; "Memory settings" in
    benchmarks/README.md. DuckDB's processes keep the environment as it is."""
    from scorecard.cli import MEMORY_SETTINGS

    env = dict(os.environ)
    for variable, (value, _) in MEMORY_SETTINGS.items():
        env.setdefault(variable, value)
    return env


def locked(command: list[str]) -> list[str]:
    """``command`` run under the shared big-memory lock (``flock $BENCH_BIGMEM_LOCK``) when that
    lock file exists: runs that may use more than 3 GB must not overlap on a shared machine."""
    lock = Path(os.environ.get("BENCH_BIGMEM_LOCK", "/work/wt/notes/bigmem.lock"))
    if lock.exists() and shutil.which("flock"):
        return ["flock", str(lock), *command]
    return command


def calendar_files() -> tuple[Path, Path]:
    """The reporting months and the working-day numbers, from the library's calendar."""
    import pandas as pd

    from scorecard.calendar.months import r12m_starts, ytd_starts
    from scorecard.calendar.working_days import month_ends, snapshot_dates, working_days_between

    months = pd.Series(pd.period_range(FIRST_MONTH, LAST_MONTH, freq="M"))
    iso = "%Y-%m-%d"
    frame = pd.DataFrame({
        "month": months.astype(str),
        "snapshot": snapshot_dates(months).dt.strftime(iso),
        "month_end": month_ends(months).dt.strftime(iso),
        "ytd_start": ytd_starts(months).dt.strftime(iso),
        "r12_start": r12m_starts(months).dt.strftime(iso),
    })  # fmt: skip
    DATA.mkdir(parents=True, exist_ok=True)
    cal = DATA / "six_calendar.csv"
    frame.to_csv(cal, index=False)
    days = pd.Series(pd.date_range(*WORKDAYS, freq="D"))
    number = working_days_between(pd.Timestamp(WORKDAYS[0]), days)
    workdays = DATA / "six_workdays.csv"
    pd.DataFrame({"day": days.dt.strftime(iso), "number": number.astype(int)}).to_csv(
        workdays, index=False
    )
    return cal, workdays


# --------------------------------------------------------------------------------------------------
# The SQL baseline

#: Typed views of the extracts: {source} is read_parquet('<folder>/<name>.parquet') or
#: read_csv('<folder>/<name>.csv', all_varchar = true, header = true).
VIEWS = {
    "referrals": "referral_id, child_id, team, CAST(referral_date AS DATE) AS referral_date",
    "assessments": "assessment_id, child_id, team, CAST(start_date AS DATE) AS start_date, "
    "CAST(authorised_date AS DATE) AS authorised_date",
    "cp_plans": "cp_plan_id, child_id, team, CAST(start_date AS DATE) AS start_date, "
    "CAST(end_date AS DATE) AS end_date",
    "cic_episodes": "episode_id, child_id, team, CAST(start_date AS DATE) AS start_date, "
    "CAST(end_date AS DATE) AS end_date, reason_new_episode, legal_status, reason_ceased",
    "care_leavers": "child_id, team, eligibility",
    "care_leaver_contacts": "contact_id, child_id, CAST(contact_date AS DATE) AS contact_date, "
    "in_touch",
    "children": "child_id, CAST(date_of_birth AS DATE) AS date_of_birth",
    "workforce": "post_id, team, CAST(start_date AS DATE) AS start_date, "
    "CAST(end_date AS DATE) AS end_date, CAST(caseholding AS BOOLEAN) AS caseholding, "
    "CAST(fte AS DOUBLE) AS fte, contract, "
    "CAST(qualified_social_worker AS BOOLEAN) AS qualified_social_worker",
    "organisation": "team, area",
}

SQL = r"""
CREATE TEMP TABLE team_results (indicator VARCHAR, team VARCHAR, month VARCHAR,
                                numerator DOUBLE, denominator DOUBLE);

-- ref 1 (YTD by referral date): a referral whose child has another referral dated strictly
-- earlier and at most 12 calendar months before (the boundary day included)
INSERT INTO team_results
WITH d AS (SELECT DISTINCT child_id, referral_date FROM referrals
           WHERE child_id IS NOT NULL AND referral_date IS NOT NULL),
p AS (SELECT child_id, referral_date,
             lag(referral_date) OVER (PARTITION BY child_id ORDER BY referral_date) AS previous
      FROM d),
r AS (SELECT r.team, r.referral_date,
             coalesce(p.previous >= r.referral_date - INTERVAL 12 MONTH, false) AS rep
      FROM referrals r LEFT JOIN p USING (child_id, referral_date))
SELECT 're_referrals_12m', r.team, c.month, sum(rep::INT), count(*)
FROM r JOIN cal c ON r.referral_date BETWEEN c.ytd_start AND c.month_end
GROUP BY ALL;

-- ref 2 (YTD by authorisation date): authorised within 45 working days of the start
INSERT INTO team_results
SELECT 'assessments_within_45_wd', a.team, c.month,
       sum(coalesce(wa.number - ws.number <= 45, false)::INT), count(*)
FROM assessments a
LEFT JOIN workdays ws ON ws.day = a.start_date
LEFT JOIN workdays wa ON wa.day = a.authorised_date
JOIN cal c ON a.authorised_date BETWEEN c.ytd_start AND c.month_end
GROUP BY ALL;

-- ref 14 (YTD by start date): another plan of the child ended within the 24 months up to the
-- new plan's start (both ends included)
INSERT INTO team_results
WITH r AS (
  SELECT p.team, p.start_date, EXISTS (
    SELECT 1 FROM cp_plans e
    WHERE e.child_id = p.child_id AND e.cp_plan_id <> p.cp_plan_id AND e.end_date IS NOT NULL
      AND e.end_date <= p.start_date AND e.end_date >= p.start_date - INTERVAL 24 MONTH) AS rep
  FROM cp_plans p)
SELECT 'cp_repeat_24_months', r.team, c.month, sum(rep::INT), count(*)
FROM r JOIN cal c ON r.start_date BETWEEN c.ytd_start AND c.month_end
GROUP BY ALL;

-- ref 19 (snapshot): children looked after (an episode other than a short break open on the
-- snapshot date, in its team) with 3 or more placements open on a day of the 12 months up to it
INSERT INTO team_results
WITH e AS (
  SELECT *, lag(end_date) OVER w AS previous_end, lag(reason_ceased) OVER w AS previous_reason
  FROM cic_episodes WHERE legal_status IS NULL OR legal_status NOT IN ('V3', 'V4')
  WINDOW w AS (PARTITION BY child_id ORDER BY start_date)),
f AS (
  SELECT *, NOT coalesce(previous_reason = 'X1' AND start_date = previous_end, false)
            OR coalesce(reason_new_episode IN ('S', 'P', 'T', 'B', 'U'), false) AS new_placement
  FROM e),
g AS (
  SELECT *, sum(new_placement::INT) OVER (PARTITION BY child_id ORDER BY start_date
                                          ROWS UNBOUNDED PRECEDING) AS placement_no
  FROM f),
placements AS (
  SELECT child_id, placement_no, min(start_date) AS pstart,
         arg_max_null(end_date, start_date) AS pend
  FROM g GROUP BY child_id, placement_no),
la AS (
  SELECT c.month, c.snapshot, g.child_id, g.team
  FROM cal c JOIN g ON g.start_date <= c.snapshot
                   AND (g.end_date IS NULL OR g.end_date > c.snapshot)),
n AS (
  SELECT la.month, la.team, la.child_id, count(p.pstart) AS placements
  FROM la LEFT JOIN placements p
       ON p.child_id = la.child_id AND p.pstart <= la.snapshot
      AND (p.pend IS NULL OR p.pend > la.snapshot - INTERVAL 12 MONTH)
  GROUP BY la.month, la.team, la.child_id)
SELECT 'cic_3_placements_12m', team, month, count(*) FILTER (WHERE placements >= 3), count(*)
FROM n GROUP BY ALL;

-- ref 32 (R12M by birthday): former relevant care leavers' 17th-21st birthdays (17th and 18th
-- from 1 April 2015); in touch (YES) in a contact from 3 months before to 1 month after the
-- birthday, dated by the month's end
INSERT INTO team_results
WITH b AS (
  SELECT l.child_id, l.team, a.age, CAST(h.date_of_birth + to_years(a.age) AS DATE) AS birthday
  FROM care_leavers l JOIN children h USING (child_id)
  CROSS JOIN (SELECT unnest(range(17, 22)) AS age) a
  WHERE l.eligibility = 'former_relevant' AND h.date_of_birth IS NOT NULL),
cohort AS (SELECT * FROM b WHERE age >= 19 OR birthday >= DATE '2015-04-01'),
m AS (
  SELECT c.month, c.month_end, b.* FROM cohort b
  JOIN cal c ON b.birthday BETWEEN c.r12_start AND c.month_end),
t AS (
  SELECT m.month, m.team, m.child_id, m.age,
         bool_or(coalesce(k.in_touch = 'YES', false)) AS in_touch
  FROM m LEFT JOIN care_leaver_contacts k
       ON k.child_id = m.child_id
      AND k.contact_date >= m.birthday - INTERVAL 3 MONTH
      AND k.contact_date <= m.birthday + INTERVAL 1 MONTH
      AND k.contact_date <= m.month_end
  GROUP BY m.month, m.team, m.child_id, m.age)
SELECT 'care_leavers_in_touch', team, month, count(*) FILTER (WHERE in_touch), count(*)
FROM t GROUP BY ALL;

-- ref 40 (snapshot): FTE of caseholding posts in post on the snapshot date filled by a permanent
-- qualified social worker / FTE of all of them, vacant posts included
INSERT INTO team_results
SELECT 'posts_permanent_qsw', w.team, c.month,
       sum(CASE WHEN w.contract = 'permanent' AND coalesce(w.qualified_social_worker, false)
                THEN w.fte ELSE 0 END),
       sum(w.fte)
FROM workforce w JOIN cal c ON w.start_date <= c.snapshot
                           AND (w.end_date IS NULL OR w.end_date > c.snapshot)
WHERE w.caseholding
GROUP BY ALL;

-- every unit (the county, each area, each team) by every month
CREATE TEMP TABLE results AS
WITH units AS (
  SELECT team, '{county}' AS unit, 'county' AS level FROM organisation
  UNION ALL SELECT team, area, 'area' FROM organisation WHERE area IS NOT NULL
  UNION ALL SELECT team, team, 'team' FROM organisation),
grid AS (
  SELECT i.indicator, u.unit, u.level, c.month FROM (SELECT DISTINCT unit, level FROM units) u
  CROSS JOIN cal c CROSS JOIN (SELECT unnest({indicators}) AS indicator) i)
SELECT g.indicator, g.unit, g.level, g.month,
       coalesce(sum(r.numerator), 0) AS numerator, coalesce(sum(r.denominator), 0) AS denominator
FROM grid g
LEFT JOIN units u ON u.unit = g.unit AND u.level = g.level
LEFT JOIN team_results r ON r.team = u.team AND r.month = g.month AND r.indicator = g.indicator
GROUP BY ALL;
"""

DUCK = r"""
import json, resource, sys, time
folder, fmt, out, cal, workdays, views, sql = sys.argv[1:8]
t0 = time.perf_counter()
import duckdb
con = duckdb.connect()
con.execute("SET threads = 2")
con.execute("SET enable_progress_bar = false")
con.execute("CREATE TEMP TABLE cal AS SELECT month, snapshot::DATE AS snapshot, "
            "month_end::DATE AS month_end, ytd_start::DATE AS ytd_start, "
            "r12_start::DATE AS r12_start FROM read_csv(?, header = true, all_varchar = true)", [cal])
con.execute("CREATE TEMP TABLE workdays AS SELECT day::DATE AS day, number::INTEGER AS number "
            "FROM read_csv(?, header = true, all_varchar = true)", [workdays])
t1 = time.perf_counter()
for name, columns in json.loads(views).items():
    path = f"{folder}/{name}.{fmt}"
    source = (f"read_parquet('{path}')" if fmt == "parquet" else
              f"read_csv('{path}', all_varchar = true, header = true)")
    con.execute(f"CREATE VIEW {name} AS SELECT {columns} FROM {source}")
con.execute(open(sql).read())
res = con.execute("SELECT * FROM results ORDER BY indicator, unit, month").df()
t2 = time.perf_counter()
res.to_csv(out + ".csv", index=False)
json.dump({"total": t2 - t1, "rows": len(res),
           "peak_mb": next((int(ln.split()[1]) / 1024 for ln in open("/proc/self/status") if ln.startswith("VmHWM:")), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}, open(out, "w"))
"""

LIBRARY = r"""
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
folder, out, first, last, county, indicators = sys.argv[1:7]
import scorecard as sc
from scorecard.measures import compute, month_range
# the modules pandera imports on its first validation (its checks and their hypothesis
# strategies, about 0.07 s): imports, left out of the time as DuckDB's import is
import pandera.backends.pandas.builtin_checks, pandera.backends.pandas.register
registry = sc.load_registry()
t1 = time.perf_counter()
extracts = sc.load_extracts(folder)
t2 = time.perf_counter()
computation = compute(extracts, month_range(first, last), registry, county=county,
                      indicators=json.loads(indicators))
t3 = time.perf_counter()
res = computation.results
res = res.assign(month=res["month"].astype(str))[
    ["indicator", "unit", "level", "month", "numerator", "denominator"]]
res.to_csv(out + ".csv", index=False)
json.dump({"load": t2 - t1, "compute": t3 - t2, "total": t3 - t1, "rows": len(res),
           "peak_mb": next((int(ln.split()[1]) / 1024 for ln in open("/proc/self/status") if ln.startswith("VmHWM:")), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}, open(out, "w"))
"""


def run_library(folder: Path, tag: str, lock: bool = False) -> dict[str, float]:
    out = DATA / f"six_lib_{tag}.json"
    prefix = locked([]) if lock else []
    subprocess.run([*prefix, sys.executable, "-c", LIBRARY, str(folder), str(out), FIRST_MONTH, LAST_MONTH,
                    COUNTY, json.dumps(list(INDICATORS.values()))], check=True, env=library_env())  # fmt: skip
    return json.loads(out.read_text())


def run_duckdb(
    folder: Path, fmt: str, tag: str, calendars: tuple[Path, Path], lock: bool = False
) -> dict[str, float]:
    out = DATA / f"six_duck_{tag}.json"
    sql = DATA / "six_baseline.sql"
    sql.write_text(
        SQL.replace("{county}", COUNTY.replace("'", "''")).replace(
            "{indicators}", "[" + ", ".join(f"'{i}'" for i in INDICATORS.values()) + "]"
        )
    )
    prefix = locked([]) if lock else []
    subprocess.run([*prefix, sys.executable, "-c", DUCK, str(folder), fmt, str(out), str(calendars[0]),
                    str(calendars[1]), json.dumps(VIEWS), str(sql)], check=True)  # fmt: skip
    return json.loads(out.read_text())


def compare(left: Path, right: Path, names: tuple[str, str]) -> list[str]:
    """Every numerator and denominator of every indicator, unit and month of two result files;
    one line per indicator that differs (a figure of FTE may differ in the last bits)."""
    import numpy as np
    import pandas as pd

    keys = ["indicator", "unit", "month"]
    a = pd.read_csv(left, dtype={"unit": str, "month": str}).set_index(keys)
    b = pd.read_csv(right, dtype={"unit": str, "month": str}).set_index(keys)
    both = (
        a[["numerator", "denominator"]]
        .merge(
            b[["numerator", "denominator"]],
            how="outer",
            left_index=True,
            right_index=True,
            suffixes=("_a", "_b"),
        )
        .fillna(0.0)
    )
    problems = []
    for indicator, rows in both.groupby(level="indicator"):
        differs = np.zeros(len(rows), dtype=bool)
        for part in ("numerator", "denominator"):
            differs |= ~np.isclose(rows[f"{part}_a"], rows[f"{part}_b"], rtol=1e-9, atol=1e-9)
        if differs.any():
            bad = rows[differs]
            county = bad[bad.index.get_level_values("unit") == COUNTY]
            example = (county if len(county) else bad).iloc[0]
            where = (county if len(county) else bad).index[0]
            problems.append(
                f"{indicator}: {int(differs.sum())} of {len(rows)} unit-months differ "
                f"({len(county)} county months); e.g. {where[1]} {where[2]}: "
                f"{names[0]} {example['numerator_a']:g}/{example['denominator_a']:g}, "
                f"{names[1]} {example['numerator_b']:g}/{example['denominator_b']:g}"
            )
    return problems


def summary(runs: list[dict[str, float]]) -> dict[str, float]:
    totals = [r["total"] for r in runs]
    return {"median": st.median(totals), "low": min(totals), "high": max(totals),
            "peak_mb": max(r["peak_mb"] for r in runs)}  # fmt: skip


def measure(scales: list[float], formats: list[str], repeat: int) -> list[dict]:
    """Run both sides at each scale and format, alternating; check the figures. One dict per
    scale and format: library and DuckDB summaries, the ratio, and the problems found."""
    calendars = calendar_files()
    rows = []
    for scale in scales:
        folders = six_folders(scale)
        runs: dict[tuple[str, str], list[dict[str, float]]] = {}
        for i in range(repeat):
            for fmt in formats:
                tag = f"{fmt}_{scale:g}"
                lib = run_library(folders[fmt], tag, lock=scale > 10)
                duck = run_duckdb(folders[fmt], fmt, tag, calendars, lock=scale > 10)
                runs.setdefault(("library", fmt), []).append(lib)
                runs.setdefault(("duckdb", fmt), []).append(duck)
                print(json.dumps({"scale": scale, "format": fmt, "run": i, "library": lib,
                                  "duckdb": duck}), flush=True)  # fmt: skip
        for fmt in formats:
            tag = f"{fmt}_{scale:g}"
            problems = compare(DATA / f"six_lib_{tag}.json.csv", DATA / f"six_duck_{tag}.json.csv",
                               ("library", "DuckDB"))  # fmt: skip
            if fmt != formats[0]:
                first = f"{formats[0]}_{scale:g}"
                problems += [f"library {formats[0]} vs {fmt}: {p}" for p in compare(
                    DATA / f"six_lib_{first}.json.csv", DATA / f"six_lib_{tag}.json.csv",
                    (formats[0], fmt))]  # fmt: skip
            lib, duck = summary(runs[("library", fmt)]), summary(runs[("duckdb", fmt)])
            row = {"scale": scale, "format": fmt, "runs": repeat, "library": lib, "duckdb": duck,
                   "library_load": st.median(r["load"] for r in runs[("library", fmt)]),
                   "ratio": lib["median"] / duck["median"], "problems": problems}  # fmt: skip
            for p in problems:
                print(f"  MISMATCH scale {scale:g} {fmt}: {p}", flush=True)
            if not problems:
                print(f"  scale {scale:g} {fmt}: every figure equal (6 indicators, every unit "
                      "and month)", flush=True)  # fmt: skip
            rows.append(row)
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        (
            "| scale | format | runs | library load+compute (s), median (range) | of which load (s) "
            "| DuckDB read+compute (s), median (range) | library / DuckDB | peak memory library / "
            "DuckDB (MB) | figures |"
        ),
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lib, duck = r["library"], r["duckdb"]
        lines.append(
            f"| {r['scale']:g} | {r['format']} | {r['runs']} "
            f"| {lib['median']:.2f} ({lib['low']:.2f}–{lib['high']:.2f}) | {r['library_load']:.2f} "
            f"| {duck['median']:.2f} ({duck['low']:.2f}–{duck['high']:.2f}) | {r['ratio']:.2f} "
            f"| {lib['peak_mb']:,.0f} / {duck['peak_mb']:,.0f} "
            f"| {'equal' if not r['problems'] else str(len(r['problems'])) + ' differ'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0, 60.0])
    parser.add_argument("--formats", nargs="+", choices=["parquet", "csv"],
                        default=["parquet", "csv"])  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3, help="runs per side (default 3)")
    args = parser.parse_args(argv)
    rows = measure(args.scales, args.formats, args.repeat)
    (DATA / "duckdb_baseline_results.json").write_text(json.dumps(rows, indent=1))
    print(table(rows))
    return 1 if any(r["problems"] for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark (issue 10, Speed): import SSDA903 returns + load, compute, rate 36 months, against a
hand-written DuckDB SQL of the same children-in-care indicators on the same CSV files.

    python benchmarks/import_903.py                       # N = 10, 100, 300 (2.9M episode rows)
    python benchmarks/import_903.py --replicas 10 100 --repeat 3

Data (not timed): the SSDA903 fixture (``../shared/fixtures/ssda903_fake``, one 2017-18 return)
replicated N times (child ids suffixed ``_<replica>``), each replica of a child moved back by 0-3
whole years (so the five years are populated), then cut into five collection-year folders
2013-14 ... 2017-18 the way real returns are: a year's file holds the episodes open on a day of
the year, an episode still open on 31 March is written open (DEC, REC blank) and completed by a
later year's file; reviews go to the year of their date (reviews after 31 March 2018 dropped);
header, uasc, ad1, placed_for_adoption and oc3 rows go to every year in which the child has an
episode (else the last year). Tables not used by the compared indicators (oc2, missing,
previous_permanence, and sw_episodes, whose one fixture row is a child with no header) are left
out of both sides. Written to ``benchmarks/.data/ssda903_x<N>/`` (gitignored).

Library (one fresh process per run): ``import_ssda903`` (the five folders) -> ``assign_teams``
(one unit) -> ``write_import`` (Parquet folder; validated as loading would) = "import"; then
``load_extracts`` + ``compute`` (the 12 indicators refs 19-21, 23, 24, 28-34, 36 months
2015-04..2018-03, every unit) + ``rate`` = "load+compute+rate".

DuckDB (one fresh process per run, 2 threads): reads the same CSV files, combines the years
(exact repeats once, the latest year's row per child and DECOM, overlaps cut), derives the
adoptions as the import does, and computes the county figures of the same 12 indicators (refs
19-21, 23, 24, 28-34) for the same 36 months; ``compare`` checks every month's numerator and
denominator against the library's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
FIXTURE = Path(
    os.environ.get("SSDA903_FIXTURE", HERE.parent.parent / "shared/fixtures/ssda903_fake")
)
if not FIXTURE.exists():
    FIXTURE = Path("/work/shared/fixtures/ssda903_fake")
YEARS = (2014, 2015, 2016, 2017, 2018)  # collection years by their ending 31 March
FIRST_MONTH, LAST_MONTH = "2015-04", "2018-03"
TABLES = ("header", "episodes", "reviews", "uasc", "oc3", "ad1", "placed_for_adoption")
CHILD_TABLES = ("header", "uasc", "oc3", "ad1", "placed_for_adoption")
DATES = {
    "header": ("DOB", "MC_DOB"),
    "episodes": ("DECOM", "DEC"),
    "reviews": ("DOB", "REVIEW"),
    "uasc": ("DOB", "DUC"),
    "oc3": ("DOB",),
    "ad1": ("DOB", "DATE_INT", "DATE_MATCH"),
    "placed_for_adoption": ("DOB", "DATE_PLACED", "DATE_PLACED_CEASED"),
}
INDICATORS = [  # refs 19-21, 23, 24, 28-34
    "cic_3_placements_12m", "cic_same_placement_2y", "cic_in_house_foster",
    "cic_review_participation", "cic_reviews_in_time", "adoption_plan_by_2nd_review",
    "adoption_la_to_placed_days", "adoption_order_to_match_days", "cic_ceased_adopted",
    "care_leavers_in_touch", "care_leavers_suitable_accommodation", "care_leavers_eet",
]  # fmt: skip
SQL_INDICATORS = {  # ref -> id, computed by the DuckDB baseline
    19: "cic_3_placements_12m", 20: "cic_same_placement_2y", 21: "cic_in_house_foster",
    23: "cic_review_participation", 24: "cic_reviews_in_time",
    28: "adoption_plan_by_2nd_review", 29: "adoption_la_to_placed_days",
    30: "adoption_order_to_match_days", 31: "cic_ceased_adopted",
    32: "care_leavers_in_touch", 33: "care_leavers_suitable_accommodation", 34: "care_leavers_eet",
}  # fmt: skip


def year_label(y: int) -> str:
    return f"{y - 1}-{str(y)[2:]}"


# --------------------------------------------------------------------------------------------------
# Data


def generate(n: int) -> Path:
    import numpy as np
    import pandas as pd

    folder = DATA / f"ssda903_x{n}"
    marker = folder / ".complete"
    if marker.exists():
        return folder
    started = time.perf_counter()
    base = {
        t: pd.read_csv(FIXTURE / f"{t}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for t in TABLES
    }
    children = pd.Index(pd.unique(pd.concat([f["CHILD"].str.strip() for f in base.values()])))
    rng = np.random.default_rng(903)
    shift = rng.integers(0, 4, size=(n, len(children)))  # years moved back, per replica and child
    versions: dict[str, list[pd.DataFrame]] = {t: [] for t in TABLES}
    for o in range(4):
        for t, frame in base.items():
            v = frame.copy()
            for c in DATES[t]:
                d = pd.to_datetime(v[c].str.strip(), format="%d/%m/%Y", errors="coerce")
                d = d - pd.DateOffset(years=o)
                v[c] = d.dt.strftime("%d/%m/%Y").fillna("")
                v["_" + c] = d
            versions[t].append(v)
    # which years each (version, row) belongs to
    member: dict[str, np.ndarray] = {}  # table -> bool[year, version*rows + row]
    for t in ("episodes", "reviews"):
        masks = []
        for y in YEARS:
            start, end = pd.Timestamp(y - 1, 4, 1), pd.Timestamp(y, 3, 31)
            cols = []
            for v in versions[t]:
                if t == "episodes":
                    cols.append((v["_DECOM"] <= end) & (v["_DEC"].isna() | (v["_DEC"] >= start)))
                else:
                    cols.append((v["_REVIEW"] >= start) & (v["_REVIEW"] <= end))
            masks.append(np.concatenate([c.to_numpy() for c in cols]))
        member[t] = np.array(masks)
    # a child's years: those with an episode in the file (per version), else the last year
    code = {t: children.get_indexer(base[t]["CHILD"].str.strip()) for t in TABLES}
    nch = len(children)
    child_years = np.zeros((len(YEARS), 4 * nch), dtype=bool)
    ne = len(base["episodes"])
    for yi in range(len(YEARS)):
        for o in range(4):
            rows = member["episodes"][yi, o * ne : (o + 1) * ne]
            child_years[yi, o * nch + code["episodes"][rows]] = True
    none = ~child_years.any(axis=0)
    child_years[-1, none] = True
    for t in CHILD_TABLES:
        rows = len(base[t])
        member[t] = np.array([
            np.concatenate([child_years[yi, o * nch + code[t]] for o in range(4)])
            for yi in range(len(YEARS))
        ])  # fmt: skip
    stacked = {
        t: pd.concat([v[[c for c in v.columns if not c.startswith("_")]] for v in versions[t]],
                     ignore_index=True)
        for t in TABLES
    }  # fmt: skip
    suffix = np.char.add("_", np.arange(n).astype(str)).astype(object)
    rows_written = 0
    for yi, y in enumerate(YEARS):
        out = folder / year_label(y)
        out.mkdir(parents=True, exist_ok=True)
        end = pd.Timestamp(y, 3, 31)
        for t in TABLES:
            rows = len(base[t])
            o = shift[:, code[t]]  # replica x row
            idx = o * rows + np.arange(rows)  # rows of the stacked versions
            keep = member[t][yi][idx]
            r, _ = np.nonzero(keep)
            picked = idx[keep]
            frame = stacked[t].iloc[picked].reset_index(drop=True)
            frame["CHILD"] = frame["CHILD"].str.strip().to_numpy(dtype=object) + suffix[r]
            if t == "episodes":
                dec = pd.to_datetime(frame["DEC"], format="%d/%m/%Y", errors="coerce")
                still_open = (dec > end).to_numpy()
                for c in ("DEC", "REC", "REASON_PLACE_CHANGE"):
                    frame.loc[still_open, c] = ""
                rows_written += len(frame)
            frame.to_csv(out / f"{t}.csv", index=False)
    marker.write_text(json.dumps({"episode_rows": rows_written,
                                  "seconds": time.perf_counter() - started}))  # fmt: skip
    return folder


def episode_rows(folder: Path) -> int:
    return int(json.loads((folder / ".complete").read_text())["episode_rows"])


# --------------------------------------------------------------------------------------------------
# The two sides, each run in a fresh process

LIBRARY = r"""
import json, resource, sys, time, warnings, tempfile, shutil
from pathlib import Path
warnings.simplefilter("ignore")
folder, first, last, out_json = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
indicators = json.loads(sys.argv[5])
t0 = time.perf_counter()
import scorecard as sc
from scorecard.importers import import_ssda903, assign_teams, write_import
from scorecard.measures import compute, month_range
years = sorted(p for p in Path(folder).iterdir() if p.is_dir())
tmp = Path(tempfile.mkdtemp(prefix="import903_", dir=Path(folder).parent))
try:
    t1 = time.perf_counter()
    result = import_ssda903(years)
    t2 = time.perf_counter()
    teams = assign_teams(result, authority="Fake")
    t3 = time.perf_counter()
    out = write_import(teams.result, tmp / "extracts", organisation=teams.organisation)
    t4 = time.perf_counter()
    extracts = sc.load_extracts(out)
    t5 = time.perf_counter()
    registry = sc.load_registry()
    computation = compute(extracts, month_range(first, last), registry, county="Fake",
                          indicators=indicators)
    t6 = time.perf_counter()
    rated = sc.rate(computation.results, registry)
    t7 = time.perf_counter()
finally:
    shutil.rmtree(tmp, ignore_errors=True)
res = computation.results
county = res[res["unit"] == "Fake"]
cols = [c for c in ("indicator", "month", "numerator", "denominator", "value") if c in county]
county[cols].assign(month=county["month"].astype(str)).to_csv(out_json + ".csv", index=False)
json.dump({"read_map": t2 - t1, "teams": t3 - t2, "write_validate": t4 - t3,
           "import": t4 - t1, "load": t5 - t4, "compute": t6 - t5, "rate": t7 - t6,
           "lcr": t7 - t4, "total": t7 - t1, "startup": t1 - t0,
           "peak_mb": next((int(ln.split()[1]) / 1024 for ln in open("/proc/self/status") if ln.startswith("VmHWM:")), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)},
          open(out_json, "w"))
"""

SQL = r"""
-- episodes: every year's file; exact repeats once; per child and DECOM the latest year's row
CREATE TEMP TABLE eps_raw AS
SELECT trim(CHILD) AS child, strptime(nullif(trim(DECOM), ''), '%d/%m/%Y')::DATE AS decom,
       nullif(trim(RNE), '') AS rne, nullif(trim(LS), '') AS ls, nullif(trim(PLACE), '') AS place,
       nullif(trim(PLACE_PROVIDER), '') AS provider,
       strptime(nullif(trim(DEC), ''), '%d/%m/%Y')::DATE AS dec,
       nullif(trim(REC), '') AS rec, nullif(trim(PL_POST), '') AS pl_post,
       CAST(regexp_extract(filename, '(\d{4})-(\d{2})[/\\]episodes', 1) AS INTEGER) + 1 AS year
FROM read_csv('{folder}/*/episodes.csv', all_varchar = true, filename = true, header = true);
CREATE TEMP TABLE header AS
SELECT child, dob FROM (
  SELECT trim(CHILD) AS child, strptime(nullif(trim(DOB), ''), '%d/%m/%Y')::DATE AS dob,
         CAST(regexp_extract(filename, '(\d{4})-(\d{2})[/\\]header', 1) AS INTEGER) + 1 AS year
  FROM read_csv('{folder}/*/header.csv', all_varchar = true, filename = true, header = true))
QUALIFY row_number() OVER (PARTITION BY child ORDER BY year DESC) = 1;
CREATE TEMP TABLE eps AS
WITH latest AS (
  SELECT * FROM (SELECT DISTINCT * EXCLUDE (year), max(year) OVER w AS year FROM eps_raw
                 WINDOW w AS (PARTITION BY child, decom, rne, ls, place, provider, dec, rec,
                                           pl_post))
  QUALIFY row_number() OVER (PARTITION BY child, decom ORDER BY year DESC,
                             (dec IS NOT NULL)::INT + (rec IS NOT NULL)::INT DESC) = 1),
valid AS (
  SELECT * FROM latest
  WHERE NOT (dec IS NOT NULL AND (rec IS NULL OR dec < decom))
    AND child IN (SELECT child FROM header)),
cut AS (SELECT *, lead(decom) OVER (PARTITION BY child ORDER BY decom) AS next_start FROM valid)
SELECT child, decom, rne, ls, place, provider, pl_post,
       CASE WHEN next_start IS NOT NULL AND (dec IS NULL OR dec > next_start) THEN next_start
            ELSE dec END AS dec,
       CASE WHEN next_start IS NOT NULL AND (dec IS NULL OR dec > next_start) THEN 'X1'
            ELSE rec END AS rec
FROM cut;
-- care episodes (no short breaks) with period of care and placement
CREATE TEMP TABLE care AS
WITH c AS (
  SELECT *, lag(dec) OVER w AS prev_end, lag(rec) OVER w AS prev_rec
  FROM eps WHERE ls IS NULL OR ls NOT IN ('V3', 'V4')
  WINDOW w AS (PARTITION BY child ORDER BY decom)),
f AS (
  SELECT *, NOT coalesce(prev_rec = 'X1' AND decom = prev_end, false) AS new_period FROM c),
g AS (
  SELECT *, new_period OR coalesce(rne IN ('S', 'P', 'T', 'B', 'U'), false) AS new_placement
  FROM f),
h AS (
  SELECT *, sum(new_period::INT) OVER w AS period_no, sum(new_placement::INT) OVER w AS placement_no
  FROM g WINDOW w AS (PARTITION BY child ORDER BY decom ROWS UNBOUNDED PRECEDING))
SELECT *, min(decom) OVER (PARTITION BY child, period_no) AS period_start,
          min(decom) OVER (PARTITION BY child, placement_no) AS placement_start
FROM h;
CREATE TEMP TABLE placements AS
SELECT child, period_no, placement_no, min(decom) AS pstart, arg_max_null(dec, decom) AS pend,
       lag(min(decom)) OVER (PARTITION BY child, period_no ORDER BY placement_no) AS prev_start
FROM care GROUP BY child, period_no, placement_no;
CREATE TEMP TABLE la AS
SELECT s.month, s.snapshot, c.*, p.prev_start
FROM snapshots s JOIN care c ON c.decom <= s.snapshot AND (c.dec IS NULL OR c.dec > s.snapshot)
JOIN placements p USING (child, period_no, placement_no);
CREATE TEMP TABLE results (indicator VARCHAR, month VARCHAR, numerator DOUBLE, denominator DOUBLE);
-- ref 19
INSERT INTO results
SELECT 'cic_3_placements_12m', month, count(*) FILTER (WHERE n >= 3), count(*) FROM (
  SELECT la.month, la.child, count(p.pstart) AS n
  FROM la LEFT JOIN placements p ON p.child = la.child AND p.pstart <= la.snapshot
       AND (p.pend IS NULL OR p.pend > la.snapshot - INTERVAL 12 MONTH)
  GROUP BY la.month, la.child) GROUP BY month;
-- ref 20
INSERT INTO results
SELECT 'cic_same_placement_2y', month,
       count(*) FILTER (WHERE placement_start <= snapshot - INTERVAL 24 MONTH
                        OR (place IN ('A3', 'A4', 'A5', 'A6')
                            AND prev_start <= snapshot - INTERVAL 24 MONTH)), count(*)
FROM la JOIN header h USING (child)
WHERE h.dob + INTERVAL 16 YEAR > snapshot AND period_start <= snapshot - INTERVAL 30 MONTH
GROUP BY month;
-- ref 21
INSERT INTO results
SELECT 'cic_in_house_foster', month,
       count(*) FILTER (WHERE place IN ('U1', 'U2', 'U3') OR provider = 'PR1'), count(*)
FROM la WHERE place IN ('U1', 'U2', 'U3', 'U4', 'U5', 'U6') GROUP BY month;
-- ref 23 (YTD: reviews from 1 April of the financial year to the month's end)
CREATE TEMP TABLE reviews AS
SELECT DISTINCT trim(CHILD) AS child, strptime(trim(REVIEW), '%d/%m/%Y')::DATE AS review_date,
       nullif(trim(REVIEW_CODE), '') AS code
FROM read_csv('{folder}/*/reviews.csv', all_varchar = true, header = true);
INSERT INTO results
SELECT 'cic_review_participation', s.month,
       count(*) FILTER (WHERE r.code IN ('PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6')), count(*)
FROM snapshots s JOIN reviews r ON r.review_date BETWEEN s.year_start AND s.month_end
JOIN header h ON h.child = r.child
WHERE r.code IN ('PN0', 'PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7')
  AND r.code <> 'PN0' AND NOT coalesce(h.dob + INTERVAL 4 YEAR > r.review_date, false)
GROUP BY s.month;
-- ref 24: every review due in the current period of care held on time: the first within 20
-- working days of the period's start, the second 3 months after the first, then every 6 months
CREATE TEMP TABLE periods AS
SELECT DISTINCT la.child, la.period_start, w.plus20 AS first_due
FROM la JOIN workdays w ON w.day = la.period_start;
CREATE TEMP TABLE held AS
WITH r AS (
  SELECT p.child, p.period_start, p.first_due, r.review_date,
         row_number() OVER w - 1 AS k, lag(r.review_date) OVER w AS prev
  FROM periods p JOIN reviews r ON r.child = p.child AND r.review_date >= p.period_start
  WHERE r.code IN ('PN0', 'PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7')
    AND r.child IN (SELECT child FROM header)
  WINDOW w AS (PARTITION BY p.child, p.period_start ORDER BY r.review_date)),
d AS (
  SELECT *, CASE WHEN k = 0 THEN first_due WHEN k = 1 THEN prev + INTERVAL 3 MONTH
                 ELSE prev + INTERVAL 6 MONTH END AS due FROM r)
SELECT *, bool_or(review_date > due) OVER (PARTITION BY child, period_start ORDER BY k
                                            ROWS UNBOUNDED PRECEDING) AS late_so_far
FROM d;
INSERT INTO results
SELECT 'cic_reviews_in_time', month,
       count(*) FILTER (WHERE NOT coalesce(late, false) AND next_due > snapshot), count(*)
FROM (
  SELECT la.month, la.child, la.snapshot, p.first_due,
         count(h.k) AS n, arg_max(h.late_so_far, h.k) AS late, max(h.review_date) AS last,
         CASE WHEN count(h.k) = 0 THEN p.first_due
              WHEN count(h.k) = 1 THEN max(h.review_date) + INTERVAL 3 MONTH
              ELSE max(h.review_date) + INTERVAL 6 MONTH END AS next_due
  FROM la JOIN periods p ON p.child = la.child AND p.period_start = la.period_start
  LEFT JOIN held h ON h.child = la.child AND h.period_start = la.period_start
       AND h.review_date <= la.snapshot
  WHERE p.first_due <= la.snapshot
  GROUP BY la.month, la.child, la.snapshot, p.first_due)
GROUP BY month;
-- ref 31 (YTD): periods of care ending with a reason other than X1; a child once, last occasion
CREATE TEMP TABLE ceased AS
SELECT child, period_no, arg_max_null(dec, decom) AS care_end, arg_max_null(rec, decom) AS rec
FROM care GROUP BY child, period_no;
INSERT INTO results
SELECT 'cic_ceased_adopted', month, count(*) FILTER (WHERE rec IN ('E11', 'E12')), count(*) FROM (
  SELECT s.month, c.child, arg_max(c.rec, c.care_end) AS rec
  FROM snapshots s JOIN ceased c ON c.care_end BETWEEN s.year_start AND s.month_end
  WHERE c.rec <> 'X1' GROUP BY s.month, c.child) GROUP BY month;
-- refs 32-34 (R12M): OC3 young people; birthdays 17-21 in the 12 months (17th/18th from 1 April
-- 2015); the contact that counts (on the birthday in its collection year, 3 months before to 1
-- month after the birthday, known by the month's end): the latest in touch (YES), else the latest.
-- 32: in touch; 33: its ACCOM says suitable (a known type letter + 1); 34: ACTIV in EET (F1-P3).
-- A contact with an unknown IN_TOUCH code is excluded; an unknown ACCOM or ACTIV is blank.
CREATE TEMP TABLE oc3 AS
SELECT DISTINCT trim(CHILD) AS child, strptime(trim(DOB), '%d/%m/%Y')::DATE AS dob,
       nullif(trim(IN_TOUCH), '') AS in_touch, nullif(trim(ACTIV), '') AS activ,
       nullif(trim(ACCOM), '') AS accom,
       CAST(regexp_extract(filename, '(\d{4})-(\d{2})[/\\]oc3', 1) AS INTEGER) + 1 AS year
FROM read_csv('{folder}/*/oc3.csv', all_varchar = true, filename = true, header = true);
CREATE TEMP TABLE contacts AS
SELECT child, in_touch,
       coalesce(regexp_full_match(accom, '[BCDEGHKRSTUVWXYZ]1'), false) AS suitable,
       coalesce(activ IN ('F1', 'P1', 'F2', 'P2', 'F3', 'P3'), false) AS eet,
       make_date(CASE WHEN month(dob) >= 4 THEN year - 1 ELSE year END, month(dob),
                 CASE WHEN month(dob) = 2 AND day(dob) = 29 THEN 28 ELSE day(dob) END)
         AS contact_date
FROM (SELECT * FROM oc3 QUALIFY row_number() OVER (PARTITION BY child, year ORDER BY in_touch) = 1)
WHERE in_touch IN ('YES', 'NO', 'DIED', 'REFU', 'NREQ', 'RHOM');
CREATE TEMP TABLE birthdays AS
SELECT l.child, a.age, h.dob + to_years(a.age) AS birthday
FROM (SELECT DISTINCT child FROM oc3) l JOIN header h USING (child)
CROSS JOIN (SELECT unnest(range(17, 22)) AS age) a
WHERE h.dob IS NOT NULL AND (a.age >= 19 OR h.dob + to_years(a.age) >= DATE '2015-04-01');
CREATE TEMP TABLE counted AS
SELECT s.month, b.child, b.age,
       bool_or(coalesce(c.in_touch = 'YES', false)) AS touch,
       arg_max(c.suitable, (c.in_touch = 'YES', c.contact_date)) AS suitable,
       arg_max(c.eet, (c.in_touch = 'YES', c.contact_date)) AS eet
FROM snapshots s JOIN birthdays b ON b.birthday BETWEEN s.r12_start AND s.month_end
LEFT JOIN contacts c ON c.child = b.child
     AND c.contact_date BETWEEN b.birthday - INTERVAL 3 MONTH AND b.birthday + INTERVAL 1 MONTH
     AND c.contact_date <= s.month_end
GROUP BY s.month, b.child, b.age;
INSERT INTO results
SELECT 'care_leavers_in_touch', month, count(*) FILTER (WHERE touch), count(*)
FROM counted GROUP BY month;
INSERT INTO results
SELECT 'care_leavers_suitable_accommodation', month, count(*) FILTER (WHERE suitable), count(*)
FROM counted GROUP BY month;
INSERT INTO results
SELECT 'care_leavers_eet', month, count(*) FILTER (WHERE eet), count(*)
FROM counted GROUP BY month;
-- refs 28-30 (YTD): the adoptions as the import derives them: one per child in AD1 or
-- placed_for_adoption or with an episode of LS E1, placement A1-A6 or ending E11/E12 (children
-- with a header); AD1 and placed_for_adoption rows: the latest year's. Decision = DATE_PLACED,
-- else DATE_INT; placement order = DECOM of the first E1 episode; match = DATE_MATCH; placed =
-- DECOM of the first A1-A6 episode; adoption order = DEC of the last E11/E12 episode (blank when
-- before the placement); adopted by the foster carer = FOSTER_CARE 1/0, else A5/A6 yes, A3/A4 no;
-- moved in with that carer = first DECOM at the adoptive placement's PL_POST up to the placement.
CREATE TEMP TABLE ad1 AS
SELECT child, date_int, date_match, foster_care FROM (
  SELECT trim(CHILD) AS child, strptime(nullif(trim(DATE_INT), ''), '%d/%m/%Y')::DATE AS date_int,
         strptime(nullif(trim(DATE_MATCH), ''), '%d/%m/%Y')::DATE AS date_match,
         CASE trim(FOSTER_CARE) WHEN '1' THEN true WHEN '0' THEN false END AS foster_care,
         CAST(regexp_extract(filename, '(\d{4})-(\d{2})[/\\]ad1', 1) AS INTEGER) + 1 AS year
  FROM read_csv('{folder}/*/ad1.csv', all_varchar = true, filename = true, header = true))
WHERE child IN (SELECT child FROM header)
QUALIFY row_number() OVER (PARTITION BY child ORDER BY year DESC) = 1;
CREATE TEMP TABLE pfa AS
SELECT child, date_placed FROM (
  SELECT trim(CHILD) AS child,
         strptime(nullif(trim(DATE_PLACED), ''), '%d/%m/%Y')::DATE AS date_placed,
         CAST(regexp_extract(filename, '(\d{4})-(\d{2})[/\\]placed_for_adoption', 1) AS INTEGER)
           + 1 AS year
  FROM read_csv('{folder}/*/placed_for_adoption.csv', all_varchar = true, filename = true,
                header = true))
WHERE child IN (SELECT child FROM header)
QUALIFY row_number() OVER (PARTITION BY child ORDER BY year DESC) = 1;
CREATE TEMP TABLE adoptions AS
WITH kids AS (
  SELECT child FROM ad1 UNION SELECT child FROM pfa
  UNION SELECT child FROM eps
  WHERE ls = 'E1' OR place IN ('A1', 'A2', 'A3', 'A4', 'A5', 'A6') OR rec IN ('E11', 'E12')),
e1 AS (SELECT child, min(decom) AS placement_order FROM eps WHERE ls = 'E1' GROUP BY child),
first_placed AS (
  SELECT child, decom AS placed, place, pl_post FROM eps
  WHERE place IN ('A1', 'A2', 'A3', 'A4', 'A5', 'A6')
  QUALIFY row_number() OVER (PARTITION BY child ORDER BY decom) = 1),
adopted AS (
  SELECT child, arg_max(dec, decom) AS adopted FROM eps WHERE rec IN ('E11', 'E12')
  GROUP BY child),
moved AS (
  SELECT f.child, min(e.decom) AS moved_in FROM first_placed f
  JOIN eps e ON e.child = f.child AND e.pl_post = f.pl_post AND e.decom <= f.placed
  GROUP BY f.child),
a AS (
  SELECT k.child, coalesce(p.date_placed, d.date_int) AS decided, e1.placement_order,
         d.date_match AS matched, f.placed, x.adopted,
         coalesce(d.foster_care, CASE WHEN f.place IN ('A5', 'A6') THEN true
                                      WHEN f.place IN ('A3', 'A4') THEN false END) AS by_carer,
         m.moved_in
  FROM kids k LEFT JOIN pfa p USING (child) LEFT JOIN ad1 d USING (child)
  LEFT JOIN e1 USING (child) LEFT JOIN first_placed f USING (child)
  LEFT JOIN adopted x USING (child) LEFT JOIN moved m USING (child))
SELECT child, decided, placement_order, matched, placed,
       CASE WHEN adopted < placed THEN NULL ELSE adopted END AS adopted,
       CASE WHEN coalesce(by_carer, false) THEN moved_in END AS moved_in
FROM a;
-- periods of care (no short breaks): start, end, first placed-for-adoption episode
CREATE TEMP TABLE care_periods AS
SELECT child, min(decom) AS care_start, arg_max_null(dec, decom) AS care_end,
       min(decom) FILTER (WHERE place IN ('A1', 'A2', 'A3', 'A4', 'A5', 'A6')) AS placed_start
FROM care GROUP BY child, period_no;
-- ref 28: decision made by the second review (distinct dates) of the period of care it falls in
-- (the latest starting by the decision; all reviews when none); none held counts as by it
INSERT INTO results
WITH d AS (
  SELECT a.child, a.decided, p.care_start, p.care_end
  FROM (SELECT * FROM adoptions WHERE decided IS NOT NULL) a
  ASOF LEFT JOIN care_periods p ON p.child = a.child AND a.decided >= p.care_start),
r AS (SELECT DISTINCT child, review_date FROM reviews
      WHERE code IN ('PN0', 'PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7')
        AND child IN (SELECT child FROM header)),
s AS (
  SELECT d.child, d.decided,
         list_sort(list(r.review_date) FILTER (WHERE r.review_date IS NOT NULL))[2] AS second
  FROM d LEFT JOIN r ON r.child = d.child
       AND (d.care_start IS NULL OR r.review_date >= d.care_start)
       AND (d.care_end IS NULL OR r.review_date <= d.care_end)
  GROUP BY d.child, d.decided)
SELECT 'adoption_plan_by_2nd_review', c.month,
       count(*) FILTER (WHERE s.second IS NULL OR s.decided <= s.second), count(*)
FROM snapshots c JOIN s ON s.decided BETWEEN c.year_start AND c.month_end
GROUP BY c.month;
-- ref 29: days from the start of the period of care ending in adoption (the latest starting by
-- the order) to placement for adoption (else its first A1-A6 episode; the move-in with a foster
-- carer adopter when earlier: least() skips a missing date), at least 0 (not greatest(), which
-- would turn a missing number of days into 0); children without a period or a date left out
INSERT INTO results
WITH d AS (
  SELECT a.*, p.care_start, p.placed_start
  FROM (SELECT * FROM adoptions WHERE adopted IS NOT NULL) a
  ASOF LEFT JOIN care_periods p ON p.child = a.child AND a.adopted >= p.care_start),
j AS (
  SELECT adopted, date_diff('day', care_start,
                            least(coalesce(placed, placed_start), moved_in)) AS diff
  FROM d),
k AS (SELECT adopted, CASE WHEN diff < 0 THEN 0 ELSE diff END AS days FROM j)
SELECT 'adoption_la_to_placed_days', c.month, sum(k.days), count(*)
FROM snapshots c JOIN k ON k.adopted BETWEEN c.year_start AND c.month_end
WHERE k.days IS NOT NULL GROUP BY c.month;
-- ref 30: days from the placement order to the match (at least 0), adopted children with both
INSERT INTO results
SELECT 'adoption_order_to_match_days', c.month,
       sum(greatest(date_diff('day', a.placement_order, a.matched), 0)), count(*)
FROM snapshots c JOIN adoptions a ON a.adopted BETWEEN c.year_start AND c.month_end
WHERE a.placement_order IS NOT NULL AND a.matched IS NOT NULL
GROUP BY c.month;
"""

DUCK = r"""
import json, resource, sys, time
folder, out_json, sql, calendar = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
t0 = time.perf_counter()
import duckdb
con = duckdb.connect()
con.execute("SET threads = 2")
con.execute("SET enable_progress_bar = false")
t1 = time.perf_counter()
con.execute("CREATE TEMP TABLE snapshots AS SELECT month, snapshot::DATE AS snapshot, "
            "month_end::DATE AS month_end, year_start::DATE AS year_start, "
            "r12_start::DATE AS r12_start FROM read_csv(?, header = true)", [calendar])
con.execute("CREATE TEMP TABLE workdays AS SELECT day::DATE AS day, plus20::DATE AS plus20 "
            "FROM read_csv(?, header = true)", [calendar.replace("calendar_903", "workdays_903")])
con.execute(open(sql).read().replace("{folder}", folder))
res = con.execute("SELECT * FROM results ORDER BY indicator, month").df()
t2 = time.perf_counter()
res.to_csv(out_json + ".csv", index=False)
json.dump({"total": t2 - t1, "startup": t1 - t0,
           "peak_mb": next((int(ln.split()[1]) / 1024 for ln in open("/proc/self/status") if ln.startswith("VmHWM:")), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)},
          open(out_json, "w"))
"""


def calendar_file() -> Path:
    """The 36 reporting months with their snapshot date (last working day: the library's calendar,
    England and Wales bank holidays), month end, start of the financial year and of the R12M."""
    import pandas as pd

    from scorecard.calendar.working_days import add_working_days, snapshot_dates

    path = DATA / "calendar_903.csv"
    months = pd.Series(pd.period_range(FIRST_MONTH, LAST_MONTH, freq="M"))
    ends = months.dt.end_time.dt.normalize()
    fy = months.map(lambda m: m.year if m.month >= 4 else m.year - 1)
    frame = pd.DataFrame({
        "month": months.astype(str),
        "snapshot": snapshot_dates(months).dt.strftime("%Y-%m-%d"),
        "month_end": ends.dt.strftime("%Y-%m-%d"),
        "year_start": [f"{y}-04-01" for y in fy],
        "r12_start": (months - 11).dt.start_time.dt.strftime("%Y-%m-%d"),
    })  # fmt: skip
    DATA.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    # every day 2000-2019 and the day 20 working days after it (ref 24's first review)
    days = pd.Series(pd.date_range("2000-01-01", "2019-12-31", freq="D"))
    pd.DataFrame({"day": days.dt.strftime("%Y-%m-%d"),
                  "plus20": add_working_days(days, 20).dt.strftime("%Y-%m-%d")}).to_csv(
        DATA / "workdays_903.csv", index=False)  # fmt: skip
    return path


def _locked(lock: bool) -> list[str]:
    """The shared big-memory lock's ``flock`` prefix (see ``duckdb_baseline.locked``)."""
    if not lock:
        return []
    sys.path.insert(0, str(HERE))
    from duckdb_baseline import locked

    return locked([])


def run_library(folder: Path, tag: str, lock: bool = False) -> dict[str, float]:
    out = DATA / f"lib_{tag}.json"
    sys.path.insert(0, str(HERE))
    from duckdb_baseline import library_env

    subprocess.run([*_locked(lock), sys.executable, "-c", LIBRARY, str(folder), FIRST_MONTH, LAST_MONTH, str(out),
                    json.dumps(INDICATORS)], check=True, env=library_env())  # fmt: skip
    return json.loads(out.read_text())


def run_duckdb(folder: Path, tag: str, calendar: Path, lock: bool = False) -> dict[str, float]:
    out = DATA / f"duck_{tag}.json"
    sql = DATA / "import_903.sql"
    sql.write_text(SQL)
    subprocess.run([*_locked(lock), sys.executable, "-c", DUCK, str(folder), str(out), str(sql),
                    str(calendar)], check=True)  # fmt: skip
    return json.loads(out.read_text())


def compare(tag: str) -> list[str]:
    import pandas as pd

    lib = pd.read_csv(DATA / f"lib_{tag}.json.csv")
    duck = pd.read_csv(DATA / f"duck_{tag}.json.csv")
    lines = []
    for ref, ind in SQL_INDICATORS.items():
        a = lib[lib["indicator"] == ind].set_index("month")[["numerator", "denominator"]]
        b = duck[duck["indicator"] == ind].set_index("month")[["numerator", "denominator"]]
        b = b.reindex(a.index).fillna(0)
        same = (a.fillna(0).round(6) == b.round(6)).all(axis=1)
        worst = (a - b).abs().max(axis=1).idxmax() if (~same).any() else None
        detail = ""
        if worst is not None:
            detail = (f"; e.g. {worst}: library {a.loc[worst].tolist()}, "
                      f"DuckDB {b.loc[worst].tolist()}")  # fmt: skip
        lines.append(f"ref {ref} {ind}: {int(same.sum())}/{len(same)} months equal{detail}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="SSDA903 import + 36-month scorecard against a DuckDB SQL baseline"
    )
    parser.add_argument(
        "--replicas",
        type=int,
        nargs="+",
        default=[10, 100, 300],
        help="N (300: the 2.9M episode rows of issue 10; 1000 needs about 27 GB)",
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    calendar = calendar_file()
    summary = []
    for n in args.replicas:
        folder = generate(n)
        rows = episode_rows(folder)
        libs, ducks = [], []
        for i in range(args.repeat):  # alternating
            libs.append(run_library(folder, f"x{n}"))
            ducks.append(run_duckdb(folder, f"x{n}", calendar))
            print(json.dumps({"n": n, "run": i, "library": libs[-1], "duckdb": ducks[-1]}),
                  flush=True)  # fmt: skip
        checks = compare(f"x{n}")
        for line in checks:
            print(f"  x{n} {line}", flush=True)
        summary.append({"n": n, "episode_rows": rows, "library": libs, "duckdb": ducks,
                        "checks": checks})  # fmt: skip
        (DATA / "import_903_results.json").write_text(json.dumps(summary, indent=1))
    print(table(summary))
    return 0


def table(summary: list[dict]) -> str:
    import statistics as st

    lines = [
        (
            "| N | episode rows (5 files) | library import (s) | library load+compute+rate (s) "
            "| library total (s), median (range) | DuckDB (s), median (range) | ratio |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in summary:
        lt = [r["total"] for r in s["library"]]
        dt = [r["total"] for r in s["duckdb"]]
        lines.append(
            f"| {s['n']} | {s['episode_rows']:,} "
            f"| {st.median(r['import'] for r in s['library']):.2f} "
            f"| {st.median(r['lcr'] for r in s['library']):.2f} "
            f"| {st.median(lt):.2f} ({min(lt):.2f}–{max(lt):.2f}) "
            f"| {st.median(dt):.2f} ({min(dt):.2f}–{max(dt):.2f}) "
            f"| {st.median(lt) / st.median(dt):.1f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())

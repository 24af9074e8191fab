"""Quality assurance: case file audits, CP social work reports rated by chairs at conferences, and
care plans rated by IROs at reviews."""

from __future__ import annotations

import numpy as np

from scorecard.synth import config as C
from scorecard.synth._util import DAY, NAT, Context, days, uniform_int

RATINGS = ("outstanding", "good", "requires_improvement", "inadequate")


def _open_referral_at(
    rng, date: np.ndarray, r_start: np.ndarray, r_end: np.ndarray, tries: int = 200
) -> np.ndarray:
    """A random referral open on each date (rejection sampling over referrals open in the range)."""
    lo, hi = date.min(), date.max()
    pool = np.flatnonzero((r_start <= hi) & (r_end > lo))
    out = np.full(len(date), -1)
    todo = np.arange(len(date))
    for _ in range(tries):
        if not len(todo) or not len(pool):
            break
        pick = pool[rng.integers(0, len(pool), len(todo))]
        ok = (r_start[pick] <= date[todo]) & (r_end[pick] > date[todo])
        out[todo[ok]] = pick[ok]
        todo = todo[~ok]
    return out


def _good_or_not(rng, p_good: np.ndarray) -> np.ndarray:
    n = len(p_good)
    good = rng.random(n) < p_good
    top = np.where(rng.random(n) < 0.1, 0, 1)
    low = np.where(rng.random(n) < C.P_RATING_INADEQUATE_IF_NOT_GOOD, 3, 2)
    return np.where(good, top, low)


def quality_audits(ctx: Context, cases, care, s47: dict, cp_reviews: dict, team_of_referral):
    rng = ctx.rng("quality")
    R = cases.referrals
    # ---- case file audits: a monthly sample of open cases ----------------------------------------
    months = np.arange(ctx.sim_start.astype("datetime64[M]"), ctx.end.astype("datetime64[M]") + 1)
    count = rng.poisson(C.CASE_FILE_AUDITS_PER_MONTH * ctx.scale, len(months))
    month = np.repeat(months, count)
    first = month.astype("datetime64[D]")
    length = ((month + 1).astype("datetime64[D]") - first).astype(np.int64)
    due = ctx.working(first + days(rng.random(len(month)) * length))
    due = np.minimum(due, ctx.end)
    r_end = np.where(np.isnat(R["closure"]), ctx.end + DAY, R["closure"])
    ref = _open_referral_at(rng, due, R["date"], r_end)
    ok = ref >= 0
    due, ref = due[ok], ref[ok]
    n = len(due)
    done = rng.random(n) < ctx.prob("audit_completed", C.P_AUDIT_COMPLETED, due, C.AUDIT_DRIFT)
    completed = np.where(done, due + days(uniform_int(rng, *C.AUDIT_COMPLETION_DAYS, n)), NAT)
    completed = np.where(completed > ctx.end, NAT, completed)
    shares = np.array(list(C.AUDIT_RATINGS.values()))
    p_good = ctx.prob("audit_good", shares[0] + shares[1], due, C.AUDIT_RATING_DRIFT)
    good = rng.random(n) < p_good
    top = np.where(rng.random(n) < shares[0] / (shares[0] + shares[1]), 0, 1)
    low = np.where(rng.random(n) < shares[3] / (shares[2] + shares[3]), 3, 2)
    rating = np.where(np.isnat(completed), -1, np.where(good, top, low))
    file_audits = {
        "type": np.zeros(n, np.int64),
        "team": team_of_referral[ref],
        "child": R["child"][ref],
        "due": due,
        "completed": completed,
        "rating": rating,
    }

    # ---- CP social work reports at initial and review conferences ----------------------------------
    icpc = s47["icpc"]
    has = ~np.isnat(icpc) & (icpc <= ctx.end)
    cp = cases.cp_plans
    conf_team = np.concatenate([s47["team"][has], cp["team"][cp_reviews["plan"]]])
    conf_child = np.concatenate(
        [R["child"][s47["referral"][has]], R["child"][cp["referral"][cp_reviews["plan"]]]]
    )
    conf_date = np.concatenate([icpc[has], cp_reviews["date"]])
    rated = rng.random(len(conf_date)) < C.P_CP_REPORT_RATED
    conf_team, conf_child, conf_date = conf_team[rated], conf_child[rated], conf_date[rated]
    p = ctx.prob("cp_report_good", C.P_CP_REPORT_GOOD, conf_date, C.QUALITY_DRIFT)
    cp_reports = {
        "type": np.ones(len(conf_date), np.int64),
        "team": conf_team,
        "child": conf_child,
        "due": np.full(len(conf_date), NAT),
        "completed": conf_date,
        "rating": _good_or_not(rng, p),
    }

    # ---- care plans rated by IROs at CIC reviews ---------------------------------------------------
    rv = care.reviews
    rated = (rng.random(len(rv["date"])) < C.P_CARE_PLAN_RATED) & (rv["team"] >= 0)
    date = rv["date"][rated]
    p = ctx.prob("care_plan_good", C.P_CARE_PLAN_GOOD, date, C.QUALITY_DRIFT)
    care_plans = {
        "type": np.full(len(date), 2, np.int64),
        "team": rv["team"][rated],
        "child": rv["child"][rated],
        "due": np.full(len(date), NAT),
        "completed": date,
        "rating": _good_or_not(rng, p),
    }
    parts = (file_audits, cp_reports, care_plans)
    out = {k: np.concatenate([p[k] for p in parts]) for k in file_audits}
    keep = np.where(np.isnat(out["due"]), out["completed"], out["due"]) >= ctx.history_start
    out = {k: v[keep] for k, v in out.items()}
    order = np.argsort(np.where(np.isnat(out["due"]), out["completed"], out["due"]), kind="stable")
    return {k: v[order] for k, v in out.items()}

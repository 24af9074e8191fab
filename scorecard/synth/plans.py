"""Work done on open plans: CP review conferences, CP visits and CIN visits.

Each is a renewal process per plan (the next event dated from the previous one), advanced for all
plans at once, one step per event number.
"""

from __future__ import annotations

import numpy as np

from scorecard.synth import config as C
from scorecard.synth._util import DAY, Context, add_months, days, renewal, uniform_int


def _stop(ctx: Context, end: np.ndarray) -> np.ndarray:
    return np.where(np.isnat(end) | (end > ctx.end), ctx.end + DAY, end)


def cp_reviews(ctx: Context, cases) -> dict:
    """Review conferences of every CP plan: the first within 3 months of the plan start, then
    6-monthly, held up to ``CP_REVIEW_EARLY_DAYS`` before the deadline, rarely late."""
    rng = ctx.rng("plans.cp_reviews")
    plans = cases.cp_plans
    start = plans["start"]
    stop = _stop(ctx, plans["end"])

    def shift(rng, n):
        late = rng.random(n) < C.P_CP_REVIEW_LATE
        return np.where(
            late,
            uniform_int(rng, *C.CP_REVIEW_LATE_DAYS, n),
            -uniform_int(rng, *C.CP_REVIEW_EARLY_DAYS, n),
        ), late

    def at(rng, previous, months):
        move, late = shift(rng, len(previous))
        due = add_months(previous, months)
        when = ctx.working(due + days(move))
        return np.where(~late & (when > due), ctx.add_wd(due, 0), when)

    owner, date = renewal(
        rng,
        start,
        stop,
        lambda rng, idx, s: at(rng, s, 3),
        lambda rng, idx, prev: at(rng, prev, 6),
    )
    return {"plan": owner, "date": date}


def cp_visits(ctx: Context, cases) -> dict:
    """Statutory CP visits: within 10 working days of the plan start, then of each other (ref 12),
    with some intervals longer. Kept from ``history_start``."""
    rng = ctx.rng("plans.cp_visits")
    plans = cases.cp_plans
    origin = ctx.history_start - np.timedelta64(30, "D")
    begin = np.maximum(plans["start"], origin)
    stop = _stop(ctx, plans["end"])

    def gap(rng, previous, first):
        n = len(previous)
        p = ctx.prob("cp_visit_in_time", C.P_CP_VISIT_IN_TIME, previous, C.CP_VISIT_DRIFT)
        in_time = rng.random(n) < p
        low, high = (1, 10) if first else C.CP_VISIT_WD_IN_TIME
        steps = np.where(
            in_time, uniform_int(rng, low, high, n), uniform_int(rng, *C.CP_VISIT_WD_LATE, n)
        )
        return ctx.add_wd(previous, steps)

    owner, date = renewal(
        rng,
        begin,
        stop,
        lambda rng, idx, s: gap(rng, s, True),
        lambda rng, idx, prev: gap(rng, prev, False),
    )
    keep = date >= ctx.history_start
    owner, date = owner[keep], date[keep]
    seen = rng.random(len(owner)) < C.P_CP_VISIT_SEEN
    return {"plan": owner, "date": date, "seen": seen}


def cin_visits(ctx: Context, cases) -> dict:
    """Visits to children on CIN plans: mostly every 9-28 days, sometimes longer (ref 6)."""
    rng = ctx.rng("plans.cin_visits")
    plans = cases.cin_plans
    origin = ctx.history_start - np.timedelta64(60, "D")
    begin = np.maximum(plans["start"], origin)
    stop = _stop(ctx, plans["end"])

    def gap(rng, previous):
        n = len(previous)
        p = ctx.prob("cin_visit_regular", C.P_CIN_VISIT_REGULAR, previous, C.CIN_VISIT_DRIFT)
        regular = rng.random(n) < p
        step = np.where(
            regular,
            uniform_int(rng, *C.CIN_VISIT_DAYS_REGULAR, n),
            uniform_int(rng, *C.CIN_VISIT_DAYS_SLOW, n),
        )
        return ctx.working(previous + days(step))

    owner, date = renewal(
        rng,
        begin,
        stop,
        lambda rng, idx, s: ctx.working(s + days(uniform_int(rng, 2, 20, len(s)))),
        lambda rng, idx, prev: gap(rng, prev),
    )
    keep = date >= ctx.history_start
    owner, date = owner[keep], date[keep]
    seen = rng.random(len(owner)) < C.P_CIN_VISIT_SEEN
    return {"plan": owner, "date": date, "seen": seen}

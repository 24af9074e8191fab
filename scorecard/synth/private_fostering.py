"""Private fostering: notifications, initial visits, arrangements and their statutory visits."""

from __future__ import annotations

import numpy as np

from scorecard.synth import config as C
from scorecard.synth import organisation as org
from scorecard.synth._util import (
    DAY,
    NAT,
    Context,
    add_months,
    censor,
    daily_arrivals,
    days,
    renewal,
    uniform_int,
)


def private_fostering(ctx: Context, children) -> tuple[dict, dict]:
    """Arrangements (with new children) and their PF visits."""
    rng = ctx.rng("private_fostering")
    notified = daily_arrivals(
        rng,
        ctx.sim_start,
        ctx.end,
        max(C.PF_NOTIFICATIONS_PER_YEAR * ctx.scale, C.PF_MIN_NOTIFICATIONS_PER_YEAR),
        weekend_factor=0.0,
    )
    notified = ctx.working(notified)
    n = len(notified)
    age = rng.uniform(7.0, 17.5, n)
    dob = notified - days(age * 365.25)
    child = children.add(rng, dob, np.full(n, NAT), np.zeros(n, bool), disabled_share=0.02)
    team = org.DISTRICT_AIT[children.district[child]]

    in_time = rng.random(n) < ctx.prob(
        "pf_initial_visit", C.P_PF_INITIAL_VISIT_IN_TIME, notified, 0.3
    )
    initial = ctx.add_wd(
        notified,
        np.where(
            in_time,
            uniform_int(rng, *C.PF_INITIAL_WD_IN_TIME, n),
            uniform_int(rng, *C.PF_INITIAL_WD_LATE, n),
        ),
    )
    started = rng.random(n) >= C.P_PF_NOT_STARTED
    before = rng.random(n) < 0.7
    start = np.where(
        before, notified - days(rng.uniform(0, 40, n)), notified + days(rng.uniform(1, 20, n))
    )
    start = np.where(started, start, NAT)
    median = np.where(rng.random(n) < C.P_PF_SHORT, C.PF_SHORT_MEDIAN_DAYS, C.PF_LONG_MEDIAN_DAYS)
    length = np.maximum(median * np.exp(C.PF_DURATION_SIGMA * rng.standard_normal(n)), 30)
    end = start + days(length)
    # a child turns 18: the arrangement ends
    end = np.minimum(end, dob + days(18 * 365.25))
    arrangements = {
        "child": child,
        "team": team,
        "notified": notified,
        "initial": initial,
        "start": start,
        "end": end,
    }

    # visits after the initial visit, 6-weekly in the first year and 12-weekly later
    first_year_end = add_months(np.where(np.isnat(start), notified, start), 12)
    stop = np.where(np.isnat(end) | (end > ctx.end), ctx.end + DAY, end)
    stop = np.where(started, stop, NAT)

    def gap(rng, idx, previous):
        k = len(idx)
        later = previous >= first_year_end[idx]
        step = np.where(
            later,
            uniform_int(rng, *C.PF_VISIT_DAYS_LATER, k),
            uniform_int(rng, *C.PF_VISIT_DAYS_YEAR_1, k),
        )
        late = rng.random(k) >= ctx.prob("pf_visit_in_time", C.P_PF_VISIT_IN_TIME, previous, 0.3)
        step = step + np.where(late, uniform_int(rng, *C.PF_VISIT_LATE_EXTRA, k), 0)
        return ctx.working(previous + days(step))

    first = np.maximum(initial, np.where(np.isnat(start), initial, start))
    owner, date = renewal(
        rng, np.where(started, first, NAT), stop, lambda rng, idx, s: gap(rng, idx, s), gap
    )
    visits = {
        "arrangement": owner,
        "child": child[owner],
        "team": team[owner],
        "date": date,
        "seen": rng.random(len(owner)) < 0.97,
    }
    arrangements["initial"] = censor(initial, ctx.end)
    arrangements["end"] = censor(end, ctx.end)
    arrangements["start"] = censor(start, ctx.end)
    return arrangements, visits

"""Children and their cases: referral -> assessment -> (NFA | CIN plan | S47 -> ICPC -> CP plan) ->
perhaps care; closure; and later re-referral.

Cases are simulated in *waves*: wave 0 is every first referral (new children arriving over the
simulated years, unaccompanied asylum-seeking children, and children already in care before the
flows start); wave k+1 is the re-referrals of cases closed in wave k. Each wave is one vectorised
pass over all its referrals, so the number of Python steps is the number of waves (a handful), not
the number of children.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scorecard.synth import config as C
from scorecard.synth import organisation as org
from scorecard.synth._util import (
    DAY,
    NAT,
    Context,
    add_years,
    age_years,
    choice,
    daily_arrivals,
    days,
    uniform_int,
)
from scorecard.synth.care import ADOPTED_REASONS, plan_periods

#: Outcome of a case, for the re-referral probabilities.
OUTCOMES = ("front_door", "nfa", "cin", "cp", "cic")
_FD, _NFA, _CIN, _CP, _CIC = range(5)
MAX_WAVES = 12


@dataclass
class Children:
    """Every child created so far (index = child number)."""

    dob: np.ndarray = field(default_factory=lambda: np.empty(0, "datetime64[D]"))
    edd: np.ndarray = field(default_factory=lambda: np.empty(0, "datetime64[D]"))
    male: np.ndarray = field(default_factory=lambda: np.empty(0, bool))
    district: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    disabled: np.ndarray = field(default_factory=lambda: np.empty(0, bool))
    disability_unknown: np.ndarray = field(default_factory=lambda: np.empty(0, bool))
    uasc: np.ndarray = field(default_factory=lambda: np.empty(0, bool))

    def __len__(self) -> int:
        return len(self.dob)

    def add(
        self,
        rng: np.random.Generator,
        dob: np.ndarray,
        edd: np.ndarray,
        uasc: np.ndarray,
        disabled_share: float = C.P_DISABLED,
    ) -> np.ndarray:
        """Create children with these birth dates; draw sex, district and disability."""
        n = len(dob)
        first = len(self)
        disabled = (rng.random(n) < disabled_share) & ~uasc
        unknown = (rng.random(n) < C.P_DISABILITY_NOT_RECORDED) & ~disabled
        self.dob = np.concatenate([self.dob, dob])
        self.edd = np.concatenate([self.edd, edd])
        self.male = np.concatenate(
            [self.male, (rng.random(n) < C.P_MALE) | (uasc & (rng.random(n) < 0.9))]
        )
        self.district = np.concatenate(
            [self.district, rng.choice(len(org.DISTRICTS), size=n, p=org.DISTRICT_SHARES)]
        )
        self.disabled = np.concatenate([self.disabled, disabled])
        self.disability_unknown = np.concatenate([self.disability_unknown, unknown])
        self.uasc = np.concatenate([self.uasc, uasc])
        return np.arange(first, first + n)


def birth_dates(
    rng: np.random.Generator, on: np.ndarray, shares: np.ndarray, p_unborn: float
) -> tuple[np.ndarray, np.ndarray]:
    """Dates of birth for children first met on ``on``: ages from AGE_BANDS, some unborn (born
    10-200 days later). Returns (dob, expected date of birth for those met before birth)."""
    n = len(on)
    band = rng.choice(len(shares), size=n, p=shares / shares.sum())
    low, high = C.AGE_BANDS[band, 0], C.AGE_BANDS[band, 1]
    age = low + rng.random(n) * (high - low)
    dob = on - days(age * 365.25)
    unborn = rng.random(n) < p_unborn
    dob[unborn] = on[unborn] + days(rng.integers(10, 200, unborn.sum()))
    edd = np.full(n, NAT)
    edd[unborn] = dob[unborn] + days(rng.integers(-14, 15, unborn.sum()))
    return dob, edd


def _triangular_wd(rng, n, low, mode, high):
    return np.round(rng.triangular(low, mode, high, n)).astype(np.int64)


@dataclass
class Wave:
    """The records produced by one wave (referral indices local to the wave)."""

    referrals: dict
    assessments: dict
    s47: dict
    cp_plans: dict
    cin_plans: dict
    periods: dict
    short_breaks: dict | None = None


def _empty_dates(n: int) -> np.ndarray:
    return np.full(n, NAT)


def run_referrals(
    ctx: Context,
    rng: np.random.Generator,
    children: Children,
    child: np.ndarray,
    r: np.ndarray,
    prev_cp: np.ndarray,
) -> Wave:
    """Simulate the whole life of each referral (vectorised over the referrals)."""
    n = len(r)
    dob = children.dob[child]
    uasc = children.uasc[child]
    team = org.case_team(children.district[child], children.disabled[child], uasc)
    bday18 = add_years(dob, 18)

    # ---- front door, and the Disability Service's own cases -----------------------------------
    fd = (rng.random(n) < C.P_FRONT_DOOR_NFA) & ~uasc
    born = dob <= r
    service = ~fd & children.disabled[child] & born & (rng.random(n) < C.P_DISABILITY_SERVICE)
    assessed = ~fd & ~service

    # ---- assessment --------------------------------------------------------------------------
    a_idx = np.flatnonzero(assessed)
    na = len(a_idx)
    a_start = ctx.add_wd(r[a_idx], uniform_int(rng, *C.ASSESSMENT_START_WD, na))
    in_time = rng.random(na) < ctx.prob(
        "assessment_in_time", C.P_ASSESSMENT_IN_TIME, a_start, C.ASSESSMENT_IN_TIME_DRIFT
    )
    duration = np.where(
        in_time,
        _triangular_wd(rng, na, *C.ASSESSMENT_WD_IN_TIME),
        uniform_int(rng, *C.ASSESSMENT_WD_LATE, na),
    )
    duration = np.where(uasc[a_idx], np.minimum(duration, 30), duration)
    a_auth = ctx.add_wd(a_start, duration)
    unborn_at_start = ~(dob[a_idx] <= a_start)
    seen = rng.random(na) < ctx.prob(
        "assessment_seen", C.P_ASSESSMENT_CHILD_SEEN, a_start, C.ASSESSMENT_SEEN_DRIFT
    )
    seen_blank = (rng.random(na) < C.P_ASSESSMENT_SEEN_NOT_RECORDED) | (
        unborn_at_start & (rng.random(na) < 0.6)
    )
    seen &= ~unborn_at_start
    missing = (rng.random(na) < C.P_ASSESSMENT_CHILD_MISSING) & ~unborn_at_start
    missing_blank = rng.random(na) < 0.25
    assessments = {
        "referral": a_idx,
        "start": a_start,
        "authorised": a_auth,
        "seen": seen,
        "seen_blank": seen_blank,
        "missing": missing,
        "missing_blank": missing_blank & ~missing,
        "team": team[a_idx],
    }

    # ---- route after the assessment ------------------------------------------------------------
    auth = _empty_dates(n)
    auth[a_idx] = a_auth
    start_full = _empty_dates(n)
    start_full[a_idx] = a_start
    normal = assessed & ~uasc
    u = rng.random(n)
    s47 = normal & (u < np.where(prev_cp, C.P_S47_AFTER_CP, C.P_S47))
    v = rng.random(n)
    others = normal & ~s47
    cin_direct = others & (v < C.P_CIN_PLAN)
    cin_no_plan = others & (v >= C.P_CIN_PLAN) & (v < C.P_CIN_PLAN + C.P_CIN_NO_PLAN)
    band = np.clip(
        np.searchsorted(C.AGE_BANDS[:, 1], np.nan_to_num(age_years(dob, r)), side="right"),
        0,
        len(C.AGE_BANDS) - 1,
    )
    care_direct = (
        others
        & (v >= C.P_CIN_PLAN + C.P_CIN_NO_PLAN)
        & (v < C.P_CIN_PLAN + C.P_CIN_NO_PLAN + C.P_DIRECT_CARE[band])
    )

    # ---- section 47 and conference -------------------------------------------------------------
    s_idx = np.flatnonzero(s47)
    ns = len(s_idx)
    s_start = np.minimum(
        ctx.add_wd(start_full[s_idx], uniform_int(rng, *C.S47_START_WD, ns)), auth[s_idx]
    )
    s_done = ctx.add_wd(s_start, uniform_int(rng, *C.S47_DURATION_WD, ns))
    s_unborn = ~(dob[s_idx] <= s_start)
    s_seen = (
        rng.random(ns) < ctx.prob("s47_seen", C.P_S47_CHILD_SEEN, s_start, C.S47_SEEN_DRIFT)
    ) & ~s_unborn
    s_seen_blank = s_unborn & (rng.random(ns) < 0.5)
    has_icpc = rng.random(ns) < np.where(prev_cp[s_idx], C.P_ICPC_AFTER_CP, C.P_ICPC)
    icpc_in_time = rng.random(ns) < ctx.prob(
        "icpc_in_time", C.P_ICPC_IN_TIME, s_start, C.ICPC_IN_TIME_DRIFT
    )
    icpc_wd = np.where(
        icpc_in_time,
        uniform_int(rng, *C.ICPC_WD_IN_TIME, ns),
        uniform_int(rng, *C.ICPC_WD_LATE, ns),
    )
    icpc = np.where(has_icpc, ctx.add_wd(s_start, icpc_wd), NAT)
    p_plan = np.where(
        prev_cp[s_idx],
        C.P_ICPC_CP_PLAN_AFTER_CP,
        ctx.prob("icpc_plan", C.P_ICPC_CP_PLAN, s_start, C.ICPC_PLAN_DRIFT),
    )
    plan = has_icpc & (rng.random(ns) < p_plan)
    s47_records = {
        "referral": s_idx,
        "start": s_start,
        "completed": s_done,
        "seen": s_seen,
        "seen_blank": s_seen_blank,
        "icpc": icpc,
        "has_icpc": has_icpc,
        "plan": plan,
        "team": team[s_idx],
    }

    # ---- CP plans ------------------------------------------------------------------------------
    c_ref = s_idx[plan]
    nc = len(c_ref)
    c_start = icpc[plan]
    c_dur = np.maximum(
        C.CP_DURATION_MEDIAN * np.exp(C.CP_DURATION_SIGMA * rng.standard_normal(nc)), 20
    )
    long_plan = rng.random(nc) < C.P_CP_LONG_PLAN
    c_dur = np.where(long_plan, rng.uniform(*C.CP_LONG_PLAN_DAYS, nc), c_dur)
    c_end = np.minimum(c_start + days(c_dur), bday18[c_ref])
    c_end = np.maximum(c_end, c_start + DAY)
    w = rng.random(nc)
    c_age_end = age_years(dob[c_ref], c_end)
    to_care = (w < C.P_CP_TO_CARE) & ~(c_age_end > 17.5)
    step_down = ~to_care & (w < C.P_CP_TO_CARE + C.P_CP_STEP_DOWN) & ~(c_age_end > 17.5)
    cp_records = {"referral": c_ref, "start": c_start, "end": c_end, "team": team[c_ref]}

    # ---- CIN plans: after the assessment, after S47/ICPC without a plan, or stepping down ------
    no_plan_s47 = s_idx[~has_icpc]
    after_s47 = no_plan_s47[rng.random(len(no_plan_s47)) < C.P_CIN_AFTER_S47]
    no_plan_icpc = s_idx[has_icpc & ~plan]
    icpc_of = _empty_dates(n)
    icpc_of[s_idx] = icpc
    done_of = _empty_dates(n)
    done_of[s_idx] = s_done
    after_icpc = no_plan_icpc[rng.random(len(no_plan_icpc)) < C.P_CIN_AFTER_ICPC]
    cin_ref = np.concatenate([np.flatnonzero(cin_direct), after_s47, after_icpc, c_ref[step_down]])
    cin_from = np.concatenate(
        [
            auth[cin_direct],
            np.maximum(auth[after_s47], done_of[after_s47]),
            np.maximum(auth[after_icpc], icpc_of[after_icpc]),
            c_end[step_down],
        ]
    )
    stepping = np.zeros(len(cin_ref), bool)
    stepping[len(cin_ref) - step_down.sum() :] = True
    lag = np.where(stepping, 0, uniform_int(rng, *C.CIN_PLAN_START_DAYS, len(cin_ref)))
    cin_start = cin_from + days(lag)
    mean = np.where(
        children.disabled[child[cin_ref]], C.CIN_DURATION_MEAN_DISABLED, C.CIN_DURATION_MEAN
    )
    cin_dur = np.maximum(rng.gamma(C.CIN_DURATION_SHAPE, mean / C.CIN_DURATION_SHAPE), 14)
    cin_end = np.minimum(cin_start + days(cin_dur), bday18[cin_ref])
    keep = cin_end > cin_start
    cin_ref, cin_start, cin_end = cin_ref[keep], cin_start[keep], cin_end[keep]
    cin_records = {"referral": cin_ref, "start": cin_start, "end": cin_end, "team": team[cin_ref]}

    # ---- entering care ------------------------------------------------------------------------
    direct_idx = np.flatnonzero(care_direct)
    direct_entry = start_full[direct_idx] + days(
        rng.random(len(direct_idx)) * (auth[direct_idx] - start_full[direct_idx]).astype(float)
    )
    uasc_idx = np.flatnonzero(uasc)
    uasc_entry = r[uasc_idx] + days(rng.integers(0, 3, len(uasc_idx)))
    care_ref = np.concatenate([direct_idx, c_ref[to_care], uasc_idx])
    entry = np.concatenate([direct_entry, c_end[to_care], uasc_entry])
    entry = np.maximum(entry, dob[care_ref])  # a baby comes into care at birth at the earliest
    ok = entry < bday18[care_ref] - np.timedelta64(60, "D")
    care_ref, entry = care_ref[ok], entry[ok]
    periods = plan_periods(ctx, rng, dob[care_ref], entry, uasc[care_ref])
    periods["referral"] = care_ref
    periods["child"] = child[care_ref]

    # ---- Disability Service cases: open for years, some with short breaks -------------------------
    d_idx = np.flatnonzero(service)
    d_len = np.maximum(
        C.DISABILITY_SERVICE_MEDIAN_DAYS
        * np.exp(C.DISABILITY_SERVICE_SIGMA * rng.standard_normal(len(d_idx))),
        60,
    )
    d_end = np.minimum(r[d_idx] + days(d_len), bday18[d_idx])
    d_end = np.maximum(d_end, r[d_idx] + DAY)
    sb = rng.random(len(d_idx)) < C.P_SHORT_BREAKS
    sb_start = r[d_idx] + days(rng.uniform(20, 200, len(d_idx)))
    sb_end = sb_start + days(rng.uniform(*C.SHORT_BREAK_DAYS, len(d_idx)))
    sb &= sb_end < d_end
    short_breaks = {
        "referral": d_idx[sb],
        "child": child[d_idx[sb]],
        "start": sb_start[sb],
        "end": sb_end[sb],
        "team": team[d_idx[sb]],
    }

    # ---- closure ------------------------------------------------------------------------------
    last = np.where(fd, r, auth)
    last[d_idx] = d_end
    for idx, when in (
        (s_idx, s_done),
        (s_idx, icpc),
        (c_ref, c_end),
        (cin_ref, cin_end),
        (care_ref, periods["exit"]),
    ):
        cur = last[idx]
        later = np.isnat(cur) | (when > cur)
        last[idx] = np.where(later & ~np.isnat(when), when, cur)
    lag = uniform_int(rng, *C.CLOSURE_LAG_DAYS, n)
    lag = np.where(fd, uniform_int(rng, *C.FRONT_DOOR_CLOSURE_DAYS, n), lag)
    nfa_lag = uniform_int(rng, *C.NFA_CLOSURE_DAYS, n)
    lag = np.where(~fd, np.minimum(lag, nfa_lag + 4), lag)
    lag = np.where(cin_no_plan, uniform_int(rng, *C.CIN_NO_PLAN_DAYS, n), lag)
    closure = last + days(lag)

    outcome = np.where(fd, _FD, _NFA)
    outcome[cin_ref] = _CIN
    outcome[d_idx] = _CIN
    outcome[c_ref] = _CP
    outcome[care_ref] = _CIC
    had_cp = np.zeros(n, bool)
    had_cp[c_ref] = True
    period_of = np.full(n, -1)
    period_of[care_ref] = np.arange(len(care_ref))
    # Not re-referred: asylum seekers, adopted children, those leaving care as adults.
    ends_childhood = np.zeros(n, bool)
    ends_childhood[care_ref] = np.isin(periods["reason"], ADOPTED_REASONS) | (
        age_years(dob[care_ref], periods["exit"]) > 16.5
    )
    referrals = {
        "child": child,
        "date": r,
        "closure": closure,
        "team": np.where(fd, org.FRONT_DOOR_TEAM, team),
        "outcome": outcome,
        "had_cp": had_cp,
        "period": period_of,
        "rerefer_ok": ~uasc & ~ends_childhood & ~(age_years(dob, closure) > 17.3),
    }
    return Wave(referrals, assessments, s47_records, cp_records, cin_records, periods, short_breaks)


def rereferrals(
    ctx: Context, rng: np.random.Generator, children: Children, wave: Wave
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Re-referrals of the closed cases of a wave: (child, referral date, previous case had CP)."""
    ref = wave.referrals
    p = np.array([C.P_REREFERRAL[o] for o in OUTCOMES])[ref["outcome"]]
    back = ref["rerefer_ok"] & (ref["closure"] <= ctx.end) & (rng.random(len(p)) < p)
    idx = np.flatnonzero(back)
    soon = rng.random(len(idx)) < C.P_REREFERRAL_SOON
    gap = np.where(
        soon,
        rng.exponential(C.REREFERRAL_SOON_MEAN_DAYS, len(idx)),
        rng.uniform(*C.REREFERRAL_LATE_DAYS, len(idx)),
    )
    date = ref["closure"][idx] + DAY + days(gap)
    child = ref["child"][idx]
    keep = (date <= ctx.end) & (date < add_years(children.dob[child], 18) - np.timedelta64(30, "D"))
    return child[keep], date[keep], ref["had_cp"][idx][keep]


def legacy_care(ctx: Context, rng: np.random.Generator, children: Children) -> Wave:
    """Children who came into care before the simulated flows start and are still in care then.

    Entries are drawn over the 18 years before ``sim_start``; a period of care is planned for each
    and only those still open at ``sim_start`` are kept, with a referral opened on entry."""
    origin = ctx.sim_start - np.timedelta64(18 * 366, "D")
    entry = daily_arrivals(
        rng, origin, ctx.sim_start - DAY, C.LEGACY_CARE_ENTRIES_PER_YEAR * ctx.scale
    )
    n = len(entry)
    uasc = rng.random(n) < C.LEGACY_UASC_SHARE
    dob, _ = birth_dates(rng, entry, C.LEGACY_AGE_SHARES, 0.0)
    uasc_age = np.array(list(C.UASC_AGE_SHARES))
    uasc_years = choice(rng, uasc_age, list(C.UASC_AGE_SHARES.values()), n) + rng.random(n)
    dob = np.where(uasc, entry - days(uasc_years * 365.25), dob)
    periods = plan_periods(ctx, rng, dob, entry, uasc)
    keep = periods["exit"] > ctx.sim_start
    periods = {k: v[keep] for k, v in periods.items()}
    dob, entry, uasc = dob[keep], entry[keep], uasc[keep]
    m = len(entry)
    child = children.add(rng, dob, np.full(m, NAT), uasc)
    r = entry - days(rng.integers(0, 45, m))
    r = np.maximum(r, dob)
    team = org.case_team(children.district[child], children.disabled[child], uasc)
    exit_ = periods["exit"]
    closure = exit_ + days(uniform_int(rng, *C.CLOSURE_LAG_DAYS, m))
    periods["referral"] = np.arange(m)
    periods["child"] = child
    ends_childhood = np.isin(periods["reason"], ADOPTED_REASONS) | (age_years(dob, exit_) > 16.5)
    referrals = {
        "child": child,
        "date": r,
        "closure": closure,
        "team": team,
        "outcome": np.full(m, _CIC),
        "had_cp": np.zeros(m, bool),
        "period": np.arange(m),
        "rerefer_ok": ~uasc & ~ends_childhood,
    }
    empty = {"referral": np.empty(0, np.int64)}
    return Wave(referrals, dict(empty), dict(empty), dict(empty), dict(empty), periods)


def _concat(parts: list[dict]) -> dict:
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


@dataclass
class Cases:
    children: Children
    referrals: dict
    assessments: dict
    s47: dict
    cp_plans: dict
    cin_plans: dict
    periods: dict
    short_breaks: dict


def simulate_cases(ctx: Context) -> Cases:
    """Run every wave and return all records with global referral / period indices."""
    children = Children()
    rng = ctx.rng("cases.first_referrals")
    first = daily_arrivals(
        rng,
        ctx.sim_start,
        ctx.end,
        C.NEW_CHILD_REFERRALS_PER_YEAR * ctx.scale,
        weekend_factor=C.REFERRAL_WEEKEND_FACTOR,
        month_factors=C.REFERRAL_SEASON,
        trend_per_year=C.REFERRAL_TREND_PER_YEAR,
    )
    dob, edd = birth_dates(rng, first, C.AGE_BAND_SHARES, C.P_UNBORN_AT_REFERRAL)
    new_children = children.add(rng, dob, edd, np.zeros(len(first), bool))

    rng_u = ctx.rng("cases.uasc")
    arrivals = daily_arrivals(
        rng_u,
        ctx.sim_start,
        ctx.end,
        C.UASC_PER_YEAR * ctx.scale,
        trend_per_year=C.UASC_TREND_PER_YEAR,
        trend_origin=ctx.history_start + np.timedelta64(3 * 365, "D"),
    )
    uasc_age = np.array(list(C.UASC_AGE_SHARES))
    years = choice(rng_u, uasc_age, list(C.UASC_AGE_SHARES.values()), len(arrivals))
    years = years + rng_u.random(len(arrivals))
    uasc_dob = arrivals - days(years * 365.25)
    uasc_children = children.add(
        rng_u, uasc_dob, np.full(len(arrivals), NAT), np.ones(len(arrivals), bool)
    )

    legacy = legacy_care(ctx, ctx.rng("cases.legacy"), children)

    child = np.concatenate([new_children, uasc_children])
    date = np.concatenate([first, arrivals])
    order = np.argsort(date, kind="stable")
    child, date = child[order], date[order]
    prev_cp = np.zeros(len(child), bool)
    waves = [legacy]
    for k in range(MAX_WAVES):
        wave = run_referrals(ctx, ctx.rng(f"cases.wave{k}"), children, child, date, prev_cp)
        waves.append(wave)
        child, date, prev_cp = rereferrals(ctx, ctx.rng(f"cases.rereferral{k}"), children, wave)
        if k == 0:  # legacy children can be re-referred after leaving care too
            lc, ld, lp = rereferrals(ctx, ctx.rng("cases.rereferral_legacy"), children, legacy)
            child, date, prev_cp = (
                np.concatenate([child, lc]),
                np.concatenate([date, ld]),
                np.concatenate([prev_cp, lp]),
            )
        if not len(child):
            break

    # global indices
    ref_parts, offsets, period_offsets = [], [], []
    total = total_periods = 0
    for wave in waves:
        offsets.append(total)
        period_offsets.append(total_periods)
        total += len(wave.referrals["date"])
        total_periods += len(wave.periods["exit"])
    for wave, off, poff in zip(waves, offsets, period_offsets, strict=True):
        for table in (
            wave.assessments,
            wave.s47,
            wave.cp_plans,
            wave.cin_plans,
            wave.periods,
            wave.short_breaks or {"referral": np.empty(0, np.int64)},
        ):
            table["referral"] = table["referral"] + off
        refs = dict(wave.referrals)
        refs["period"] = np.where(refs["period"] >= 0, refs["period"] + poff, -1)
        ref_parts.append(refs)
    referrals = _concat(ref_parts)
    non_empty = waves[1:]  # the legacy wave has no assessments or plans
    return Cases(
        children=children,
        referrals=referrals,
        assessments=_concat([w.assessments for w in non_empty]),
        s47=_concat([w.s47 for w in non_empty]),
        cp_plans=_concat([w.cp_plans for w in non_empty]),
        cin_plans=_concat([w.cin_plans for w in non_empty]),
        periods=_concat([w.periods for w in waves]),
        short_breaks=_concat([w.short_breaks for w in non_empty]),
    )

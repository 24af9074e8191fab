"""Children in care: periods of care, SSDA903 episodes (placements, legal statuses), reviews, health
and dental checks, the adoption journey, and statutory visits while in care.

A period of care is planned as a whole when the child enters care (:func:`plan_periods`): its
outcome (home, special guardianship, adoption, long-term care to 18, or for asylum-seeking children
care to 18) sets its length and reason ceased, and for adoption the dated milestones. The episodes
are then cut from it (:func:`build_care`): change dates (moves, legal status changes, temporary
placements, the adoptive placement) are drawn for all periods at once, sorted, and each episode
takes its placement and legal status by a vectorised forward fill.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scorecard.synth import config as C
from scorecard.synth import organisation as org
from scorecard.synth._util import (
    DAY,
    NAT,
    Context,
    add_months,
    add_years,
    age_years,
    choice,
    choice_rows,
    days,
    ffill_index,
    first_per_group,
    lookup_interval,
    renewal,
)

ADOPTED_REASONS = ("E11", "E12")
HOME, SGO, ADOPTION, LONG_TERM, UASC_TO_18 = range(5)

# ---- codes used internally -------------------------------------------------------------------------
LEGAL = ("V2", "C1", "C2", "E1", "L2", "J2", "V4")
_V2, _C1, _C2, _E1, _L2, _J2, _V4 = range(len(LEGAL))
PLACEMENT_CODES = (
    "U1",
    "U2",
    "U3",
    "U4",
    "U5",
    "U6",
    "P1",
    "P2",
    "H5",
    "K1",
    "K2",
    "R1",
    "R2",
    "R3",
    "R5",
    "S1",
    "Z1",
    "T0",
    "T1",
    "T2",
    "T3",
    "T4",
    "A3",
    "A4",
    "A5",
    "A6",
)
_PL = {code: i for i, code in enumerate(PLACEMENT_CODES)}
PROVIDERS = ("PR0", "PR1", "PR2", "PR3", "PR4", "PR5")
_PR = {code: i for i, code in enumerate(PROVIDERS)}
RNE = ("S", "P", "L", "B", "T", "U")
REASONS = tuple(
    sorted(
        {
            *C.REASONS_HOME,
            *C.REASONS_SGO,
            *C.REASONS_ADOPTED,
            *C.REASONS_AT_18,
            *C.REASONS_INDEPENDENT,
            *C.REASONS_UASC,
            "X1",
        }
    )
)

# event flags
_PLACE, _LEGALF, _TEMP, _RETURN, _ADOPT, _FFA = 1, 2, 4, 8, 16, 32


def _age_band(age: np.ndarray) -> np.ndarray:
    return np.clip(np.searchsorted(C.AGE_BANDS[:, 1], np.nan_to_num(age), side="right"), 0, 4)


def _reasons(rng, table: dict, n: int) -> np.ndarray:
    return choice(rng, list(table), list(table.values()), n)


def _lognormal(rng, median, sigma, n):
    return median * np.exp(sigma * rng.standard_normal(n))


def plan_periods(
    ctx: Context, rng: np.random.Generator, dob: np.ndarray, entry: np.ndarray, uasc: np.ndarray
) -> dict:
    """Plan a period of care for each entry: exit date, reason ceased and adoption milestones.

    Exit dates are not censored (the caller censors at the end of the extract)."""
    n = len(entry)
    age = np.maximum(np.nan_to_num(age_years(dob, entry)), 0.0)
    outcome = choice_rows(rng, C.CARE_OUTCOME_SHARES[_age_band(age)])
    outcome = np.where(uasc, UASC_TO_18, outcome)
    bday16, bday18 = add_years(dob, 16), add_years(dob, 18)

    exit_ = np.full(n, NAT)
    reason = np.empty(n, dtype=object)

    home = outcome == HOME
    exit_[home] = entry[home] + days(
        np.maximum(_lognormal(rng, C.HOME_MEDIAN_DAYS, C.HOME_SIGMA, home.sum()), 2)
    )
    reason[home] = _reasons(rng, C.REASONS_HOME, home.sum())

    sgo = outcome == SGO
    exit_[sgo] = entry[sgo] + days(
        np.maximum(_lognormal(rng, C.SGO_MEDIAN_DAYS, C.SGO_SIGMA, sgo.sum()), 90)
    )
    reason[sgo] = _reasons(rng, C.REASONS_SGO, sgo.sum())

    long_term = outcome == LONG_TERM
    independent = long_term & (rng.random(n) < C.P_LEAVE_AT_16_17)
    leave = bday16 + days(rng.uniform(0, 700, n))
    independent &= leave > entry + np.timedelta64(60, "D")
    exit_[long_term] = bday18[long_term]
    reason[long_term] = _reasons(rng, C.REASONS_AT_18, long_term.sum())
    exit_[independent] = leave[independent]
    reason[independent] = _reasons(rng, C.REASONS_INDEPENDENT, independent.sum())

    asylum = outcome == UASC_TO_18
    exit_[asylum] = bday18[asylum]
    reason[asylum] = _reasons(
        rng, {k: v for k, v in C.REASONS_UASC.items() if k != "E15"}, asylum.sum()
    )
    adult = asylum & (rng.random(n) < C.P_UASC_AGE_ASSESSED_ADULT)
    exit_[adult] = entry[adult] + days(rng.uniform(20, 150, adult.sum()))
    reason[adult] = "E15"

    # ---- adoption ------------------------------------------------------------------------------
    adopt = outcome == ADOPTION
    adm = np.full(n, NAT)
    po, match, placed, order, reversed_, moved_in = (np.full(n, NAT) for _ in range(6))
    foster_carer = np.zeros(n, bool)
    a = np.flatnonzero(adopt)
    na = len(a)
    early = rng.random(na) < C.P_ADM_BY_SECOND_REVIEW
    adm[a] = entry[a] + days(
        np.where(early, rng.uniform(*C.ADM_DAYS_EARLY, na), rng.uniform(*C.ADM_DAYS_LATE, na))
    )
    po[a] = adm[a] + days(np.maximum(_lognormal(rng, *C.PLACEMENT_ORDER_DAYS, na), 30))
    first = rng.random(na) < C.P_MATCH_BEFORE_ORDER
    match[a] = np.where(
        first,
        po[a] - days(rng.uniform(1, 30, na)),
        po[a] + days(np.maximum(_lognormal(rng, *C.MATCH_DAYS, na), 10)),
    )
    placed[a] = np.maximum(match[a], po[a]) + days(rng.uniform(*C.PLACED_AFTER_MATCH_DAYS, na))
    order[a] = placed[a] + days(np.maximum(_lognormal(rng, *C.ADOPTION_ORDER_DAYS, na), 70))
    rev = rng.random(na) < C.P_ADOPTION_REVERSED
    reversed_[a[rev]] = adm[a[rev]] + days(rng.uniform(120, 500, rev.sum()))
    fc = ~rev & (rng.random(na) < C.P_FOSTER_CARER_ADOPTION)
    foster_carer[a[fc]] = True
    moved_in[a[fc]] = entry[a[fc]] + days(rng.uniform(3, 60, fc.sum()))
    # a reversed plan: milestones after the reversal never happen; the child leaves otherwise
    r = a[rev]
    for arr in (match, placed, order):
        arr[r] = np.where(arr[r] > reversed_[r], NAT, arr[r])
    order[r] = NAT
    placed[r] = NAT
    exit_[a[~rev]] = order[a[~rev]]
    reason[a[~rev]] = _reasons(rng, C.REASONS_ADOPTED, (~rev).sum())
    exit_[r] = reversed_[r] + days(
        np.maximum(_lognormal(rng, C.SGO_MEDIAN_DAYS, C.SGO_SIGMA, len(r)), 60)
    )
    reason[r] = _reasons(rng, C.REASONS_SGO, len(r))

    # ---- childhood ends at 18 -----------------------------------------------------------------
    over = exit_ > bday18
    exit_[over] = bday18[over]
    reason[over] = _reasons(rng, C.REASONS_AT_18, over.sum())
    exit_ = np.maximum(exit_, entry + DAY)
    return {
        "entry": entry,
        "exit": exit_,
        "reason": reason.astype(str),
        "outcome": outcome,
        "adm": adm,
        "po": po,
        "match": match,
        "placed": placed,
        "order": order,
        "reversed": reversed_,
        "foster_carer": foster_carer,
        "moved_in": moved_in,
    }


# ==================================================================================================
# Episodes
# ==================================================================================================


@dataclass
class Care:
    """Everything about children in care (indices into the cases' tables)."""

    episodes: dict
    reviews: dict
    health_checks: dict
    adoptions: dict
    visits: dict
    in_house_foster: np.ndarray  # per episode: council / connected-person foster placement


def _events(period, date, flags, legal=-1):
    n = len(date)
    return {
        "period": np.asarray(period, np.int64),
        "date": np.asarray(date, "datetime64[D]"),
        "flags": np.broadcast_to(np.asarray(flags, np.int64), (n,)).copy(),
        "legal": np.broadcast_to(np.asarray(legal, np.int64), (n,)).copy(),
    }


def _placement_matrix(age: np.ndarray, uasc: np.ndarray) -> np.ndarray:
    """Row-wise probabilities over PLACEMENT_CODES for ordinary placements."""

    def vector(table: dict) -> np.ndarray:
        v = np.zeros(len(PLACEMENT_CODES))
        for code, p in table.items():
            v[_PL[code]] = p
        return v

    under_16 = vector(C.PLACEMENTS_UNDER_16)
    under_5 = under_16.copy()
    keep = [_PL[c] for c in ("U1", "U2", "U3", "U4", "U5", "U6", "P1")]
    mask = np.zeros_like(under_5, bool)
    mask[keep] = True
    under_5[~mask] = 0
    table = np.stack([under_5, under_16, vector(C.PLACEMENTS_16_PLUS), vector(C.PLACEMENTS_UASC)])
    group = np.where(uasc, 3, np.where(age >= 16, 2, np.where(age >= 5, 1, 0)))
    return table[group]


def build_care(ctx: Context, cases) -> Care:
    rng = ctx.rng("care.episodes")
    P = cases.periods
    ch = cases.children
    child = P["child"]
    n = len(child)
    entry, exit_ = P["entry"], P["exit"]
    stop = np.minimum(exit_, ctx.end + DAY)  # nothing after the extract matters
    dob, uasc = ch.dob[child], ch.uasc[child]
    base_team = org.care_team(ch.district[child], ch.disabled[child], uasc)
    span = np.maximum((stop - entry).astype(float), 0.0)
    adopt = ~np.isnat(P["adm"])

    ev = []
    # early move after an emergency placement, and moves at a child-level rate
    early = rng.random(n) < C.P_EARLY_MOVE
    ev.append(
        _events(
            np.flatnonzero(early),
            entry[early] + days(rng.uniform(*C.EARLY_MOVE_DAYS, early.sum())),
            _PLACE,
        )
    )
    unstable = rng.random(n) < C.P_UNSTABLE
    rate = np.where(unstable, C.MOVES_PER_YEAR_UNSTABLE, C.MOVES_PER_YEAR_STABLE)
    k = rng.poisson(rate * span / 365.25)
    owner = np.repeat(np.arange(n), k)
    ev.append(_events(owner, entry[owner] + days(rng.random(len(owner)) * span[owner]), _PLACE))

    # legal statuses
    initial = choice(
        rng, [LEGAL.index(s) for s in C.ENTRY_LEGAL_STATUS], list(C.ENTRY_LEGAL_STATUS.values()), n
    ).astype(np.int64)
    initial = np.where(adopt, np.where(rng.random(n) < 0.85, _C1, _L2), initial)
    initial = np.where(uasc, _V2, initial)
    emergency = initial == _L2
    to_c1 = emergency & (adopt | (rng.random(n) < 0.7))
    e_idx = np.flatnonzero(emergency)
    ev.append(
        _events(
            e_idx,
            entry[e_idx] + days(rng.integers(2, 9, len(e_idx))),
            _LEGALF,
            np.where(to_c1[e_idx], _C1, _V2),
        )
    )
    remand = np.flatnonzero(initial == _J2)
    ev.append(
        _events(remand, entry[remand] + days(rng.integers(10, 61, len(remand))), _LEGALF, _V2)
    )
    interim = (initial == _C1) | to_c1
    order_date = entry + days(rng.uniform(*C.CARE_ORDER_DAYS, n))
    interim &= ~(adopt & (order_date >= P["po"]))
    i_idx = np.flatnonzero(interim)
    with_move = rng.random(len(i_idx)) < C.P_LEGAL_CHANGE_WITH_MOVE
    ev.append(
        _events(i_idx, order_date[i_idx], np.where(with_move, _LEGALF | _PLACE, _LEGALF), _C2)
    )
    # a temporary placement beginning with the care order: RNE U
    u_sel = i_idx[~with_move & (rng.random(len(i_idx)) < C.P_TEMPORARY_WITH_LEGAL_CHANGE)]
    u_len = days(rng.integers(*C.TEMPORARY_DAYS, len(u_sel)))
    ev.append(_events(u_sel, order_date[u_sel], _TEMP))
    ev.append(_events(u_sel, order_date[u_sel] + u_len, _RETURN))
    # temporary placements (RNE T) and the return to the previous placement
    kt = rng.poisson(C.TEMPORARY_PER_YEAR * span / 365.25)
    t_owner = np.repeat(np.arange(n), kt)
    t_date = entry[t_owner] + days(rng.random(len(t_owner)) * span[t_owner])
    t_len = days(rng.integers(*C.TEMPORARY_DAYS, len(t_owner)))
    ev.append(_events(t_owner, t_date, _TEMP))
    ev.append(_events(t_owner, t_date + t_len, _RETURN))
    # adoption: placement order (E1), foster-to-adopt move-in, adoptive placement
    a_idx = np.flatnonzero(adopt & ~np.isnat(P["po"]))
    ev.append(_events(a_idx, P["po"][a_idx], _LEGALF, _E1))
    f_idx = np.flatnonzero(P["foster_carer"])
    ev.append(_events(f_idx, P["moved_in"][f_idx], _PLACE | _FFA))
    p_idx = np.flatnonzero(~np.isnat(P["placed"]))
    ev.append(_events(p_idx, P["placed"][p_idx], _PLACE | _ADOPT))

    events = {key: np.concatenate([e[key] for e in ev]) for key in ev[0]}
    pe = events["period"]
    d = events["date"]
    inside = (d > entry[pe]) & (d < stop[pe])
    # no move once placed for adoption (the adoptive placement itself is kept)
    placed_at = P["placed"][pe]
    after_placed = ~np.isnat(placed_at) & (d > placed_at)
    inside &= ~after_placed
    # foster-to-adopt: the move-in placement is kept until the adoptive placement
    moved = P["moved_in"][pe]
    during_ffa = (
        ~np.isnat(moved)
        & (d > moved)
        & ((events["flags"] & (_PLACE | _TEMP)) > 0)
        & ((events["flags"] & _ADOPT) == 0)
    )
    inside &= ~during_ffa
    events = {key: v[inside] for key, v in events.items()}

    # merge events of one period on one day
    order = np.lexsort((events["date"], events["period"]))
    events = {key: v[order] for key, v in events.items()}
    key = events["period"] * 1_000_000 + (events["date"] - np.datetime64("1900-01-01")).astype(
        np.int64
    )
    starts = np.flatnonzero(first_per_group(key)) if len(key) else np.empty(0, np.int64)
    merged = {
        "period": events["period"][starts],
        "date": events["date"][starts],
        "flags": np.bitwise_or.reduceat(events["flags"], starts) if len(starts) else starts,
        "legal": np.maximum.reduceat(events["legal"], starts) if len(starts) else starts,
    }
    # a return that coincides with a move is just the move
    both = ((merged["flags"] & _RETURN) > 0) & ((merged["flags"] & (_PLACE | _TEMP)) > 0)
    merged["flags"][both] &= ~_RETURN

    # ---- episodes: the first of each period + one per change -----------------------------------
    rows_period = np.concatenate([np.arange(n), merged["period"]])
    rows_start = np.concatenate([entry, merged["date"]])
    rows_flags = np.concatenate([np.full(n, -1), merged["flags"]])  # -1 marks a first episode
    rows_legal = np.concatenate([initial, merged["legal"]])
    order = np.lexsort((rows_start, rows_period))
    period = rows_period[order]
    start = rows_start[order]
    flags = rows_flags[order]
    legal_new = rows_legal[order]
    is_first = flags == -1
    flags = np.where(is_first, _PLACE, flags)
    m = len(period)

    # legal status: forward fill of changes
    legal = legal_new[ffill_index(is_first | (legal_new >= 0))]

    # placements: rows that draw a new placement, temporary ones, returns
    temp = (flags & _TEMP) > 0
    ret = (flags & _RETURN) > 0
    adoptive = (flags & _ADOPT) > 0
    ffa = (flags & _FFA) > 0
    draws = ((flags & _PLACE) > 0) | temp
    age = np.maximum(np.nan_to_num(age_years(dob[period], start)), 0.0)
    kid_uasc = uasc[period]
    placement = choice_rows(rng, _placement_matrix(age, kid_uasc))
    placement[temp] = choice(
        rng,
        [_PL[c] for c in C.PLACEMENTS_TEMPORARY],
        list(C.PLACEMENTS_TEMPORARY.values()),
        temp.sum(),
    )
    placement[ffa] = _PL["U5"]
    fc = P["foster_carer"][period]
    placement[adoptive] = np.where(
        fc[adoptive], _PL["A5"], np.where(rng.random(adoptive.sum()) < 0.95, _PL["A6"], _PL["A4"])
    )
    # provider
    provider = np.full(m, -1)
    code = np.array(PLACEMENT_CODES)[placement]
    relative = np.isin(code, ("U1", "U2", "U3"))
    foster = np.isin(code, ("U4", "U5", "U6"))
    p_house = np.where(
        kid_uasc,
        C.P_IN_HOUSE_FOSTER_UASC,
        ctx.prob("in_house_foster", C.P_IN_HOUSE_FOSTER, start, C.IN_HOUSE_FOSTER_DRIFT),
    )
    u = rng.random(m)
    provider[relative] = np.where(u[relative] < C.P_RELATIVE_IN_HOUSE, _PR["PR1"], _PR["PR4"])
    provider[foster] = np.where(
        u[foster] < p_house[foster],
        _PR["PR1"],
        np.where(
            u[foster] < p_house[foster] + 0.02,
            _PR["PR2"],
            np.where(rng.random(foster.sum()) < 0.8, _PR["PR4"], _PR["PR5"]),
        ),
    )
    provider[ffa] = _PR["PR1"]
    residential = np.isin(code, ("K1", "K2", "R1", "R2", "R3", "R5", "S1"))
    provider[residential] = choice(
        rng,
        [_PR[c] for c in C.PROVIDERS_RESIDENTIAL],
        list(C.PROVIDERS_RESIDENTIAL.values()),
        residential.sum(),
    )
    semi = np.isin(code, ("H5", "P2"))
    provider[semi] = choice(
        rng,
        [_PR[c] for c in C.PROVIDERS_SEMI_INDEPENDENT],
        list(C.PROVIDERS_SEMI_INDEPENDENT.values()),
        semi.sum(),
    )
    provider[code == "P1"] = _PR["PR0"]
    adoption_pl = np.isin(code, ("A3", "A4", "A5", "A6"))
    provider[adoption_pl] = choice(
        rng,
        [_PR[c] for c in C.PROVIDERS_ADOPTION],
        list(C.PROVIDERS_ADOPTION.values()),
        adoption_pl.sum(),
    )
    provider[adoption_pl & (code == "A5")] = _PR["PR1"]
    # distance
    in_house = (relative | foster) & (provider == _PR["PR1"])
    median = np.select(
        [in_house, relative | foster, residential | semi, adoption_pl, code == "P1"],
        [
            C.DISTANCE_IN_HOUSE[0],
            C.DISTANCE_AGENCY[0],
            C.DISTANCE_RESIDENTIAL[0],
            C.DISTANCE_ADOPTION[0],
            C.DISTANCE_HOME[0],
        ],
        C.DISTANCE_AGENCY[0],
    )
    sigma = np.select(
        [in_house, relative | foster, residential | semi, adoption_pl, code == "P1"],
        [
            C.DISTANCE_IN_HOUSE[1],
            C.DISTANCE_AGENCY[1],
            C.DISTANCE_RESIDENTIAL[1],
            C.DISTANCE_ADOPTION[1],
            C.DISTANCE_HOME[1],
        ],
        C.DISTANCE_AGENCY[1],
    )
    distance = np.round(median * np.exp(sigma * rng.standard_normal(m)), 1)
    distance[rng.random(m) < C.P_DISTANCE_UNKNOWN] = np.nan
    # resolve each row's placement source: itself, or for returns the placement before the temp
    non_temp_src = ffill_index(draws & ~temp)
    src = ffill_index(draws | ret)
    src = np.where(ret[src], non_temp_src[src], src)
    placement, provider, distance = placement[src], provider[src], distance[src]
    # FFA move-in and adoptive placement share the carer: keep the distance
    # episode end and reason
    last = np.ones(m, bool)
    last[:-1] = period[1:] != period[:-1]
    end = np.empty(m, dtype="datetime64[D]")
    end[:-1] = start[1:]
    end[last] = exit_[period[last]]
    reason = np.where(last, P["reason"][period], "X1")
    # reason for new episode
    legal_change = (flags & _LEGALF) > 0
    place_change = ((flags & _PLACE) > 0) | ret
    rne = np.select(
        [is_first, temp & legal_change, temp, place_change & legal_change, place_change],
        [RNE.index("S"), RNE.index("U"), RNE.index("T"), RNE.index("B"), RNE.index("P")],
        RNE.index("L"),
    )
    team = np.where(
        np.isin(placement, [_PL[c] for c in ("A3", "A4", "A5", "A6")]),
        org.ADOPTION_TEAM,
        base_team[period],
    )
    episodes = {
        "period": period,
        "child": child[period],
        "start": start,
        "end": end,
        "rne": rne,
        "legal": legal,
        "placement": placement,
        "provider": provider,
        "distance": distance,
        "reason": reason,
        "team": team,
    }
    in_house_foster = np.isin(placement, [_PL[c] for c in ("U1", "U2", "U3", "U4", "U5", "U6")]) & (
        provider == _PR["PR1"]
    )

    reviews = _reviews(ctx, ctx.rng("care.reviews"), P, episodes, dob, stop)
    checks = _health_checks(ctx, ctx.rng("care.health"), P, dob, stop)
    visits = _visits(ctx, ctx.rng("care.visits"), P, episodes, stop)
    adoptions = _adoptions(ctx, P)
    return Care(episodes, reviews, checks, adoptions, visits, in_house_foster)


def with_short_breaks(ctx: Context, episodes: dict, breaks: dict) -> dict:
    """The episodes plus one V4 episode (an agreed series of short breaks) per short-break spell of
    a disabled child (not a period of care: the measures leave V4 out)."""
    rng = ctx.rng("care.short_breaks")
    n = len(breaks["child"])
    residential = rng.random(n) < 0.3
    extra = {
        "period": np.full(n, -1),
        "child": breaks["child"],
        "start": breaks["start"],
        "end": breaks["end"],
        "rne": np.full(n, RNE.index("S")),
        "legal": np.full(n, _V4),
        "placement": np.where(residential, _PL["K2"], _PL["U6"]),
        "provider": np.full(n, _PR["PR1"]),
        "distance": np.round(4.0 * np.exp(0.8 * rng.standard_normal(n)), 1),
        "reason": np.full(n, "E8"),
        "team": breaks["team"],
    }
    return {k: np.concatenate([episodes[k], extra[k]]) for k in episodes}


def team_at(episodes: dict, period: np.ndarray, date: np.ndarray) -> np.ndarray:
    row = lookup_interval(period, date, episodes["period"], episodes["start"])
    return np.where(row >= 0, episodes["team"][np.maximum(row, 0)], -1)


def _reviews(ctx: Context, rng, P: dict, episodes: dict, dob: np.ndarray, stop: np.ndarray) -> dict:
    number = [0]  # reviews held so far by each owner still in care (all advance together)

    def first(rng, idx, entry):
        n = len(idx)
        late = rng.random(n) < C.P_CIC_REVIEW_LATE * 3
        return ctx.add_wd(
            entry,
            np.where(
                late,
                rng.integers(21, 31, n),
                rng.integers(C.CIC_FIRST_REVIEW_WD[0], C.CIC_FIRST_REVIEW_WD[1] + 1, n),
            ),
        )

    def following(rng, idx, previous):
        number[0] += 1
        months = 3 if number[0] == 1 else 6
        k = len(idx)
        late = rng.random(k) < C.P_CIC_REVIEW_LATE
        shift = np.where(
            late,
            rng.integers(C.CIC_REVIEW_LATE_DAYS[0], C.CIC_REVIEW_LATE_DAYS[1] + 1, k),
            -rng.integers(C.CIC_REVIEW_EARLY_DAYS[0], C.CIC_REVIEW_EARLY_DAYS[1] + 1, k),
        )
        current = ctx.working(add_months(previous, months) + days(shift))
        # rolling forward to a working day must not make an on-time review late
        due = add_months(previous, months)
        return np.where(~late & (current > due), ctx.add_wd(due, 0), current)

    owner, date = renewal(rng, P["entry"], stop, first, following)
    order = np.lexsort((date, owner))
    owner, date = owner[order], date[order]
    age = age_years(dob[owner], date)
    p = ctx.prob(
        "review_participation", C.P_REVIEW_PARTICIPATION, date, C.REVIEW_PARTICIPATION_DRIFT
    )
    took_part = rng.random(len(date)) < p
    codes = choice(
        rng, list(C.PARTICIPATION_CODES), list(C.PARTICIPATION_CODES.values()), len(date)
    )
    participation = np.where(
        np.nan_to_num(age, nan=10) < 4, "PN0", np.where(took_part, codes, "PN7")
    )
    return {
        "period": owner,
        "child": P["child"][owner],
        "date": date,
        "participation": participation,
        "team": team_at(episodes, owner, date),
    }


def _checks(ctx: Context, rng, P, dob, stop, kind: str) -> tuple[np.ndarray, np.ndarray]:
    if kind == "health":
        base, drift, name = C.P_HEALTH_IN_TIME, C.HEALTH_DRIFT, "health_in_time"
    else:
        base, drift, name = C.P_DENTAL_IN_TIME, C.DENTAL_DRIFT, "dental_in_time"

    def first(rng, idx, entry):
        n = len(idx)
        if kind == "health":
            gap = np.where(
                rng.random(n) < 0.9, rng.uniform(*C.FIRST_HEALTH_DAYS, n), rng.uniform(29, 90, n)
            )
        else:
            gap = rng.uniform(*C.FIRST_DENTAL_DAYS, n)
        return ctx.working(entry + days(gap))

    def following(rng, idx, current):
        k = len(idx)
        if kind == "health":
            months = np.where(np.nan_to_num(age_years(dob[idx], current), nan=10) < 5, 6, 12)
        else:
            months = np.full(k, 12)
        in_time = rng.random(k) < ctx.prob(name, base, current, drift)
        shift = np.where(
            in_time, -rng.uniform(*C.CHECK_EARLY_DAYS, k), rng.uniform(*C.CHECK_LATE_DAYS, k)
        )
        return ctx.working(add_months(current, months) + days(shift))

    return renewal(rng, P["entry"], stop, first, following)


def _health_checks(ctx: Context, rng, P, dob, stop) -> dict:
    h_owner, h_date = _checks(ctx, rng, P, dob, stop, "health")
    d_owner, d_date = _checks(ctx, rng, P, dob, stop, "dental")
    # babies have no dental checks
    baby = np.nan_to_num(age_years(dob[d_owner], d_date), nan=10) < 1
    d_owner, d_date = d_owner[~baby], d_date[~baby]
    owner = np.concatenate([h_owner, d_owner])
    return {
        "period": owner,
        "child": P["child"][owner],
        "date": np.concatenate([h_date, d_date]),
        "dental": np.concatenate([np.zeros(len(h_owner), bool), np.ones(len(d_owner), bool)]),
    }


def _visits(ctx: Context, rng, P, episodes, stop) -> dict:
    origin = ctx.history_start - np.timedelta64(60, "D")
    begin = np.maximum(P["entry"], origin)
    owner, date = renewal(
        rng,
        begin,
        stop,
        lambda rng, idx, start: ctx.working(start + days(rng.uniform(1, 30, len(idx)))),
        lambda rng, idx, previous: ctx.working(
            previous + days(rng.uniform(*C.CIC_VISIT_DAYS, len(idx)))
        ),
    )
    keep = date >= ctx.history_start
    owner, date = owner[keep], date[keep]
    return {
        "child": P["child"][owner],
        "date": date,
        "team": team_at(episodes, owner, date),
        "seen": rng.random(len(date)) < C.P_CIC_VISIT_SEEN,
    }


def _adoptions(ctx: Context, P: dict) -> dict:
    have = ~np.isnat(P["adm"]) & (P["adm"] <= ctx.end)
    idx = np.flatnonzero(have)
    return {
        "period": idx,
        "child": P["child"][idx],
        **{
            k: P[k][idx]
            for k in (
                "adm",
                "po",
                "match",
                "placed",
                "order",
                "reversed",
                "foster_carer",
                "moved_in",
            )
        },
    }

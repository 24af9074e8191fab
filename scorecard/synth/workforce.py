"""Workforce (posts and who fills them over time) and allocations of children to workers.

Each post is a chain of periods: an occupant on a contract (permanent, agency, fixed term,
secondment) or a vacancy, each lasting an exponential time whose mean depends on the contract, so
joiners and leavers happen all the time. Children's cases are cut into *holding segments* (the team
holding the case over time); each segment is split at worker changes and every piece is given a
worker occupying a caseholding post of that team on the piece's first day, ending early if that
worker leaves the post (the rest of the piece goes to another worker).
"""

from __future__ import annotations

import numpy as np

from scorecard.synth import config as C
from scorecard.synth import organisation as org
from scorecard.synth._util import DAY, NAT, Context, add_years, days, uniform_int

ROLES = (
    "social_worker",
    "senior_practitioner",
    "fostering_social_worker",
    "personal_adviser",
    "team_manager",
    "family_support_worker",
)
_SW, _SP, _FSW, _PA, _TM, _FSUP = range(len(ROLES))
CONTRACTS = tuple(C.CONTRACT_TIME_SHARES)
_VACANT = CONTRACTS.index("vacant")
_MONTH = 30.44


def _team_fte(scale: float) -> dict[int, float]:
    fte: dict[int, float] = {}
    for ait, _cic, _dis, share in org.DISTRICTS:
        fte[org.TEAM_INDEX[ait]] = C.FTE_AIT * share * scale
    cic_share: dict[int, float] = {}
    for _ait, cic, _dis, share in org.DISTRICTS:
        cic_share[org.TEAM_INDEX[cic]] = cic_share.get(org.TEAM_INDEX[cic], 0.0) + share
    for team, share in cic_share.items():
        fte[team] = C.FTE_CIC * share * scale
    fte[org.FOSTERING_TEAM] = C.FTE_FOSTERING * scale
    for name, value in C.FTE_OTHER.items():
        fte[org.TEAM_INDEX[name]] = value * scale
    return fte


def posts(ctx: Context) -> dict:
    """The establishment: one row per post (team, role, FTE, caseholding)."""
    rng = ctx.rng("workforce.posts")
    values = np.array(list(C.POST_FTE))
    shares = np.array(list(C.POST_FTE.values()))
    team_l, role_l, fte_l, hold_l = [], [], [], []
    for team, target in sorted(_team_fte(ctx.scale).items()):  # one step per team (23)
        draws = rng.choice(values, size=int(np.ceil(max(target, 1.0) / 0.5)) + 2, p=shares)
        total = np.cumsum(draws)
        count = max(1, int(np.searchsorted(total, max(target, 0.5) - 1e-9)) + 1)
        fte = draws[:count]
        kind = org.TEAM_TYPES[team]
        if kind == "fostering":
            role = np.full(count, _FSW)
        elif kind == "care_leavers":
            role = np.full(count, _PA)
        else:
            role = np.where(rng.random(count) < C.P_SENIOR_PRACTITIONER, _SP, _SW)
        managers = max(1, round(target / 8.0))
        support = (
            round(C.FAMILY_SUPPORT_WORKERS_PER_AIT * ctx.scale)
            if (kind == "assessment_and_family_support")
            else 0
        )
        team_l.append(np.full(count + managers + support, team))
        role_l.append(np.concatenate([role, np.full(managers, _TM), np.full(support, _FSUP)]))
        fte_l.append(np.concatenate([fte, np.ones(managers + support)]))
        # personal advisers hold care leavers' cases but are not social work posts (refs 40-44)
        holds = role != _PA
        hold_l.append(np.concatenate([holds, np.zeros(managers + support, bool)]))
    return {
        "team": np.concatenate(team_l),
        "role": np.concatenate(role_l),
        "fte": np.concatenate(fte_l),
        "caseholding": np.concatenate(hold_l),
    }


def periods(ctx: Context, post: dict) -> dict:
    """Occupancy periods of every post from four years before ``sim_start`` to the end."""
    rng = ctx.rng("workforce.periods")
    n = len(post["team"])
    shares = np.array([C.CONTRACT_TIME_SHARES[c] for c in CONTRACTS])
    means = np.array([C.CONTRACT_MEAN_MONTHS[c] for c in CONTRACTS]) * _MONTH
    origin = ctx.sim_start - np.timedelta64(4 * 365, "D")
    idx = np.arange(n)
    current = origin - days(rng.uniform(0, 3 * 365, n))
    out = {"post": [], "start": [], "end": [], "contract": []}
    while len(idx):  # one step per period number of all posts
        k = len(idx)
        agency = ctx.prob("agency_share", shares[1], current, C.AGENCY_DRIFT)
        weights = np.tile(shares / means, (k, 1))
        weights[:, 1] = agency / means[1]
        weights = weights / weights.sum(axis=1, keepdims=True)
        contract = (rng.random(k)[:, None] > np.cumsum(weights, axis=1)).sum(axis=1)
        contract = np.minimum(contract, len(CONTRACTS) - 1)
        length = np.maximum(rng.exponential(means[contract]), 7)
        end = current + days(length)
        out["post"].append(idx)
        out["start"].append(current)
        out["end"].append(end)
        out["contract"].append(contract)
        alive = end <= ctx.end
        idx, current = idx[alive], end[alive]
    table = {k: np.concatenate(v) for k, v in out.items()}
    keep = table["end"] > ctx.sim_start - np.timedelta64(365, "D")
    table = {k: v[keep] for k, v in table.items()}
    order = np.lexsort((table["start"], table["post"]))
    table = {k: v[order] for k, v in table.items()}
    m = len(table["post"])
    role = post["role"][table["post"]]
    vacant = table["contract"] == _VACANT
    permanent = table["contract"] == CONTRACTS.index("permanent")
    qualified_role = np.isin(role, (_SW, _SP, _TM, _FSW))
    qualified = qualified_role & np.where(
        permanent, rng.random(m) < C.P_QUALIFIED_PERMANENT, rng.random(m) < 0.995
    )
    worker = np.where(vacant, -1, np.cumsum(~vacant) - 1)
    table.update(
        {
            "team": post["team"][table["post"]],
            "role": role,
            "fte": post["fte"][table["post"]],
            "caseholding": post["caseholding"][table["post"]],
            "worker": worker,
            "qualified": qualified,
            "vacant": vacant,
        }
    )
    return table


class WorkerPool:
    """Occupants who hold cases (caseholding posts and personal advisers), by team, for drawing
    the worker of a case on a given day."""

    def __init__(self, wf: dict, lo_date: np.datetime64):
        holds = wf["caseholding"] | (wf["role"] == _PA)
        usable = holds & ~wf["vacant"] & (wf["end"] > lo_date)
        idx = np.flatnonzero(usable)
        order = np.argsort(wf["team"][idx], kind="stable")
        self.rows = idx[order]
        self.team = wf["team"][self.rows]
        self.start = wf["start"][self.rows]
        self.end = wf["end"][self.rows]
        self.worker = wf["worker"][self.rows]
        self.role = wf["role"][self.rows]
        teams = len(org.TEAM_NAMES)
        self.lo = np.searchsorted(self.team, np.arange(teams), side="left")
        self.hi = np.searchsorted(self.team, np.arange(teams), side="right")

    def draw(
        self, rng: np.random.Generator, team: np.ndarray, date: np.ndarray, tries: int = 120
    ) -> np.ndarray:
        """A random occupant in post on ``date`` in ``team`` (position in the pool; -1 if none)."""
        out = np.full(len(team), -1)
        todo = np.flatnonzero(self.hi[team] > self.lo[team])
        for _ in range(tries):  # rejection sampling, all queries at once
            if not len(todo):
                break
            t = team[todo]
            pick = self.lo[t] + np.floor(rng.random(len(todo)) * (self.hi[t] - self.lo[t])).astype(
                np.int64
            )
            ok = (self.start[pick] <= date[todo]) & (self.end[pick] > date[todo])
            out[todo[ok]] = pick[ok]
            todo = todo[~ok]
        return out


def allocate(
    ctx: Context,
    rng: np.random.Generator,
    pool: WorkerPool,
    child: np.ndarray,
    team: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
) -> dict:
    """Allocations covering each holding segment (child, team, [start, end)) with worker changes."""
    kinds = np.array([C.WORKER_CHANGES_PER_YEAR.get(t, 0.3) for t in org.TEAM_TYPES])
    span = (end - start).astype(float)
    k = rng.poisson(kinds[team] * span / 365.25)
    owner = np.repeat(np.arange(len(child)), k)
    cut = start[owner] + days(rng.random(len(owner)) * span[owner])
    # pieces: segment boundaries plus change dates
    p_owner = np.concatenate([np.arange(len(child)), owner])
    p_start = np.concatenate([start, cut])
    order = np.lexsort((p_start, p_owner))
    p_owner, p_start = p_owner[order], p_start[order]
    p_end = np.empty_like(p_start)
    p_end[:-1] = p_start[1:]
    last = np.ones(len(p_owner), bool)
    last[:-1] = p_owner[1:] != p_owner[:-1]
    p_end[last] = end[p_owner[last]]
    keep = p_end > p_start
    p_owner, p_start, p_end = p_owner[keep], p_start[keep], p_end[keep]

    rows = {"child": [], "team": [], "start": [], "end": [], "pick": []}
    for _ in range(50):  # rounds: a piece outlasting its worker continues with another
        if not len(p_owner):
            break
        t = team[p_owner]
        pick = pool.draw(rng, t, p_start)
        found = pick >= 0
        w_end = np.where(found, pool.end[np.maximum(pick, 0)], p_end)
        stop = np.minimum(p_end, w_end)
        rows["child"].append(child[p_owner[found]])
        rows["team"].append(t[found])
        rows["start"].append(p_start[found])
        rows["end"].append(stop[found])
        rows["pick"].append(pick[found])
        # the rest of the piece: after the worker left, or (no worker found) a week later
        nxt = np.where(found, stop, p_start + np.timedelta64(7, "D"))
        more = nxt < p_end
        p_owner, p_start, p_end = p_owner[more], nxt[more], p_end[more]
    out = {k: np.concatenate(v) for k, v in rows.items()}
    out["worker"] = pool.worker[out["pick"]]
    out["role"] = pool.role[out["pick"]]
    return out


def holding_segments(ctx: Context, cases, care, leavers: dict) -> dict:
    """(child, team, start, end, kind) of every spell a team holds a child's case."""
    rng = ctx.rng("workforce.segments")
    R = cases.referrals
    P = cases.periods
    E = care.episodes
    far = ctx.end + DAY
    closure = np.where(np.isnat(R["closure"]) | (R["closure"] > ctx.end), far, R["closure"])
    n = len(R["date"])
    delay = np.where(
        rng.random(n) < C.P_ALLOCATION_DELAY, uniform_int(rng, *C.ALLOCATION_DELAY_DAYS, n), 0
    )
    begin = R["date"] + days(delay)
    period = R["period"]
    has_care = period >= 0
    entry = np.where(has_care, P["entry"][np.maximum(period, 0)], NAT)
    exit_ = np.where(has_care, P["exit"][np.maximum(period, 0)], NAT)
    # before care (or the whole case)
    pre_end = np.where(has_care, np.minimum(entry, closure), closure)
    segs = [(R["child"], R["team"], begin, pre_end, np.where(has_care, -1, 0))]
    # in care: runs of episodes with the same team
    ep_stop = np.where(np.isnat(E["end"]) | (E["end"] > ctx.end), far, E["end"])
    new_run = np.ones(len(E["period"]), bool)
    new_run[1:] = (E["period"][1:] != E["period"][:-1]) | (E["team"][1:] != E["team"][:-1])
    run_start = np.flatnonzero(new_run)
    run_end = np.append(run_start[1:], len(new_run)) - 1
    segs.append(
        (
            E["child"][run_start],
            E["team"][run_start],
            E["start"][run_start],
            ep_stop[run_end],
            np.zeros(len(run_start), np.int64),
        )
    )
    # after care until the case closes
    after = has_care & (exit_ < closure)
    last_team = cases_last_team(E, period[after], exit_[after])
    segs.append(
        (
            R["child"][after],
            last_team,
            exit_[after],
            closure[after],
            np.zeros(after.sum(), np.int64),
        )
    )
    child = np.concatenate([s[0] for s in segs])
    team = np.concatenate([s[1] for s in segs])
    start = np.concatenate([s[2] for s in segs])
    end = np.concatenate([s[3] for s in segs])
    # care leavers aged 18-20: the Care Leaver Service
    adult_from = np.maximum(
        add_years(leavers["dob"], 18), np.where(np.isnat(leavers["exit"]), far, leavers["exit"])
    )
    adult_to = np.minimum(add_years(leavers["dob"], 21), far)
    cl = (leavers["status"] >= 2) & (adult_from < adult_to)
    child = np.concatenate([child, leavers["child"][cl]])
    team = np.concatenate([team, np.full(cl.sum(), org.CARE_LEAVERS_TEAM)])
    start = np.concatenate([start, adult_from[cl]])
    end = np.concatenate([end, adult_to[cl]])
    start = np.maximum(start, ctx.sim_start)
    keep = (end > start) & (start <= ctx.end)
    return {"child": child[keep], "team": team[keep], "start": start[keep], "end": end[keep]}


def cases_last_team(E: dict, period: np.ndarray, exit_: np.ndarray) -> np.ndarray:
    from scorecard.synth.care import team_at

    return team_at(E, period, exit_ - DAY)


def fostering_segments(ctx: Context, care) -> dict:
    """Children in council foster placements co-allocated to a fostering social worker."""
    rng = ctx.rng("workforce.fostering")
    E = care.episodes
    far = ctx.end + DAY
    chosen = care.in_house_foster & (rng.random(len(E["period"])) < C.P_FOSTERING_WORKER)
    start = np.maximum(E["start"][chosen], ctx.sim_start)
    end = np.where(np.isnat(E["end"][chosen]) | (E["end"][chosen] > ctx.end), far, E["end"][chosen])
    keep = (end > start) & (start <= ctx.end)
    return {
        "child": E["child"][chosen][keep],
        "team": np.full(keep.sum(), org.FOSTERING_TEAM),
        "start": start[keep],
        "end": end[keep],
    }


def allocations(ctx: Context, cases, care, leavers: dict, wf: dict) -> dict:
    pool = WorkerPool(wf, ctx.sim_start - np.timedelta64(30, "D"))
    rng = ctx.rng("workforce.allocations")
    parts = []
    for seg in (holding_segments(ctx, cases, care, leavers), fostering_segments(ctx, care)):
        parts.append(allocate(ctx, rng, pool, seg["child"], seg["team"], seg["start"], seg["end"]))
    out = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    out["end"] = np.where(out["end"] > ctx.end, NAT, out["end"])
    return out

"""Care leavers (the SSDA903 OC3 population) and the contacts kept with them around birthdays.

A young person is a care leaver when their latest period of care included at least 13 weeks after
their 14th birthday and ended at 16 or over (former relevant; still in care at 16-17: eligible;
leaving under a special guardianship or residence order: qualifying).
"""

from __future__ import annotations

import numpy as np

from scorecard.synth import config as C
from scorecard.synth import organisation as org
from scorecard.synth._util import (
    Context,
    add_months,
    add_years,
    age_years,
    choice,
    days,
)

ELIGIBILITY = ("eligible", "relevant", "former_relevant", "qualifying")
_SGO_REASONS = ("E41", "E45", "E46", "E47", "E48")


def care_leavers(ctx: Context, cases, care) -> dict:
    P = cases.periods
    ch = cases.children
    child = P["child"]
    dob = ch.dob[child]
    bday14, bday16 = add_years(dob, 14), add_years(dob, 16)
    left = P["exit"] <= ctx.end
    until = np.where(left, P["exit"], ctx.end)
    after_14 = (until - np.maximum(P["entry"], bday14)).astype(np.int64)
    thirteen_weeks = after_14 >= 91
    at_16 = until >= bday16
    in_care_16_17 = ~left & at_16 & (age_years(dob, np.full(len(dob), ctx.end)) < 18)
    sgo = np.isin(P["reason"], _SGO_REASONS)
    died = P["reason"] == "E2"
    former = left & at_16 & thirteen_weeks & ~sgo & ~died
    qualifying = left & at_16 & ~died & (sgo | ~thirteen_weeks)
    eligible = in_care_16_17 & thirteen_weeks
    status = np.select([former, qualifying, eligible], [2, 3, 0], -1)
    # the latest period of each child decides
    cand = np.flatnonzero(status >= 0)
    order = np.lexsort((P["entry"][cand], child[cand]))
    cand = cand[order]
    last = np.ones(len(cand), bool)
    last[:-1] = child[cand][1:] != child[cand][:-1]
    cand = cand[last]
    # relevant to the history: a 17th-21st birthday on or after a year before history_start
    relevant = add_years(dob[cand], 22) >= ctx.history_start - np.timedelta64(365, "D")
    cand = cand[relevant]
    kid = child[cand]
    adult = age_years(dob[cand], np.full(len(cand), ctx.end)) >= 18
    last_team = org.care_team(ch.district[kid], ch.disabled[kid], ch.uasc[kid])
    team = np.where(adult, org.CARE_LEAVERS_TEAM, last_team)
    return {
        "period": cand,
        "child": kid,
        "status": status[cand],
        "team": team,
        "exit": np.where(left[cand], P["exit"][cand], np.datetime64("NaT")),
        "dob": dob[cand],
    }


def contacts(ctx: Context, leavers: dict) -> dict:
    rng = ctx.rng("leavers.contacts")
    n = len(leavers["child"])
    ages = np.arange(17, 22)
    owner = np.repeat(np.arange(n), len(ages))
    age = np.tile(ages, n)
    birthday = add_years(leavers["dob"][owner], age)
    wanted = (birthday >= ctx.history_start - np.timedelta64(365, "D")) & (
        birthday <= ctx.end + np.timedelta64(40, "D")
    )
    wanted &= leavers["status"][owner] != 0  # still in care: no OC3 contact yet
    owner, birthday = owner[wanted], birthday[wanted]
    m = len(owner)
    recorded = rng.random(m) < C.P_BIRTHDAY_CONTACT
    outside = rng.random(m) < C.P_CONTACT_OUTSIDE_WINDOW
    window_start = add_months(birthday, -3)
    window_end = add_months(birthday, 1)
    inside_date = window_start + days(rng.random(m) * (window_end - window_start).astype(float))
    outside_date = np.where(
        rng.random(m) < 0.5,
        window_start - days(rng.uniform(5, 60, m)),
        window_end + days(rng.uniform(5, 90, m)),
    )
    date = np.where(outside, outside_date, inside_date)
    owner, date = owner[recorded], date[recorded]
    # contacts between birthdays
    start = np.maximum(
        np.where(np.isnat(leavers["exit"]), ctx.end, leavers["exit"]),
        ctx.history_start - np.timedelta64(365, "D"),
    )
    stop = np.minimum(add_years(leavers["dob"], 21), ctx.end)
    years = np.maximum((stop - start).astype(float), 0) / 365.25
    k = rng.poisson(C.OTHER_CONTACTS_PER_YEAR * years)
    extra_owner = np.repeat(np.arange(n), k)
    extra_date = start[extra_owner] + days(
        rng.random(len(extra_owner)) * (stop - start)[extra_owner].astype(float)
    )
    is_birthday = np.concatenate([np.ones(len(owner), bool), np.zeros(len(extra_owner), bool)])
    owner = np.concatenate([owner, extra_owner])
    date = np.concatenate([date, extra_date])
    keep = date <= ctx.end
    owner, date, is_birthday = owner[keep], date[keep], is_birthday[keep]
    m = len(owner)

    codes = list(C.IN_TOUCH_SHARES)
    shares = np.array(list(C.IN_TOUCH_SHARES.values()))
    p_yes = ctx.prob("care_leaver_in_touch", shares[0], date, C.CARE_LEAVER_DRIFT)
    yes = rng.random(m) < np.where(is_birthday, p_yes, C.P_OTHER_CONTACT_IN_TOUCH)
    others = choice(rng, codes[1:], shares[1:], m)
    in_touch = np.where(yes, "YES", others)
    suitable = rng.random(m) < C.P_SUITABLE_IF_IN_TOUCH
    accommodation = np.where(
        suitable,
        choice(rng, list(C.ACCOMMODATION_SUITABLE), list(C.ACCOMMODATION_SUITABLE.values()), m),
        choice(rng, list(C.ACCOMMODATION_UNSUITABLE), list(C.ACCOMMODATION_UNSUITABLE.values()), m),
    )
    accommodation_known = yes & (rng.random(m) < 0.985)
    eet = rng.random(m) < C.P_EET_IF_IN_TOUCH
    activity = np.where(
        eet,
        choice(rng, list(C.ACTIVITY_EET), list(C.ACTIVITY_EET.values()), m),
        choice(rng, list(C.ACTIVITY_NEET), list(C.ACTIVITY_NEET.values()), m),
    )
    activity_known = yes & (rng.random(m) < 0.985)
    order = np.lexsort((date, owner))
    return {
        "child": leavers["child"][owner][order],
        "date": date[order],
        "in_touch": in_touch[order],
        "accommodation": np.where(accommodation_known, accommodation, "")[order],
        "suitable": suitable[order],
        "suitable_blank": ~accommodation_known[order],
        "activity": np.where(activity_known, activity, "")[order],
    }

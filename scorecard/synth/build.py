"""Run every stage and assemble the canonical extracts (one DataFrame per extract).

The flows are simulated from ``sim_start`` (two years before ``history_start``) so that stocks and
look-backs are in place; the extracts hold what a case management system extract taken at the end
of the last month would: every case open on or after ``history_start`` (1 April, four financial
years before the last month) with all its records, children already in care then with their whole
period of care (reviews and checks included, as ref 24 needs them), and events dated up to the end
of the last month. Cases closed before ``history_start`` are left out.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scorecard.extracts.schemas import SPECS

if TYPE_CHECKING:
    from scorecard.extracts.manifest import Manifest
from scorecard.synth import care as care_mod
from scorecard.synth import organisation as org
from scorecard.synth import plans, quality, workforce
from scorecard.synth._util import (
    DAY,
    NAT,
    Context,
    add_years,
    censor,
    date_column,
    flag_column,
    ids,
    labels,
    optional_ids,
    text,
)
from scorecard.synth.cases import simulate_cases
from scorecard.synth.leavers import ELIGIBILITY, care_leavers, contacts
from scorecard.synth.population import population_table, single_assessments
from scorecard.synth.private_fostering import private_fostering

#: Identifier prefixes (two letters + 10 digits).
PREFIX = {
    "child": "CH",
    "referral": "RF",
    "assessment": "AS",
    "cin_plan": "CN",
    "s47": "SE",
    "cp_plan": "CP",
    "cp_review": "CR",
    "visit": "VI",
    "allocation": "AL",
    "episode": "EP",
    "cic_review": "RV",
    "health_check": "HC",
    "adoption": "AD",
    "contact": "CT",
    "arrangement": "PF",
    "audit": "QA",
    "post": "PO",
    "worker": "SW",
}


def _frame(name: str, columns: dict[str, pd.Series]) -> pd.DataFrame:
    return pd.DataFrame({c: columns[c] for c in SPECS[name].columns})


def _team(codes: np.ndarray) -> pd.Series:
    return labels(org.TEAM_NAMES, codes)


def _child_id(idx: np.ndarray) -> pd.Series:
    return ids(PREFIX["child"], idx)


def generate(
    scale: float = 1.0, seed: int = 2015, last_month: str = "2015-05"
) -> dict[str, pd.DataFrame]:
    """Synthetic case-level extracts of a Kent-sized authority (``scale=1``) up to ``last_month``.

    Returns ``organisation`` and every canonical extract (in :data:`SPECS` order) as DataFrames in
    canonical form (string ids, ``datetime64[ns]`` dates, ``bool``/``boolean`` flags), ready for
    :func:`scorecard.extracts.validate_extracts`. The same ``seed`` gives identical frames;
    ``scale`` multiplies every volume (0.1 for tests, 1 = Kent, 60 = a stress test).
    """
    if not scale > 0:
        raise ValueError("scale must be positive")
    ctx = Context(int(seed), float(scale), pd.Period(last_month, "M"))
    end, since = ctx.end, ctx.history_start
    out: dict[str, pd.DataFrame] = {"organisation": org.organisation_table()}

    cases = simulate_cases(ctx)
    care = care_mod.build_care(ctx, cases)
    leavers = care_leavers(ctx, cases, care)
    arrangements, pf_visits = private_fostering(ctx, cases.children)  # adds PF children
    R, P, E = cases.referrals, cases.periods, care.episodes
    N, CPp, S = cases.cin_plans, cases.cp_plans, cases.s47
    used = np.zeros(len(cases.children), dtype=bool)  # children referenced by the extracts

    # Cases in the extract: open on or after history_start (closure dates are never missing in the
    # simulation; they may lie after the end, i.e. still open).
    ref_keep = R["closure"] >= since
    used[R["child"][ref_keep]] = True
    period_keep = ref_keep[P["referral"]] & (P["entry"] <= end)

    # ---- the largest extracts first, releasing their working arrays once built -------------------
    wf = workforce.periods(ctx, workforce.posts(ctx))
    allocs = workforce.allocations(ctx, cases, care, leavers, wf)
    keep = np.isnat(allocs["end"]) | (allocs["end"] >= since)
    used[allocs["child"][keep]] = True
    out["allocations"] = _allocations({k: v[keep] for k, v in allocs.items()})
    del allocs, keep

    pf_keep = (arrangements["notified"] >= since) | (
        ~np.isnat(arrangements["start"])
        & (np.isnat(arrangements["end"]) | (arrangements["end"] >= since))
    )
    used[arrangements["child"][pf_keep]] = True
    pf_visits = {k: v[pf_keep[pf_visits["arrangement"]]] for k, v in pf_visits.items()}

    cp_reviews = plans.cp_reviews(ctx, cases)
    cin_visits = plans.cin_visits(ctx, cases)
    cp_visits = plans.cp_visits(ctx, cases)
    parts = (
        (
            R["child"][N["referral"][cin_visits["plan"]]],
            N["team"][cin_visits["plan"]],
            0,
            cin_visits["date"],
            cin_visits["seen"],
            None,
        ),
        (
            R["child"][CPp["referral"][cp_visits["plan"]]],
            CPp["team"][cp_visits["plan"]],
            1,
            cp_visits["date"],
            cp_visits["seen"],
            None,
        ),
        (
            care.visits["child"],
            care.visits["team"],
            2,
            care.visits["date"],
            care.visits["seen"],
            None,
        ),
        (
            pf_visits["child"],
            pf_visits["team"],
            3,
            pf_visits["date"],
            pf_visits["seen"],
            pf_visits["arrangement"],
        ),
    )
    del cin_visits, cp_visits
    care.visits = {}
    out["visits"] = _visits(parts)
    del parts

    # ---- case records ----------------------------------------------------------------------------
    ref_team = _current_team(ctx, R, P, E)
    audits = quality.quality_audits(ctx, cases, care, _known_s47(ctx, S), cp_reviews, ref_team)
    idx = np.flatnonzero(ref_keep)
    out["referrals"] = _frame(
        "referrals",
        {
            "referral_id": ids(PREFIX["referral"], idx),
            "child_id": _child_id(R["child"][idx]),
            "team": _team(ref_team[idx]),
            "referral_date": date_column(R["date"][idx]),
            "closure_date": date_column(censor(R["closure"][idx], end)),
        },
    )

    A = cases.assessments
    idx = np.flatnonzero((A["start"] <= end) & ref_keep[A["referral"]])
    out["assessments"] = _frame(
        "assessments",
        {
            "assessment_id": ids(PREFIX["assessment"], idx),
            "child_id": _child_id(R["child"][A["referral"][idx]]),
            "team": _team(A["team"][idx]),
            "referral_id": ids(PREFIX["referral"], A["referral"][idx]),
            "start_date": date_column(A["start"][idx]),
            "authorised_date": date_column(censor(A["authorised"][idx], end)),
            "child_seen": flag_column(A["seen"][idx], A["seen_blank"][idx]),
            "child_missing": flag_column(A["missing"][idx], A["missing_blank"][idx]),
        },
    )

    idx = np.flatnonzero((N["start"] <= end) & ref_keep[N["referral"]])
    out["cin_plans"] = _frame(
        "cin_plans",
        {
            "cin_plan_id": ids(PREFIX["cin_plan"], idx),
            "child_id": _child_id(R["child"][N["referral"][idx]]),
            "team": _team(N["team"][idx]),
            "referral_id": ids(PREFIX["referral"], N["referral"][idx]),
            "start_date": date_column(N["start"][idx]),
            "end_date": date_column(censor(N["end"][idx], end)),
        },
    )

    known = _known_s47(ctx, S)
    idx = np.flatnonzero((S["start"] <= end) & ref_keep[S["referral"]])
    icpc = known["icpc"][idx]
    out["s47_enquiries"] = _frame(
        "s47_enquiries",
        {
            "s47_id": ids(PREFIX["s47"], idx),
            "child_id": _child_id(R["child"][S["referral"][idx]]),
            "team": _team(S["team"][idx]),
            "referral_id": ids(PREFIX["referral"], S["referral"][idx]),
            "start_date": date_column(S["start"][idx]),
            "completed_date": date_column(censor(S["completed"][idx], end)),
            "child_seen": flag_column(S["seen"][idx], S["seen_blank"][idx]),
            "icpc_date": date_column(icpc),
            "icpc_outcome_cp_plan": flag_column(S["plan"][idx], np.isnat(icpc)),
        },
    )

    plan_keep = (CPp["start"] <= end) & ref_keep[CPp["referral"]]
    idx = np.flatnonzero(plan_keep)
    out["cp_plans"] = _frame(
        "cp_plans",
        {
            "cp_plan_id": ids(PREFIX["cp_plan"], idx),
            "child_id": _child_id(R["child"][CPp["referral"][idx]]),
            "team": _team(CPp["team"][idx]),
            "referral_id": ids(PREFIX["referral"], CPp["referral"][idx]),
            "start_date": date_column(CPp["start"][idx]),
            "end_date": date_column(censor(CPp["end"][idx], end)),
        },
    )
    idx = np.flatnonzero(plan_keep[cp_reviews["plan"]])
    plan = cp_reviews["plan"][idx]
    out["cp_reviews"] = _frame(
        "cp_reviews",
        {
            "cp_review_id": ids(PREFIX["cp_review"], idx),
            "cp_plan_id": ids(PREFIX["cp_plan"], plan),
            "child_id": _child_id(R["child"][CPp["referral"][plan]]),
            "review_date": date_column(cp_reviews["date"][idx]),
        },
    )

    # ---- children in care --------------------------------------------------------------------------
    EP = care_mod.with_short_breaks(ctx, E, cases.short_breaks)
    in_kept = np.where(EP["period"] >= 0, period_keep[np.maximum(EP["period"], 0)], False)
    breaks = EP["period"] < 0
    in_kept[breaks] = ref_keep[cases.short_breaks["referral"]]
    idx = np.flatnonzero((EP["start"] <= end) & in_kept)
    ep_end = censor(EP["end"][idx], end)
    out["cic_episodes"] = _frame(
        "cic_episodes",
        {
            "episode_id": ids(PREFIX["episode"], idx),
            "child_id": _child_id(EP["child"][idx]),
            "team": _team(EP["team"][idx]),
            "start_date": date_column(EP["start"][idx]),
            "end_date": date_column(ep_end),
            "reason_new_episode": labels(care_mod.RNE, EP["rne"][idx]),
            "legal_status": labels(care_mod.LEGAL, EP["legal"][idx]),
            "placement_type": labels(care_mod.PLACEMENT_CODES, EP["placement"][idx]),
            "placement_provider": labels(care_mod.PROVIDERS, EP["provider"][idx]),
            "reason_ceased": text(np.where(np.isnat(ep_end), "", EP["reason"][idx])),
            "distance_miles": pd.Series(EP["distance"][idx].astype(float)),
        },
    )
    del EP

    rv = care.reviews
    idx = np.flatnonzero(period_keep[rv["period"]])
    out["cic_reviews"] = _frame(
        "cic_reviews",
        {
            "cic_review_id": ids(PREFIX["cic_review"], idx),
            "child_id": _child_id(rv["child"][idx]),
            "team": _team(rv["team"][idx]),
            "review_date": date_column(rv["date"][idx]),
            "participation": text(rv["participation"][idx]),
        },
    )

    hc = care.health_checks
    idx = np.flatnonzero(period_keep[hc["period"]])
    out["health_checks"] = _frame(
        "health_checks",
        {
            "health_check_id": ids(PREFIX["health_check"], idx),
            "child_id": _child_id(hc["child"][idx]),
            "check_type": labels(
                ("health_assessment", "dental"), hc["dental"][idx].astype(np.int8)
            ),
            "check_date": date_column(hc["date"][idx]),
        },
    )

    ad = care.adoptions
    idx = np.flatnonzero(period_keep[ad["period"]])
    out["adoptions"] = _frame(
        "adoptions",
        {
            "adoption_id": ids(PREFIX["adoption"], idx),
            "child_id": _child_id(ad["child"][idx]),
            "team": _team(np.full(len(idx), org.ADOPTION_TEAM)),
            "should_be_placed_date": date_column(censor(ad["adm"][idx], end)),
            "placement_order_date": date_column(censor(ad["po"][idx], end)),
            "match_date": date_column(censor(ad["match"][idx], end)),
            "placed_for_adoption_date": date_column(censor(ad["placed"][idx], end)),
            "adoption_order_date": date_column(censor(ad["order"][idx], end)),
            "decision_reversed_date": date_column(censor(ad["reversed"][idx], end)),
            "foster_carer_adoption": flag_column(ad["foster_carer"][idx]),
            "moved_in_with_carer_date": date_column(censor(ad["moved_in"][idx], end)),
        },
    )

    # ---- care leavers, private fostering, quality, workforce -----------------------------------------
    used[leavers["child"]] = True
    out["care_leavers"] = _frame(
        "care_leavers",
        {
            "child_id": _child_id(leavers["child"]),
            "team": _team(leavers["team"]),
            "eligibility": labels(ELIGIBILITY, leavers["status"]),
        },
    )
    ct = contacts(ctx, leavers)
    out["care_leaver_contacts"] = _frame(
        "care_leaver_contacts",
        {
            "contact_id": ids(PREFIX["contact"], np.arange(len(ct["date"]))),
            "child_id": _child_id(ct["child"]),
            "contact_date": date_column(ct["date"]),
            "in_touch": text(ct["in_touch"]),
            "accommodation_type": text(ct["accommodation"]),
            "accommodation_suitable": flag_column(ct["suitable"], ct["suitable_blank"]),
            "activity": text(ct["activity"]),
        },
    )

    pf = arrangements
    idx = np.flatnonzero(pf_keep)
    out["pf_arrangements"] = _frame(
        "pf_arrangements",
        {
            "arrangement_id": ids(PREFIX["arrangement"], idx),
            "child_id": _child_id(pf["child"][idx]),
            "team": _team(pf["team"][idx]),
            "notification_date": date_column(pf["notified"][idx]),
            "initial_visit_date": date_column(pf["initial"][idx]),
            "start_date": date_column(pf["start"][idx]),
            "end_date": date_column(pf["end"][idx]),
        },
    )

    used[audits["child"]] = True
    out["quality_audits"] = _frame(
        "quality_audits",
        {
            "audit_id": ids(PREFIX["audit"], np.arange(len(audits["type"]))),
            "audit_type": labels(("case_file", "cp_report", "care_plan"), audits["type"]),
            "team": _team(audits["team"]),
            "child_id": _child_id(audits["child"]),
            "due_date": date_column(audits["due"]),
            "completed_date": date_column(audits["completed"]),
            "rating": labels(quality.RATINGS, audits["rating"]),
        },
    )

    idx = np.flatnonzero(wf["end"] >= since)
    out["workforce"] = _frame(
        "workforce",
        {
            "post_id": ids(PREFIX["post"], wf["post"][idx]),
            "start_date": date_column(wf["start"][idx]),
            "end_date": date_column(censor(wf["end"][idx], end)),
            "team": _team(wf["team"][idx]),
            "role": labels(workforce.ROLES, wf["role"][idx]),
            "caseholding": pd.Series(wf["caseholding"][idx]),
            "fte": pd.Series(wf["fte"][idx].astype(float)),
            "contract": labels(workforce.CONTRACTS, wf["contract"][idx]),
            "worker_id": optional_ids(PREFIX["worker"], wf["worker"][idx]),
            "qualified_social_worker": flag_column(wf["qualified"][idx], wf["vacant"][idx]),
        },
    )

    ch = cases.children
    idx = np.flatnonzero(used)
    dob = ch.dob[idx]
    unborn = dob > end
    bday18 = add_years(dob, 18)
    uasc = ch.uasc[idx]
    out["children"] = _frame(
        "children",
        {
            "child_id": _child_id(idx),
            "date_of_birth": date_column(np.where(unborn, NAT, dob)),
            "expected_date_of_birth": date_column(ch.edd[idx]),
            "sex": labels(("M", "F", "U"), np.where(unborn, 2, np.where(ch.male[idx], 0, 1))),
            "uasc": pd.Series(uasc),
            "uasc_ceased_date": date_column(np.where(uasc & (bday18 <= end), bday18, NAT)),
            "disabled": flag_column(ch.disabled[idx], ch.disability_unknown[idx]),
        },
    )
    # deterministic (no draw from the random streams): the other extracts do not depend on it
    last = ctx.last_month
    last_year = last.year if last.month >= 4 else last.year - 1  # its financial year's mid-year
    out["population"] = population_table(pd.Timestamp(ctx.history_start).year, last_year, ctx.scale)
    # the simulated assessments are single (child and family) assessments throughout
    out["assessment_types"] = single_assessments(out["assessments"])
    order = ["organisation", *(name for name in SPECS if name != "organisation")]
    return {name: out[name] for name in order}


def _current_team(ctx: Context, R: dict, P: dict, E: dict) -> np.ndarray:
    """The team holding each case now (or when it closed): in care, the latest episode's team."""
    team = R["team"].copy()
    in_care = np.flatnonzero(R["period"] >= 0)
    period = R["period"][in_care]
    when = np.minimum(P["exit"][period] - DAY, ctx.end)
    found = care_mod.team_at(E, period, when)
    ok = (P["entry"][period] <= ctx.end) & (found >= 0)
    team[in_care[ok]] = found[ok]
    return team


def _known_s47(ctx: Context, s47: dict) -> dict:
    """Section 47 records as known at the end of the extract (future conferences not held yet)."""
    out = dict(s47)
    out["icpc"] = censor(s47["icpc"], ctx.end)
    return out


def _allocations(allocs: dict) -> pd.DataFrame:
    return _frame(
        "allocations",
        {
            "allocation_id": ids(PREFIX["allocation"], np.arange(len(allocs["child"]))),
            "child_id": _child_id(allocs["child"]),
            "worker_id": ids(PREFIX["worker"], allocs["worker"]),
            "team": _team(allocs["team"]),
            "start_date": date_column(allocs["start"]),
            "end_date": date_column(allocs["end"]),
            "worker_role": labels(workforce.ROLES, allocs["role"]),
        },
    )


def _visits(parts) -> pd.DataFrame:
    """CIN, CP, CIC and PF visits: parts of (child, team, type, date, seen, arrangement or None).
    Not sorted (sorting tens of millions of rows costs more than it is worth)."""
    date = np.concatenate([p[3] for p in parts])

    def column(i: int) -> np.ndarray:
        return np.concatenate([p[i] for p in parts])

    kind = np.concatenate([np.full(len(p[3]), p[2], dtype=np.int8) for p in parts])
    # only PF visits (the last part) name an arrangement
    arrangement = np.full(len(date), -1, dtype=np.int32)
    arrangement[len(date) - len(parts[-1][3]) :] = parts[-1][5]
    return _frame(
        "visits",
        {
            "visit_id": ids(PREFIX["visit"], np.arange(len(date))),
            "child_id": _child_id(column(0)),
            "team": _team(column(1)),
            "visit_type": labels(("CIN", "CP", "CIC", "PF"), kind),
            "visit_date": date_column(date),
            "child_seen": pd.Series(column(4)),
            "arrangement_id": optional_ids(PREFIX["arrangement"], arrangement),
        },
    )


def write(
    folder: str | os.PathLike[str],
    scale: float = 1.0,
    seed: int = 2015,
    last_month: str = "2015-05",
    *,
    file_format: str = "csv",
) -> list[Path]:
    """Generate and write the extracts (and ``organisation``) as ``<name>.csv`` / ``.parquet``
    files with :func:`scorecard.extracts.write_extracts`. Returns the paths written."""
    from scorecard.extracts import Extracts, write_extracts

    frames = generate(scale=scale, seed=seed, last_month=last_month)
    made = synthetic_manifest(scale=scale, seed=seed, last_month=last_month)
    return write_extracts(Extracts(**frames, manifest=made), folder, file_format=file_format)


def synthetic_manifest(
    scale: float = 1.0, seed: int = 2015, last_month: str = "2015-05"
) -> Manifest:
    """The manifest of :func:`generate`'s extracts: taken at the end of ``last_month``, complete
    from ``history_start`` (1 April four financial years before it: every case open on or after
    that day is in the extracts with all its records)."""
    from scorecard.extracts.manifest import Manifest

    ctx = Context(int(seed), float(scale), pd.Period(last_month, "M"))
    return Manifest(
        extraction_date=pd.Timestamp(ctx.end).date(),
        first_date_covered=pd.Timestamp(ctx.history_start).date(),
        source=f"synthetic: python -m scorecard.synth --seed {seed} --scale {scale} "
        f"--last-month {last_month}",
    )

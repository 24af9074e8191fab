"""Plain reference implementations of the case-work measures (refs 1-7, 11-18 and 35-39).

Each function here is written from the counting rule in ``docs/indicators.md``, not from the
engine: a loop over the reporting months, and inside it a loop over the records with the rule's
conditions spelt out one by one. No kernels, no binary search, no integer keys, no shared frames;
the calendar is recomputed from first principles (``dateutil.relativedelta`` for calendar months,
the ``holidays`` library's England bank holidays and a day-by-day count for working days). Slow,
and meant to be: it is the obviously-correct side of the comparison in
``tests/reference/test_reference_cases.py``.

Every function takes validated extracts and a list of reporting months (``"YYYY-MM"``) and returns
its record-level rows, as the engine's measures do: one row per record in the denominator (per
counted record for a count) and month, with ``month`` (monthly Period), ``team`` (the team the
record counts in), ``record_id``, ``numerator`` and ``denominator`` (missing for a count).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from scorecard.extracts import Extracts
from tests.reference.plain_calendar import (  # noqa: F401 (read by the tests too)
    add_months,
    add_working_days,
    blank,
    day,
    in_ytd,
    is_open,
    is_working_day,
    month_end,
    snapshot,
    working_days,
    ytd_start,
)


def flag(value: object) -> bool:
    """A recorded True; blank (not recorded) and False are False."""
    return not blank(value) and bool(value)


# --------------------------------------------------------------------------------------------------
# Reading extracts as plain records
# --------------------------------------------------------------------------------------------------

DATE_COLUMNS = {
    "referral_date", "closure_date", "start_date", "end_date", "authorised_date", "visit_date",
    "review_date", "completed_date", "icpc_date", "due_date", "date_of_birth",
    "expected_date_of_birth",
}  # fmt: skip


def rows(extracts: Extracts, name: str) -> list[dict]:
    """The extract as a list of dicts: dates as ``datetime.date`` (None when blank), missing
    values as None."""
    frame = extracts.get(name)
    if frame is None:
        return []
    out = []
    for record in frame.to_dict("records"):
        clean = {}
        for key, value in record.items():
            if key in DATE_COLUMNS:
                clean[key] = day(value)
            elif blank(value):
                clean[key] = None
            else:
                clean[key] = value
        out.append(clean)
    return out


def record_rows(found: list[tuple]) -> pd.DataFrame:
    """The record-level rows: ``month`` (monthly Period), ``team``, ``record_id``, ``numerator``,
    ``denominator`` (missing for a count)."""
    frame = pd.DataFrame(found, columns=["month", "team", "record_id", "numerator", "denominator"])
    frame["month"] = pd.PeriodIndex(frame["month"], freq="M")
    frame["numerator"] = frame["numerator"].astype(float)
    frame["denominator"] = frame["denominator"].astype(float)
    return frame


Plain = Callable[[Extracts, list[str]], pd.DataFrame]

# --------------------------------------------------------------------------------------------------
# Referral and assessments (refs 1-4)
# --------------------------------------------------------------------------------------------------


def re_referrals_12m(extracts: Extracts, months: list[str]) -> pd.DataFrame:
    """Ref 1: referrals in the YTD period; numerator when the same child has another referral
    dated strictly earlier and on or after 12 calendar months before."""
    referrals = rows(extracts, "referrals")
    found = []
    for month in months:
        for r in referrals:
            if not in_ytd(r["referral_date"], month):
                continue
            boundary = add_months(r["referral_date"], -12)
            repeat = any(
                other["child_id"] == r["child_id"]
                and other["referral_id"] != r["referral_id"]
                and boundary <= other["referral_date"] < r["referral_date"]
                for other in referrals
            )
            found.append((month, r["team"], r["referral_id"], repeat, 1))
    return record_rows(found)


def assessments_within_45_wd(extracts: Extracts, months: list[str]) -> pd.DataFrame:
    """Ref 2: assessments authorised in the YTD period; numerator when authorised at most 45
    working days after the start."""
    found = []
    for month in months:
        for a in rows(extracts, "assessments"):
            if not in_ytd(a["authorised_date"], month):
                continue
            in_time = working_days(a["start_date"], a["authorised_date"]) <= 45
            found.append((month, a["team"], a["assessment_id"], in_time, 1))
    return record_rows(found)


def assessments_overdue(extracts: Extracts, months: list[str]) -> pd.DataFrame:
    """Ref 3: count of assessments in progress on the snapshot date (started on or before it, not
    authorised by it) with more than 45 working days from the start to the snapshot date."""
    found = []
    for month in months:
        on = snapshot(month)
        for a in rows(extracts, "assessments"):
            if not is_open(a["start_date"], a["authorised_date"], on):
                continue
            if working_days(a["start_date"], on) > 45:
                found.append((month, a["team"], a["assessment_id"], 1, None))
    return record_rows(found)


def _unborn_at(child: dict | None, start: dt.date) -> bool:
    """No date of birth, or born after the start date."""
    return child is None or child["date_of_birth"] is None or child["date_of_birth"] > start


def assessments_child_seen(extracts: Extracts, months: list[str]) -> pd.DataFrame:
    """Ref 4: assessments authorised in the YTD period, leaving out unborn children and those
    recorded missing; numerator when the child was seen (blank = not seen)."""
    children = {c["child_id"]: c for c in rows(extracts, "children")}
    found = []
    for month in months:
        for a in rows(extracts, "assessments"):
            if not in_ytd(a["authorised_date"], month):
                continue
            if _unborn_at(children.get(a["child_id"]), a["start_date"]):
                continue
            if flag(a["child_missing"]):
                continue
            found.append((month, a["team"], a["assessment_id"], flag(a["child_seen"]), 1))
    return record_rows(found)


# --------------------------------------------------------------------------------------------------
# Children in need (refs 5-7)
# --------------------------------------------------------------------------------------------------

SHORT_BREAKS = ("V3", "V4")


def _latest(candidates: list[dict], date: str, record_id: str) -> dict:
    """The record with the latest date, ties broken by the highest id (as text)."""
    return max(candidates, key=lambda r: (r[date], r[record_id]))


def _on_cp_plan(child: str, cp_plans: list[dict], on: dt.date) -> bool:
    return any(
        p["child_id"] == child and is_open(p["start_date"], p["end_date"], on) for p in cp_plans
    )


def _looked_after(child: str, episodes: list[dict], on: dt.date) -> bool:
    """A CIC episode other than a short break open on the day."""
    return any(
        e["child_id"] == child
        and e["legal_status"] not in SHORT_BREAKS
        and is_open(e["start_date"], e["end_date"], on)
        for e in episodes
    )


def _assessed(referral: dict, assessments: list[dict], on: dt.date) -> bool:
    """An assessment of this episode authorised on or before the day: it records the referral,
    or records none and is the child's, started on or after the referral date."""
    for a in assessments:
        if a["authorised_date"] is None or a["authorised_date"] > on:
            continue
        if a["referral_id"] == referral["referral_id"]:
            return True
        if (
            a["referral_id"] is None
            and a["child_id"] == referral["child_id"]
            and a["start_date"] >= referral["referral_date"]
        ):
            return True
    return False


def cin_with_plan(extracts: Extracts, months: list[str]) -> pd.DataFrame:
    """Ref 5: per child, the latest open referral (not on a CP plan, not looked after) with an
    authorised assessment of that episode by the snapshot; numerator when a CIN plan is open."""
    referrals = rows(extracts, "referrals")
    assessments = rows(extracts, "assessments")
    cin_plans = rows(extracts, "cin_plans")
    cp_plans = rows(extracts, "cp_plans")
    episodes = rows(extracts, "cic_episodes")
    found = []
    for month in months:
        on = snapshot(month)
        eligible = [
            r
            for r in referrals
            if is_open(r["referral_date"], r["closure_date"], on)
            and not _on_cp_plan(r["child_id"], cp_plans, on)
            and not _looked_after(r["child_id"], episodes, on)
            and _assessed(r, assessments, on)
        ]
        for child in sorted({r["child_id"] for r in eligible}):
            held = _latest(
                [r for r in eligible if r["child_id"] == child], "referral_date", "referral_id"
            )
            with_plan = any(
                p["child_id"] == child and is_open(p["start_date"], p["end_date"], on)
                for p in cin_plans
            )
            found.append((month, held["team"], held["referral_id"], with_plan, 1))
    return record_rows(found)


def cin_seen_28_days(extracts: Extracts, months: list[str]) -> pd.DataFrame:
    """Ref 6: per child, the latest-starting CIN plan open on the snapshot that started at least
    28 days before it; numerator when the child was seen on a CIN visit in (snapshot - 28 days,
    snapshot]."""
    plans = rows(extracts, "cin_plans")
    visits = rows(extracts, "visits")
    found = []
    for month in months:
        on = snapshot(month)
        window_start = on - dt.timedelta(days=28)
        qualifying = [
            p for p in plans
            if is_open(p["start_date"], p["end_date"], on) and p["start_date"] <= window_start
        ]  # fmt: skip
        for child in sorted({p["child_id"] for p in qualifying}):
            plan = _latest(
                [p for p in qualifying if p["child_id"] == child], "start_date", "cin_plan_id"
            )
            seen = any(
                v["child_id"] == child
                and v["visit_type"] == "CIN"
                and flag(v["child_seen"])
                and window_start < v["visit_date"] <= on
                for v in visits
            )
            found.append((month, plan["team"], plan["cin_plan_id"], seen, 1))
    return record_rows(found)


ALLOCATED_ROLES = ("social_worker", "senior_practitioner", "personal_adviser")


def unallocated_cases(extracts: Extracts, months: list[str]) -> pd.DataFrame:
    """Ref 7: count of children with an open referral and no allocation open on the snapshot date
    to a social worker, senior practitioner or personal adviser (a blank role: the worker's post
    role when workforce is supplied, else counted as allocated); in the team of the child's latest
    open referral."""
    referrals = rows(extracts, "referrals")
    allocations = rows(extracts, "allocations")
    workforce = rows(extracts, "workforce") if extracts.get("workforce") is not None else None

    def counts(allocation: dict) -> bool:
        if allocation["worker_role"] is not None:
            return allocation["worker_role"] in ALLOCATED_ROLES
        if workforce is None:
            return True
        return any(
            post["worker_id"] == allocation["worker_id"] and post["role"] in ALLOCATED_ROLES
            for post in workforce
        )

    found = []
    for month in months:
        on = snapshot(month)
        open_cases = [r for r in referrals if is_open(r["referral_date"], r["closure_date"], on)]
        for child in sorted({r["child_id"] for r in open_cases}):
            held = _latest(
                [r for r in open_cases if r["child_id"] == child], "referral_date", "referral_id"
            )
            allocated = any(
                a["child_id"] == child and is_open(a["start_date"], a["end_date"], on) and counts(a)
                for a in allocations
            )
            if not allocated:
                found.append((month, held["team"], held["referral_id"], 1, None))
    return record_rows(found)


# --------------------------------------------------------------------------------------------------
# Child protection (refs 11-18)
# --------------------------------------------------------------------------------------------------


def cp_plans_18_months(extracts: Extracts, months: list[str]) -> pd.DataFrame:
    """Ref 11: CP plans open on the snapshot date; numerator when started on or before the
    snapshot date minus 18 calendar months."""
    found = []
    for month in months:
        on = snapshot(month)
        for p in rows(extracts, "cp_plans"):
            if is_open(p["start_date"], p["end_date"], on):
                found.append(
                    (month, p["team"], p["cp_plan_id"], p["start_date"] <= add_months(on, -18), 1)
                )
    return record_rows(found)


def cp_visits_in_time(extracts: Extracts, months: list[str]) -> pd.DataFrame:
    """Ref 12: CP visits dated in [snapshot - 3 months, snapshot] to a child whose (latest-starting)
    CP plan is open on the snapshot date, dated on or after that plan's start; numerator when held
    at most 10 working days after the child's previous CP visit under the plan (else the plan
    start). Counted in the visit's team."""
    plans = rows(extracts, "cp_plans")
    cp_visits = [v for v in rows(extracts, "visits") if v["visit_type"] == "CP"]
    found = []
    for month in months:
        on = snapshot(month)
        window_start = add_months(on, -3)
        for v in cp_visits:
            if not window_start <= v["visit_date"] <= on:
                continue
            current = [
                p for p in plans
                if p["child_id"] == v["child_id"] and is_open(p["start_date"], p["end_date"], on)
            ]  # fmt: skip
            if not current:
                continue
            plan_start = max(p["start_date"] for p in current)
            if v["visit_date"] < plan_start:
                continue
            earlier = [
                w["visit_date"] for w in cp_visits
                if w["child_id"] == v["child_id"] and plan_start <= w["visit_date"] < v["visit_date"]
            ]  # fmt: skip
            since = max(earlier) if earlier else plan_start
            found.append(
                (month, v["team"], v["visit_id"], working_days(since, v["visit_date"]) <= 10, 1)
            )
    return record_rows(found)


def cp_reviews_in_time(extracts: Extracts, months: list[str]) -> pd.DataFrame:
    """Ref 13: CP plans open on the snapshot date whose first review (start + 3 months) is due by
    then; numerator when every review held by the snapshot was on or before its due date (3
    months after the start for the first, 6 months after the previous review for the others) and
    the next review is not yet due."""
    plans = rows(extracts, "cp_plans")
    reviews = rows(extracts, "cp_reviews")
    found = []
    for month in months:
        on = snapshot(month)
        for p in plans:
            if not is_open(p["start_date"], p["end_date"], on):
                continue
            first_due = add_months(p["start_date"], 3)
            if first_due > on:
                continue
            held = sorted(
                {
                    r["review_date"] for r in reviews
                    if r["cp_plan_id"] == p["cp_plan_id"] and p["start_date"] < r["review_date"] <= on
                }
            )  # fmt: skip
            due, on_time = first_due, True
            for review_date in held:
                if review_date > due:
                    on_time = False
                due = add_months(review_date, 6)
            if due <= on:  # the next review is overdue on the snapshot date
                on_time = False
            found.append((month, p["team"], p["cp_plan_id"], on_time, 1))
    return record_rows(found)


def cp_repeat_24_months(extracts: Extracts, months: list[str]) -> pd.DataFrame:
    """Ref 14: CP plans starting in the YTD period; numerator when another plan of the child ended
    on or before the new start and on or after the new start minus 24 calendar months."""
    plans = rows(extracts, "cp_plans")
    found = []
    for month in months:
        for p in plans:
            if not in_ytd(p["start_date"], month):
                continue
            boundary = add_months(p["start_date"], -24)
            repeat = any(
                other["child_id"] == p["child_id"]
                and other["cp_plan_id"] != p["cp_plan_id"]
                and other["end_date"] is not None
                and boundary <= other["end_date"] <= p["start_date"]
                for other in plans
            )
            found.append((month, p["team"], p["cp_plan_id"], repeat, 1))
    return record_rows(found)


def cp_ended_2_years(extracts: Extracts, months: list[str]) -> pd.DataFrame:
    """Ref 15: CP plans ending in the YTD period; numerator when the end is on or after the start
    plus 24 calendar months."""
    found = []
    for month in months:
        for p in rows(extracts, "cp_plans"):
            if in_ytd(p["end_date"], month):
                lasted = p["end_date"] >= add_months(p["start_date"], 24)
                found.append((month, p["team"], p["cp_plan_id"], lasted, 1))
    return record_rows(found)


def s47_child_seen(extracts: Extracts, months: list[str]) -> pd.DataFrame:
    """Ref 16: S47 enquiries completed in the YTD period, leaving out unborn children (no date of
    birth, or born after the start); numerator when the child was seen (blank = not seen)."""
    children = {c["child_id"]: c for c in rows(extracts, "children")}
    found = []
    for month in months:
        for e in rows(extracts, "s47_enquiries"):
            if not in_ytd(e["completed_date"], month):
                continue
            if _unborn_at(children.get(e["child_id"]), e["start_date"]):
                continue
            found.append((month, e["team"], e["s47_id"], flag(e["child_seen"]), 1))
    return record_rows(found)


def icpc_within_15_wd(extracts: Extracts, months: list[str]) -> pd.DataFrame:
    """Ref 17: ICPCs held in the YTD period; numerator when at most 15 working days after the S47
    start."""
    found = []
    for month in months:
        for e in rows(extracts, "s47_enquiries"):
            if in_ytd(e["icpc_date"], month):
                in_time = working_days(e["start_date"], e["icpc_date"]) <= 15
                found.append((month, e["team"], e["s47_id"], in_time, 1))
    return record_rows(found)


def icpc_to_cp_plan(extracts: Extracts, months: list[str]) -> pd.DataFrame:
    """Ref 18: ICPCs held in the YTD period; numerator when the outcome was a CP plan (blank =
    no)."""
    found = []
    for month in months:
        for e in rows(extracts, "s47_enquiries"):
            if in_ytd(e["icpc_date"], month):
                found.append((month, e["team"], e["s47_id"], flag(e["icpc_outcome_cp_plan"]), 1))
    return record_rows(found)


# --------------------------------------------------------------------------------------------------
# Quality assurance (refs 35-39)
# --------------------------------------------------------------------------------------------------

GOOD = ("good", "outstanding")


def audits_completed(extracts: Extracts, months: list[str]) -> pd.DataFrame:
    """Ref 35: case file audits due in the YTD period; numerator when completed on or before the
    last calendar day of the reporting month."""
    found = []
    for month in months:
        for a in rows(extracts, "quality_audits"):
            if a["audit_type"] == "case_file" and in_ytd(a["due_date"], month):
                done = a["completed_date"] is not None and a["completed_date"] <= month_end(month)
                found.append((month, a["team"], a["audit_id"], done, 1))
    return record_rows(found)


def _rated(audit_type: str, ratings: tuple[str, ...]) -> Plain:
    def plain(extracts: Extracts, months: list[str]) -> pd.DataFrame:
        found = []
        for month in months:
            for a in rows(extracts, "quality_audits"):
                if (
                    a["audit_type"] == audit_type
                    and a["rating"] is not None
                    and in_ytd(a["completed_date"], month)
                ):
                    found.append((month, a["team"], a["audit_id"], a["rating"] in ratings, 1))
        return record_rows(found)

    plain.__doc__ = (f"{audit_type} audits completed in the YTD period with a rating; numerator "
                     f"when rated {' or '.join(ratings)}.")  # fmt: skip
    return plain


audits_good_outstanding = _rated("case_file", GOOD)  # ref 36
audits_inadequate = _rated("case_file", ("inadequate",))  # ref 37
cp_reports_good_outstanding = _rated("cp_report", GOOD)  # ref 38
care_plans_good_outstanding = _rated("care_plan", GOOD)  # ref 39


#: indicator id -> (plain function, the extracts it reads, whether it is a count).
PLAIN: dict[str, tuple[Plain, tuple[str, ...], bool]] = {
    "re_referrals_12m": (re_referrals_12m, ("referrals",), False),
    "assessments_within_45_wd": (assessments_within_45_wd, ("assessments",), False),
    "assessments_overdue": (assessments_overdue, ("assessments",), True),
    "assessments_child_seen": (assessments_child_seen, ("assessments",), False),
    "cin_with_plan": (
        cin_with_plan,
        ("referrals", "assessments", "cin_plans", "cp_plans", "cic_episodes"),
        False,
    ),
    "cin_seen_28_days": (cin_seen_28_days, ("cin_plans", "visits"), False),
    "unallocated_cases": (unallocated_cases, ("referrals", "allocations"), True),
    "cp_plans_18_months": (cp_plans_18_months, ("cp_plans",), False),
    "cp_visits_in_time": (cp_visits_in_time, ("cp_plans", "visits"), False),
    "cp_reviews_in_time": (cp_reviews_in_time, ("cp_plans", "cp_reviews"), False),
    "cp_repeat_24_months": (cp_repeat_24_months, ("cp_plans",), False),
    "cp_ended_2_years": (cp_ended_2_years, ("cp_plans",), False),
    "s47_child_seen": (s47_child_seen, ("s47_enquiries",), False),
    "icpc_within_15_wd": (icpc_within_15_wd, ("s47_enquiries",), False),
    "icpc_to_cp_plan": (icpc_to_cp_plan, ("s47_enquiries",), False),
    "audits_completed": (audits_completed, ("quality_audits",), False),
    "audits_good_outstanding": (audits_good_outstanding, ("quality_audits",), False),
    "audits_inadequate": (audits_inadequate, ("quality_audits",), False),
    "cp_reports_good_outstanding": (cp_reports_good_outstanding, ("quality_audits",), False),
    "care_plans_good_outstanding": (care_plans_good_outstanding, ("quality_audits",), False),
}

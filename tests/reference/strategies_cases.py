"""Hypothesis strategies: small random extracts for the case-work measures (refs 1-7, 11-18, 35-39).

:func:`case_extracts` draws two or three reporting months, then a handful of children and records
spread over the teams of the builders' organisation (A1, C1, A2 and the county-wide F), and passes
them through ``builders.build``, so they pass the real validation. Dates are drawn where the
counting rules have edges:

* relative to the drawn months: their last working days (snapshots), month ends and 1 April, a day
  either side, and 3, 6, 12, 18 and 24 calendar months, 27-29 days and 10, 15 and 45 working days
  (one more, one fewer) before a snapshot;
* fixed: bank holidays (Easter 2015 and 2016, 4 and 25 May 2015, 25-28 December 2015, 2 May 2016),
  29 February 2016 and the ends of February, and anything in between;
* relative to an earlier date of the same record or child: exactly 10, 15 or 45 working days (one
  more, one fewer), 3, 6, 12, 18 or 24 calendar months (a day either side), 27-29 days, the same
  day, or anything later.

Records are open (no end date) or closed; optional values are often blank.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from hypothesis import strategies as st

from scorecard.extracts import Extracts
from tests.measures.builders import build
from tests.reference.plain_cases import (
    add_months,
    add_working_days,
    month_end,
    snapshot,
    working_days,
    ytd_start,
)

TEAMS = ("A1", "C1", "A2", "F")
#: Reporting months a test may ask for: the end of FY 2014/15, the first months of 2015/16 (Easter,
#: May bank holidays), December 2015 (Christmas), February 2016 (29th, a Monday and the snapshot),
#: March 2016 (Easter) and April 2016.
REPORT_MONTHS = ("2015-03", "2015-04", "2015-05", "2015-12", "2016-02", "2016-03", "2016-04")

FIXED = tuple(
    dt.date.fromisoformat(d)
    for d in (
        "2014-12-25", "2014-12-26", "2015-01-01", "2015-04-03", "2015-04-06", "2015-05-04",
        "2015-05-25", "2015-08-31", "2015-12-25", "2015-12-28", "2016-01-01", "2016-03-25",
        "2016-03-28", "2016-05-02", "2016-02-29", "2015-02-28", "2016-03-01", "2015-12-24",
        "2015-12-26", "2015-12-29",
    )
)  # fmt: skip
FIRST_DAY, LAST_DAY = dt.date(2013, 3, 1), dt.date(2016, 5, 31)


@dataclass(frozen=True)
class Focus:
    """The steps of one rule, at whose edges its dates are drawn: working days (10, 15, 45),
    calendar months (3, 6, 12, 18, 24) and days (28)."""

    working: tuple[int, ...] = (10, 15, 45)
    months: tuple[int, ...] = (3, 6, 12, 18, 24)
    days: tuple[int, ...] = (28,)


#: The steps of each measure's rule (the default Focus for the others).
FOCUS = {
    "re_referrals_12m": Focus(working=(), months=(12,), days=()),
    "assessments_within_45_wd": Focus(working=(45,), months=(), days=()),
    "assessments_overdue": Focus(working=(45,), months=(), days=()),
    "assessments_child_seen": Focus(working=(45,), months=(), days=(0,)),
    "cin_seen_28_days": Focus(working=(), months=(), days=(28,)),
    "cp_plans_18_months": Focus(working=(), months=(18,), days=()),
    "cp_visits_in_time": Focus(working=(10,), months=(3,), days=()),
    "cp_reviews_in_time": Focus(working=(), months=(3, 6, 9, 15), days=()),
    "cp_repeat_24_months": Focus(working=(), months=(24,), days=(0,)),
    "cp_ended_2_years": Focus(working=(), months=(24,), days=()),
    "s47_child_seen": Focus(working=(15,), months=(), days=(0,)),
    "icpc_within_15_wd": Focus(working=(15,), months=(), days=()),
    "icpc_to_cp_plan": Focus(working=(15,), months=(), days=()),
    "cin_with_plan": Focus(working=(), months=(), days=(0,)),
    "unallocated_cases": Focus(working=(), months=(), days=(0,)),
    **{
        audit: Focus(working=(), months=(), days=())
        for audit in (
            "audits_completed",
            "audits_good_outstanding",
            "audits_inadequate",
            "cp_reports_good_outstanding",
            "care_plans_good_outstanding",
        )
    },
}


def _back_working(d: dt.date, n: int) -> dt.date:
    """The day from which ``d`` is n working days later (the latest such day)."""
    back = d
    while working_days(back, d) < n:
        back -= dt.timedelta(days=1)
    return back


def _around(d: dt.date) -> set[dt.date]:
    return {d - dt.timedelta(days=1), d, d + dt.timedelta(days=1)}


def edges(months: list[str], focus: Focus) -> list[dt.date]:
    """The dates where the rules have edges for these reporting months: a day either side of the
    snapshots, month ends, 1 April, and of the focus's steps back from the snapshots."""
    return _edges(tuple(sorted(months)), focus)


def steps_back(months: list[str], focus: Focus) -> list[dt.date]:
    """The focus's steps back from the snapshots (a day either side); the snapshots if none."""
    return _edges(tuple(sorted(months)), focus, steps_only=True)


@cache
def _edges(months: tuple[str, ...], focus: Focus, steps_only: bool = False) -> list[dt.date]:
    days: set[dt.date] = set()
    for month in months:
        on = snapshot(month)
        for d in (on,) if steps_only else (on, month_end(month), ytd_start(month)):
            days |= _around(d)
        for n in focus.months:
            days |= _around(add_months(on, -n))
        for n in focus.days:
            days |= _around(on - dt.timedelta(days=n))
        days |= {_back_working(on, n + s) for n in focus.working for s in (-1, 0, 1)}
    return sorted(d for d in days if FIRST_DAY <= d <= LAST_DAY)


@dataclass(frozen=True)
class Dates:
    """Date strategies for one draw of reporting months and a rule's steps."""

    months: list[str]
    focus: Focus = Focus()

    @property
    def day(self) -> st.SearchStrategy[dt.date]:
        near = st.sampled_from(edges(self.months, self.focus))
        steps = st.sampled_from(steps_back(self.months, self.focus))
        return st.one_of(
            near, near, steps, steps, st.sampled_from(FIXED), st.dates(FIRST_DAY, LAST_DAY)
        )

    def after(self, base: dt.date) -> st.SearchStrategy[dt.date]:
        """A date on or after ``base``, often at a rule's edge from it."""
        return _after(base, self)

    def end(self, base: dt.date) -> st.SearchStrategy[dt.date | None]:
        """An end date: blank (still open) or on/after ``base``."""
        return st.one_of(st.none(), self.after(base), self.after(base))


@st.composite
def _after(draw: st.DrawFn, base: dt.date, dates: Dates) -> dt.date:
    focus = dates.focus
    ways = [("working",) * 3 if focus.working else (), ("months",) * 3 if focus.months else (),
            ("days",) if focus.days else (), ("edge", "any")]  # fmt: skip
    how = draw(st.sampled_from([way for group in ways for way in group]))
    if how == "working":
        n = draw(st.sampled_from(focus.working)) + draw(st.sampled_from((-1, 0, 0, 1)))
        return add_working_days(base, n)
    if how == "months":
        months = draw(st.sampled_from(focus.months))
        return add_months(base, months) + dt.timedelta(days=draw(st.sampled_from((-1, 0, 0, 1))))
    if how == "days":
        n = draw(st.sampled_from(focus.days)) + draw(st.sampled_from((-1, 0, 1)))
        return base + dt.timedelta(days=max(n, 0))
    if how == "edge":
        after = [d for d in edges(dates.months, focus) if d >= base]
        if after:
            return draw(st.sampled_from(after))
    return base + dt.timedelta(days=draw(st.integers(0, 400)))


def iso(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


optional_flag = st.sampled_from((None, True, False))


@st.composite
def children(draw: st.DrawFn, dates: Dates) -> list[dict[str, Any]]:
    """2-4 children; a date of birth long ago, near the records' dates (born during an assessment
    or on its start day), or none (unborn: an expected date of birth instead)."""
    out = []
    long_ago = dt.date(2008, 6, 1)
    for i in range(draw(st.integers(2, 4))):
        born = draw(st.one_of(st.sampled_from((long_ago, long_ago, None)), dates.day))
        out.append({
            "child_id": f"c{i + 1}",
            "date_of_birth": iso(born),
            "expected_date_of_birth": "2016-06-01" if born is None else None,
        })  # fmt: skip
    return out


def _near_birth(kids: list[dict[str, Any]], child: str) -> st.SearchStrategy[dt.date]:
    """The child's date of birth, a day either side (the child's first date if unborn)."""
    born = next(c["date_of_birth"] or c["expected_date_of_birth"] for c in kids
                if c["child_id"] == child)  # fmt: skip
    return st.sampled_from(sorted(_around(dt.date.fromisoformat(born))))


def _ids(kids: list[dict[str, Any]]) -> st.SearchStrategy[str]:
    return st.sampled_from([c["child_id"] for c in kids])


@st.composite
def referrals(draw: st.DrawFn, kids: list[dict[str, Any]], dates: Dates) -> list[dict[str, Any]]:
    """Referrals: a child's next referral is often exactly 12 months (a day either side) or the same
    day after an earlier one."""
    out: list[dict[str, Any]] = []
    for i in range(draw(st.integers(4, 12))):
        child = draw(_ids(kids))
        theirs = [dt.date.fromisoformat(r["referral_date"]) for r in out if r["child_id"] == child]
        if theirs and draw(st.booleans()):
            base = draw(st.sampled_from(theirs))
            start = draw(st.sampled_from((
                add_months(base, 12), add_months(base, 12) + dt.timedelta(days=1),
                add_months(base, 12) - dt.timedelta(days=1), base,
            )))  # fmt: skip
        else:
            start = draw(dates.day)
        out.append({
            "referral_id": f"r{i + 1}", "child_id": child, "team": draw(st.sampled_from(TEAMS)),
            "referral_date": iso(start), "closure_date": iso(draw(dates.end(start))),
        })  # fmt: skip
    return out


@st.composite
def assessments(
    draw: st.DrawFn, kids: list[dict[str, Any]], refs: list[dict[str, Any]] | None, dates: Dates
) -> list[dict[str, Any]]:
    """Assessments, linked to one of the child's referrals or not (``refs`` None: no referrals
    extract, never linked), started around a referral date or anywhere; authorised 44-46 working
    days after the start, or at another edge, or not."""
    out = []
    for i in range(draw(st.integers(4, 12))):
        child = draw(_ids(kids))
        theirs = [r for r in refs or [] if r["child_id"] == child]
        referral = draw(st.sampled_from([None, *theirs])) if refs is not None else None
        if theirs and draw(st.booleans()):
            base = dt.date.fromisoformat(draw(st.sampled_from(theirs))["referral_date"])
            start = base + dt.timedelta(days=draw(st.sampled_from((-1, 0, 1, 10))))
        else:
            start = draw(st.one_of(dates.day, _near_birth(kids, child)))
        out.append({
            "assessment_id": f"a{i + 1}", "child_id": child,
            "team": draw(st.sampled_from(TEAMS)),
            "referral_id": None if referral is None else referral["referral_id"],
            "start_date": iso(start), "authorised_date": iso(draw(dates.end(start))),
            "child_seen": draw(optional_flag), "child_missing": draw(optional_flag),
        })  # fmt: skip
    return out


@st.composite
def plans(
    draw: st.DrawFn,
    kids: list[dict[str, Any]],
    dates: Dates,
    prefix: str,
    id_column: str,
    most: int = 8,
) -> list[dict[str, Any]]:
    """CIN or CP plans (overlapping allowed): a child's next plan often starts on, or 24 months
    after, the end of an earlier one; ends are blank or at an edge after the start; some start
    18 or 24 months (a day either side) before an edge date and end on it."""
    out: list[dict[str, Any]] = []
    for i in range(draw(st.integers(min(4, most), most))):
        child, end = draw(_ids(kids)), None
        ended = [
            dt.date.fromisoformat(p["end_date"])
            for p in out if p["child_id"] == child and p["end_date"] is not None
        ]  # fmt: skip
        if ended and draw(st.booleans()):
            base = draw(st.sampled_from(ended))
            start = draw(st.sampled_from((
                base, base, base + dt.timedelta(days=1), add_months(base, 24),
                add_months(base, 24) + dt.timedelta(days=1),
            )))  # fmt: skip
        elif draw(st.booleans()):
            start = draw(dates.day)
        else:  # backwards from an end at an edge: 18 or 24 months before it, a day either side
            end = draw(dates.day)
            start = add_months(end, -draw(st.sampled_from((18, 24))))
            start += dt.timedelta(days=draw(st.sampled_from((-1, 0, 1))))
        end = draw(st.one_of(dates.end(start), st.just(end))) if end else draw(dates.end(start))
        out.append({
            id_column: f"{prefix}{i + 1}", "child_id": child,
            "team": draw(st.sampled_from(TEAMS)), "referral_id": None,
            "start_date": iso(start), "end_date": iso(end),
        })  # fmt: skip
    return out


@st.composite
def cp_reviews(draw: st.DrawFn, cp: list[dict[str, Any]], dates: Dates) -> list[dict[str, Any]]:
    """Review conferences of most plans: chains of reviews 3 then 6 months apart (a day either
    side) counted from the previous review, or from the previous due date (which differ once a
    review was early or late), repeats on one day, reviews on or before the plan start, reviews on
    a snapshot's edge."""
    out = []
    for plan in cp:
        if not draw(st.sampled_from((True, True, False))):
            continue
        start = dt.date.fromisoformat(plan["start_date"])
        held = due = start
        for step in range(draw(st.integers(1, 5))):
            kind = draw(st.sampled_from(
                ("chain", "chain", "from_due", "from_due", "same", "before", "edge")
            ))  # fmt: skip
            months = 3 if step == 0 else 6
            if kind in ("chain", "from_due"):
                shift = draw(st.sampled_from((-1, -1, 0, 1, 1, 20)))
                held = add_months(held if kind == "chain" else due, months)
                held += dt.timedelta(days=shift)
            elif kind == "before":
                held = start - dt.timedelta(days=draw(st.sampled_from((0, 1))))
            elif kind == "edge":
                held = draw(dates.day)
            due = add_months(due, months)
            out.append({"cp_review_id": f"rv{len(out) + 1}", "cp_plan_id": plan["cp_plan_id"],
                        "child_id": plan["child_id"], "review_date": iso(held)})  # fmt: skip
    return out


@st.composite
def visits(
    draw: st.DrawFn,
    kids: list[dict[str, Any]],
    starts: list[dict[str, Any]],
    dates: Dates,
    types: tuple[str, ...],
) -> list[dict[str, Any]]:
    """Visits of ``types`` (mostly to children with a plan in ``starts``): chains 9-11 working days
    apart from a plan start or from the previous visit, visits 0 or 27-29 days (or up to about 3
    months) before a snapshot, several on one day; child seen or not."""
    out: list[dict[str, Any]] = []
    planned = sorted({p["child_id"] for p in starts})
    for i in range(draw(st.integers(4, 16))):
        child = draw(st.sampled_from(planned)) if planned and draw(st.booleans()) else None
        child = child or draw(_ids(kids))
        earlier = [dt.date.fromisoformat(v["visit_date"]) for v in out if v["child_id"] == child]
        earlier += [
            dt.date.fromisoformat(p["start_date"]) for p in starts if p["child_id"] == child
        ]
        how = draw(st.sampled_from(("chain", "chain", "chain", "window", "window", "28", "any")))
        if how == "chain" and earlier:
            base = draw(st.sampled_from(earlier))
            gap = dates.focus.working[0] if dates.focus.working else 10
            when = add_working_days(base, draw(st.sampled_from((0, gap - 1, gap, gap + 1))))
        elif how == "window":  # in the 3 months up to a snapshot, or at their first day
            on = snapshot(draw(st.sampled_from(dates.months)))
            first = add_months(on, -3)
            when = draw(
                st.sampled_from(
                    [
                        *sorted(_around(first)) * 4,
                        *(on - dt.timedelta(days=n) for n in range(0, 95, 4)),
                    ]
                )
            )
        elif how == "28":
            on = snapshot(draw(st.sampled_from(dates.months)))
            when = on - dt.timedelta(days=draw(st.sampled_from((0, 27, 28, 29))))
        else:
            when = draw(dates.day)
        out.append({
            "visit_id": f"v{i + 1}", "child_id": child, "team": draw(st.sampled_from(TEAMS)),
            "visit_type": draw(st.sampled_from(types)),
            "visit_date": iso(when), "child_seen": draw(st.booleans()),
        })  # fmt: skip
    return out


ROLES = ("social_worker", "senior_practitioner", "personal_adviser", "team_manager",
         "family_support_worker", "fostering_social_worker", "other")  # fmt: skip


@st.composite
def allocations(draw: st.DrawFn, kids: list[dict[str, Any]], dates: Dates) -> list[dict[str, Any]]:
    """Allocations of children to workers w1-w3, some with a blank role."""
    out = []
    for i in range(draw(st.integers(2, 8))):
        start = draw(dates.day)
        out.append({
            "allocation_id": f"al{i + 1}", "child_id": draw(_ids(kids)),
            "worker_id": draw(st.sampled_from(("w1", "w2", "w3"))),
            "team": draw(st.sampled_from(TEAMS)), "start_date": iso(start),
            "end_date": iso(draw(dates.end(start))),
            "worker_role": draw(st.sampled_from((None, None, *ROLES))),
        })  # fmt: skip
    return out


@st.composite
def workforce(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Posts of workers w1 and w2 (each one post, in some role; w3 has none), to resolve blank
    allocation roles."""
    out = []
    for i, worker in enumerate(("w1", "w2")):
        out.append({
            "post_id": f"p{i + 1}", "start_date": "2014-01-01", "end_date": None,
            "team": draw(st.sampled_from(TEAMS)), "role": draw(st.sampled_from(ROLES)),
            "caseholding": True, "fte": 1.0, "contract": "permanent", "worker_id": worker,
            "qualified_social_worker": True,
        })  # fmt: skip
    return out


@st.composite
def cic_episodes(draw: st.DrawFn, kids: list[dict[str, Any]], dates: Dates) -> list[dict[str, Any]]:
    """Non-overlapping episodes per child, some short breaks (V3/V4), the last often open."""
    out: list[dict[str, Any]] = []
    for child in [c["child_id"] for c in kids]:
        start = draw(dates.day)
        for _ in range(draw(st.sampled_from((0, 0, 1, 2)))):
            end = draw(dates.end(start))
            out.append({
                "episode_id": f"e{len(out) + 1}", "child_id": child,
                "team": draw(st.sampled_from(TEAMS)), "start_date": iso(start),
                "end_date": iso(end), "reason_new_episode": "S",
                "legal_status": draw(st.sampled_from(("C2", "J1", "V3", "V4"))),
                "placement_type": "U1",
                "reason_ceased": None if end is None else draw(st.sampled_from(("X1", "E11"))),
            })  # fmt: skip
            if end is None:
                break
            start = end + dt.timedelta(days=draw(st.sampled_from((0, 1, 40))))
    return out


@st.composite
def s47_enquiries(
    draw: st.DrawFn, kids: list[dict[str, Any]], dates: Dates
) -> list[dict[str, Any]]:
    """Enquiries: ICPCs 14-16 working days after the start (or at another edge, or none),
    completion or not, flags blank or recorded."""
    out = []
    for i in range(draw(st.integers(4, 12))):
        child = draw(_ids(kids))
        start = draw(st.one_of(dates.day, _near_birth(kids, child), _near_birth(kids, child)))
        icpc = draw(dates.end(start))
        out.append({
            "s47_id": f"s{i + 1}", "child_id": child,
            "team": draw(st.sampled_from(TEAMS)), "start_date": iso(start),
            "completed_date": iso(draw(dates.end(start))), "child_seen": draw(optional_flag),
            "icpc_date": iso(icpc),
            "icpc_outcome_cp_plan": None if icpc is None else draw(optional_flag),
        })  # fmt: skip
    return out


@st.composite
def quality_audits(
    draw: st.DrawFn, kids: list[dict[str, Any]], dates: Dates
) -> list[dict[str, Any]]:
    """Audits of the three types: due or not, completed before, on or after a month end, rated or
    not (a rating needs a completion)."""
    out = []
    for i in range(draw(st.integers(4, 14))):
        due = draw(st.one_of(st.none(), dates.day, dates.day))
        completed = draw(st.one_of(st.none(), dates.day, dates.after(due) if due else dates.day))
        rating = None
        if completed is not None:
            rating = draw(st.sampled_from(
                (None, "outstanding", "good", "requires_improvement", "inadequate")
            ))  # fmt: skip
        out.append({
            "audit_id": f"q{i + 1}",
            "audit_type": draw(st.sampled_from(("case_file", "case_file", "cp_report", "care_plan"))),
            "team": draw(st.sampled_from(TEAMS)),
            "child_id": draw(st.one_of(st.none(), _ids(kids))),
            "due_date": iso(due), "completed_date": iso(completed), "rating": rating,
        })  # fmt: skip
    return out


@st.composite
def case_extracts(
    draw: st.DrawFn, needs: tuple[str, ...], focus: Focus | None = None
) -> tuple[Extracts, list[str]]:
    """Two or three reporting months (in any order: the engine sorts them), and validated extracts
    holding ``children`` and the extracts in ``needs`` (plus, for allocations, sometimes
    ``workforce``), their dates drawn at the edges of those months and of ``focus``'s steps."""
    months = draw(st.lists(st.sampled_from(REPORT_MONTHS), min_size=2, max_size=3, unique=True))
    dates = Dates(months, focus or Focus())
    kids = draw(children(dates))
    frames: dict[str, list[dict[str, Any]]] = {"children": kids}
    refs = draw(referrals(kids, dates)) if "referrals" in needs else None
    if refs is not None:
        frames["referrals"] = refs
    if "assessments" in needs:
        frames["assessments"] = draw(assessments(kids, refs, dates))
    if "cin_plans" in needs:
        frames["cin_plans"] = draw(plans(kids, dates, "cin", "cin_plan_id"))
    if "cp_plans" in needs:
        # few CP plans beside referrals (ref 5 leaves out children on a plan)
        most = 3 if "referrals" in needs else 10
        frames["cp_plans"] = draw(plans(kids, dates, "cp", "cp_plan_id", most))
    if "cp_reviews" in needs:
        frames["cp_reviews"] = draw(cp_reviews(frames["cp_plans"], dates))
    if "visits" in needs:
        starts = frames.get("cp_plans", []) + frames.get("cin_plans", [])
        # mostly visits of the kind the plans are visited by, some of the other kinds
        kind = ("CP",) * 3 if "cp_plans" in needs else ("CIN",) * 3
        frames["visits"] = draw(visits(kids, starts, dates, (*kind, "CIN", "CP", "CIC")))
    if "allocations" in needs:
        frames["allocations"] = draw(allocations(kids, dates))
        if draw(st.booleans()):
            frames["workforce"] = draw(workforce())
    if "cic_episodes" in needs:  # for the first one or two children only (ref 5's cohort)
        frames["cic_episodes"] = draw(cic_episodes(kids[: draw(st.integers(1, 2))], dates))
    if "s47_enquiries" in needs:
        frames["s47_enquiries"] = draw(s47_enquiries(kids, dates))
    if "quality_audits" in needs:
        frames["quality_audits"] = draw(quality_audits(kids, dates))
    return build(**frames), months

"""Plain reference implementations of the care measures (refs 8-10, 19-34, 40-44).

Each function is written from the counting rule in ``docs/indicators.md``, not from the engine: no
kernels, no binary search, no integer keys, only loops over reporting months, records and (where
it is the plainest way to say it) days, with the dates of the rule computed one at a time by
``dateutil.relativedelta`` and a day-by-day walk over the ``holidays`` calendar. Slow on purpose:
it is test code, to be read next to the rule.

Every function takes validated extracts (``tests.measures.builders.build``) and reporting months
(``"YYYY-MM"``) and returns record-level rows ``month, team, record_id, numerator, denominator``
(``month`` as ``"YYYY-MM"``), whose sums per team are what the engine's team results must be.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd
from dateutil.relativedelta import relativedelta

from scorecard.extracts import Extracts

COLUMNS = ["month", "team", "record_id", "numerator", "denominator"]

from tests.reference.plain_calendar import (  # the calendar, under this module's names
    add_months as plus_months,
)
from tests.reference.plain_calendar import (
    add_working_days as nth_working_day_after,
)
from tests.reference.plain_calendar import (
    is_open as is_open_on,
)
from tests.reference.plain_calendar import (
    month_end,
    r12m_start,
    snapshot,
    ytd_start,
)
from tests.reference.plain_calendar import (
    working_days as working_days_between,
)


def rows_of(extracts: Extracts, name: str) -> list[dict[str, Any]]:
    """The extract as a list of dicts, dates as ``datetime.date`` (missing values as None)."""
    frame = extracts.get(name)
    if frame is None:
        return []
    out = []
    for record in frame.to_dict("records"):
        clean: dict[str, Any] = {}
        for key, value in record.items():
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                clean[key] = None
            elif isinstance(value, pd.Timestamp):
                clean[key] = value.date()
            else:
                clean[key] = value.item() if hasattr(value, "item") else value
        out.append(clean)
    return out


def frame(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLUMNS)


def row(month: str, team: str, record_id: str, numerator: float, denominator: float = 1.0):
    return {"month": month, "team": team, "record_id": str(record_id),
            "numerator": float(numerator), "denominator": float(denominator)}  # fmt: skip


def birth_dates(extracts: Extracts) -> dict[str, dt.date | None]:
    return {c["child_id"]: c["date_of_birth"] for c in rows_of(extracts, "children")}


# --------------------------------------------------------------------------------------------------
# Children in care: episodes, periods of care, placements, the looked-after


SHORT_BREAKS = {"V3", "V4"}
NEW_PLACEMENT = {"S", "P", "T", "B", "U"}


def care_episodes(extracts: Extracts) -> dict[str, list[dict[str, Any]]]:
    """Each child's episodes other than short breaks, in start order, each with ``period`` (index
    of its period of care), ``period_start``, ``placement`` (index of its placement),
    ``placement_start`` and ``previous_placement_start`` (the placement before, same period)."""
    by_child: dict[str, list[dict[str, Any]]] = {}
    for episode in rows_of(extracts, "cic_episodes"):
        if episode["legal_status"] not in SHORT_BREAKS:
            by_child.setdefault(episode["child_id"], []).append(episode)
    for episodes in by_child.values():
        # in time order; an episode starting and ending on one day comes before one starting then
        episodes.sort(key=lambda e: (e["start_date"], e["end_date"] or dt.date.max))
        period, placement = -1, -1
        placement_starts: list[tuple[int, dt.date]] = []  # (period, start) of each placement
        previous = None
        for episode in episodes:
            continues_care = (
                previous is not None
                and previous["reason_ceased"] == "X1"
                and previous["end_date"] == episode["start_date"]
            )
            if not continues_care:
                period += 1
                period_start = episode["start_date"]
            if not continues_care or episode["reason_new_episode"] in NEW_PLACEMENT:
                placement += 1
                placement_starts.append((period, episode["start_date"]))
            episode["period"], episode["period_start"] = period, period_start
            episode["placement"] = placement
            episode["placement_start"] = placement_starts[placement][1]
            before = placement_starts[placement - 1] if placement > 0 else None
            episode["previous_placement_start"] = (
                before[1] if before is not None and before[0] == period else None
            )
            previous = episode
    return by_child


def placements_of(episodes: list[dict[str, Any]]) -> list[tuple[dt.date, dt.date | None]]:
    """(start, end) of each placement: the start of its first episode, the end of its last."""
    spans: dict[int, list[Any]] = {}
    for episode in episodes:
        span = spans.setdefault(episode["placement"], [episode["start_date"], None])
        span[1] = episode["end_date"]
    return [(start, end) for start, end in spans.values()]


def periods_of(episodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One dict per period of care: start, end, its last episode, first placed-for-adoption start."""
    periods: dict[int, dict[str, Any]] = {}
    for episode in episodes:
        period = periods.setdefault(
            episode["period"], {"start": episode["start_date"], "placed_start": None}
        )
        period["end"], period["last"] = episode["end_date"], episode
        placed = episode["placement_type"] in {"A1", "A2", "A3", "A4", "A5", "A6"}
        if placed and period["placed_start"] is None:
            period["placed_start"] = episode["start_date"]
    return list(periods.values())


def looked_after(
    extracts: Extracts, months: list[str]
) -> list[tuple[str, dt.date, dict[str, Any], list[dict[str, Any]]]]:
    """(month, snapshot, open episode, all the child's care episodes) for each child looked after
    on each month's snapshot date."""
    out = []
    children = care_episodes(extracts)
    for month in months:
        on = snapshot(month)
        for episodes in children.values():
            open_now = [e for e in episodes if is_open_on(e["start_date"], e["end_date"], on)]
            assert len(open_now) <= 1, open_now  # episodes of a child do not overlap
            for episode in open_now:
                out.append((month, on, episode, episodes))
    return out


# Ref 19
def three_placements(extracts, months, lookback_months=12, placements=3):
    out = []
    for month, on, episode, episodes in looked_after(extracts, months):
        window_start = plus_months(on, -lookback_months)
        counted = [
            1 for start, end in placements_of(episodes)
            if start <= on and (end is None or end > window_start)
        ]  # fmt: skip
        out.append(row(month, episode["team"], episode["child_id"], len(counted) >= placements))
    return frame(out)


# Ref 20
ADOPTIVE = {"A3", "A4", "A5", "A6"}


def same_placement(extracts, months, same_placement_months=24, looked_after_months=30,
                   age_under=16):  # fmt: skip
    born = birth_dates(extracts)
    out = []
    for month, on, episode, _ in looked_after(extracts, months):
        dob = born[episode["child_id"]]
        if dob is None or plus_months(dob, 12 * age_under) <= on:
            continue  # age unknown, or 16 or over
        if episode["period_start"] > plus_months(on, -looked_after_months):
            continue  # not looked after continuously for 30 months
        boundary = plus_months(on, -same_placement_months)
        stable = episode["placement_start"] <= boundary
        before = episode["previous_placement_start"]
        if episode["placement_type"] in ADOPTIVE and before is not None and before <= boundary:
            stable = True
        out.append(row(month, episode["team"], episode["child_id"], stable))
    return frame(out)


# Ref 21
def in_house_foster(extracts, months):
    out = []
    for month, _, episode, _ in looked_after(extracts, months):
        if episode["placement_type"] not in {"U1", "U2", "U3", "U4", "U5", "U6"}:
            continue
        in_house = (
            episode["placement_type"] in {"U1", "U2", "U3"}
            or episode["placement_provider"] == "PR1"
        )
        out.append(row(month, episode["team"], episode["child_id"], in_house))
    return frame(out)


# Ref 22
def within_20_miles(extracts, months, distance_miles=20):
    kids = {c["child_id"]: c for c in rows_of(extracts, "children")}
    out = []
    for month, on, episode, _ in looked_after(extracts, months):
        child = kids[episode["child_id"]]
        ceased = child["uasc_ceased_date"]
        if child["uasc"] and (ceased is None or ceased > on):
            continue  # UASC on the snapshot date
        if episode["distance_miles"] is None:
            continue
        near = episode["distance_miles"] <= distance_miles
        out.append(row(month, episode["team"], episode["child_id"], near))
    return frame(out)


# Ref 23
def review_participation(extracts, months, min_age=4):
    born = birth_dates(extracts)
    out = []
    for month in months:
        first, last = ytd_start(month), month_end(month)
        for review in rows_of(extracts, "cic_reviews"):
            if not first <= review["review_date"] <= last or review["participation"] == "PN0":
                continue
            dob = born[review["child_id"]]
            if dob is not None and plus_months(dob, 12 * min_age) > review["review_date"]:
                continue  # under 4 on the review date
            took_part = review["participation"] in {"PN1", "PN2", "PN3", "PN4", "PN5", "PN6"}
            out.append(row(month, review["team"], review["cic_review_id"], took_part))
    return frame(out)


# Ref 24
def reviews_in_time(extracts, months, first_review_working_days=20, second_review_months=3,
                    review_interval_months=6):  # fmt: skip
    reviews = rows_of(extracts, "cic_reviews")
    out = []
    for month, on, episode, _ in looked_after(extracts, months):
        begun = episode["period_start"]
        first_due = nth_working_day_after(begun, first_review_working_days)
        if first_due > on:
            continue  # no review due yet
        held = sorted(
            r["review_date"] for r in reviews
            if r["child_id"] == episode["child_id"] and begun <= r["review_date"] <= on
        )  # fmt: skip
        on_time, due = True, first_due
        for number, date in enumerate(held):
            if date > due:
                on_time = False
            due = plus_months(date, second_review_months if number == 0 else review_interval_months)
        if due <= on:  # the next review was due by the snapshot and has not been held
            on_time = False
        out.append(row(month, episode["team"], episode["child_id"], on_time))
    return frame(out)


# Refs 25, 26
def _had_check(extracts, child, kind, since, until):
    return any(
        c["child_id"] == child and c["check_type"] == kind and since <= c["check_date"] <= until
        for c in rows_of(extracts, "health_checks")
    )


def dental_checks(extracts, months, looked_after_months=12, check_months=12):
    out = []
    for month, on, episode, _ in looked_after(extracts, months):
        if episode["period_start"] > plus_months(on, -looked_after_months):
            continue
        seen = _had_check(
            extracts, episode["child_id"], "dental", plus_months(on, -check_months), on
        )
        out.append(row(month, episode["team"], episode["child_id"], seen))
    return frame(out)


def health_assessments(extracts, months, looked_after_months=12, check_months_under_5=6,
                       check_months_5_and_over=12):  # fmt: skip
    born = birth_dates(extracts)
    out = []
    for month, on, episode, _ in looked_after(extracts, months):
        if episode["period_start"] > plus_months(on, -looked_after_months):
            continue
        dob = born[episode["child_id"]]
        under_5 = dob is not None and plus_months(dob, 60) > on
        window = check_months_under_5 if under_5 else check_months_5_and_over
        seen = _had_check(
            extracts, episode["child_id"], "health_assessment", plus_months(on, -window), on
        )
        out.append(row(month, episode["team"], episode["child_id"], seen))
    return frame(out)


# Ref 27
SOCIAL_WORKERS = {"social_worker", "senior_practitioner"}


def social_worker_allocations(extracts: Extracts) -> list[dict[str, Any]]:
    """Allocations to a social worker: the allocation's role says so, or it names no role and the
    worker holds a social worker's post (any time) in the workforce extract, or there is no
    workforce extract."""
    workforce = extracts.get("workforce")
    workers = {
        p["worker_id"] for p in rows_of(extracts, "workforce") if p["role"] in SOCIAL_WORKERS
    }
    kept = []
    for allocation in rows_of(extracts, "allocations"):
        role = allocation["worker_role"]
        if role in SOCIAL_WORKERS or (
            role is None and (workforce is None or allocation["worker_id"] in workers)
        ):
            kept.append(allocation)
    return kept


def same_worker(extracts, months, looked_after_months=18, same_worker_months=12):
    allocations = social_worker_allocations(extracts)
    out = []
    for month, on, episode, _ in looked_after(extracts, months):
        if episode["period_start"] > plus_months(on, -looked_after_months):
            continue
        child = episode["child_id"]
        mine = [a for a in allocations if a["child_id"] == child]
        days = []
        current = plus_months(on, -same_worker_months)
        while current <= on:
            days.append(current)
            current += dt.timedelta(days=1)
        # one worker allocated on every day from the snapshot minus 12 months to the snapshot
        same = any(
            all(
                any(
                    a["worker_id"] == worker and is_open_on(a["start_date"], a["end_date"], d)
                    for a in mine
                )
                for d in days
            )
            for worker in {a["worker_id"] for a in mine}
        )
        out.append(row(month, episode["team"], child, same))
    return frame(out)


# --------------------------------------------------------------------------------------------------
# Adoption (refs 28-31)


def _latest_period_by(episodes_of_child, when):
    """The child's latest period of care starting on or before ``when``: the last in time order
    (of two starting the same day, as after a one-day period, the one that follows)."""
    started = [p for p in periods_of(episodes_of_child) if p["start"] <= when]
    return started[-1] if started else None


def adoption_plan_by_2nd_review(extracts, months):
    children = care_episodes(extracts)
    reviews = rows_of(extracts, "cic_reviews")
    out = []
    for month in months:
        first, last = ytd_start(month), month_end(month)
        latest: dict[str, dict[str, Any]] = {}  # child -> the latest decision in the period
        for adoption in rows_of(extracts, "adoptions"):
            decided = adoption["should_be_placed_date"]
            if decided is None or not first <= decided <= last:
                continue
            held = latest.get(adoption["child_id"])
            key = (decided, adoption["adoption_id"])
            if held is None or key > (held["should_be_placed_date"], held["adoption_id"]):
                latest[adoption["child_id"]] = adoption
        for child, adoption in latest.items():
            decided = adoption["should_be_placed_date"]
            period = _latest_period_by(children.get(child, []), decided)
            dates = sorted({
                r["review_date"] for r in reviews
                if r["child_id"] == child and (
                    period is None
                    or (r["review_date"] >= period["start"]
                        and (period["end"] is None or r["review_date"] <= period["end"]))
                )
            })  # fmt: skip
            by_second = len(dates) < 2 or decided <= dates[1]
            out.append(row(month, adoption["team"], adoption["adoption_id"], by_second))
    return frame(out)


def adoption_la_to_placed_days(extracts, months):
    children = care_episodes(extracts)
    out = []
    for month in months:
        first, last = ytd_start(month), month_end(month)
        for adoption in rows_of(extracts, "adoptions"):
            ordered = adoption["adoption_order_date"]
            if ordered is None or not first <= ordered <= last:
                continue
            period = _latest_period_by(children.get(adoption["child_id"], []), ordered)
            if period is None:
                continue
            arrived = adoption["placed_for_adoption_date"] or period["placed_start"]
            moved_in = adoption["moved_in_with_carer_date"]
            if adoption["foster_carer_adoption"] and moved_in is not None:
                arrived = moved_in if arrived is None else min(arrived, moved_in)
            if arrived is None:
                continue
            days = max(0, (arrived - period["start"]).days)
            out.append(row(month, adoption["team"], adoption["adoption_id"], days))
    return frame(out)


def adoption_order_to_match_days(extracts, months):
    out = []
    for month in months:
        first, last = ytd_start(month), month_end(month)
        for adoption in rows_of(extracts, "adoptions"):
            ordered = adoption["adoption_order_date"]
            if ordered is None or not first <= ordered <= last:
                continue
            if adoption["placement_order_date"] is None or adoption["match_date"] is None:
                continue
            days = max(0, (adoption["match_date"] - adoption["placement_order_date"]).days)
            out.append(row(month, adoption["team"], adoption["adoption_id"], days))
    return frame(out)


def cic_ceased_adopted(extracts, months):
    children = care_episodes(extracts)
    out = []
    for month in months:
        first, last = ytd_start(month), month_end(month)
        for episodes in children.values():
            ended = [
                p for p in periods_of(episodes)
                if p["end"] is not None and p["last"]["reason_ceased"] != "X1"
                and first <= p["end"] <= last
            ]  # fmt: skip
            if not ended:
                continue
            final = max(ended, key=lambda p: (p["end"], p["start"], p["last"]["episode_id"]))
            episode = final["last"]
            adopted = episode["reason_ceased"] in {"E11", "E12"}
            out.append(row(month, episode["team"], episode["episode_id"], adopted))
    return frame(out)


# --------------------------------------------------------------------------------------------------
# Care leavers (refs 32-34)


def _birthday_contacts(extracts, months, window_months_before=3, window_months_after=1,
                       youngest_age=17, oldest_age=21, younger_ages_below=19,
                       younger_ages_from="2015-04-01"):  # fmt: skip
    """(month, team, record id, the contact that counts or None) per cohort member and birthday."""
    born = birth_dates(extracts)
    contacts = rows_of(extracts, "care_leaver_contacts")
    younger_from = dt.date.fromisoformat(str(younger_ages_from))
    out = []
    for month in months:
        first, last = r12m_start(month), month_end(month)
        for leaver in rows_of(extracts, "care_leavers"):
            dob = born[leaver["child_id"]]
            if leaver["eligibility"] != "former_relevant" or dob is None:
                continue
            for age in range(youngest_age, oldest_age + 1):
                birthday = dob + relativedelta(years=age)
                if age < younger_ages_below and birthday < younger_from:
                    continue
                if not first <= birthday <= last:
                    continue
                since = plus_months(birthday, -window_months_before)
                until = plus_months(birthday, window_months_after)
                window = [
                    c for c in contacts
                    if c["child_id"] == leaver["child_id"]
                    and since <= c["contact_date"] <= until and c["contact_date"] <= last
                ]  # fmt: skip
                in_touch = [c for c in window if c["in_touch"] == "YES"]
                pool = in_touch or window
                chosen = max(pool, key=lambda c: (c["contact_date"], c["contact_id"]), default=None)
                out.append((month, leaver["team"], f"{leaver['child_id']}/{age}", chosen))
    return out


def care_leavers_in_touch(extracts, months, **parameters):
    return frame(
        row(m, team, rid, c is not None and c["in_touch"] == "YES")
        for m, team, rid, c in _birthday_contacts(extracts, months, **parameters)
    )


def care_leavers_suitable_accommodation(extracts, months, **parameters):
    return frame(
        row(m, team, rid, c is not None and c["accommodation_suitable"] is True)
        for m, team, rid, c in _birthday_contacts(extracts, months, **parameters)
    )


EET = {"F1", "P1", "F2", "P2", "F3", "P3"}


def care_leavers_eet(extracts, months, **parameters):
    return frame(
        row(m, team, rid, c is not None and c["activity"] in EET)
        for m, team, rid, c in _birthday_contacts(extracts, months, **parameters)
    )


# --------------------------------------------------------------------------------------------------
# Private fostering (refs 8-10)


def pf_initial_visit(extracts, months, initial_visit_days=7, day_kind="working"):
    out = []
    for month in months:
        first, last = ytd_start(month), month_end(month)
        for arrangement in rows_of(extracts, "pf_arrangements"):
            notified, visited = arrangement["notification_date"], arrangement["initial_visit_date"]
            if not first <= notified <= last:
                continue
            if visited is None:
                in_time = False
            elif day_kind == "working":
                in_time = working_days_between(notified, visited) <= initial_visit_days
            else:
                in_time = (visited - notified).days <= initial_visit_days
            out.append(row(month, arrangement["team"], arrangement["arrangement_id"], in_time))
    return frame(out)


def _pf_intervals(extracts):
    """Per started arrangement with a visit: (arrangement, anniversary, [(visit, next visit)])."""
    visits = rows_of(extracts, "visits")
    out = []
    for arrangement in rows_of(extracts, "pf_arrangements"):
        start = arrangement["start_date"]
        if start is None:
            continue  # a proposed arrangement: no visit is due
        dates = [arrangement["initial_visit_date"]] if arrangement["initial_visit_date"] else []
        dates += [
            v["visit_date"] for v in visits
            if v["visit_type"] == "PF" and v["child_seen"]
            and v["arrangement_id"] == arrangement["arrangement_id"]
        ]  # fmt: skip
        chain = sorted({max(d, start) for d in dates})  # before the start: as made on the start
        if not chain:
            continue
        pairs = [(v, chain[i + 1] if i + 1 < len(chain) else None) for i, v in enumerate(chain)]
        out.append((arrangement, plus_months(start, 12), pairs))
    return out


def _pf_visits_in_time(extracts, months, interval_days, later_years):
    out = []
    for month in months:
        first, last = ytd_start(month), month_end(month)
        for arrangement, anniversary, pairs in _pf_intervals(extracts):
            end = arrangement["end_date"]
            verdicts = []
            for visit, following in pairs:
                due = visit + dt.timedelta(days=interval_days)
                if later_years:
                    # reaches the second year: no visit held before the anniversary ends it
                    if following is not None and following <= anniversary:
                        continue
                    falls_due = max(due, anniversary)
                else:
                    if due >= anniversary:
                        continue  # falls due in the second year
                    falls_due = due
                if end is not None and end <= falls_due:
                    continue  # ended before the visit fell due
                falls_in = first <= falls_due <= last
                still_due = (
                    falls_due < first
                    and (following is None or following >= first)
                    and (end is None or end > first)
                    and (later_years or first < anniversary)
                )
                if falls_in or still_due:
                    verdicts.append(following is not None and following <= due)
            if verdicts:
                out.append(
                    row(month, arrangement["team"], arrangement["arrangement_id"], all(verdicts))
                )
    return frame(out)


def pf_new_visits(extracts, months, visit_interval_days=42):
    return _pf_visits_in_time(extracts, months, visit_interval_days, later_years=False)


def pf_existing_visits(extracts, months, visit_interval_days=84):
    return _pf_visits_in_time(extracts, months, visit_interval_days, later_years=True)


# --------------------------------------------------------------------------------------------------
# Staffing (refs 40-44)


def _posts_on(extracts, on):
    return [p for p in rows_of(extracts, "workforce")
            if p["caseholding"] and is_open_on(p["start_date"], p["end_date"], on)]  # fmt: skip


def posts_permanent_qsw(extracts, months):
    out = []
    for month in months:
        for post in _posts_on(extracts, snapshot(month)):
            counted = post["contract"] == "permanent" and post["qualified_social_worker"] is True
            out.append(row(month, post["team"], post["post_id"],
                           post["fte"] if counted else 0.0, post["fte"]))  # fmt: skip
    return frame(out)


def posts_agency(extracts, months):
    out = []
    for month in months:
        for post in _posts_on(extracts, snapshot(month)):
            counted = post["contract"] == "agency"
            out.append(row(month, post["team"], post["post_id"],
                           post["fte"] if counted else 0.0, post["fte"]))  # fmt: skip
    return frame(out)


def _caseloads(extracts, months, roles, team_types):
    organisation = extracts.organisation
    types = dict(zip(organisation["team"], organisation["team_type"], strict=True))
    out = []
    for month in months:
        on = snapshot(month)
        posts: dict[str, list[dict[str, Any]]] = {}
        for post in _posts_on(extracts, on):
            if post["contract"] == "vacant" or post["worker_id"] is None:
                continue
            if post["role"] not in roles:
                continue
            if team_types is not None and types.get(post["team"]) not in team_types:
                continue
            posts.setdefault(post["worker_id"], []).append(post)
        for worker, held in posts.items():
            largest = min(held, key=lambda p: (-p["fte"], p["post_id"]))  # then the first id
            children = {
                a["child_id"] for a in rows_of(extracts, "allocations")
                if a["worker_id"] == worker and (a["worker_role"] is None or a["worker_role"] in roles)
                and is_open_on(a["start_date"], a["end_date"], on)
            }  # fmt: skip
            out.append(row(month, largest["team"], worker, len(children),
                           sum(p["fte"] for p in held)))  # fmt: skip
    return frame(out)


def caseload_cic(extracts, months):
    return _caseloads(extracts, months, SOCIAL_WORKERS, {"children_in_care"})


def caseload_ait_fst(extracts, months):
    return _caseloads(extracts, months, SOCIAL_WORKERS, {"assessment_and_family_support"})


def caseload_fostering(extracts, months):
    return _caseloads(extracts, months, {"fostering_social_worker"}, None)


#: indicator id -> plain function
PLAIN = {
    "pf_initial_visit_7_days": pf_initial_visit,
    "pf_new_visits_6_weeks": pf_new_visits,
    "pf_existing_visits_in_time": pf_existing_visits,
    "cic_3_placements_12m": three_placements,
    "cic_same_placement_2y": same_placement,
    "cic_in_house_foster": in_house_foster,
    "cic_within_20_miles": within_20_miles,
    "cic_review_participation": review_participation,
    "cic_reviews_in_time": reviews_in_time,
    "cic_dental_checks": dental_checks,
    "cic_health_assessments": health_assessments,
    "cic_same_worker_12m": same_worker,
    "adoption_plan_by_2nd_review": adoption_plan_by_2nd_review,
    "adoption_la_to_placed_days": adoption_la_to_placed_days,
    "adoption_order_to_match_days": adoption_order_to_match_days,
    "cic_ceased_adopted": cic_ceased_adopted,
    "care_leavers_in_touch": care_leavers_in_touch,
    "care_leavers_suitable_accommodation": care_leavers_suitable_accommodation,
    "care_leavers_eet": care_leavers_eet,
    "posts_permanent_qsw": posts_permanent_qsw,
    "posts_agency": posts_agency,
    "caseload_cic": caseload_cic,
    "caseload_ait_fst": caseload_ait_fst,
    "caseload_fostering": caseload_fostering,
}


def team_totals(records: pd.DataFrame) -> dict[tuple[str, str], tuple[float, float]]:
    """(month, team) -> (numerator, denominator) sums of plain rows."""
    sums = records.groupby(["month", "team"])[["numerator", "denominator"]].sum()
    return {key: (float(v["numerator"]), float(v["denominator"])) for key, v in sums.iterrows()}

"""Hypothesis strategies drawing small random extracts for the care measures (refs 8-10, 19-34,
40-44).

Dates are drawn from a pool of awkward days around the reporting months (:data:`MONTHS`): snapshot
dates and month ends, bank holidays (Christmas and Boxing Day with its substitute day, Easter 2015
and 2016, 4 May 2015), 29 February 2016, and the exact 6/12/18/24/30-month and 16th/18th-birthday
edges of the snapshots (each also a day either side), mixed with any day of 2012-2016. Records may
be open (no end date) or closed and optional values may be missing. Every draw goes through
``tests.measures.builders.build``, so it is a valid extract (the strategies respect the extracts'
checks: episodes of a child do not overlap, a post's periods do not overlap, ...).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from tests.measures.builders import build
from tests.reference.plain_care import month_end, snapshot

#: The reporting months compared: FY 2014/15's last month, April/May 2015 (Easter Monday, 4 and
#: 25 May), December 2015 (Christmas, Boxing Day on a Saturday), February 2016 (29 Feb is the
#: snapshot) and March 2016 (Easter at the month end).
MONTHS = ["2015-03", "2015-04", "2015-05", "2015-12", "2016-02", "2016-03"]
TEAMS = ["A1", "C1", "A2", "F"]

_HOLIDAYS = ["2014-12-25", "2014-12-26", "2015-04-03", "2015-04-06", "2015-05-04", "2015-05-25",
             "2015-12-25", "2015-12-26", "2015-12-28", "2016-03-25", "2016-03-28", "2016-02-29",
             "2015-02-28", "2015-04-01", "2016-04-01"]  # fmt: skip


def _anchors() -> list[dt.date]:
    base = [dt.date.fromisoformat(d) for d in _HOLIDAYS]
    for month in MONTHS:
        on, end = snapshot(month), month_end(month)
        base += [on, end, end.replace(day=1)]
        base += [on - relativedelta(months=n) for n in (3, 6, 12, 18, 24, 30)]
        base += [on - relativedelta(years=n) for n in (4, 5, 16, 17, 18)]
    return sorted({d + dt.timedelta(days=k) for d in base for k in (-1, 0, 1)})


ANCHORS = _anchors()
FIRST, LAST = dt.date(2012, 1, 1), dt.date(2016, 6, 30)


def dates(first: dt.date = FIRST, last: dt.date = LAST) -> st.SearchStrategy[dt.date]:
    """A day between ``first`` and ``last``: an awkward one (see the module docstring) or any."""
    last = max(first, last)
    pool = [d for d in ANCHORS if first <= d <= last]
    anywhere = st.dates(min_value=first, max_value=last)
    return st.one_of(st.sampled_from(pool), anywhere) if pool else anywhere


def days_after(day: dt.date, low: int | list[int], high: int | None = None):
    """``day`` plus a number of days: between ``low`` and ``high``, or one of the list ``low``."""
    counts = st.sampled_from(low) if isinstance(low, list) else st.integers(low, high)
    return counts.map(lambda n: day + dt.timedelta(days=n))


def iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


teams = st.sampled_from(TEAMS)


def identifiers(prefix: str, low: int, high: int) -> st.SearchStrategy[list[str]]:
    """Distinct record ids: mostly ``<prefix><n>``, some digits only (``1``, ``01``, ``10``),
    with a space or a non-ASCII letter."""
    pool = [f"{prefix}{n}" for n in range(12)] + ["1", "01", "10", "2", f"{prefix} 3", f"É{prefix}"]
    return st.lists(st.sampled_from(pool), min_size=low, max_size=high, unique=True)


maybe = st.booleans


@st.composite
def child_rows(draw, ids: list[str], *, born_first=dt.date(1993, 1, 1), born_last=LAST):
    """``children`` rows: date of birth (sometimes unknown: then an expected date), UASC status."""
    rows = []
    for child in ids:
        dob = draw(dates(born_first, born_last)) if draw(st.integers(0, 4)) else None
        uasc = draw(st.booleans())
        ceased = draw(st.one_of(st.none(), dates())) if uasc else None
        rows.append({"child_id": child, "date_of_birth": iso(dob),
                     "expected_date_of_birth": None if dob else "2016-06-01",
                     "uasc": uasc, "uasc_ceased_date": iso(ceased), "sex": "F"})  # fmt: skip
    return rows


# --------------------------------------------------------------------------------------------------
# Children in care and adoption

LEGAL = ["C2", "C1", "E1", "J1", "V2", "V3", "V4"]
PLACES = ["U1", "U3", "U4", "U6", "A1", "A3", "A5", "A6", "K1", "R1", "P1", "T1", "S1", "Z1"]
RNE = ["S", "L", "P", "T", "U", "B"]
LEFT_CARE = ["E11", "E12", "E4A", "E13", "E8"]


@st.composite
def episode_rows(draw, child: str, first_id: int) -> list[dict[str, Any]]:
    """A child's SSDA903 episodes: 1-5, each following the last on the same day (mostly with X1,
    care continuing) or after a gap; some last a single day (start = end); the last open or
    closed."""
    rows = []
    long_stay = draw(st.integers(0, 2)) == 0  # in care since 2012-13, rarely moving
    start = draw(st.one_of(dates(dt.date(2012, 1, 1), dt.date(2013, 12, 31)),
                           dates(dt.date(2014, 1, 1), dt.date(2016, 3, 1))))  # fmt: skip
    if long_stay:
        start = draw(dates(dt.date(2012, 1, 1), dt.date(2013, 12, 31)))
    count = draw(st.integers(1, 5))
    for i in range(count):
        last_one = i == count - 1
        end = None
        if long_stay and (last_one or draw(st.booleans())):
            end = None if last_one else start + dt.timedelta(days=draw(st.integers(200, 900)))
        elif not last_one or draw(st.booleans()):
            end = draw(st.one_of(dates(start + dt.timedelta(days=1), dt.date(2016, 6, 30)),
                                 days_after(start, [0, 1]), days_after(start, 1, 120),
                                 days_after(start, 120, 1500)))  # fmt: skip
        follows = long_stay or draw(st.integers(0, 3)) > 0  # next starts the day this one ends
        if end is None:
            reason = None
        elif long_stay:
            reason = "X1"
        elif follows and not last_one:
            reason = draw(st.sampled_from(["X1", "X1", "X1", "E4A", "E11"]))
        else:
            reason = draw(st.sampled_from(["X1", *LEFT_CARE, "E11", "E12"]))
        rows.append({
            "episode_id": f"e{first_id + i}", "child_id": child, "team": draw(teams),
            "start_date": iso(start), "end_date": iso(end),
            "reason_new_episode": "S" if i == 0 else draw(st.sampled_from(
                ["L", "L", "L", "P"] if long_stay else RNE)),
            "legal_status": draw(st.sampled_from(LEGAL)),
            "placement_type": draw(st.sampled_from(PLACES)),
            "placement_provider": draw(st.sampled_from([None, "PR0", "PR1", "PR2", "PR4"])),
            "reason_ceased": reason,
            "distance_miles": draw(st.sampled_from([None, 0.0, 5.5, 19.9, 20.0, 20.1, 80.0])),
        })  # fmt: skip
        if end is None:
            break
        start = end if follows else end + dt.timedelta(days=draw(st.integers(1, 120)))
        if start > dt.date(2016, 6, 30):
            break
    return rows


@st.composite
def review_rows(draw, child: str, episodes: list[dict[str, Any]], first_id: int):
    """A chain of reviews from the start of one of the child's episodes: about 20 working days,
    then about 3 and 6 months apart (each step exact, a day either side, or farther off)."""
    if not episodes:
        return []
    begun = dt.date.fromisoformat(draw(st.sampled_from([episodes[0], *episodes]))["start_date"])
    current = begun + dt.timedelta(days=draw(st.sampled_from([0, 20, 26, 27, 28, 29, 30, 45])))
    rows = []
    for i in range(draw(st.integers(0, 9))):
        if i:
            step = relativedelta(months=3 if i == 1 else 6)
            slip = draw(st.sampled_from([-30, -3, -1, 0, 0, 0, 0, 1, 40]))
            current = current + step + dt.timedelta(days=slip)
        rows.append({"cic_review_id": f"r{first_id + i}", "child_id": child, "team": draw(teams),
                     "review_date": iso(current),
                     "participation": draw(st.sampled_from(
                         ["PN0", "PN1", "PN3", "PN6", "PN7"]))})  # fmt: skip
    if rows and draw(st.booleans()):  # another review the same day
        rows.append({**rows[-1], "cic_review_id": f"r{first_id + len(rows)}"})
    return rows


@st.composite
def allocation_rows(draw, child: str, first_id: int):
    """Allocations of a child: one worker over the last 12 months (whole, split with or without a
    gap, ending on the snapshot) or short spells; roles named, blank or another role's."""
    rows = []
    for i in range(draw(st.integers(0, 3))):
        start = draw(dates(dt.date(2013, 1, 1), dt.date(2016, 4, 1)))
        end = draw(st.one_of(st.none(), dates(start, dt.date(2016, 6, 30))))
        rows.append({"allocation_id": f"a{first_id + i}", "child_id": child,
                     "worker_id": draw(st.sampled_from(["W1", "W2", "W3"])), "team": draw(teams),
                     "start_date": iso(start), "end_date": iso(end),
                     "worker_role": draw(st.sampled_from(
                         [None, "social_worker", "senior_practitioner", "fostering_social_worker",
                          "family_support_worker"]))})  # fmt: skip
    if rows and rows[-1]["end_date"] and draw(st.booleans()):  # the same worker again, same day
        rows.append({**rows[-1], "allocation_id": f"a{first_id + len(rows)}",
                     "start_date": rows[-1]["end_date"], "end_date": None})  # fmt: skip
    return rows


@st.composite
def adoption_rows(draw, child: str, first_id: int):
    rows = []
    for i in range(draw(st.integers(0, 2))):
        decided = draw(st.one_of(st.none(), dates(dt.date(2013, 1, 1))))
        reversed_ = draw(st.one_of(st.none(), dates(decided))) if decided else None
        placed = draw(st.one_of(st.none(), dates(dt.date(2013, 1, 1))))
        ordered = draw(st.one_of(st.none(), dates(placed or dt.date(2013, 1, 1))))
        rows.append({"adoption_id": f"ad{first_id + i}", "child_id": child, "team": draw(teams),
                     "should_be_placed_date": iso(decided), "decision_reversed_date": iso(reversed_),
                     "placement_order_date": iso(draw(st.one_of(st.none(), dates(dt.date(2013, 1, 1))))),
                     "match_date": iso(draw(st.one_of(st.none(), dates(dt.date(2013, 1, 1))))),
                     "placed_for_adoption_date": iso(placed), "adoption_order_date": iso(ordered),
                     "foster_carer_adoption": draw(st.sampled_from([None, True, False])),
                     "moved_in_with_carer_date": iso(draw(st.one_of(st.none(), dates())))})  # fmt: skip
    return rows


@st.composite
def workforce_rows(draw, workers=("W1", "W2", "W3"), posts: int = 4):
    """Post periods: 1-3 per post, each following the last on the same day or after a gap."""
    rows = []
    for p in range(draw(st.integers(0, posts))):
        start = draw(dates(dt.date(2013, 1, 1), dt.date(2016, 3, 1)))
        for _ in range(draw(st.integers(1, 3))):
            end = draw(st.one_of(st.none(), dates(start, dt.date(2016, 6, 30))))
            contract = draw(st.sampled_from(["permanent", "agency", "fixed_term", "secondment",
                                             "vacant"]))  # fmt: skip
            rows.append({"post_id": f"P{p}", "start_date": iso(start), "end_date": iso(end),
                         "team": draw(st.sampled_from(["C1", *TEAMS])),
                         "role": draw(st.sampled_from(["social_worker", "social_worker",
                                                       "senior_practitioner",
                                                       "fostering_social_worker",
                                                       "fostering_social_worker",
                                                       "family_support_worker", "team_manager"])),
                         "caseholding": draw(st.integers(0, 4)) > 0,
                         "fte": draw(st.sampled_from([1.0, 0.5, 0.6, 0.8, 0.2])),
                         "contract": contract,
                         "worker_id": None if contract == "vacant" else draw(st.sampled_from(workers)),
                         "qualified_social_worker": draw(st.sampled_from([None, True, False]))})  # fmt: skip
            if end is None:
                break
            gap = draw(st.sampled_from([0, 0, 1, 30]))
            start = end + dt.timedelta(days=max(gap, 1) if end == start else gap)
            if start > dt.date(2016, 6, 30):
                break
    return rows


@st.composite
def care_extracts(draw, with_workforce: bool | None = None):
    """Children in care and adoption: children, episodes, reviews, health checks, allocations,
    adoptions (and sometimes a workforce extract, which decides blank allocation roles)."""
    ids = draw(identifiers("c", 1, 6))
    children = draw(child_rows(ids, born_first=dt.date(1999, 1, 1)))
    episodes, reviews, checks, allocations, adoptions = [], [], [], [], []
    for child in ids:
        mine = draw(episode_rows(child, len(episodes)))
        episodes += mine
        reviews += draw(review_rows(child, mine, len(reviews)))
        for _ in range(draw(st.integers(0, 3))):
            checks.append({"health_check_id": f"h{len(checks)}", "child_id": child,
                           "check_type": draw(st.sampled_from(["dental", "health_assessment"])),
                           "check_date": iso(draw(dates(dt.date(2014, 2, 1), dt.date(2016, 3, 31))))})  # fmt: skip
        allocations += draw(allocation_rows(child, len(allocations)))
        adoptions += draw(adoption_rows(child, len(adoptions)))
    frames = {"children": children, "cic_episodes": episodes, "cic_reviews": reviews,
              "health_checks": checks, "allocations": allocations, "adoptions": adoptions}  # fmt: skip
    if with_workforce if with_workforce is not None else draw(st.booleans()):
        frames["workforce"] = draw(workforce_rows())
    return build(**frames)


# --------------------------------------------------------------------------------------------------
# Care leavers


@st.composite
def leaver_extracts(draw):
    """Care leavers born so that birthdays fall near the R12M windows and 1 April 2015, with
    contacts a few months either side of their birthdays (exact window edges included)."""
    ids = draw(identifiers("k", 1, 6))
    children, leavers, contacts = [], [], []
    for child in ids:
        birthday = draw(dates(dt.date(2014, 1, 1), dt.date(2016, 6, 30)))
        age = draw(st.integers(16, 22))
        dob = birthday - relativedelta(years=age) if draw(st.integers(0, 9)) else None
        children.append({"child_id": child, "date_of_birth": iso(dob),
                         "expected_date_of_birth": None if dob else "2016-06-01",
                         "uasc": False, "sex": "M"})  # fmt: skip
        leavers.append(
            {
                "child_id": child,
                "team": draw(teams),
                "eligibility": draw(
                    st.sampled_from(["former_relevant", "former_relevant", "relevant", "eligible"])
                ),
            }
        )
        for _ in range(draw(st.integers(0, 4))):
            months = draw(st.integers(-4, 2))
            shift = draw(st.sampled_from([-1, 0, 0, 1, 10]))
            when = birthday + relativedelta(months=months) + dt.timedelta(days=shift)
            contacts.append({
                "contact_id": f"ct{len(contacts)}", "child_id": child, "contact_date": iso(when),
                "in_touch": draw(st.sampled_from(["YES", "YES", "NO", "REFU", "DIED"])),
                "accommodation_suitable": draw(st.sampled_from([None, True, False])),
                "activity": draw(st.sampled_from([None, "F1", "P3", "G4", "G6"])),
            })  # fmt: skip
    return build(children=children, care_leavers=leavers, care_leaver_contacts=contacts)


# --------------------------------------------------------------------------------------------------
# Private fostering


@st.composite
def pf_extracts(draw):
    """Arrangements (started or proposed, open or ended) with initial visits a few working days
    after notification and PF visits roughly 6 or 12 weeks apart (exact edges, a day either side),
    some where the child was not seen."""
    ids = draw(identifiers("p", 1, 5))
    children = [{"child_id": f"ch{a}", "date_of_birth": "2005-05-05", "uasc": False, "sex": "U"}
                for a in ids]  # fmt: skip
    arrangements, visits = [], []
    for a in ids:
        notified = draw(dates(dt.date(2014, 1, 1), dt.date(2016, 3, 31)))
        initial = draw(
            st.one_of(st.none(), days_after(notified, [0, 1, 6, 7, 8, 9, 10, 11, 13, 30]))
        )
        start = draw(st.one_of(st.none(), days_after(notified, -20, 20)))
        end = None
        if start is not None and draw(st.booleans()):
            end = start + dt.timedelta(days=draw(st.sampled_from([0, 42, 43, 200, 365, 366, 500])))
        arrangements.append({"arrangement_id": a, "child_id": f"ch{a}", "team": draw(teams),
                             "notification_date": iso(notified), "initial_visit_date": iso(initial),
                             "start_date": iso(start), "end_date": iso(end)})  # fmt: skip
        current = initial or start or notified
        gaps = draw(
            st.sampled_from([[20, 41, 42], [42, 84], [41, 42, 43, 83, 84, 85, 20, 60, 150]])
        )
        for _ in range(draw(st.integers(0, 14))):
            gap = draw(st.sampled_from([0, *gaps]))
            current = current + dt.timedelta(days=gap)
            visits.append({"visit_id": f"v{len(visits)}", "child_id": f"ch{a}", "team": draw(teams),
                           "visit_type": draw(st.sampled_from(["PF", "PF", "PF", "CIN"])),
                           "visit_date": iso(current), "child_seen": draw(st.integers(0, 5)) > 0,
                           "arrangement_id": a})  # fmt: skip
    for v in visits:  # a visit of another type may name the arrangement or not
        if v["visit_type"] != "PF" and draw(st.booleans()):
            v["arrangement_id"] = None
    return build(children=children, pf_arrangements=arrangements, visits=visits)


# --------------------------------------------------------------------------------------------------
# Staffing


@st.composite
def staffing_extracts(draw):
    """Posts over time (filled, vacant, caseholding or not, several per worker) and allocations
    of children to their workers, some ending on a snapshot date."""
    workers = ("W1", "W2", "W3", "W4")
    posts = draw(workforce_rows(workers, posts=6))
    ids = draw(identifiers("c", 0, 6))
    children = [{"child_id": c, "date_of_birth": "2008-08-08", "uasc": False, "sex": "M"}
                for c in ids]  # fmt: skip
    allocations = []
    for child in ids:
        for _ in range(draw(st.integers(0, 3))):
            start = draw(dates(dt.date(2014, 1, 1), dt.date(2016, 3, 31)))
            end = draw(st.one_of(st.none(), dates(start, dt.date(2016, 6, 30))))
            allocations.append({
                "allocation_id": f"a{len(allocations)}", "child_id": child,
                "worker_id": draw(st.sampled_from([*workers, "W9"])), "team": draw(teams),
                "start_date": iso(start), "end_date": iso(end),
                "worker_role": draw(st.sampled_from([None, "social_worker", "senior_practitioner",
                                                     "fostering_social_worker", "other"])),
            })  # fmt: skip
    return build(workforce=posts, children=children, allocations=allocations)

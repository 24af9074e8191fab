"""Measures of the domain Referral and assessments: refs 1-4."""

from __future__ import annotations

import pandas as pd

from scorecard.calendar.months import add_months
from scorecard.calendar.working_days import working_days_between
from scorecard.measures.base import (
    MeasureInput,
    Shown,
    explained,
    in_period,
    measure,
    reasons,
    whole,
    within_periods,
)
from scorecard.measures.kernels import (
    merged_one,
    nanoseconds,
    previous_event_date,
)


@measure("re_referrals_12m", needs=("referrals",), parameters=(
    whole("lookback_months", "how far back a previous referral counts", 12, minimum=1, maximum=120),))
def re_referrals(inp: MeasureInput) -> pd.DataFrame:
    """Referrals in the period (by referral date); in the numerator when the same child has another
    referral dated strictly earlier and at most ``lookback_months`` (12) calendar months before,
    the boundary day included (CIN census re-referral definition)."""
    referrals = inp.extract("referrals")
    months = int(inp.param("lookback_months"))
    # only the referrals a month's period can hold are worked on, and as their previous referrals
    # only those dated from ``months`` before the earliest of them (an older previous referral
    # is not within ``months`` of any of them: it counts as none, and so does no referral)
    wanted = ["referral_id", "team", "child_id", "referral_date"]
    stamps = nanoseconds(referrals["referral_date"])
    dated = within_periods(referrals["referral_date"], inp)
    recent = dated
    if dated.any():
        since = add_months(pd.Series([pd.Timestamp(stamps[dated].min())]), -months).iloc[0]
        recent = stamps >= since.value
    events = referrals.loc[dated, wanted]
    found = previous_event_date(referrals.loc[recent, ["child_id", "referral_date"]], "child_id",
                                "referral_date")[dated[recent]]  # fmt: skip
    repeat = found.notna() & (found >= add_months(events["referral_date"], -months))
    flagged = events.assign(_repeat=repeat)

    def why(_: pd.DataFrame) -> Shown:  # the dates the rule compared and why (of every referral)
        previous = previous_event_date(referrals, "child_id", "referral_date")[dated]
        return Shown(
            reasons(
                [
                    (repeat, f"an earlier referral of the child within {months} months"),
                    (previous.notna(),
                     f"the child's previous referral was over {months} months before"),
                ],
                "no earlier referral of the child",
                events.index,
            ),
            {"referral_date": "referral_date", "previous_referral_date": previous},
        )  # fmt: skip

    return explained(inp, flagged, why, record_id="referral_id", numerator="_repeat",
                     date="referral_date", columns=[*wanted, "_repeat"])  # fmt: skip


def _authorised(assessments: pd.DataFrame) -> pd.DataFrame:
    """Assessments with an authorisation date (completed)."""
    return assessments[assessments["authorised_date"].notna()]


@measure("assessments_within_45_wd", needs=("assessments",), parameters=(
    whole("timescale_working_days", "working days from start to authorisation", 45, minimum=1),))
def assessments_within_timescale(inp: MeasureInput) -> pd.DataFrame:
    """C&F assessments authorised in the period (by authorisation date); in the numerator when the
    number of working days from the assessment start to its authorisation is at most
    ``timescale_working_days`` (45). Working days from a to b are the working days w with
    a < w <= b, so an assessment authorised on the 45th working day after its start is in time and
    one authorised on the 46th is not (Working Together; DfE CIN census start and authorisation
    dates). One row per assessment, in the team holding the assessment."""
    limit = int(inp.param("timescale_working_days"))
    assessments = inp.extract("assessments")
    # the authorised assessments a month's period can hold, with the columns the rule reads
    wanted = ["assessment_id", "team", "child_id", "authorised_date"]
    done = assessments.loc[
        within_periods(assessments["authorised_date"], inp), [*wanted, "start_date"]
    ]
    days = working_days_between(done["start_date"], done["authorised_date"])
    in_time = (days <= limit).to_numpy(dtype=bool, na_value=False)
    flagged = done.assign(_in_time=in_time)

    def why(_: pd.DataFrame) -> Shown:  # the dates and working days the rule used and why
        return Shown(
            reasons(
                [
                    (in_time, f"authorised within {limit} working days of the start"),
                    (days.notna(), f"authorised more than {limit} working days after the start"),
                ],
                "no start date: working days unknown",
                done.index,
            ),
            {"start_date": "start_date", "authorised_date": "authorised_date",
             "working_days": days},
        )  # fmt: skip

    return explained(inp, flagged, why, record_id="assessment_id", numerator="_in_time",
                     date="authorised_date", columns=[*wanted, "_in_time"])  # fmt: skip


@measure("assessments_overdue", needs=("assessments",), parameters=(
    whole("timescale_working_days", "working days after which an open assessment is overdue", 45,
          minimum=1),))
def assessments_overdue(inp: MeasureInput) -> pd.DataFrame:
    """Count of C&F assessments in progress on the snapshot date (started on or before it and not
    authorised by it: an assessment authorised on the snapshot date is no longer in progress) for
    which more than ``timescale_working_days`` (45) working days have passed from the start to the
    snapshot date (46 or more; 45 is still within timescale). One row per overdue assessment, in
    the team holding the assessment."""
    limit = int(inp.param("timescale_working_days"))
    in_progress = inp.open_records(
        "assessments",
        "start_date",
        "authorised_date",
        ("assessment_id", "child_id", "team", "start_date"),
    )
    days = working_days_between(in_progress["start_date"], in_progress["snapshot"])
    overdue = in_progress[(days > limit).to_numpy(dtype=bool, na_value=False)]

    def why(frame: pd.DataFrame) -> Shown:  # the start, the snapshot and the working days
        return Shown(
            reasons([], f"in progress more than {limit} working days after the start",
                    frame.index),
            {"start_date": "start_date", "snapshot_date": "snapshot",
             "working_days": days[frame.index]},
        )  # fmt: skip

    return explained(inp, overdue, why, record_id="assessment_id", numerator=1.0,
                     denominator=None)  # fmt: skip


@measure("assessments_child_seen", needs=("assessments", "children"))
def assessments_child_seen(inp: MeasureInput) -> pd.DataFrame:
    """C&F assessments authorised in the period (by authorisation date), excluding unborn children
    (no date of birth, or born after the assessment started) and assessments where the child was
    recorded as missing; in the numerator when the child was seen during the assessment.

    Choice: a blank ``child_seen`` counts as not seen (the assessment stays in the denominator); a
    blank ``child_missing`` counts as not missing. A child born during the assessment is treated
    as unborn for it, as the definition says. One row per assessment, in the team holding the
    assessment."""
    done = _authorised(inp.extract("assessments"))
    done = done[within_periods(done["authorised_date"], inp)]  # only these are in a period
    births = inp.extract("children")[["child_id", "date_of_birth"]]
    joined = merged_one(done, births, "child_id", "date_of_birth", validate="many_to_one")
    unborn = joined["date_of_birth"].isna() | (joined["date_of_birth"] > joined["start_date"])
    missing = joined["child_missing"].astype("boolean").fillna(False).astype(bool)
    eligible = joined[~unborn & ~missing]
    eligible = eligible.assign(_seen=eligible["child_seen"].astype("boolean").fillna(False))
    wanted = ["assessment_id", "team", "child_id", "authorised_date", "_seen"]
    rows = in_period(eligible[wanted if not inp.detail else [*wanted, "start_date", "child_seen"]],
                     "authorised_date", inp)  # fmt: skip
    seen = rows["_seen"].astype(bool)

    def why(frame: pd.DataFrame) -> Shown:  # the dates and the flag, and why
        return Shown(
            reasons(
                [(seen, "the child was seen during the assessment"),
                 (frame["child_seen"].notna(), "the child was not seen during the assessment")],
                "not recorded whether the child was seen (counts as not seen)",
                frame.index,
            ),
            {"start_date": "start_date", "authorised_date": "authorised_date",
             "child_seen": "child_seen"},
        )  # fmt: skip

    return explained(inp, rows, why, record_id="assessment_id", numerator=seen)

"""Measures of the domain Referral and assessments that the 2011 improvement plan set and the 44
lack.

``referrals_to_assessment``: the improvement plan's conversion of referrals to initial
assessment. The canonical ``assessments`` extract has no assessment type: every assessment counts
(see ``docs/registry-2011.md``: the 2011 initial and core assessments are mapped onto the single
child and family assessment).
"""

from __future__ import annotations

import pandas as pd

from scorecard.measures.base import MeasureInput, Shown, explained, in_period, measure, reasons


@measure("referrals_to_assessment", needs=("referrals", "assessments"))
def referrals_to_assessment(inp: MeasureInput) -> pd.DataFrame:
    """Referrals with a referral date in the period; in the numerator when an assessment of the
    referral started on or before the end of the reporting month (and on or after the referral
    date): an assessment whose ``referral_id`` is the referral, or, when its ``referral_id`` is
    blank, an assessment of the same child. A referral whose assessment starts after the month
    counts as converted from that month on. One row per referral, in the team holding it.

    Choices: an assessment started before the referral date belongs to an earlier referral and
    does not count; a blank ``referral_id`` links an assessment to each referral of the child on
    or before its start (as ``cin_with_plan``, ref 5, links them)."""
    referrals = inp.extract("referrals")[["referral_id", "team", "child_id", "referral_date"]]
    assessments = inp.extract("assessments")[["referral_id", "child_id", "start_date"]]
    linked = referrals[["referral_id", "referral_date"]].merge(
        assessments.loc[assessments["referral_id"].notna(), ["referral_id", "start_date"]],
        on="referral_id",
    )
    unlinked = referrals[["referral_id", "child_id", "referral_date"]].merge(
        assessments.loc[assessments["referral_id"].isna(), ["child_id", "start_date"]],
        on="child_id",
    )
    both = pd.concat([linked, unlinked.drop(columns="child_id")], ignore_index=True)
    both = both[both["start_date"] >= both["referral_date"]]
    first = both.groupby("referral_id")["start_date"].min()
    rows = in_period(referrals, "referral_date", inp)
    month_end = rows["month"].map(inp.calendar.set_index("month")["month_end"])
    started = rows["referral_id"].map(first).astype(month_end.dtype)
    converted = started <= month_end  # never started (missing): not converted

    def why(frame: pd.DataFrame) -> Shown:  # the referral, the assessment's start and why
        return Shown(
            reasons(
                [(converted, "an assessment of the referral started by the end of the month"),
                 (started.notna(), "the assessment of the referral started after the month")],
                "no assessment of the referral started on or after its date",
                frame.index,
            ),
            {"referral_date": "referral_date", "assessment_start": started,
             "month_end": month_end},
        )  # fmt: skip

    return explained(inp, rows, why, record_id="referral_id", numerator=converted)

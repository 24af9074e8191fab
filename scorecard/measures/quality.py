"""Measures of the domain Quality assurance: refs 35-39.

All five read ``quality_audits`` (one row per case file audit, CP social work report rated by a CP
chair, or care plan rated by an IRO). A row counts in the team holding the audited case (the
audit's ``team``). Ratings are compared as codes: *good or outstanding* is ``good`` or
``outstanding``; *inadequate* is ``inadequate``.
"""

from __future__ import annotations

import pandas as pd

from scorecard.measures.base import MeasureInput, Shown, explained, in_period, measure, reasons

CASE_FILE = "case_file"
CP_REPORT = "cp_report"
CARE_PLAN = "care_plan"
GOOD_OR_OUTSTANDING = ("good", "outstanding")
INADEQUATE = ("inadequate",)


def audits_of_type(inp: MeasureInput, audit_type: str) -> pd.DataFrame:
    """The rows of ``quality_audits`` of one ``audit_type``."""
    audits = inp.extract("quality_audits")
    return audits[audits["audit_type"] == audit_type]


def rated_in_period(inp: MeasureInput, audit_type: str, ratings: tuple[str, ...]) -> pd.DataFrame:
    """Audits of ``audit_type`` completed (rated) in the period and given a rating; numerator 1 when
    the rating is one of ``ratings``."""
    audits = audits_of_type(inp, audit_type)
    rated = audits[audits["completed_date"].notna() & audits["rating"].notna()]
    rows = in_period(rated, "completed_date", inp)
    counted = rows["rating"].isin(ratings)

    def why(frame: pd.DataFrame) -> Shown:  # the date of the rating, the rating and why
        named = " or ".join(ratings)
        return Shown(
            reasons([(counted, f"rated {named}")], f"not rated {named}", frame.index),
            {"completed_date": "completed_date", "rating": "rating"},
        )

    return explained(inp, rows, why, record_id="audit_id", numerator=counted)


@measure("audits_completed", needs=("quality_audits",))
def audits_completed(inp: MeasureInput) -> pd.DataFrame:
    """Case file audits (``audit_type`` case_file) whose due date is in the period; in the
    numerator when the audit has a completed date on or before the last calendar day of the
    reporting month.

    Choice: an audit counts as completed if it was completed by the end of the reporting month,
    whether before or after its due date (the indicator measures completion, not timeliness), so a
    late completion raises the figure of later months but not of months before it was done; the
    figure for a past month is what the records showed at its end. Audits with no due date are
    not in the denominator (they were never due)."""
    audits = audits_of_type(inp, CASE_FILE)
    rows = in_period(audits, "due_date", inp).merge(
        inp.calendar[["month", "month_end"]], on="month", how="left"
    )
    done = rows["completed_date"].notna() & (rows["completed_date"] <= rows["month_end"])

    def why(frame: pd.DataFrame) -> Shown:  # the due and completed dates, and why
        return Shown(
            reasons(
                [(done, "completed by the end of the month"),
                 (frame["completed_date"].notna(), "completed after the end of the month")],
                "not completed",
                frame.index,
            ),
            {"due_date": "due_date", "completed_date": "completed_date",
             "month_end": "month_end"},
        )  # fmt: skip

    return explained(inp, rows, why, record_id="audit_id", numerator=done)


@measure("audits_good_outstanding", needs=("quality_audits",))
def audits_good_outstanding(inp: MeasureInput) -> pd.DataFrame:
    """Case file audits completed in the period (by completed date) and given a rating; in the
    numerator when rated good or outstanding.

    Choice: a completed audit with no rating recorded is left out of the denominator (the four
    ratings then share 100% between them, as in 37); it is a data quality gap, not a poor audit."""
    return rated_in_period(inp, CASE_FILE, GOOD_OR_OUTSTANDING)


@measure("audits_inadequate", needs=("quality_audits",))
def audits_inadequate(inp: MeasureInput) -> pd.DataFrame:
    """Case file audits completed in the period (by completed date) and given a rating; in the
    numerator when rated inadequate.

    Choice: as for 36, a completed audit with no rating recorded is left out of the denominator."""
    return rated_in_period(inp, CASE_FILE, INADEQUATE)


@measure("cp_reports_good_outstanding", needs=("quality_audits",))
def cp_reports_good_outstanding(inp: MeasureInput) -> pd.DataFrame:
    """Social work reports to child protection conferences (``audit_type`` cp_report) rated by a CP
    chair in the period (by the completed date, the date of the rating); in the numerator when rated
    good or outstanding. Reports without a rating are not counted."""
    return rated_in_period(inp, CP_REPORT, GOOD_OR_OUTSTANDING)


@measure("care_plans_good_outstanding", needs=("quality_audits",))
def care_plans_good_outstanding(inp: MeasureInput) -> pd.DataFrame:
    """Children in care plans (``audit_type`` care_plan) rated by an IRO in the period (by the
    completed date, the date of the rating); in the numerator when rated good or outstanding. Care
    plans without a rating are not counted."""
    return rated_in_period(inp, CARE_PLAN, GOOD_OR_OUTSTANDING)

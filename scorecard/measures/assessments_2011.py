"""Measures of the initial and core assessments of the 2011 improvement plan (the 44 lack them).

Until 2013/14 an assessment was an initial assessment (10 working days) or a core assessment (35
working days); the single child and family assessment (45) replaced both. The optional
``assessment_types`` extract says which each assessment was. These measures count as the bundled
ones (``assessments_within_45_wd`` and ``assessments_overdue``, ref 2 and 3: the same working
days, the same boundaries) over the assessments of one ``assessment_type`` only; an assessment
without a type is not counted. When the extract records no assessment of the type at all (an
extract of single assessments), the indicator is not computable, saying so, rather than 0 of 0.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from scorecard.extracts.schemas import ASSESSMENT_TYPE_CODES
from scorecard.measures.base import MeasureInput, NotComputable, measure, whole
from scorecard.measures.referrals import assessments_overdue, assessments_within_timescale
from scorecard.registry.contract import Parameter, ParameterKind


def _kind(default: str) -> Parameter:
    return Parameter("assessment_type", ParameterKind.TEXT,
                     "the type of assessment counted (initial, core or single)", default,
                     choices=ASSESSMENT_TYPE_CODES)  # fmt: skip


def of_type(inp: MeasureInput) -> MeasureInput:
    """``inp`` with only the assessments of its ``assessment_type`` in the ``assessments``
    extract; :class:`NotComputable` when there are none of that type."""
    wanted = str(inp.param("assessment_type"))
    types = inp.extract("assessment_types")
    chosen = types.loc[types["assessment_type"] == wanted, "assessment_id"]
    if chosen.empty:
        raise NotComputable(f"the assessment_types extract records no {wanted} assessment")
    assessments = inp.extract("assessments")
    kept = assessments[assessments["assessment_id"].isin(chosen)]
    return dataclasses.replace(inp, extracts=dataclasses.replace(inp.extracts, assessments=kept))


@measure(
    "typed_assessments_in_time",
    needs=("assessments", "assessment_types"),
    parameters=(
        _kind("initial"),
        whole("timescale_working_days", "working days from start to authorisation", 10, minimum=1),
    ),
)
def typed_assessments_in_time(inp: MeasureInput) -> pd.DataFrame:
    """Assessments of the type ``assessment_type`` (initial) authorised in the period (by
    authorisation date); in the numerator when authorised at most ``timescale_working_days`` (10)
    working days after the start (the working days w with start < w <= authorisation, bank
    holidays excluded: one authorised on the 10th working day is in time, on the 11th not). One
    row per assessment, in the team holding it."""
    return assessments_within_timescale(of_type(inp))


@measure("typed_assessments_overdue", needs=("assessments", "assessment_types"), parameters=(
    _kind("core"),
    whole("timescale_working_days", "working days after which an open assessment is overdue", 35,
          minimum=1),))  # fmt: skip
def typed_assessments_overdue(inp: MeasureInput) -> pd.DataFrame:
    """Count of assessments of the type ``assessment_type`` (core) in progress on the snapshot
    date (started on or before it, not authorised by it) for which more than
    ``timescale_working_days`` (35) working days have passed from the start to the snapshot date
    (36 or more; 35 is still within timescale). One row per assessment, in the team holding it."""
    return assessments_overdue(of_type(inp))

"""The canonical extracts: one :class:`ExtractSpec` and one pandera schema per extract.

Every extract is a table of case-level records in canonical form: snake_case columns, identifiers as
strings, dates as ``datetime64[ns]`` (midnight), flags as ``bool`` (``boolean`` where blank is
allowed), numbers as ``float64`` and codes as strings from a closed vocabulary. Every record an
indicator counts carries the ``team`` holding it, so results can be produced per team, per area and
for the local authority.

``SPECS`` (name -> spec) drives everything; ``SCHEMAS`` (name -> ``pandera.DataFrameSchema``)
checks a frame that is already in canonical dtypes. To check raw frames (strings from a CSV,
``date`` objects, 0/1 flags) use :func:`scorecard.extracts.validate_extracts`, which coerces first
and then applies these schemas plus the cross-extract checks.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pandera.pandas as pa

from scorecard.extracts.spec import (
    LOCAL,
    TEXT_OR_CATEGORY_KINDS,
    DateOrder,
    ExtractSpec,
    Field,
    NoOverlap,
    Reference,
    RowRule,
    text_dtype_ok,
)

# --------------------------------------------------------------------------------------------------
# Vocabularies
# --------------------------------------------------------------------------------------------------

TEAM_TYPES = (
    "assessment_and_family_support",
    "children_in_care",
    "disability",
    "asylum",
    "adoption",
    "front_door",
    "care_leavers",
    "fostering",
    "other",
)
SEXES = ("M", "F", "U")
VISIT_TYPES = ("CIN", "CP", "CIC", "PF")
#: SSDA903 reason for new episode (RNE).
REASONS_NEW_EPISODE = ("S", "L", "P", "T", "U", "B")
#: SSDA903 legal status (LS).
LEGAL_STATUSES = (
    "C1",
    "C2",
    "D1",
    "E1",
    "J1",
    "J2",
    "J3",
    "L1",
    "L2",
    "L3",
    "V2",
    "V3",
    "V4",
)
#: SSDA903 placement type (PLACE); A1/A2 are the pre-2014 placed-for-adoption codes.
PLACEMENT_TYPES = (
    "A1",
    "A2",
    "A3",
    "A4",
    "A5",
    "A6",
    "H5",
    "K1",
    "K2",
    "P1",
    "P2",
    "P3",
    "R1",
    "R2",
    "R3",
    "R5",
    "S1",
    "T0",
    "T1",
    "T2",
    "T3",
    "T4",
    "U1",
    "U2",
    "U3",
    "U4",
    "U5",
    "U6",
    "Z1",
)
#: SSDA903 placement provider (PLACE_PROVIDER).
PLACEMENT_PROVIDERS = ("PR0", "PR1", "PR2", "PR3", "PR4", "PR5")
#: SSDA903 reason episode ceased (REC); X1 = episode ceased, child still looked after.
REASONS_CEASED = (
    "E11",
    "E12",
    "E13",
    "E14",
    "E15",
    "E16",
    "E17",
    "E2",
    "E3",
    "E4A",
    "E4B",
    "E41",
    "E45",
    "E46",
    "E47",
    "E48",
    "E5",
    "E6",
    "E7",
    "E8",
    "E9",
    "X1",
)
#: SSDA903 review participation (REVIEW_CODE).
PARTICIPATION_CODES = ("PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7")
HEALTH_CHECK_TYPES = ("health_assessment", "dental")
CARE_LEAVER_ELIGIBILITY = ("eligible", "relevant", "former_relevant", "qualifying")
#: SSDA903 OC3 IN_TOUCH.
IN_TOUCH_CODES = ("YES", "NO", "DIED", "REFU", "NREQ", "RHOM")
#: SSDA903 OC3 ACCOM, first character (type of accommodation).
ACCOMMODATION_TYPES = (
    "B",
    "C",
    "D",
    "E",
    "G",
    "H",
    "K",
    "R",
    "S",
    "T",
    "U",
    "V",
    "W",
    "X",
    "Y",
    "Z",
)
#: SSDA903 OC3 ACTIV (F = full time, P = part time, G = not in education, employment or training).
ACTIVITY_CODES = ("F1", "P1", "F2", "P2", "F3", "P3", "G4", "G5", "G6")
AUDIT_TYPES = ("case_file", "cp_report", "care_plan")
AUDIT_RATINGS = ("outstanding", "good", "requires_improvement", "inadequate")
WORKER_ROLES = (
    "social_worker",
    "senior_practitioner",
    "fostering_social_worker",
    "personal_adviser",
    "team_manager",
    "family_support_worker",
    "other",
)
CONTRACTS = ("permanent", "fixed_term", "agency", "secondment", "vacant")
#: Types of assessment: initial and core (to 2012-13), single child and family (from 2013-14).
ASSESSMENT_TYPE_CODES = ("initial", "core", "single")

# --------------------------------------------------------------------------------------------------
# Reusable fields
# --------------------------------------------------------------------------------------------------

_ANNEX_TEAM = "Annex A 'Allocated Team' (lists 3-9) for the current team."


def _key(name: str, what: str, source: str = LOCAL) -> Field:
    return Field(name, "id", f"Identifier of the {what}; unique in this extract.", source)


def _child(
    source: str = "CIN <LAchildID> (N00097); 903 CHILD; Annex A 'Child Unique ID'.",
) -> Field:
    return Field("child_id", "id", "The child (children.child_id).", source)


def _team(what: str, source: str = _ANNEX_TEAM) -> Field:
    return Field(
        "team", "team", f"Team holding the {what}; a team of the organisation table.", source
    )


def _referral_ref(source: str = "CIN: the enclosing <CINdetails> module.") -> Field:
    return Field(
        "referral_id",
        "id",
        "The referral / CIN episode it belongs to (referrals.referral_id).",
        source,
        nullable=True,
    )


def _date(
    name: str,
    description: str,
    source: str = LOCAL,
    nullable: bool = False,
    may_be_future: bool = False,
) -> Field:
    return Field(name, "date", description, source, nullable=nullable, may_be_future=may_be_future)


def _flag(name: str, description: str, source: str = LOCAL, nullable: bool = False) -> Field:
    return Field(name, "bool", description, source, nullable=nullable)


def _code(
    name: str, codes: tuple[str, ...], description: str, source: str = LOCAL, nullable: bool = False
) -> Field:
    return Field(name, "code", description, source, nullable=nullable, codes=codes)


_CHILD_REF = Reference("child_id", "children", "child_id")


def _referral_link() -> Reference:
    return Reference("referral_id", "referrals", "referral_id", same=("child_id",))


# --------------------------------------------------------------------------------------------------
# Row rules
# --------------------------------------------------------------------------------------------------


def _both_birth_dates_missing(df: pd.DataFrame) -> pd.Series:
    return df["date_of_birth"].isna() & df["expected_date_of_birth"].isna()


def _uasc_end_without_uasc(df: pd.DataFrame) -> pd.Series:
    return df["uasc_ceased_date"].notna() & ~df["uasc"].fillna(False).astype(bool)


def _outcome_without_icpc(df: pd.DataFrame) -> pd.Series:
    return df["icpc_outcome_cp_plan"].notna() & df["icpc_date"].isna()


def _pf_visit_without_arrangement(df: pd.DataFrame) -> pd.Series:
    return df["visit_type"].eq("PF").fillna(False).astype(bool) & df["arrangement_id"].isna()


def _end_without_reason(df: pd.DataFrame) -> pd.Series:
    return df["end_date"].notna() & df["reason_ceased"].isna()


def _reason_without_end(df: pd.DataFrame) -> pd.Series:
    return df["end_date"].isna() & df["reason_ceased"].notna()


def _rating_without_completion(df: pd.DataFrame) -> pd.Series:
    return df["rating"].notna() & df["completed_date"].isna()


def _vacant_with_worker(df: pd.DataFrame) -> pd.Series:
    return df["contract"].eq("vacant").fillna(False).astype(bool) & df["worker_id"].notna()


def _filled_without_worker(df: pd.DataFrame) -> pd.Series:
    occupied = df["contract"].notna() & df["contract"].ne("vacant").fillna(False).astype(bool)
    return occupied & df["worker_id"].isna()


# --------------------------------------------------------------------------------------------------
# The extracts
# --------------------------------------------------------------------------------------------------

ORGANISATION = ExtractSpec(
    name="organisation",
    title="Organisation",
    description=(
        "The teams results are reported for, the area each rolls up to and a team type. A blank "
        "area means the team rolls up to the local authority directly. Every `team` value in every "
        "other extract must be a team of this table."
    ),
    fields=(
        Field("team", "team", "Team name, exactly as used in the other extracts; unique.", LOCAL),
        Field(
            "area",
            "text",
            "Area the team rolls up to; blank = directly to the local authority.",
            LOCAL,
            nullable=True,
        ),
        _code(
            "team_type",
            TEAM_TYPES,
            "Kind of team; selects the staffing and caseload indicators that apply (42-44).",
        ),
    ),
    key=("team",),
    rules=(
        RowRule(
            "team_named_like_area",
            "team",
            "team has the name of an area (teams, areas and the local authority are reported "
            "side by side, so each needs its own name)",
            ("team", "area"),
            lambda frame: frame["team"].isin(frame["area"].dropna()),
        ),
    ),
)

CHILDREN = ExtractSpec(
    name="children",
    title="Children",
    description=(
        "One row per child (or unborn child) appearing in any other extract: date of birth, sex, "
        "asylum-seeking status and disability."
    ),
    fields=(
        _key(
            "child_id",
            "child (the same identifier in every extract)",
            "CIN <LAchildID> (N00097); 903 CHILD (every table); Annex A 'Child Unique ID' (every "
            "list).",
        ),
        _date(
            "date_of_birth",
            "Date of birth; blank for an unborn child.",
            "CIN <PersonBirthDate> (N00066); 903 header DOB; Annex A 'Date of Birth'.",
            nullable=True,
        ),
        _date(
            "expected_date_of_birth",
            "Expected date of birth of an unborn child.",
            "CIN <ExpectedPersonBirthDate> (N00098).",
            nullable=True,
            may_be_future=True,
        ),
        _code(
            "sex",
            SEXES,
            "M, F or U (unknown / not yet known).",
            "CIN <Sex> (N00783, M/F/U; before 2024-25 <GenderCurrent> (N00065): 1 -> M, 2 -> F, "
            "0 or 9 -> U); 903 header SEX (1 -> M, 2 -> F); Annex A 'Gender'.",
        ),
        _flag(
            "uasc",
            "Unaccompanied asylum-seeking child (at any time while known).",
            "903 UASC table (child listed there); Annex A list 8 'Unaccompanied Asylum Seeking "
            "Child "
            "(UASC) within the Last 12 Months', list 9 'UASC, or formerly UASC if 18 or over'.",
        ),
        _date(
            "uasc_ceased_date",
            "Date the child stopped being an unaccompanied asylum-seeking child.",
            "903 UASC DUC.",
            nullable=True,
        ),
        _flag(
            "disabled",
            "The child has a disability; blank = not recorded.",
            "CIN <Disability> (N00099): any code other than NONE -> true; Annex A 'Does the Child "
            "have a Disability'.",
            nullable=True,
        ),
    ),
    key=("child_id",),
    rules=(
        RowRule(
            "missing_birth_date",
            "date_of_birth",
            "neither date_of_birth nor expected_date_of_birth is given",
            ("date_of_birth", "expected_date_of_birth"),
            _both_birth_dates_missing,
        ),
        RowRule(
            "uasc_ceased_but_not_uasc",
            "uasc_ceased_date",
            "uasc_ceased_date is given but uasc is false",
            ("uasc", "uasc_ceased_date"),
            _uasc_end_without_uasc,
        ),
    ),
)

REFERRALS = ExtractSpec(
    name="referrals",
    title="Referrals (CIN episodes)",
    description=(
        "One row per referral to children's social care, open from the referral date until the "
        "case (CIN episode) closes. A child with an open referral is an open case / child in need."
    ),
    fields=(
        _key(
            "referral_id",
            "referral / CIN episode",
            "CIN: one <CINdetails> module (no identifier in the return); Annex A list 3: one row "
            "per "
            "referral.",
        ),
        _child(),
        _team("referral (for an open case, the team holding the case now)"),
        _date(
            "referral_date",
            "Date the referral was received.",
            "CIN <CINreferralDate> (N00100); Annex A list 3 'Date of Referral'; list 6 'CIN Start "
            "Date'.",
        ),
        _date(
            "closure_date",
            "Date the case (CIN episode) closed; blank = open.",
            "CIN <CINclosureDate> (N00102); Annex A list 6 'CIN Closure Date'.",
            nullable=True,
        ),
    ),
    key=("referral_id",),
    date_orders=(DateOrder("referral_date", "closure_date"),),
    references=(_CHILD_REF,),
    dated_by="referral_date",
)

ASSESSMENTS = ExtractSpec(
    name="assessments",
    title="Assessments (child and family / single assessments)",
    description="One row per child and family assessment, from its start to its authorisation.",
    fields=(
        _key(
            "assessment_id",
            "assessment",
            "CIN: one <Assessments> group (no identifier); Annex A list 4: one row per assessment.",
        ),
        _child(),
        _team("assessment", "Annex A list 4 'Allocated Team'."),
        _referral_ref(),
        _date(
            "start_date",
            "Date the assessment started.",
            "CIN <AssessmentActualStartDate> (N00159); Annex A list 4 'Continuous Assessment Start "
            "Date'.",
        ),
        _date(
            "authorised_date",
            "Date the assessment was completed and authorised; blank = open.",
            "CIN <AssessmentAuthorisationDate> (N00160); Annex A list 4 'Continuous Assessment "
            "Date "
            "of Authorisation'.",
            nullable=True,
        ),
        _flag(
            "child_seen",
            "The child was seen during the assessment; blank = not recorded.",
            "Annex A list 4 'Child Seen During Continuous Assessment'; not in the CIN census.",
            nullable=True,
        ),
        _flag(
            "child_missing",
            "The child was recorded as missing during the assessment.",
            LOCAL,
            nullable=True,
        ),
    ),
    key=("assessment_id",),
    date_orders=(DateOrder("start_date", "authorised_date"),),
    references=(_CHILD_REF, _referral_link()),
    dated_by="start_date",
)

CIN_PLANS = ExtractSpec(
    name="cin_plans",
    title="Child in need plans",
    description="One row per child in need plan, from its start to its end.",
    fields=(
        _key("cin_plan_id", "CIN plan", "CIN: one <CINPlanDates> group (no identifier)."),
        _child(),
        _team("plan", "Annex A list 6 'Allocated Team'."),
        _referral_ref(),
        _date(
            "start_date",
            "Date the plan started.",
            "CIN <CINPlanStartDate> (N00689); Annex A list 6 shows only 'Case Status' = child in "
            "need plan.",
        ),
        _date(
            "end_date",
            "Date the plan ended; blank = open.",
            "CIN <CINPlanEndDate> (N00690).",
            nullable=True,
        ),
    ),
    key=("cin_plan_id",),
    date_orders=(DateOrder("start_date", "end_date"),),
    references=(_CHILD_REF, _referral_link()),
    dated_by="start_date",
)

S47_ENQUIRIES = ExtractSpec(
    name="s47_enquiries",
    title="Section 47 enquiries and initial child protection conferences",
    description=(
        "One row per section 47 enquiry, with the initial child protection conference (ICPC) that "
        "followed it, if any."
    ),
    fields=(
        _key("s47_id", "section 47 enquiry", "CIN: one <Section47> group (no identifier)."),
        _child(),
        _team("enquiry", "Annex A list 5 'Allocated Team'."),
        _referral_ref(),
        _date(
            "start_date",
            "Date the enquiry started (strategy discussion).",
            "CIN <S47ActualStartDate> (N00148); Annex A list 5 'Strategy discussion initiating "
            "Section 47 Enquiry Start Date'.",
        ),
        _date(
            "completed_date",
            "Date the enquiry was completed; blank = in progress.",
            LOCAL,
            nullable=True,
        ),
        _flag(
            "child_seen",
            "The child was seen during the enquiry; blank = not recorded.",
            LOCAL,
            nullable=True,
        ),
        _date(
            "icpc_date",
            "Date of the initial child protection conference; blank = none held.",
            "CIN <DateOfInitialCPC> (N00110) in <Section47>; Annex A list 5 'Date of Initial Child "
            "Protection Conference'.",
            nullable=True,
        ),
        _flag(
            "icpc_outcome_cp_plan",
            "The ICPC decided on a child protection plan.",
            "Annex A list 5 'Did the Initial Child Protection Conference Result in a Child "
            "Protection Plan'; CIN census: a <ChildProtectionPlans> module starting on the ICPC "
            "date.",
            nullable=True,
        ),
    ),
    key=("s47_id",),
    date_orders=(DateOrder("start_date", "completed_date"), DateOrder("start_date", "icpc_date")),
    rules=(
        RowRule(
            "outcome_without_icpc",
            "icpc_outcome_cp_plan",
            "icpc_outcome_cp_plan is given but icpc_date is blank",
            ("icpc_outcome_cp_plan", "icpc_date"),
            _outcome_without_icpc,
        ),
    ),
    references=(_CHILD_REF, _referral_link()),
    dated_by="start_date",
)

CP_PLANS = ExtractSpec(
    name="cp_plans",
    title="Child protection plans",
    description="One row per child protection plan, from its start to its end.",
    fields=(
        _key("cp_plan_id", "CP plan", "CIN: one <ChildProtectionPlans> module (no identifier)."),
        _child(),
        _team("plan", "Annex A list 7 'Allocated Team'."),
        _referral_ref(),
        _date(
            "start_date",
            "Date the plan started.",
            "CIN <CPPstartDate> (N00105); Annex A list 7 'Child Protection Plan Start Date'.",
        ),
        _date(
            "end_date",
            "Date the plan ended; blank = open.",
            "CIN <CPPendDate> (N00115); Annex A list 7 'Child Protection Plan End Date'.",
            nullable=True,
        ),
    ),
    key=("cp_plan_id",),
    date_orders=(DateOrder("start_date", "end_date"),),
    references=(_CHILD_REF, _referral_link()),
    dated_by="start_date",
)

CP_REVIEWS = ExtractSpec(
    name="cp_reviews",
    title="Child protection review conferences",
    description="One row per review conference of a child protection plan.",
    fields=(
        _key("cp_review_id", "review conference"),
        Field(
            "cp_plan_id",
            "id",
            "The plan reviewed (cp_plans.cp_plan_id).",
            "CIN: the enclosing <ChildProtectionPlans> module.",
        ),
        _child(),
        _date(
            "review_date",
            "Date of the review conference.",
            "CIN <CPPreviewDate> (N00116); Annex A list 7 'Date of latest review conference' (the "
            "latest only).",
        ),
    ),
    key=("cp_review_id",),
    references=(_CHILD_REF, Reference("cp_plan_id", "cp_plans", "cp_plan_id", same=("child_id",))),
    dated_by="review_date",
)

VISITS = ExtractSpec(
    name="visits",
    title="Statutory visits",
    description=(
        "One row per statutory visit to a child in need (CIN), on a child protection plan (CP), in "
        "care (CIC) or privately fostered (PF). PF visits name their arrangement."
    ),
    fields=(
        _key("visit_id", "visit"),
        _child(),
        _team("visit (the team of the worker visiting)", LOCAL),
        _code(
            "visit_type",
            VISIT_TYPES,
            "CIN, CP, CIC or PF.",
            "Annex A records only the latest visit: list 6 'Date Child Was Last Seen' (CIN), list "
            "7 "
            "'Date of the Last Statutory Visit' (CP), list 8 'Date of Last Social Work Visit' "
            "(CIC); the full history is local.",
        ),
        _date("visit_date", "Date of the visit.", "See visit_type."),
        _flag(
            "child_seen",
            "The child was seen on the visit.",
            "Local; Annex A list 7 'Was the Child Seen Alone?' is narrower (seen alone).",
        ),
        Field(
            "arrangement_id",
            "id",
            "For PF visits, the arrangement visited (pf_arrangements.arrangement_id).",
            LOCAL,
            nullable=True,
        ),
    ),
    key=("visit_id",),
    rules=(
        RowRule(
            "pf_visit_without_arrangement",
            "arrangement_id",
            "a PF visit has no arrangement_id",
            ("visit_type", "arrangement_id"),
            _pf_visit_without_arrangement,
        ),
    ),
    references=(
        _CHILD_REF,
        Reference("arrangement_id", "pf_arrangements", "arrangement_id", same=("child_id",)),
    ),
    dated_by="visit_date",
)

ALLOCATIONS = ExtractSpec(
    name="allocations",
    title="Allocations (child - worker - team over time)",
    description=(
        "One row per period a child's case was allocated to a worker. Co-working (two workers at "
        "once) is allowed; a child with an open case and no allocation to a social worker is "
        "unallocated."
    ),
    fields=(
        _key("allocation_id", "allocation"),
        _child("903 SW_Episodes CHILD; Annex A 'Child Unique ID'."),
        Field(
            "worker_id",
            "id",
            "The worker (workforce.worker_id where the worker is in a post).",
            "903 SW_Episodes SW_ID (from 2023-24); Annex A 'Allocated Worker' (current only).",
        ),
        _team("allocation (the worker's team)"),
        _date(
            "start_date",
            "Date the allocation started.",
            "903 SW_Episodes SW_DECOM (children looked after only).",
        ),
        _date(
            "end_date",
            "Date the allocation ended; blank = current.",
            "903 SW_Episodes SW_DEC.",
            nullable=True,
        ),
        _code(
            "worker_role",
            WORKER_ROLES,
            "Role of the worker; blank = look it up in workforce by worker_id.",
            LOCAL,
            nullable=True,
        ),
    ),
    key=("allocation_id",),
    date_orders=(DateOrder("start_date", "end_date"),),
    references=(_CHILD_REF,),
    dated_by="start_date",
)

CIC_EPISODES = ExtractSpec(
    name="cic_episodes",
    title="Children in care episodes (SSDA903 episodes)",
    description=(
        "One row per SSDA903 episode of care: a new row starts whenever the legal status or the "
        "placement changes. Episodes of one child must not overlap; an episode may start on the "
        "day "
        "the previous one ends."
    ),
    fields=(
        _key("episode_id", "episode", "903: no identifier (CHILD + DECOM is unique)."),
        _child(),
        _team("episode (the child's team while in care)", "Annex A list 8 'Allocated Team'."),
        _date(
            "start_date",
            "Date the episode started.",
            "903 episodes DECOM; Annex A list 8 'Start Date of Most Recent Placement'.",
        ),
        _date(
            "end_date",
            "Date the episode ended; blank = open.",
            "903 episodes DEC; Annex A list 8 'Date Ceased to be Looked After' (last episode).",
            nullable=True,
        ),
        _code(
            "reason_new_episode",
            REASONS_NEW_EPISODE,
            "Why the episode started: S new period of care, L legal status change, P placement "
            "change, T temporary placement change, U legal status and temporary change, B legal "
            "status and placement change.",
            "903 episodes RNE.",
        ),
        _code(
            "legal_status",
            LEGAL_STATUSES,
            "Legal status (V3/V4 = short breaks).",
            "903 episodes LS; Annex A list 8 'Child's Legal Status'.",
        ),
        _code(
            "placement_type",
            PLACEMENT_TYPES,
            "Placement type (U1-U6 foster care, U1-U3 with relatives or friends; A3-A6 placed for "
            "adoption).",
            "903 episodes PLACE; Annex A list 8 'Placement Type'.",
        ),
        _code(
            "placement_provider",
            PLACEMENT_PROVIDERS,
            "Placement provider (PR1 the council's own provision; PR4/PR5 private/voluntary).",
            "903 episodes PLACE_PROVIDER; Annex A list 8 'Placement Provider'.",
            nullable=True,
        ),
        _code(
            "reason_ceased",
            REASONS_CEASED,
            "Why the episode ended (E11/E12 adopted; X1 episode ended, care continues); required "
            "when end_date is given.",
            "903 episodes REC; Annex A list 8 'Reason Ceased to be Looked After'.",
            nullable=True,
        ),
        Field(
            "distance_miles",
            "number",
            "Distance between the home and the placement in miles; blank = not known. At most "
            "12,500 (no two places on Earth are farther apart).",
            "Not in the 903 return: DfE derives it from 903 HOME_POST and PL_POST (Annex A list 8 "
            "'Placement postcode'); compute it locally from the postcodes.",
            nullable=True,
            minimum=0.0,
            maximum=12_500.0,
        ),
    ),
    key=("episode_id",),
    date_orders=(DateOrder("start_date", "end_date"),),
    rules=(
        RowRule(
            "end_without_reason",
            "reason_ceased",
            "end_date is given but reason_ceased is blank",
            ("end_date", "reason_ceased"),
            _end_without_reason,
        ),
        RowRule(
            "reason_without_end",
            "reason_ceased",
            "reason_ceased is given but end_date is blank",
            ("end_date", "reason_ceased"),
            _reason_without_end,
        ),
    ),
    no_overlap=(NoOverlap("child_id", "start_date", "end_date", "episode"),),
    references=(_CHILD_REF,),
    dated_by="start_date",
)

CIC_REVIEWS = ExtractSpec(
    name="cic_reviews",
    title="Children in care reviews",
    description="One row per statutory review of a child in care, with the child's participation.",
    fields=(
        _key("cic_review_id", "review", "903: no identifier (CHILD + REVIEW is unique)."),
        _child(),
        _team("review (the child's team at the review)", "Annex A list 8 'Allocated Team'."),
        _date(
            "review_date",
            "Date of the review.",
            "903 reviews REVIEW; Annex A list 8 'Date of Latest Statutory Review' (latest only).",
        ),
        _code(
            "participation",
            PARTICIPATION_CODES,
            "How the child participated: PN0 under 4, PN1-PN6 participated, PN7 did not.",
            "903 reviews REVIEW_CODE.",
        ),
    ),
    key=("cic_review_id",),
    references=(_CHILD_REF,),
    dated_by="review_date",
)

HEALTH_CHECKS = ExtractSpec(
    name="health_checks",
    title="Health assessments and dental checks",
    description="One row per health assessment or dental check of a child in care.",
    fields=(
        _key("health_check_id", "check"),
        _child(),
        _code(
            "check_type",
            HEALTH_CHECK_TYPES,
            "health_assessment or dental.",
            "Annex A list 8 'Date of Last Health Assessment' / 'Date of Last Dental Check' (latest "
            "only); 903 OC2 HEALTH_CHECK / TEETH_CHECK are yes/no flags for the year, not dates.",
        ),
        _date("check_date", "Date of the assessment or check.", "See check_type."),
    ),
    key=("health_check_id",),
    references=(_CHILD_REF,),
    dated_by="check_date",
)

ADOPTIONS = ExtractSpec(
    name="adoptions",
    title="Adoption milestones",
    description=(
        "One row per child with an adoption plan: the agency decision, the placement order, the "
        "match, the placement and the adoption order (DfE adoption scorecard concepts)."
    ),
    fields=(
        _key("adoption_id", "adoption journey"),
        _child(),
        _team("child's case", "Annex A list 10 has no team; local."),
        _date(
            "should_be_placed_date",
            "Date of the agency decision maker's decision that the child should be placed for "
            "adoption.",
            "903 placed_for_adoption DATE_PLACED (= 903 AD1 DATE_INT); Annex A list 10 'Date of "
            "Decision that Child Should be Placed for Adoption'.",
            nullable=True,
        ),
        _date(
            "placement_order_date",
            "Date the court granted the placement order.",
            "903: DECOM of the episode whose LS became E1; Annex A list 10 'Date of Placement "
            "Order'.",
            nullable=True,
        ),
        _date(
            "match_date",
            "Date the child was matched with the prospective adopters.",
            "903 AD1 DATE_MATCH; Annex A list 10 'Date of Matching Child and Prospective "
            "Adopters'.",
            nullable=True,
        ),
        _date(
            "placed_for_adoption_date",
            "Date the child was placed for adoption.",
            "903: DECOM of the first episode with PLACE A3-A6; Annex A list 10 'Date Placed for "
            "Adoption'.",
            nullable=True,
        ),
        _date(
            "adoption_order_date",
            "Date of the adoption order.",
            "903: DEC of the episode ending with REC E11/E12; Annex A list 10 'Date of Adoption "
            "Order'.",
            nullable=True,
        ),
        _date(
            "decision_reversed_date",
            "Date of the decision that the child should no longer be placed for adoption.",
            "903 placed_for_adoption DATE_PLACED_CEASED; Annex A list 10 'Date of Decision that "
            "Child Should No Longer be Placed for Adoption'.",
            nullable=True,
        ),
        _flag(
            "foster_carer_adoption",
            "Adopted (or to be adopted) by the child's foster carer.",
            "903 AD1 FOSTER_CARE (1 = yes); 903 PLACE A5/A6 (placed with former foster carers).",
            nullable=True,
        ),
        _date(
            "moved_in_with_carer_date",
            "For foster carer adoptions: date the child moved in with the carer (scorecard A10).",
            "903: DECOM of the first placement with that carer; Annex A list 10 'Date the child "
            "was "
            "placed for fostering in FFA or concurrent planning placement' for FFA placements.",
            nullable=True,
        ),
    ),
    key=("adoption_id",),
    date_orders=(
        DateOrder("placed_for_adoption_date", "adoption_order_date", "order_before_placement"),
        DateOrder("should_be_placed_date", "decision_reversed_date", "reversed_before_decision"),
    ),
    references=(_CHILD_REF,),
)

CARE_LEAVERS = ExtractSpec(
    name="care_leavers",
    title="Care leavers",
    description=(
        "One row per young person the authority has leaving-care duties to, with their eligibility "
        "category. The DfE OC3 cohort is former relevant care leavers."
    ),
    fields=(
        _key(
            "child_id",
            "young person (children.child_id)",
            "903 CHILD; Annex A list 9 'Child Unique ID'.",
        ),
        _team("care leaver's case", "Annex A list 9 'Allocated Team'."),
        _code(
            "eligibility",
            CARE_LEAVER_ELIGIBILITY,
            "Leaving-care category: eligible, relevant, former_relevant or qualifying.",
            "Annex A list 9 'Eligibility Category'; 903: former relevant is derived from the "
            "episodes (looked after 13 weeks after age 14, ending at 16 or over).",
        ),
    ),
    key=("child_id",),
    references=(_CHILD_REF,),
)

CARE_LEAVER_CONTACTS = ExtractSpec(
    name="care_leaver_contacts",
    title="Care leaver contacts",
    description=(
        "One row per recorded contact (or attempt) with a care leaver: whether the authority was "
        "in "
        "touch, their accommodation and its suitability, and their activity."
    ),
    fields=(
        _key("contact_id", "contact"),
        Field(
            "child_id",
            "id",
            "The care leaver (care_leavers.child_id).",
            "903 OC3 CHILD; Annex A list 9 'Child Unique ID'.",
        ),
        _date(
            "contact_date",
            "Date of the contact.",
            "Annex A list 9 'Latest Date of Contact'; 903 OC3 has no date (it describes the "
            "position around the birthday: use the birthday).",
        ),
        _code(
            "in_touch",
            IN_TOUCH_CODES,
            "Whether the authority is in touch (YES, NO, DIED, REFU, NREQ, RHOM).",
            "903 OC3 IN_TOUCH; Annex A list 9 'LA in Touch'.",
        ),
        _code(
            "accommodation_type",
            ACCOMMODATION_TYPES,
            "Type of accommodation; blank = not known.",
            "903 OC3 ACCOM first character; Annex A list 9 'Type of Accommodation'.",
            nullable=True,
        ),
        _flag(
            "accommodation_suitable",
            "The accommodation is suitable; blank = not known.",
            "903 OC3 ACCOM second character (1 suitable, 2 not suitable); Annex A list 9 "
            "'Suitability of Accommodation'.",
            nullable=True,
        ),
        _code(
            "activity",
            ACTIVITY_CODES,
            "Main activity (F1/P1 higher education, F2/P2 other education, F3/P3 training or "
            "employment, G4-G6 not in education, employment or training); blank = not known.",
            "903 OC3 ACTIV (0 -> blank); Annex A list 9 'Activity Status'.",
            nullable=True,
        ),
    ),
    key=("contact_id",),
    references=(_CHILD_REF, Reference("child_id", "care_leavers", "child_id")),
    dated_by="contact_date",
)

PF_ARRANGEMENTS = ExtractSpec(
    name="pf_arrangements",
    title="Private fostering arrangements",
    description=(
        "One row per notified private fostering arrangement: notification, initial visit, start "
        "and "
        "end. Later statutory visits are in `visits` with visit_type PF. No national child-level "
        "return covers private fostering: all fields are local records."
    ),
    fields=(
        _key("arrangement_id", "arrangement"),
        _child(LOCAL),
        _team("arrangement", LOCAL),
        _date("notification_date", "Date the authority was notified of the arrangement."),
        _date(
            "initial_visit_date",
            "Date of the initial visit (regulation 4); blank = not yet held.",
            nullable=True,
        ),
        _date(
            "start_date",
            "Date the arrangement started; blank if it has not started (proposed arrangement).",
            nullable=True,
        ),
        _date("end_date", "Date the arrangement ended; blank = current.", nullable=True),
    ),
    key=("arrangement_id",),
    date_orders=(
        DateOrder("start_date", "end_date"),
        DateOrder("notification_date", "initial_visit_date", "visit_before_notification"),
    ),
    references=(_CHILD_REF,),
    dated_by="notification_date",
)

QUALITY_AUDITS = ExtractSpec(
    name="quality_audits",
    title="Quality assurance: audits and ratings",
    description=(
        "One row per case file audit (due and completed), CP social work report rated by a CP "
        "chair, "
        "or care plan rated by an IRO. All fields are local records."
    ),
    fields=(
        _key("audit_id", "audit or rating"),
        _code("audit_type", AUDIT_TYPES, "case_file, cp_report or care_plan."),
        _team("audited case"),
        Field(
            "child_id", "id", "The child whose case was audited, if recorded.", LOCAL, nullable=True
        ),
        _date(
            "due_date",
            "Date the audit was due (case file audits).",
            nullable=True,
            may_be_future=True,
        ),
        _date("completed_date", "Date completed / rated; blank = not done.", nullable=True),
        _code(
            "rating",
            AUDIT_RATINGS,
            "outstanding, good, requires_improvement or inadequate; blank = not rated.",
            nullable=True,
        ),
    ),
    key=("audit_id",),
    rules=(
        RowRule(
            "rating_without_completion",
            "rating",
            "a rating is given but completed_date is blank",
            ("rating", "completed_date"),
            _rating_without_completion,
        ),
    ),
    references=(_CHILD_REF,),
)

_CSWW = "DfE children's social work workforce census (CSWW, a 30 September snapshot, no history): "

WORKFORCE = ExtractSpec(
    name="workforce",
    title="Workforce (posts over time)",
    description=(
        "One row per period of a post: its team, role, FTE, whether it holds cases, and who filled "
        "it on what contract (vacant periods included). A post's periods must not overlap."
    ),
    fields=(
        Field("post_id", "id", "Identifier of the post (repeats over its periods).", LOCAL),
        _date("start_date", "Date this period of the post started."),
        # a fixed-term or agency period may carry its planned end: not checked against as_of
        _date(
            "end_date",
            "Date this period ended; blank = current.",
            nullable=True,
            may_be_future=True,
        ),
        _team("post"),
        _code("role", WORKER_ROLES, "Role of the post.", _CSWW + "CFKSSstatus (role level)."),
        _flag("caseholding", "The post holds cases (counts in caseholding posts, 40-44)."),
        Field(
            "fte",
            "number",
            "Full-time equivalent of the post (a full-time post is 1).",
            _CSWW + "FTE.",
            minimum=0.0,
            minimum_inclusive=False,
            maximum=1.0,
        ),
        _code(
            "contract",
            CONTRACTS,
            "permanent, fixed_term, agency, secondment, or vacant (no occupant).",
            _CSWW + "AgencyWorker (1 = agency); vacancies are LA-level (LALevelVacancies).",
        ),
        Field(
            "worker_id",
            "id",
            "The occupant (allocations.worker_id); blank when vacant.",
            _CSWW + "SWENo identifies the social worker.",
            nullable=True,
        ),
        _flag(
            "qualified_social_worker",
            "The occupant is a registered (qualified) social worker.",
            _CSWW + "SWENo present.",
            nullable=True,
        ),
    ),
    key=("post_id", "start_date"),
    date_orders=(DateOrder("start_date", "end_date"),),
    rules=(
        RowRule(
            "vacant_with_worker",
            "worker_id",
            "contract is vacant but worker_id is given",
            ("contract", "worker_id"),
            _vacant_with_worker,
        ),
        RowRule(
            "filled_without_worker",
            "worker_id",
            "contract is not vacant but worker_id is blank",
            ("contract", "worker_id"),
            _filled_without_worker,
        ),
    ),
    no_overlap=(NoOverlap("post_id", "start_date", "end_date", "period"),),
    dated_by="start_date",
)

_ONS = (
    "ONS mid-year population estimates (MYE): usual residents on 30 June, by local authority "
    "and district, single year of age (table MYE2)."
)


def _not_whole(column: str) -> Callable[[pd.DataFrame], pd.Series]:
    def fails(df: pd.DataFrame) -> pd.Series:
        values = df[column].astype("float64")
        return values.notna() & (values != np.floor(values))

    return fails


def _band_reversed(df: pd.DataFrame) -> pd.Series:
    return df["age_to"] < df["age_from"]


POPULATION = ExtractSpec(
    name="population",
    title="Child population (for rates per 10,000 children)",
    description=(
        "One row per unit, mid-year and age band: the resident population as the ONS mid-year "
        "estimates give it. A unit is a team of the organisation table (the district or patch it "
        "serves), an area, or the authority as a whole (the county); all rows give units of one level "
        "(every team, every area, or the county). Optional: without it, rates per 10,000 are not "
        "computed."
    ),
    fields=(
        Field(
            "unit",
            "text",
            "The team, area or authority (county) whose population this is.",
            _ONS + " Geography: the district(s) the team or area serves.",
        ),
        Field(
            "year",
            "number",
            "Year of the mid-year estimate (population on 30 June of that year).",
            _ONS,
            minimum=1900.0,
            maximum=2100.0,
        ),
        Field(
            "age_from",
            "number",
            "First year of age of the band (0 for under-ones).",
            _ONS + " Age (single years, or bands summed from them).",
            minimum=0.0,
            maximum=120.0,
        ),
        Field(
            "age_to",
            "number",
            "Last year of age of the band (inclusive; equal to age_from for a single year).",
            _ONS,
            minimum=0.0,
            maximum=120.0,
        ),
        Field("population", "number", "Number of residents of those ages.", _ONS, minimum=0.0),
    ),
    key=("unit", "year", "age_from"),
    rules=(
        *(
            RowRule(
                f"not_whole_{column}",
                column,
                f"{column} is not a whole number",
                (column,),
                _not_whole(column),
            )
            for column in ("year", "age_from", "age_to", "population")
        ),
        RowRule(
            "band_reversed",
            "age_to",
            "age_to is below age_from",
            ("age_from", "age_to"),
            _band_reversed,
        ),
    ),
)

ASSESSMENT_TYPES = ExtractSpec(
    name="assessment_types",
    title="Assessment types (initial, core or single assessments)",
    description=(
        "One row per assessment whose type is known: an initial (10 working days) or a core (35 "
        "working days) assessment of the years before 2013/14, or a single child and family "
        "assessment. Optional: only indicators of the older assessments read it (see "
        "docs/registry-2011.md); an assessment without a row has no known type."
    ),
    fields=(
        Field(
            "assessment_id",
            "id",
            "The assessment (assessments.assessment_id).",
            "CIN census to 2012-13: one <InitialAssessments> or <CoreAssessments> module.",
        ),
        _code(
            "assessment_type",
            ASSESSMENT_TYPE_CODES,
            "initial, core, or single (child and family assessment).",
            "CIN census to 2012-13: the module the assessment was returned in; single from "
            "2013-14.",
        ),
    ),
    key=("assessment_id",),
    references=(Reference("assessment_id", "assessments", "assessment_id"),),
)

#: The extracts read from a folder, in documentation order (``organisation`` first).
SPECS: MappingProxyType[str, ExtractSpec] = MappingProxyType(
    {
        spec.name: spec
        for spec in (
            ORGANISATION,
            CHILDREN,
            REFERRALS,
            ASSESSMENTS,
            CIN_PLANS,
            S47_ENQUIRIES,
            CP_PLANS,
            CP_REVIEWS,
            VISITS,
            ALLOCATIONS,
            CIC_EPISODES,
            CIC_REVIEWS,
            HEALTH_CHECKS,
            ADOPTIONS,
            CARE_LEAVERS,
            CARE_LEAVER_CONTACTS,
            PF_ARRANGEMENTS,
            QUALITY_AUDITS,
            WORKFORCE,
            POPULATION,
            ASSESSMENT_TYPES,
        )
    }
)

#: Names of the case-level extracts (everything but the organisation table).
EXTRACT_NAMES: tuple[str, ...] = tuple(name for name in SPECS if name != "organisation")

# --------------------------------------------------------------------------------------------------
# pandera schemas
# --------------------------------------------------------------------------------------------------


def frame_check_label(check: str, column: str) -> str:
    """The pandera ``error`` label of a frame-level check: ``"<check>:<column>"``."""
    return f"{check}:{column}"


#: A missing date as int64 nanoseconds, and the end given to an open period (after every date).
_NAT = np.iinfo(np.int64).min
_OPEN_END = pd.Timestamp.max.normalize().value


def _nanoseconds(values: pd.Series) -> np.ndarray:
    """Dates as int64 nanoseconds (missing: ``_NAT``)."""
    return np.asarray(values.astype("datetime64[ns]")).view(np.int64)


def _in_order(group: np.ndarray, start: np.ndarray, end: np.ndarray) -> bool:
    """Whether rows are already in the order a stable sort by (group, start, end) gives, groups
    being numbered in order of first appearance (so: each group's rows together, then by start,
    then by end)."""
    later_group = group[1:] > group[:-1]
    same_group = group[1:] == group[:-1]
    later_start = start[1:] > start[:-1]
    same_start = start[1:] == start[:-1]
    return bool(
        np.all(later_group | (same_group & (later_start | (same_start & (end[1:] >= end[:-1])))))
    )


def overlapping(frame: pd.DataFrame, rule: NoOverlap) -> pd.Series:
    """True for rows whose period starts before an earlier period of the same group has ended.

    Periods are ordered by start, then end (a blank end, open-ended, last), then row position,
    so the answer does not depend on the order of the rows: a one-day period ending on the day
    another starts comes first and does not overlap it. Rows with a blank group or start are never
    flagged (they fail their own checks). Vectorised: one stable sort (none when the rows are
    already in that order, as an import writes them), then each group's running latest end.
    """
    flagged = np.zeros(len(frame), dtype=bool)
    codes, _ = pd.factorize(frame[rule.group])  # -1: missing
    starts = _nanoseconds(frame[rule.start])
    rows = np.flatnonzero((codes >= 0) & (starts != _NAT))
    if len(rows):
        group, start, end = codes[rows], starts[rows], _nanoseconds(frame[rule.end])[rows]
        end[end == _NAT] = _OPEN_END
        days = _whole_days(start, end)
        if not _in_order(group, start, end):
            order = _period_order(group, days) if days is not None else None
            if order is None:
                order = np.lexsort((end, start, group))  # stable: ties keep the rows' order
            rows, group, start, end = rows[order], group[order], start[order], end[order]
            days = (days[0][order], days[1][order]) if days is not None else None
        first = np.ones(len(rows), dtype=bool)
        first[1:] = group[1:] != group[:-1]
        # the latest end so far in each group: a running maximum over (group run, rank of end),
        # the rank of an end being its day (whole days) or its place among the distinct ends
        if days is not None:
            low = int(min(days[0].min(), days[1].min()))
            rank, size = days[1] - low, int(days[1].max()) - low + 1
            ends = np.arange(size, dtype=np.int64)
            begins = days[0] - low
        else:
            ends, rank = np.unique(end, return_inverse=True)
            size, begins = len(ends), start
        offset = (np.cumsum(first) - 1) * size
        latest = np.maximum.accumulate(offset + rank) - offset
        hit = np.zeros(len(rows), dtype=bool)
        hit[1:] = ~first[1:] & (begins[1:] < ends[latest[:-1]])
        flagged[rows[hit]] = True
    return pd.Series(flagged, index=frame.index)


#: Nanoseconds in a day.
_DAY = 86_400 * 10**9


def _whole_days(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The days (since the epoch) of ``start`` and ``end`` (int64 nanoseconds) when every one is
    a whole day (as checked dates are); ``None`` otherwise."""
    days = start // _DAY, end // _DAY
    if (days[0] * _DAY == start).all() and (days[1] * _DAY == end).all():
        return days
    return None


def _period_order(group: np.ndarray, days: tuple[np.ndarray, np.ndarray]) -> np.ndarray | None:
    """The stable order of the rows by (group, start day, end day): one stable sort of a single
    integer key (a merge sort, quick on rows that are nearly in order), where ``np.lexsort`` of
    the three keys would sort three times; ``None`` when the key would not fit in 63 bits."""
    start, end = days
    low = int(min(start.min(), end.min()))
    span = int(max(start.max(), end.max())) - low + 1
    if (int(group.max()) + 1) * span * span >= 1 << 62:
        return None
    key = group.astype(np.int64) * span
    key += start - low
    key *= span
    key += end - low
    return np.argsort(key, kind="stable")


def duplicated_key(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.Series:
    """True for every row whose (composite) key occurs more than once."""
    return frame.duplicated(list(key), keep=False)


def _frame_check(label: str, columns: tuple[str, ...], fails: Any) -> pa.Check:
    """A frame-level pandera check that passes when the columns it reads are absent."""

    def check(frame: pd.DataFrame) -> pd.Series:
        if not all(column in frame.columns for column in columns):
            return pd.Series(True, index=frame.index)
        return ~fails(frame).fillna(False).astype(bool)

    return pa.Check(check, name=label, error=label, ignore_na=False)


def _finite(values: pd.Series) -> pd.Series:
    return pd.Series(np.isfinite(values.to_numpy(dtype="float64")), index=values.index)


def _in_range(field: Field) -> Callable[[pd.Series], pd.Series]:
    """True where a value is within the field's bounds or not finite (``not_finite`` says so)."""

    def check(values: pd.Series) -> pd.Series:
        numbers = values.to_numpy(dtype="float64")
        ok = ~np.isfinite(numbers)
        inside = np.ones(len(numbers), dtype=bool)
        with np.errstate(invalid="ignore"):
            if field.minimum is not None:
                low = (
                    numbers >= field.minimum if field.minimum_inclusive else numbers > field.minimum
                )
                inside &= low
            if field.maximum is not None:
                inside &= numbers <= field.maximum
        return pd.Series(ok | inside, index=values.index)

    return check


def _column_checks(field: Field, check_dtypes: bool = False) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if check_dtypes and field.kind in TEXT_OR_CATEGORY_KINDS:  # str, or a Categorical of str
        checks.append(pa.Check(text_dtype_ok, name="text_dtype", error="text_dtype"))
    if field.codes:
        checks.append(pa.Check.isin(list(field.codes), error="unknown_code"))
    if field.kind == "number":
        checks.append(pa.Check(_finite, name="not_finite", error="not_finite"))
        if field.range_text is not None:
            checks.append(pa.Check(_in_range(field), name="out_of_range", error="out_of_range"))
    return checks


_Check = TypeVar("_Check", DateOrder, RowRule, NoOverlap)


def _errors(checks: tuple[_Check, ...]) -> tuple[_Check, ...]:
    """The checks whose failures are errors (the others exclude or count rows: see ``quality``)."""
    return tuple(check for check in checks if check.severity == "error")


def frame_checks(spec: ExtractSpec) -> dict[str, tuple[str, str, str]]:
    """Error-severity frame-level checks of an extract: pandera label -> (column, check, detail)."""
    out: dict[str, tuple[str, str, str]] = {}
    if len(spec.key) > 1:
        column = spec.key[0]
        out[frame_check_label("duplicate_key", column)] = (
            column,
            "duplicate_key",
            f"duplicate key ({', '.join(spec.key)})",
        )
    for order in _errors(spec.date_orders):
        out[frame_check_label(order.check, order.later)] = (order.later, order.check, order.detail)
    for rule in _errors(spec.rules):
        out[frame_check_label(rule.check, rule.column)] = (rule.column, rule.check, rule.detail)
    for overlap in _errors(spec.no_overlap):
        out[frame_check_label("overlap", overlap.start)] = (
            overlap.start,
            "overlap",
            overlap.detail,
        )
    return out


def build_schema(
    spec: ExtractSpec, *, check_dtypes: bool = True, check_key: bool = True
) -> pa.DataFrameSchema:
    """The pandera schema of an extract in canonical dtypes (strict: no other columns).

    Only checks of severity ``error`` are part of the schema; checks that exclude or count rows are
    applied by :mod:`scorecard.extracts.quality`. ``check_dtypes=False`` leaves dtypes unchecked: the loader uses it after its own coercion, which
    produces exactly the canonical dtypes (a test holds it to that), to save time.
    ``check_key=False`` leaves out the uniqueness of the key (``unique`` of a one-column key, the
    ``duplicate_key`` check of a composite one): the loader uses it for frames it has found to
    repeat no key.
    """
    columns = {
        field.name: pa.Column(
            field.dtype if check_dtypes and field.kind not in TEXT_OR_CATEGORY_KINDS else None,
            checks=_column_checks(field, check_dtypes),
            nullable=field.nullable,
            unique=check_key and len(spec.key) == 1 and spec.key[0] == field.name,
            title=field.name,
            description=field.description,
            metadata={"kind": field.kind, "source": field.source},
        )
        for field in spec.fields
    }
    checks: list[pa.Check] = []
    if check_key and len(spec.key) > 1:
        key = spec.key
        checks.append(
            _frame_check(
                frame_check_label("duplicate_key", key[0]),
                key,
                lambda frame: duplicated_key(frame, key),
            )
        )
    for order in _errors(spec.date_orders):
        earlier, later = order.earlier, order.later
        checks.append(
            _frame_check(
                frame_check_label(order.check, later),
                (earlier, later),
                lambda frame, e=earlier, lt=later: frame[lt] < frame[e],
            )
        )
    for rule in _errors(spec.rules):
        checks.append(
            _frame_check(frame_check_label(rule.check, rule.column), rule.columns, rule.fails)
        )
    for overlap in _errors(spec.no_overlap):
        checks.append(
            _frame_check(
                frame_check_label("overlap", overlap.start),
                (overlap.group, overlap.start, overlap.end),
                lambda frame, r=overlap: overlapping(frame, r),
            )
        )
    return pa.DataFrameSchema(
        columns,
        checks=checks,
        strict=True,
        ordered=False,
        name=spec.name,
        title=spec.title,
        description=spec.description,
        metadata={"frame_checks": frame_checks(spec), "key": spec.key},
    )


#: pandera schema per extract (canonical dtypes).
SCHEMAS: MappingProxyType[str, pa.DataFrameSchema] = MappingProxyType(
    {name: build_schema(spec) for name, spec in SPECS.items()}
)

#: The same schemas without dtype checks, applied by the loader to frames it has just coerced.
COERCED_SCHEMAS: MappingProxyType[str, pa.DataFrameSchema] = MappingProxyType(
    {name: build_schema(spec, check_dtypes=False) for name, spec in SPECS.items()}
)

#: The same without the key's uniqueness, for coerced frames found to repeat no key.
UNIQUE_KEY_SCHEMAS: MappingProxyType[str, pa.DataFrameSchema] = MappingProxyType(
    {name: build_schema(spec, check_dtypes=False, check_key=False) for name, spec in SPECS.items()}
)

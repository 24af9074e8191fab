"""Calibration of the synthetic extracts: every rate, probability and duration in one place.

Volumes are per year (or a stock) at ``scale=1``, which reproduces the shape of Kent in 2015: about
8,400 open cases (CIN episodes; Kent's 9,287 also counts care leavers, who here are allocated to the
Care Leaver Service without an open referral), ~1,300 children on child protection plans, ~1,900
children in care, ~12,500 referrals a year and ~430 FTE of caseholding social work posts.
``--scale`` multiplies every volume (private fostering has a small floor, so tiny test scales
still have some).

Probabilities are named after the indicator they drive, with the published May 2015 county figure
(``scs_scorecard_2015_05.csv``) beside them. Most also move month to month by a seeded random walk
(``*_DRIFT``: standard deviation on the logit scale) so the demo scorecard has a direction of travel.
Durations are in days unless named otherwise.
"""

from __future__ import annotations

import numpy as np

# ==================================================================================================
# Demand: referrals and the children they bring (refs 1-7)
# ==================================================================================================

#: First referrals of children not known before, per year (re-referrals come on top).
NEW_CHILD_REFERRALS_PER_YEAR = 7_900
#: Seasonal factor of referrals by calendar month (Jan..Dec): dips in August and December.
REFERRAL_SEASON = np.array([1.05, 1.05, 1.08, 0.98, 1.05, 1.02, 1.0, 0.82, 1.0, 1.08, 1.08, 0.8])
#: Referrals at weekends relative to a weekday (out-of-hours contacts).
REFERRAL_WEEKEND_FACTOR = 0.25
#: Slow growth of demand per year.
REFERRAL_TREND_PER_YEAR = 0.02

#: Age of a child at first referral: share unborn, then years 0-17 (bands with their shares).
P_UNBORN_AT_REFERRAL = 0.035
AGE_BANDS = np.array([[0, 1], [1, 5], [5, 10], [10, 16], [16, 18]], dtype=float)
AGE_BAND_SHARES = np.array([0.11, 0.25, 0.27, 0.30, 0.07])
P_MALE = 0.51
#: Children recorded as disabled (their cases are held by the Disability teams).
P_DISABLED = 0.07
#: Children whose disability is not recorded (flag blank).
P_DISABILITY_NOT_RECORDED = 0.08

#: Re-referrals (ref 1, published 22.4% of referrals had one in the previous 12 months): the chance
#: a closed case comes back, by what happened in it, and the gap after closure.
P_REREFERRAL = {"front_door": 0.46, "nfa": 0.44, "cin": 0.38, "cp": 0.46, "cic": 0.22}
#: Gap from closure to re-referral: a share come back soon (exponential, mean days), the rest later.
P_REREFERRAL_SOON = 0.72
REREFERRAL_SOON_MEAN_DAYS = 80
REREFERRAL_LATE_DAYS = (365, 1_600)

#: Referrals closed at the front door (Central Referral Unit) without an assessment.
P_FRONT_DOOR_NFA = 0.06
FRONT_DOOR_CLOSURE_DAYS = (0, 6)

# ---- assessments (refs 2-4) ----------------------------------------------------------------------
#: Working days from referral to assessment start.
ASSESSMENT_START_WD = (0, 3)
#: Ref 2 (published 93.1%): assessments authorised within 45 working days.
P_ASSESSMENT_IN_TIME = 0.935
ASSESSMENT_IN_TIME_DRIFT = 0.35
#: Working days of an assessment in time (triangular low, mode, high) and of a late one.
ASSESSMENT_WD_IN_TIME = (8, 33, 45)
ASSESSMENT_WD_LATE = (46, 72)
#: Ref 4 (published 97.8%): child seen during the assessment.
P_ASSESSMENT_CHILD_SEEN = 0.983
ASSESSMENT_SEEN_DRIFT = 0.3
P_ASSESSMENT_SEEN_NOT_RECORDED = 0.003
#: Child recorded as missing during the assessment (excluded from ref 4).
P_ASSESSMENT_CHILD_MISSING = 0.004

# ---- outcome of the assessment -------------------------------------------------------------------
#: Share of assessed referrals going to a section 47 enquiry (a child already known to CP more).
P_S47 = 0.36
P_S47_AFTER_CP = 0.80
#: Of the other assessed referrals: a CIN plan, a short "CIN without plan" spell, or care.
P_CIN_PLAN = 0.25
P_CIN_NO_PLAN = 0.022
#: ... and care, by age band (AGE_BANDS; babies most often).
P_DIRECT_CARE = np.array([0.22, 0.055, 0.03, 0.045, 0.06])
#: Days from authorisation to the closure of a case with no further action.
NFA_CLOSURE_DAYS = (0, 3)
#: Days a "CIN without plan" case stays open after the assessment (ref 5 denominator only).
CIN_NO_PLAN_DAYS = (20, 150)
#: Days from authorisation to the start of a CIN plan.
CIN_PLAN_START_DAYS = (0, 8)

# ---- section 47 and initial conferences (refs 16-18) --------------------------------------------
S47_START_WD = (0, 8)
S47_DURATION_WD = (3, 15)
#: Ref 16 (published 98.6%).
P_S47_CHILD_SEEN = 0.991
S47_SEEN_DRIFT = 0.2
#: Share of enquiries leading to an initial child protection conference.
P_ICPC = 0.34
P_ICPC_AFTER_CP = 0.80
#: Ref 17 (published 77.7%): ICPC within 15 working days of the strategy discussion.
P_ICPC_IN_TIME = 0.78
ICPC_IN_TIME_DRIFT = 0.2
ICPC_WD_IN_TIME = (6, 15)
ICPC_WD_LATE = (16, 32)
#: Ref 18 (published 90.4%, target 88%): conferences leading to a plan.
P_ICPC_CP_PLAN = 0.895
ICPC_PLAN_DRIFT = 0.12
P_ICPC_CP_PLAN_AFTER_CP = 0.90
#: After an enquiry or conference without a plan: a CIN plan, else closure.
P_CIN_AFTER_S47 = 0.40
P_CIN_AFTER_ICPC = 0.70

# ---- CP plans (refs 11-15) -----------------------------------------------------------------------
#: Duration of a CP plan: lognormal (median days, sigma). Refs 11 (3.7% open >= 18 months) and 15
#: (4.5% of ended plans lasted 2 years).
CP_DURATION_MEDIAN = 290
CP_DURATION_SIGMA = 0.38
#: ... plus a few plans ended at the first review after two years.
P_CP_LONG_PLAN = 0.045
CP_LONG_PLAN_DAYS = (731, 790)
#: What follows a plan: care, a step-down CIN plan, else closure.
P_CP_TO_CARE = 0.12
P_CP_STEP_DOWN = 0.45
#: CP review conferences (ref 13, published 99.9%): first within 3 months, then 6-monthly; days
#: before the deadline a review is held, and the chance one is late.
CP_REVIEW_EARLY_DAYS = (0, 25)
P_CP_REVIEW_LATE = 0.0008
CP_REVIEW_LATE_DAYS = (1, 20)
#: CP visits (ref 12, published 94.2%): every 10 working days; intervals in working days.
P_CP_VISIT_IN_TIME = 0.945
CP_VISIT_DRIFT = 0.25
CP_VISIT_WD_IN_TIME = (6, 10)
CP_VISIT_WD_LATE = (11, 17)
P_CP_VISIT_SEEN = 0.97

# ---- CIN plans (refs 5-6) ------------------------------------------------------------------------
#: Duration of a CIN plan: gamma (shape, mean days); disabled children's plans last longer.
CIN_DURATION_SHAPE = 1.8
CIN_DURATION_MEAN = 200
CIN_DURATION_MEAN_DISABLED = 700
#: CIN visits (ref 6, published 79.4% seen in the last 28 days): interval between visits.
P_CIN_VISIT_REGULAR = 0.65
CIN_VISIT_DRIFT = 0.3
CIN_VISIT_DAYS_REGULAR = (9, 28)
CIN_VISIT_DAYS_SLOW = (29, 60)
P_CIN_VISIT_SEEN = 0.97

#: Disabled children referred to the Disability Service: a share are supported without a child and
#: family assessment (specialist assessment, packages of support), open for years; some have
#: series of short breaks (SSDA903 legal status V4, not "looked after").
P_DISABILITY_SERVICE = 0.75
DISABILITY_SERVICE_MEDIAN_DAYS, DISABILITY_SERVICE_SIGMA = 1300, 0.7
P_SHORT_BREAKS = 0.15
SHORT_BREAK_DAYS = (90, 365)

#: Case closure lag after the last plan ends.
CLOSURE_LAG_DAYS = (0, 7)

# ---- allocation (refs 7, 27, 42-44) --------------------------------------------------------------
#: Ref 7 (published 4): share of new cases waiting a few days for a worker.
P_ALLOCATION_DELAY = 0.008
ALLOCATION_DELAY_DAYS = (3, 25)
#: Worker changes per year of a case, by kind of team (besides workers leaving their post).
WORKER_CHANGES_PER_YEAR = {
    "assessment_and_family_support": 0.55,
    "children_in_care": 0.32,
    "disability": 0.3,
    "asylum": 0.5,
    "adoption": 0.3,
    "front_door": 0.0,
    "care_leavers": 0.35,
    "fostering": 0.25,
}
#: Children in council (or connected persons) foster placements also allocated to a fostering
#: social worker (ref 44, published 853 cases / 44.6 FTE).
P_FOSTERING_WORKER = 0.73

# ==================================================================================================
# Children in care (refs 19-27, 31)
# ==================================================================================================

#: Unaccompanied asylum-seeking children arriving per year (rising through 2014-15).
UASC_PER_YEAR = 150
UASC_TREND_PER_YEAR = 0.15
UASC_AGE_SHARES = {14: 0.08, 15: 0.22, 16: 0.40, 17: 0.30}
#: Children already in care before the simulated flows start: entries per year into the legacy
#: stream (only those still in care when the flows start are kept).
LEGACY_CARE_ENTRIES_PER_YEAR = 700
LEGACY_UASC_SHARE = 0.12
LEGACY_AGE_SHARES = np.array([0.24, 0.20, 0.18, 0.30, 0.08])  # AGE_BANDS

#: Outcome of a period of care by age band at entry (AGE_BANDS rows): return home, special
#: guardianship / residence order, adoption, long-term care (to 18 or independence).
CARE_OUTCOMES = ("home", "sgo", "adoption", "long_term")
CARE_OUTCOME_SHARES = np.array(
    [
        [0.19, 0.19, 0.56, 0.06],
        [0.30, 0.23, 0.37, 0.10],
        [0.50, 0.17, 0.02, 0.31],
        [0.60, 0.04, 0.00, 0.36],
        [0.45, 0.00, 0.00, 0.55],
    ]
)
#: Duration until returning home (lognormal median, sigma) and until an SGO / residence order.
HOME_MEDIAN_DAYS, HOME_SIGMA = 190, 1.05
SGO_MEDIAN_DAYS, SGO_SIGMA = 520, 0.45
#: Long-term: share leaving for independence at 16-17 rather than at 18.
P_LEAVE_AT_16_17 = 0.22
#: Reasons ceased (SSDA903 REC) per outcome.
REASONS_HOME = {
    "E4A": 0.62,
    "E13": 0.12,
    "E4B": 0.08,
    "E8": 0.08,
    "E3": 0.05,
    "E16": 0.02,
    "E14": 0.02,
    "E9": 0.01,
}
REASONS_SGO = {"E41": 0.22, "E45": 0.25, "E46": 0.10, "E47": 0.38, "E48": 0.05}
REASONS_ADOPTED = {"E11": 0.82, "E12": 0.18}
REASONS_AT_18 = {
    "E17": 0.28,
    "E5": 0.36,
    "E6": 0.16,
    "E8": 0.12,
    "E7": 0.03,
    "E9": 0.02,
    "E3": 0.02,
    "E2": 0.01,
}
REASONS_INDEPENDENT = {"E5": 0.65, "E6": 0.35}
REASONS_UASC = {"E17": 0.10, "E5": 0.45, "E6": 0.22, "E8": 0.15, "E16": 0.04, "E15": 0.04}
#: UASC whose age assessment finds them adult soon after arrival (REC E15).
P_UASC_AGE_ASSESSED_ADULT = 0.04

#: Legal status at entry (non-UASC): SSDA903 LS and shares. C1/L2 move on to C2/C1 later.
ENTRY_LEGAL_STATUS = {"V2": 0.26, "C1": 0.59, "L2": 0.07, "J2": 0.02, "C2": 0.06}
#: Days from an interim care order (C1) to the full care order (C2).
CARE_ORDER_DAYS = (140, 420)

#: Placement moves (refs 19, 20): an early move after an emergency placement, then moves at a
#: child-level rate: most children are stable, a minority move often.
P_EARLY_MOVE = 0.30
EARLY_MOVE_DAYS = (4, 90)
P_UNSTABLE = 0.10
MOVES_PER_YEAR_UNSTABLE = 2.6
MOVES_PER_YEAR_STABLE = 0.08
#: Temporary placements (RNE T; U when the legal status changes too) per year in care.
TEMPORARY_PER_YEAR = 0.015
TEMPORARY_DAYS = (2, 18)
P_TEMPORARY_WITH_LEGAL_CHANGE = 0.08
#: A legal status change on the same day as a move (RNE B instead of P + L).
P_LEGAL_CHANGE_WITH_MOVE = 0.25

#: Placement types (903 PLACE) by age group: under 16 and 16+; UASC; and temporary placements.
PLACEMENTS_UNDER_16 = {
    "U1": 0.035,
    "U2": 0.01,
    "U3": 0.085,
    "U4": 0.17,
    "U5": 0.02,
    "U6": 0.50,
    "P1": 0.04,
    "K2": 0.06,
    "R1": 0.025,
    "S1": 0.008,
    "R5": 0.002,
    "Z1": 0.005,
    "K1": 0.003,
    "R2": 0.005,
    "R3": 0.003,
}
PLACEMENTS_16_PLUS = {
    "U1": 0.02,
    "U3": 0.05,
    "U4": 0.14,
    "U6": 0.33,
    "P1": 0.03,
    "K2": 0.12,
    "R1": 0.03,
    "H5": 0.18,
    "P2": 0.06,
    "S1": 0.01,
    "R5": 0.01,
    "Z1": 0.01,
    "K1": 0.01,
}
PLACEMENTS_UASC = {"U4": 0.10, "U6": 0.47, "H5": 0.30, "K2": 0.05, "P2": 0.08}
PLACEMENTS_TEMPORARY = {"T0": 0.1, "T1": 0.45, "T2": 0.25, "T3": 0.15, "T4": 0.05}
#: Ref 21 (published 83.4%): foster placements with the council's own carers (PR1).
P_IN_HOUSE_FOSTER = 0.845
IN_HOUSE_FOSTER_DRIFT = 0.12
P_IN_HOUSE_FOSTER_UASC = 0.60
P_RELATIVE_IN_HOUSE = 0.95
#: Providers of other placement types (903 PLACE_PROVIDER).
PROVIDERS_RESIDENTIAL = {"PR1": 0.25, "PR2": 0.03, "PR4": 0.62, "PR5": 0.10}
PROVIDERS_SEMI_INDEPENDENT = {"PR1": 0.20, "PR4": 0.60, "PR5": 0.20}
PROVIDERS_ADOPTION = {"PR1": 0.70, "PR2": 0.10, "PR5": 0.20}
#: Distance from home in miles (ref 22, published 82.5% within 20 miles): lognormal median and
#: sigma by kind of placement; share of placements with no distance recorded.
DISTANCE_IN_HOUSE = (5.2, 1.0)
DISTANCE_AGENCY = (13.5, 1.0)
DISTANCE_RESIDENTIAL = (24.0, 1.0)
DISTANCE_ADOPTION = (22.0, 0.9)
DISTANCE_HOME = (1.5, 0.8)
P_DISTANCE_UNKNOWN = 0.07

#: CIC reviews (ref 24, published 99.3%): first within 20 working days, second within 3 months,
#: then every 6 months; days before the deadline a review is held, and the chance one is late.
CIC_FIRST_REVIEW_WD = (5, 20)
CIC_REVIEW_EARLY_DAYS = (0, 35)
P_CIC_REVIEW_LATE = 0.0005
CIC_REVIEW_LATE_DAYS = (1, 25)
#: Ref 23 (published 92.7%): children 4+ participating in their review (PN1-PN6 vs PN7).
P_REVIEW_PARTICIPATION = 0.93
REVIEW_PARTICIPATION_DRIFT = 0.35
PARTICIPATION_CODES = {"PN1": 0.42, "PN2": 0.05, "PN3": 0.15, "PN4": 0.10, "PN5": 0.20, "PN6": 0.08}

#: Health assessments (ref 26, published 89.4%): 6-monthly under 5, yearly from 5; dental checks
#: (ref 25, published 94.0%) yearly. Share of intervals kept, and how early / late they are.
P_HEALTH_IN_TIME = 0.70
HEALTH_DRIFT = 0.25
P_DENTAL_IN_TIME = 0.86
DENTAL_DRIFT = 0.25
CHECK_EARLY_DAYS = (0, 50)
CHECK_LATE_DAYS = (10, 200)
FIRST_HEALTH_DAYS = (5, 28)
FIRST_DENTAL_DAYS = (20, 150)

#: CIC visits (no indicator): every six weeks, less often in settled placements.
CIC_VISIT_DAYS = (25, 75)
P_CIC_VISIT_SEEN = 0.97

# ==================================================================================================
# Adoption (refs 28-31)
# ==================================================================================================

#: Ref 28 (published 90%): ADM decision on or before the second review; days from entering care.
P_ADM_BY_SECOND_REVIEW = 0.88
ADM_DAYS_EARLY = (25, 60)
ADM_DAYS_LATE = (130, 320)
#: Days from the decision to the placement order (court), the placement order to the match (ref
#: 30, published 163.5), the match to placement, the placement to the adoption order.
PLACEMENT_ORDER_DAYS = (200, 0.40)
MATCH_DAYS = (140, 0.50)
P_MATCH_BEFORE_ORDER = 0.04
PLACED_AFTER_MATCH_DAYS = (7, 35)
ADOPTION_ORDER_DAYS = (190, 0.35)
#: Decisions later reversed (the child is not adopted).
P_ADOPTION_REVERSED = 0.08
#: Adoptions by the child's foster carer (A5/A6 placements; the A10 move-in date).
P_FOSTER_CARER_ADOPTION = 0.10

# ==================================================================================================
# Care leavers (refs 32-34)
# ==================================================================================================

#: Contact around each 17th-21st birthday (window 3 months before to 1 month after): whether one is
#: recorded, its IN_TOUCH code, and for those in touch suitable accommodation and EET.
P_BIRTHDAY_CONTACT = 0.95
P_CONTACT_OUTSIDE_WINDOW = 0.04
IN_TOUCH_SHARES = {"YES": 0.68, "NO": 0.165, "REFU": 0.07, "NREQ": 0.035, "RHOM": 0.025}
CARE_LEAVER_DRIFT = 0.2
#: Ref 33 (published 58.1% of the cohort; 88% of those in touch).
P_SUITABLE_IF_IN_TOUCH = 0.885
#: Ref 34 (published 36.6% of the cohort; 55% of those in touch).
P_EET_IF_IN_TOUCH = 0.565
ACCOMMODATION_SUITABLE = {
    "B": 0.10,
    "D": 0.12,
    "E": 0.10,
    "K": 0.05,
    "R": 0.12,
    "T": 0.06,
    "U": 0.38,
    "C": 0.04,
    "Y": 0.03,
}
ACCOMMODATION_UNSUITABLE = {"S": 0.2, "V": 0.25, "W": 0.2, "X": 0.2, "Y": 0.1, "G": 0.05}
ACTIVITY_EET = {"F1": 0.12, "P1": 0.03, "F2": 0.40, "P2": 0.08, "F3": 0.27, "P3": 0.10}
ACTIVITY_NEET = {"G4": 0.15, "G5": 0.70, "G6": 0.15}
#: Other contacts per year (no indicator: keeping in touch between birthdays).
OTHER_CONTACTS_PER_YEAR = 0.6
P_OTHER_CONTACT_IN_TOUCH = 0.6

# ==================================================================================================
# Private fostering (refs 8-10)
# ==================================================================================================

PF_NOTIFICATIONS_PER_YEAR = 28
#: Floor on notifications per year, so that small test scales still have private fostering.
PF_MIN_NOTIFICATIONS_PER_YEAR = 8
#: Ref 8 (published 71.4%, 5 of 7): initial visit within 7 working days.
P_PF_INITIAL_VISIT_IN_TIME = 0.75
PF_INITIAL_WD_IN_TIME = (1, 7)
PF_INITIAL_WD_LATE = (8, 20)
P_PF_NOT_STARTED = 0.60
#: Arrangements: many short (e.g. language students), some lasting years.
P_PF_SHORT = 0.25
PF_SHORT_MEDIAN_DAYS, PF_LONG_MEDIAN_DAYS, PF_DURATION_SIGMA = 60, 800, 0.6
#: Refs 9 and 10 (published 66.7% and 84%): visits every <= 6 weeks in year one, <= 12 weeks later.
P_PF_VISIT_IN_TIME = 0.88
PF_VISIT_DAYS_YEAR_1 = (25, 42)
PF_VISIT_DAYS_LATER = (50, 84)
PF_VISIT_LATE_EXTRA = (1, 30)

# ==================================================================================================
# Quality assurance (refs 35-39)
# ==================================================================================================

CASE_FILE_AUDITS_PER_MONTH = 66
#: Ref 35 (published 85.3%): audits completed (eventually); days from due to completion.
P_AUDIT_COMPLETED = 0.91
AUDIT_DRIFT = 0.3
AUDIT_COMPLETION_DAYS = (-20, 12)
#: Refs 36/37 (published 47.4% good or outstanding, 0.9% inadequate).
AUDIT_RATINGS = {
    "outstanding": 0.05,
    "good": 0.44,
    "requires_improvement": 0.50,
    "inadequate": 0.01,
}
AUDIT_RATING_DRIFT = 0.2
#: Ref 38 (published 70.9%): CP social work reports rated by the chair at conferences.
P_CP_REPORT_RATED = 0.36
P_CP_REPORT_GOOD = 0.69
#: Ref 39 (published 69.2%): care plans rated by IROs at reviews.
P_CARE_PLAN_RATED = 0.62
P_CARE_PLAN_GOOD = 0.695
QUALITY_DRIFT = 0.12
P_RATING_INADEQUATE_IF_NOT_GOOD = 0.08

# ==================================================================================================
# Workforce (refs 40-44)
# ==================================================================================================

#: Caseholding FTE per kind of team (AIT & FST and CIC split between teams by demand).
FTE_AIT = 236.0
FTE_CIC = 88.0
FTE_FOSTERING = 45.0
FTE_OTHER = {
    "Disability EK": 10.0,
    "Disability WK": 9.0,
    "UASC AIT": 14.0,
    "Adoption & SG": 10.0,
    "CDT/OOH/CRU": 6.0,
    #: personal advisers: they hold care leavers' cases but are not social work (caseholding) posts
    "Care Leaver Service (18+)": 30.0,
}
#: Part-time posts: FTE values and shares.
POST_FTE = {1.0: 0.84, 0.8: 0.06, 0.6: 0.05, 0.5: 0.05}
P_SENIOR_PRACTITIONER = 0.25
#: Non-caseholding posts: one team manager per team and family support workers in AIT & FST.
FAMILY_SUPPORT_WORKERS_PER_AIT = 2
#: Contract of each new occupancy period and its mean length in months (refs 40-41: published
#: 76.1% permanent qualified, 20.3% agency). Shares are of time; probabilities follow from them.
CONTRACT_TIME_SHARES = {
    "permanent": 0.77,
    "agency": 0.205,
    "vacant": 0.018,
    "fixed_term": 0.005,
    "secondment": 0.002,
}
CONTRACT_MEAN_MONTHS = {
    "permanent": 40.0,
    "agency": 9.0,
    "vacant": 2.5,
    "fixed_term": 12.0,
    "secondment": 12.0,
}
AGENCY_DRIFT = 0.10
#: Permanent social workers recorded as qualified (the rest: newly qualified not yet registered).
P_QUALIFIED_PERMANENT = 0.995

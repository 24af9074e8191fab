"""A tiny, consistent set of valid extracts, as CSV text, and helpers to use it."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

VALID_CSV: dict[str, str] = {
    "organisation": """team,area,team_type
Team A,North,assessment_and_family_support
Team C,North,children_in_care
Leavers,,care_leavers
""",
    "children": (
        "child_id,date_of_birth,expected_date_of_birth,sex,uasc,"
        "uasc_ceased_date,disabled\n"
        """C1,2010-05-01,,F,false,,false
C2,,2015-08-01,U,false,,
C3,1997-03-03,,M,true,2015-03-03,no
C4,2005-01-01,,M,0,,1
"""
    ),
    "referrals": """referral_id,child_id,team,referral_date,closure_date
R1,C1,Team A,2015-04-01,
R2,C2,Team A,2015-04-10,2015-05-20
R3,C4,Team A,2014-06-01,
""",
    "assessments": (
        "assessment_id,child_id,team,referral_id,start_date,authorised_date,"
        "child_seen,child_missing\n"
        """A1,C1,Team A,R1,2015-04-02,2015-04-30,true,false
A2,C2,Team A,R2,2015-04-11,,,
"""
    ),
    "cin_plans": """cin_plan_id,child_id,team,referral_id,start_date,end_date
P1,C1,Team A,R1,2015-05-01,
""",
    "s47_enquiries": (
        "s47_id,child_id,team,referral_id,start_date,completed_date,child_seen,"
        "icpc_date,icpc_outcome_cp_plan\n"
        """S1,C4,Team A,R3,2014-06-02,2014-06-20,true,2014-06-25,true
"""
    ),
    "cp_plans": """cp_plan_id,child_id,team,referral_id,start_date,end_date
CP1,C4,Team A,R3,2014-06-25,
""",
    "cp_reviews": """cp_review_id,cp_plan_id,child_id,review_date
CR1,CP1,C4,2014-09-20
""",
    "visits": (
        "visit_id,child_id,team,visit_type,visit_date,child_seen,"
        "arrangement_id\n"
        """V1,C1,Team A,CIN,2015-05-10,true,
V2,C4,Team A,CP,2015-05-12,true,
V3,C1,Team A,PF,2015-05-15,true,PF1
"""
    ),
    "allocations": (
        "allocation_id,child_id,worker_id,team,start_date,end_date,worker_role\n"
        """AL1,C1,W1,Team A,2015-04-01,,social_worker
AL2,C4,W2,Team C,2014-06-01,,
"""
    ),
    "cic_episodes": (
        "episode_id,child_id,team,start_date,end_date,reason_new_episode,"
        "legal_status,placement_type,placement_provider,reason_ceased,"
        "distance_miles\n"
        """E1,C4,Team C,2014-07-01,2014-09-01,S,C2,U4,PR1,X1,5.5
E2,C4,Team C,2014-09-01,,P,C2,U1,PR1,,12
"""
    ),
    "cic_reviews": """cic_review_id,child_id,team,review_date,participation
RV1,C4,Team C,2014-07-20,PN1
""",
    "health_checks": """health_check_id,child_id,check_type,check_date
H1,C4,health_assessment,2014-12-01
H2,C4,dental,2015-01-10
""",
    "adoptions": (
        "adoption_id,child_id,team,should_be_placed_date,placement_order_date,"
        "match_date,placed_for_adoption_date,adoption_order_date,"
        "decision_reversed_date,foster_carer_adoption,moved_in_with_carer_date\n"
        """AD1,C4,Team C,2015-01-05,2015-02-01,2015-03-01,2015-04-01,,,false,
"""
    ),
    "care_leavers": """child_id,team,eligibility
C3,Leavers,former_relevant
""",
    "care_leaver_contacts": (
        "contact_id,child_id,contact_date,in_touch,accommodation_type,"
        "accommodation_suitable,activity\n"
        """CL1,C3,2015-03-01,YES,B,true,F1
"""
    ),
    "pf_arrangements": (
        "arrangement_id,child_id,team,notification_date,initial_visit_date,"
        "start_date,end_date\n"
        """PF1,C1,Team A,2015-05-01,2015-05-06,2015-05-01,
"""
    ),
    "quality_audits": (
        "audit_id,audit_type,team,child_id,due_date,completed_date,rating\n"
        """QA1,case_file,Team A,C1,2015-04-30,2015-04-28,good
QA2,cp_report,Team A,,,2015-05-02,inadequate
"""
    ),
    "workforce": (
        "post_id,start_date,end_date,team,role,caseholding,fte,contract,"
        "worker_id,qualified_social_worker\n"
        """POST1,2014-01-01,,Team A,social_worker,true,1.0,permanent,W1,true
POST2,2014-01-01,2015-03-31,Team C,social_worker,true,0.5,agency,W2,true
POST2,2015-04-01,,Team C,social_worker,true,0.5,vacant,,
"""
    ),
    "population": """unit,year,age_from,age_to,population
Team A,2014,0,17,5000
Team A,2014,18,19,600
""",
    "assessment_types": """assessment_id,assessment_type
A1,initial
A2,core
""",
}


def frame_of(text: str) -> pd.DataFrame:
    """A raw frame as an analyst would read a canonical CSV: every value a string, blanks empty."""
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def write_folder(folder: Path, texts: dict[str, str], encoding: str = "utf-8") -> Path:
    """Write ``<name>.csv`` files; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.csv").write_text(text, encoding=encoding)
    return folder


def replace_line(text: str, old: str, new: str) -> str:
    """``text`` with the single occurrence of ``old`` replaced (fails loudly otherwise)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


@pytest.fixture
def valid_texts() -> dict[str, str]:
    return dict(VALID_CSV)


@pytest.fixture
def valid_frames() -> dict[str, pd.DataFrame]:
    return {name: frame_of(text) for name, text in VALID_CSV.items()}


@pytest.fixture
def valid_folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "extracts", VALID_CSV)

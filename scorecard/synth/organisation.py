"""The organisation of the synthetic authority: Kent's 22 teams of May 2015 plus a fostering team.

Children live in one of eleven districts, each with an assessment and family support team (AIT &
FST); the district decides the area, the children-in-care team and the disability team that hold
their cases. County-wide teams hold asylum-seeking children, adoption work, the front door and care
leavers aged 18+.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: (team, area, team_type) in the order of the published report, plus the fostering service.
TEAMS: tuple[tuple[str, str | None, str], ...] = (
    ("Ashford AIT & FST", "South Kent", "assessment_and_family_support"),
    ("Canterbury AIT & FST", "East Kent", "assessment_and_family_support"),
    ("Dartford AIT & FST", "North Kent", "assessment_and_family_support"),
    ("Dover AIT & FST", "South Kent", "assessment_and_family_support"),
    ("Gravesham AIT & FST", "North Kent", "assessment_and_family_support"),
    ("Maidstone AIT & FST", "West Kent", "assessment_and_family_support"),
    ("Sevenoaks AIT & FST", "North Kent", "assessment_and_family_support"),
    ("Shepway AIT & FST", "South Kent", "assessment_and_family_support"),
    ("Swale AIT & FST", "East Kent", "assessment_and_family_support"),
    ("Thanet AIT & FST", "East Kent", "assessment_and_family_support"),
    ("The Weald AIT & FST", "West Kent", "assessment_and_family_support"),
    ("North Kent CIC", "North Kent", "children_in_care"),
    ("East Kent (Can/Swa) CIC", "East Kent", "children_in_care"),
    ("East Kent (Tha) CIC", "East Kent", "children_in_care"),
    ("South Kent CIC", "South Kent", "children_in_care"),
    ("West Kent CIC", "West Kent", "children_in_care"),
    ("Disability EK", "Disability Service", "disability"),
    ("Disability WK", "Disability Service", "disability"),
    ("UASC AIT", None, "asylum"),
    ("Adoption & SG", None, "adoption"),
    ("CDT/OOH/CRU", None, "front_door"),
    ("Care Leaver Service (18+)", None, "care_leavers"),
    ("Fostering Service", None, "fostering"),
)
TEAM_NAMES: tuple[str, ...] = tuple(t[0] for t in TEAMS)
TEAM_TYPES: tuple[str, ...] = tuple(t[2] for t in TEAMS)
TEAM_INDEX = {name: i for i, name in enumerate(TEAM_NAMES)}

#: Districts: (AIT & FST team, children-in-care team, disability team, share of demand).
DISTRICTS: tuple[tuple[str, str, str, float], ...] = (
    ("Ashford AIT & FST", "South Kent CIC", "Disability EK", 0.085),
    ("Canterbury AIT & FST", "East Kent (Can/Swa) CIC", "Disability EK", 0.090),
    ("Dartford AIT & FST", "North Kent CIC", "Disability WK", 0.075),
    ("Dover AIT & FST", "South Kent CIC", "Disability EK", 0.080),
    ("Gravesham AIT & FST", "North Kent CIC", "Disability WK", 0.080),
    ("Maidstone AIT & FST", "West Kent CIC", "Disability WK", 0.100),
    ("Sevenoaks AIT & FST", "North Kent CIC", "Disability WK", 0.060),
    ("Shepway AIT & FST", "South Kent CIC", "Disability EK", 0.080),
    ("Swale AIT & FST", "East Kent (Can/Swa) CIC", "Disability EK", 0.110),
    ("Thanet AIT & FST", "East Kent (Tha) CIC", "Disability EK", 0.130),
    ("The Weald AIT & FST", "West Kent CIC", "Disability WK", 0.110),
)
DISTRICT_SHARES = np.array([d[3] for d in DISTRICTS])
DISTRICT_AIT = np.array([TEAM_INDEX[d[0]] for d in DISTRICTS])
DISTRICT_CIC = np.array([TEAM_INDEX[d[1]] for d in DISTRICTS])
DISTRICT_DISABILITY = np.array([TEAM_INDEX[d[2]] for d in DISTRICTS])

UASC_TEAM = TEAM_INDEX["UASC AIT"]
ADOPTION_TEAM = TEAM_INDEX["Adoption & SG"]
FRONT_DOOR_TEAM = TEAM_INDEX["CDT/OOH/CRU"]
CARE_LEAVERS_TEAM = TEAM_INDEX["Care Leaver Service (18+)"]
FOSTERING_TEAM = TEAM_INDEX["Fostering Service"]
FOSTERING_TEAM_NAME = "Fostering Service"


def organisation_table() -> pd.DataFrame:
    """The organisation table (team, area, team_type) of the synthetic authority."""
    return pd.DataFrame(
        {
            "team": pd.Series(TEAM_NAMES, dtype="str"),
            "area": pd.Series([t[1] for t in TEAMS], dtype="str"),
            "team_type": pd.Series(TEAM_TYPES, dtype="str"),
        }
    )


def case_team(district: np.ndarray, disabled: np.ndarray, uasc: np.ndarray) -> np.ndarray:
    """Team holding a child's assessment, CIN and CP work."""
    team = DISTRICT_AIT[district]
    team = np.where(disabled, DISTRICT_DISABILITY[district], team)
    return np.where(uasc, UASC_TEAM, team)


def care_team(district: np.ndarray, disabled: np.ndarray, uasc: np.ndarray) -> np.ndarray:
    """Team holding a child in care (before any adoptive placement)."""
    team = DISTRICT_CIC[district]
    team = np.where(disabled, DISTRICT_DISABILITY[district], team)
    return np.where(uasc, UASC_TEAM, team)

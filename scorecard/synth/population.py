"""The child population of the synthetic authority, for rates per 10,000 children, and the type
of its assessments (single child and family assessments).

Deterministic figures (no random draw, so that adding them changed no other extract): for each
district's assessment and family support team, a population aged 0-17 of the order of Kent's
districts (about 330,000 children in all at ``scale=1``), growing 0.6% a year, split into single
years of age 0-17 as the ONS mid-year estimates give them, for every mid-year from the first
financial year of the history to the last month's. Plausible, not the ONS's figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.synth import organisation as org

#: Children aged 0-17 per district team in mid-2011 (scale 1): of the order of Kent's districts
#: (The Weald serves two districts).
DISTRICT_CHILDREN: dict[str, int] = {
    "Ashford AIT & FST": 27_500,
    "Canterbury AIT & FST": 28_600,
    "Dartford AIT & FST": 22_800,
    "Dover AIT & FST": 22_100,
    "Gravesham AIT & FST": 24_300,
    "Maidstone AIT & FST": 35_200,
    "Sevenoaks AIT & FST": 25_400,
    "Shepway AIT & FST": 21_000,
    "Swale AIT & FST": 32_300,
    "Thanet AIT & FST": 30_100,
    "The Weald AIT & FST": 54_900,
}

#: Yearly growth of the child population.
GROWTH = 0.006
#: Share of each single year of age 0-17 (slightly more young children than older ones).
_AGE_WEIGHTS = np.linspace(1.06, 0.94, 18)
AGE_SHARES = _AGE_WEIGHTS / _AGE_WEIGHTS.sum()


def population_table(first_year: int, last_year: int, scale: float) -> pd.DataFrame:
    """``unit, year, age_from, age_to, population``: every district team, mid-year from
    ``first_year`` to ``last_year`` and single year of age 0-17, in canonical dtypes."""
    teams = [name for name in org.TEAM_NAMES if name in DISTRICT_CHILDREN]
    years = np.arange(first_year, last_year + 1)
    ages = np.arange(18)
    team, year, age = (a.ravel() for a in np.meshgrid(np.arange(len(teams)), years, ages,
                                                       indexing="ij"))  # fmt: skip
    base = np.array([DISTRICT_CHILDREN[t] for t in teams], dtype=float)[team]
    counts = np.round(base * scale * (1 + GROWTH) ** (year - 2011) * AGE_SHARES[age])
    return pd.DataFrame(
        {
            "unit": pd.Series(np.array(teams, dtype=object)[team], dtype="str"),
            "year": year.astype("float64"),
            "age_from": age.astype("float64"),
            "age_to": age.astype("float64"),
            "population": counts.astype("float64"),
        }
    )


def single_assessments(assessments: pd.DataFrame) -> pd.DataFrame:
    """``assessment_id, assessment_type``: every assessment a single (child and family)
    assessment, as the generator simulates them (no initial or core assessments)."""
    return pd.DataFrame(
        {
            "assessment_id": assessments["assessment_id"].reset_index(drop=True),
            "assessment_type": pd.Series("single", index=range(len(assessments)), dtype="str"),
        }
    )

"""On the bundled data, no unit is rated where the registry does not declare the indicator
applicable and rated at its level (issue 9: "the team pages of the bundled scorecard show no
rating that the registry does not declare applicable")."""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard.bundled import COUNTY, LAST_MONTH, bundled_extracts
from scorecard.pipeline import compute_scorecard
from scorecard.registry.model import UnitLevel


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    card = compute_scorecard(bundled_extracts(), LAST_MONTH, LAST_MONTH, county=COUNTY)
    return card.frame


def test_no_rating_where_the_registry_does_not_declare_it(frame, registry) -> None:
    assert set(frame["level"]) == {"county", "area", "team"}
    rated = frame[frame["rag"].notna()]
    for row in rated[rated["level"] != "county"].itertuples():  # a test, not a hot path
        found = registry[row.indicator].applicability
        team_type = row.team_type if row.level == "team" else None
        assert found.rated(UnitLevel(row.level), team_type), (row.indicator, row.unit)


def test_team_rows_carry_the_organisation_team_type(frame) -> None:
    teams = frame[frame["level"] == "team"].drop_duplicates("unit").set_index("unit")["team_type"]
    assert teams["CDT/OOH/CRU"] == "front_door"
    assert teams["Adoption & SG"] == "adoption"
    assert frame.loc[frame["level"] != "team", "team_type"].isna().all()


def test_ref_31_is_rated_for_the_county_only(frame) -> None:
    rows = frame[frame["indicator"] == "cic_ceased_adopted"]
    assert rows.loc[rows["level"] == "county", "state"].tolist() == ["rated"]
    assert (rows.loc[rows["level"] != "county", "state"] == "not applicable").all()


def test_a_front_door_team_lists_few_indicators(frame) -> None:
    front = frame[(frame["unit"] == "CDT/OOH/CRU") & (frame["state"] != "not applicable")]
    # refs 1, 7, 35-37, 40, 41 (see tests/registry/test_bundled_registry.py); 39 of 44 were "NR"
    assert sorted(front["ref"]) == [1, 7, 35, 36, 37, 40, 41]

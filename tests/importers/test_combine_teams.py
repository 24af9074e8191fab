"""assign_teams(): mapped, unmapped (team 'Unmapped', counted), no mapping (one unit)."""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard.extracts import validate_extracts
from scorecard.importers import UNMAPPED_TEAM, TeamMapError, assign_teams, read_team_map
from tests.importers.helpers import NA, children, referrals, result

ORG = pd.DataFrame(
    {
        "team": ["North CIC", "South CIC", "Front Door"],
        "area": ["North", "South", None],
        "team_type": ["children_in_care", "children_in_care", "front_door"],
    }
)


def _allocations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "allocation_id": ["A1", "A2"],
            "child_id": ["C1", "C2"],
            "worker_id": ["W1", "W9"],
            "team": [NA, NA],
            "start_date": ["2015-01-01", "2015-01-02"],
            "end_date": [NA, NA],
            "worker_role": [NA, NA],
        }
    )


def _imported():
    return result(
        "annex_a",
        {
            "children": children(
                [
                    ("C1", "2010-01-01", "M", False, NA),
                    ("C2", "2011-01-01", "F", False, NA),
                    ("C3", "2012-01-01", "F", False, NA),
                ]
            ),
            "referrals": referrals(
                [
                    ("R1", "C1", "CIC north ", "2015-01-10", NA),  # Annex A name, mapped
                    (
                        "R2",
                        "C2",
                        "Front Door",
                        "2015-01-11",
                        NA,
                    ),  # already a team of the organisation
                    ("R3", "C3", NA, "2015-01-12", NA),  # no team: child mapping
                    ("R4", "C2", "Old team", "2015-01-13", NA),  # unknown name, child C2 not mapped
                ]
            ),
            "allocations": _allocations(),
        },
    )


MAP = pd.DataFrame(
    {
        "kind": ["annex_a_team", "child", "worker"],
        "value": ["CIC north", "C3", "W1"],
        "team": ["North CIC", "South CIC", "North CIC"],
    }
)


def test_records_mapped_by_own_team_worker_and_child_and_the_rest_unmapped() -> None:
    teams = assign_teams(_imported(), team_map=MAP, organisation=ORG, authority="Shire")
    refs = teams.result.extracts["referrals"].set_index("referral_id")["team"]
    # R1 'CIC north ' (spaces stripped) -> annex_a_team row -> North CIC; R2 kept; R3 child C3
    # -> South CIC; R4: 'Old team' not mapped, not a team, C2 not mapped -> Unmapped
    assert refs.to_dict() == {
        "R1": "North CIC",
        "R2": "Front Door",
        "R3": "South CIC",
        "R4": UNMAPPED_TEAM,
    }
    alloc = teams.result.extracts["allocations"].set_index("allocation_id")["team"]
    assert alloc.to_dict() == {"A1": "North CIC", "A2": UNMAPPED_TEAM}  # W9 is not mapped
    assert list(teams.organisation["team"]) == [*ORG["team"], UNMAPPED_TEAM]
    report = teams.result.report
    unmapped = report[report["action"] == "unmapped"].set_index("table")
    assert unmapped["rows"].to_dict() == {"referrals": 1, "allocations": 1}
    assert "'Old team'" in unmapped.loc["referrals", "reason"]
    assert "R4" in unmapped.loc["referrals", "detail"]
    assert any("2 record(s) with no team" in n for n in teams.result.notes)
    # children have no team column: untouched
    pd.testing.assert_frame_equal(
        teams.result.extracts["children"], _imported().extracts["children"]
    )
    validate_extracts(dict(teams.result.extracts), teams.organisation)


def test_without_mapping_or_organisation_everything_is_one_unit_named_after_the_authority() -> None:
    teams = assign_teams(_imported(), authority="Shire")
    assert teams.organisation["team"].tolist() == ["Shire (all teams)"]
    refs = teams.result.extracts["referrals"]
    assert set(refs["team"]) == {"Shire (all teams)"}
    assert not (teams.result.report["action"] == "unmapped").any()
    assert any("one unit, 'Shire (all teams)'" in n for n in teams.result.notes)
    validate_extracts(dict(teams.result.extracts), teams.organisation)


def test_a_mapping_without_organisation_makes_one_from_its_teams() -> None:
    teams = assign_teams(_imported(), team_map=MAP, authority="Shire")
    assert sorted(teams.organisation["team"]) == ["North CIC", "South CIC", UNMAPPED_TEAM]
    assert any("no organisation file" in n for n in teams.result.notes)


def test_a_team_of_the_mapping_missing_from_the_organisation_is_an_error() -> None:
    bad = pd.concat([MAP, pd.DataFrame({"kind": ["child"], "value": ["C1"], "team": ["Nowhere"]})])
    with pytest.raises(TeamMapError, match="not in the organisation file: Nowhere"):
        assign_teams(_imported(), team_map=bad, organisation=ORG)


def test_mapping_file_problems_are_listed_with_lines(tmp_path) -> None:
    path = tmp_path / "map.csv"
    path.write_text(
        "kind,value,team\nchild,C1,North CIC\nteam,X,North CIC\nchild,,South CIC\n"
        "child,C1,South CIC\n",
        encoding="utf-8",
    )
    with pytest.raises(TeamMapError) as caught:
        read_team_map(path)
    message = str(caught.value)
    # line 3: kind 'team'; line 4: blank value; lines 2 and 5: C1 mapped to two teams
    assert "blank cell at line(s) 4" in message
    assert "not so at line(s) 3 ('team')" in message
    assert "a value mapped to two teams at line(s) 2, 5" in message


def test_mapping_file_with_wrong_columns(tmp_path) -> None:
    path = tmp_path / "map.csv"
    path.write_text("child,team\nC1,North CIC\n", encoding="utf-8")
    with pytest.raises(TeamMapError, match="the columns must be kind,value,team, not child,team"):
        read_team_map(path)


def test_an_organisation_of_one_team_and_no_mapping_takes_everything() -> None:
    one = ORG.iloc[:1]
    teams = assign_teams(_imported(), organisation=one)
    assert set(teams.result.extracts["referrals"]["team"]) == {"North CIC"}
    assert set(teams.result.extracts["allocations"]["team"]) == {"North CIC"}
    assert teams.organisation["team"].tolist() == ["North CIC"]

"""Helpers of the SSDA903 importer tests: tiny hand-built returns and a one-team organisation."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scorecard
from scorecard.extracts import validate_extracts
from scorecard.importers import ImportResult, ReturnImportError
from scorecard.importers.ssda903 import import_ssda903
from tests.conftest import SHARED

FIXTURE = SHARED / "fixtures" / "ssda903_fake"

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)
REVIEWS = "CHILD,DOB,REVIEW,REVIEW_CODE"
TEAM = "Looked After"
ORGANISATION = pd.DataFrame({"team": [TEAM], "area": [None], "team_type": ["children_in_care"]})


def write_return(folder: Path, tables: Mapping[str, list[str]]) -> Path:
    """Write ``{file name: [header line, row lines...]}`` into ``folder``; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in tables.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def one_team(result: ImportResult) -> dict[str, pd.DataFrame]:
    """The result's extracts with every record in the one team of :data:`ORGANISATION`."""
    return {
        name: frame.assign(team=TEAM) if "team" in frame.columns else frame
        for name, frame in result.extracts.items()
    }


def validated(result: ImportResult):
    return validate_extracts(one_team(result), ORGANISATION)


def report_text(result: ImportResult) -> str:
    """The import report as lines ``table action: reason (rows): detail``."""
    rows = result.report
    return "\n".join(
        f"{r.table} {r.action}: {r.reason} ({r.rows}): {r.detail}" for r in rows.itertuples()
    )


# --------------------------------------------------------------------------------------------------
# Tests of the rules on tiny hand-built returns


def test_year_folders_combined_open_episode_completed(tmp_path):
    """Two years' returns in folders 2016-17 and 2017-18. Child 1's episode from 10/10/2016 is
    open in 2016-17 and ended (E11, adopted) on 05/05/2017 in 2017-18: the later year's row wins,
    so one episode 1-2016-10-10 ending 2017-05-05 E11. The header repeats exactly (kept once);
    child 2's sex is 1 in 2016-17 and 2 in 2017-18: the latest year wins (F), counted. Years
    2016/17-2017/18 from the folder names: covered from 1 April 2016 to 31 March 2018."""
    write_return(
        tmp_path / "2016-17",
        {
            "header.csv": [HEADER, "1,1,01/01/2010,WBRI,,,", "2,1,02/02/2011,WBRI,,,"],
            "episodes.csv": [EPISODES, "1,10/10/2016,S,C2,N1,U4,PR1,,,,,,"],
        },
    )
    write_return(
        tmp_path / "2017-18",
        {
            "header.csv": [HEADER, "1,1,01/01/2010,WBRI,,,", "2,2,02/02/2011,WBRI,,,"],
            "episodes.csv": [EPISODES, "1,10/10/2016,S,C2,N1,U4,PR1,05/05/2017,E11,,,,"],
        },
    )
    result = import_ssda903([tmp_path / "2016-17", tmp_path / "2017-18"])
    eps = result.extracts["cic_episodes"]
    assert eps[["episode_id", "end_date", "reason_ceased"]].values.tolist() == [
        ["1-2016-10-10", pd.Timestamp("2017-05-05"), "E11"]
    ]
    children = result.extracts["children"].set_index("child_id")
    assert children["sex"].to_dict() == {"1": "M", "2": "F"}
    assert result.collection_years == ("2016/17", "2017/18")
    assert (result.first_date_covered, result.extraction_date) == (
        pd.Timestamp("2016-04-01").date(),
        pd.Timestamp("2018-03-31").date(),
    )
    text = report_text(result)
    assert "header excluded: exact repeat" in text and "(1)" in text
    assert "superseded: a later collection year's row for the same CHILD" in text
    validated(result)


def test_missing_middle_year_and_oc3_each_year(tmp_path):
    """Returns 2016-17 and 2018-19 without 2017-18: episodes that began and ended in 2017-18 are
    missing, so the extracts are complete from 1 April 2018 only (noted). Care leaver 4 has the
    same OC3 answers in both years: two annual contacts, on the birthday in each year (DOB
    10/05/1998: 10/05/2016 in 2016-17 and 10/05/2018 in 2018-19)."""
    oc3 = ["CHILD,DOB,IN_TOUCH,ACTIV,ACCOM", "4,10/05/1998,YES,F1,B1"]
    for year in ("2016-17", "2018-19"):
        write_return(
            tmp_path / year, {"header.csv": [HEADER, "4,1,10/05/1998,WBRI,,,"], "oc3.csv": oc3}
        )
    result = import_ssda903([tmp_path / "2016-17", tmp_path / "2018-19"])
    assert result.first_date_covered == pd.Timestamp("2018-04-01").date()
    assert "collection year(s) 2017/18 not supplied" in result.notes[0]
    contacts = result.extracts["care_leaver_contacts"]
    assert sorted(contacts["contact_id"]) == ["4-2016-05-10", "4-2018-05-10"]
    assert contacts["accommodation_type"].tolist() == ["B", "B"]
    assert contacts["accommodation_suitable"].tolist() == [True, True]
    validated(result)


def test_allocations_and_code_validity_by_year(tmp_path):
    """sw_episodes of child 1: worker W1 from 01/05/2017 to 01/09/2017, W2 from 01/09/2017 (open):
    two allocations with ids child-start-worker. Child 1's PLACE A1 (placed for adoption before
    the 2014-15 codes) is valid up to 2013-14 only, so in the 2017-18 return it is unknown and the
    episode is excluded (given in a year file named episodes_2018.csv: the return of the year
    ending 31 March 2018)."""
    write_return(
        tmp_path,
        {
            "header_2018.csv": [HEADER, "1,1,01/01/2010,WBRI,,,"],
            "episodes_2018.csv": [EPISODES, "1,01/05/2017,S,C2,N1,A1,PR1,,,,,,"],
            "sw_episodes_2018.csv": [
                "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON",
                "1,01/01/2010,W1,01/05/2017,01/09/2017,MGRDEC",
                "1,01/01/2010,W2,01/09/2017,,",
            ],
        },
    )
    result = import_ssda903([tmp_path])
    assert result.collection_years == ("2017/18",)
    allocations = result.extracts["allocations"]
    assert sorted(allocations["allocation_id"]) == ["1-2017-05-01-W1", "1-2017-09-01-W2"]
    assert result.extracts["cic_episodes"].empty
    assert "CHILD 1 (episodes_2018.csv line 2) 'A1'" in report_text(result)
    validated(result)


def test_xml_bad_date_names_child_and_element(tmp_path):
    """A DECOM of '2017-01-01' (ISO, not dd/mm/yyyy) in the XML form: an error naming the file,
    the child and the element (XML has no useful line numbers: the sample is one line)."""
    (tmp_path / "r.xml").write_text(
        "<EXPSSDA903><CHILD><HEADER><CHILDID>7</CHILDID><SEX>2</SEX><DOB>01/02/2005</DOB>"
        "</HEADER><EPISODE><DECOM>2017-01-01</DECOM><RNE>S</RNE><LS>C2</LS><PL>U4</PL>"
        "</EPISODE></CHILD></EXPSSDA903>",
        encoding="utf-8",
    )
    with pytest.raises(ReturnImportError) as error:
        import_ssda903([tmp_path / "r.xml"])
    assert "r.xml (XML) CHILD 7 DECOM '9999-99-99'" in str(error.value)


def test_overlap_cut_at_the_later_start(tmp_path):
    """Child 1: episode A 01/01/2017-01/06/2017 (E3 at its end) and episode B from 01/03/2017
    (open). B starts later, so B is in force and A is cut at 01/03/2017 with reason X1 (care
    continues). Child 2's episodes follow one another (no overlap) and are left alone: one repair,
    listed with the old and new end."""
    write_return(
        tmp_path,
        {
            "header.csv": [HEADER, "1,1,01/01/2010,WBRI,,,", "2,2,01/01/2010,WBRI,,,"],
            "episodes.csv": [
                EPISODES,
                "1,01/01/2017,S,C2,N1,U4,PR1,01/06/2017,E3,,,,",
                "1,01/03/2017,P,C2,N1,U5,PR1,,,,,,",
                "2,01/01/2017,S,C2,N1,U4,PR1,01/03/2017,X1,,,,",
                "2,01/03/2017,P,C2,N1,U5,PR1,,,,,,",
            ],
        },
    )
    result = import_ssda903([tmp_path], collection_years="2016/17")
    eps = result.extracts["cic_episodes"].set_index("episode_id")
    assert eps.loc["1-2017-01-01", "end_date"] == pd.Timestamp("2017-03-01")
    assert eps.loc["1-2017-01-01", "reason_ceased"] == "X1"
    assert eps.loc["2-2017-01-01", "end_date"] == pd.Timestamp("2017-03-01")
    repairs = result.report[result.report["reason"].str.startswith("overlap")]
    assert repairs["rows"].sum() == 1
    assert (
        "episode 1-2017-01-01 (episodes.csv line 2) end 2017-06-01 E3 -> 2017-03-01 X1"
        in (repairs["detail"].iloc[0])
    )
    validated(result)  # no overlap failure


def test_two_review_codes_on_one_date(tmp_path):
    """Child 1 has PN3 and PN7 on 05/05/2017 (two reviews on one day, seen in the sample data) and
    the PN3 row twice (an exact repeat): two reviews with ids child-date-code, one repeat
    excluded."""
    write_return(
        tmp_path,
        {
            "header.csv": [HEADER, "1,1,01/01/2010,WBRI,,,"],
            "reviews.csv": [
                REVIEWS,
                "1,01/01/2010,05/05/2017,PN3",
                "1,01/01/2010,05/05/2017,PN7",
                "1,01/01/2010,05/05/2017,PN3",
            ],
        },
    )
    result = import_ssda903([tmp_path], collection_years=2018)
    assert sorted(result.extracts["cic_reviews"]["cic_review_id"]) == [
        "1-2017-05-05-PN3",
        "1-2017-05-05-PN7",
    ]
    assert result.collection_years == ("2017/18",)
    validated(result)


def test_unknown_codes(tmp_path):
    """Episode 1-2017-01-01 has LS 'Q9' (not a DfE code): excluded; episode 2 has PLACE_PROVIDER
    'PR9': kept with the provider blank; child 3's SEX '7' becomes U. Each reported with child and
    line."""
    write_return(
        tmp_path,
        {
            "header.csv": [
                HEADER,
                "1,1,01/01/2010,WBRI,,,",
                "2,2,01/01/2010,WBRI,,,",
                "3,7,01/01/2010,WBRI,,,",
            ],
            "episodes.csv": [
                EPISODES,
                "1,01/01/2017,S,Q9,N1,U4,PR1,,,,,,",
                "2,01/01/2017,S,C2,N1,U4,PR9,,,,,,",
            ],
        },
    )
    result = import_ssda903([tmp_path], collection_years="2016/17")
    eps = result.extracts["cic_episodes"]
    assert eps["episode_id"].tolist() == ["2-2017-01-01"]
    assert eps["placement_provider"].isna().all()
    assert result.extracts["children"].set_index("child_id").loc["3", "sex"] == "U"
    text = report_text(result)
    assert "LS: not a code of" in text and "CHILD 1 (episodes.csv line 2) 'Q9'" in text
    assert "CHILD 2 (episodes.csv line 3) 'PR9'" in text
    validated(result)


def test_bad_date_names_file_line_child_column(tmp_path):
    """DECOM '31/02/2017' does not exist: an error naming the file, line 3, child 2 and DECOM,
    with the value shown by its shape only."""
    write_return(
        tmp_path,
        {
            "header.csv": [HEADER, "1,1,01/01/2010,WBRI,,,"],
            "episodes.csv": [
                EPISODES,
                "1,01/01/2017,S,C2,N1,U4,PR1,,,,,,",
                "2,31/02/2017,S,C2,N1,U4,PR1,,,,,,",
            ],
        },
    )
    with pytest.raises(ReturnImportError) as error:
        import_ssda903([tmp_path])
    assert "episodes.csv line 3 CHILD 2 DECOM '99/99/9999'" in str(error.value)


def test_xml_form(tmp_path):
    """The XML form: child 7 with one review and one open episode (PL = PLACE), UASC with DUC."""
    (tmp_path / "r.xml").write_text(
        "<EXPSSDA903><CHILD><HEADER><CHILDID>7</CHILDID><SEX>2</SEX><DOB>01/02/2005</DOB>"
        "<UASC>1</UASC><DUC>01/02/2023</DUC><AREVIEW><REVIEW>03/03/2017</REVIEW>"
        "<REVIEW_CODE>PN4</REVIEW_CODE></AREVIEW></HEADER><EPISODE><DECOM>01/01/2017</DECOM>"
        "<RNE>S</RNE><LS>C2</LS><PL>U4</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC/><REC/>"
        "</EPISODE></CHILD></EXPSSDA903>",
        encoding="utf-8",
    )
    result = import_ssda903([tmp_path / "r.xml"], collection_years="2016/17")
    child = result.extracts["children"].iloc[0]
    assert (child["child_id"], child["sex"], bool(child["uasc"])) == ("7", "F", True)
    assert child["uasc_ceased_date"] == pd.Timestamp("2023-02-01")
    assert result.extracts["cic_episodes"]["placement_type"].tolist() == ["U4"]
    assert result.extracts["cic_reviews"]["cic_review_id"].tolist() == ["7-2017-03-03-PN4"]
    validated(result)


def test_adoption_milestones(tmp_path):
    """Child 5: placement order (LS E1) from 01/06/2016, placed for adoption (A4) on 01/09/2016,
    adopted (E11) on 01/03/2017; decision (DATE_PLACED) 01/05/2016, match 15/08/2016, not by the
    foster carer."""
    write_return(
        tmp_path,
        {
            "header.csv": [HEADER, "5,1,01/01/2014,WBRI,,,"],
            "episodes.csv": [
                EPISODES,
                "5,01/01/2016,S,C2,N1,U4,PR1,01/06/2016,X1,,,,",
                "5,01/06/2016,L,E1,N1,U4,PR1,01/09/2016,X1,,,,",
                "5,01/09/2016,P,E1,N1,A4,PR1,01/03/2017,E11,,,,",
            ],
            "ad1.csv": [
                "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR",
                "5,01/01/2014,01/05/2016,15/08/2016,0,2,MF,L0",
            ],
            "placed_for_adoption.csv": [
                "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED",
                "5,01/01/2014,01/05/2016,,",
            ],
        },
    )
    result = import_ssda903([tmp_path], collection_years="2016/17")
    row = result.extracts["adoptions"].iloc[0]
    assert row["should_be_placed_date"] == pd.Timestamp("2016-05-01")
    assert row["placement_order_date"] == pd.Timestamp("2016-06-01")
    assert row["match_date"] == pd.Timestamp("2016-08-15")
    assert row["placed_for_adoption_date"] == pd.Timestamp("2016-09-01")
    assert row["adoption_order_date"] == pd.Timestamp("2017-03-01")
    assert not row["foster_carer_adoption"]
    validated(result)


# --------------------------------------------------------------------------------------------------
# The real fixture


def _fixture() -> Path:
    if not (FIXTURE / "episodes.csv").is_file():
        pytest.skip(f"SSDA903 fixture not found at {FIXTURE}")
    return FIXTURE


def test_fixture_imports_and_validates():
    """The fake 903 folder (CSV tables; the XML beside them is reported, not read) imports and the
    one-team extracts pass validate_extracts. Counts from the files: 5,050 episode lines, 12,582
    review lines of which 2 exact repeats, 2,675 header lines, 53 OC3 lines."""
    result = import_ssda903([_fixture()])
    sizes = {name: len(frame) for name, frame in result.extracts.items()}
    assert sizes["cic_episodes"] == 5050
    assert sizes["cic_reviews"] == 12582 - 2
    assert sizes["children"] == 2675
    assert sizes["care_leavers"] == 53
    assert "fake_903.xml" in set(result.report["file"])
    extracts = validated(result)
    assert extracts.cic_episodes is not None


def test_fixture_xml_imports_and_validates():
    """fake_903.xml: 253 children, 459 episodes, 1,206 reviews (element counts)."""
    result = import_ssda903([_fixture() / "fake_903.xml"])
    sizes = {name: len(frame) for name, frame in result.extracts.items()}
    assert (sizes["children"], sizes["cic_episodes"], sizes["cic_reviews"]) == (253, 459, 1206)
    validated(result)


def test_fixture_children_by_hand_three_placements():
    """cic_3_placements_12m (ref 19) for February 2018 on five children of the fixture (snapshot
    Wed 28/02/2018, window from 28/02/2017; short breaks V3/V4 ignored; RNE L continues a
    placement):

    * 487166: 04/05/2016 V3 is a short break (ignored); 03/08/2017 E1 A3 starts a period and
      placement 1; 30/10/2017 RNE L continues it; 18/11/2017 P U3 placement 2; 28/11/2017 L;
      03/01/2018 P R5 placement 3, open on 28/02/2018 -> 3 placements: numerator.
    * 93102: 20/11/2016 T S1 (open in the window until 22/05/2017), 22/05/2017 P, 06/09/2017 P,
      11/01/2018 P (open) -> 4 placements: numerator.
    * 930935: 27/11/2017 J3 (open) overlaps 24/02/2018 S T0 (open): repaired, the first cut at
      24/02/2018 with X1, so care continues. Placements: 04/09/2016 P (ended 05/05/2017, in the
      window), 05/05/2017 P, (27/11/2017 L continues), 24/02/2018 S -> 3: numerator.
    * 566910: 15/02/2016 T2 (to 14/08/2017), 14/08/2017 T A3 (open) -> 2: not in the numerator.
    * 384923: 26/04/2016 T A5 (to 09/05/2017), 09/05/2017 RNE L (open) -> 1: not.

    So numerator 3, denominator 5."""
    result = import_ssda903([_fixture()])
    chosen = {"487166", "93102", "930935", "566910", "384923"}
    frames = {
        name: frame[frame["child_id"].isin(chosen)]
        for name, frame in one_team(result).items()
        if name in ("children", "cic_episodes")
    }
    extracts = validate_extracts(frames, ORGANISATION)
    computation = scorecard.compute(extracts, ["2018-02"], indicators=["cic_3_placements_12m"])
    row = computation.results.query("level == 'county'").iloc[0]
    assert (row["numerator"], row["denominator"]) == (3, 5)
    drill = computation.drill_down("cic_3_placements_12m", TEAM, "2018-02")
    assert set(drill.loc[drill["in_numerator"], "child_id"]) == {"487166", "93102", "930935"}


# --------------------------------------------------------------------------------------------------
# Property: same returns twice, or the year files in any order, give the same extracts


_YEARS = {
    "2015-16": {
        "header.csv": [HEADER, "1,1,01/01/2010,WBRI,,,", "2,2,01/01/2011,WBRI,,,"],
        "episodes.csv": [
            EPISODES,
            "1,10/10/2015,S,C2,N1,U4,PR1,,,,,,",
            "2,01/02/2016,S,C2,N1,U4,PR1,,X1,,,,",
        ],
        "reviews.csv": [REVIEWS, "1,01/01/2010,01/11/2015,PN1"],
    },
    "2016-17": {
        "header.csv": [HEADER, "1,1,01/01/2010,WBRI,,,", "2,1,01/01/2011,WBRI,,,"],
        "episodes.csv": [
            EPISODES,
            "1,10/10/2015,S,C2,N1,U4,PR1,05/05/2016,X1,,,,",
            "1,05/05/2016,P,C2,N1,U5,PR1,,,,,,",
            "2,01/02/2016,S,C2,N1,U4,PR1,,,,,,",
        ],
        "reviews.csv": [
            REVIEWS,
            "1,01/01/2010,01/11/2015,PN1",
            "1,01/01/2010,01/05/2016,PN2",
            "1,01/01/2010,01/05/2016,PN3",
        ],
    },
    "2017-18": {
        "header.csv": [HEADER, "1,2,01/01/2010,WBRI,,,"],
        "episodes.csv": [
            EPISODES,
            "1,05/05/2016,P,C2,N1,U5,PR1,01/01/2018,E11,,,,",
            "1,01/12/2017,P,C2,N1,U6,PR1,,,,,,",
        ],
        "reviews.csv": [REVIEWS, "1,01/01/2010,01/05/2016,PN3"],
    },
}


def _canonical(result: ImportResult) -> dict[str, list]:
    return {
        name: frame.sort_values(frame.columns[0]).astype("string").fillna("").values.tolist()
        for name, frame in result.extracts.items()
    }


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(order=st.permutations(sorted(_YEARS)), twice=st.booleans())
def test_same_extracts_in_any_order_or_twice(tmp_path_factory, order, twice):
    """Three years (with repeats, an episode completed later, a conflicting header, an overlap and
    two codes on one date): the extracts do not depend on the order of the year folders, nor on
    giving the same folders twice."""
    root = tmp_path_factory.mktemp("years")
    for year, tables in _YEARS.items():
        write_return(root / year, tables)
    reference = _canonical(import_ssda903([root / y for y in sorted(_YEARS)]))
    folders = [root / y for y in order]
    again = _canonical(import_ssda903(folders + folders if twice else folders))
    assert again == reference

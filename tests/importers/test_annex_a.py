"""The Annex A importer (scorecard.importers.annex_a): tiny hand-built workbooks, one rule each,
and the sample workbook of ../shared/fixtures (an Annex A written outside this project).

Every expected value is worked out by hand from the cells written in the test (the reasoning is
in the comments); none is copied from what the importer produced.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from scorecard.extracts import validate_extracts
from scorecard.importers import ReturnImportError
from scorecard.importers.annex_a import import_annex_a, list_number, normalise_header
from tests.conftest import SHARED

SAMPLE = SHARED / "fixtures" / "annex_a_sample" / "Annex_A_2024_Jan.xlsx"

D = dt.datetime  # Excel dates come back from openpyxl as datetimes

# Ofsted's headers of the lists the small workbooks use.
LIST3 = [
    "Child Unique ID",
    "Gender",
    "Date of Birth",
    "Date of Referral",
    "Referral NFA?",
    "Allocated Team",
    "Allocated Worker",
]
LIST4 = [
    "Child Unique ID",
    "Gender",
    "Date of Birth",
    "Does the Child have a Disability",
    "Continuous Assessment Start Date",
    "Child Seen During Continuous Assessment",
    "Continuous Assessment Date of Authorisation",
    "Allocated Team",
    "Allocated Worker",
]
LIST6 = [
    "Child Unique ID",
    "Gender",
    "Date of Birth",
    "CIN Start Date",
    "CIN Closure Date",
    "Allocated Team",
]
LIST8 = [
    "Child Unique ID",
    "Gender",
    "Date of Birth",
    "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
    "Date Started to be Looked After",
    "Start date of current legal status",
    "Child's Legal Status",
    "Date Ceased to be Looked After",
    "Reason Ceased to be Looked After",
    "Start Date of Most Recent Placement",
    "Placement Type",
    "Placement Provider",
    "Allocated Team",
]
LIST9 = [
    "Child Unique ID",
    "Gender",
    "Date of Birth",
    "Allocated Team",
    "Eligibility Category",
    "LA in Touch",
    "Latest Date of Contact",
    "Type of Accommodation",
    "Suitability of Accommodation",
    "Activity Status",
]


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An .xlsx with one sheet per entry (header row first), written with openpyxl."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def small_workbook() -> dict[str, list[list[object]]]:
    """Lists 3, 4 and 6: two children, three referrals (one a re-referral), one assessment."""
    return {
        "List 3": [
            LIST3,
            # child 101: referred 1 May 2020 and again 10 January 2021 (a re-referral)
            [101, "a) Male", D(2012, 3, 4), D(2020, 5, 1), "b) No", "North Team", "A Worker"],
            [101, "a) Male", D(2012, 3, 4), D(2021, 1, 10), "No", "North Team", "A Worker"],
            # child 102: referred 1 June 2020, no further action
            [102, "b) Female", D(2015, 6, 7), "01/06/2020", "a) Yes", "South Team", "B Worker"],
        ],
        "List 4": [
            LIST4,
            [
                101,
                "a) Male",
                D(2012, 3, 4),
                "b) No",
                D(2020, 5, 4),
                "a) Yes",
                D(2020, 6, 1),
                "North Team",
                "A Worker",
            ],
        ],
        "List 6": [
            LIST6,
            # child 101's CIN episode of the referral of 1 May 2020, closed 30 September 2020
            [101, "a) Male", D(2012, 3, 4), D(2020, 5, 1), D(2020, 9, 30), "Central Team"],
            # child 103: a CIN episode that started before the 12 months (not in list 3)
            [103, "b) Female", D(2010, 1, 1), D(2018, 2, 3), None, "#N/A"],
        ],
    }


def test_referrals_from_lists_3_and_6(tmp_path: Path) -> None:
    result = import_annex_a(write_workbook(tmp_path / "a.xlsx", small_workbook()))
    referrals = result.extracts["referrals"].set_index("referral_id")
    # Ids are <child>-<date>: three list 3 rows, plus child 103's list 6 episode (not in list 3).
    assert sorted(referrals.index) == [
        "101-2020-05-01",
        "101-2021-01-10",
        "102-2020-06-01",
        "103-2018-02-03",
    ]
    # 101's first referral is the CIN episode of list 6 row 2: closed 30/09/2020, and its team is
    # list 6's (the team holding the case now), not list 3's.
    assert referrals.loc["101-2020-05-01", "closure_date"] == pd.Timestamp("2020-09-30")
    assert referrals.loc["101-2020-05-01", "team"] == "Central Team"
    # 102: NFA = Yes and not in list 6: closed on its referral date (text date dd/mm/yyyy).
    assert referrals.loc["102-2020-06-01", "closure_date"] == pd.Timestamp("2020-06-01")
    # 101's second referral: not in list 6, not NFA: open.
    assert pd.isna(referrals.loc["101-2021-01-10", "closure_date"])
    # 103: team '#N/A' (an Excel error value) is read as blank: no team.
    assert pd.isna(referrals.loc["103-2018-02-03", "team"])
    assert result.source == "annex_a"


def test_team_column(tmp_path: Path) -> None:
    sheets = small_workbook()
    # list 4 without its Allocated Team column (and its worker): team left missing
    sheets["List 4"] = [[v for i, v in enumerate(row) if i < 7] for row in sheets["List 4"]]
    result = import_annex_a(write_workbook(tmp_path / "a.xlsx", sheets))
    assert result.extracts["assessments"]["team"].isna().all()
    # list 3 keeps the teams as written
    teams = result.extracts["referrals"].set_index("referral_id")["team"]
    assert teams["102-2020-06-01"] == "South Team"
    assert teams["101-2021-01-10"] == "North Team"


def test_coded_answers(tmp_path: Path) -> None:
    sheets = {
        "List 8": [
            LIST8,
            # in care since 1/1/2019; legal status changed 1/6/2020, placement changed 1/3/2020:
            # the current episode starts on the later, 1/6/2020, by a legal status change (L)
            [
                201,
                "b) Female",
                D(2008, 1, 1),
                "a) Yes",
                D(2019, 1, 1),
                D(2020, 6, 1),
                "C2: FCO",
                None,
                None,
                D(2020, 3, 1),
                "f) U6: Foster placement - not FFA",
                "b) PR1 - Own provision",
                "CIC Team",
            ],
            # ceased 1/2/2021 (k) E47); started in care, placement and legal status on one day:
            # the episode is the whole period of care (S)
            [
                202,
                "a) Male",
                D(2005, 1, 1),
                "b) No",
                D(2020, 7, 1),
                D(2020, 7, 1),
                "E1: Placement order",
                D(2021, 2, 1),
                "k) E47: Special Guardianship Orders",
                D(2020, 7, 1),
                "n) H5: Residential accommodation",
                "z) PR9 - Moon base",
                "CIC Team",
            ],
        ],
        "List 9": [
            LIST9,
            [
                301,
                "a) Male",
                D(2002, 1, 1),
                "Leaving Care",
                "b) Former relevant child",
                "a) Yes",
                D(2021, 1, 5),
                "Y: Other accommodation",
                "b) Not suitable",
                "G5: Not in education, employment or training - other",
            ],
        ],
    }
    result = import_annex_a(write_workbook(tmp_path / "a.xlsx", sheets))
    episodes = result.extracts["cic_episodes"].set_index("child_id")
    assert episodes.loc["201", "start_date"] == pd.Timestamp("2020-06-01")
    assert episodes.loc[
        "201", ["reason_new_episode", "legal_status", "placement_type", "placement_provider"]
    ].tolist() == ["L", "C2", "U6", "PR1"]
    assert episodes.loc[
        "202", ["reason_new_episode", "legal_status", "placement_type", "reason_ceased"]
    ].tolist() == ["S", "E1", "H5", "E47"]
    # 'z) PR9' is no placement provider: left blank, the episode kept, the answer reported
    assert pd.isna(episodes.loc["202", "placement_provider"])
    unknown = result.report[result.report["action"] == "unknown_code"]
    assert unknown["reason"].tolist() == ["'Placement Provider': unknown answer 'PR9 - Moon base'"]
    assert unknown["detail"].tolist() == ["rows 3"]
    children = result.extracts["children"].set_index("child_id")
    assert children.loc["201", "sex"] == "F" and bool(children.loc["201", "uasc"]) is True
    assert children.loc["202", "sex"] == "M" and bool(children.loc["202", "uasc"]) is False
    leaver = result.extracts["care_leavers"].iloc[0]
    assert leaver["eligibility"] == "former_relevant"
    contact = result.extracts["care_leaver_contacts"].iloc[0]
    assert contact["contact_id"] == "301-2021-01-05"
    assert [contact["in_touch"], contact["accommodation_type"], contact["activity"]] == [
        "YES",
        "Y",
        "G5",
    ]
    assert bool(contact["accommodation_suitable"]) is False


def test_unknown_required_answer_excludes_the_row(tmp_path: Path) -> None:
    sheets = {
        "List 8": [
            LIST8,
            [
                201,
                "b) Female",
                D(2008, 1, 1),
                "b) No",
                D(2019, 1, 1),
                None,
                "Z9: Lunar order",
                None,
                None,
                D(2019, 1, 1),
                "U6",
                "PR1",
                "CIC Team",
            ],
        ]
    }
    result = import_annex_a(write_workbook(tmp_path / "a.xlsx", sheets))
    assert result.extracts["cic_episodes"].empty
    excluded = result.report[result.report["action"] == "excluded"]
    assert excluded["reason"].tolist() == ["no known Child's Legal Status: episode not mapped"]


def test_header_variants_give_the_same_extracts(tmp_path: Path) -> None:
    plain = import_annex_a(write_workbook(tmp_path / "plain.xlsx", small_workbook()))
    sheets = small_workbook()
    variant = {
        "LIST_3 Referrals": [
            [
                "CHILD UNIQUE ID",
                "gender",
                "Date  of Birth",
                "date_of_referral",
                "Referral NFA",
                "Allocated team",
                "Allocated Worker",
            ],
            *sheets["List 3"][1:],
        ],
        "list4": sheets["List 4"],
        "List 6 - CIN": sheets["List 6"],
    }
    varied = import_annex_a(write_workbook(tmp_path / "variant.xlsx", variant))
    for name, frame in plain.extracts.items():
        pd.testing.assert_frame_equal(varied.extracts[name], frame, obj=name)
    reasons = varied.report.loc[varied.report["action"] == "mapped", "reason"].tolist()
    assert "header variant: 'date_of_referral' read as 'Date of Referral'" in reasons
    assert "sheet 'LIST_3 Referrals' read as list 3" in reasons


def test_names_folded() -> None:
    assert normalise_header("Child's  Legal_Status") == "childs legal status"
    assert normalise_header("UASC within the Last 12 Months (Y/N))") == (
        "uasc within the last 12 months"
    )
    assert [
        list_number(n)
        for n in (
            "List 1",
            "List_1 Contacts",
            "LIST10",
            "list-11 adopters",
            "List 12",
            "Lists",
            "Sheet1",
            "List 1a",
        )
    ] == [1, 1, 10, 11, None, None, None, None]


def test_missing_list_leaves_its_extracts_absent(tmp_path: Path) -> None:
    sheets = small_workbook()
    del sheets["List 4"]
    result = import_annex_a(write_workbook(tmp_path / "a.xlsx", sheets))
    assert "assessments" not in result.extracts
    assert "referrals" in result.extracts
    absent = result.report[result.report["reason"].str.contains("is not in the workbook")]
    assert "list 4 (assessments) is not in the workbook" in absent["reason"].tolist()


def test_invalid_dates_named_by_sheet_row_and_column(tmp_path: Path) -> None:
    sheets = small_workbook()
    sheets["List 3"][2][3] = "31/02/2021"  # row 3 of the sheet, column D: no 31 February
    sheets["List 4"][1][6] = "June 2020"  # row 2, column G
    with pytest.raises(ReturnImportError) as error:
        import_annex_a(write_workbook(tmp_path / "a.xlsx", sheets))
    message = str(error.value)
    assert "2 invalid date(s)" in message
    assert "sheet 'List 3' row 3 column D ('Date of Referral'): not a date" in message
    assert (
        "sheet 'List 4' row 2 column G ('Continuous Assessment Date of Authorisation')" in message
    )
    assert "31/02/2021" not in message  # the value is shown by its shape only: '99/99/9999'
    assert "'99/99/9999'" in message


def test_excel_serial_and_iso_text_dates(tmp_path: Path) -> None:
    sheets = small_workbook()
    # 43952 is 1 May 2020 in Excel's 1900 date system (days since 30/12/1899)
    sheets["List 3"][1][3] = 43952
    sheets["List 3"][2][3] = "2021-01-10"
    plain = import_annex_a(write_workbook(tmp_path / "plain.xlsx", small_workbook()))
    other = import_annex_a(write_workbook(tmp_path / "other.xlsx", sheets))
    pd.testing.assert_frame_equal(other.extracts["referrals"], plain.extracts["referrals"])


def test_missing_required_column(tmp_path: Path) -> None:
    sheets = small_workbook()
    sheets["List 3"] = [[v for i, v in enumerate(r) if i != 3] for r in sheets["List 3"]]
    with pytest.raises(
        ReturnImportError,
        match=r"sheet 'List 3' \(list 3\) has no column "
        r"\['Date of Referral'\]",
    ):
        import_annex_a(write_workbook(tmp_path / "a.xlsx", sheets))


def test_repeated_ids_numbered(tmp_path: Path) -> None:
    sheets = small_workbook()
    # a second referral of child 102 on 1 June 2020 from another team, and an exact copy of one
    sheets["List 3"].append(
        [102, "b) Female", D(2015, 6, 7), D(2020, 6, 1), "No", "East Team", "C Worker"]
    )
    sheets["List 3"].append(list(sheets["List 3"][1]))
    result = import_annex_a(write_workbook(tmp_path / "a.xlsx", sheets))
    referrals = result.extracts["referrals"].set_index("referral_id")
    # two rows of 102 on one day: numbered in the order of their other values as text (child,
    # team, dates): 'East Team' sorts before 'South Team', so East keeps the plain id
    assert referrals.loc["102-2020-06-01", "team"] == "East Team"
    assert referrals.loc["102-2020-06-01-2", "team"] == "South Team"
    excluded = result.report[result.report["action"] == "excluded"]
    assert excluded["reason"].tolist() == ["exact copy of another row"]
    assert excluded["detail"].tolist() == ["rows 6"]


def test_coverage_from_the_latest_date(tmp_path: Path) -> None:
    result = import_annex_a(write_workbook(tmp_path / "a.xlsx", small_workbook()))
    # latest date other than a birth date: the referral of 10/01/2021; the 12 months before it
    # start on 11/01/2020
    assert result.extraction_date == dt.date(2021, 1, 10)
    assert result.first_date_covered == dt.date(2020, 1, 11)
    given = import_annex_a(
        write_workbook(tmp_path / "b.xlsx", small_workbook()), request_date="2021-02-28"
    )
    # 12 months before 28/02/2021 is 28/02/2020; the day after it is 29/02/2020 (a leap year)
    assert (given.first_date_covered, given.extraction_date) == (
        dt.date(2020, 2, 29),
        dt.date(2021, 2, 28),
    )


def test_not_an_annex_a_workbook(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "a.xlsx", {"Sheet1": [["name", "value"], ["x", 1]]})
    with pytest.raises(ReturnImportError, match="not an Annex A workbook"):
        import_annex_a(path)
    text = tmp_path / "b.xlsx"
    text.write_text("child,date\n1,2020-01-01\n")
    with pytest.raises(ReturnImportError, match="not an Excel workbook"):
        import_annex_a(text)


# --------------------------------------------------------------------------------------------------
# The sample workbook (../shared/fixtures/annex_a_sample)
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    if not SAMPLE.is_file():
        pytest.skip(f"the Annex A sample is not at {SAMPLE} (../shared/fixtures)")
    return import_annex_a(SAMPLE)


def one_team(extracts, team: str = "Shire Team", team_type: str = "assessment_and_family_support"):
    organisation = pd.DataFrame({"team": [team], "area": [None], "team_type": [team_type]})
    frames = {k: (v.assign(team=team) if "team" in v else v) for k, v in extracts.items()}
    return validate_extracts(frames, organisation)


def test_sample_validates_as_one_team(sample) -> None:
    extracts = one_team(sample.extracts)
    # lists 3-10 of the sample each have rows: every extract they feed is present
    assert set(extracts.present) == {
        "children",
        "referrals",
        "assessments",
        "s47_enquiries",
        "cp_plans",
        "cp_reviews",
        "cic_episodes",
        "health_checks",
        "adoptions",
        "care_leavers",
        "care_leaver_contacts",
    }
    # the sample's list 3 has 6 rows, list 6 five (none starting on a list 3 referral date)
    assert len(extracts.referrals) == 11
    assert len(extracts.cp_plans) == 7


def test_sample_validates_with_the_workbooks_teams(sample) -> None:
    teams = sorted(
        set(pd.concat([f["team"] for f in sample.extracts.values() if "team" in f]).dropna())
    )
    # list 6's teams are '#N/A' in the sample and list 10 has no team column: those records go
    # to a unit of their own here (the combine step's job in real use)
    organisation = pd.DataFrame(
        {"team": [*teams, "Unassigned"], "area": None, "team_type": "other"}
    )
    frames = {
        k: (v.assign(team=v["team"].fillna("Unassigned")) if "team" in v else v)
        for k, v in sample.extracts.items()
    }
    extracts = validate_extracts(frames, organisation)
    assert "Locality 4 Duty Team" in set(extracts.referrals["team"])
    assert "Multi Agency Safeguarding Hub" in teams


def test_sample_coverage(sample) -> None:
    # the latest date of the sample other than a birth date: list 6 'Date Child Was Last Seen'
    # 15/03/2021 (child 6434087); the 12 months before it start on 16/03/2020
    assert sample.extraction_date == dt.date(2021, 3, 15)
    assert sample.first_date_covered == dt.date(2020, 3, 16)


def test_sample_assessments_worked_by_hand(sample) -> None:
    import scorecard as sc

    extracts = one_team(sample.extracts)
    results = sc.compute(
        extracts,
        ["2021-02"],
        county="Shire",
        indicators=["assessments_within_45_wd", "icpc_within_15_wd", "icpc_to_cp_plan"],
    ).results
    county = results[results["level"] == "county"].set_index("indicator")
    # List 4: five assessments authorised 11/11/2020, 19/01/2021, 02/02/2021 (two) and 08/02/2021,
    # all in the year to date of February 2021 (from 1 April 2020): denominator 5. Each started
    # 3 to 21 months before its authorisation (e.g. 12590177: 26/12/2019 -> 11/11/2020, more than
    # 45 working days, about 9 weeks): numerator 0.
    assert county.loc["assessments_within_45_wd", ["numerator", "denominator"]].tolist() == [0, 5]
    # List 5: three ICPCs: 11641472 and 6537810 (S47 16/09/2020 -> ICPC 05/10/2020: working days
    # 17-18 Sep, 21-25 Sep, 28 Sep-2 Oct, 5 Oct = 2 + 5 + 5 + 1 = 13 <= 15) and 11578763 (ICPC
    # 01/10/2020: 2 + 5 + 4 = 11): 3 of 3 in time, each with 'Yes' to a CP plan: 3 of 3.
    assert county.loc["icpc_within_15_wd", ["numerator", "denominator"]].tolist() == [3, 3]
    assert county.loc["icpc_to_cp_plan", ["numerator", "denominator"]].tolist() == [3, 3]


def test_re_referrals_worked_by_hand(tmp_path: Path) -> None:
    import scorecard as sc

    result = import_annex_a(write_workbook(tmp_path / "a.xlsx", small_workbook()))
    extracts = one_team(result.extracts)
    results = sc.compute(
        extracts, ["2021-01"], county="Shire", indicators=["re_referrals_12m"]
    ).results
    county = results[results["level"] == "county"].iloc[0]
    # referrals dated 1 April 2020 - 31 January 2021: 101 on 01/05/2020 and 10/01/2021, 102 on
    # 01/06/2020 (103's of 2018 is outside): 3. Re-referral: 101's second (8 months after the
    # first): 1.
    assert (county["numerator"], county["denominator"]) == (1, 3)


def test_team_from_worker(tmp_path: Path) -> None:
    result = import_annex_a(
        write_workbook(tmp_path / "a.xlsx", small_workbook()), team_from="worker"
    )
    teams = result.extracts["referrals"].set_index("referral_id")["team"]
    # list 3's workers: 101 'A Worker', 102 'B Worker'. 101's first referral is also list 6's
    # CIN episode, whose team wins where given; list 6 has no worker column here, so list 3's
    # worker stays
    assert teams["101-2021-01-10"] == "A Worker"
    assert teams["102-2020-06-01"] == "B Worker"
    assert teams["101-2020-05-01"] == "A Worker"
    # 103 is only in list 6 (no worker column): no team
    assert pd.isna(teams["103-2018-02-03"])
    with pytest.raises(ValueError, match="team_from must be 'team' or 'worker'"):
        import_annex_a(tmp_path / "a.xlsx", team_from="area")


def test_child_without_a_birth_date_reported(tmp_path: Path) -> None:
    sheets = small_workbook()
    sheets["List 4"][1][2] = None  # child 101's date of birth: blank in list 4 ...
    for row in sheets["List 3"][1:3]:
        row[2] = None  # ... and in list 3
    for row in sheets["List 6"][1:2]:
        row[2] = None  # ... and in list 6
    result = import_annex_a(write_workbook(tmp_path / "a.xlsx", sheets))
    rows = result.report[result.report["reason"].str.startswith("no Date of Birth")]
    assert rows["detail"].tolist() == ["children 101"]


def test_two_list_6_rows_for_one_episode(tmp_path: Path) -> None:
    sheets = small_workbook()
    # a second row for child 101's CIN episode of 01/05/2020, closing a month later
    sheets["List 6"].append(
        [101, "a) Male", D(2012, 3, 4), D(2020, 5, 1), D(2020, 10, 31), "Central Team"]
    )
    result = import_annex_a(write_workbook(tmp_path / "a.xlsx", sheets))
    referrals = result.extracts["referrals"].set_index("referral_id")
    # the first row (sheet row 2, closed 30/09/2020) is used; row 4 is reported, not silent
    assert referrals.loc["101-2020-05-01", "closure_date"] == pd.Timestamp("2020-09-30")
    excluded = result.report[result.report["action"] == "excluded"]
    assert excluded["detail"].tolist() == ["rows 4"]

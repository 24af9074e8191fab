"""The CIN census importer (scorecard.importers.cin_census): one rule per test, on tiny hand-built
XML returns, then the three sample returns of ../shared/fixtures/cin_census_sample.

Every expected value below is read off the XML written in the test (or the fixture, where said),
not produced by the importer.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scorecard as sc
from scorecard.errors import DataError, UsageError
from scorecard.importers import ImportResult, ReturnImportError
from scorecard.importers.cin_census import import_cin_census
from tests.conftest import SHARED

SAMPLES = SHARED / "fixtures" / "cin_census_sample"
TEAM = "Shire CSC"
ORGANISATION = pd.DataFrame(
    {"team": [TEAM], "area": [None], "team_type": ["assessment_and_family_support"]}
)


def message(children: str, reference: str = "2022-03-31", year: str = "2022") -> str:
    """A CIN census return around ``children`` (the <Child> elements)."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>{year}</Year>
      <ReferenceDate>{reference}</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>201</LEA></Source>
  </Header>
  <Children>{children}
  </Children>
</Message>
"""


def child(
    la_id: str,
    episodes: str = "",
    *,
    dob: str | None = "2010-01-01",
    sex: str = "<GenderCurrent>1</GenderCurrent>",
    disabilities: str = "",
) -> str:
    birth = f"<PersonBirthDate>{dob}</PersonBirthDate>" if dob else ""
    return f"""
    <Child>
      <ChildIdentifiers><LAchildID>{la_id}</LAchildID>{birth}{sex}</ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity>{disabilities}</ChildCharacteristics>
      {episodes}
    </Child>"""


def episode(referral: str, closure: str | None = None, modules: str = "") -> str:
    end = f"<CINclosureDate>{closure}</CINclosureDate>" if closure else ""
    return f"""<CINdetails><CINreferralDate>{referral}</CINreferralDate>
        <ReferralSource>1A</ReferralSource>{end}{modules}<ReferralNFA>0</ReferralNFA></CINdetails>"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def with_team(result: ImportResult) -> dict[str, pd.DataFrame]:
    """The extracts with every team set to the one team of ORGANISATION."""
    out = {}
    for name, frame in result.extracts.items():
        frame = frame.copy()
        if "team" in frame.columns:
            frame["team"] = TEAM
        out[name] = frame
    return out


def report(result: ImportResult, action: str) -> pd.DataFrame:
    return result.report[result.report["action"] == action]


def date(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


ALL_MODULES = """
  <Assessments><AssessmentActualStartDate>2021-05-03</AssessmentActualStartDate>
    <AssessmentAuthorisationDate>2021-06-10</AssessmentAuthorisationDate>
    <FactorsIdentifiedAtAssessment><AssessmentFactors>9A</AssessmentFactors>
      <AssessmentFactors>2B</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>
  <CINPlanDates><CINPlanStartDate>2021-06-11</CINPlanStartDate>
    <CINPlanEndDate>2021-08-01</CINPlanEndDate></CINPlanDates>
  <Section47><S47ActualStartDate>2021-08-02</S47ActualStartDate>
    <DateOfInitialCPC>2021-08-20</DateOfInitialCPC><ICPCnotRequired>0</ICPCnotRequired></Section47>
  <Section47><S47ActualStartDate>2021-12-01</S47ActualStartDate>
    <ICPCnotRequired>1</ICPCnotRequired></Section47>
  <ChildProtectionPlans><CPPstartDate>2021-08-20</CPPstartDate>
    <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
    <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>0</NumberOfPreviousCPP>
    <Reviews><CPPreviewDate>2021-11-12</CPPreviewDate><CPPreviewDate>2022-02-10</CPPreviewDate>
    </Reviews></ChildProtectionPlans>
"""


# --------------------------------------------------------------------------------------------------
# Mapping, one module at a time
# --------------------------------------------------------------------------------------------------


def test_every_module_is_mapped(tmp_path):
    path = write(
        tmp_path,
        "cin.xml",
        message(
            child(
                "C1",
                episode("2021-05-01", "2022-03-01", ALL_MODULES),
                disabilities="<Disabilities><Disability>HAND</Disability></Disabilities>",
            )
        ),
    )
    result = import_cin_census([path])
    ex = result.extracts
    assert result.source == "cin_census"
    # the child: GenderCurrent 1 -> M; HAND -> disabled; factor 9A -> uasc
    children = ex["children"]
    assert children.to_dict("records") == [
        {
            "child_id": "C1",
            "date_of_birth": date("2010-01-01"),
            "expected_date_of_birth": pd.NaT,
            "sex": "M",
            "uasc": True,
            "uasc_ceased_date": pd.NaT,
            "disabled": True,
        }
    ]
    ref = "C1-2021-05-01"
    assert ex["referrals"][["referral_id", "child_id", "referral_date", "closure_date"]].to_dict(
        "records"
    ) == [
        {
            "referral_id": ref,
            "child_id": "C1",
            "referral_date": date("2021-05-01"),
            "closure_date": date("2022-03-01"),
        }
    ]
    assessment = ex["assessments"].iloc[0]
    assert assessment["assessment_id"] == f"{ref}-A-2021-05-03"
    assert assessment["referral_id"] == ref
    assert (assessment["start_date"], assessment["authorised_date"]) == (
        date("2021-05-03"),
        date("2021-06-10"),
    )
    assert pd.isna(assessment["child_seen"]) and pd.isna(assessment["child_missing"])
    plan = ex["cin_plans"].iloc[0]
    assert plan["cin_plan_id"] == f"{ref}-CIN-2021-06-11"
    assert (plan["start_date"], plan["end_date"]) == (date("2021-06-11"), date("2021-08-01"))
    s47 = ex["s47_enquiries"].set_index("s47_id")
    assert list(s47.index) == [f"{ref}-S47-2021-08-02", f"{ref}-S47-2021-12-01"]
    first, second = s47.iloc[0], s47.iloc[1]
    # ICPC 2021-08-20 and a CP plan starting 2021-08-20: the conference led to a plan
    assert first["icpc_date"] == date("2021-08-20") and bool(first["icpc_outcome_cp_plan"])
    # no ICPC: no outcome
    assert pd.isna(second["icpc_date"]) and pd.isna(second["icpc_outcome_cp_plan"])
    assert s47["completed_date"].isna().all() and s47["child_seen"].isna().all()
    cpp = ex["cp_plans"].iloc[0]
    assert cpp["cp_plan_id"] == f"{ref}-CPP-2021-08-20" and pd.isna(cpp["end_date"])
    reviews = ex["cp_reviews"]
    assert list(reviews["cp_review_id"]) == [
        f"{ref}-CPP-2021-08-20-R-2021-11-12",
        f"{ref}-CPP-2021-08-20-R-2022-02-10",
    ]
    assert set(reviews["cp_plan_id"]) == {cpp["cp_plan_id"]}
    # no team in the census
    for name, frame in ex.items():
        if "team" in frame.columns:
            assert frame["team"].isna().all(), name
    # the collection year of a 31 March 2022 return is 2021/22: 1 April 2021 to 31 March 2022
    assert result.collection_years == ("2021/22",)
    assert str(result.first_date_covered) == "2021-04-01"
    assert str(result.extraction_date) == "2022-03-31"
    sc.validate_extracts(with_team(result), ORGANISATION)


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        ("<GenderCurrent>1</GenderCurrent>", "M"),
        ("<GenderCurrent>2</GenderCurrent>", "F"),
        ("<GenderCurrent>0</GenderCurrent>", "U"),
        ("<GenderCurrent>9</GenderCurrent>", "U"),
        ("<Sex>M</Sex>", "M"),
        ("<Sex>F</Sex>", "F"),
        ("<Sex>U</Sex>", "U"),
        ("", "U"),
    ],
)
def test_sex_of_both_schema_generations(tmp_path, element, expected):
    path = write(tmp_path, "cin.xml", message(child("C1", sex=element)))
    assert import_cin_census(path).extracts["children"]["sex"].tolist() == [expected]


@pytest.mark.parametrize(
    ("disabilities", "expected"),
    [
        ("<Disabilities><Disability>NONE</Disability></Disabilities>", False),
        (
            "<Disabilities><Disability>AUT</Disability><Disability>VIS</Disability></Disabilities>",
            True,
        ),
        ("", None),  # no <Disabilities>: not recorded
    ],
)
def test_disability(tmp_path, disabilities, expected):
    path = write(tmp_path, "cin.xml", message(child("C1", disabilities=disabilities)))
    value = import_cin_census(path).extracts["children"]["disabled"].iloc[0]
    assert (None if pd.isna(value) else bool(value)) == expected


def test_unknown_codes_are_counted_and_the_rows_kept(tmp_path):
    path = write(
        tmp_path,
        "cin.xml",
        message(
            child("C1", sex="<Sex>2</Sex>")  # a GenderCurrent code in <Sex>: 2 -> F
            + child("C2", sex="<Sex>X</Sex>")  # nothing known: U
            + child(
                "C3",
                episode(
                    "2021-05-01",
                    modules="<Assessments><AssessmentActualStartDate>2021-05-02"
                    "</AssessmentActualStartDate><FactorsIdentifiedAtAssessment><AssessmentFactors>"
                    "ZZ</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>",
                ),
                disabilities="<Disabilities><Disability>WINGS</Disability></Disabilities>",
            )
        ),
    )
    result = import_cin_census(path)
    children = result.extracts["children"].set_index("child_id")
    assert children["sex"].to_dict() == {"C1": "F", "C2": "U", "C3": "M"}
    assert pd.isna(children.loc["C3", "disabled"])  # only an unknown code: not recorded
    assert len(result.extracts["assessments"]) == 1
    unknown = report(result, "unknown_code").set_index("table")
    assert unknown.loc["ChildIdentifiers/Sex", "rows"].tolist() == [1, 1]
    assert "WINGS" in unknown.loc["Disabilities/Disability", "reason"]
    assert "ZZ" in unknown.loc["FactorsIdentifiedAtAssessment/AssessmentFactors", "reason"]


# --------------------------------------------------------------------------------------------------
# Several years
# --------------------------------------------------------------------------------------------------

YEAR_1 = message(
    child(
        "C1",
        episode(
            "2021-03-01",
            modules="<Assessments><AssessmentActualStartDate>2021-03-02</AssessmentActualStartDate>"
            "</Assessments>",
        ),
        dob="2010-01-01",
    )
    + child("C2", episode("2020-06-01", "2020-09-01")),
    reference="2021-03-31",
    year="2021",
)
YEAR_2 = message(
    child(
        "C1",
        episode(
            "2021-03-01",
            "2021-08-01",
            "<Assessments><AssessmentActualStartDate>2021-03-02</AssessmentActualStartDate>"
            "<AssessmentAuthorisationDate>2021-04-20</AssessmentAuthorisationDate></Assessments>",
        )
        + episode("2022-01-10"),
        dob="2010-01-02",
        sex="<GenderCurrent>2</GenderCurrent>",
    ),
    reference="2022-03-31",
    year="2022",
)


def test_two_years_make_one_child_and_one_referral(tmp_path):
    later = write(tmp_path, "cin_2022.xml", YEAR_2)
    earlier = write(tmp_path, "cin_2021.xml", YEAR_1)
    result = import_cin_census([later, earlier])  # given in any order: sorted by reference date
    ex = result.extracts
    assert result.collection_years == ("2020/21", "2021/22")
    assert str(result.first_date_covered) == "2020-04-01"
    assert str(result.extraction_date) == "2022-03-31"
    children = ex["children"].set_index("child_id")
    # C1 is in both files; the later file says born 2 January 2010 and female: it wins
    assert children.loc["C1", "date_of_birth"] == date("2010-01-02")
    assert children.loc["C1", "sex"] == "F"
    assert children.loc["C2", "sex"] == "M"
    # the referral of 1 March 2021, open at 31 March 2021, is closed in the 2022 return
    referrals = ex["referrals"].set_index("referral_id")
    assert list(referrals.index) == ["C1-2021-03-01", "C1-2022-01-10", "C2-2020-06-01"]
    assert referrals.loc["C1-2021-03-01", "closure_date"] == date("2021-08-01")
    # and its assessment, open in 2021, authorised on 20 April 2021
    assessments = ex["assessments"]
    assert assessments["assessment_id"].tolist() == ["C1-2021-03-01-A-2021-03-02"]
    assert assessments["authorised_date"].tolist() == [date("2021-04-20")]
    repaired = report(result, "repaired").set_index("table")
    # children: C1 twice (one child); its birth date and sex differ between the years
    assert "C1: PersonBirthDate, Sex" in repaired.loc["children"]["detail"].tolist()
    # one occurrence of C1-2021-03-01 dropped; the two occurrences disagree about its closure
    assert repaired.loc["referrals"].set_index("reason")["rows"].to_dict() == {
        "the same record in several files (or twice in one): the latest file's kept": 1,
        "the files disagree about the record's dates: the latest file's kept": 1,
    }
    sc.validate_extracts(with_team(result), ORGANISATION)


def test_two_different_files_of_one_year_are_refused(tmp_path):
    one = write(tmp_path, "a.xml", YEAR_1)
    other = write(tmp_path, "b.xml", YEAR_1.replace("2020-09-01", "2020-10-01"))
    with pytest.raises(ReturnImportError, match=r"2020/21: .*a\.xml, .*b\.xml"):
        import_cin_census([one, other])


def test_the_same_file_twice_is_read_once(tmp_path):
    one = write(tmp_path, "a.xml", YEAR_1)
    copy = write(tmp_path, "copy.xml", YEAR_1)
    twice = import_cin_census([one, copy, one])
    once = import_cin_census([one])
    for name, frame in once.extracts.items():
        pd.testing.assert_frame_equal(twice.extracts[name], frame)
    assert any("same file" in note for note in twice.notes)


# --------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------

BAD_DATES = message(
    child("GOOD", episode("2021-05-01"))
    + child("BAD1", episode("2021-02-30", "2021-06-01"))  # 30 February
    + child(
        "BAD2",
        episode(
            "2021-05-01",
            modules="<ChildProtectionPlans><CPPstartDate>2021-06-01</CPPstartDate>"
            "<CPPendDate>01/07/2021</CPPendDate></ChildProtectionPlans>",
        )
        + episode("2021-09-01", "2021-08-01"),  # closed before it was opened
    )
)


def test_invalid_dates_are_all_reported_with_file_child_and_element(tmp_path):
    path = write(tmp_path, "cin_bad.xml", BAD_DATES)
    with pytest.raises(ReturnImportError) as caught:
        import_cin_census([path])
    message_ = str(caught.value)
    assert isinstance(caught.value, DataError)
    assert "3 invalid date(s)" in message_
    assert f"{path}:" in message_
    # each with the child, the record and the element; values only by their shape
    assert "child BAD1, Child 2 > CINdetails 1: <CINreferralDate> '9999-99-99' is not a date" in (
        message_
    )
    assert (
        "child BAD2, Child 3 > CINdetails 1 > ChildProtectionPlans 1: <CPPendDate> "
        "'99/99/9999' is not a date"
    ) in message_
    assert "child BAD2, Child 3 > CINdetails 2: <CINclosureDate> is before <CINreferralDate>" in (
        message_
    )
    assert "01/07/2021" not in message_


def test_invalid_records_can_be_left_out_and_counted(tmp_path):
    path = write(tmp_path, "cin_bad.xml", BAD_DATES)
    result = import_cin_census([path], invalid="exclude")
    # GOOD's referral, BAD2's first referral (without its invalid CP plan) are imported;
    # BAD1's only referral and BAD2's second one are left out
    assert result.extracts["referrals"]["referral_id"].tolist() == [
        "BAD2-2021-05-01",
        "GOOD-2021-05-01",
    ]
    assert result.extracts["cp_plans"].empty
    excluded = report(result, "excluded")
    assert excluded.groupby("table")["rows"].sum().to_dict() == {
        "CINdetails": 2,
        "ChildProtectionPlans": 1,
    }
    assert set(excluded["reason"]) == {"invalid"}
    sc.validate_extracts(with_team(result), ORGANISATION)


def test_a_child_with_an_invalid_birth_date_takes_its_records_along(tmp_path):
    text = message(child("C1", episode("2021-05-01"), dob="2010-13-01") + child("C2"))
    result = import_cin_census([write(tmp_path, "cin.xml", text)], invalid="exclude")
    assert result.extracts["children"]["child_id"].tolist() == ["C2"]
    assert result.extracts["referrals"].empty
    excluded = report(result, "excluded").set_index("table")
    assert excluded.loc["Child", "reason"] == "invalid"
    assert excluded.loc["CINdetails", "reason"] == "inside an invalid record"


def test_dates_after_the_reference_date(tmp_path):
    text = message(
        child(
            "C1",
            episode("2022-01-10", "2022-04-15")  # closed after 31 March 2022: open at that date
            + episode("2022-04-02"),  # referred after the census: not in it
        )
    )
    result = import_cin_census([write(tmp_path, "cin.xml", text)])
    referrals = result.extracts["referrals"]
    assert referrals["referral_id"].tolist() == ["C1-2022-01-10"]
    assert referrals["closure_date"].isna().all()
    assert report(result, "excluded")["reason"].tolist() == [
        "dated after the census reference date"
    ]
    assert report(result, "repaired")["reason"].str.contains("<CINclosureDate> after").any()


def test_invalid_mode_is_checked(tmp_path):
    with pytest.raises(UsageError, match="'fail' or 'exclude'"):
        import_cin_census([write(tmp_path, "cin.xml", YEAR_1)], invalid="ignore")


# --------------------------------------------------------------------------------------------------
# Safe parsing
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            (
                '<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa">'
                '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Message>&b;</Message>'
            ),
            "document type declaration",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE Message SYSTEM "file:///etc/passwd"><Message/>',
            "document type declaration",
        ),
        ("<Message><Children>&secret;</Children></Message>", "undefined entity"),
        ("<Message><Children>", "not well-formed XML"),
        ("<Root/>", "not a CIN census file"),
    ],
    ids=["billion_laughs", "external_dtd", "undefined_entity", "truncated", "other_root"],
)
def test_unsafe_or_broken_xml_is_refused(tmp_path, text, said):
    path = write(tmp_path, "cin.xml", text)
    with pytest.raises(ReturnImportError, match=said) as caught:
        import_cin_census([path])
    assert str(path) in str(caught.value)


def test_a_header_without_year_or_reference_date_is_refused(tmp_path):
    text = "<Message><Header/><Children/></Message>"
    with pytest.raises(ReturnImportError, match="neither <ReferenceDate> nor <Year>"):
        import_cin_census([write(tmp_path, "cin.xml", text)])


def test_a_folder_is_read_as_its_xml_files(tmp_path):
    write(tmp_path, "cin_2021.xml", YEAR_1)
    write(tmp_path, "cin_2022.xml", YEAR_2)
    write(tmp_path, "notes.txt", "not read")
    result = import_cin_census(tmp_path)
    assert result.collection_years == ("2020/21", "2021/22")


# --------------------------------------------------------------------------------------------------
# Property: the same returns, twice or in any order, give the same extracts
# --------------------------------------------------------------------------------------------------

days = st.dates(
    min_value=pd.Timestamp("2019-04-01").date(), max_value=pd.Timestamp("2022-03-31").date()
)


@st.composite
def returns(draw):
    """Two or three yearly returns of up to three children sharing their ids across years."""
    years = draw(st.lists(st.sampled_from([2020, 2021, 2022]), min_size=2, max_size=3, unique=True))
    texts = []
    for year in years:
        kids = ""
        for la_id in draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, unique=True)):
            episodes = ""
            for start in draw(st.lists(days, max_size=2, unique=True)):
                end = draw(st.one_of(st.none(), days))
                closure = end.isoformat() if end is not None and end >= start else None
                episodes += episode(start.isoformat(), closure)
            dob = draw(st.sampled_from(["2009-01-01", "2010-05-05"]))
            sex = draw(st.sampled_from(["<GenderCurrent>1</GenderCurrent>", "<Sex>F</Sex>"]))
            kids += child(la_id, episodes, dob=dob, sex=sex)
        texts.append(message(kids, reference=f"{year}-03-31", year=str(year)))
    return texts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=returns(), order=st.randoms())
def test_order_and_repetition_do_not_change_the_extracts(texts, order):
    with tempfile.TemporaryDirectory() as folder:
        paths = [write(Path(folder), f"return_{i}.xml", text) for i, text in enumerate(texts)]
        first = import_cin_census(paths, invalid="exclude")
        shuffled = list(paths)
        order.shuffle(shuffled)
        again = import_cin_census(shuffled, invalid="exclude")
        twice = import_cin_census(shuffled + paths, invalid="exclude")
    for other in (again, twice):
        assert other.extracts.keys() == first.extracts.keys()
        for name, frame in first.extracts.items():
            pd.testing.assert_frame_equal(other.extracts[name], frame)
        assert other.collection_years == first.collection_years


# --------------------------------------------------------------------------------------------------
# The sample returns
# --------------------------------------------------------------------------------------------------


def sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip(f"sample return {path} not found (../shared/fixtures is not checked out)")
    return path


def test_sample_bar_2022_imports():
    result = import_cin_census([sample("BAR_cin_2022.xml")])
    sizes = {name: len(frame) for name, frame in result.extracts.items()}
    # the file holds one child with one module of each kind and one review
    assert sizes == {
        "children": 1,
        "referrals": 1,
        "assessments": 1,
        "cin_plans": 1,
        "s47_enquiries": 1,
        "cp_plans": 1,
        "cp_reviews": 1,
    }
    children = result.extracts["children"]
    # <GenderCurrent>1</GenderCurrent>, disabilities HAND and HEAR
    assert children[["sex", "disabled"]].iloc[0].tolist() == ["M", True]
    sc.validate_extracts(with_team(result), ORGANISATION)


def test_sample_2024_has_invalid_dates():
    path = sample("CIN_Census_2024.xml")
    # DfEX0000001's assessment: started 2028-04-28, authorised 2020-09-19 (line 43 of the file)
    with pytest.raises(
        ReturnImportError,
        match=r"line 43, child DfEX0000001, .*Assessments 1: "
        r"<AssessmentAuthorisationDate> is before <AssessmentActualStartDate>",
    ):
        import_cin_census([path])
    result = import_cin_census([path], invalid="exclude")
    ex = result.extracts
    # both children imported; DfEX0000001 keeps its referral of 6 October 2022 with its CIN plan,
    # S47, CP plan and review; child_fails_assessments' referral of 24 October 2024 is after the
    # census reference date (31 March 2024) and is left out with its assessment
    assert ex["children"]["child_id"].tolist() == ["DfEX0000001", "child_fails_assessments"]
    # <Sex>1</Sex>: a GenderCurrent code in a Sex element, read as M; <Sex>M</Sex>
    assert ex["children"]["sex"].tolist() == ["M", "M"]
    assert ex["referrals"]["referral_id"].tolist() == ["DfEX0000001-2022-10-06"]
    assert ex["assessments"].empty
    assert [len(ex[n]) for n in ("cin_plans", "s47_enquiries", "cp_plans", "cp_reviews")] == [
        1,
        1,
        1,
        1,
    ]
    assert result.collection_years == ("2023/24",)
    assert any("<Year> 2023 does not match" in note for note in result.notes)
    sc.validate_extracts(with_team(result), ORGANISATION)


def test_sample_fake_cin_data_imports():
    result = import_cin_census([sample("fake_CIN_data.xml")])
    ex = result.extracts
    # 332 children and 402 <CINdetails> in the file (counted with grep); 8 of the referrals are
    # dated after the reference date 2022-07-21 (listed by a grep of the dates after it)
    assert len(ex["children"]) == 332
    assert len(ex["referrals"]) == 402 - 8
    assert report(result, "read").set_index("table").loc["CINdetails", "rows"] == 402
    assert all(ex[n].empty for n in ("assessments", "cin_plans", "s47_enquiries", "cp_plans"))
    sc.validate_extracts(with_team(result), ORGANISATION)


def test_all_three_samples_together():
    # BAR (2021/22), fake (2022/23) and 2024 (2023/24) are three collection years; DfEX0000001 is
    # in BAR (born 1966-03-24) and in the 2024 file (born 2015-03-27): the later file wins
    result = import_cin_census([sample("CIN_Census_2024.xml"), SAMPLES], invalid="exclude")
    assert result.collection_years == ("2021/22", "2022/23", "2023/24")
    children = result.extracts["children"].set_index("child_id")
    assert children.loc["DfEX0000001", "date_of_birth"] == date("2015-03-27")
    referrals = result.extracts["referrals"]
    assert {"DfEX0000001-1970-10-06", "DfEX0000001-2022-10-06"} <= set(referrals["referral_id"])
    sc.validate_extracts(with_team(result), ORGANISATION)


# --------------------------------------------------------------------------------------------------
# A few children of fake_CIN_data.xml worked through indicator 1 by hand
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "numerator", "denominator"), [("2022-06", 1, 4), ("2022-07", 2, 5)]
)
def test_re_referrals_of_three_sample_children(month, numerator, denominator):
    """Indicator 1 (re-referrals within 12 months, year to date from April 2022) for three
    children of fake_CIN_data.xml, whose referrals (<CINreferralDate>) are:

    - RND000404939452: 2019-02-06, 2022-05-03, 2022-06-02;
    - RND000443908625: 2015-12-15 (closed 2022-06-07), 2022-06-22;
    - RND000348142248: 2022-04-25, 2022-07-06.

    June 2022 (referrals 1 April to 30 June): 2022-05-03 (previous one 2019: more than 12 months
    before, no), 2022-06-02 (2022-05-03 within 12 months: yes), 2022-06-22 (previous referral
    2015: no, however late it closed), 2022-04-25 (none before: no): 1 of 4.
    July 2022 adds 2022-07-06, whose previous referral 2022-04-25 is within 12 months: 2 of 5.
    """
    chosen = {"RND000404939452", "RND000443908625", "RND000348142248"}
    result = import_cin_census([sample("fake_CIN_data.xml")])
    extracts = {
        name: frame[frame["child_id"].isin(chosen)]
        for name, frame in with_team(result).items()
        if name in ("children", "referrals")
    }
    validated = sc.validate_extracts(extracts, ORGANISATION)
    computed = sc.compute(validated, [month], county="Shire", indicators=["re_referrals_12m"])
    county = computed.results[computed.results["level"] == "county"].iloc[0]
    assert (county["numerator"], county["denominator"]) == (numerator, denominator)


def test_files_are_given():
    with pytest.raises(UsageError):
        import_cin_census([])


def test_order_of_three_samples_does_not_matter():
    paths = [sample(n) for n in ("BAR_cin_2022.xml", "CIN_Census_2024.xml", "fake_CIN_data.xml")]
    results = [import_cin_census(list(p), invalid="exclude") for p in itertools.permutations(paths)]
    for other in results[1:]:
        for name, frame in results[0].extracts.items():
            pd.testing.assert_frame_equal(other.extracts[name], frame)


def test_a_missing_file_is_named(tmp_path):
    missing = tmp_path / "nowhere.xml"
    with pytest.raises(ReturnImportError, match="nowhere.xml: cannot be opened"):
        import_cin_census([missing])


def test_a_file_over_the_size_limit_is_not_read(tmp_path):
    path = write(tmp_path, "cin.xml", YEAR_1)
    with pytest.raises(ReturnImportError, match="larger than the limit of 100 bytes"):
        import_cin_census([path], max_file_bytes=100)


def test_an_element_given_twice_with_different_values_is_invalid(tmp_path):
    # two <CINclosureDate> in one <CINdetails>: which one holds is not known
    text = message(
        child(
            "C1",
            "<CINdetails><CINreferralDate>2021-05-01</CINreferralDate>"
            "<CINclosureDate>2021-06-01</CINclosureDate>"
            "<CINclosureDate>2021-07-01</CINclosureDate></CINdetails>",
        )
    )
    with pytest.raises(ReturnImportError, match="<CINclosureDate> appears more than once"):
        import_cin_census([write(tmp_path, "cin.xml", text)])

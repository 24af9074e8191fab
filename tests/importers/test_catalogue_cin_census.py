"""Catalogue rows 350-359 (docs/bad-input.md, "Catalogue: CIN census import"): one test each.

Each test writes a tiny CIN census return, checks what happens and that the message quoted in the
catalogue is what the importer says (tests.catalogue.documented).
"""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard.errors import DataError
from scorecard.importers import ImportResult, ReturnImportError
from scorecard.importers.cin_census import import_cin_census
from tests.catalogue import documented
from tests.importers.test_cin_census import YEAR_1, child, episode, message, write


def said(result: ImportResult, action: str) -> str:
    """The import report's rows of one action, as text (reason and detail)."""
    rows = result.report[result.report["action"] == action]
    return "\n".join(rows["table"] + ": " + rows["reason"] + " " + rows["detail"])


def refused(path) -> str:
    with pytest.raises(ReturnImportError) as caught:
        import_cin_census([path])
    assert isinstance(caught.value, DataError)
    assert str(path) in str(caught.value)
    return str(caught.value)


BAD_DATE = message(child("BAD", episode("2021-02-30")) + child("GOOD", episode("2021-05-01")))


def test_cin_census_invalid_date(request, tmp_path):
    # 30 February does not exist; the message gives its shape, never the value
    output = refused(write(tmp_path, "cin.xml", BAD_DATE))
    assert "2021-02-30" not in output
    documented(request, output)


def test_cin_census_invalid_date_excluded(request, tmp_path):
    result = import_cin_census([write(tmp_path, "cin.xml", BAD_DATE)], invalid="exclude")
    # GOOD's referral is imported; BAD's (its only one) is left out; BAD stays a child
    assert result.extracts["referrals"]["referral_id"].tolist() == ["GOOD-2021-05-01"]
    assert result.extracts["children"]["child_id"].tolist() == ["BAD", "GOOD"]
    excluded = result.report[result.report["action"] == "excluded"]
    assert excluded[["table", "reason", "rows"]].values.tolist() == [["CINdetails", "invalid", 1]]
    documented(request, said(result, "excluded"))


def test_cin_census_end_before_start(request, tmp_path):
    text = message(child("C1", episode("2021-09-01", "2021-08-01")))
    documented(request, refused(write(tmp_path, "cin.xml", text)))


def test_cin_census_missing_element(request, tmp_path):
    text = message(child("C1", "<CINdetails><ReferralSource>1A</ReferralSource></CINdetails>"))
    documented(request, refused(write(tmp_path, "cin.xml", text)))


def test_cin_census_after_reference_date(request, tmp_path):
    # the return of 31 March 2022 holds a referral of 2 April 2022 with an assessment
    text = message(
        child(
            "C1",
            episode(
                "2022-04-02",
                modules="<Assessments><AssessmentActualStartDate>2022-04-03"
                "</AssessmentActualStartDate></Assessments>",
            ),
        )
    )
    result = import_cin_census([write(tmp_path, "cin.xml", text)])
    assert result.extracts["referrals"].empty and result.extracts["assessments"].empty
    excluded = result.report[result.report["action"] == "excluded"]
    assert excluded["rows"].tolist() == [1, 1]
    documented(request, said(result, "excluded"))


def test_cin_census_unknown_code(request, tmp_path):
    text = message(child("C1", sex="<Sex>X</Sex>"))
    result = import_cin_census([write(tmp_path, "cin.xml", text)])
    assert result.extracts["children"]["sex"].tolist() == ["U"]
    documented(request, said(result, "unknown_code"))


def test_cin_census_years_disagree(request, tmp_path):
    earlier = message(child("C1", dob="2010-01-01"), reference="2021-03-31", year="2021")
    later = message(child("C1", dob="2010-01-02"), reference="2022-03-31", year="2022")
    result = import_cin_census(
        [write(tmp_path, "later.xml", later), write(tmp_path, "earlier.xml", earlier)]
    )
    assert result.extracts["children"]["date_of_birth"].tolist() == [pd.Timestamp("2010-01-02")]
    output = said(result, "repaired")
    assert "C1: PersonBirthDate" in output
    documented(request, output)


def test_cin_census_two_files_one_year(request, tmp_path):
    one = write(tmp_path, "a.xml", YEAR_1)
    other = write(tmp_path, "b.xml", YEAR_1.replace("2020-09-01", "2020-10-01"))
    with pytest.raises(ReturnImportError) as caught:
        import_cin_census([one, other])
    documented(request, str(caught.value))


def test_cin_census_dtd(request, tmp_path):
    text = (
        '<!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<Message>&b;</Message>"
    )
    documented(request, refused(write(tmp_path, "cin.xml", text)))


def test_cin_census_undefined_entity(request, tmp_path):
    text = "<Message><Children>&secret;</Children></Message>"
    documented(request, refused(write(tmp_path, "cin.xml", text)))

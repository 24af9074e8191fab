"""Bad-input catalogue, section "SSDA903 import" (rows 300-315 and 458 of docs/bad-input.md): what
:func:`scorecard.importers.ssda903.import_ssda903` does with each kind of bad return."""

from __future__ import annotations

import os

import pytest

from scorecard.importers import ReturnImportError
from scorecard.importers.ssda903 import import_ssda903
from tests.catalogue import documented
from tests.importers.test_ssda903 import (
    EPISODES,
    HEADER,
    REVIEWS,
    report_text,
    validated,
    write_return,
)

ONE_CHILD = [HEADER, "1,1,01/01/2010,WBRI,,,"]


def _imported(tmp_path, tables, **kwargs):
    result = import_ssda903([write_return(tmp_path, tables)], **kwargs)
    validated(result)  # whatever was repaired or excluded, the extracts pass validation
    return result


def _error(tmp_path, tables, **kwargs) -> str:
    with pytest.raises(ReturnImportError) as error:
        import_ssda903([write_return(tmp_path, tables)], **kwargs)
    return str(error.value)


def test_ssda903_overlapping_episodes(request, tmp_path):
    result = _imported(
        tmp_path,
        {
            "header.csv": ONE_CHILD,
            "episodes.csv": [
                EPISODES,
                "1,01/01/2017,S,C2,N1,U4,PR1,01/06/2017,E3,,,,",
                "1,01/03/2017,P,C2,N1,U5,PR1,,,,,,",
            ],
        },
        collection_years="2016/17",
    )
    documented(request, report_text(result))


def test_ssda903_two_review_codes_on_one_date(request, tmp_path):
    result = _imported(
        tmp_path,
        {
            "header.csv": ONE_CHILD,
            "reviews.csv": [REVIEWS, "1,01/01/2010,05/05/2017,PN3", "1,01/01/2010,05/05/2017,PN7"],
        },
        collection_years="2017/18",
    )
    documented(request, " ".join(result.extracts["cic_reviews"]["cic_review_id"]))


def test_ssda903_repeated_rows(request, tmp_path):
    result = _imported(
        tmp_path,
        {
            "header.csv": ONE_CHILD,
            "reviews.csv": [REVIEWS, "1,01/01/2010,05/05/2017,PN3", "1,01/01/2010,05/05/2017,PN3"],
        },
        collection_years="2017/18",
    )
    assert len(result.extracts["cic_reviews"]) == 1
    documented(request, report_text(result))


def test_ssda903_conflicting_header(request, tmp_path):
    write_return(tmp_path / "2016-17", {"header.csv": ONE_CHILD})
    write_return(tmp_path / "2017-18", {"header.csv": [HEADER, "1,2,01/01/2010,WBRI,,,"]})
    result = import_ssda903([tmp_path / "2016-17", tmp_path / "2017-18"])
    assert result.extracts["children"]["sex"].tolist() == ["F"]
    documented(request, report_text(result))


def test_ssda903_unknown_required_code(request, tmp_path):
    result = _imported(
        tmp_path,
        {"header.csv": ONE_CHILD, "episodes.csv": [EPISODES, "1,01/01/2017,S,Q9,N1,U4,PR1,,,,,,"]},
        collection_years="2016/17",
    )
    assert result.extracts["cic_episodes"].empty
    documented(request, report_text(result))


def test_ssda903_unknown_optional_code(request, tmp_path):
    result = _imported(
        tmp_path,
        {"header.csv": ONE_CHILD, "episodes.csv": [EPISODES, "1,01/01/2017,S,C2,N1,U4,PR9,,,,,,"]},
        collection_years="2016/17",
    )
    assert result.extracts["cic_episodes"]["placement_provider"].isna().all()
    documented(request, report_text(result))


def test_ssda903_bad_date(request, tmp_path):
    documented(
        request,
        _error(
            tmp_path,
            {
                "header.csv": ONE_CHILD,
                "episodes.csv": [
                    EPISODES,
                    "1,01/01/2017,S,C2,N1,U4,PR1,,,,,,",
                    "2,31/02/2017,S,C2,N1,U4,PR1,,,,,,",
                ],
            },
        ),
    )


def test_ssda903_missing_header_table(request, tmp_path):
    result = _imported(
        tmp_path,
        {"episodes.csv": [EPISODES, "1,01/01/2017,S,C2,N1,U4,PR1,,,,,,"]},
        collection_years="2016/17",
    )
    assert "children" not in result.extracts and len(result.extracts["cic_episodes"]) == 1
    documented(request, "\n".join(result.notes))


def test_ssda903_missing_column(request, tmp_path):
    documented(
        request, _error(tmp_path, {"episodes.csv": ["CHILD,RNE,LS,PLACE,DEC,REC", "1,S,C2,U4,,"]})
    )


def test_ssda903_column_twice(request, tmp_path):
    message = _error(
        tmp_path, {"header.csv": ["CHILD,SEX,DOB,ETHNIC,ethnic ,UPN", "1,1,01/01/2010,WBRI,WBRI,"]}
    )
    assert message.startswith("header.csv (header): column(s) ETHNIC given more than once")
    documented(request, message)


def test_ssda903_no_table(request, tmp_path):
    documented(request, _error(tmp_path, {"notes.txt": ["nothing here"]}))


def test_ssda903_mixed_dated_and_undated_files(request, tmp_path):
    write_return(tmp_path / "2016-17", {"header.csv": ONE_CHILD})
    write_return(tmp_path / "undated", {"reviews.csv": [REVIEWS, "1,01/01/2010,05/05/2017,PN3"]})
    with pytest.raises(ReturnImportError) as error:
        import_ssda903([tmp_path / "2016-17", tmp_path / "undated"])
    documented(request, str(error.value))


def test_ssda903_record_without_header_row(request, tmp_path):
    result = _imported(
        tmp_path,
        {
            "header.csv": ONE_CHILD,
            "reviews.csv": [REVIEWS, "1,01/01/2010,05/05/2017,PN3", "9,01/01/2010,05/05/2017,PN3"],
        },
        collection_years="2017/18",
    )
    assert result.extracts["cic_reviews"]["child_id"].tolist() == ["1"]
    documented(request, report_text(result))


def test_ssda903_end_without_reason(request, tmp_path):
    result = _imported(
        tmp_path,
        {
            "header.csv": ONE_CHILD,
            "episodes.csv": [EPISODES, "1,01/01/2017,S,C2,N1,U4,PR1,01/02/2017,,,,,"],
        },
        collection_years="2016/17",
    )
    assert result.extracts["cic_episodes"].empty
    documented(request, report_text(result))


def test_ssda903_reason_on_open_episode(request, tmp_path):
    result = _imported(
        tmp_path,
        {
            "header.csv": ONE_CHILD,
            "episodes.csv": [EPISODES, "1,01/01/2017,S,C2,N1,U4,PR1,,X1,,,,"],
        },
        collection_years="2016/17",
    )
    assert result.extracts["cic_episodes"]["reason_ceased"].isna().all()
    documented(request, report_text(result))


def test_ssda903_xml_with_a_doctype(request, tmp_path):
    """A "billion laughs" file: refused before any entity is expanded (in well under a second)."""
    bomb = tmp_path / "return.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<Message><CHILD>&b;</CHILD></Message>\n',
        encoding="utf-8",
    )
    with pytest.raises(ReturnImportError) as caught:
        import_ssda903([bomb])
    documented(request, str(caught.value))


def test_ssda903_pipe_named_like_a_table(request, tmp_path):
    """A pipe named like a table (reviews.csv): refused before a byte is read (the import would wait forever on
    it); in a folder it is left out and listed, never silently skipped."""
    folder = write_return(tmp_path / "903", {
        "header.csv": ONE_CHILD,
        "episodes.csv": [EPISODES, "1,01/01/2017,S,C2,N1,U4,PR1,,,,,,"],
    })  # fmt: skip
    os.mkfifo(folder / "reviews.csv")
    with pytest.raises(ReturnImportError) as caught:
        import_ssda903([folder / "reviews.csv"], collection_years="2016/17")
    documented(request, str(caught.value))
    result = import_ssda903([folder], collection_years="2016/17")
    listed = result.report[result.report["file"] == "reviews.csv"]
    assert listed["reason"].tolist() == ["file not read: not a regular file"]

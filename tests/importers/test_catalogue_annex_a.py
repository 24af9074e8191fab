"""Catalogue rows 400-: bad input to the Annex A importer (docs/bad-input.md, "Catalogue: Annex A
import"). Each test builds one kind of bad workbook and checks what the importer does and that the
catalogue quotes what it says."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scorecard.importers import ReturnImportError
from scorecard.importers.annex_a import import_annex_a
from tests.catalogue import documented
from tests.importers.test_annex_a import LIST8, D, small_workbook, write_workbook


def report_text(report: pd.DataFrame) -> str:
    """The import report as an analyst reads it: one line per row."""
    return "\n".join(
        f"{r.table}: {r.action}: {r.reason} ({r.rows} rows) {r.detail}".rstrip()
        for r in report.itertuples()
    )


def test_annex_a_header_variant(request, tmp_path: Path) -> None:
    sheets = small_workbook()
    sheets["LIST_3 Referrals"] = [
        [
            "CHILD UNIQUE ID",
            "gender",
            "Date  of Birth",
            "date_of_referral",
            "Referral NFA",
            "Allocated team",
            "Allocated Worker",
        ],
        *sheets.pop("List 3")[1:],
    ]
    result = import_annex_a(write_workbook(tmp_path / "a.xlsx", sheets))
    # read as list 3, every header matched: the three referrals of list 3 are there
    assert len(result.extracts["referrals"]) == 4
    documented(request, report_text(result.report))


def test_annex_a_unknown_coded_answer(request, tmp_path: Path) -> None:
    sheets = {
        "List 8": [
            LIST8,
            [
                202,
                "a) Male",
                D(2005, 1, 1),
                "b) No",
                D(2020, 7, 1),
                D(2020, 7, 1),
                "E1: Placement order",
                None,
                None,
                D(2020, 7, 1),
                "n) H5: Residential accommodation",
                "z) PR9 - Moon base",
                "CIC Team",
            ],
        ]
    }
    result = import_annex_a(write_workbook(tmp_path / "a.xlsx", sheets))
    # an optional column: the episode is kept, its provider blank
    assert len(result.extracts["cic_episodes"]) == 1
    assert result.extracts["cic_episodes"]["placement_provider"].isna().all()
    documented(request, report_text(result.report))


def test_annex_a_unknown_required_answer(request, tmp_path: Path) -> None:
    sheets = {
        "List 8": [
            LIST8,
            [
                202,
                "a) Male",
                D(2005, 1, 1),
                "b) No",
                D(2020, 7, 1),
                D(2020, 7, 1),
                "Z9: Lunar order",
                None,
                None,
                D(2020, 7, 1),
                "H5",
                "PR1",
                "CIC Team",
            ],
        ]
    }
    result = import_annex_a(write_workbook(tmp_path / "a.xlsx", sheets))
    assert result.extracts["cic_episodes"].empty
    documented(request, report_text(result.report))


def test_annex_a_missing_list(request, tmp_path: Path) -> None:
    sheets = small_workbook()
    del sheets["List 4"]
    result = import_annex_a(write_workbook(tmp_path / "a.xlsx", sheets))
    assert "assessments" not in result.extracts  # absent, not empty
    documented(request, report_text(result.report))


def test_annex_a_invalid_date(request, tmp_path: Path) -> None:
    sheets = small_workbook()
    sheets["List 3"][2][3] = "31/02/2021"
    with pytest.raises(ReturnImportError) as error:
        import_annex_a(write_workbook(tmp_path / "a.xlsx", sheets))
    documented(request, str(error.value))


def test_annex_a_missing_required_column(request, tmp_path: Path) -> None:
    sheets = small_workbook()
    sheets["List 3"] = [[v for i, v in enumerate(r) if i != 3] for r in sheets["List 3"]]
    with pytest.raises(ReturnImportError) as error:
        import_annex_a(write_workbook(tmp_path / "a.xlsx", sheets))
    documented(request, str(error.value))


def test_annex_a_not_annex_a(request, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "a.xlsx", {"Sheet1": [["name", "value"], ["x", 1]]})
    with pytest.raises(ReturnImportError) as error:
        import_annex_a(path)
    documented(request, str(error.value))


def test_annex_a_other_sheet(request, tmp_path: Path) -> None:
    sheets = {"Cover": [["Annex A return", "Shire"]], **small_workbook()}
    result = import_annex_a(write_workbook(tmp_path / "a.xlsx", sheets))
    assert "referrals" in result.extracts
    documented(request, report_text(result.report))


def test_annex_a_excel_error_value(request, tmp_path: Path) -> None:
    result = import_annex_a(write_workbook(tmp_path / "a.xlsx", small_workbook()))
    # list 6 row 3's team is '#N/A': blank, so the referral has no team (assigned later)
    referrals = result.extracts["referrals"].set_index("referral_id")
    assert pd.isna(referrals.loc["103-2018-02-03", "team"])
    documented(request, report_text(result.report))

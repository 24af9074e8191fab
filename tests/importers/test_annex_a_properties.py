"""Properties of the Annex A importer: the same workbook imported twice gives the same extracts,
and the order of the columns, the spelling of the headers (letter case, spacing, punctuation) and
the names of the sheets do not change them."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.importers.annex_a import import_annex_a
from tests.importers.test_annex_a import LIST8, D, small_workbook, write_workbook


def workbook() -> dict[str, list[list[object]]]:
    sheets = small_workbook()
    sheets["List 8"] = [
        LIST8,
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
    ]
    return sheets


SPELLINGS = (
    str.upper,
    str.lower,
    lambda h: h.replace(" ", "_"),
    lambda h: h.replace(" ", "  "),
    lambda h: f" {h} ",
    lambda h: h.replace("'", ""),
)

SHEET_NAMES = (
    lambda n: f"List {n}",
    lambda n: f"list_{n}",
    lambda n: f"LIST{n}",
    lambda n: f"List {n} - records",
    lambda n: f"List_{n} Sheet",
)


@st.composite
def variants(draw) -> dict[str, list[list[object]]]:
    """The workbook with each sheet's columns in another order, each header spelt another way
    and each sheet named another way."""
    out = {}
    for title, rows in workbook().items():
        number = int(title.split()[1])
        order = draw(st.permutations(range(len(rows[0]))))
        header = [draw(st.sampled_from(SPELLINGS))(rows[0][i]) for i in order]
        body = [[row[i] for i in order] for row in rows[1:]]
        out[draw(st.sampled_from(SHEET_NAMES))(number)] = [header, *body]
    return out


def _import(sheets: dict[str, list[list[object]]]):
    with tempfile.TemporaryDirectory() as folder:
        return import_annex_a(write_workbook(Path(folder) / "annex_a.xlsx", sheets))


REFERENCE = _import(workbook())


def test_importing_twice_gives_the_same_result() -> None:
    again = _import(workbook())
    assert set(again.extracts) == set(REFERENCE.extracts)
    for name, frame in REFERENCE.extracts.items():
        pd.testing.assert_frame_equal(again.extracts[name], frame, obj=name)
    pd.testing.assert_frame_equal(again.report, REFERENCE.report)
    assert (again.first_date_covered, again.extraction_date) == (
        REFERENCE.first_date_covered,
        REFERENCE.extraction_date,
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variants())
def test_column_order_and_header_spelling_do_not_change_the_extracts(sheets) -> None:
    varied = _import(sheets)
    assert set(varied.extracts) == set(REFERENCE.extracts)
    for name, frame in REFERENCE.extracts.items():
        pd.testing.assert_frame_equal(varied.extracts[name], frame, obj=name)
    assert (varied.first_date_covered, varied.extraction_date) == (
        REFERENCE.first_date_covered,
        REFERENCE.extraction_date,
    )

"""What every published output shows: the states of unrated rows, partial figures, only the rows
that apply to a unit, the data-quality report, and never a record id or a path.

The rated frames here are built by hand with a ``state`` column (and ``partial``), as the rating
stage writes them, so that each state's words can be checked where they are shown.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import scorecard as sc
from scorecard.measures.compute import Computation
from scorecard.pipeline import Scorecard
from scorecard.rating.vocabulary import RatingState
from scorecard.reports import model
from scorecard.reports.build import quality_for_publication, results_for_publication, write_outputs
from scorecard.reports.html import render_html
from scorecard.reports.notebook import display_table
from scorecard.reports.workbook import QUALITY_SHEET, write_workbook
from tests.reports.test_html import parse_html, sections

MAY, APRIL = pd.Period("2015-05", "M"), pd.Period("2015-04", "M")
REGISTRY = sc.load_registry()
#: Five indicators of the registry (refs 1, 2, 3, 4, 7), each given one state in Team A's May row.
STATES = {
    "re_referrals_12m": RatingState.RATED,
    "assessments_within_45_wd": RatingState.BELOW_MINIMUM,
    "assessments_overdue": RatingState.NOT_APPLICABLE,
    "assessments_child_seen": RatingState.NO_THRESHOLDS,
    "unallocated_cases": RatingState.EXTRACT_ABSENT,
}
UNITS = pd.DataFrame(
    [("Team A", "Kent", "county"), ("Team B", "Kent", "county"), ("Team A", "North", "area"),
     ("Team B", "North", "area"), ("Team A", "Team A", "team"), ("Team B", "Team B", "team")],
    columns=["team", "unit", "level"],
)  # fmt: skip
#: A data-quality report as the extracts stage writes it: record ids, line numbers and paths.
QUALITY = pd.DataFrame(
    {
        "section": ["loaded", "excluded", "absent", "kept", "not computable"],
        "extract": ["referrals", "referrals", "visits", "children", pd.NA],
        "column": [pd.NA, "referral_date", pd.NA, "date_of_birth", pd.NA],
        "check": [pd.NA, "after_as_of", pd.NA, "after_as_of", "unallocated_cases"],
        "rows": pd.array([120, 2, 0, 1, pd.NA], dtype="Int64"),
        "detail": [
            "120 rows loaded from /home/analyst/secret/extracts/referrals.csv (122 read, 2 excluded)",
            (
                "dated after the extraction date 2015-05-31; e.g. line 4 [child_id=C0005]; "
                "line 9 [referral_id=R9001]"
            ),
            "not supplied; used by indicators 3, 7",
            "kept and counted; e.g. row 17 [child_id=C0042]",
            "not computable: extract(s) absent: allocations (C:\\Users\\me\\extracts\\allocations.csv)",
        ],
    }
).astype({"section": object, "extract": object, "column": object, "check": object,
          "detail": object})  # fmt: skip
SECRETS = ["C0005", "R9001", "C0042", "/home/analyst", "secret", "C:\\Users", "line 4", "row 17"]


def _frame() -> pd.DataFrame:
    """Team A 2/20 in April and May for each indicator, Team B 30/40, North and Kent the sums."""
    rows = []
    for month in (APRIL, MAY):
        for indicator in STATES:
            for unit, level, (n, d) in (("Kent", "county", (32, 60)), ("North", "area", (32, 60)),
                                        ("Team A", "team", (2, 20)), ("Team B", "team", (30, 40))):  # fmt: skip
                rows.append((indicator, unit, level, month, float(n), float(d), np.nan))
    frame = pd.DataFrame(
        rows,
        columns=["indicator", "unit", "level", "month", "numerator", "denominator", "value"],
    )
    counts = frame["indicator"].map(lambda i: not REGISTRY[i].unit.has_denominator)
    frame.loc[counts, "denominator"] = np.nan
    return frame


@pytest.fixture(scope="module")
def card() -> Scorecard:
    frame = _frame()
    rated = sc.rate(frame, REGISTRY)
    # the states of Team A's May rows set by hand; every other row is rated
    rated["state"] = RatingState.RATED.value
    team_a_may = (rated["unit"] == "Team A") & (rated["month"] == MAY)
    for indicator, state in STATES.items():
        row = team_a_may & (rated["indicator"] == indicator)
        rated.loc[row, "state"] = state.value
        if state is not RatingState.RATED:
            rated.loc[row, "rag"] = np.nan
    # ref 3 does not apply to Team A: even a rating there must not count
    rated.loc[team_a_may & (rated["indicator"] == "assessments_overdue"), "rag"] = "R"
    rated["partial"] = team_a_may & (rated["indicator"] == "re_referrals_12m")
    rated["partial_note"] = pd.Series(pd.NA, index=rated.index, dtype="string")
    rated.loc[rated["partial"], "partial_note"] = "data cover 2014-09 onwards"
    activity = pd.DataFrame(columns=["activity", "label", "unit", "level", "month", "count"])
    return Scorecard(rated, Computation(frame, {}, UNITS, activity), REGISTRY, "Kent", QUALITY)


def test_quality_for_publication_keeps_counts_and_reasons_but_no_ids_lines_or_paths() -> None:
    with_examples = QUALITY.assign(examples=["", "line 4 [child_id=C0005]", "", "", ""],
                                   file=["/home/analyst/secret/extracts/referrals.csv", None,
                                         None, "D:\\data\\children.csv", None])  # fmt: skip
    shown = quality_for_publication(with_examples)
    assert "examples" not in shown.columns
    text = shown.astype(str).to_csv()
    for secret in SECRETS:
        assert secret not in text, secret
    assert shown["rows"].tolist()[:4] == [120, 2, 0, 1]  # counts kept
    assert shown["detail"].tolist() == [
        "120 rows loaded from referrals.csv (122 read, 2 excluded)",
        "dated after the extraction date 2015-05-31",
        "not supplied; used by indicators 3, 7",
        "kept and counted",
        "not computable: extract(s) absent: allocations (allocations.csv)",
    ]
    assert shown["file"].tolist()[0] == "referrals.csv" and shown["file"][3] == "children.csv"
    assert shown["check"].tolist()[1] == "after_as_of"


def test_a_partial_note_is_published_without_paths() -> None:
    note = "data cover 2014-09 onwards (manifest /srv/extracts/kent/manifest.yaml)"
    words = "partial: data cover 2014-09 onwards (manifest manifest.yaml)"  # the file name only
    assert model.partial_text(True, note) == words
    assert model.partial_text(False, note) == "" and model.partial_text(True, pd.NA) == "partial"


def test_published_text_drops_ids_but_keeps_dates_and_years() -> None:
    text = pd.Series(["thresholds 2015/16 since 2015-04-01", "visit_id=V3 missing", pd.NA])
    shown = model.publishable_text(text)
    assert shown.tolist()[:2] == ["thresholds 2015/16 since 2015-04-01", "missing"]
    assert pd.isna(shown.iloc[2])


def test_the_data_quality_csv_of_a_build_holds_no_id_or_path(card: Scorecard, tmp_path) -> None:
    paths = write_outputs(card, MAY, tmp_path, quality=QUALITY)
    text = Path(paths["data_quality"]).read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in text, secret
    assert "referrals.csv" in text and "after_as_of" in text
    for name in ("results", "html"):
        published = Path(paths[name]).read_text(encoding="utf-8")
        for secret in SECRETS:
            assert secret not in published, (name, secret)


def test_results_csv_has_the_state_and_the_partial_mark(card: Scorecard) -> None:
    published = results_for_publication(card, None)
    may_a = published[(published["unit"] == "Team A") & (published["month"] == MAY)]
    by_indicator = may_a.set_index("indicator")
    assert by_indicator["state"].to_dict() == {i: s.value for i, s in STATES.items()}
    assert by_indicator.loc["re_referrals_12m", "partial"] == True
    assert by_indicator.loc["re_referrals_12m", "partial_note"] == "data cover 2014-09 onwards"
    assert published["partial"].sum() == 1
    # ref 3 does not apply to Team A: its state and words are published, not its 2/20 nor the
    # "R" the fixture put on it, nor its April figure and direction
    inapplicable = by_indicator.loc["assessments_overdue"]
    assert inapplicable[["numerator", "denominator", "value", "rag", "previous_value",
                         "dot_previous"]].isna().all()  # fmt: skip
    applies = by_indicator.loc["re_referrals_12m"]
    assert (applies["numerator"], applies["denominator"]) == (2.0, 20.0)


def test_html_unit_page_lists_what_applies_and_says_why_a_row_is_not_rated(card) -> None:
    dom = parse_html(render_html(card, MAY))
    team = sections(dom)["Team A"]
    shown = {
        row.attrs["data-indicator"]: row
        for row in team.find("table", "scorecard").find_all("tr")
        if "data-indicator" in row.attrs
    }
    # ref 3 (assessments_overdue) does not apply to Team A: no row, no chart, no exception report
    assert set(shown) == set(STATES) - {"assessments_overdue"}
    assert len(team.find_all("figure", "trend-chart")) == 4
    assert not team.find_all("article", "exception")
    words = {i: r.find("span", "rag-letter").text() for i, r in shown.items()}
    assert words["assessments_within_45_wd"] == "below the minimum denominator"
    assert words["assessments_child_seen"] == "no thresholds for the year"
    assert words["unallocated_cases"] == "extract absent"
    assert words["re_referrals_12m"] in {"R", "A", "G"}
    partial = shown["re_referrals_12m"].find("span", "partial").text()
    assert partial == "partial: data cover 2014-09 onwards"
    assert not shown["assessments_child_seen"].find_all("span", "partial")
    # the summary counts the applicable rows only: the rating on ref 3 is not counted as Red
    summary = team.find("p", "summary").text()
    assert "0 indicators rated as Red" in summary
    # Team B's page lists every indicator
    assert len(sections(dom)["Team B"].find_all("figure", "trend-chart")) == 5


def test_html_has_a_data_quality_section_without_ids_or_paths(card: Scorecard) -> None:
    text = render_html(card, MAY)
    dom = parse_html(text)
    section = dom.find("section", "quality")
    headings = [h.text() for h in section.find_all("h3")]
    assert headings == [
        "What was loaded",
        "Extracts absent or not read",
        "Rows excluded, by reason",
        "Rows kept and counted",
        "Indicators not computable, and why",
    ]
    body = section.text()
    assert "120 rows loaded from referrals.csv" in body and "dated after the extraction" in body
    for secret in SECRETS:
        assert secret not in text, secret
    assert any(a.attrs.get("href") == "#data-quality" for a in dom.find_all("a"))


def test_workbook_unit_sheet_states_partial_and_quality_sheet(card: Scorecard, tmp_path) -> None:
    book = openpyxl.load_workbook(write_workbook(card, MAY, tmp_path / "wb.xlsx"))
    sheet = next(ws for ws in book.worksheets if ws["A1"].value == "Scorecard - Team A")
    header = [c.value for c in sheet[5]]
    ref_col, rag_col, notes_col = 0, header.index("RAG"), header.index("Notes")
    rows = {r[ref_col].value: r for r in sheet.iter_rows(min_row=6) if isinstance(r[0].value, int)}
    refs = {REGISTRY[i].ref: i for i in STATES}
    assert set(rows) == set(refs) - {REGISTRY["assessments_overdue"].ref}
    rag = {refs[ref]: row[rag_col].value for ref, row in rows.items()}
    assert rag["assessments_within_45_wd"] == "below the minimum denominator"
    assert rag["assessments_child_seen"] == "no thresholds for the year"
    assert rag["unallocated_cases"] == "extract absent"
    partial_row = rows[REGISTRY["re_referrals_12m"].ref]
    assert partial_row[notes_col].value.startswith("partial: data cover 2014-09 onwards")
    assert "0 indicators rated as Red" in sheet["A3"].value
    quality = book[QUALITY_SHEET]
    cells = [c.value for row in quality.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Rows excluded, by reason" in cells
    assert "dated after the extraction date 2015-05-31" in cells
    joined = "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows()
                       for c in row if c.value is not None)  # fmt: skip
    for secret in SECRETS:
        assert secret not in joined, secret


def test_notebook_table_lists_what_applies_with_the_states(card: Scorecard) -> None:
    table = display_table(card.frame, "Team A", MAY)
    by_ref = table.set_index("Ref")
    assert REGISTRY["assessments_overdue"].ref not in by_ref.index
    assert by_ref.loc[REGISTRY["unallocated_cases"].ref, "RAG"] == "extract absent"
    result = by_ref.loc[REGISTRY["re_referrals_12m"].ref, "Result"]
    assert result == "10.0% (partial: data cover 2014-09 onwards)"  # 2 of 20


def test_states_are_worked_out_when_the_frame_has_none() -> None:
    """Without a ``state`` column: rated where there is a RAG, else from the notes rate() wrote."""
    frame = pd.DataFrame(
        {
            "rag": ["G", np.nan, np.nan, np.nan, np.nan],
            "note": [pd.NA, pd.NA, pd.NA, pd.NA, "not computable: extract(s) absent: visits"],
            "rag_note": [pd.NA, "no result", "no thresholds for 2020/21",
                         "denominator below the minimum of 5", "no result"],
        }
    )  # fmt: skip
    assert model.derived_states(frame).tolist() == [
        "rated", "no data", "no thresholds", "below minimum", "extract absent",
    ]  # fmt: skip
    staged = model.with_states(frame)
    assert staged["partial"].tolist() == [False] * 5 and staged["partial_note"].isna().all()


def test_a_withheld_row_shows_c_for_its_state_everywhere(card: Scorecard) -> None:
    """Team A's numerators (2) are below 11: withheld, and Team B with them (North = A + B).
    The HTML shows "c" for the rating, whatever the state would have said (a "below the minimum
    denominator" would tell that the denominator is below 5)."""
    dom = parse_html(render_html(card, MAY, suppress_below=11))
    team = sections(dom)["Team A"]
    letters = {
        r.attrs["data-indicator"]: r.find("span", "rag-letter").text()
        for r in team.find("table", "scorecard").find_all("tr")
        if "data-indicator" in r.attrs
    }
    assert letters == dict.fromkeys(set(STATES) - {"assessments_overdue"}, "c")
    assert "4 Withheld" in " ".join(team.find("ul", "tally").text().split())

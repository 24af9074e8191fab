"""The comparator table (issue 13, item 4): loading and checking it, joining it beside the county's
results by financial year, and carrying each value with its source into the results CSV and the
HTML report."""

from __future__ import annotations

import textwrap
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import scorecard as sc
from scorecard.errors import DataError
from scorecard.pipeline import compute_scorecard
from scorecard.registry import load_registry
from scorecard.registry.benchmarks import (
    BENCHMARK_COLUMNS,
    BENCHMARKS_FILE,
    BenchmarkError,
    Benchmarks,
    default_benchmarks_folder,
    join_benchmarks,
    load_benchmarks,
    validate_benchmarks,
)
from scorecard.reports.build import results_for_publication
from scorecard.reports.html import render_html
from tests.conftest import REPO

HEADER = "indicator,financial_year,comparator,value,unit,publication,table,url,notes\n"
GOOD = "re_referrals_12m,2014-15,england,22.0,percent,SFR 1/2015 Title,A1,https://x,\n"


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def _write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / BENCHMARKS_FILE
    path.write_text(header + textwrap.dedent(body), encoding="utf-8")
    return path


def _error(tmp_path: Path, registry, body: str, header: str = HEADER) -> str:
    with pytest.raises(BenchmarkError) as caught:
        load_benchmarks(_write(tmp_path, body, header), registry)
    return str(caught.value)


# --- the bundled table ------------------------------------------------------------------------


def test_the_bundled_table_loads_and_every_value_has_its_source(registry) -> None:
    table = load_benchmarks(default_benchmarks_folder(), registry).frame
    assert len(table) > 0
    assert table["publication"].notna().all() and table["url"].notna().all()
    assert table["url"].str.startswith("http").all()
    # values as read (docs/benchmarks.md): re-referrals 2014-15, England 24.2%, South East 28.2%
    rows = table[
        (table["indicator"] == "re_referrals_12m") & (table["financial_year"] == "2014-15")
    ]
    assert dict(zip(rows["comparator"], rows["value"], strict=True)) == {"england": 24.2,
                                                                         "region": 28.2}  # fmt: skip
    assert rows["source"].str.contains("table: C1: referrals and re-referrals").all()
    # every row says how it compares with the registry's definition, or where it was read
    assert table["notes"].notna().all()


# --- errors: file, column and lines named ---------------------------------------------------


def test_an_unknown_indicator_id_is_an_error(tmp_path, registry) -> None:
    message = _error(tmp_path, registry, GOOD + "no_such_id,2014-15,england,1,percent,P,,u,\n")
    assert message.startswith(f"{BENCHMARKS_FILE}: column indicator: not an indicator id")
    assert "on lines 3 " in message and "no_such_id" in message


def test_a_duplicate_indicator_year_and_comparator_is_an_error(tmp_path, registry) -> None:
    message = _error(tmp_path, registry, GOOD + GOOD.replace("22.0", "23.0"))
    assert "more than one row for the same indicator, year and comparator on lines 2, 3" in message


def test_the_same_indicator_and_year_for_two_comparators_is_not_a_duplicate(
    tmp_path, registry
) -> None:
    table = load_benchmarks(_write(tmp_path, GOOD + GOOD.replace("england", "region")), registry)
    assert table.frame["comparator"].tolist() == ["england", "region"]


@pytest.mark.parametrize("column", ["publication", "url"])
def test_a_value_without_its_source_is_an_error(tmp_path, registry, column) -> None:
    body = (
        GOOD.replace("SFR 1/2015 Title", "")
        if column == "publication"
        else GOOD.replace("https://x", "")
    )
    message = _error(tmp_path, registry, body)
    assert f"column {column}: empty on lines 2 (every value needs its source)" in message


@pytest.mark.parametrize("value", ["abc", "", "inf", "-3"])
def test_a_value_that_is_not_a_number_is_an_error(tmp_path, registry, value) -> None:
    message = _error(tmp_path, registry, GOOD.replace("22.0", value))
    expected = {
        "abc": "column value: not a number on lines 2 (values ['abc'])",
        "": "column value: empty on lines 2",
        "inf": "column value: not a number on lines 2 (values ['inf'])",
        "-3": "column value: not zero or more on lines 2",
    }[value]
    assert expected in message


def test_every_problem_is_listed_at_once(tmp_path, registry) -> None:
    body = (
        "re_referrals_12m,2014-16,england,20,percent,P,,u,\n"  # line 2: not consecutive years
        "re_referrals_12m,2014-15,wales,20,percent,P,,u,\n"  # line 3: unknown comparator
        "re_referrals_12m,2014-15,england,20,count,P,,u,\n"  # line 4: not the registry's unit
        "re_referrals_12m,2015-16,england,101,percent,P,,u,\n"  # line 5: percentage above 100
        "re_referrals_12m,2015/16,region,20,percent,P,,u,\n"  # line 6: not written 2015-16
    )
    message = _error(tmp_path, registry, body)
    assert "column financial_year: not a year followed by the next (2014-15) on lines 2" in message
    assert "column comparator: not one of england, region, statistical_neighbours on lines 3" in (
        message
    )
    assert "column unit: not the indicator's unit in the registry on lines 4" in message
    assert "column value: a percentage above 100 on lines 5" in message
    assert "column financial_year: not a financial year written 2014-15 on lines 6" in message


def test_missing_and_unknown_columns_are_errors(tmp_path, registry) -> None:
    message = _error(tmp_path, registry, "re_referrals_12m,2014-15,22\n",
                     header="indicator,financial_year,score\n")  # fmt: skip
    assert message == (
        f"{BENCHMARKS_FILE}: missing column(s) comparator, value, unit, publication, url; unknown "
        "column(s) score (allowed: indicator, financial_year, comparator, value, unit, "
        "publication, url, area, table, notes)"
    )


def test_a_byte_order_mark_is_not_part_of_the_first_column(tmp_path, registry) -> None:
    # a spreadsheet saving CSV as UTF-8 may begin the file with a byte-order mark
    path = tmp_path / BENCHMARKS_FILE
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + GOOD).encode("utf-8"))
    assert load_benchmarks(path, registry).frame["indicator"].tolist() == ["re_referrals_12m"]


def test_a_folder_without_the_table_is_an_error(tmp_path, registry) -> None:
    with pytest.raises(BenchmarkError, match="no comparator table"):
        load_benchmarks(tmp_path, registry)


def test_a_benchmark_error_is_a_data_error(tmp_path, registry) -> None:
    with pytest.raises(DataError):  # exit code 1 at the command line, no traceback
        load_benchmarks(_write(tmp_path, GOOD.replace("22.0", "x")), registry)


# --- the join by financial year -------------------------------------------------------------


def _table(registry, rows: list[tuple[str, str, str, float]]) -> Benchmarks:
    frame = pd.DataFrame(rows, columns=["indicator", "financial_year", "comparator", "value"])
    frame = frame.assign(unit="percent", publication="SFR 9/2015", table="T1", url="https://x")
    return validate_benchmarks(frame, registry)


def _rated(months: list[str]) -> pd.DataFrame:
    rows = [(m, unit, level) for m in months for unit, level in (("Kent", "county"),
                                                                    ("Dover", "team"))]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["month", "unit", "level"])
    frame.insert(0, "indicator", "re_referrals_12m")
    frame["month"] = pd.PeriodIndex(frame["month"], freq="M")
    frame["value"] = 20.0
    return frame


def test_a_month_takes_the_row_of_its_financial_year_at_county_level(registry) -> None:
    # March 2015 is in 2014-15 (its row: 22), April 2015 in 2015-16 (no row: nothing)
    table = _table(registry, [("re_referrals_12m", "2014-15", "england", 22.0),
                              ("re_referrals_12m", "2013-14", "england", 23.4)])  # fmt: skip
    rated = _rated(["2015-03", "2015-04"])
    before = rated.copy()
    joined = join_benchmarks(rated, table)
    pd.testing.assert_frame_equal(rated, before)  # not modified
    assert list(joined.columns) == [*rated.columns, *BENCHMARK_COLUMNS]
    county = joined[joined["level"] == "county"].set_index("month")
    assert county.loc[pd.Period("2015-03", "M"), "england"] == 22.0
    assert county.loc[pd.Period("2015-03", "M"), "england_source"] == "SFR 9/2015, table: T1"
    assert np.isnan(county.loc[pd.Period("2015-04", "M"), "england"])
    assert pd.isna(county.loc[pd.Period("2015-04", "M"), "england_source"])
    # a team is never given the county's comparators; region and neighbours have no row here
    assert joined.loc[joined["level"] == "team", "england"].isna().all()
    assert joined[["region", "neighbours"]].isna().all().all()


def test_the_area_of_a_region_row_leads_its_source(registry) -> None:
    # the region's name is part of the source: a region's figure never reads as anyone's
    loaded = validate_benchmarks(
        pd.DataFrame({"indicator": ["re_referrals_12m"], "financial_year": ["2014-15"],
                      "comparator": ["region"], "area": ["South East"], "value": ["28.2"],
                      "unit": ["percent"], "publication": ["SFR 9/2015"], "table": ["T1"],
                      "url": ["https://x"]}),
        registry,
    )  # fmt: skip
    joined = join_benchmarks(_rated(["2015-03"]), loaded)
    county = joined[joined["level"] == "county"].iloc[0]
    assert county["region"] == 28.2
    assert county["region_source"] == "South East: SFR 9/2015, table: T1"


def test_april_takes_its_own_year_and_each_comparator_its_column(registry) -> None:
    table = _table(registry, [("re_referrals_12m", "2014-15", "england", 22.0),
                              ("re_referrals_12m", "2015-16", "england", 21.5),
                              ("re_referrals_12m", "2015-16", "region", 19.0),
                              ("re_referrals_12m", "2015-16", "statistical_neighbours", 25.0)])  # fmt: skip
    joined = join_benchmarks(_rated(["2015-04"]), table)
    county = joined[joined["level"] == "county"].iloc[0]
    assert (county["england"], county["region"], county["neighbours"]) == (21.5, 19.0, 25.0)
    assert county["neighbours_source"] == "SFR 9/2015, table: T1"


# --- through the pipeline into the results CSV and the HTML ----------------------------------


def _extracts():
    organisation = pd.DataFrame({"team": ["North AIT", "South AIT"], "area": ["North", "South"],
                                 "team_type": ["assessment_and_family_support"] * 2})  # fmt: skip
    children = pd.DataFrame({
        "child_id": ["c1", "c2"], "date_of_birth": ["2010-01-01", "2012-03-04"],
        "expected_date_of_birth": None, "sex": ["F", "M"], "uasc": False,
        "uasc_ceased_date": None, "disabled": None,
    })  # fmt: skip
    referrals = pd.DataFrame({
        "referral_id": ["r1", "r2", "r3"], "child_id": ["c1", "c1", "c2"],
        "team": ["North AIT", "North AIT", "South AIT"],
        "referral_date": ["2014-05-10", "2015-05-10", "2015-04-20"], "closure_date": None,
    })  # fmt: skip
    return sc.validate_extracts({"children": children, "referrals": referrals}, organisation)


@pytest.fixture(scope="module")
def card(registry):
    # the publication's title carries characters HTML must escape and a spreadsheet formula sign
    table = _table(registry, [("re_referrals_12m", "2015-16", "england", 22.3)])
    frame = table.frame.assign(source="=SFR <9> & co, table: T1")
    return compute_scorecard(_extracts(), "2015-04", "2015-05", county="Shire",
                             benchmarks=Benchmarks(frame, "test"))  # fmt: skip


def test_the_results_csv_carries_the_value_with_its_source(card) -> None:
    published = results_for_publication(card, None)
    row = published[(published["indicator"] == "re_referrals_12m") & (published["unit"] == "Shire")
                    & (published["month"] == pd.Period("2015-05", "M"))]  # fmt: skip
    assert row["england"].tolist() == [22.3]
    # the source as written, guarded against being read as a formula
    assert row["england_source"].tolist() == ["'=SFR <9> & co, table: T1"]
    teams = published[
        (published["indicator"] == "re_referrals_12m") & (published["level"] == "team")
    ]
    assert teams["england"].isna().all()


def test_the_html_shows_england_beside_the_county_figure_escaped(card) -> None:
    html = render_html(card, "2015-05")
    assert "England 22.3%" in html
    assert f'title="England: {escape("=SFR <9> & co, table: T1")}"' in html
    assert "<9>" not in html


def test_the_bundled_table_is_used_with_the_bundled_registry_only(tmp_path, registry) -> None:
    card = compute_scorecard(_extracts(), "2015-05", county="Shire")
    rows = card.frame[(card.frame["indicator"] == "cic_ceased_adopted")
                      & (card.frame["level"] == "county")]  # fmt: skip
    # 2015-16: 15% (England) and 14% (South East) of children ceasing care were adopted
    assert rows["england"].tolist() == [15.0] and rows["region"].tolist() == [14.0]
    assert rows["england_source"].iloc[0].startswith("Local authority interactive tool (LAIT)")
    # the bundled registry given explicitly (as the command line does) is still the bundled one
    given = compute_scorecard(_extracts(), "2015-05", county="Shire", registry=registry)
    assert "england" in given.frame.columns
    # a registry of one's own (here a copy of the bundled file elsewhere) gets no bundled table
    copy = tmp_path / "indicators.yaml"
    copy.write_text((REPO / "indicators.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    own_registry = load_registry(copy, REPO / "rag_rules")
    own = compute_scorecard(_extracts(), "2015-05", county="Shire", registry=own_registry)
    assert "england" not in own.frame.columns


def test_the_workbook_shows_england_beside_the_county_figure_with_its_source(card, tmp_path):
    import openpyxl

    from scorecard.reports.workbook import write_workbook

    book = openpyxl.load_workbook(write_workbook(card, "2015-05", tmp_path / "wb.xlsx"))
    county = book["Shire"]
    header = [c.value for c in county[5]]  # row 5: the table's headings
    assert "England" in header and header.index("England") == header.index("Notes") - 1
    assert "Region" not in header  # no region value in this table
    col = header.index("England") + 1
    cells = [county.cell(r, col) for r in range(6, county.max_row + 1)]
    with_value = [c for c in cells if isinstance(c.value, int | float)]
    assert [c.value for c in with_value] == [22.3]
    assert with_value[0].comment.text.startswith("Source: =SFR <9> & co, table: T1")
    # the teams' sheets describe no comparator: no column
    for name in ("North AIT", "South AIT"):
        assert "England" not in [c.value for c in book[name][5]]

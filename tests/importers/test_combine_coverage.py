"""coverage_table(): which indicators each source feeds, derived from SOURCE_FILLS and the
measures; docs/importers.md kept current; the declaration checked against the importers."""

from __future__ import annotations

import importlib

import pytest

from scorecard.errors import UsageError
from scorecard.extracts import SPECS
from scorecard.importers import SOURCE_FILLS, SOURCES, coverage_table
from scorecard.importers.coverage import DOC, measure_columns, render
from tests.conftest import SHARED


def test_shape_one_row_per_indicator_one_column_per_source(registry) -> None:
    table = coverage_table(SOURCES)
    assert table["indicator"].tolist() == list(registry.ids)
    assert list(table.columns) == ["ref", "indicator", "title", "ssda903", "cin_census",
                                   "annex_a", "combined", "lacks", "limits"]  # fmt: skip
    alone = coverage_table({"ssda903"})
    assert list(alone.columns) == ["ref", "indicator", "title", "ssda903", "combined", "lacks",
                                   "limits"]  # fmt: skip
    assert alone["ssda903"].tolist() == alone["combined"].tolist()


def test_hand_checked_cells() -> None:
    table = coverage_table(SOURCES).set_index("indicator")
    # re-referrals need `referrals` only: in the CIN census and Annex A list 3, not in the 903
    assert table.loc["re_referrals_12m", ["ssda903", "cin_census", "annex_a"]].tolist() == [
        "no", "yes", "yes"]  # fmt: skip
    # within 20 miles reads cic_episodes.distance_miles, which the 903 does not hold (postcodes)
    assert table.loc["cic_within_20_miles", "ssda903"] == "partly"
    assert table.loc["cic_within_20_miles", "lacks"] == "no cic_episodes.distance_miles"
    # CIN visits: no national return holds visits
    assert table.loc["cin_seen_28_days", "combined"] == "no"
    assert table.loc["cin_seen_28_days", "lacks"] == "no visits"
    # % of CIN with a plan needs referrals .. cp_plans (CIN census) and cic_episodes (903):
    # no source alone, all three together
    row = table.loc["cin_with_plan"]
    assert [row["ssda903"], row["cin_census"], row["annex_a"], row["combined"]] == [
        "no", "no", "no", "yes"]  # fmt: skip
    # staffing: workforce is in no return
    assert table.loc["posts_agency", "lacks"] == "no workforce"


def test_an_unknown_source_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown source"):
        coverage_table({"ssda903", "cin"})


def test_measure_columns_finds_the_optional_columns_a_measure_reads() -> None:
    columns = measure_columns()
    # read in scorecard/measures/children_in_care.py (distance) and referrals (closure date)
    assert "distance_miles" in columns["cic_within_20_miles"]["cic_episodes"]
    assert "closure_date" in columns["cin_with_plan"]["referrals"]
    # a count of referrals reads no optional column of referrals but the closure date's absence
    # is not invented: only columns named in the code are listed
    assert columns["cp_plans_18_months"]["cp_plans"] == frozenset()


def test_every_declared_extract_has_its_required_columns() -> None:
    for source, extracts in SOURCE_FILLS.items():
        for name, columns in extracts.items():
            required = {f.name for f in SPECS[name].fields if not f.nullable}
            assert required <= columns, (source, name, sorted(required - columns))
            assert columns <= set(SPECS[name].columns), (source, name)


def test_docs_importers_is_current() -> None:
    committed = DOC.read_text(encoding="utf-8")
    assert committed == render(committed), "run: python -m scorecard.importers.coverage"


FIXTURES = SHARED / "fixtures"
_RUNS = {
    "ssda903": ("scorecard.importers.ssda903", "import_ssda903",
                lambda: sorted((FIXTURES / "ssda903_fake").glob("*.csv"))),
    "cin_census": ("scorecard.importers.cin_census", "import_cin_census",
                   lambda: [FIXTURES / "cin_census_sample" / "BAR_cin_2022.xml",
                            FIXTURES / "cin_census_sample" / "fake_CIN_data.xml"]),
    "annex_a": ("scorecard.importers.annex_a", "import_annex_a",
                lambda: next((FIXTURES / "annex_a_sample").glob("*.xlsx"))),
}  # fmt: skip


@pytest.mark.parametrize("source", SOURCES)
def test_source_fills_matches_what_the_importer_fills(source: str) -> None:
    """What an importer really fills on the fixtures is declared in SOURCE_FILLS (an extract or
    an optional column with values that is not declared would hide an indicator it can feed)."""
    module_name, function_name, paths = _RUNS[source]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        pytest.skip(f"{module_name} is not on this branch yet")
    if not FIXTURES.is_dir():
        pytest.skip(f"fixtures not found at {FIXTURES}")
    result = getattr(module, function_name)(paths())
    declared = SOURCE_FILLS[source]
    for name, frame in result.extracts.items():
        if frame.empty:
            continue
        assert name in declared, f"{source} fills {name}: declare it in SOURCE_FILLS"
        filled = {c for c in frame.columns if frame[c].notna().any()}
        optional = {f.name for f in SPECS[name].fields if f.nullable}
        assert (filled & optional) <= declared[name], (
            f"{source} fills {name}.{sorted((filled & optional) - declared[name])}: declare them"
        )

"""Drill-down and unit tables by the names an analyst knows (issue 14, item 3): an indicator by its
ref (int or text), id or title, in any case; a unit in any case; anything unknown refused with
the closest names.

The data (by hand): referrals r1 (c1, team A1, 2014-05-10), r2 (c1, A1, 2015-05-10) and r3 (c2,
A2, 2015-04-20). In May 2015 (year to date from April) the referrals are r2 and r3; r2 follows r1
within 12 months, so the county's re-referral rows are r2 (in the numerator) and r3 (not), team A1
has r2 only and area South has r3 only.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

import scorecard as sc
from scorecard.errors import DataError, UsageError
from scorecard.measures.compute import (
    Computation,
    NotComputedError,
    UnknownNameError,
    find_indicator,
    find_unit,
)
from scorecard.reports.notebook import UnitTable
from tests.measures.builders import COUNTY, build, run

RE_REFERRALS = "re_referrals_12m"


@pytest.fixture(scope="module")
def card() -> sc.Scorecard:
    extracts = build(
        children=[{"child_id": c, "date_of_birth": "2010-01-01"} for c in ("c1", "c2")],
        referrals=[
            {"referral_id": "r1", "child_id": "c1", "team": "A1", "referral_date": "2014-05-10"},
            {"referral_id": "r2", "child_id": "c1", "team": "A1", "referral_date": "2015-05-10"},
            {"referral_id": "r3", "child_id": "c2", "team": "A2", "referral_date": "2015-04-20"},
        ],
    )
    with pytest.warns(UserWarning, match="no manifest.yaml"):
        return sc.compute_scorecard(extracts, "2015-04", "2015-05", county=COUNTY)


def test_drill_down_by_id_ref_and_title_in_any_case(card: sc.Scorecard) -> None:
    indicator = card.registry[RE_REFERRALS]
    by_id = card.drill_down(RE_REFERRALS, COUNTY, "2015-05")
    assert by_id["record_id"].tolist() == ["r2", "r3"]
    assert by_id["in_numerator"].tolist() == [True, False]
    names = [
        indicator.ref,  # an int
        str(indicator.ref),  # digits as text
        f" {indicator.ref} ",
        RE_REFERRALS.upper(),
        indicator.title,
        indicator.title.upper(),
        "  " + indicator.title.lower().replace(" ", "   ") + " ",  # any case and spacing
    ]
    for name in names:
        pd.testing.assert_frame_equal(card.drill_down(name, COUNTY, "2015-05"), by_id, obj=name)


def test_units_in_any_case_and_defaults(card: sc.Scorecard) -> None:
    assert card.drill_down(RE_REFERRALS, "a1", "2015-05")["record_id"].tolist() == ["r2"]
    assert card.drill_down(RE_REFERRALS, "SOUTH", "2015-05")["record_id"].tolist() == ["r3"]
    assert card.drill_down(RE_REFERRALS, COUNTY.lower(), "2015-05")["record_id"].tolist() == [
        "r2", "r3"
    ]  # fmt: skip
    # unit default: the county; month default: the latest (May 2015)
    pd.testing.assert_frame_equal(
        card.drill_down(RE_REFERRALS), card.drill_down(RE_REFERRALS, COUNTY, "2015-05")
    )
    # the computation alone matches units in any case too
    assert card.computation.drill_down(RE_REFERRALS, "north", "2015-05")["record_id"].tolist() == [
        "r2"
    ]  # fmt: skip


def test_an_unknown_indicator_lists_the_closest_names(card: sc.Scorecard) -> None:
    with pytest.raises(UnknownNameError) as caught:
        card.drill_down("re-referals", COUNTY, "2015-05")
    error = caught.value
    assert isinstance(error, UsageError) and isinstance(error, KeyError)  # both ways to catch it
    message = str(error)
    assert message.startswith("no indicator named 're-referals'; did you mean ")
    assert f"{RE_REFERRALS} (ref {card.registry[RE_REFERRALS].ref}: " in message
    # a word of the titles suggests the indicators whose title or id contains it
    with pytest.raises(UnknownNameError, match="caseload_cic .*caseload_ait_fst"):
        card.drill_down("caseload", COUNTY, "2015-05")
    refs = sorted(i.ref for i in card.registry)
    with pytest.raises(UnknownNameError, match=rf"no indicator with ref 999 \(refs {refs[0]} to "):
        card.drill_down(999, COUNTY, "2015-05")
    with pytest.raises(UnknownNameError, match="not True"):
        card.drill_down(True, COUNTY, "2015-05")  # type: ignore[arg-type]  # a bool is no ref


def test_an_unknown_unit_lists_the_closest_names(card: sc.Scorecard) -> None:
    with pytest.raises(UnknownNameError, match=r"no unit named 'Nort'; did you mean 'North'\?"):
        card.drill_down(RE_REFERRALS, "Nort", "2015-05")
    with pytest.raises(UnknownNameError, match=r"no unit named 'Zzz'; the units are 'Shire', "):
        card.drill_down(RE_REFERRALS, "Zzz", "2015-05")  # nothing close: the units are listed


def test_not_computed_and_months_not_computed(card: sc.Scorecard) -> None:
    # cp_plans is absent from these extracts: the indicator is known, its note says why
    with pytest.raises(NotComputedError, match="cp_plans_18_months.*extract.*absent: cp_plans"):
        card.drill_down("cp_plans_18_months", COUNTY, "2015-05")
    assert issubclass(NotComputedError, DataError) and issubclass(NotComputedError, KeyError)
    with pytest.raises(UnknownNameError, match="no month 2015-06 .*covers 2015-04 to 2015-05"):
        card.drill_down(RE_REFERRALS, COUNTY, "2015-06")
    with pytest.raises(UnknownNameError, match="2013-01 was not computed"):
        card.computation.drill_down(RE_REFERRALS, COUNTY, "2013-01")


def test_unit_tables_by_unit_in_any_case(card: sc.Scorecard) -> None:
    table = card.table("north")
    assert isinstance(table, UnitTable)
    pd.testing.assert_frame_equal(pd.DataFrame(table), pd.DataFrame(card.table("North")))
    assert table.unit_name == "North"
    with pytest.raises(UnknownNameError, match="did you mean 'South'"):
        card.table("Suth")
    with pytest.raises(UnknownNameError, match="did you mean 'South'"):
        card.frame.scorecard.table("Suth", "2015-05")  # the accessor matches the same way


def test_finders_on_their_own(registry) -> None:
    assert find_unit(["North", "South"], "  north ") == "North"
    with pytest.raises(UnknownNameError, match="differ only in case"):
        find_unit(["North", "NORTH"], "north")
    assert find_indicator(None, "RE_REFERRALS_12M", known=[RE_REFERRALS]) == RE_REFERRALS
    first = registry.indicators[0]
    assert find_indicator(registry, first.ref) == first.id


def test_a_computation_without_registry_matches_ids(card: sc.Scorecard) -> None:
    computation = card.computation
    bare = Computation(computation.results, computation.records, computation.units,
                       computation.activity)  # fmt: skip
    assert bare.drill_down(RE_REFERRALS.upper(), "a2", "2015-05")["record_id"].tolist() == ["r3"]
    with pytest.raises(UnknownNameError, match="no registry"):
        bare.drill_down(1, "a2", "2015-05")


def test_any_unit_displays_coloured_with_left_aligned_indicator_names(card: sc.Scorecard) -> None:
    table = card.table("a1")
    page = table._repr_html_()  # what Jupyter shows
    column = table.columns.get_loc("Indicator")
    # the CSS rule that left-aligns: it names the Indicator header and every row's Indicator cell
    # (a rule's selectors start after a brace or at the start: looking only there keeps the search
    # linear; from every position of the long table it went on to the end of the page)
    rules = " ".join(re.findall(r"(?:(?<=[{}])|^)([^{}]+)\{\s*text-align: left;\s*\}", page))
    cells = set(re.findall(r"_row(\d+)_col(\d+)", rules))
    assert cells == {(str(row), str(column)) for row in range(len(table))}  # those cells only
    assert f"th.col{column}" in rules  # and the header
    assert "Scorecard - A1, May 2015" in page
    # the result and RAG cells are coloured (not rated here: too few referrals -> grey)
    assert "background-color: #D9D9D9" in page
    # the county's display (the Scorecard itself) shows its table the same way
    county = card._repr_html_()
    assert f"th.col{column}" in county and "Scorecard - Shire, May 2015" in county


# --- what the rule used and why (issue 14, item 3: three measures so far) -----------------------


def _shown(rows: pd.DataFrame, columns: list[str]) -> list[list[object]]:
    return rows[columns].astype(object).where(rows[columns].notna(), None).values.tolist()


def test_re_referrals_show_both_dates_and_why() -> None:
    extracts = build(
        children=[{"child_id": c, "date_of_birth": "2010-01-01"} for c in ("c1", "c2", "c3")],
        referrals=[
            {"referral_id": "r1", "child_id": "c1", "team": "A1", "referral_date": "2014-05-10"},
            {"referral_id": "r2", "child_id": "c1", "team": "A1", "referral_date": "2015-05-10"},
            {"referral_id": "r3", "child_id": "c2", "team": "A1", "referral_date": "2015-04-20"},
            {"referral_id": "r4", "child_id": "c3", "team": "A1", "referral_date": "2014-04-01"},
            {"referral_id": "r5", "child_id": "c3", "team": "A1", "referral_date": "2015-04-02"},
        ],
    )
    rows = run(extracts, RE_REFERRALS, "2015-05").drill_down(RE_REFERRALS, "a1", "2015-05")
    # by hand, May 2015 year to date (from 1 April): r2 follows r1 by exactly 12 months (in);
    # r3 is c2's first referral; r5 follows r4 by 12 months and a day (out)
    columns = ["record_id", "in_numerator", "referral_date", "previous_referral_date", "reason"]
    assert _shown(rows, columns) == [
        ["r2", True, pd.Timestamp("2015-05-10"), pd.Timestamp("2014-05-10"),
         "an earlier referral of the child within 12 months"],
        ["r3", False, pd.Timestamp("2015-04-20"), None, "no earlier referral of the child"],
        ["r5", False, pd.Timestamp("2015-04-02"), pd.Timestamp("2014-04-01"),
         "the child's previous referral was over 12 months before"],
    ]  # fmt: skip
    assert list(rows.columns[:7]) == ["record_id", "child_id", "team", "numerator",
                                      "denominator", "in_numerator", "reason"]  # fmt: skip


def test_assessments_show_start_authorisation_working_days_and_why() -> None:
    extracts = build(
        children=[{"child_id": "c1", "date_of_birth": "2010-01-01"}],
        assessments=[
            {"assessment_id": a, "child_id": "c1", "team": "A1", "start_date": start,
             "authorised_date": authorised}
            for a, start, authorised in [("a1", "2015-05-11", "2015-05-18"),
                                         ("a2", "2015-03-02", "2015-05-29")]
        ],
    )  # fmt: skip
    indicator = "assessments_within_45_wd"
    rows = run(extracts, indicator, "2015-05").drill_down(indicator, "North", "2015-05")
    # by hand: a1 Monday to the next Monday, 5 working days (in time). a2: working days after
    # Mon 2 March to Fri 29 May 2015: March 3-31 = 21; April = 22 weekdays less Good Friday (3rd)
    # and Easter Monday (6th) = 20; May 1-29 = 21 weekdays less the bank holidays of 4 and 25
    # May = 19; 21 + 20 + 19 = 60 > 45 (out)
    columns = ["record_id", "in_numerator", "start_date", "authorised_date", "working_days",
               "reason"]  # fmt: skip
    assert _shown(rows, columns) == [
        ["a1", True, pd.Timestamp("2015-05-11"), pd.Timestamp("2015-05-18"), 5,
         "authorised within 45 working days of the start"],
        ["a2", False, pd.Timestamp("2015-03-02"), pd.Timestamp("2015-05-29"), 60,
         "authorised more than 45 working days after the start"],
    ]  # fmt: skip


def test_three_placements_show_the_window_the_count_and_why() -> None:
    from tests.measures.test_children_in_care import TestThreePlacements

    indicator = "cic_3_placements_12m"
    computed = run(TestThreePlacements.extracts, indicator, "2015-05")
    rows = computed.drill_down(indicator, "C1", "2015-05")
    # by hand (tests/measures/test_children_in_care.py): snapshot Fri 29 May 2015, window from
    # 29 May 2014; c1 had 2 placements open in it (out), c2 had 3 (in)
    columns = ["record_id", "in_numerator", "snapshot_date", "window_start",
               "placements_in_window", "reason"]  # fmt: skip
    may, window = pd.Timestamp("2015-05-29"), pd.Timestamp("2014-05-29")
    assert _shown(rows, columns) == [
        ["c1", False, may, window, 2, "fewer than 3 placements in the 12 months to the snapshot date"],
        ["c2", True, may, window, 3, "3 or more placements in the 12 months to the snapshot date"],
    ]  # fmt: skip


def test_measures_without_reasons_have_an_empty_reason_column(monkeypatch) -> None:
    from dataclasses import replace

    from scorecard.measures import base
    from tests.measures.test_staffing import TestCaseloads

    # a measure added without reasons: here the caseload measure made to build its plain rows even
    # for a drill-down (no reason, no columns of its own)
    found = base.registered_measures()["caseload_cic"]
    plain = replace(found, function=lambda inp: found.function(replace(inp, detail=False)))
    monkeypatch.setitem(base._MEASURES, "caseload_cic", plain)
    computed = run(TestCaseloads.extracts, "caseload_cic", "2015-05")
    rows = computed.drill_down("caseload_cic", COUNTY, "2015-05")
    assert len(rows) and rows["reason"].isna().all()
    assert list(rows.columns) == ["record_id", "child_id", "team", "numerator", "denominator",
                                  "in_numerator", "reason"]  # fmt: skip


def test_the_detail_does_not_change_what_is_summed() -> None:
    """The rows built for a drill-down (``detail=True``) are the computation's rows plus columns:
    same records, months, teams, numerators and denominators, for each measure that adds some."""
    from scorecard.extracts import validate_extracts
    from scorecard.measures.base import RECORD_COLUMNS, MeasureInput, registered_measures
    from scorecard.registry import load_registry
    from scorecard.synth import generate

    extracts = validate_extracts(generate(scale=0.02, seed=3, last_month="2015-05"))
    registry, measures = load_registry(), registered_measures()
    months = pd.period_range("2014-05", "2015-05", freq="M")
    for indicator in [RE_REFERRALS, "assessments_within_45_wd", "cic_3_placements_12m"]:
        function = measures[registry[indicator].measure_id].function
        plain = function(MeasureInput(extracts, months, registry[indicator]))
        detail = function(MeasureInput(extracts, months, registry[indicator], detail=True))
        assert len(plain) > 100, indicator  # something to compare
        assert list(plain.columns) == RECORD_COLUMNS  # nothing more while computing
        pd.testing.assert_frame_equal(detail[RECORD_COLUMNS], plain, obj=indicator)
        assert "reason" in detail.columns and detail["reason"].notna().all()

"""The drill-down by ref, id or title and the messages an analyst reads in a notebook, word for
word (mutation testing of ``scorecard/measures/compute.py``).

Everything here is built by hand: a registry of four indicators (only the attributes
``find_indicator`` reads: ``id``, ``ref``, ``title``, ``measure_id``), listed out of ref order, and a
:class:`Computation` whose results and record rows are small frames typed in below. Teams: A1 and
C1 in North, A2 in South, F county-wide; county "Shire" (``tests/measures/builders.py``).
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from scorecard.measures.aggregate import unit_table
from scorecard.measures.compute import (
    Computation,
    NotComputedError,
    UnknownNameError,
    _check_rows,
    _fold,
    find_indicator,
    find_unit,
)
from tests.measures.builders import COUNTY, ORGANISATION

M = pd.Period


def _indicator(ref: int, id: str, title: str, measure_id: str) -> SimpleNamespace:
    return SimpleNamespace(ref=ref, id=id, title=title, measure_id=measure_id)


# refs 7, 3, 12, 20 (not in order): the lowest is 3, the highest 20
REGISTRY = [
    _indicator(7, "re_referrals_12m", "Re-referrals within 12 months", "re_referrals_12m"),
    _indicator(3, "caseload_cic", "Caseload of children in care workers", "caseload"),
    _indicator(12, "caseload_afs", "Caseload of assessment workers", "caseload"),
    _indicator(20, "cp_review", "Child protection reviews in time", "cp_reviews"),
]
UNITS = unit_table(ORGANISATION, COUNTY)


# --- the errors as a notebook shows them ---------------------------------------------------------


@pytest.mark.parametrize("error", [UnknownNameError, NotComputedError])
def test_the_errors_read_as_their_message(error) -> None:
    # a KeyError would show repr(message), quotes included; these show the message as written
    assert str(error("no unit named 'East'")) == "no unit named 'East'"
    # and, like a KeyError without arguments, nothing at all when raised bare
    assert str(error()) == "" == str(KeyError())


def test_fold_ignores_case_and_runs_of_spaces() -> None:
    # split on any whitespace, joined with one space, case folded
    assert _fold("  Children   IN\tneed ") == "children in need"
    assert _fold(14) == "14"


# --- find_indicator ------------------------------------------------------------------------------


def test_an_unknown_ref_gives_the_range_of_refs() -> None:
    with pytest.raises(UnknownNameError) as caught:
        find_indicator(REGISTRY, 999)  # type: ignore[arg-type]
    # refs sorted: 3, 7, 12, 20: the first and the last
    assert str(caught.value) == "no indicator with ref 999 (refs 3 to 20)"
    with pytest.raises(UnknownNameError) as caught:
        find_indicator(None, 5, known=["re_referrals_12m"])
    assert str(caught.value) == "no indicator with ref 5 (no registry to look it up)"


def test_an_id_in_another_case_is_that_indicator() -> None:
    # the id's own spelling, not its title ("Caseload of ...") nor its measure ("caseload")
    assert find_indicator(REGISTRY, "CASELOAD_CIC") == "caseload_cic"  # type: ignore[arg-type]


def test_a_measure_id_names_its_only_indicator() -> None:
    # cp_review is computed by the measure cp_reviews, and no other indicator is
    assert find_indicator(REGISTRY, " CP_Reviews ") == "cp_review"  # type: ignore[arg-type]


def test_a_measure_of_two_indicators_is_refused_with_both_ids() -> None:
    with pytest.raises(UnknownNameError) as caught:
        find_indicator(REGISTRY, "Caseload")  # type: ignore[arg-type]
    # caseload_cic and caseload_afs (registry order) are both computed by the measure caseload
    assert str(caught.value) == (
        "'Caseload' names 2 indicators: caseload_cic, caseload_afs; give one of their ids"
    )


def test_titles_containing_the_text_are_suggested_with_ref_and_title() -> None:
    """'workers' is in the titles of caseload_cic and caseload_afs (in that order). No name is
    close by difflib's ratio 2*M/T >= 0.6 (M letters matched, T the two lengths added): the
    titles have 29 characters or more, T >= 36 would need M >= 11 of 7 letters;
    re_referrals_12m (T = 23) needs all 7 but has no 'w' or 'k'; the caseload ids (T = 19) need 6
    but have none of 'w', 'k', 'r'; cp_review (T = 16) needs 5 but has none of 'o', 'k', 's'. So
    the suggestions are the two titles containing it, each shown as its id, ref and title."""
    with pytest.raises(UnknownNameError) as caught:
        find_indicator(REGISTRY, "workers")  # type: ignore[arg-type]
    assert str(caught.value) == (
        "no indicator named 'workers'; did you mean "
        "caseload_cic (ref 3: Caseload of children in care workers), "
        "caseload_afs (ref 12: Caseload of assessment workers)?"
    )


def test_without_a_registry_the_known_ids_are_suggested() -> None:
    """'re_referals' (11 letters) against 're_referrals_12m' (16): matching blocks 're_refer' (8)
    and 'als' (3), M = 11, ratio 22/27 = 0.81; against 'cin_seen_28_days' at most a few letters
    in order (ratio well under 0.6). Without a registry the suggestion is the bare id."""
    with pytest.raises(UnknownNameError) as caught:
        find_indicator(None, "re_referals", known=["re_referrals_12m", "cin_seen_28_days"])
    assert str(caught.value) == "no indicator named 're_referals'; did you mean re_referrals_12m?"


def test_nothing_close_says_what_to_give() -> None:
    with pytest.raises(UnknownNameError) as caught:
        find_indicator(REGISTRY, "zzz")  # type: ignore[arg-type]  # no 'z' in any name
    assert str(caught.value) == (
        "no indicator named 'zzz' (give a ref, an id or a title; the registry lists them)"
    )


# --- find_unit -----------------------------------------------------------------------------------

KEY = "abcdefghijklmnopqrst"  # 20 letters
# the first k letters of KEY then 20 - k zeros (no zero in KEY): difflib's matching blocks are the
# k letters, ratio 2k / 40 = k / 20; k = 13 to 19 gives 0.65 to 0.95, all above the 0.6 cutoff
CLOSE = {k: KEY[:k] + "0" * (20 - k) for k in range(13, 20)}


def test_at_most_five_close_units_best_first() -> None:
    with pytest.raises(UnknownNameError) as caught:
        find_unit(list(CLOSE.values()), KEY)  # given worst first
    # seven names are close; the five best (k = 19 down to 15), best first
    shown = ", ".join(repr(CLOSE[k]) for k in (19, 18, 17, 16, 15))
    assert str(caught.value) == f"no unit named {KEY!r}; did you mean {shown}?"


def test_a_unit_is_named_by_text() -> None:
    with pytest.raises(UnknownNameError) as caught:
        find_unit(["North"], 3)
    assert str(caught.value) == "a unit is named by its name (text), not 3"


@pytest.mark.parametrize(
    ("count", "tail"),
    [
        (3, ""),  # all listed
        (12, ""),  # twelve: all listed, nothing more
        (13, " and 1 more"),  # the first twelve, and one more
    ],
)
def test_nothing_close_lists_up_to_twelve_units(count: int, tail: str) -> None:
    names = [f"T{i:02d}" for i in range(1, count + 1)]  # no 'z' in any
    with pytest.raises(UnknownNameError) as caught:
        find_unit(names, "Zzz")
    listed = ", ".join(repr(n) for n in names[:12])
    assert str(caught.value) == f"no unit named 'Zzz'; the units are {listed}{tail}"


# --- Computation.drill_down ----------------------------------------------------------------------

MONTHS = [M("2015-05", "M"), M("2015-03", "M"), M("2015-04", "M")]  # not in order


def _results(notes: dict[str, str | None]) -> pd.DataFrame:
    rows = [(i, u, m, n) for i, n in notes.items() for u in UNITS["unit"].unique() for m in MONTHS]
    frame = pd.DataFrame(rows, columns=["indicator", "unit", "month", "note"])
    frame["note"] = frame["note"].astype("string")
    return frame


def _rows(teams: list[str], **more) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": M("2015-05", "M"),
            "team": teams,
            "record_id": [f"r{i}" for i in range(len(teams))],
            "child_id": [f"c{i}" for i in range(len(teams))],
            "numerator": [1.0] + [0.0] * (len(teams) - 1),
            "denominator": 1.0,
            **more,
        }
    )


@pytest.fixture(scope="module")
def computation() -> Computation:
    results = _results({"re_referrals_12m": None, "caseload_cic": None,
                        "cp_review": "not computable: extract(s) absent: cp_plans"})  # fmt: skip
    records = {
        # reasons as plain objects, with a column of the measure's own
        "re_referrals_12m": _rows(
            ["A2", "A1"],
            reason=pd.Series(["no", "yes"], dtype=object),
            previous_referral_date=pd.NaT,
        ),
        # a measure that gives no reason: the C1 and F records only
        "caseload_cic": _rows(["C1", "F"]),
    }
    return Computation(results, records, UNITS, pd.DataFrame(), REGISTRY)  # type: ignore[arg-type]


def test_drill_down_by_ref_without_reasons(computation: Computation) -> None:
    got = computation.drill_down(3, COUNTY, "2015-05")  # ref 3: caseload_cic
    assert got["record_id"].tolist() == ["r0", "r1"]  # C1's r0, F's r1
    assert list(got.columns) == ["record_id", "child_id", "team", "numerator", "denominator",
                                 "in_numerator", "reason"]  # fmt: skip
    # no reason given: a text column of missing values, as for the measures that give one
    assert str(got["reason"].dtype) == "string" and got["reason"].isna().all()


def test_drill_down_of_a_unit_without_records_is_empty(computation: Computation) -> None:
    # South (team A2) has no caseload_cic record: no row at all
    got = computation.drill_down("caseload_cic", "South", "2015-05")
    assert len(got) == 0
    assert str(got["reason"].dtype) == "string"


def test_the_reason_column_is_text(computation: Computation) -> None:
    got = computation.drill_down("Re-referrals within 12 months", COUNTY, "2015-05")
    # by its title; sorted by team: A1's r1, then A2's r0
    assert got[["record_id", "team", "reason"]].values.tolist() == [
        ["r1", "A1", "yes"], ["r0", "A2", "no"]]  # fmt: skip
    assert str(got["reason"].dtype) == "string"  # text, whatever the measure gave
    assert list(got.columns) == ["record_id", "child_id", "team", "numerator", "denominator",
                                 "in_numerator", "reason", "previous_referral_date"]  # fmt: skip


def test_why_an_indicator_has_no_rows(computation: Computation) -> None:
    with pytest.raises(NotComputedError) as caught:
        computation.drill_down("cp_review", COUNTY, "2015-05")
    assert str(caught.value) == (
        "no record-level rows for 'cp_review': not computable: extract(s) absent: cp_plans"
    )
    # in the registry but not in this run's results: no note to give
    with pytest.raises(NotComputedError) as caught:
        computation.drill_down(12, COUNTY, "2015-05")
    assert str(caught.value) == "no record-level rows for 'caseload_afs': not computed in this run"


def test_a_month_not_computed_gives_the_months_computed(computation: Computation) -> None:
    with pytest.raises(UnknownNameError) as caught:
        computation.drill_down("re_referrals_12m", COUNTY, "2014-01")
    # months computed: March to May 2015 (given May, March, April)
    assert str(caught.value) == "2014-01 was not computed (months 2015-03 to 2015-05)"


def test_a_run_of_no_months(computation: Computation) -> None:
    empty = Computation(computation.results.iloc[:0], computation.records, UNITS, pd.DataFrame(),
                        REGISTRY)  # type: ignore[arg-type]  # fmt: skip
    with pytest.raises(UnknownNameError) as caught:
        empty.drill_down("re_referrals_12m", COUNTY, "2015-05")
    assert str(caught.value) == "2015-05 was not computed (no months)"


# --- the checks of a measure's rows --------------------------------------------------------------


def _bad(teams: list[object], categorical: bool, index: list[int] | None = None) -> pd.DataFrame:
    rows = _rows(["A1"] * len(teams))
    rows["team"] = pd.Series(teams, dtype="category" if categorical else "string")
    if index is not None:
        rows.index = index
    return rows


def test_a_categorical_missing_team_is_refused() -> None:
    # the category codes of A1, missing, A2: -1 is the missing team, in no organisation
    with pytest.raises(ValueError) as caught:
        _check_rows(_bad(["A1", None, "A2"], categorical=True), "ind", UNITS)
    assert str(caught.value) == (
        "ind: 1 record(s) belong to team(s) not in the organisation table ['<missing>'] "
        "(records ['r1'])"
    )


def test_rows_with_their_own_index_are_checked() -> None:
    # a measure's rows need not be numbered from 0: the unknown team Z9 is the row labelled 11
    rows = _bad(["A1", "Z9", "A2"], categorical=True, index=[10, 11, 12])
    with pytest.raises(ValueError) as caught:
        _check_rows(rows, "ind", UNITS)
    assert str(caught.value) == (
        "ind: 1 record(s) belong to team(s) not in the organisation table ['Z9'] (records ['r1'])"
    )


def test_at_most_ten_unknown_teams_are_named() -> None:
    teams = [f"Z{i:02d}" for i in range(11)]  # Z00 to Z10, eleven unknown teams
    with pytest.raises(ValueError) as caught:
        _check_rows(_bad(teams, categorical=False), "ind", UNITS)
    named = [f"Z{i:02d}" for i in range(10)]  # sorted, the first ten
    records = [f"r{i}" for i in range(10)]  # the first ten records
    assert str(caught.value) == (
        f"ind: 11 record(s) belong to team(s) not in the organisation table {named} "
        f"(records {records})"
    )

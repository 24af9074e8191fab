"""The integer-key paths of refs 1, 2, 14 and 32-34 (issue 12, target 5) agree with the pandas
expressions they replace: hand-worked cases, then properties over random extracts (missing values,
ties, empty frames), the old expressions written out here as the oracle."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.calendar.months import add_months
from scorecard.calendar.working_days import working_days_between
from scorecard.measures import care_leavers, child_protection, referrals
from scorecard.measures.base import MeasureInput, Shown, explained, reasons, within_periods
from scorecard.measures.care_leavers import latest_in_windows, record_ids
from scorecard.measures.codes import coded_extracts
from scorecard.measures.kernels import previous_event_date, unique_key
from scorecard.registry import load_registry
from tests.conftest import examples
from tests.measures.builders import build

REGISTRY = load_registry()


def _input(extracts, indicator: str, months: list[str], detail: bool = False) -> MeasureInput:
    return MeasureInput(
        coded_extracts(extracts), pd.PeriodIndex(months, freq="M"), REGISTRY[indicator], detail
    )


# --------------------------------------------------------------------------------------------------
# latest_in_windows: the contact that counts


def _stamps(values: list[str | None]) -> pd.Series:
    return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype="datetime64[ns]")


def test_latest_in_windows_by_hand() -> None:
    #        item:   0             1             2             3             4
    groups = np.array([1, 1, 1, 2, 1])
    dates = _stamps(["2015-01-10", "2015-02-01", "2015-02-01", "2015-01-15", None])
    preferred = np.array([True, False, False, True, True])
    ids = pd.DataFrame({"id": ["b", "c", "a", "d", "e"]})  # item 2 ("a") before 1 ("c")
    asked = np.array([1, 1, 1, 2, 2, 3, 1])
    starts = _stamps(["2015-01-01", "2015-01-11", "2015-02-02", "2015-01-15", "2015-01-16",
                      "2015-01-01", None]).to_numpy()  # fmt: skip
    ends = _stamps(["2015-02-01", "2015-02-01", "2015-03-01", "2015-01-15", "2015-02-01",
                    "2015-12-31", "2015-12-31"]).to_numpy()  # fmt: skip
    found = latest_in_windows(groups, dates, preferred, ids["id"], asked, starts, ends)
    # 0: items 0-2 in the window, 0 the only preferred one; 1: 1 and 2, none preferred, the same
    # date: "c" (1) sorts after "a" (2); 2: none from 2 February; 3: item 3 on both bounds;
    # 4: none; 5: no such group; 6: no start (item 4, undated, matches nothing anyway)
    assert found.tolist() == [0, 1, -1, 3, -1, -1, -1]


def test_latest_in_windows_without_items_or_questions() -> None:
    none = np.array([], dtype=np.int64)
    day = _stamps(["2015-01-01"]).to_numpy()
    no_ids = pd.Series([], dtype="str")
    assert latest_in_windows(none, _stamps([]), none.astype(bool), no_ids, np.array([1]), day,
                             day).tolist() == [-1]  # fmt: skip
    assert latest_in_windows(np.array([1]), _stamps(["2015-01-01"]), np.array([True]),
                             pd.Series(["k"]), none, day[:0], day[:0]).tolist() == []  # fmt: skip


DAYS = ["2015-01-01", "2015-01-02", "2015-01-03", "2015-01-05", None]
TIMES = ["2015-01-01 00:00", "2015-01-01 12:00", "2015-01-02 00:00", "2015-01-02 06:00", None]
items = st.lists(  # few groups and dates: many ties of one group on one date
    st.tuples(st.integers(0, 2), st.integers(0, 4), st.booleans(),
              st.one_of(st.none(), st.sampled_from("abcdef"))),
    max_size=12,
)  # fmt: skip
questions = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4), st.integers(0, 4)),
                     max_size=8)  # fmt: skip


def _pandas_choice(item_frame: pd.DataFrame, asked: pd.DataFrame) -> np.ndarray:
    """The expression replaced (``_joined_birthday_contacts``): pair (the questions with the
    items), filter, sort, keep the last."""
    pairs = asked.reset_index(names="q").merge(item_frame.reset_index(names="item"), on="group")
    pairs = pairs[(pairs["date"] >= pairs["start"]) & (pairs["date"] <= pairs["end"])]
    chosen = pairs.sort_values(["preferred", "date", "id"]).drop_duplicates("q", keep="last")
    found = pd.Series(-1, index=asked.index)
    found[chosen["q"].to_numpy()] = chosen["item"].to_numpy()
    return found.to_numpy()


@settings(max_examples=examples(300))
@given(data=items, asked=questions, with_times=st.booleans(),
       offset=st.sampled_from([0, 2**60, 2**62]))  # fmt: skip
def test_latest_in_windows_equals_sort_and_drop_duplicates(
    data: list, asked: list, with_times: bool, offset: int
) -> None:
    days = TIMES if with_times else DAYS
    item_frame = pd.DataFrame(
        {"group": [d[0] for d in data], "date": _stamps([days[d[1]] for d in data]),
         "preferred": [d[2] for d in data], "id": pd.Series([d[3] for d in data], dtype="str")}
    )  # fmt: skip
    ask = pd.DataFrame(
        {"group": [q[0] for q in asked], "start": _stamps([days[q[1]] for q in asked]),
         "end": _stamps([days[q[2]] for q in asked])}
    )  # fmt: skip
    expected = _pandas_choice(item_frame, ask)
    # large groups: group x date x item beyond an int64 (2**60: two-key sort); group x date too
    # (2**62: groups renumbered)
    found = latest_in_windows(
        item_frame["group"].to_numpy(np.int64) + offset, item_frame["date"],
        item_frame["preferred"].to_numpy(bool), item_frame["id"],
        ask["group"].to_numpy(np.int64) + offset, ask["start"].to_numpy(), ask["end"].to_numpy(),
    )  # fmt: skip
    np.testing.assert_array_equal(found, expected)


# --------------------------------------------------------------------------------------------------
# record ids, unique keys, the dates a period can hold


def test_record_ids_by_hand() -> None:
    coded = pd.Series(pd.Categorical(["y2", None, "y1", "y2"], categories=["y1", "y2", "y3"],
                                     ordered=True), index=[5, 6, 7, 8])  # fmt: skip
    found = record_ids(coded, np.array([17, 18, 19, 21]))
    expected = pd.Series(["y2/17", pd.NA, "y1/19", "y2/21"], dtype="string")
    pd.testing.assert_series_equal(found, expected)
    plain = pd.Series(["y2", None], dtype="str")
    pd.testing.assert_series_equal(record_ids(plain, np.array([7, 20])),
                                   pd.Series(["y2/7", pd.NA], dtype="string"))  # fmt: skip
    empty = pd.Series(pd.Categorical([], categories=["y1"]))
    assert record_ids(empty, np.array([], dtype=np.int64)).dtype == "string"


@given(children=st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c/1"])), max_size=8))
def test_record_ids_equal_the_text_expression(children: list) -> None:
    coded = pd.Series(pd.Categorical(children, categories=["a", "b", "c/1", "d"], ordered=True))
    ages = np.arange(len(children), dtype=np.int64) + 16
    expected = coded.astype("string") + "/" + pd.Series(ages).astype(str)
    pd.testing.assert_series_equal(record_ids(coded, ages), expected)


def test_unique_key() -> None:
    dtype = pd.CategoricalDtype(["p1", "p2", "p3"], ordered=True)
    assert unique_key(pd.Series(["p2", "p1"], dtype=dtype))
    assert unique_key(pd.Series([], dtype=dtype))
    assert not unique_key(pd.Series(["p2", "p2"], dtype=dtype))
    assert not unique_key(pd.Series(["p2", None], dtype=dtype))
    assert unique_key(pd.Series(["p2", "p1"], dtype="str"))
    assert not unique_key(pd.Series(["p2", None], dtype="str"))
    assert not unique_key(pd.Series(["p1", "p1"], dtype="str"))


def test_within_periods_by_hand() -> None:
    dates = _stamps(["2014-03-31", "2014-04-01", "2015-06-30", "2015-07-01", None])
    # YTD of May and June 2015: from 1 April 2015; of March 2015: from 1 April 2014
    inp = _input(build(), "re_referrals_12m", ["2015-03", "2015-06"])
    assert within_periods(dates, inp).tolist() == [False, True, True, False, False]
    # R12M of May 2015: from 1 June 2014 to 31 May 2015
    inp = _input(build(), "care_leavers_in_touch", ["2015-05"])
    dates = _stamps(["2014-05-31", "2014-06-01", "2015-05-31", "2015-06-01"])
    assert within_periods(dates, inp).tolist() == [False, True, True, False]
    # as pandas compares: a time of day after the month end's midnight is after it
    dates = _stamps(["2014-05-31 23:59", "2015-05-31 00:00", "2015-05-31 00:01"])
    assert within_periods(dates, inp).tolist() == [False, True, False]
    assert within_periods(dates, _input(build(), "care_leavers_in_touch", [])).tolist() == [
        False, False, False
    ]  # fmt: skip


# --------------------------------------------------------------------------------------------------
# Ref 32-34: the birthdays and contacts, against the joins (kept for extracts with repeated keys)

DOBS = ["1994-05-31", "1995-02-28", "1996-02-29", "1997-06-15", "1998-04-01", None]
CONTACT_DAYS = ["2014-03-01", "2014-06-01", "2014-09-30", "2015-01-31", "2015-02-28",
                "2015-04-30", "2015-05-31", "2015-06-15"]  # fmt: skip
people = st.lists(
    st.tuples(st.integers(0, 5), st.sampled_from(["A1", "C1", "F"]),
              st.sampled_from(["former_relevant", "relevant"]), st.booleans()),
    max_size=6,
)  # fmt: skip
contacts = st.lists(
    st.tuples(st.integers(0, 6), st.integers(0, 7), st.sampled_from(["YES", "NO", "REFU"]),
              st.sampled_from([True, False, None]), st.sampled_from(["F1", "G4", None])),
    max_size=10,
)  # fmt: skip


def _care_leavers(people: list, contact_rows: list):
    children = [{"child_id": f"y{i}", "date_of_birth": DOBS[dob],  # unborn: an expected date
                 "expected_date_of_birth": None if DOBS[dob] else "2016-01-01"}
                for i, (dob, _, _, _) in enumerate(people)]  # fmt: skip
    leavers = [{"child_id": f"y{i}", "team": team, "eligibility": eligibility}
               for i, (_, team, eligibility, leaver) in enumerate(people) if leaver]  # fmt: skip
    found = [{"contact_id": f"k{n}", "child_id": f"y{child}", "contact_date": CONTACT_DAYS[day],
              "in_touch": touch, "accommodation_suitable": suitable, "activity": activity}
             for n, (child, day, touch, suitable, activity) in enumerate(contact_rows)
             if child < len(people) and people[child][3]]  # a leaver's  # fmt: skip
    return build(children=children, care_leavers=leavers, care_leaver_contacts=found)


@settings(max_examples=examples(60), deadline=None)  # validation: slow
@given(people=people, contact_rows=contacts,
       months=st.sampled_from([["2015-05"], ["2014-05", "2015-05", "2015-06"], ["2015-04"]]))  # fmt: skip
def test_birthday_contacts_equal_the_joins(people: list, contact_rows: list, months: list) -> None:
    inp = _input(_care_leavers(people, contact_rows), "care_leavers_in_touch", months)
    fast = care_leavers._birthday_contacts(inp.extracts, inp)
    pd.testing.assert_frame_equal(fast, care_leavers._joined_birthday_contacts(inp))


def test_birthday_contacts_by_hand() -> None:
    extracts = _care_leavers(
        [(0, "A1", "former_relevant", True), (2, "F", "former_relevant", True)],
        [(0, 6, "NO", None, None), (0, 5, "YES", True, "F1"), (1, 4, "YES", False, None)],
    )
    rows = care_leavers._birthday_contacts(*_pair(extracts, ["2015-05"]))
    # The 12 months to May 2015: 2014-06-01..2015-05-31. y0 (born 1994-05-31): 21st birthday
    # 2015-05-31 (the 20th, 2014-05-31, is a day early), window 2015-02-28..2015-06-30 cut at
    # the month end; k0 (31 May, NO) and k1 (30 April, YES) in it: the in-touch one counts.
    # y1 (born 29 February 1996): 19th birthday 2015-02-28, window 2014-11-28..2015-03-28:
    # k2 (28 February 2015, YES). Other birthdays: outside the 12 months.
    assert rows[["record_id", "age", "contact_id", "in_touch"]].values.tolist() == [
        ["y0/21", 21, "k1", "YES"],
        ["y1/19", 19, "k2", "YES"],
    ]


def _pair(extracts, months: list[str]) -> tuple:
    inp = _input(extracts, "care_leavers_in_touch", months)
    return inp.extracts, inp


def test_birthday_contacts_with_repeated_children_take_the_joins() -> None:
    # two children's rows for one child, with different dates of birth (the loader refuses it):
    # the joins pair the leaver with both
    extracts = _care_leavers([(0, "A1", "former_relevant", True)], [(0, 6, "YES", True, "F1")])
    coded = coded_extracts(extracts)
    children = coded.children
    twice = pd.concat([children, children.assign(date_of_birth=pd.Timestamp("1995-05-20"))],
                      ignore_index=True)  # fmt: skip
    inp = MeasureInput(dataclasses.replace(coded, children=twice), pd.PeriodIndex(["2015-05"],
                       freq="M"), REGISTRY["care_leavers_in_touch"])  # fmt: skip
    rows = care_leavers._birthday_contacts(inp.extracts, inp)
    assert rows["record_id"].tolist() == ["y0/21", "y0/20"]  # a birthday from each date of birth


def test_birthday_contacts_with_repeated_contact_ids_equal_the_joins() -> None:
    # contact ids repeated (the loader refuses it): on one date, the later row of a repeated id
    # counts, as in the joins' sort; ids compared only between contacts of one child and date
    people = [(0, "A1", "former_relevant", True), (2, "F", "former_relevant", True)]
    found = [(0, 5, "NO", None, "G4"), (0, 5, "NO", True, "F1"), (0, 5, "NO", False, None),
             (1, 4, "YES", None, "P2"), (1, 4, "NO", True, None)]  # fmt: skip
    coded = coded_extracts(_care_leavers(people, found))
    contacts = coded.care_leaver_contacts
    repeated = contacts.assign(contact_id=contacts["contact_id"].take([1, 1, 0, 3, 3]).to_numpy())
    inp = MeasureInput(dataclasses.replace(coded, care_leaver_contacts=repeated),
                       pd.PeriodIndex(["2015-05"], freq="M"), REGISTRY["care_leavers_in_touch"])  # fmt: skip
    rows = care_leavers._birthday_contacts(inp.extracts, inp)
    pd.testing.assert_frame_equal(rows, care_leavers._joined_birthday_contacts(inp))
    # y0: three NO contacts on 30 April, ids k1, k1, k0: the second k1 (suitable, F1) counts;
    # y1: k3 twice on 28 February, the in-touch one counts
    assert rows[["contact_id", "accommodation_suitable", "activity"]].values.tolist() == [
        ["k1", True, "F1"], ["k3", pd.NA, "P2"]
    ]  # fmt: skip


# --------------------------------------------------------------------------------------------------
# Refs 1, 2 and 14: against the expressions replaced (written out here)


def _old_re_referrals(inp: MeasureInput) -> pd.DataFrame:
    refs = inp.extract("referrals")
    months = int(inp.param("lookback_months"))
    previous = previous_event_date(refs, "child_id", "referral_date")
    repeat = previous.notna() & (previous >= add_months(refs["referral_date"], -months))
    flagged = refs.assign(_repeat=repeat)
    wanted = ["referral_id", "team", "child_id", "referral_date", "_repeat"]

    def why(_: pd.DataFrame):
        return Shown(
            reasons([(repeat, f"an earlier referral of the child within {months} months"),
                     (previous.notna(),
                      f"the child's previous referral was over {months} months before")],
                    "no earlier referral of the child", refs.index),
            {"referral_date": "referral_date", "previous_referral_date": previous},
        )  # fmt: skip

    return explained(inp, flagged, why, record_id="referral_id", numerator="_repeat",
                     date="referral_date", columns=wanted)  # fmt: skip


def _old_assessments(inp: MeasureInput) -> pd.DataFrame:
    limit = int(inp.param("timescale_working_days"))
    assessments = inp.extract("assessments")
    done = assessments[assessments["authorised_date"].notna()]
    days = working_days_between(done["start_date"], done["authorised_date"])
    in_time = (days <= limit).to_numpy(dtype=bool, na_value=False)
    flagged = done.assign(_in_time=in_time)
    wanted = ["assessment_id", "team", "child_id", "authorised_date", "_in_time"]

    def why(_: pd.DataFrame):
        return Shown(
            reasons([(in_time, f"authorised within {limit} working days of the start"),
                     (days.notna(), f"authorised more than {limit} working days after the start")],
                    "no start date: working days unknown", done.index),
            {"start_date": "start_date", "authorised_date": "authorised_date",
             "working_days": days},
        )  # fmt: skip

    return explained(inp, flagged, why, record_id="assessment_id", numerator="_in_time",
                     date="authorised_date", columns=wanted)  # fmt: skip


EVENT_DAYS = ["2013-03-31", "2013-04-01", "2014-03-31", "2014-04-01", "2014-05-02", "2015-03-31",
              "2015-04-01", "2015-05-29", "2015-06-01", None]  # fmt: skip
events = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 9), st.integers(0, 9),
              st.sampled_from(["A1", "A2", "F"])),
    max_size=10,
)  # fmt: skip
#: days from a start to an end (authorisation, plan end): none; around 45 working days; 2 years
LATER = [0, 1, 63, 64, 65, 66, 90, 400, 730, None]


def _later(start: str | None, which: int) -> str | None:
    days = LATER[which]
    return None if days is None else str((pd.Timestamp(start) + pd.Timedelta(days=days)).date())


MONTHS = st.sampled_from([["2015-05"], ["2014-03", "2014-04", "2015-05"], ["2015-06"]])


@settings(max_examples=examples(40), deadline=None)  # validation: slow
@given(rows=events, months=MONTHS, detail=st.booleans())
def test_re_referrals_equal_the_expression_replaced(rows: list, months: list, detail: bool) -> None:
    extracts = build(referrals=[
        {"referral_id": f"r{n}", "child_id": f"c{child}", "team": team,
         "referral_date": EVENT_DAYS[day] or "2015-01-01"}
        for n, (child, day, _, team) in enumerate(rows)])  # fmt: skip
    inp = _input(extracts, "re_referrals_12m", months, detail)
    pd.testing.assert_frame_equal(referrals.re_referrals(inp), _old_re_referrals(inp))


def test_re_referrals_by_hand() -> None:
    # April 2015 (YTD: from 2015-04-01): the earliest referral in the period is on 1 April 2015,
    # so previous referrals are looked for from 2014-04-01 (12 months before, the boundary day
    # counts); the drill-down still shows an older previous referral
    extracts = build(referrals=[
        {"referral_id": r, "child_id": c, "team": "A1", "referral_date": d} for r, c, d in [
            ("r1", "c1", "2014-04-01"), ("r2", "c1", "2015-04-01"),  # repeat: 12 months to the day
            ("r3", "c2", "2014-03-31"), ("r4", "c2", "2015-04-01"),  # 12 months and a day
            ("r5", "c3", "2010-01-01"), ("r6", "c3", "2015-04-02"),  # long before
            ("r7", "c4", "2015-04-30"), ("r8", "c4", "2015-04-30"),  # same day: no previous
        ]])  # fmt: skip
    rows = referrals.re_referrals(_input(extracts, "re_referrals_12m", ["2015-04"], detail=True))
    shown = rows.set_index("record_id")
    assert shown["numerator"].to_dict() == {"r2": 1.0, "r4": 0.0, "r6": 0.0, "r7": 0.0, "r8": 0.0}
    assert shown.loc["r6", "previous_referral_date"] == pd.Timestamp("2010-01-01")
    assert shown.loc["r6", "reason"] == "the child's previous referral was over 12 months before"
    assert shown.loc["r8", "reason"] == "no earlier referral of the child"
    plain = referrals.re_referrals(_input(extracts, "re_referrals_12m", ["2015-04"]))
    assert plain["numerator"].tolist() == [1.0, 0.0, 0.0, 0.0, 0.0]


def _spans(rows: list, id_name: str, prefix: str, default_start: str, end_name: str) -> list[dict]:
    """Records with a start and an end (``_later`` than the start) from ``events`` rows."""
    return [
        {id_name: f"{prefix}{n}", "child_id": f"c{child}", "team": team,
         "start_date": EVENT_DAYS[start] or default_start,
         end_name: _later(EVENT_DAYS[start] or default_start, end)}
        for n, (child, start, end, team) in enumerate(rows)
    ]  # fmt: skip


@settings(max_examples=examples(40), deadline=None)  # validation: slow
@given(rows=events, months=MONTHS, detail=st.booleans())
def test_assessments_equal_the_expression_replaced(rows: list, months: list, detail: bool) -> None:
    extracts = build(assessments=_spans(rows, "assessment_id", "a", "2015-04-02", "authorised_date"))
    inp = _input(extracts, "assessments_within_45_wd", months, detail)
    found = referrals.assessments_within_timescale(inp)
    pd.testing.assert_frame_equal(found, _old_assessments(inp))


@settings(max_examples=examples(60), deadline=None)  # validation: slow
@given(rows=events, months=MONTHS, detail=st.booleans())
def test_cp_repeat_equals_the_joins(rows: list, months: list, detail: bool) -> None:
    extracts = build(cp_plans=_spans(rows, "cp_plan_id", "p", "2014-06-01", "end_date"))
    inp = _input(extracts, "cp_repeat_24_months", months, detail)
    plans = inp.extract("cp_plans")
    expected = child_protection._joined_cp_repeat(inp, plans, 24)
    pd.testing.assert_frame_equal(child_protection.cp_repeat_24_months(inp), expected)


def test_cp_repeat_by_hand() -> None:
    plans = [
        ("p1", "c1", "2012-01-01", "2013-05-01"),  # ends 24 months to the day before p2's start
        ("p2", "c1", "2015-05-01", None),  # repeat (p1)
        ("p3", "c2", "2015-05-02", "2015-05-02"),  # its own end does not count: not a repeat
        ("p4", "c2", "2015-05-02", None),  # p3 ended on its start day: repeat
        ("p5", "c3", "2013-01-01", "2013-05-01"),  # 24 months and a day before p6's start
        ("p6", "c3", "2015-05-02", None),  # not a repeat
    ]
    extracts = build(cp_plans=[{"cp_plan_id": p, "child_id": c, "team": "A1", "start_date": s,
                                "end_date": e} for p, c, s, e in plans])  # fmt: skip
    rows = child_protection.cp_repeat_24_months(_input(extracts, "cp_repeat_24_months",
                                                       ["2015-05"]))  # fmt: skip
    numerators = dict(zip(rows["record_id"], rows["numerator"]))
    assert numerators == {"p2": 1.0, "p3": 0.0, "p4": 1.0, "p6": 0.0}


@pytest.mark.parametrize("detail", [False, True])
def test_cp_repeat_with_a_repeated_plan_id_takes_the_joins(detail: bool) -> None:
    # two rows of one plan id (the loader refuses it): neither counts as the other's earlier plan
    extracts = build(cp_plans=[
        {"cp_plan_id": "p1", "child_id": "c1", "team": "A1", "start_date": "2015-04-01",
         "end_date": "2015-04-10"},
        {"cp_plan_id": "p2", "child_id": "c1", "team": "A1", "start_date": "2015-05-01"}])  # fmt: skip
    inp = _input(extracts, "cp_repeat_24_months", ["2015-05"], detail)
    plans = inp.extract("cp_plans")
    twice = plans.assign(cp_plan_id=plans["cp_plan_id"].iloc[[1, 1]].array)
    inp = dataclasses.replace(inp, extracts=dataclasses.replace(inp.extracts, cp_plans=twice))
    rows = child_protection.cp_repeat_24_months(inp)
    assert rows["numerator"].tolist() == [0.0, 0.0]

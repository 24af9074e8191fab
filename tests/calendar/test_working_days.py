"""Tests for scorecard.calendar.working_days.

Every expected value is literal and was worked out by hand against a printed calendar (Python's
``calendar.month``); the reasoning is in the comment next to it. "WD" = working day.
"""

from __future__ import annotations

import doctest
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scorecard.calendar.working_days as wd_module
from scorecard.calendar.working_days import (
    HOLIDAY_YEARS,
    add_working_days,
    add_working_days_to_date,
    bank_holidays,
    is_working_day,
    month_end,
    month_ends,
    snapshot_date,
    snapshot_dates,
    working_days_between,
    working_days_between_dates,
)
from tests.conftest import examples


def dates(*values: str | None, index: list | None = None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values)), index=index)


def between(start: str | None, end: str | None):
    """working_days_between on one pair, through the Series path."""
    return working_days_between(dates(start), dates(end)).iloc[0]


# --------------------------------------------------------------------------------------------------
# Bank holidays
# --------------------------------------------------------------------------------------------------


def test_bank_holidays_2015_are_the_eight_england_and_wales_days():
    # gov.uk 2015: New Year Thu 1 Jan, Good Friday 3 Apr, Easter Monday 6 Apr, Early May Mon 4 May,
    # Spring Mon 25 May, Summer Mon 31 Aug, Christmas Fri 25 Dec, Boxing Day substitute Mon 28 Dec
    # (26 Dec 2015 is a Saturday, so it is not listed: only weekdays are).
    assert [str(d) for d in bank_holidays(2015, 2015)] == [
        "2015-01-01",
        "2015-04-03",
        "2015-04-06",
        "2015-05-04",
        "2015-05-25",
        "2015-08-31",
        "2015-12-25",
        "2015-12-28",
    ]


@pytest.mark.parametrize(
    "day",
    [
        "2012-06-04",  # Spring bank holiday moved to Mon 4 June for the Diamond Jubilee
        "2012-06-05",  # Diamond Jubilee (Tue)
        "2022-06-03",  # Platinum Jubilee (Fri)
        "2022-09-19",  # State funeral of Queen Elizabeth II (Mon)
        "2023-05-08",  # Coronation of Charles III (Mon)
        "2021-12-27",  # Christmas Day substitute (25 Dec 2021 was a Saturday)
        "2021-12-28",  # Boxing Day substitute (26 Dec 2021 was a Sunday)
        "2022-01-03",  # New Year substitute (1 Jan 2022 was a Saturday)
    ],
)
def test_bank_holidays_include_one_off_and_substitute_days(day):
    assert np.datetime64(day, "D") in bank_holidays(2012, 2023)


def test_bank_holidays_exclude_days_that_are_not_bank_holidays():
    holidays_2012 = bank_holidays(2012, 2012)
    # In 2012 the spring bank holiday moved from the last Monday of May (28 May) to 4 June.
    assert np.datetime64("2012-05-28", "D") not in holidays_2012
    # 26 Dec 2015 is a Saturday (Boxing Day); its substitute is Monday 28 Dec.
    assert np.datetime64("2015-12-26", "D") not in bank_holidays(2015, 2015)


def test_bank_holidays_are_cached_read_only_and_span_the_requested_years():
    first = bank_holidays(2014, 2016)
    assert first is bank_holidays(2014, 2016)  # cached
    assert not first.flags.writeable
    assert first.dtype == np.dtype("datetime64[D]")
    assert str(first.min()) == "2014-01-01"  # New Year's Day 2014 was a Wednesday
    # 25 Dec 2016 was a Sunday: Boxing Day Mon 26, Christmas substitute Tue 27.
    assert str(first.max()) == "2016-12-27"
    with pytest.raises(ValueError):
        bank_holidays(2016, 2015)


def test_supported_years_cover_the_data():
    assert HOLIDAY_YEARS[0] <= 2000 and HOLIDAY_YEARS[1] >= 2040


# --------------------------------------------------------------------------------------------------
# working_days_between
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Same day: the interval (d, d] is empty.
        ("2015-05-13", "2015-05-13", 0),
        # Mon 11 May 2015 -> Mon 18 May: Tue 12, Wed 13, Thu 14, Fri 15, Mon 18.
        ("2015-05-11", "2015-05-18", 5),
        # Fri 15 May -> Mon 18 May: the weekend does not count, Mon 18 does.
        ("2015-05-15", "2015-05-18", 1),
        # Christmas 2015: Thu 24 Dec -> Thu 31 Dec. Fri 25 (Christmas), Sat 26, Sun 27 and Mon 28
        # (Boxing Day substitute) are not WDs; Tue 29, Wed 30, Thu 31 are.
        ("2015-12-24", "2015-12-31", 3),
        # Wed 23 Dec 2015 -> Mon 4 Jan 2016: Thu 24, Tue 29, Wed 30, Thu 31, Mon 4 Jan
        # (Fri 25 Dec, Mon 28 Dec and Fri 1 Jan are bank holidays).
        ("2015-12-23", "2016-01-04", 5),
        # Easter 2015: Thu 2 Apr -> Tue 7 Apr. Good Friday 3, Sat 4, Sun 5, Easter Monday 6 are not
        # WDs; only Tue 7 counts.
        ("2015-04-02", "2015-04-07", 1),
        # Thu 2 Apr -> Thu 9 Apr 2015: Tue 7, Wed 8, Thu 9 (a plain week would give 5).
        ("2015-04-02", "2015-04-09", 3),
        # State funeral: Fri 16 Sep 2022 -> Tue 20 Sep. Mon 19 is a bank holiday; Tue 20 counts.
        ("2022-09-16", "2022-09-20", 1),
        # Coronation: Fri 5 May 2023 -> Tue 9 May. Mon 8 is a bank holiday; Tue 9 counts.
        ("2023-05-05", "2023-05-09", 1),
        # Diamond Jubilee: Fri 1 Jun 2012 -> Wed 6 Jun. Mon 4 and Tue 5 are bank holidays.
        ("2012-06-01", "2012-06-06", 1),
        # Start on a weekend: Sat 16 May 2015 -> Sun 17 May: no WD in (Sat, Sun].
        ("2015-05-16", "2015-05-17", 0),
        # Sat 16 May -> Mon 18 May: Mon 18 only.
        ("2015-05-16", "2015-05-18", 1),
        # Sat 16 May -> Fri 22 May: Mon 18 .. Fri 22.
        ("2015-05-16", "2015-05-22", 5),
        # Start on a bank holiday: Mon 25 May 2015 (spring) -> Fri 29 May: Tue 26 .. Fri 29.
        ("2015-05-25", "2015-05-29", 4),
        # End on a bank holiday: Fri 22 May -> Mon 25 May 2015: no WD.
        ("2015-05-22", "2015-05-25", 0),
    ],
)
def test_working_days_between_hand_worked(start, end, expected):
    assert between(start, end) == expected


def test_45_and_46_working_days_from_1_april_2015():
    # Counting WDs after Wed 1 Apr 2015:
    #   Apr: Thu 2 (1); Fri 3 Good Friday, Mon 6 Easter Monday skipped; Tue 7-Fri 10 (2-5);
    #        13-17 (6-10); 20-24 (11-15); Mon 27-Thu 30 (16-19)
    #   May: Fri 1 (20); Mon 4 May Day skipped; Tue 5-Fri 8 (21-24); 11-15 (25-29); 18-22 (30-34);
    #        Mon 25 spring bank holiday skipped; Tue 26-Fri 29 (35-38)
    #   Jun: Mon 1-Fri 5 (39-43); Mon 8 (44); Tue 9 (45); Wed 10 (46)
    start = dates("2015-04-01", "2015-04-01", "2015-04-01")
    end = dates("2015-06-08", "2015-06-09", "2015-06-10")
    assert working_days_between(start, end).tolist() == [44, 45, 46]
    assert add_working_days(dates("2015-04-01"), 45).iloc[0] == pd.Timestamp("2015-06-09")
    assert add_working_days(dates("2015-04-01"), 46).iloc[0] == pd.Timestamp("2015-06-10")


def test_end_before_start_is_the_negative_mirror():
    # Mon 18 May -> Mon 11 May 2015: minus the 5 WDs in (11 May, 18 May].
    assert between("2015-05-18", "2015-05-11") == -5
    # Thu 31 Dec -> Thu 24 Dec 2015: minus Tue 29, Wed 30, Thu 31.
    assert between("2015-12-31", "2015-12-24") == -3
    # Sun 17 -> Sat 16 May 2015: (Sat, Sun] holds no WD, so 0 (not -1).
    assert between("2015-05-17", "2015-05-16") == 0


def test_missing_dates_give_missing_counts():
    start = dates("2015-05-11", None, None, "2015-05-11", index=["a", "b", "c", "d"])
    end = dates(None, "2015-05-18", None, "2015-05-18", index=["a", "b", "c", "d"])
    result = working_days_between(start, end)
    assert str(result.dtype) == "Int64"
    assert result.isna().tolist() == [True, True, True, False]
    assert result["d"] == 5  # Mon 11 -> Mon 18 May 2015


def test_result_keeps_a_non_default_index():
    index = pd.Index([30, 10, 20], name="referral_id")
    start = dates("2015-05-11", "2015-05-15", "2015-12-24", index=index)
    end = dates("2015-05-18", "2015-05-18", "2015-12-31", index=index)
    result = working_days_between(start, end)
    assert result.index.equals(index)
    # 5 (Mon->Mon), 1 (Fri->Mon), 3 (Christmas week 2015, see above)
    assert result.to_dict() == {30: 5, 10: 1, 20: 3}


def test_scalar_end_is_broadcast():
    # Snapshot date Fri 29 May 2015 against three starts:
    #   Fri 22 May -> Tue 26, Wed 27, Thu 28, Fri 29 = 4 (Mon 25 is the spring bank holiday)
    #   Fri 29 May -> 0;  Mon 1 Jun (after the snapshot) -> minus the WDs in (29 May, 1 Jun] = -1
    start = dates("2015-05-22", "2015-05-29", "2015-06-01")
    assert working_days_between(start, pd.Timestamp("2015-05-29")).tolist() == [4, 0, -1]
    assert working_days_between("2015-05-22", dates("2015-05-29")).tolist() == [4]


def test_times_of_day_are_ignored():
    # 23:00 on Mon 11 May to 01:00 on Mon 18 May 2015 is still Monday -> Monday = 5.
    start = pd.Series(pd.to_datetime(["2015-05-11 23:00"]))
    end = pd.Series(pd.to_datetime(["2015-05-18 01:00"]))
    assert working_days_between(start, end).tolist() == [5]


def test_dates_given_as_python_dates_or_strings():
    # Object Series of datetime.date and of ISO strings are read as dates: Mon -> Mon = 5.
    start = pd.Series([date(2015, 5, 11)], dtype=object)
    end = pd.Series(["2015-05-18"])
    assert working_days_between(start, end).tolist() == [5]


def test_misaligned_series_are_rejected():
    start = dates("2015-05-11", index=["a"])
    end = dates("2015-05-18", index=["b"])
    with pytest.raises(ValueError, match="same index"):
        working_days_between(start, end)


def test_numbers_are_not_dates():
    with pytest.raises(TypeError):
        working_days_between(pd.Series([20150511]), pd.Series([20150518]))


def test_scalar_wrappers():
    assert working_days_between_dates("2015-05-11", "2015-05-18") == 5  # Mon -> next Mon
    assert working_days_between_dates(date(2015, 12, 24), date(2015, 12, 31)) == 3  # see above
    assert working_days_between_dates(None, "2015-05-18") is pd.NA
    assert add_working_days_to_date("2015-04-01", 45) == pd.Timestamp("2015-06-09")  # see above
    assert add_working_days_to_date(pd.NaT, 45) is pd.NaT


def test_empty_series():
    empty = pd.Series([], dtype="datetime64[us]")
    assert working_days_between(empty, empty).empty
    assert add_working_days(empty, 3).empty
    assert snapshot_dates(pd.Series([], dtype="period[M]")).empty


# --------------------------------------------------------------------------------------------------
# add_working_days and is_working_day
# --------------------------------------------------------------------------------------------------


def test_add_working_days_hand_worked():
    start = dates(
        "2015-12-24",  # Thu; +1 WD: Fri 25 and Mon 28 Dec are bank holidays -> Tue 29 Dec
        "2015-05-16",  # Sat; +1 WD -> Mon 18 May
        "2015-05-16",  # Sat; +0 -> rolled back to the WD before: Fri 15 May
        "2015-05-13",  # Wed (a WD); +0 -> itself
        "2022-09-16",  # Fri; +1 WD: Mon 19 Sep 2022 is the state funeral -> Tue 20 Sep
        "2015-04-07",  # Tue; -1 WD: Mon 6 (Easter Monday) and Fri 3 (Good Friday) -> Thu 2 Apr
        "2015-05-17",  # Sun; -1 WD: the WD before Fri 15 May is Thu 14 May
        None,
    )
    n = pd.Series([1, 1, 0, 0, 1, -1, -1, 1])
    expected = dates(
        "2015-12-29",
        "2015-05-18",
        "2015-05-15",
        "2015-05-13",
        "2022-09-20",
        "2015-04-02",
        "2015-05-14",
        None,
    )
    pd.testing.assert_series_equal(add_working_days(start, n), expected, check_dtype=False)


def test_add_working_days_keeps_index_name_and_resolution():
    start = pd.Series(
        pd.to_datetime(["2015-05-11", None]).as_unit("s"), index=["x", "y"], name="start"
    )
    result = add_working_days(start, 5)
    assert result.index.tolist() == ["x", "y"] and result.name == "start"
    assert result.dt.unit == "s"
    assert result["x"] == pd.Timestamp("2015-05-18")  # Mon + 5 WDs = next Mon
    assert result.isna().tolist() == [False, True]


def test_add_working_days_rejects_non_integer_n():
    with pytest.raises(TypeError):
        add_working_days(dates("2015-05-11"), 1.5)  # type: ignore[arg-type]


def test_is_working_day():
    days = pd.Series(
        pd.to_datetime(
            [
                "2015-05-15",  # Fri -> True
                "2015-05-16",  # Sat -> False
                "2015-05-25",  # Mon, spring bank holiday -> False
                "2022-09-19",  # Mon, state funeral -> False
                "2015-12-28",  # Mon, Boxing Day substitute -> False
                "2015-12-29",  # Tue -> True
                None,
            ]
        ),
        name="day",
    )
    result = is_working_day(days)
    assert str(result.dtype) == "boolean" and result.name == "day"
    assert result.tolist() == [True, False, False, False, False, True, pd.NA]


# --------------------------------------------------------------------------------------------------
# Month ends and snapshot dates
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("2015-05", "2015-05-29"),  # Sun 31 May 2015 -> Fri 29 May
        ("2015-10", "2015-10-30"),  # Sat 31 Oct 2015 -> Fri 30 Oct
        ("2015-08", "2015-08-28"),  # Mon 31 Aug 2015 is the summer bank holiday -> Fri 28 Aug
        ("2021-05", "2021-05-28"),  # Mon 31 May 2021 is the spring bank holiday -> Fri 28 May
        ("2015-06", "2015-06-30"),  # Tue 30 Jun 2015, an ordinary WD
        ("2020-12", "2020-12-31"),  # Thu 31 Dec 2020 (28 Dec was the Boxing Day substitute)
        ("2022-12", "2022-12-30"),  # Sat 31 Dec 2022 -> Fri 30 Dec
        ("2016-02", "2016-02-29"),  # Mon 29 Feb 2016 (leap year)
    ],
)
def test_snapshot_date(month, expected):
    assert snapshot_date(month) == pd.Timestamp(expected)
    assert snapshot_date(pd.Period(month, freq="M")) == pd.Timestamp(expected)


def test_snapshot_dates_vectorised_with_missing_month_and_index():
    months = pd.Series(
        [pd.Period("2015-05", "M"), pd.NaT, pd.Period("2015-08", "M")],
        index=["may", "none", "aug"],
        dtype="period[M]",
    )
    result = snapshot_dates(months)
    assert result.index.tolist() == ["may", "none", "aug"]
    # As in test_snapshot_date: 29 May 2015 (31st a Sunday), 28 Aug 2015 (31st a bank holiday).
    assert result.tolist()[0] == pd.Timestamp("2015-05-29")
    assert result.isna().tolist() == [False, True, False]
    assert result["aug"] == pd.Timestamp("2015-08-28")
    # Strings are read as months too.
    assert snapshot_dates(pd.Series(["2015-10"])).tolist() == [pd.Timestamp("2015-10-30")]


def test_month_end():
    assert month_end("2016-02") == pd.Timestamp("2016-02-29")  # leap year
    assert month_end("2015-02") == pd.Timestamp("2015-02-28")
    assert month_end(pd.Period("2015-12", "M")) == pd.Timestamp("2015-12-31")
    assert month_end(date(2015, 4, 17)) == pd.Timestamp("2015-04-30")  # a date in the month
    result = month_ends(pd.Series(["2016-02", None, "2015-08"], index=[3, 2, 1]))
    assert result.index.tolist() == [3, 2, 1]
    assert result.tolist()[0] == pd.Timestamp("2016-02-29")
    assert result.isna().tolist() == [False, True, False]
    assert result[1] == pd.Timestamp("2015-08-31")  # calendar end, bank holiday or not


def test_snapshot_date_is_last_working_day_of_every_month_2010_2030():
    # Cross-check against the bank-holiday array by brute force over days (test-only loop).
    holidays = set(bank_holidays(2010, 2030).tolist())
    months = pd.period_range("2010-01", "2030-12", freq="M")
    snaps = snapshot_dates(pd.Series(months))
    for month, snap in zip(months, snaps):
        day = month.end_time.date()
        while day.weekday() >= 5 or day in holidays:
            day -= timedelta(days=1)
        assert snap.date() == day, month


# --------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2005, 1, 1), max_value=date(2035, 12, 31))


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.tuples(DAYS, st.integers(-300, 300)), min_size=1, max_size=40))
def test_add_then_count_round_trips(pairs):
    # For any date (working day or not) and any n: counting back gives n.
    start = pd.Series(pd.to_datetime([d for d, _ in pairs]))
    n = pd.Series([k for _, k in pairs])
    shifted = add_working_days(start, n)
    assert working_days_between(start, shifted).tolist() == n.tolist()
    assert is_working_day(shifted).all()


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.tuples(DAYS, DAYS, DAYS), min_size=1, max_size=40))
def test_counts_are_additive_and_antisymmetric(triples):
    a, b, c = (pd.Series(pd.to_datetime(list(col))) for col in zip(*triples))
    ab, bc, ac = working_days_between(a, b), working_days_between(b, c), working_days_between(a, c)
    assert (ab + bc).tolist() == ac.tolist()
    assert (-working_days_between(b, a)).tolist() == ab.tolist()


@settings(max_examples=examples(40), deadline=None)
@given(st.lists(st.tuples(DAYS, st.integers(0, 60)), min_size=1, max_size=20))
def test_count_matches_brute_force(pairs):
    # Oracle: walk the days one by one (test only) using the bank-holiday list.
    holidays = set(bank_holidays(2005, 2036).tolist())
    start = [d for d, _ in pairs]
    end = [d + timedelta(days=k) for d, k in pairs]
    expected = [
        sum(
            1
            for i in range(1, (e - s).days + 1)
            if (s + timedelta(days=i)).weekday() < 5 and (s + timedelta(days=i)) not in holidays
        )
        for s, e in zip(start, end)
    ]
    result = working_days_between(pd.Series(pd.to_datetime(start)), pd.Series(pd.to_datetime(end)))
    assert result.tolist() == expected


# --------------------------------------------------------------------------------------------------
# Hygiene
# --------------------------------------------------------------------------------------------------


def test_inputs_are_not_mutated():
    start = dates("2015-05-16", None, "2015-12-24", index=["a", "b", "c"])
    end = dates("2015-05-18", "2015-05-18", None, index=["a", "b", "c"])
    n = pd.Series([1, 2, 3], index=["a", "b", "c"])
    months = pd.Series(["2015-05", None, "2015-08"], index=["a", "b", "c"])
    copies = [s.copy(deep=True) for s in (start, end, n, months)]
    working_days_between(start, end)
    add_working_days(start, n)
    is_working_day(start)
    snapshot_dates(months)
    month_ends(months)
    for original, copy in zip((start, end, n, months), copies):
        pd.testing.assert_series_equal(original, copy)


def test_docstring_examples():
    failures, _ = doctest.testmod(wd_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(-40, 40)),
                          st.one_of(st.none(), st.integers(-40, 40))), max_size=30))  # fmt: skip
def test_working_days_between_counted_once_per_pair_as_row_by_row(pairs) -> None:
    """Counted once per distinct pair of dates, the same as numpy's count for each row: the
    working days in (start, end] with the England & Wales holidays, negated when end < start."""
    base = np.datetime64("2015-12-20")  # across Christmas and New Year
    index = pd.RangeIndex(len(pairs)) + 5
    days = [(None if s is None else base + s, None if e is None else base + e) for s, e in pairs]
    start = pd.Series(pd.to_datetime([s for s, _ in days]), index=index)
    end = pd.Series(pd.to_datetime([e for _, e in days]), index=index).astype("datetime64[s]")
    holidays = wd_module.bank_holidays(2015, 2016)
    expected = []
    for s, e in days:
        if s is None or e is None:
            expected.append(pd.NA)
            continue
        lo, hi = min(s, e), max(s, e)
        n = int(np.busday_count(lo + 1, hi + 1, holidays=holidays))
        expected.append(-n if e < s else n)
    got = working_days_between(start, end)
    assert got.tolist() == expected
    assert got.index.equals(index) and str(got.dtype) == "Int64"


def test_working_days_between_the_same_pair_twice_by_hand() -> None:
    # Friday 2 Jan 2015 to Monday 5 Jan: 1; the same pair again; Monday back to Friday: -1
    start = pd.Series(pd.to_datetime(["2015-01-02", "2015-01-02", "2015-01-05", "2015-01-02"]))
    end = pd.Series(pd.to_datetime(["2015-01-05", "2015-01-05", "2015-01-02", None]))
    assert working_days_between(start, end).tolist() == [1, 1, -1, pd.NA]

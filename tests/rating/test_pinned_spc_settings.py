"""SpcSettings pinned: what it accepts at each boundary, what it refuses, and the messages users
read (``scorecard build --spc-baseline`` shows them after its own prefix, exit 2).

The boundaries are those of the module doc and of ``__post_init__``: a baseline of at least 2
points, a regression window of at least 3 months and at least 3 points (a line through 2 points
has no residual, so no interval), run rules of at least 2 points or None, a confidence from 0.5
(included) to 1 (excluded), whole numbers only (a bool is not one, nor is 12.0), a baseline that
may start and end in the same month but not end before it starts.
"""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard.errors import UsageError
from scorecard.rating.spc import SpcSettings

NOT_A_MONTH = "is not a month: write months as YYYY-MM, e.g. '2015-05' (years 1700 to 2199)"


def message(**kwargs: object) -> str:
    with pytest.raises(UsageError) as caught:
        SpcSettings(**kwargs)  # type: ignore[arg-type]
    return str(caught.value)


# --- months ----------------------------------------------------------------------------------------


def test_a_bad_month_is_named_by_the_setting_it_was_given_for() -> None:
    assert (
        message(baseline_start="2015-13") == f"SpcSettings.baseline_start: '2015-13' {NOT_A_MONTH}"
    )
    assert message(baseline_end="2015-4") == f"SpcSettings.baseline_end: '2015-4' {NOT_A_MONTH}"
    assert message(baseline_end=5) == f"SpcSettings.baseline_end: 5 {NOT_A_MONTH}"
    assert message(rebaseline=("2015-04", "x")) == f"SpcSettings.rebaseline: 'x' {NOT_A_MONTH}"


def test_rebaseline_must_be_a_sequence_of_months() -> None:
    said = "SpcSettings.rebaseline: a sequence of months, e.g. ('2015-04',)"
    assert message(rebaseline="2015-04") == said
    assert message(rebaseline=pd.Period("2015-04", freq="M")) == said
    # a sequence is taken, sorted and without repeats
    assert SpcSettings(rebaseline=["2016-01", "2015-04", "2016-01"]).rebaseline_months == (
        pd.Period("2015-04", freq="M"), pd.Period("2016-01", freq="M"),
    )  # fmt: skip


def test_a_baseline_of_one_month_is_allowed_one_ending_before_it_starts_is_not() -> None:
    april = pd.Period("2015-04", freq="M")
    assert SpcSettings(baseline_start="2015-04", baseline_end="2015-04").baseline == (april, april)
    assert message(baseline_start="2015-04", baseline_end="2015-03") == (
        "SpcSettings: the baseline starts (2015-04) after it ends (2015-03)"
    )


def test_a_rebaseline_month_on_or_before_the_baseline_start_is_refused() -> None:
    assert message(baseline_start="2015-04", rebaseline=("2015-04",)) == (
        "SpcSettings: re-baselining month 2015-04 is not after the baseline start 2015-04"
    )
    assert SpcSettings(baseline_start="2015-04", rebaseline=("2015-05",)).rebaseline_months == (
        pd.Period("2015-05", freq="M"),
    )


# --- whole numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "low"), [("min_baseline_points", 2), ("trend_months", 3), ("trend_min_points", 3)]
)
def test_whole_number_settings_at_and_below_their_least_value(name: str, low: int) -> None:
    assert getattr(SpcSettings(**{name: low}), name) == low  # the least value is allowed
    said = f"SpcSettings.{name}: a whole number of at least {low}, not "
    assert message(**{name: low - 1}) == said + str(low - 1)
    assert message(**{name: True}) == said + "True"  # a bool is no whole number
    assert message(**{name: 12.0}) == said + "12.0"  # nor is a float, even a whole one
    assert message(**{name: "12"}) == said + "'12'"


@pytest.mark.parametrize("name", ["shift_points", "trend_points"])
def test_run_rules_take_two_points_or_more_or_none(name: str) -> None:
    assert getattr(SpcSettings(**{name: 2}), name) == 2
    assert getattr(SpcSettings(**{name: None}), name) is None  # the rule switched off
    said = f"SpcSettings.{name}: a whole number of at least 2, or None (rule off), not "
    assert message(**{name: 1}) == said + "1"
    assert message(**{name: True}) == said + "True"
    assert message(**{name: 7.0}) == said + "7.0"


def test_confidence_from_one_half_up_to_but_not_including_one() -> None:
    assert SpcSettings(confidence=0.5).confidence == 0.5
    assert SpcSettings(confidence=0.999).confidence == 0.999
    said = "SpcSettings.confidence: a fraction from 0.5 to 1, not "
    assert message(confidence=1.0) == said + "1.0"  # a 100% interval would be infinite
    assert message(confidence=1.5) == said + "1.5"
    assert message(confidence=0.49) == said + "0.49"
    assert message(confidence=1) == said + "1"  # an int is not a fraction
    assert message(confidence=95.0) == said + "95.0"  # a percentage is not a fraction


# --- the baseline against the months computed ------------------------------------------------------

MONTHS = pd.period_range("2014-05", "2015-05", freq="M")  # the 13 months `build` computes


def refusal(settings: SpcSettings, months: pd.PeriodIndex = MONTHS) -> str:
    with pytest.raises(UsageError) as caught:
        settings.check_months(months)
    return str(caught.value)


def test_a_baseline_open_at_one_end_reads_the_first_or_the_last_month() -> None:
    # from January 2015 to the last month: January to May 2015, 5 months
    assert refusal(SpcSettings(baseline_start="2015-01")) == (
        "the SPC baseline 2015-01 to the last month holds 5 of the months computed "
        "(2014-05 to 2015-05), fewer than the 12 needed for process limits"
    )
    # from the first month to August 2014: May to August 2014, 4 months
    assert refusal(SpcSettings(baseline_end="2014-08")) == (
        "the SPC baseline the first month to 2014-08 holds 4 of the months computed "
        "(2014-05 to 2015-05), fewer than the 12 needed for process limits"
    )
    # both ends given: June to December 2014, 7 months
    assert refusal(SpcSettings(baseline_start="2014-06", baseline_end="2014-12")) == (
        "the SPC baseline 2014-06 to 2014-12 holds 7 of the months computed "
        "(2014-05 to 2015-05), fewer than the 12 needed for process limits"
    )


def test_a_baseline_open_at_one_end_and_long_enough_passes() -> None:
    SpcSettings(baseline_start="2014-06").check_months(MONTHS)  # June 2014 to May 2015: 12
    SpcSettings(baseline_end="2015-04").check_months(MONTHS)  # May 2014 to April 2015: 12
    SpcSettings(baseline_start="2015-05", min_baseline_points=2).check_months(
        pd.period_range("2015-01", "2015-06", freq="M")
    )  # May and June 2015: 2


def test_no_baseline_given_is_never_refused() -> None:
    # without baseline_start or baseline_end, every month is the baseline: the process has no
    # limits while it has too few points, but the months computed are not refused for that
    SpcSettings().check_months(MONTHS[:3])
    SpcSettings(rebaseline=("2014-06",)).check_months(MONTHS[:3])


# --- --spc-baseline FROM:TO ------------------------------------------------------------------------


def test_either_side_of_the_colon_may_be_empty() -> None:
    april, march = pd.Period("2014-04", freq="M"), pd.Period("2015-03", freq="M")
    assert SpcSettings.parse_baseline("2014-04:2015-03").baseline == (april, march)
    assert SpcSettings.parse_baseline("2014-04:").baseline == (april, None)
    assert SpcSettings.parse_baseline(":2015-03").baseline == (None, march)
    assert SpcSettings.parse_baseline(" 2014-04 : 2015-03 ").baseline == (april, march)
    assert SpcSettings.parse_baseline(":").baseline == (None, None)


def test_the_first_colon_splits_from_and_to() -> None:
    # "2014-04:2015-03:" splits at its first colon: FROM 2014-04, TO "2015-03:" (not a month);
    # split at the last, the message would blame FROM "2014-04:2015-03" instead
    with pytest.raises(UsageError) as caught:
        SpcSettings.parse_baseline("2014-04:2015-03:")
    assert str(caught.value) == (
        f"--spc-baseline '2014-04:2015-03:': SpcSettings.baseline_end: '2015-03:' {NOT_A_MONTH}"
    )
    with pytest.raises(UsageError) as caught:
        SpcSettings.parse_baseline("2014-04")
    assert str(caught.value) == "--spc-baseline '2014-04': expected FROM:TO, e.g. 2014-04:2015-03"

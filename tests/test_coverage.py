"""Coverage, partial figures, the outturn month, absent extracts and --strict (scorecard.pipeline).

The folder is the tiny valid set of tests/extracts/conftest.py (VALID_CSV); every expected value
below is worked from it by hand, with the window starts of scorecard.calendar.coverage (see
tests/calendar/test_coverage.py): for May 2015, ref 1 (re_referrals_12m) reads from 1 April 2014,
ref 14 (cp_repeat_24_months) from 1 April 2013, ref 20 (cic_same_placement_2y) from 29 November
2012 (30 months before the snapshot, Friday 29 May 2015); for the outturn month March 2015 they
read from 1 April 2013, 1 April 2012 and 30 September 2012.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from click.testing import CliRunner

import scorecard as sc
from scorecard.cli import main
from scorecard.errors import DataError, UsageError
from scorecard.extracts import ExtractWarning
from scorecard.pipeline import CoverageError, coverage
from tests.extracts.conftest import VALID_CSV, write_folder

MAY = pd.Period("2015-05", "M")
MARCH = pd.Period("2015-03", "M")


def manifest(folder, first="2011-04-01", extraction="2015-05-31"):
    (folder / "manifest.yaml").write_text(
        f"extraction_date: {extraction}\nfirst_date_covered: {first}\n", encoding="utf-8"
    )
    return folder


@pytest.fixture
def tiny(tmp_path):
    return manifest(write_folder(tmp_path / "tiny", VALID_CSV))


def county(card, indicator, month=MAY):
    frame = card.frame
    rows = frame[(frame["unit"] == card.county) & (frame["indicator"] == indicator)]
    return rows[rows["month"] == month].iloc[0]


def cli_said(result) -> str:
    """What the command said: its output, or the library error the CLI let through (the CLI's
    error wrapper, from another branch, turns it into a message and an exit code)."""
    error = "" if isinstance(result.exception, SystemExit | None) else str(result.exception)
    return result.output + error


# -- months --------------------------------------------------------------------------------------


def test_first_month_after_the_last_is_a_usage_error(tiny):
    with pytest.raises(UsageError, match="the first month 2015-05 is after the last month 2015-04"):
        sc.compute_scorecard(tiny, "2015-05", "2015-04")


@pytest.mark.parametrize("month", ["2015", "2015-5", "01/02/2015", "May 15", "2015-13"])
def test_compute_scorecard_refuses_bad_months(tiny, month):
    with pytest.raises(UsageError, match="YYYY-MM"):
        sc.compute_scorecard(tiny, month)


def test_bad_as_of_is_a_usage_error(tiny):
    with pytest.raises(UsageError, match="as_of"):
        sc.compute_scorecard(tiny, "2015-05", as_of="2015-02-30")


# -- the outturn month -----------------------------------------------------------------------------


def test_the_outturn_month_is_computed_but_not_in_the_frame(tiny):
    """Re-referrals (ref 1), county. March 2015 (YTD 1 Apr 2014 - 31 Mar 2015): R3 (2014-06-01),
    no earlier referral of C4 -> 0/1. May 2015 (YTD from 1 Apr 2015): R1 and R2, children C1 and
    C2 with no earlier referral -> 0/2. So May's outturn value is 0.0, from March."""
    card = sc.compute_scorecard(tiny, "2015-05")
    assert card.months.tolist() == [MAY]
    results = card.computation.results
    assert sorted(results["month"].unique()) == [MARCH, MAY]
    march = results[(results["month"] == MARCH) & (results["unit"] == card.county)]
    march = march.set_index("indicator").loc["re_referrals_12m"]
    assert (march["numerator"], march["denominator"]) == (0, 1)
    may = county(card, "re_referrals_12m")
    assert (may["numerator"], may["denominator"]) == (0, 2)
    assert may["outturn_month"] == MARCH and may["outturn_value"] == 0.0
    assert not card.frame["partial"].any() and card.frame["partial_note"].isna().all()


def test_an_outturn_month_asked_for_is_not_added_again(tiny):
    """March 2015 is in 2014/15: its outturn is March 2014 (added); April and May 2015 compare
    with March 2015, which was asked for (kept in the frame, not added twice)."""
    card = sc.compute_scorecard(tiny, "2015-03", "2015-05")
    computed = sorted(card.computation.results["month"].unique())
    assert computed == [MARCH - 12, MARCH, MARCH + 1, MAY]
    assert card.months.tolist() == [MARCH, MARCH + 1, MAY]


# -- coverage ---------------------------------------------------------------------------------------


def test_a_look_back_before_the_first_date_covered_is_refused(tmp_path):
    """First date covered 1 June 2014: for May 2015 refs 1 (from 2014-04-01) and 14 (from
    2013-04-01) reach before it; ref 2 (assessments, YTD from 2015-04-01) does not."""
    folder = manifest(write_folder(tmp_path / "x", VALID_CSV), first="2014-06-01")
    with pytest.raises(CoverageError) as caught:
        sc.compute_scorecard(folder, "2015-05")
    message = str(caught.value)
    assert isinstance(caught.value, DataError)
    assert "2015-05: look-back before the first date covered 2014-06-01" in message
    assert "re_referrals_12m (from 2014-04-01)" in message
    assert "cp_repeat_24_months (from 2013-04-01)" in message
    assert "assessments_within_45_wd" not in message
    assert "--allow-partial" in message


def test_allow_partial_marks_the_rows_and_says_why(tmp_path):
    folder = manifest(write_folder(tmp_path / "x", VALID_CSV), first="2014-06-01")
    card = sc.compute_scorecard(folder, "2015-05", allow_partial=True)
    rows = card.frame[card.frame["indicator"] == "re_referrals_12m"]
    assert rows["partial"].all()  # every unit of the indicator
    note = county(card, "re_referrals_12m")["partial_note"]
    assert note.startswith(
        "look-back from 2014-04-01 starts before the first date covered 2014-06-01"
    )
    assert "outturn 2015-03: look-back from 2013-04-01" in note  # March's own look-back
    assert not county(card, "assessments_within_45_wd")["partial"]
    assert pd.isna(county(card, "assessments_within_45_wd")["partial_note"])
    quality = card.quality[card.quality["section"] == "partial"]
    assert "re_referrals_12m" in quality["check"].tolist()


def test_an_uncovered_outturn_month_is_not_used_unless_allowed(tmp_path):
    """First date covered 29 November 2012: May 2015 is covered for every indicator (ref 20 reads
    from exactly 2012-11-29). Its outturn month March 2015 is not, for ref 14 (from 2012-04-01)
    and ref 20 (from 2012-09-30): their outturn values are left out (no direction from the
    outturn), while ref 1's (from 2013-04-01) is used. Ref 14's March value by hand: CP1 started
    2014-06-25 in the year, with no earlier plan: 0/1 = 0.0."""
    folder = manifest(write_folder(tmp_path / "x", VALID_CSV), first="2012-11-29")
    card = sc.compute_scorecard(folder, "2015-05")
    assert pd.isna(county(card, "cp_repeat_24_months")["outturn_value"])
    assert not county(card, "cp_repeat_24_months")["partial"]
    assert county(card, "re_referrals_12m")["outturn_value"] == 0.0
    allowed = sc.compute_scorecard(folder, "2015-05", allow_partial=True)
    row = county(allowed, "cp_repeat_24_months")
    assert row["outturn_value"] == 0.0 and row["partial"]
    assert row["partial_note"] == (
        "outturn 2015-03: look-back from 2012-04-01 starts before the first date covered 2012-11-29"
    )


def test_a_month_after_the_extraction_date_is_refused(tiny):
    with pytest.raises(CoverageError, match="2015-06 ends after the extraction date 2015-05-31"):
        sc.compute_scorecard(tiny, "2015-05", "2015-06")
    card = sc.compute_scorecard(tiny, "2015-05", "2015-06", allow_partial=True)
    june = card.frame[card.frame["month"] == MAY + 1]
    assert june["partial"].all()
    assert (june["partial_note"] == "2015-06 ends after the extraction date 2015-05-31").all()
    assert not card.frame.loc[card.frame["month"] == MAY, "partial"].any()


def test_without_a_manifest_a_month_after_the_data_is_refused(tmp_path):
    """No manifest: the extraction date is inferred as 31 May 2015 (the latest dating date is
    visit V3, 2015-05-15), so January 2016 is refused although as_of defaults to 31 Jan 2016."""
    folder = write_folder(tmp_path / "x", VALID_CSV)
    with (
        pytest.warns(ExtractWarning, match="inferred"),
        pytest.raises(CoverageError, match="2016-01 ends after the extraction date 2015-05-31"),
    ):
        sc.compute_scorecard(folder, "2016-01")


def test_without_a_manifest_a_short_history_is_marked_partial_not_refused(tmp_path):
    """Inferred first date covered 2014-01-01 (workforce POST1): ref 14 for May 2015 reads from
    2013-04-01, before it: marked partial, as the first date is only a guess."""
    folder = write_folder(tmp_path / "x", VALID_CSV)
    with pytest.warns(ExtractWarning, match="inferred"):
        card = sc.compute_scorecard(folder, "2015-05")
    assert card.manifest is not None and card.manifest.inferred
    row = county(card, "cp_repeat_24_months")
    assert row["partial"] and "(inferred: no manifest.yaml)" in row["partial_note"]
    # ref 1 in May reads from 2014-04-01 (covered), but its outturn March 2015 from 2013-04-01
    assert county(card, "re_referrals_12m")["partial_note"].startswith("outturn 2015-03: ")
    assert not county(card, "assessments_within_45_wd")["partial"]  # from 2015-04 and 2014-04


def test_in_memory_extracts_get_an_inferred_manifest(tmp_path):
    folder = write_folder(tmp_path / "x", VALID_CSV)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = sc.load_extracts(folder)
    from dataclasses import replace

    bare = replace(loaded, manifest=None)
    with pytest.warns(ExtractWarning, match="extracts given in memory"):
        card = sc.compute_scorecard(bare, "2015-05")
    assert card.manifest is not None and card.manifest.inferred


def test_coverage_table_lists_pairs_and_reasons():
    import datetime as dt

    from scorecard.extracts import Manifest

    registry = sc.load_registry()
    declared = Manifest(dt.date(2015, 5, 31), dt.date(2014, 6, 1))
    gaps = coverage(registry, pd.PeriodIndex(["2015-05", "2015-06"], freq="M"), declared,
                    ["re_referrals_12m", "assessments_within_45_wd"])  # fmt: skip
    got = gaps[["indicator", "month", "kind"]].astype(str).values.tolist()
    assert got == [
        ["re_referrals_12m", "2015-05", "look-back"],
        ["re_referrals_12m", "2015-06", "after extraction"],
        ["assessments_within_45_wd", "2015-06", "after extraction"],
    ]
    assert coverage(registry, pd.PeriodIndex(["2015-05"], freq="M"), None).empty


def _coverage_one_by_one(registry, months, manifest, indicators):
    """``coverage`` as it was written before it made one frame: a frame per indicator, joined
    (the reference of the frame, its dtypes and its order)."""
    import numpy as np

    from scorecard.calendar.coverage import indicator_window_starts
    from scorecard.calendar.working_days import month_ends
    from scorecard.pipeline import COVERAGE_COLUMNS

    month = pd.Series(months.sort_values(), name="month")
    late = (month_ends(month) > pd.Timestamp(manifest.extraction_date)).to_numpy()
    parts = []
    for indicator_id in indicators if indicators is not None else registry.ids:
        starts = indicator_window_starts(registry[indicator_id], month)
        early = (starts < pd.Timestamp(manifest.first_date_covered)).to_numpy() & ~late
        parts.append(pd.DataFrame({
            "indicator": indicator_id, "month": month.to_numpy(),
            "window_start": starts.to_numpy(),
            "kind": np.where(late, "after extraction", "look-back"),
        })[late | early])  # fmt: skip
    gaps = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COVERAGE_COLUMNS)
    return gaps[["indicator", "month", "window_start", "kind"]]


@pytest.mark.parametrize("first, extraction", [("2011-04-01", "2015-05-31"),
                                               ("2014-06-01", "2015-02-10")])  # fmt: skip
@pytest.mark.parametrize("indicators", [None, [], ["cp_repeat_24_months", "re_referrals_12m"]])
def test_coverage_is_the_frame_made_indicator_by_indicator(first, extraction, indicators):
    import datetime as dt

    from scorecard.extracts import Manifest

    registry = sc.load_registry()
    declared = Manifest(dt.date.fromisoformat(extraction), dt.date.fromisoformat(first))
    months = pd.period_range("2014-03", "2015-06", freq="M")
    gaps = coverage(registry, months, declared, indicators)
    expected = _coverage_one_by_one(registry, months, declared, indicators)
    pd.testing.assert_frame_equal(gaps.drop(columns=["reason", "month"]),
                                  expected.drop(columns=["month"]))  # fmt: skip
    assert gaps["month"].astype(str).tolist() == expected["month"].astype(str).tolist()
    assert len(gaps) or indicators == [] or first == "2011-04-01"


# -- absent extracts and --strict -------------------------------------------------------------------


def without(tmp_path, *names):
    texts = {k: v for k, v in VALID_CSV.items() if k not in names}
    return manifest(write_folder(tmp_path / "x", texts))


def test_disabled_lists_each_absent_extract_and_its_indicators(tmp_path):
    """visits is needed by refs 6, 9, 10 and 12 (their measures' needs), nothing else."""
    card = sc.compute_scorecard(without(tmp_path, "visits"), "2015-05")
    (item,) = card.disabled
    assert item.extract == "visits" and item.reason == "absent (no file)"
    assert item.indicators == ("cin_seen_28_days", "pf_new_visits_6_weeks",
                               "pf_existing_visits_in_time", "cp_visits_in_time")  # fmt: skip
    assert item.describe(card.registry) == (
        "visits: absent (no file); disables 4 indicator(s): cin_seen_28_days (ref 6), "
        "pf_new_visits_6_weeks (ref 9), pf_existing_visits_in_time (ref 10), "
        "cp_visits_in_time (ref 12)"
    )


def test_the_reason_comes_from_the_quality_rows_of_the_extract(tmp_path):
    """An extract the loader recorded as not read (a quality row for it) gives that reason."""
    from dataclasses import replace

    from scorecard.pipeline import disabled_extracts

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = sc.load_extracts(without(tmp_path, "visits"))
    row = loaded.quality.iloc[:0].copy()
    row.loc[0] = pd.NA
    row.loc[0, ["extract", "action", "detail"]] = [
        "visits", "not read", "visits.xlsx not read: save as CSV UTF-8 or Parquet"
    ]  # fmt: skip
    (item,) = disabled_extracts(replace(loaded, quality=row), sc.load_registry())
    assert item.extract == "visits"
    assert item.reason == "visits.xlsx not read: save as CSV UTF-8 or Parquet"


def test_strict_refuses_an_absent_extract(tmp_path):
    folder = without(tmp_path, "visits", "health_checks")
    with pytest.raises(DataError) as caught:
        sc.compute_scorecard(folder, "2015-05", strict=True)
    message = str(caught.value)
    assert "visits: absent (no file); disables 4 indicator(s)" in message
    assert "health_checks: absent (no file); disables 2 indicator(s): cic_dental_checks (ref 25)" \
        ", cic_health_assessments (ref 26)" in message  # fmt: skip


def test_strict_passes_when_nothing_is_missing(tiny):
    card = sc.compute_scorecard(tiny, "2015-05", strict=True)
    assert card.disabled == ()


# -- the command line -------------------------------------------------------------------------------


def test_compute_command_lists_disabled_indicators_on_stderr(tmp_path):
    folder = without(tmp_path, "visits")
    result = CliRunner().invoke(main, ["compute", "--extracts", str(folder), "--from", "2015-05",
                                       "-o", str(tmp_path / "out.csv")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "not computed: visits: absent (no file); disables 4 indicator(s): " in result.stderr
    written = pd.read_csv(tmp_path / "out.csv")
    assert {"partial", "partial_note"} <= set(written.columns)
    assert set(written["month"]) == {"2015-05"}


def test_compute_command_strict_fails(tmp_path):
    folder = without(tmp_path, "visits")
    result = CliRunner().invoke(
        main, ["compute", "--extracts", str(folder), "--from", "2015-05", "--strict"]
    )
    assert result.exit_code == 1
    assert "visits: absent (no file); disables 4 indicator(s)" in cli_said(result)


def test_build_refuses_a_month_after_the_data(tmp_path):
    folder = write_folder(tmp_path / "tiny", VALID_CSV)  # no manifest: inferred, data end May 2015
    result = CliRunner().invoke(main, ["build", "--extracts", str(folder), "--month", "2016-01",
                                       "--out", str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 1  # build computes 2015-01 to 2016-01: eight months after May
    assert "2015-06 to 2016-01 end after the extraction date 2015-05-31 (inferred" in cli_said(
        result
    )
    out = tmp_path / "out"  # nothing published: at most the build lock of the folder
    assert not out.exists() or [p.name for p in out.iterdir()] == [".lock"]


def test_build_allow_partial_builds_and_says_so(tmp_path):
    folder = manifest(write_folder(tmp_path / "tiny", VALID_CSV), first="2014-06-01")
    result = CliRunner().invoke(main, ["build", "--extracts", str(folder), "--month", "2015-05",
                                       "--out", str(tmp_path / "out"), "--allow-partial"])  # fmt: skip
    assert result.exit_code == 0, cli_said(result)
    assert "indicator-month figure(s) computed over a period the data only partly cover" in (
        result.stderr
    )


@pytest.mark.parametrize("month", ["2015", "2015-5", "01/02/2015", "May 15", "2015-13", "2015-00"])
def test_build_refuses_a_month_not_yyyy_mm(tiny, tmp_path, month):
    result = CliRunner().invoke(main, ["build", "--extracts", str(tiny), "--month", month,
                                       "--out", str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 2 or isinstance(result.exception, UsageError)
    assert f"{month!r} is not a month: write months as YYYY-MM" in cli_said(result)


def test_compute_command_refuses_bad_from_and_to(tiny):
    result = CliRunner().invoke(main, ["compute", "--extracts", str(tiny), "--from", "2015-05",
                                       "--to", "2015-4"])  # fmt: skip
    assert result.exit_code == 2 or isinstance(result.exception, UsageError)
    assert "'2015-4' is not a month" in cli_said(result)


def test_build_bad_as_of_is_a_usage_error(tiny, tmp_path):
    result = CliRunner().invoke(main, ["build", "--extracts", str(tiny), "--month", "2015-05",
                                       "--as-of", "2015-02-30", "--out", str(tmp_path / "o")])  # fmt: skip
    assert result.exit_code == 2 or isinstance(result.exception, UsageError)
    assert "--as-of" in cli_said(result) and "'2015-02-30' is not a calendar date" in cli_said(result)

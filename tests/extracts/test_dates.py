"""Day-first (and month-first) CSV dates: read right when the folder's date format is declared,
refused otherwise, never swapped (issue 14, item 2).

The day-first folder is the small valid set of ``conftest.py`` with every ISO date ``YYYY-MM-DD``
rewritten ``DD/MM/YYYY`` (``2015-05-20`` -> ``20/05/2015``): read with ``DD/MM/YYYY`` it must give
exactly the frames the ISO folder gives, so the expected values are the ISO folder's own dates, not
figures produced by the code under test.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scorecard.errors import UsageError
from scorecard.extracts import ExtractValidationError, Manifest, load_extracts, validate_extracts
from scorecard.extracts.coerce import to_date
from scorecard.extracts.manifest import ManifestError, parse_manifest
from scorecard.extracts.spec import DateFormat
from tests.extracts.conftest import VALID_CSV, frame_of, write_folder

ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def day_first(text: str) -> str:
    return ISO.sub(r"\3/\2/\1", text)


def month_first(text: str) -> str:
    return ISO.sub(r"\2/\3/\1", text)


def load_quietly(folder: Path, **options: object):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no manifest.yaml: inferred (not what is tested here)
        return load_extracts(folder, **options)


@pytest.fixture
def iso_folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "iso", VALID_CSV)


@pytest.fixture
def uk_folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "uk", {n: day_first(t) for n, t in VALID_CSV.items()})


def test_the_day_first_folder_really_is_day_first() -> None:
    """The rewrite leaves no ISO date and has days above 12 (so a month-first reading fails)."""
    texts = {n: day_first(t) for n, t in VALID_CSV.items()}
    assert not any(ISO.search(t) for t in texts.values())
    assert "20/05/2015" in texts["referrals"]  # R2's closure date, 20 May 2015


def test_day_first_folder_read_with_the_option_equals_the_iso_folder(
    iso_folder: Path, uk_folder: Path
) -> None:
    iso = load_quietly(iso_folder)
    uk = load_quietly(uk_folder, date_format="DD/MM/YYYY")
    for name, frame in iso.frames().items():
        pd.testing.assert_frame_equal(uk.get(name), frame, obj=name)
    # by hand: referral R2 was made on 10 April 2015 and closed on 20 May 2015
    r2 = uk.referrals.set_index("referral_id").loc["R2"]
    assert (r2["referral_date"], r2["closure_date"]) == (pd.Timestamp(2015, 4, 10),
                                                         pd.Timestamp(2015, 5, 20))  # fmt: skip


def test_the_option_is_case_blind_and_an_enum_works_too(iso_folder: Path, uk_folder: Path) -> None:
    expected = load_quietly(iso_folder).referrals
    for given in ("dd/mm/yyyy", DateFormat.DAY_FIRST):
        pd.testing.assert_frame_equal(load_quietly(uk_folder, date_format=given).referrals,
                                      expected)  # fmt: skip


def test_day_first_folder_without_the_option_is_refused(uk_folder: Path) -> None:
    with pytest.raises(ExtractValidationError) as info:
        load_quietly(uk_folder)
    failures = info.value.failures
    assert set(failures.loc[failures["extract"] == "referrals", "column"]) >= {
        "referral_date", "closure_date"}  # fmt: skip
    assert "declares its date_format" in str(info.value)


def test_day_first_folder_read_month_first_is_refused_never_swapped(uk_folder: Path) -> None:
    """20/05/2015 has no month 20: the load fails, so 01/04/2015 is never published as 4 January."""
    with pytest.raises(ExtractValidationError) as info:
        load_quietly(uk_folder, date_format="MM/DD/YYYY")
    failures = info.value.failures
    r2 = failures[(failures["extract"] == "referrals") & (failures["column"] == "closure_date")]
    assert r2["line"].tolist() == [3]  # R2, on line 3 (header = line 1)
    assert "its first number is above 12, so not a month" in r2["detail"].iloc[0]


def test_a_month_first_folder_is_read_with_its_option(iso_folder: Path, tmp_path: Path) -> None:
    us = write_folder(tmp_path / "us", {n: month_first(t) for n, t in VALID_CSV.items()})
    expected = load_quietly(iso_folder)
    got = load_quietly(us, date_format="MM/DD/YYYY")
    pd.testing.assert_frame_equal(got.referrals, expected.referrals)
    with pytest.raises(ExtractValidationError):
        load_quietly(us, date_format="DD/MM/YYYY")  # 05/20/2015 has no month 20


def test_the_manifest_declares_the_format(iso_folder: Path, uk_folder: Path) -> None:
    (uk_folder / "manifest.yaml").write_text(
        "extraction_date: 2015-05-31\nfirst_date_covered: 2014-01-01\ndate_format: DD/MM/YYYY\n",
        encoding="utf-8",
    )
    got = load_extracts(uk_folder)
    assert got.manifest is not None and got.manifest.date_format is DateFormat.DAY_FIRST
    pd.testing.assert_frame_equal(got.referrals, load_quietly(iso_folder).referrals)
    assert load_extracts(uk_folder, date_format="DD/MM/YYYY").referrals is not None
    with pytest.raises(UsageError, match="declares date_format DD/MM/YYYY"):
        load_extracts(uk_folder, date_format="MM/DD/YYYY")


def test_an_unknown_format_is_a_usage_error(uk_folder: Path) -> None:
    with pytest.raises(UsageError, match="give one of YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY"):
        load_extracts(uk_folder, date_format="D/M/Y")


def test_iso_dates_are_read_under_every_format(iso_folder: Path) -> None:
    expected = load_quietly(iso_folder)
    for chosen in DateFormat:
        pd.testing.assert_frame_equal(load_quietly(iso_folder, date_format=chosen).referrals,
                                      expected.referrals)  # fmt: skip


def test_in_memory_frames_take_the_option_too() -> None:
    frames = {n: frame_of(day_first(VALID_CSV[n])) for n in ("organisation", "children",
                                                            "referrals")}  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = validate_extracts(frames, date_format="DD/MM/YYYY")
    # C3 was born on 3 March 1997 (1997-03-03 in the ISO set)
    assert got.children.set_index("child_id").loc["C3", "date_of_birth"] == pd.Timestamp(1997, 3, 3)
    with pytest.raises(ExtractValidationError):
        validate_extracts(frames)


@pytest.mark.parametrize(
    ("text", "day_first_date", "month_first_date"),
    [
        ("31/01/2015", "2015-01-31", None),  # no month 31
        ("1/2/2015", "2015-02-01", "2015-01-02"),  # one-digit day and month, as Excel may write
        ("12/11/2014", "2014-11-12", "2014-12-11"),
        ("29/02/2016", "2016-02-29", None),  # 2016 is a leap year
        ("29/02/2015", None, None),  # 2015 is not
        ("31/04/2015", None, None),  # April has 30 days
        ("00/01/2015", None, None),
        ("31/01/15", None, None),  # a two-digit year is never completed
        ("31-01-2015", None, None),  # only slashes
        ("2015-01-31", "2015-01-31", "2015-01-31"),  # ISO: read under every format
    ],
)
def test_to_date_reads_exactly_the_declared_order(
    text: str, day_first_date: str | None, month_first_date: str | None
) -> None:
    values = pd.Series([text, None], dtype="str")
    for chosen, expected in ((DateFormat.DAY_FIRST, day_first_date),
                             (DateFormat.MONTH_FIRST, month_first_date)):  # fmt: skip
        stamps, invalid, _ = to_date(values, chosen)
        if expected is None:
            assert invalid.tolist() == [True, False], (chosen, text)
            assert stamps.isna().all()
        else:
            assert invalid.tolist() == [False, False], (chosen, text)
            assert stamps.iloc[0] == pd.Timestamp(expected)
    # without a declared format only ISO text is a date
    assert to_date(values)[1].tolist() == [not re.fullmatch(r"\d{4}-\d\d-\d\d", text), False]


def test_the_iso_fast_path_is_unchanged() -> None:
    """ISO text gives the same stamps whatever the format (the byte parser runs first)."""
    values = pd.Series(["2015-05-31", "2016-02-29", "2015-02-29", ""], dtype="str")
    stamps, invalid, _ = to_date(values)
    for chosen in DateFormat:
        again, bad, _ = to_date(values, chosen)
        np.testing.assert_array_equal(again.to_numpy(), stamps.to_numpy())
        assert bad.tolist() == invalid.tolist() == [False, False, True, False]


def test_the_manifest_reads_and_writes_the_format() -> None:
    text = ("extraction_date: 2015-05-31\nfirst_date_covered: 2011-04-01\n"
            "authority: Shire\ndate_format: dd/mm/yyyy\n")  # fmt: skip
    manifest = parse_manifest(text)
    assert manifest == Manifest(dt.date(2015, 5, 31), dt.date(2011, 4, 1), authority="Shire",
                                date_format=DateFormat.DAY_FIRST)  # fmt: skip
    assert parse_manifest(manifest.to_yaml()) == manifest
    assert "date_format: DD/MM/YYYY" in manifest.to_yaml()
    with pytest.raises(ManifestError, match="line 3: key 'date_format': 'D/M/Y' is not a date"):
        parse_manifest("extraction_date: 2015-05-31\nfirst_date_covered: 2011-04-01\n"
                       "date_format: D/M/Y\n")  # fmt: skip

"""The bad-input catalogue (docs/bad-input.md), rows 141 onwards: dates written day first or month
first (the folder's date format, issue 14).

Each test builds one case from the small valid set of ``conftest.py`` and checks what happens and
that the catalogue's example message is what the library says (:func:`tests.catalogue.documented`).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from scorecard.errors import UsageError
from scorecard.extracts import load_extracts
from scorecard.extracts.manifest import ManifestError
from tests.catalogue import documented
from tests.extracts.conftest import VALID_CSV
from tests.extracts.test_catalogue import assert_error, folder_of, load_error, texts_for

BASE = ("organisation", "children", "referrals")
#: R2 of the valid set: referred on 10 April 2015, closed on 20 May 2015 (line 3 of referrals.csv)
R2 = "R2,C2,Team A,2015-04-10,2015-05-20"


def day_first_texts() -> dict[str, str]:
    """The valid set with every ISO date written DD/MM/YYYY, as Excel saves it in the UK."""
    return {name: re.sub(r"(\d{4})-(\d{2})-(\d{2})", r"\3/\2/\1", VALID_CSV[name]) for name in BASE}


def test_day_first_dates_without_the_option(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        err = load_error(tmp_path, day_first_texts())
    assert_error(request, err, "referrals", "closure_date", "invalid_date", "line 3")


def test_day_first_dates_read_month_first(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        err = load_error(tmp_path, day_first_texts(), date_format="MM/DD/YYYY")
    # 20/05/2015 (R2's closure) has no month 20; 10/04/2015 (its referral) would be 4 October
    # and is not reported on its own, but nothing is loaded: no date is ever swapped silently
    assert_error(request, err, "referrals", "closure_date", "invalid_date", "line 3")


def test_declared_format_two_digit_year(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    texts = texts_for(BASE, {"referrals": (R2, "R2,C2,Team A,10/04/15,2015-05-20")})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        err = load_error(tmp_path, texts, date_format="DD/MM/YYYY")
    assert_error(request, err, "referrals", "referral_date", "invalid_date", "line 3")


def test_declared_format_not_a_calendar_date(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    texts = texts_for(BASE, {"referrals": (R2, "R2,C2,Team A,31/04/2015,2015-05-20")})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        err = load_error(tmp_path, texts, date_format="DD/MM/YYYY")
    assert_error(request, err, "referrals", "referral_date", "invalid_date", "line 3")


def test_date_format_disagrees_with_manifest(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    folder = folder_of(tmp_path, day_first_texts())
    (folder / "manifest.yaml").write_text(
        "extraction_date: 2015-05-31\nfirst_date_covered: 2014-01-01\ndate_format: DD/MM/YYYY\n",
        encoding="utf-8",
    )
    with pytest.raises(UsageError) as info:
        load_extracts(folder, date_format="MM/DD/YYYY")
    documented(request, str(info.value))


def test_manifest_unknown_date_format(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = folder_of(tmp_path, day_first_texts())
    (folder / "manifest.yaml").write_text(
        "extraction_date: 2015-05-31\nfirst_date_covered: 2014-01-01\ndate_format: UK\n",
        encoding="utf-8",
    )
    with pytest.raises(ManifestError) as info:
        load_extracts(folder)
    documented(request, str(info.value))

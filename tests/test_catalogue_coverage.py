"""Catalogue rows 150-172 (docs/bad-input.md, "Catalogue: periods and coverage"): one test each.

Each test builds the input, checks what happens and that the message quoted in the catalogue is
what the library says (tests.catalogue.documented). The folder is VALID_CSV of
tests/extracts/conftest.py (records from 2014-01-01 to 2015-05-15).
"""

from __future__ import annotations

import os
import warnings

import pandas as pd
import pytest
from click.testing import CliRunner

import scorecard as sc
from scorecard.cli import main
from scorecard.errors import DataError, UsageError
from scorecard.extracts import ExtractWarning, ManifestError, read_manifest
from scorecard.pipeline import CoverageError
from tests.catalogue import documented
from tests.extracts.conftest import VALID_CSV, write_folder

MANIFEST = "extraction_date: 2015-05-31\nfirst_date_covered: {first}\n"


def folder_with(tmp_path, manifest: str | None = MANIFEST.format(first="2011-04-01"), drop=()):
    folder = write_folder(tmp_path / "tiny", {k: v for k, v in VALID_CSV.items() if k not in drop})
    if manifest is not None:
        (folder / "manifest.yaml").write_text(manifest, encoding="utf-8")
    return folder


def said(result) -> str:
    """The command's output, or the library error it let through (another branch wraps the
    CLI's errors into a message and an exit code)."""
    error = "" if isinstance(result.exception, SystemExit | None) else str(result.exception)
    return result.output + error


def usage_failed(result) -> bool:
    return result.exit_code == 2 or isinstance(result.exception, UsageError)


def data_failed(result) -> bool:
    return result.exit_code == 1 and (
        result.exception is None or isinstance(result.exception, SystemExit | DataError)
    )


@pytest.mark.parametrize(
    ("option", "month"),
    [
        pytest.param("--month", "01/02/2015", id="day_month_year"),
        pytest.param("--month", "2015", id="year_only"),
        pytest.param("--from", "May 15", id="words"),
        pytest.param("--to", "2015-5", id="one_digit_month"),
        pytest.param("--month", "2015-13", id="month_13"),
        pytest.param("--month", "2015-00", id="month_00"),
    ],
)
def test_month_not_yyyy_mm(request, tmp_path, option, month):
    folder = folder_with(tmp_path)
    if option == "--month":
        args = ["build", "--extracts", str(folder), "--month", month, "--out", str(tmp_path / "o")]
    elif option == "--from":
        args = ["compute", "--extracts", str(folder), "--from", month]
    else:
        args = ["compute", "--extracts", str(folder), "--from", "2015-04", "--to", month]
    result = CliRunner().invoke(main, args)
    assert usage_failed(result)
    assert not (tmp_path / "o").exists() or [p.name for p in (tmp_path / "o").iterdir()] == [".lock"]
    documented(request, said(result))


def test_results_month_spellings_mixed(request):
    results = pd.DataFrame({"indicator": ["cp_plans_18_months"] * 2, "unit": ["Kent"] * 2,
                            "month": ["2015-05", "2015-5"], "numerator": [47, 50],
                            "denominator": [1276, 1270], "value": [None, None]})  # fmt: skip
    with pytest.raises(sc.ResultsError) as caught:
        sc.rate(results)
    assert isinstance(caught.value, DataError)
    documented(request, str(caught.value))


def test_first_month_after_last(request, tmp_path):
    with pytest.raises(UsageError) as caught:
        sc.compute_scorecard(folder_with(tmp_path), "2015-05", "2015-04")
    documented(request, str(caught.value))


def test_as_of_not_a_date(request, tmp_path):
    args = ["build", "--extracts", str(folder_with(tmp_path)), "--month", "2015-05",
            "--as-of", "2015-02-30", "--out", str(tmp_path / "o")]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert usage_failed(result)
    documented(request, said(result))


def _manifest_error(tmp_path, text: str) -> str:
    folder = folder_with(tmp_path, text)
    with pytest.raises(ManifestError) as caught:
        sc.compute_scorecard(folder, "2015-05")
    message = str(caught.value)
    assert message.startswith(f"{folder / 'manifest.yaml'}: ")  # names the file
    return message


def test_manifest_unknown_key(request, tmp_path):
    text = "extraction_date: 2015-05-31\nfirst_date_covered: 2011-04-01\nsource: CMS\n"
    documented(request, _manifest_error(tmp_path, text + "extracted_by: me\n"))


def test_manifest_missing_key(request, tmp_path):
    documented(request, _manifest_error(tmp_path, "extraction_date: 2015-05-31\n"))


def test_manifest_invalid_date(request, tmp_path):
    text = "extraction_date: 31/05/2015\nfirst_date_covered: 2011-04-01\n"
    documented(request, _manifest_error(tmp_path, text))


def test_manifest_dates_in_wrong_order(request, tmp_path):
    documented(request, _manifest_error(tmp_path, MANIFEST.format(first="2015-06-01")))


def test_manifest_alias(request, tmp_path):
    text = "extraction_date: &d 2015-05-31\nfirst_date_covered: *d\n"
    documented(request, _manifest_error(tmp_path, text))


def test_manifest_not_regular_file(request, tmp_path):
    folder = folder_with(tmp_path, None)
    os.mkfifo(folder / "manifest.yaml")  # reading it would block for ever
    with pytest.raises(ManifestError) as caught:
        sc.compute_scorecard(folder, "2015-05")
    documented(request, str(caught.value))


def test_manifest_link_outside(request, tmp_path):
    folder = folder_with(tmp_path, None)
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text(MANIFEST.format(first="2011-04-01"), encoding="utf-8")
    (folder / "manifest.yaml").symlink_to(elsewhere)
    with pytest.raises(ManifestError) as caught:
        read_manifest(folder)
    documented(request, str(caught.value))


def test_manifest_absent(request, tmp_path):
    """Inferred by hand: latest dating date 2015-05-15 (visit V3) -> 2015-05-31; earliest
    2014-01-01 (workforce POST1 start_date)."""
    with pytest.warns(ExtractWarning) as record:
        card = sc.compute_scorecard(folder_with(tmp_path, None), "2015-05")
    assert card.manifest is not None and card.manifest.inferred
    documented(request, "\n".join(str(w.message) for w in record))


def test_month_after_extraction_date(request, tmp_path):
    args = ["build", "--extracts", str(folder_with(tmp_path)), "--month", "2016-01",
            "--out", str(tmp_path / "o")]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert data_failed(result) or isinstance(result.exception, CoverageError)
    assert not (tmp_path / "o").exists() or [p.name for p in (tmp_path / "o").iterdir()] == [".lock"]
    documented(request, said(result))
    allowed = CliRunner().invoke(main, [*args, "--allow-partial"])
    assert allowed.exit_code == 0, said(allowed)
    card = sc.compute_scorecard(folder_with(tmp_path), "2016-01", allow_partial=True)
    assert card.frame["partial"].all()


def test_month_after_inferred_extraction_date(request, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExtractWarning)
        with pytest.raises(CoverageError) as caught:
            sc.compute_scorecard(folder_with(tmp_path, None), "2016-01")
    documented(request, str(caught.value))


def test_look_back_before_first_date_covered(request, tmp_path):
    folder = folder_with(tmp_path, MANIFEST.format(first="2014-06-01"))
    result = CliRunner().invoke(main, ["compute", "--extracts", str(folder), "--from", "2015-05"])
    assert data_failed(result) or isinstance(result.exception, CoverageError)
    documented(request, said(result))


def test_look_back_allowed_partial(request, tmp_path):
    folder = folder_with(tmp_path, MANIFEST.format(first="2014-06-01"))
    card = sc.compute_scorecard(folder, "2015-05", allow_partial=True)
    rows = card.frame[card.frame["indicator"] == "re_referrals_12m"]
    assert rows["partial"].all()
    documented(request, rows["partial_note"].iloc[0])


def test_absent_extract_listed(request, tmp_path):
    folder = folder_with(tmp_path, drop=("visits",))
    result = CliRunner().invoke(main, ["compute", "--extracts", str(folder), "--from", "2015-05",
                                       "-o", str(tmp_path / "out.csv")])  # fmt: skip
    assert result.exit_code == 0, said(result)
    documented(request, result.stderr)


def test_absent_extract_strict(request, tmp_path):
    folder = folder_with(tmp_path, drop=("visits",))
    result = CliRunner().invoke(main, ["compute", "--extracts", str(folder), "--from", "2015-05",
                                       "--strict"])  # fmt: skip
    assert data_failed(result) or isinstance(result.exception, DataError)
    assert result.exit_code == 1
    assert "visits: absent (no file); disables 4 indicator(s)" in said(result)
    documented(request, said(result))

"""The generator and the bundled data write the folder manifest."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest

from scorecard.bundled import bundled_extracts
from scorecard.extracts import load_extracts, read_manifest
from scorecard.synth import synthetic_manifest
from scorecard.synth.__main__ import main


def test_synthetic_manifest_dates():
    """Last month May 2015 (financial year 2015/16): extracted 31 May 2015; history from 1 April
    four financial years earlier, 2011. Last month March 2016 is still in 2015/16: same start."""
    made = synthetic_manifest(last_month="2015-05", seed=7, scale=0.5)
    assert (made.extraction_date, made.first_date_covered) == (
        dt.date(2015, 5, 31), dt.date(2011, 4, 1))  # fmt: skip
    assert "--seed 7 --scale 0.5 --last-month 2015-05" in (made.source or "")
    march = synthetic_manifest(last_month="2016-03")
    assert (march.extraction_date, march.first_date_covered) == (
        dt.date(2016, 3, 31), dt.date(2011, 4, 1))  # fmt: skip
    assert synthetic_manifest(last_month="2016-04").first_date_covered == dt.date(2012, 4, 1)


def test_cli_writes_the_manifest_and_loading_reads_it(tmp_path):
    out = tmp_path / "synthetic"
    assert main(["--scale", "0.02", "--seed", "5", "--last-month", "2015-02", "--out", str(out),
                 "--quiet"]) == 0  # fmt: skip
    manifest = read_manifest(out)
    assert manifest is not None and not manifest.inferred
    assert (manifest.extraction_date, manifest.first_date_covered) == (
        dt.date(2015, 2, 28), dt.date(2010, 4, 1))  # fmt: skip
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        loaded = load_extracts(out)
    assert loaded.manifest == manifest
    assert not [w for w in record if "manifest" in str(w.message)]


def test_cli_refuses_a_last_month_not_yyyy_mm(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--scale", "0.02", "--last-month", "2015-5", "--out", str(tmp_path)])
    assert "'2015-5' is not a month" in capsys.readouterr().err


def test_bundled_data_has_its_manifest():
    manifest = read_manifest(bundled_extracts())
    assert manifest is not None
    assert (manifest.extraction_date, manifest.first_date_covered) == (
        dt.date(2015, 5, 31), dt.date(2011, 4, 1))  # fmt: skip

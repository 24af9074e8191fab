"""Bad input met on the way to publication (docs/bad-input.md, "Catalogue: publication"): text
that a spreadsheet would run, markup in names, record ids and paths in the data-quality report,
and suppression asked for without the organisation it needs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import scorecard as sc
from scorecard.errors import UsageError
from scorecard.measures.compute import Computation
from scorecard.pipeline import Scorecard
from scorecard.reports import model
from scorecard.reports.build import quality_for_publication, results_for_publication
from scorecard.reports.html import render_html
from scorecard.reports.suppression import SuppressionError
from tests.catalogue import documented

MAY = pd.Period("2015-05", "M")
REGISTRY = sc.load_registry()


def _card(team: str) -> Scorecard:
    """Kent = one area North = one team ``team``: 30/40 re-referrals, the same at every level."""
    frame = pd.DataFrame(
        {
            "indicator": "re_referrals_12m",
            "unit": ["Kent", "North", team],
            "level": ["county", "area", "team"],
            "month": MAY,
            "numerator": 30.0,
            "denominator": 40.0,
            "value": np.nan,
        }
    )
    units = pd.DataFrame(
        {"team": [team] * 3, "unit": ["Kent", "North", team], "level": ["county", "area", "team"]}
    )
    activity = pd.DataFrame(columns=["activity", "label", "unit", "level", "month", "count"])
    return Scorecard(
        sc.rate(frame, REGISTRY), Computation(frame, {}, units, activity), REGISTRY, "Kent"
    )


def test_unit_named_like_a_formula(request: pytest.FixtureRequest) -> None:
    published = results_for_publication(_card("=1+2"), None)
    assert published["unit"].tolist() == ["Kent", "North", "'=1+2"]
    documented(request, published.to_csv(index=False))


def test_unit_named_with_markup(request: pytest.FixtureRequest) -> None:
    page = render_html(_card("<script>alert(1)</script>"), MAY)
    assert "<script>alert(1)</script>" not in page
    documented(request, page)


def test_record_ids_and_paths_in_the_quality_report(request: pytest.FixtureRequest) -> None:
    quality = pd.DataFrame(
        {
            "section": ["loaded", "excluded"],
            "extract": ["referrals", "referrals"],
            "rows": [120, 2],
            "detail": [
                "120 rows loaded from /home/analyst/extracts/referrals.csv",
                "dated after the extraction date; e.g. line 4 [child_id=C0005]",
            ],
        }
    )
    text = quality_for_publication(quality).to_csv(index=False)
    assert "C0005" not in text and "/home" not in text and "line 4" not in text
    documented(request, text)


def test_suppression_without_the_organisation(request: pytest.FixtureRequest) -> None:
    card = _card("North AIT")
    with pytest.raises(SuppressionError) as raised:
        model.suppress_small_counts(card.frame, 5)
    assert isinstance(raised.value, UsageError)  # exit code 2 from the command line
    documented(request, str(raised.value))

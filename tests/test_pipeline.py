"""From a folder of extracts to a rated scorecard: Python API and `scorecard compute`."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

import scorecard as sc
from scorecard.cli import main
from scorecard.extracts import write_extracts
from scorecard.registry import load_registry
from tests.measures.builders import build


@pytest.fixture()
def folder(tmp_path):
    """Referrals only (plus children and organisation): every other extract is absent."""
    extracts = build(
        children=[{"child_id": c, "date_of_birth": "2010-01-01"} for c in ("c1", "c2")],
        referrals=[
            {"referral_id": "r1", "child_id": "c1", "team": "A1", "referral_date": "2014-05-10"},
            {"referral_id": "r2", "child_id": "c1", "team": "A1", "referral_date": "2015-05-10"},
            {"referral_id": "r3", "child_id": "c2", "team": "A2", "referral_date": "2015-04-20"},
        ],
    )
    write_extracts(extracts, tmp_path / "extracts")
    return tmp_path / "extracts"


def test_compute_scorecard_from_a_folder(folder) -> None:
    card = sc.compute_scorecard(folder, "2015-04", "2015-05", county="Shire")
    frame = card.frame
    may = frame[(frame["month"] == pd.Period("2015-05", freq="M")) & (frame["unit"] == "Shire")]
    re_ref = may.set_index("indicator").loc["re_referrals_12m"]
    # by hand: May YTD referrals r2 (re-referral of r1, exactly 12 months) and r3 (first) -> 1/2
    assert (re_ref["numerator"], re_ref["denominator"], re_ref["value"]) == (1, 2, 50.0)
    assert pd.isna(re_ref["rag"])  # 2 referrals: below the minimum denominator of 5
    assert re_ref["rag_note"] == "denominator below the minimum of 5"
    # indicators needing absent extracts are not computable: no value, no RAG, a note saying why
    cp = may.set_index("indicator").loc["cp_plans_18_months"]
    assert pd.isna(cp["value"]) and pd.isna(cp["rag"])
    assert "cp_plans" in cp["note"]
    # assessments are absent too; referral counts exist for every team, area and the county
    assert set(frame["level"]) == {"team", "area", "county"}
    drill = card.drill_down("re_referrals_12m", "Shire", "2015-05")
    assert drill["record_id"].tolist() == ["r2", "r3"]
    assert card.summary_sentence().startswith("As at 31/05/2015, Shire has ")


def test_compute_command(folder, tmp_path) -> None:
    out = tmp_path / "scorecard.csv"
    result = CliRunner().invoke(main, ["compute", "--extracts", str(folder), "--from", "2015-04",
                                       "--to", "2015-05", "--county", "Shire", "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "re_referrals_12m" not in result.output  # computed: no note
    assert "cp_plans_18_months: not computable: extract(s) absent: cp_plans" in result.output
    written = pd.read_csv(out)
    indicators = len(load_registry())  # the bundled registry's count
    assert len(written) == indicators * 2 * (4 + 2 + 1)  # indicators x months x (teams + areas + county)


def test_compute_command_reports_bad_extracts(folder, tmp_path) -> None:
    referrals = folder / "referrals.csv"
    referrals.write_text(referrals.read_text().replace("2015-04-20", "20/04/2015"))
    result = CliRunner().invoke(main, ["compute", "--extracts", str(folder), "--from", "2015-05"])
    assert result.exit_code == 1
    assert "referrals" in result.output and "referral_date" in result.output
    assert "line 4" in result.output

"""Bad-input catalogue, the analysis inputs of issue 13 (docs/bad-input.md rows 230-241): an SPC
baseline that cannot give limits, a comparator table without sources or with unknown rows, and a
population whose age bands do not give the children's ages. Each is refused with a message naming
what is wrong and where; nothing is rated against a comparator, or divided by a population, that
was refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from scorecard.cli import main
from scorecard.measures import compute
from scorecard.registry import load_registry
from scorecard.registry.benchmarks import BENCHMARKS_FILE, BenchmarkError, load_benchmarks
from tests.catalogue import documented
from tests.extracts.conftest import VALID_CSV, write_folder
from tests.measures.builders import COUNTY, build
from tests.measures.registry_2011 import registry_2011

# --- the SPC baseline (scorecard build --spc-baseline) -----------------------------------------


def _build(args: list[str], tmp_path: Path) -> str:
    extracts = write_folder(tmp_path / "extracts", VALID_CSV)
    result = CliRunner().invoke(
        main, ["build", "--extracts", str(extracts), "--out", str(tmp_path / "out"), *args]
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.output.count("Error: ") == 1
    written = sorted(p.name for p in (tmp_path / "out").iterdir()) if (tmp_path / "out").exists() else []
    assert written in ([], [".lock"])  # nothing but the lock of the output folder
    return result.output


@pytest.mark.parametrize(
    "baseline",
    [
        pytest.param("2015-04", id="not_a_range"),
        pytest.param("2015-13:2016-01", id="not_a_month"),
        pytest.param("2015-04:2014-04", id="reversed"),
        pytest.param("2010-01:2010-12", id="outside"),
    ],
)
def test_spc_baseline(request, tmp_path: Path, baseline: str) -> None:
    documented(request, _build(["--month", "2015-05", "--spc-baseline", baseline], tmp_path))


# --- the comparator table (data/benchmarks/comparators.csv) ------------------------------------

HEADER = "indicator,financial_year,comparator,value,unit,publication,table,url,notes\n"
GOOD = "re_referrals_12m,2014-15,england,22.0,percent,SFR 1/2015 Title,A1,https://x,\n"


def _comparators(tmp_path: Path, body: str) -> str:
    path = tmp_path / BENCHMARKS_FILE
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(BenchmarkError) as caught:
        load_benchmarks(path, load_registry())
    return str(caught.value)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(GOOD + "no_such_id,2014-15,england,1,percent,P,,u,\n", id="unknown_indicator"),
        pytest.param(GOOD.replace("SFR 1/2015 Title", ""), id="no_source"),
        pytest.param(GOOD.replace("22.0", "abc"), id="not_a_number"),
        pytest.param(GOOD + GOOD.replace("22.0", "23.0"), id="twice"),
        pytest.param(GOOD.replace("percent", "count"), id="wrong_unit"),
    ],
)
def test_comparator_table(request, tmp_path: Path, body: str) -> None:
    documented(request, _comparators(tmp_path, body))


# --- the population extract (rates per 10,000) ---------------------------------------------------


def _band(unit: str, age_from: int, age_to: int) -> dict:
    return {"unit": unit, "year": 2015, "age_from": age_from, "age_to": age_to, "population": 100}


EPISODE = {"episode_id": "e1", "child_id": "c1", "team": "A1", "start_date": "2015-01-01",
           "legal_status": "C2", "placement_type": "U1"}  # fmt: skip


@pytest.mark.parametrize(
    "bands",
    [
        pytest.param([_band("A1", 0, 4), _band("A1", 6, 17), _band("A2", 0, 17)], id="gap"),
        pytest.param([_band("A1", 0, 19), _band("A2", 0, 17)], id="across_the_ages"),
        pytest.param([_band("A1", 0, 17), _band("North", 0, 17)], id="teams_and_areas"),
    ],
)
def test_population_bands(request, bands: list[dict]) -> None:
    extracts = build(children=[{"child_id": "c1", "date_of_birth": "2010-01-01"}],
                     cic_episodes=[EPISODE], population=bands)  # fmt: skip
    result = compute(extracts, ["2015-05"], registry_2011(), county=COUNTY,
                     indicators=["cic_per_10000"])  # fmt: skip
    notes = result.results["note"].dropna().unique().tolist()
    assert len(notes) == 1 and result.results["value"].isna().all()  # no rate anywhere
    documented(request, notes[0])

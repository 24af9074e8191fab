"""From the national returns to a published scorecard: each fixture imported with `scorecard
import`, then `scorecard build` on the folder. Every indicator that the coverage table says the
source feeds ("yes") is computed: its county row is not "extract absent" and has no note."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from scorecard import cli
from scorecard.importers.coverage import coverage_table
from tests.conftest import SHARED

FIXTURES = SHARED / "fixtures"

#: source -> (import sub-command, its arguments)
SOURCES = {
    "ssda903": ("ssda903", ["ssda903_fake"]),
    "cin_census": ("cin-census", ["cin_census_sample/fake_CIN_data.xml"]),
    "annex_a": ("annex-a", ["annex_a_sample/Annex_A_2024_Jan.xlsx"]),
}


def _last_whole_month(extraction_date: dt.date) -> pd.Period:
    """The last month that ends on or before the extraction date."""
    return (pd.Timestamp(extraction_date) + pd.Timedelta(days=1)).to_period("M") - 1


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_import_then_build_computes_what_the_coverage_table_promises(source, tmp_path):
    if not FIXTURES.is_dir():
        pytest.skip(f"{FIXTURES} not found (../shared beside the checkout)")
    command, inputs = SOURCES[source]
    folder = tmp_path / "extracts"
    args = ["import", command, *(str(FIXTURES / i) for i in inputs), "--authority", "Fakeshire",
            "--out", str(folder)]  # fmt: skip
    imported = CliRunner().invoke(cli.main, args)
    assert imported.exit_code == 0, imported.output
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    month = _last_whole_month(manifest["extraction_date"])
    out = tmp_path / "out"
    built = CliRunner().invoke(cli.main, [
        "build", "--extracts", str(folder), "--month", str(month), "--county", "Fakeshire",
        "--allow-partial", "--out", str(out)])  # fmt: skip
    assert built.exit_code == 0, built.output
    results = pd.read_csv(out / f"scorecard_{month}_results.csv", dtype=str)
    county = results[(results["unit"] == "Fakeshire") & (results["month"] == str(month))]
    table = coverage_table([source])
    promised = set(table.loc[table[source] == "yes", "indicator"])
    assert promised, f"the coverage table promises nothing for {source}"
    rows = county[county["indicator"].isin(promised)]
    assert set(rows["indicator"]) == promised
    not_computed = rows[(rows["state"] == "extract absent") | rows["note"].notna()]
    assert not_computed.empty, not_computed[["indicator", "state", "note"]].to_string()
    # and what the table says the source cannot feed is reported as absent, never as a figure
    missing = set(table.loc[table[source] == "no", "indicator"])
    shown = county[county["indicator"].isin(missing) & county["value"].notna()
                   & (county["state"] != "no data")]  # fmt: skip
    assert shown.empty or (shown["state"] == "extract absent").all(), shown.to_string()

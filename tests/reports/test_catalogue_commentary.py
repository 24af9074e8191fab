"""The bad-input catalogue (docs/bad-input.md), rows 147-153: names in a notebook, output kinds
and the commentary file. Each test checks what happens and that the catalogue's example message
is what the library says (:func:`tests.catalogue.documented`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from scorecard.cli import main
from scorecard.errors import UsageError
from scorecard.measures.compute import UnknownNameError, find_unit
from scorecard.pipeline import Scorecard
from scorecard.registry import load_registry
from scorecard.reports.commentary import CommentaryError, load_commentary
from tests.catalogue import documented
from tests.conftest import REPO

UNITS = ("Kent", "Ashford")


def _commentary_error(tmp_path: Path, rows: str) -> str:
    path = tmp_path / "commentary.csv"
    path.write_text("indicator,unit,month,text\n" + rows, encoding="utf-8")
    with pytest.raises(CommentaryError) as caught:
        load_commentary(path, load_registry(REPO / "indicators.yaml"), UNITS)
    return str(caught.value)


def test_misspelt_indicator_in_a_drill_down(request, card: Scorecard) -> None:
    with pytest.raises(UsageError) as caught:
        card.drill_down("re_referals", "Kent", "2015-05")
    assert isinstance(caught.value, KeyError)
    documented(request, str(caught.value))


def test_misspelt_unit_in_a_drill_down(request, card: Scorecard) -> None:
    with pytest.raises(UnknownNameError) as caught:
        card.drill_down(1, "Nrth", "2015-05")
    assert "no unit named 'Nrth'" in str(caught.value)
    # the drill-down names the unit with find_unit; the example's units are the README's Shire
    with pytest.raises(UnknownNameError) as caught:
        find_unit(["Shire", "North", "South", "North AIT", "South AIT"], "Nrth")
    documented(request, str(caught.value))


def test_unknown_output_format(request, tmp_path: Path) -> None:
    run = CliRunner().invoke(main, ["build", "--formats", "pdf", "--out", str(tmp_path / "o")])
    assert run.exit_code == 2
    assert not (tmp_path / "o").exists()
    documented(request, run.output)


def test_commentary_unknown_indicator(request, tmp_path: Path) -> None:
    documented(request, _commentary_error(tmp_path, "999,Kent,2015-05,x\n"))


def test_commentary_unknown_unit(request, tmp_path: Path) -> None:
    documented(request, _commentary_error(tmp_path, "8,Ashfrod,2015-05,x\n"))


def test_commentary_bad_month(request, tmp_path: Path) -> None:
    documented(request, _commentary_error(tmp_path, "8,Kent,05/2015,x\n"))


def test_commentary_twice(request, tmp_path: Path) -> None:
    rows = "8,Kent,2015-05,x\npf_initial_visit_7_days,KENT,2015-05,y\n"
    documented(request, _commentary_error(tmp_path, rows))

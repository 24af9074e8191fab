"""The commentary file (issue 13 item 5): checked against the registry and the units, every problem
reported at once with file, column and lines."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scorecard.errors import DataError
from scorecard.registry import load_registry
from scorecard.reports.commentary import CommentaryError, load_commentary
from tests.conftest import REPO

UNITS = ("Kent", "Ashford", "Swale CIC")


@pytest.fixture(scope="module")
def registry():  # type: ignore[no-untyped-def]
    return load_registry(REPO / "indicators.yaml")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "commentary.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_ids_refs_and_any_case_of_unit(tmp_path: Path, registry) -> None:
    path = _write(
        tmp_path,
        "indicator,unit,month,text\n"
        "8,kent,2015-05,Two of seven notifications missed the 7 days.\n"
        "cp_repeat_24_months,SWALE cic, 2015-05 ,  Checked by the CP team.  \n",
    )
    frame = load_commentary(path, registry, UNITS)
    assert frame["indicator"].tolist() == ["pf_initial_visit_7_days", "cp_repeat_24_months"]
    assert frame["unit"].tolist() == ["Kent", "Swale CIC"]
    assert frame["month"].tolist() == [pd.Period("2015-05", "M")] * 2
    assert frame["text"].tolist()[1] == "Checked by the CP team."


def test_every_problem_at_once_with_column_and_lines(tmp_path: Path, registry) -> None:
    path = _write(
        tmp_path,
        "indicator,unit,month,text\n"
        "pf_initial_visit_7_day,Kent,2015-05,a\n"  # line 2: misspelt id
        "99,Kent,2015-05,b\n"  # line 3: no such ref
        "8,Ashfrod,2015-05,c\n"  # line 4: misspelt unit
        "8,Kent,05/2015,d\n"  # line 5: month not YYYY-MM
        "8,Kent,2015-06,\n"  # line 6: empty text
        "8,Kent,2015-04,e\n"  # lines 7 and 8: the same figure twice (ref and id)
        "pf_initial_visit_7_days,KENT,2015-04,f\n",
    )
    with pytest.raises(CommentaryError) as caught:
        load_commentary(path, registry, UNITS)
    problems = caught.value.problems
    assert isinstance(caught.value, DataError)
    assert problems == (
        (
            "column indicator, line 2: 'pf_initial_visit_7_day' is neither an indicator id nor "
            "a ref of the registry (did you mean 'pf_initial_visit_7_days'?)"
        ),
        "column indicator, line 3: '99' is neither an indicator id nor a ref of the registry",
        "column unit, line 4: 'Ashfrod' is not a unit of the scorecard (did you mean 'Ashford'?)",
        "column month, line 5: not a month written YYYY-MM",
        "column text, line 6: empty text",
        "lines 7, 8: more than one text for the same indicator, unit and month",
    )
    assert str(caught.value).startswith("commentary file commentary.csv: 6 problem(s)")


def test_columns_missing_or_unknown(tmp_path: Path, registry) -> None:
    path = _write(tmp_path, "indicator,unit,month,comment\n8,Kent,2015-05,x\n")
    with pytest.raises(CommentaryError) as caught:
        load_commentary(path, registry, UNITS)
    assert caught.value.problems == (
        "missing column(s): text (expected: indicator, unit, month, text)",
        "unknown column(s): comment (expected: indicator, unit, month, text)",
    )


def test_absent_file(tmp_path: Path, registry) -> None:
    with pytest.raises(CommentaryError, match="does not exist"):
        load_commentary(tmp_path / "none.csv", registry, UNITS)

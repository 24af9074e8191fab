"""``compute`` called inside each test (mutation review).

The tests of ``test_pinned_compute.py`` share one module-scoped computation: mutmut attributes
the call to the first test only, so the others never ran against the mutants of ``compute``.
These compute in the test itself. The data are those of ``test_pinned_compute.py``: referrals
r1 (c1, A1, 10 May 2014), r2 (c1, A1, 10 May 2015) and r3 (c2, A2, 2 April 2015).
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from scorecard.measures import compute
from scorecard.measures.base import registered_measures
from scorecard.measures.compute import check_contract
from scorecard.registry import RegistryError, load_registry
from tests.measures.builders import COUNTY
from tests.measures.test_pinned_compute import EXTRACTS


def _run():
    return compute(EXTRACTS, ["2015-04", "2015-05"], load_registry(), county=COUNTY,
                   indicators=["re_referrals_12m"])  # fmt: skip


def test_each_teams_type_comes_from_the_organisation_table() -> None:
    results = _run().results
    types = results.drop_duplicates("unit").set_index("unit")["team_type"]
    # builders' organisation: A1 and A2 are assessment teams; areas and the county have none
    assert types["A1"] == "assessment_and_family_support"
    assert types["A2"] == "assessment_and_family_support"
    assert pd.isna(types["North"]) and pd.isna(types[COUNTY])


def test_the_computation_keeps_its_registry_for_names() -> None:
    # the drill-down by title needs the registry the computation was made with: r2 re-referred
    rows = _run().drill_down("% of referrals with a previous referral within 12 months", "A1",
                             "2015-05")  # fmt: skip
    assert rows["record_id"].tolist() == ["r2"] and rows["in_numerator"].tolist() == [True]


def test_months_given_as_text_become_monthly_periods() -> None:
    results = compute(EXTRACTS, ["2015-05", "2015-04"], load_registry(), county=COUNTY,
                      indicators=["re_referrals_12m"]).results  # fmt: skip
    assert str(results["month"].dtype) == "period[M]"
    assert sorted(results["month"].unique()) == [pd.Period("2015-04", "M"),
                                                 pd.Period("2015-05", "M")]  # fmt: skip


def test_a_registry_that_does_not_fit_the_measures_is_refused_with_file_and_line() -> None:
    # a parameter the measure does not declare, in a registry loaded without the measures'
    # contracts: compute refuses it before computing, naming the file, line, path and problem
    registry = load_registry()
    indicator = registry["re_referrals_12m"]
    changed = dataclasses.replace(indicator, parameters={**indicator.parameters, "windw": 3})
    broken = dataclasses.replace(registry, indicators=tuple(
        changed if i.id == indicator.id else i for i in registry.indicators))  # fmt: skip
    with pytest.raises(RegistryError) as caught:
        check_contract(broken, registered_measures())
    (issue,) = caught.value.issues
    assert issue.file is not None and issue.line is not None and issue.path
    assert "windw" in issue.message


def test_no_indicator_asked_gives_an_empty_frame_and_notes_are_text() -> None:
    empty = compute(EXTRACTS, ["2015-05"], load_registry(), county=COUNTY, indicators=[])
    assert len(empty.results) == 0 and "note" in empty.results.columns
    # the notes column is text (missing where the indicator was computed)
    results = _run().results
    assert str(results["note"].dtype) == "string" and results["note"].isna().all()

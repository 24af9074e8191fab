"""The engine against plain reference implementations, refs 1-7, 11-18 and 35-39 (issue 11).

For each measure, Hypothesis draws small valid extracts (``strategies_cases``) and one to three
reporting months; the engine's team and county figures must equal the sums of the plain version
(``plain_cases``), written from the counting rule in ``docs/indicators.md`` with loops and plain
dates. The hand-worked examples further down show that each plain version gives the figure worked
out by hand, so that agreeing with it means something.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from scorecard.extracts import Extracts
from tests.measures.builders import COUNTY, ORGANISATION, run
from tests.reference.plain_cases import PLAIN
from tests.reference.strategies_cases import case_extracts

MEASURES = sorted(PLAIN)
#: Examples per measure: 20 measures x 25 examples run in about 30 s on an idle core.
EXAMPLES = 25


def expected(indicator: str, extracts: Extracts, months: list[str]) -> dict[tuple, tuple]:
    """(month, unit) -> (numerator, denominator) from the plain version: every team of the
    organisation (0 where it has no record) and the county (the sum of the teams)."""
    plain, _, is_count = PLAIN[indicator]
    found = plain(extracts, months).set_index(["month", "team"])
    out = {}
    for month in months:
        period = pd.Period(month, freq="M")
        total_n = total_d = 0.0
        for team in ORGANISATION["team"]:
            if (period, team) in found.index:
                n, d = found.loc[(period, team), ["numerator", "denominator"]]
            else:
                n, d = 0.0, (math.nan if is_count else 0.0)
            out[(period, team)] = (float(n), float(d))
            total_n += float(n)
            total_d += 0.0 if is_count else float(d)
        out[(period, COUNTY)] = (total_n, math.nan if is_count else total_d)
    return out


def engine(indicator: str, extracts: Extracts, months: list[str]) -> dict[tuple, tuple]:
    """(month, unit) -> (numerator, denominator) of the engine, for the teams and the county."""
    results = run(extracts, indicator, months).results
    results = results[results["level"].isin(["team", "county"])]
    return {
        (row.month, row.unit): (float(row.numerator), float(row.denominator))
        for row in results.itertuples()
    }


def same(a: tuple, b: tuple) -> bool:
    return all((math.isnan(x) and math.isnan(y)) or x == y for x, y in zip(a, b, strict=True))


def assert_agree(indicator: str, extracts: Extracts, months: list[str]) -> None:
    want, got = expected(indicator, extracts, months), engine(indicator, extracts, months)
    assert set(want) == set(got)
    differ = {key: (got[key], want[key]) for key in want if not same(got[key], want[key])}
    assert not differ, f"{indicator}: (engine, plain) differ at {differ}"


@pytest.mark.parametrize("indicator", MEASURES)
def test_engine_agrees_with_plain(indicator: str) -> None:
    needs = PLAIN[indicator][1]

    @settings(max_examples=EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
    @given(case=case_extracts(needs))
    def check(case: tuple[Extracts, list[str]]) -> None:
        assert_agree(indicator, *case)

    check()

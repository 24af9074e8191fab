"""The columns a drill-down of refs 25-26 (dental checks, health assessments) shows, pinned
(mutation testing): each record's period of care, under the name ``care_period_start``.

By hand, from ``TestDentalChecks`` (tests/measures/test_children_in_care.py), May 2015 (snapshot
Friday 29 May): k1's only episode starts on 29 May 2014; k3's two episodes (7 January 2013 to
1 March 2014, ending X1, then one from 1 March 2014) are one period of care from 7 January 2013;
k4 and k5 each have one episode from 7 January 2013.
"""

from __future__ import annotations

import pandas as pd

from tests.measures import test_children_in_care as cic
from tests.measures.builders import run

T = pd.Timestamp


def _period_starts(indicator: str, unit: str) -> list:
    rows = run(cic.TestDentalChecks.extracts, indicator, "2015-05").drill_down(
        indicator, unit, "2015-05"
    )
    return rows[["record_id", "snapshot_date", "care_period_start"]].values.tolist()


def test_dental_checks_show_the_period_of_care() -> None:
    may = T("2015-05-29")
    assert _period_starts("cic_dental_checks", "C1") == [
        ["k1", may, T("2014-05-29")],
        ["k3", may, T("2013-01-07")],
    ]
    assert _period_starts("cic_dental_checks", "A2") == [
        ["k4", may, T("2013-01-07")],
        ["k5", may, T("2013-01-07")],
    ]

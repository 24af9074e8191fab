"""What statistical process control says of a unit, in the reports' summary (issue 13, item 1:
"in the summary").

The frame is what ``add_spc`` returns, reduced to the columns the sentence reads. Counted by
reading the rows: only May rows whose state is not "not applicable" count; common cause and a
missing assurance count nowhere.
"""

from __future__ import annotations

import pandas as pd

from scorecard.rating.summary import spc_sentences
from scorecard.reports.model import summary_sentences

MAY, APRIL, MARCH = (pd.Period(m, "M") for m in ("2015-05", "2015-04", "2015-03"))
NOT_APPLICABLE, RATED = "not applicable", "rated"
IMP, CON, NEI, COM = "improvement", "concern", "neither", "common cause"
PASS, FAIL, HIT = "consistently passing", "consistently failing", "hit and miss"

#: unit, month, state, spc_variation, spc_assurance
ROWS = [
    ("Kent", MAY, RATED, IMP, PASS),
    ("Kent", MAY, RATED, IMP, FAIL),
    ("Kent", MAY, RATED, CON, HIT),
    ("Kent", MAY, RATED, NEI, None),  # T indicator without a target that year
    ("Kent", MAY, RATED, COM, HIT),
    ("Kent", MAY, RATED, None, PASS),  # not a point this month (e.g. partial): assurance only
    ("Kent", MAY, NOT_APPLICABLE, CON, FAIL),  # never counted
    ("Kent", APRIL, RATED, CON, FAIL),  # another month
    ("North", MAY, RATED, None, None),  # no limits yet
    ("Duty", MAY, NOT_APPLICABLE, IMP, PASS),  # nothing applies to Duty
]


def frame() -> pd.DataFrame:
    out = pd.DataFrame(ROWS, columns=["unit", "month", "state", "spc_variation", "spc_assurance"])
    return out.assign(rag="G", thresholds_year="2015/16", dot_previous="same", dot_outturn="same",
                      outturn_month=MARCH, financial_year="2015/16")  # fmt: skip


KENT = (
    "Statistical process control: special cause of improvement in 2 indicators, of concern in 1 "
    "and neither way in 1; against the target, 2 indicators are consistently passing, "
    "1 consistently failing and 2 hit and miss."
)
NONE_YET = "Statistical process control: no indicator has process limits this month."


def test_counts_per_unit_of_the_month() -> None:
    assert spc_sentences(frame(), "2015-05") == {"Kent": KENT, "North": NONE_YET, "Duty": NONE_YET}


def test_singular_wording() -> None:
    rows = [("Kent", MAY, RATED, IMP, PASS)]
    one = pd.DataFrame(rows, columns=["unit", "month", "state", "spc_variation", "spc_assurance"])
    assert spc_sentences(one, MAY)["Kent"] == (
        "Statistical process control: special cause of improvement in 1 indicator, of concern in 0 "
        "and neither way in 0; against the target, 1 indicator is consistently passing, "
        "0 consistently failing and 0 hit and miss."
    )


def test_no_spc_columns_no_sentence() -> None:
    assert spc_sentences(frame().drop(columns=["spc_variation"]), MAY) == {}
    assert spc_sentences(frame().drop(columns=["spc_assurance"]), MAY) == {}


def test_reports_follow_the_summary_sentence_with_it() -> None:
    got = summary_sentences(frame(), MAY)
    assert got["Kent"].startswith("As at 31/05/2015, Kent has 6 indicators rated as Green")
    assert got["Kent"].endswith(f"shown a reduction. {KENT}")
    assert got["North"].endswith(f"shown a reduction. {NONE_YET}")
    # a unit to which nothing applies keeps its one sentence
    assert got["Duty"] == "As at 31/05/2015, no indicator of the scorecard applies to Duty."

"""Summary counts and sentences on a rated frame built by hand (mutation testing).

The frame below is what ``rate`` returns, reduced to the columns the summary reads. Every count is
worked out by reading the rows: only rows whose state is not "not applicable" count, only May 2015
rows count for May, and a row without thresholds counts in ``no_thresholds`` and ``not_rated``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard.rating import summary_counts, summary_sentence
from scorecard.rating.summary import COUNT_COLUMNS, applicable_rows, summary_sentences

MAY, APRIL = pd.Period("2015-05", "M"), pd.Period("2015-04", "M")
MARCH = pd.Period("2015-03", "M")
NA = None
NOT_APPLICABLE, RATED, NO_THRESHOLDS = "not applicable", "rated", "no thresholds"

#: unit, month, state, rag, thresholds_year, dot_previous, dot_outturn
ROWS = [
    ("Kent", MAY, RATED, "G", "2015/16", "improved", "worsened"),
    ("Kent", MAY, RATED, "G", "2015/16", "improved", "same"),
    ("Kent", MAY, RATED, "A", "2015/16", "same", "improved"),
    ("Kent", MAY, RATED, "R", "2015/16", "worsened", NA),
    ("Kent", MAY, NO_THRESHOLDS, NA, NA, NA, NA),
    ("Kent", MAY, NOT_APPLICABLE, NA, "2015/16", "improved", "improved"),  # never counted
    ("North", MAY, RATED, "R", "2015/16", NA, "improved"),
    ("North", MAY, NOT_APPLICABLE, "G", "2015/16", "same", "same"),  # never counted
    ("Kent", APRIL, RATED, "G", "2015/16", "improved", "improved"),  # another month
    ("Duty", MAY, NOT_APPLICABLE, NA, "2015/16", NA, NA),  # nothing applies to Duty
]


def frame(rows=ROWS) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["unit", "month", "state", "rag", "thresholds_year",
                                      "dot_previous", "dot_outturn"])  # fmt: skip
    out["outturn_month"] = MARCH
    out["financial_year"] = "2015/16"
    return out


KENT_MAY = (
    "As at 31/05/2015, Kent has 2 indicators rated as Green, 1 indicator rated as Amber and "
    "1 indicator rated as Red; no thresholds for 2015/16: 1 indicator not rated. "
    "When comparing performance from last month to this month, 2 indicators have shown an "
    "improvement, 1 indicator has remained the same and 1 indicator has shown a reduction. "
    "When comparing performance from outturn (March 15) to this month, 1 indicator has shown an "
    "improvement, 1 indicator has remained the same and 1 indicator has shown a reduction."
)
NORTH_MAY = (
    "As at 31/05/2015, North has 0 indicators rated as Green, 0 indicators rated as Amber and "
    "1 indicator rated as Red. "
    "When comparing performance from last month to this month, 0 indicators have shown an "
    "improvement, 0 indicators have remained the same and 0 indicators have shown a reduction. "
    "When comparing performance from outturn (March 15) to this month, 1 indicator has shown an "
    "improvement, 0 indicators have remained the same and 0 indicators have shown a reduction."
)
DUTY_MAY = "As at 31/05/2015, no indicator of the scorecard applies to Duty."


def test_counts_per_unit_and_month() -> None:
    counts = summary_counts(frame())
    assert list(counts.columns) == ["unit", "month", *COUNT_COLUMNS, "outturn_month"]
    # sorted by unit then month; every unit and month keeps a row
    assert list(zip(counts["unit"], counts["month"], strict=True)) == [
        ("Duty", MAY), ("Kent", APRIL), ("Kent", MAY), ("North", MAY)]  # fmt: skip
    got = counts.set_index(["unit", "month"])[COUNT_COLUMNS]
    # green amber red not_rated no_thr | imp same wor (previous) | imp same wor (outturn)
    assert got.loc[("Kent", MAY)].tolist() == [2, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1]
    assert got.loc[("North", MAY)].tolist() == [0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]
    assert got.loc[("Kent", APRIL)].tolist() == [1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0]
    assert got.loc[("Duty", MAY)].tolist() == [0] * 11
    assert (counts.dtypes[COUNT_COLUMNS] == np.dtype(int)).all()
    assert counts["outturn_month"].tolist() == [MARCH] * 4


def test_sentences_of_every_unit_in_one_pass() -> None:
    got = summary_sentences(frame(), "2015-05")
    assert got == {"Duty": DUTY_MAY, "Kent": KENT_MAY, "North": NORTH_MAY}
    assert list(got) == ["Duty", "Kent", "North"]


@pytest.mark.parametrize(("unit", "expected"), [("Kent", KENT_MAY), ("North", NORTH_MAY),
                                                ("Duty", DUTY_MAY)])  # fmt: skip
def test_one_sentence_agrees_with_the_pass(unit, expected) -> None:
    assert summary_sentence(frame(), unit, MAY) == expected


def test_a_month_without_results_has_no_sentence() -> None:
    assert summary_sentences(frame(), "2015-06") == {}
    with pytest.raises(KeyError, match=r"no rated results for unit 'Kent' in 2015-06"):
        summary_sentence(frame(), "Kent", "2015-06")


def test_one_of_each_uses_the_singular() -> None:
    rows = [("Kent", MAY, RATED, rag, "2015/16", d, d)
            for rag, d in (("G", "improved"), ("A", "same"), ("R", "worsened"))]  # fmt: skip
    assert summary_sentence(frame(rows), "Kent", MAY) == (
        "As at 31/05/2015, Kent has 1 indicator rated as Green, 1 indicator rated as Amber and "
        "1 indicator rated as Red. "
        "When comparing performance from last month to this month, 1 indicator has shown an "
        "improvement, 1 indicator has remained the same and 1 indicator has shown a reduction. "
        "When comparing performance from outturn (March 15) to this month, 1 indicator has shown "
        "an improvement, 1 indicator has remained the same and 1 indicator has shown a reduction."
    )


def test_without_thresholds_year_the_state_says_no_thresholds() -> None:
    plain = frame().drop(columns=["thresholds_year"])
    counts = summary_counts(plain).set_index(["unit", "month"])
    assert counts.loc[("Kent", MAY), "no_thresholds"] == 1
    # without either column nothing is counted as lacking thresholds
    bare = plain.drop(columns=["state"])
    assert summary_counts(bare)["no_thresholds"].sum() == 0


def test_without_state_every_row_counts() -> None:
    bare = frame().drop(columns=["state"])
    assert len(applicable_rows(bare)) == len(ROWS)
    counts = summary_counts(bare).set_index(["unit", "month"])
    # Kent's not-applicable row now counts: previous improved 3, outturn improved 2
    assert counts.loc[("Kent", MAY), "improved_previous"] == 3
    assert counts.loc[("Kent", MAY), "improved_outturn"] == 2
    assert counts.loc[("North", MAY), "green"] == 1


def test_a_year_without_financial_year_column_is_the_year() -> None:
    rows = [("Kent", MAY, NO_THRESHOLDS, NA, NA, NA, NA)]
    sentence = summary_sentence(frame(rows).drop(columns=["financial_year"]), "Kent", MAY)
    assert sentence.startswith("As at 31/05/2015, Kent has no thresholds for the year: "
                               "1 indicator not rated. ")  # fmt: skip


def test_a_categorical_unit_counts_only_the_units_and_months_present() -> None:
    # unit as a categorical with an unused category ("South") and months as a categorical too:
    # no row for South, and no Kent/North rows for a month they do not have
    rated = frame()
    rated["unit"] = pd.Categorical(rated["unit"], categories=["Duty", "Kent", "North", "South"])
    rated["month"] = pd.Categorical(rated["month"])
    counts = summary_counts(rated)
    assert list(zip(counts["unit"].astype(str), counts["month"].astype(str), strict=True)) == [
        ("Duty", "2015-05"), ("Kent", "2015-04"), ("Kent", "2015-05"), ("North", "2015-05")]  # fmt: skip
    assert counts["green"].tolist() == [0, 1, 2, 0]


@pytest.mark.parametrize(
    ("rags", "counted"),
    [
        # Green and Amber with one row lacking thresholds (1 + 1 + 0 is not 0: counts kept)
        (
            ["G", "A"],
            "1 indicator rated as Green, 1 indicator rated as Amber and 0 indicators rated as Red",
        ),
        # Green and Red (1 + 0 + 1)
        (
            ["G", "R"],
            "1 indicator rated as Green, 0 indicators rated as Amber and 1 indicator rated as Red",
        ),
    ],
)
def test_counts_and_the_year_without_thresholds_both_said(rags, counted) -> None:
    rows = [("Kent", MAY, RATED, r, "2015/16", NA, NA) for r in rags]
    rows.append(("Kent", MAY, NO_THRESHOLDS, NA, NA, NA, NA))
    sentence = summary_sentence(frame(rows), "Kent", MAY)
    assert sentence.startswith(f"As at 31/05/2015, Kent has {counted}; no thresholds for 2015/16: "
                               "1 indicator not rated. ")  # fmt: skip


def test_one_row_names_its_financial_year() -> None:
    rows = [("Kent", MAY, NO_THRESHOLDS, NA, NA, NA, NA)]
    assert summary_sentence(frame(rows), "Kent", MAY).startswith(
        "As at 31/05/2015, Kent has no thresholds for 2015/16: 1 indicator not rated. ")  # fmt: skip


def test_a_row_without_thresholds_counts_whatever_its_state() -> None:
    # an absent extract in a year without thresholds: state "extract absent", no thresholds year;
    # it counts as lacking thresholds (and as not rated)
    rows = [
        ("Kent", MAY, "extract absent", NA, NA, NA, NA),
        ("Kent", MAY, RATED, "G", "2015/16", NA, NA),
    ]
    counts = summary_counts(frame(rows)).iloc[0]
    assert (counts["no_thresholds"], counts["not_rated"], counts["green"]) == (1, 1, 1)

"""What moved a figure (issue 13 item 6): changes split exactly over the units below, and the
drafted sentence. Figures worked by hand in each test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard.reports.movement import movements
from scorecard.reports.suppression import Hierarchy

# Kent -> East Kent (Swale, Dover), West Kent (Ashford)
HIERARCHY = Hierarchy((("Kent", ("East Kent", "West Kent")),
                       ("East Kent", ("Swale", "Dover")), ("West Kent", ("Ashford",))))  # fmt: skip
APRIL, MAY = pd.Period("2015-04", "M"), pd.Period("2015-05", "M")


def _frame(figures: dict[str, tuple[tuple[float, float], tuple[float, float]]],
           unit: str = "percent", ref: int = 8) -> pd.DataFrame:  # fmt: skip
    rows = []
    for name, months in figures.items():
        for month, (num, den) in zip((APRIL, MAY), months, strict=True):
            value = num / den * (100 if unit == "percent" else 1) if unit != "count" else num
            rows.append({"indicator": "pf_initial_visit_7_days", "ref": ref, "unit": name,
                         "month": month, "numerator": num, "denominator": den, "value": value,
                         "value_unit": unit, "state": "rated",
                         "outturn_month": pd.Period("2015-03", "M")})  # fmt: skip
    return pd.DataFrame(rows)


# The issue's example: ref 8 fell from 100% (3 of 3) to 71.4% (5 of 7); 2 of the 4 new
# notifications missed the 7 days, one in Swale and one in Dover.
EXAMPLE = {
    "Kent": ((3, 3), (5, 7)),
    "East Kent": ((2, 2), (4, 6)),
    "Swale": ((1, 1), (2, 3)),  # +1 of +2
    "Dover": ((1, 1), (2, 3)),  # +1 of +2
    "West Kent": ((1, 1), (1, 1)),
    "Ashford": ((1, 1), (1, 1)),
}


def test_the_issue_example_worked_by_hand() -> None:
    out = movements(_frame(EXAMPLE), HIERARCHY, MAY).set_index("unit")
    kent = out.loc["Kent"]
    assert (kent["numerator_change"], kent["denominator_change"]) == (2, 4)
    # Kent's children are the areas: East Kent (dn=+2, dd=+4): (2 - 1.0 * 4) / 7 * 100 = -28.57;
    # West Kent: (0 - 0) / 7 = 0, not in the direction of the fall, so not named.
    assert kent["contributors"] == "East Kent (-28.6 points: +2 of +4)"
    assert kent["sentence"] == (
        "Ref 8 fell from 100.0% to 71.4% (5 of 7, was 3 of 3) since April 2015; the largest "
        "contributions came from East Kent (-28.6 points: +2 of +4)."
    )
    # East Kent's: Swale and Dover each (1 - 1.0 * 2) / 6 * 100 = -16.67; ties by name.
    assert out.loc["East Kent", "contributors"] == (
        "Dover (-16.7 points: +1 of +2) and Swale (-16.7 points: +1 of +2)"
    )
    assert out.loc["Ashford", "sentence"] == (
        "Ref 8 stayed at 100.0% (1 of 1, was 1 of 1) since April 2015."
    )


def test_small_counts_are_never_written_when_suppressing() -> None:
    out = movements(_frame(EXAMPLE), HIERARCHY, MAY, suppress_below=5).set_index("unit")
    assert out.loc["Kent", "sentence"] == (
        "Ref 8 fell from 100.0% to 71.4% (5 of 7, was fewer than 5 of fewer than 5) since "
        "April 2015; the largest contributions came from East Kent (-28.6 points: +fewer than 5 of "
        "+fewer than 5)."
    )


def test_a_withheld_figure_is_not_used_and_its_unit_not_named() -> None:
    frame = _frame(EXAMPLE)
    withheld = frame["unit"].eq("Swale") & frame["month"].eq(MAY)
    frame.loc[withheld, ["numerator", "denominator", "value"]] = np.nan
    out = movements(frame, HIERARCHY, MAY).set_index("unit")
    assert out.loc["Swale", "sentence"] == "Ref 8: no published figure for May 2015."
    assert out.loc["East Kent", "contributors"] == "Dover (-16.7 points: +1 of +2)"


def test_counts_and_outturn() -> None:
    # A count indicator (L): Kent 10 -> 13; East Kent +3 (Swale +2, Dover +1), West Kent 0.
    figures = {"Kent": ((10, 1), (13, 1)), "East Kent": ((6, 1), (9, 1)),
               "Swale": ((3, 1), (5, 1)), "Dover": ((3, 1), (4, 1)),
               "West Kent": ((4, 1), (4, 1)), "Ashford": ((4, 1), (4, 1))}  # fmt: skip
    frame = _frame(figures, unit="count", ref=7)
    frame["outturn_month"] = APRIL  # compare with April as if it were the outturn
    out = movements(frame, HIERARCHY, MAY, against="outturn").set_index("unit")
    assert out.loc["Kent", "sentence"] == (
        "Ref 7 rose from 10 to 13 since April 2015; the largest contributions came from East Kent (+3)."
    )
    assert out.loc["East Kent", "contributors"] == "Swale (+2) and Dover (+1)"


def test_no_figure_to_compare_with() -> None:
    frame = _frame(EXAMPLE)
    frame = frame[frame["month"].eq(MAY)]
    out = movements(frame, HIERARCHY, MAY).set_index("unit")
    assert out.loc["Kent", "sentence"] == (
        "Ref 8 is 71.4% (5 of 7); there is no published figure for April 2015."
    )


small = st.integers(0, 30)


@given(st.lists(st.tuples(small, small, small, small), min_size=3, max_size=3))
def test_contributions_add_up_to_the_change(cells: list[tuple[int, int, int, int]]) -> None:
    """Property: the children's contributions (all of them, top = 3) sum to the parent's change."""
    figures = {}
    for name, (n0, extra0, n1, extra1) in zip(("Swale", "Dover", "Ashford"), cells, strict=True):
        figures[name] = ((n0, n0 + extra0 + 1), (n1, n1 + extra1 + 1))
    total = tuple(tuple(sum(figures[c][m][i] for c in figures) for i in (0, 1)) for m in (0, 1))
    figures = {"Kent": total, **figures}
    hierarchy = Hierarchy((("Kent", ("Swale", "Dover", "Ashford")),))
    frame = _frame(figures)
    out = movements(frame, hierarchy, MAY, top=3).set_index("unit")
    change = out.loc["Kent", "value"] - out.loc["Kent", "value_before"]
    p, dn, dd = total[0][0] / total[0][1], 0.0, 0.0
    parts = []
    for name in ("Swale", "Dover", "Ashford"):
        (a, b), (c, d) = figures[name]
        parts.append(((c - a) - p * (d - b)) / total[1][1] * 100)
        dn, dd = dn + c - a, dd + d - b
    assert sum(parts) == pytest.approx(change, abs=1e-9)


def test_averages_read_over_and_a_change_that_rounds_away_stays() -> None:
    # days (an average): Kent 4,544 days over 11 children (413.1) -> 9,049 over 22 (411.3);
    # East Kent is all of it: (4,505 - 413.09 * 11) / 22 = -1.77 days
    figures = {"Kent": ((4544, 11), (9049, 22)), "East Kent": ((4544, 11), (9049, 22)),
               "Swale": ((4544, 11), (9049, 22)), "Dover": ((0, 1), (0, 1)),
               "West Kent": ((0, 1), (0, 1)), "Ashford": ((0, 1), (0, 1))}  # fmt: skip
    frame = _frame(figures, unit="days", ref=29)
    out = movements(frame, HIERARCHY, MAY).set_index("unit")
    assert out.loc["Kent", "sentence"] == (
        "Ref 29 fell from 413.1 to 411.3 (9,049 over 22, was 4,544 over 11) since April 2015; "
        "the largest contributions came from East Kent (-1.8 days: +4,505 over +11)."
    )
    # 1,745 of 1,752 (99.60%) -> 1,751 of 1,758 (99.60%): both print 99.6%
    figures = {name: ((1745, 1752), (1751, 1758)) for name in ("Kent", "East Kent", "Swale")}
    figures |= {name: ((0, 1), (0, 1)) for name in ("Dover", "West Kent", "Ashford")}
    out = movements(_frame(figures), HIERARCHY, MAY).set_index("unit")
    assert out.loc["Kent", "sentence"].startswith("Ref 8 stayed at 99.6% (1,751 of 1,758, was ")


def test_only_red_rows_are_described_but_every_unit_below_is_read() -> None:
    frame = _frame(EXAMPLE)
    frame["rag"] = "G"
    frame.loc[frame["unit"].eq("Kent"), "rag"] = "R"
    out = movements(frame, HIERARCHY, MAY, only_red=True)
    assert out["unit"].tolist() == ["Kent"]
    assert out["contributors"].iloc[0] == "East Kent (-28.6 points: +2 of +4)"  # a Green area

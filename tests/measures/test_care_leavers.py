"""Care leavers (refs 32-34, SSDA903 OC3): tiny extracts with hand-worked answers.

R12M windows: May 2015 = 2014-06-01..2015-05-31, June 2015 = 2014-07-01..2015-06-30. Contact window:
3 calendar months before to 1 month after the birthday, both ends included. 17th and 18th
birthdays count from 2015-04-01. Teams: A1 and C1 in North, A2 in South, F county-wide.
"""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard.extracts import SPECS, validate_extracts
from tests.measures.builders import COUNTY, ORGANISATION, build, figures, run

IN_TOUCH, SUITABLE, EET = (
    "care_leavers_in_touch",
    "care_leavers_suitable_accommodation",
    "care_leavers_eet",
)

# child, date of birth, team, eligibility
YOUNG_PEOPLE = [
    ("y1", "1995-05-10", "C1", "former_relevant"),  # 20th birthday 2015-05-10
    ("y2", "1995-05-10", "C1", "former_relevant"),  # 20th birthday 2015-05-10
    ("y3", "1996-04-30", "A1", "former_relevant"),  # 19th birthday 2015-04-30
    ("y4", "1997-05-20", "A2", "former_relevant"),  # 18th birthday 2015-05-20 (after April 2015)
    ("y5", "1996-06-15", "A2", "former_relevant"),  # 18th 2014-06-15 (too early), 19th 2015-06-15
    ("y6", "1994-06-01", "A1", "relevant"),  # not former relevant: never in the cohort
    ("y7", "1996-02-29", "F", "former_relevant"),  # 19th birthday 2015-02-28 (no 29 Feb in 2015)
    ("y8", "1993-06-01", "A1", "former_relevant"),  # 21st 2014-06-01: first day of May's R12M
    ("y9", "1994-09-09", "A2", "former_relevant"),  # 20th birthday 2014-09-09
    ("y10", "1995-12-01", "C1", "former_relevant"),  # 19th birthday 2014-12-01
]


def contact(
    cid: str,
    child: str,
    date: str,
    in_touch: str,
    suitable: bool | None = None,
    activity: str | None = None,
) -> dict:
    return {
        "contact_id": cid, "child_id": child, "contact_date": date, "in_touch": in_touch,
        "accommodation_suitable": suitable, "activity": activity,
    }  # fmt: skip


EXTRACTS = build(
    children=[{"child_id": c, "date_of_birth": dob} for c, dob, _, _ in YOUNG_PEOPLE],
    care_leavers=[{"child_id": c, "team": t, "eligibility": e} for c, _, t, e in YOUNG_PEOPLE],
    care_leaver_contacts=[
        # exactly 3 months before the birthday: counts
        contact("k1", "y1", "2015-02-10", "YES", True, "F3"),
        # 3 months and a day before: outside the window, so y2 has no contact
        contact("k2", "y2", "2015-02-09", "YES", True, "F3"),
        # exactly 1 month after (30 April + 1 month = 30 May), refused; the in-touch contact of
        # 15 March counts instead: in touch, not suitable, not EET (G5)
        contact("k3a", "y3", "2015-05-30", "REFU"),
        contact("k3b", "y3", "2015-03-15", "YES", False, "G5"),
        # 5 June: in the window (to 2015-06-20) but after the end of May: counts from June only
        contact("k4", "y4", "2015-06-05", "YES", True, "P1"),
        # around y5's 18th birthday (before April 2015, not counted): not in its 19th's window
        contact("k5", "y5", "2014-06-15", "YES", True, "F1"),
        contact("k6", "y6", "2015-05-01", "YES", True, "F1"),  # not former relevant
        # 2015-02-28 - 3 months = 2014-11-28: in the window; suitable; G6 is not EET
        contact("k7", "y7", "2014-11-28", "YES", True, "G6"),
        contact("k8", "y8", "2014-03-01", "NO"),  # 2014-06-01 - 3 months: in window, not in touch
        contact("k9", "y9", "2014-09-01", "REFU"),  # refused: in the denominator only
        # two in-touch contacts in the window: the latest (20 Dec) counts
        contact("k10a", "y10", "2014-10-01", "YES", True, "F2"),
        contact("k10b", "y10", "2014-12-20", "YES", False, "G4"),
    ],
)


class TestCareLeavers:
    """Refs 32-34 over one cohort.

    May 2015 cohort (8): y1/20 C1, y2/20 C1, y3/19 A1, y4/18 A2, y7/19 F, y8/21 A1, y9/20 A2,
    y10/19 C1 (y5's 18th birthday is before April 2015; y6 is not former relevant).

        record  in touch  suitable  EET   contact counted
        y1/20   1         1         1     k1
        y2/20   0         0         0     none in the window
        y3/19   1         0         0     k3b (in touch, preferred to the later refusal k3a)
        y4/18   0         0         0     none yet (k4 is dated after May)
        y7/19   1         1         0     k7
        y8/21   0         0         0     k8 (NO)
        y9/20   0         0         0     k9 (REFU)
        y10/19  1         0         0     k10b (latest in-touch contact)

    June 2015 cohort (8): as May without y8 (21st birthday 2014-06-01 is before 2014-07-01), plus
    y5/19 (2015-06-15, no contact in 2015-03-15..2015-07-15: 0); y4/18 now has k4: 1, 1, 1 (P1).
    """

    def test_in_touch(self) -> None:
        result = run(EXTRACTS, IN_TOUCH, ["2015-05", "2015-06"])
        assert figures(result, COUNTY, "2015-05") == (4, 8)  # y1, y3, y7, y10
        assert figures(result, "North", "2015-05") == (3, 5)  # y1, y3, y10 of y1 y2 y3 y8 y10
        assert figures(result, "South", "2015-05") == (0, 2)  # y4, y9
        assert figures(result, "F", "2015-05") == (1, 1)  # y7 (29 February)
        assert figures(result, COUNTY, "2015-06") == (5, 8)  # + y4, - y8, + y5 (0)
        assert figures(result, "South", "2015-06") == (1, 3)  # y4 of y4, y5, y9
        drill = result.drill_down(IN_TOUCH, "C1", "2015-05")
        assert drill[["record_id", "child_id", "in_numerator"]].values.tolist() == [
            ["y1/20", "y1", True],
            ["y10/19", "y10", True],
            ["y2/20", "y2", False],
        ]

    def test_suitable_accommodation(self) -> None:
        result = run(EXTRACTS, SUITABLE, ["2015-05", "2015-06"])
        assert figures(result, COUNTY, "2015-05") == (2, 8)  # y1, y7
        assert figures(result, "North", "2015-05") == (1, 5)  # y1 (y10's latest: not suitable)
        assert figures(result, COUNTY, "2015-06") == (3, 8)  # y1, y4, y7
        drill = result.drill_down(SUITABLE, "A1", "2015-05")
        assert drill[["record_id", "in_numerator"]].values.tolist() == [
            ["y3/19", False],
            ["y8/21", False],
        ]

    def test_education_employment_training(self) -> None:
        result = run(EXTRACTS, EET, ["2015-05", "2015-06"])
        assert figures(result, COUNTY, "2015-05") == (1, 8)  # y1 (F3)
        assert figures(result, "F", "2015-05") == (0, 1)  # y7: G6
        assert figures(result, COUNTY, "2015-06") == (2, 8)  # y1 (F3), y4 (P1)
        assert figures(result, "South", "2015-06") == (1, 3)


@pytest.mark.parametrize("indicator", [IN_TOUCH, SUITABLE, EET])
def test_present_but_empty_extracts_give_no_result(indicator: str) -> None:
    frames = {
        name: pd.DataFrame({f.name: pd.Series([], dtype=object) for f in SPECS[name].fields})
        for name in ("children", "care_leavers", "care_leaver_contacts")
    }
    result = run(validate_extracts(frames, ORGANISATION), indicator, "2015-05")
    assert figures(result, COUNTY, "2015-05") == (0, 0)

"""Quality assurance (refs 35-39): tiny audit extracts with hand-worked answers.

Default organisation (builders.py): A1, C1 in North; A2 in South; F county-wide; county "Shire".
All five are YTD: 1 April of the financial year to the last calendar day of the month.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from tests.measures.builders import COUNTY, build, figures, run

CHILDREN = [{"child_id": f"c{i}", "date_of_birth": "2010-01-01"} for i in range(1, 4)]


def audit(
    aid: str,
    kind: str,
    team: str,
    *,
    due: str | None = None,
    done: str | None = None,
    rating: str | None = None,
    child: str | None = None,
) -> dict:
    return {"audit_id": aid, "audit_type": kind, "team": team, "child_id": child,
            "due_date": due, "completed_date": done, "rating": rating}  # fmt: skip


class TestAuditsCompleted:
    """Ref 35: case file audits due in the YTD period (by due date); numerator completed on or
    before the last calendar day of the reporting month."""

    extracts = build(
        children=CHILDREN,
        quality_audits=[
            # due on the last day of FY 2014/15, completed two days later (2 April)
            audit("q1", "case_file", "A1", due="2015-03-31", done="2015-04-02", rating="good"),
            # due on the first day of FY 2015/16, completed early (before it was due)
            audit(
                "q2",
                "case_file",
                "A1",
                due="2015-04-01",
                done="2015-03-20",
                rating="good",
                child="c1",
            ),
            # due 30 April, completed the next day (1 May)
            audit("q3", "case_file", "A2", due="2015-04-30", done="2015-05-01"),
            # due Sunday 31 May 2015, never completed
            audit("q4", "case_file", "F", due="2015-05-31"),
            # completed Sunday 31 May: after the snapshot (Fri 29 May) but within the month
            audit(
                "q5", "case_file", "A1", due="2015-05-15", done="2015-05-31", rating="inadequate"
            ),
            audit("q6", "cp_report", "A1", due="2015-05-01", done="2015-05-02"),  # not a case file
            audit("q7", "case_file", "C1", done="2015-05-10"),  # no due date: never due
            audit("q8", "case_file", "A1", due="2015-06-01", done="2015-05-20"),  # due in June
        ],
    )

    def test_march_april_may_2015(self) -> None:
        result = run(self.extracts, "audits_completed", ["2015-03", "2015-04", "2015-05"])
        # March 2015 (YTD 2014-04-01..2015-03-31): q1 due, completed 2 April, after 31 March -> 0/1
        assert figures(result, COUNTY, "2015-03") == (0, 1)
        # April 2015 (YTD is April alone): q1 (due March) drops out at the FY boundary.
        # q2 completed (early) -> 1; q3 completed 1 May, after 30 April -> 0.  1 of 2
        assert figures(result, COUNTY, "2015-04") == (1, 2)
        assert figures(result, "A1", "2015-04") == (1, 1)
        assert figures(result, "A2", "2015-04") == (0, 1)
        # May 2015 (YTD 1 April..31 May): q2 yes, q3 yes (now completed), q4 no, q5 yes (31 May is
        # within the month even though after the snapshot date); q6 cp_report, q7 no due date,
        # q8 due in June: out.  3 of 4
        assert figures(result, COUNTY, "2015-05") == (3, 4)
        assert figures(result, "North", "2015-05") == (2, 2)  # q2, q5 (A1); C1 has nothing
        assert figures(result, "South", "2015-05") == (1, 1)  # q3
        assert figures(result, "F", "2015-05") == (0, 1)  # q4
        assert figures(result, "C1", "2015-05") == (0, 0)  # q7 never due: no result
        value = result.results.set_index(["unit", "month"])["value"]
        assert np.isnan(value[("C1", result.results["month"].max())])
        assert value[(COUNTY, result.results["month"].max())] == 75.0
        drill = result.drill_down("audits_completed", "North", "2015-05")
        assert drill[["record_id", "in_numerator"]].values.tolist() == [["q2", True], ["q5", True]]
        assert drill["child_id"].iloc[0] == "c1"  # the audited child, where recorded
        assert drill["child_id"].isna().tolist() == [False, True]
        drill = result.drill_down("audits_completed", "F", "2015-05")
        assert drill[["record_id", "in_numerator"]].values.tolist() == [["q4", False]]


CASE_FILE_AUDITS = [
    audit("k1", "case_file", "A1", done="2015-03-31", rating="good"),  # last day of FY 2014/15
    audit("k2", "case_file", "A1", done="2015-04-01", rating="outstanding"),  # first day of 2015/16
    audit("k3", "case_file", "A2", done="2015-04-15", rating="inadequate"),
    audit("k4", "case_file", "A2", done="2015-05-29", rating="requires_improvement"),
    audit("k5", "case_file", "F", done="2015-05-31", rating="good"),  # Sunday, after the snapshot
    audit("k6", "case_file", "C1", done="2015-05-10"),  # completed, no rating: left out
    audit("k7", "cp_report", "A1", done="2015-05-05", rating="good"),  # not a case file audit
    audit("k8", "case_file", "A1", done="2015-06-01", rating="inadequate"),  # June: after May
    audit("k9", "case_file", "A1", due="2015-05-01"),  # due, not completed
]


class TestAuditRatings:
    """Refs 36 and 37: case file audits completed (and rated) in the YTD period."""

    extracts = build(children=CHILDREN, quality_audits=CASE_FILE_AUDITS)
    months = ("2015-03", "2015-04", "2015-05")

    def test_good_or_outstanding(self) -> None:
        result = run(self.extracts, "audits_good_outstanding", self.months)
        # March 2015 (FY 2014/15): k1 good -> 1 of 1
        assert figures(result, COUNTY, "2015-03") == (1, 1)
        # April 2015: k2 outstanding (yes), k3 inadequate (no) -> 1 of 2; k1 was March
        assert figures(result, COUNTY, "2015-04") == (1, 2)
        # May 2015: k2 yes, k3 no, k4 RI no, k5 good yes (31 May, in the month) -> 2 of 4;
        # k6 unrated, k7 cp_report, k8 June, k9 not completed: out
        assert figures(result, COUNTY, "2015-05") == (2, 4)
        assert figures(result, "North", "2015-05") == (1, 1)  # k2
        assert figures(result, "C1", "2015-05") == (0, 0)  # k6 has no rating
        assert figures(result, "South", "2015-05") == (0, 2)  # k3, k4
        assert figures(result, "F", "2015-05") == (1, 1)  # k5
        drill = result.drill_down("audits_good_outstanding", "South", "2015-05")
        assert drill[["record_id", "in_numerator"]].values.tolist() == [
            ["k3", False], ["k4", False]
        ]  # fmt: skip

    def test_inadequate(self) -> None:
        result = run(self.extracts, "audits_inadequate", self.months)
        assert figures(result, COUNTY, "2015-03") == (0, 1)  # k1 good
        assert figures(result, COUNTY, "2015-04") == (1, 2)  # k3 inadequate of k2, k3
        # May: k3 of k2, k3, k4, k5 (k8 inadequate but completed in June)
        assert figures(result, COUNTY, "2015-05") == (1, 4)
        assert figures(result, "South", "2015-05") == (1, 2)
        assert figures(result, "A1", "2015-05") == (0, 1)
        drill = result.drill_down("audits_inadequate", COUNTY, "2015-05")
        assert drill[["record_id", "in_numerator"]].values.tolist() == [
            ["k2", False], ["k3", True], ["k4", False], ["k5", False]
        ]  # fmt: skip

    def test_june_includes_late_inadequate(self) -> None:
        # June 2015: k2, k3, k4, k5, k8 -> inadequate k3, k8: 2 of 5
        result = run(self.extracts, "audits_inadequate", "2015-06")
        assert figures(result, COUNTY, "2015-06") == (2, 5)
        assert figures(result, "A1", "2015-06") == (1, 2)  # k2, k8


class TestCpReports:
    """Ref 38: CP social work reports rated by CP chairs in the YTD period (by rating date)."""

    extracts = build(
        children=CHILDREN,
        quality_audits=[
            audit("p1", "cp_report", "A1", done="2016-02-29", rating="good"),  # 29 Feb 2016
            audit("p2", "cp_report", "A2", done="2016-03-31", rating="requires_improvement"),
            audit("p3", "cp_report", "C1", done="2016-04-01", rating="outstanding"),  # FY 2016/17
            audit("p4", "cp_report", "F", done="2016-03-01", rating="inadequate"),
            audit("p5", "case_file", "A1", done="2016-03-10", rating="good"),  # other types
            audit("p6", "care_plan", "A1", done="2016-03-10", rating="good"),
            audit("p7", "cp_report", "A1"),  # not rated
        ],
    )

    def test_february_march_april_2016(self) -> None:
        result = run(
            self.extracts, "cp_reports_good_outstanding", ["2016-02", "2016-03", "2016-04"]
        )
        # Feb 2016 (YTD 2015-04-01..2016-02-29): p1 rated on 29 Feb, good -> 1 of 1
        assert figures(result, COUNTY, "2016-02") == (1, 1)
        # March 2016: p1 good, p2 RI (31 March, last day of FY), p4 inadequate -> 1 of 3
        assert figures(result, COUNTY, "2016-03") == (1, 3)
        assert figures(result, "North", "2016-03") == (1, 1)
        assert figures(result, "South", "2016-03") == (0, 1)
        assert figures(result, "F", "2016-03") == (0, 1)
        # April 2016 (FY 2016/17): only p3, outstanding, in C1 -> 1 of 1
        assert figures(result, COUNTY, "2016-04") == (1, 1)
        assert figures(result, "C1", "2016-04") == (1, 1)
        assert figures(result, "A1", "2016-04") == (0, 0)
        drill = result.drill_down("cp_reports_good_outstanding", COUNTY, "2016-03")
        assert drill[["record_id", "team", "in_numerator"]].values.tolist() == [
            ["p1", "A1", True], ["p2", "A2", False], ["p4", "F", False]
        ]  # fmt: skip


class TestCarePlans:
    """Ref 39: CIC care plans rated by IROs in the YTD period (by rating date)."""

    extracts = build(
        children=CHILDREN,
        quality_audits=[
            audit("cp0", "care_plan", "C1", done="2014-03-31", rating="good"),  # FY 2013/14
            audit("cp1", "care_plan", "C1", done="2014-04-01", rating="good"),  # first day of FY
            # rated on Christmas Day (a bank holiday: rating dates need not be working days)
            audit("cp2", "care_plan", "C1", done="2014-12-25", rating="requires_improvement"),
            audit("cp3", "care_plan", "C1", done="2015-01-31", rating="outstanding"),  # Saturday
            audit("cp4", "care_plan", "A1", done="2015-02-01", rating="good"),  # February
            audit("cp5", "cp_report", "C1", done="2015-01-10", rating="inadequate"),  # other type
        ],
    )

    def test_january_and_february_2015(self) -> None:
        result = run(self.extracts, "care_plans_good_outstanding", ["2015-01", "2015-02"])
        # Jan 2015 (YTD 2014-04-01..2015-01-31): cp1 yes, cp2 no, cp3 yes -> 2 of 3
        assert figures(result, COUNTY, "2015-01") == (2, 3)
        assert figures(result, "C1", "2015-01") == (2, 3)
        assert figures(result, "A1", "2015-01") == (0, 0)
        # Feb 2015: + cp4 good in A1 -> 3 of 4
        assert figures(result, COUNTY, "2015-02") == (3, 4)
        assert figures(result, "North", "2015-02") == (3, 4)
        assert figures(result, "South", "2015-02") == (0, 0)
        drill = result.drill_down("care_plans_good_outstanding", "C1", "2015-01")
        assert drill[["record_id", "in_numerator"]].values.tolist() == [
            ["cp1", True], ["cp2", False], ["cp3", True]
        ]  # fmt: skip


def test_absent_extract_is_not_computable() -> None:
    result = run(build(children=CHILDREN), "audits_completed", "2015-05")
    assert result.results["note"].str.contains("quality_audits").all()
    assert result.results["value"].isna().all()


def test_empty_extract_gives_no_result() -> None:
    # a present extract with no rows (a header-only file): denominators 0, no result, no error
    one = build(
        children=CHILDREN,
        quality_audits=[audit("x", "case_file", "A1", done="2015-05-01", rating="good")],
    )
    audits = one.quality_audits
    assert audits is not None
    empty = replace(one, quality_audits=audits.iloc[0:0])
    indicators = [
        "audits_completed",
        "audits_good_outstanding",
        "audits_inadequate",
        "cp_reports_good_outstanding",
        "care_plans_good_outstanding",
    ]
    result = run(empty, indicators, ["2015-04", "2015-05"])
    county = result.results[result.results["unit"] == COUNTY]
    assert len(county) == 10
    assert (county["denominator"] == 0).all()
    assert result.results["value"].isna().all()

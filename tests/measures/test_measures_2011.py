"""The measures the 2011 improvement plan needs and the 44 lack: tiny extracts, worked by hand.

``unallocated_over_28_days`` (scorecard.measures.children_in_need_2011) and
``referrals_to_assessment`` (scorecard.measures.referrals_2011), computed with the indicators of
the 2011 registry (``tests.measures.registry_2011``). The snapshot date of May 2015 is Friday 29 May (the
31st is a Sunday).
"""

from __future__ import annotations

from scorecard.measures import compute
from tests.measures.builders import COUNTY, build, count, figures
from tests.measures.registry_2011 import registry_2011

CHILDREN = [{"child_id": f"c{i}", "date_of_birth": "2010-01-01"} for i in range(1, 13)]


def run(extracts, indicator: str, months: list[str]):
    return compute(extracts, months, registry_2011(), county=COUNTY, indicators=[indicator])


def referral(rid: str, child: str, date: str, team: str = "A1", closed: str | None = None) -> dict:
    return {"referral_id": rid, "child_id": child, "team": team, "referral_date": date,
            "closure_date": closed}  # fmt: skip


def allocation(aid: str, child: str, start: str, end: str | None,
               role: str = "social_worker") -> dict:  # fmt: skip
    return {"allocation_id": aid, "child_id": child, "worker_id": "w1", "team": "A1",
            "start_date": start, "end_date": end, "worker_role": role}  # fmt: skip


class TestUnallocatedOver28Days:
    """Open cases without an allocated social worker for more than 28 days on the snapshot."""

    extracts = build(
        children=CHILDREN,
        referrals=[
            referral("r1", "c1", "2015-05-01"),  # 29 May - 1 May = 28 days: not over 28
            referral("r2", "c2", "2015-04-30", team="A2"),  # 29 days: over
            referral("r3", "c3", "2015-01-01"),  # allocation ended 1 May: 28 days, not over
            referral("r4", "c4", "2015-01-01", team="A2"),  # allocation ended 30 April: over
            referral("r5", "c5", "2015-01-01"),  # allocated now: not counted
            referral("r6", "c6", "2015-04-20"),  # allocation ended before the referral: 39 days
            referral("r7", "c7", "2015-01-01"),  # last of two allocations ended 10 May: 19 days
            referral("r8", "c8", "2015-01-01"),  # allocation ended on the snapshot date: 0 days
            referral("r9", "c9", "2015-01-01"),  # an allocation after the snapshot: since 1 Jan
            referral("r10", "c10", "2015-01-01"),  # only a team manager's allocation: since 1 Jan
            referral("r11", "c11", "2015-01-01", closed="2015-05-29"),  # closed on the snapshot
            referral("r12", "c12", "2015-06-15"),  # referred after the snapshot
        ],
        allocations=[
            allocation("a3", "c3", "2015-01-05", "2015-05-01"),
            allocation("a4", "c4", "2015-01-05", "2015-04-30"),
            allocation("a5", "c5", "2015-01-02", None),
            allocation("a6", "c6", "2015-01-05", "2015-03-01"),
            allocation("a7a", "c7", "2015-01-05", "2015-02-01"),
            allocation("a7b", "c7", "2015-02-01", "2015-05-10"),
            allocation("a8", "c8", "2015-01-05", "2015-05-29"),
            allocation("a9", "c9", "2015-06-01", "2015-06-15"),
            allocation("a10", "c10", "2015-01-05", "2015-05-20", role="team_manager"),
        ],
    )

    def test_may_2015(self) -> None:
        result = run(self.extracts, "unallocated_over_28_days", ["2015-05"])
        # over 28 days: c2 (A2), c4 (A2), c6, c9, c10 (A1)
        assert count(result, "A1", "2015-05") == 3
        assert count(result, "A2", "2015-05") == 2
        assert count(result, COUNTY, "2015-05") == 5
        drill = result.drill_down("unallocated_over_28_days", COUNTY, "2015-05")
        assert sorted(drill["record_id"]) == ["r10", "r2", "r4", "r6", "r9"]

    def test_a_month_later_the_waits_have_grown(self) -> None:
        # June 2015: snapshot Tuesday 30 June. c1 (60 days), c3 (60), c7 (51) are now over 28;
        # c8's allocation ended 29 May (32 days): over; c9 was allocated on 1 June and its
        # allocation ended 15 June: 15 days, not over; c11 is closed; c12 was referred on 15 June
        # (15 days): not over. Over: c1, c2, c3, c4, c6, c7, c8, c10 -> 8.
        result = run(self.extracts, "unallocated_over_28_days", ["2015-06"])
        assert count(result, COUNTY, "2015-06") == 8


class TestReferralsToAssessment:
    """Referrals in the period (YTD) that went on to an assessment by the end of the month."""

    def assessment(aid: str, child: str, start: str, referral_id: str | None) -> dict:
        return {"assessment_id": aid, "child_id": child, "team": "A1",
                "referral_id": referral_id, "start_date": start}  # fmt: skip

    extracts = build(
        children=CHILDREN,
        referrals=[
            referral("r1", "c1", "2015-04-10"),
            referral("r2", "c2", "2015-04-15", team="A2"),
            referral("r3", "c3", "2015-04-20"),
            referral("r4", "c4", "2015-04-20"),
            referral("r5", "c5", "2015-05-31"),  # last day of May, no assessment
            referral("r6", "c6", "2015-03-31"),  # FY 2014/15: not in the 2015/16 YTD
            referral("r7", "c7", "2015-05-02"),
            referral("r8", "c7", "2014-06-01"),
            referral("r9", "c9", "2015-05-05"),
        ],
        assessments=[
            assessment("a1", "c1", "2015-04-30", "r1"),  # started on the last day of April
            assessment("a1b", "c1", "2015-05-20", "r1"),  # a second one: the first one counts
            assessment("a2", "c2", "2015-05-01", "r2"),  # started in May
            assessment("a3", "c3", "2015-04-20", None),  # no referral id, started on r3's date
            assessment("a4", "c4", "2015-04-19", None),  # no referral id, before r4: not r4's
            assessment("a7", "c7", "2015-05-10", "r8"),  # belongs to r8, not to r7
            assessment("a9", "c9", "2015-05-04", "r9"),  # before its referral: does not count
        ],
    )

    def test_april_and_may_2015(self) -> None:
        result = run(self.extracts, "referrals_to_initial_assessment", ["2015-04", "2015-05"])
        # April YTD (1-30 April): r1 (a1 on 30 April), r3 (a3 on its date) of r1, r2, r3, r4
        assert figures(result, COUNTY, "2015-04") == (2, 4)
        # May YTD: r1, r2 (a2 on 1 May), r3 of r1, r2, r3, r4, r5, r7, r9
        assert figures(result, COUNTY, "2015-05") == (3, 7)
        assert figures(result, "A2", "2015-04") == (0, 1)
        assert figures(result, "A2", "2015-05") == (1, 1)
        drill = result.drill_down("referrals_to_initial_assessment", "A1", "2015-05")
        assert drill[drill["in_numerator"]]["record_id"].tolist() == ["r1", "r3"]

    def test_march_2015(self) -> None:
        # FY 2014/15 YTD to 31 March: r6 (no assessment) and r8 (a7 starts 10 May 2015, after
        # the end of March): 0 of 2
        result = run(self.extracts, "referrals_to_initial_assessment", ["2015-03"])
        assert figures(result, COUNTY, "2015-03") == (0, 2)


class TestMappedAssessments:
    """The mapping docs/registry-2011.md gives for refs 1-2 (single assessments held to the 2011
    timescales): the existing measure with timescale_working_days 10 and 35, across bank
    holidays (Good Friday 3 and Easter Monday 6 April 2015; 4 and 25 May 2015)."""

    def test_10_and_35_working_days(self) -> None:
        def assessment(aid: str, child: str, start: str, authorised: str) -> dict:
            return {"assessment_id": aid, "child_id": child, "team": "A1", "referral_id": None,
                    "start_date": start, "authorised_date": authorised}  # fmt: skip

        extracts = build(children=CHILDREN, assessments=[
            # Monday 30 March: working days 31 Mar, 1, 2, 7, 8, 9, 10, 13, 14 April (9), 15th the
            # 10th (Good Friday and Easter Monday skipped), 16th the 11th
            assessment("a1", "c1", "2015-03-30", "2015-04-15"),  # 10: in time
            assessment("a2", "c2", "2015-03-30", "2015-04-16"),  # 11: late
            # Friday 24 April: 27-30 Apr (4), 1 May (5), 5-8 (9; 4 May skipped), 11-15 (14),
            # 18-22 (19), 26-29 (23; 25 May skipped), 1-5 Jun (28), 8-12 (33), 15 (34), 16 (35)
            assessment("a3", "c3", "2015-04-24", "2015-06-16"),  # 35: in time
            assessment("a4", "c4", "2015-04-24", "2015-06-17"),  # 36: late
        ])  # fmt: skip
        registry = registry_2011()
        initial = compute(extracts, ["2015-06"], registry, county=COUNTY,
                          indicators=["initial_mapped_10_wd"])  # fmt: skip
        # June YTD (April-June): a1, a2, a3, a4 authorised; within 10: a1 only
        assert figures(initial, COUNTY, "2015-06") == (1, 4)
        core = compute(extracts, ["2015-06"], registry, county=COUNTY,
                       indicators=["core_mapped_35_wd"])  # fmt: skip
        # within 35: a1 (10), a2 (11), a3 (35); not a4 (36)
        assert figures(core, COUNTY, "2015-06") == (3, 4)


def typed(aid: str, child: str, start: str, authorised: str | None) -> dict:
    return {"assessment_id": aid, "child_id": child, "team": "A1", "referral_id": None,
            "start_date": start, "authorised_date": authorised}  # fmt: skip


class TestTypedAssessments:
    """Initial (10 working days) and core (35) assessments, as assessment_types records them."""

    extracts = build(
        children=CHILDREN,
        assessments=[
            typed("a1", "c1", "2015-03-30", "2015-04-15"),  # initial, 10th working day: in time
            typed("a2", "c2", "2015-03-30", "2015-04-16"),  # initial, 11th: late
            typed("a3", "c3", "2015-04-24", "2015-06-16"),  # core, 35th: in time
            typed("a4", "c4", "2015-04-24", "2015-06-17"),  # core, 36th: late
            typed("a5", "c5", "2015-04-01", "2015-04-02"),  # single: in neither
            typed("a6", "c6", "2015-04-01", "2015-04-02"),  # no type recorded: in neither
            # open on Tuesday 30 June 2015: from Friday 8 May, 11-15 May (5), 18-22 (10),
            # 26-29 (14; 25 May a bank holiday), the 22 working days of June: 36
            typed("a7", "c7", "2015-05-08", None),  # core: 36, overdue
            typed("a8", "c8", "2015-05-11", None),  # core: 35, not yet
            typed("a9", "c9", "2015-05-08", None),  # initial: not a core assessment
            typed("a10", "c10", "2015-05-08", "2015-06-30"),  # core, authorised on the snapshot
        ],
        assessment_types=[
            {"assessment_id": a, "assessment_type": t}
            for a, t in [
                ("a1", "initial"),
                ("a2", "initial"),
                ("a3", "core"),
                ("a4", "core"),
                ("a5", "single"),
                ("a7", "core"),
                ("a8", "core"),
                ("a9", "initial"),
                ("a10", "core"),
            ]
        ],
    )

    def test_initial_assessments_within_10_working_days(self) -> None:
        result = run(self.extracts, "initial_assessments_10_wd", ["2015-06"])
        # June YTD: initial assessments authorised a1 (in time) and a2 (late); a9 is open
        assert figures(result, COUNTY, "2015-06") == (1, 2)

    def test_core_assessments_within_35_working_days(self) -> None:
        result = run(self.extracts, "core_assessments_35_wd", ["2015-06"])
        # June YTD: core assessments authorised a3 (35), a4 (36), a10 (from 8 May to 30 June:
        # 36, late): 1 of 3
        assert figures(result, COUNTY, "2015-06") == (1, 3)

    def test_core_assessments_overdue(self) -> None:
        result = run(self.extracts, "core_assessments_overdue", ["2015-06"])
        assert count(result, COUNTY, "2015-06") == 1  # a7
        drill = result.drill_down("core_assessments_overdue", COUNTY, "2015-06")
        assert drill["record_id"].tolist() == ["a7"]

    def test_without_assessments_of_the_type(self) -> None:
        singles = build(
            children=CHILDREN,
            assessments=[typed("a5", "c5", "2015-04-01", None)],
            assessment_types=[{"assessment_id": "a5", "assessment_type": "single"}],
        )
        result = run(singles, "initial_assessments_10_wd", ["2015-06"])
        assert result.results["value"].isna().all()
        assert (result.results["note"] == "not computable: the assessment_types extract records "
                                          "no initial assessment").all()  # fmt: skip
        absent = build(children=CHILDREN, assessments=[typed("a5", "c5", "2015-04-01", None)])
        result = run(absent, "core_assessments_overdue", ["2015-06"])
        assert (result.results["note"] == "not computable: extract(s) absent: "
                                          "assessment_types").all()  # fmt: skip

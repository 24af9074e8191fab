"""Staffing (refs 40-44): tiny workforce and allocation extracts with hand-worked answers.

Default organisation (builders.py): A1 (assessment_and_family_support) and C1 (children_in_care)
in North; A2 (assessment_and_family_support) in South; F (fostering) county-wide; county "Shire".
Snapshot dates used: Thu 30 April 2015; Fri 29 May 2015 (31 May is a Sunday); Fri 28 August 2015
(31 August is the Summer bank holiday).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.measures.builders import COUNTY, build, figures, run


def post(
    pid: str,
    team: str,
    fte: float,
    contract: str,
    worker: str | None,
    *,
    role: str = "social_worker",
    caseholding: bool = True,
    qualified: bool | None = True,
    start: str = "2014-01-01",
    end: str | None = None,
) -> dict:
    return {"post_id": pid, "start_date": start, "end_date": end, "team": team, "role": role,
            "caseholding": caseholding, "fte": fte, "contract": contract, "worker_id": worker,
            "qualified_social_worker": qualified}  # fmt: skip


POSTS = [
    post("p1", "A1", 1.0, "permanent", "w1"),  # permanent QSW
    post("p2", "A1", 0.5, "agency", "w2", start="2015-01-01"),
    post("p3", "A1", 1.0, "vacant", None, qualified=None, start="2015-01-01"),
    post("p4", "A2", 0.8, "permanent", "w3", qualified=False),  # permanent, not qualified
    # p5: permanent QSW until the snapshot date 29 May 2015, agency from that day
    post("p5", "A2", 1.0, "permanent", "w4", end="2015-05-29"),
    post("p5", "A2", 1.0, "agency", "w5", start="2015-05-29"),
    post("p6", "C1", 1.0, "permanent", "w6", role="team_manager", caseholding=False),
    post("p7", "C1", 1.0, "fixed_term", "w7"),
    post("p8", "C1", 0.6, "permanent", "w8", start="2015-05-30"),  # Sat 30 May: after snapshot
    post("p9", "F", 1.0, "secondment", "w9", role="fostering_social_worker"),
    post("p10", "C1", 1.0, "permanent", "w10", qualified=None),  # qualification not recorded
]


class TestPosts:
    """Refs 40 and 41: shares of caseholding post FTE on the snapshot date, vacant posts included."""

    extracts = build(workforce=POSTS)
    months = ("2015-04", "2015-05")

    # Caseholding posts on both snapshots: p1 1.0, p2 0.5, p3 1.0, p4 0.8, p5 1.0, p7 1.0, p9 1.0,
    # p10 1.0 = 7.3 FTE (p6 is not caseholding; p8 starts after both snapshots).
    # By team: A1 2.5 (p1, p2, p3), A2 1.8 (p4, p5), C1 2.0 (p7, p10), F 1.0 (p9);
    # North = A1 + C1 = 4.5, South 1.8.

    def test_permanent_qualified(self) -> None:
        result = run(self.extracts, "posts_permanent_qsw", self.months)
        # 30 April: p1 1.0 and p5 1.0 (permanent QSW w4) -> 2.0 / 7.3
        assert figures(result, COUNTY, "2015-04") == pytest.approx((2.0, 7.3))
        assert figures(result, "A2", "2015-04") == pytest.approx((1.0, 1.8))
        # 29 May: w4's period of p5 ended that day (not open); the agency period started that day
        # -> only p1: 1.0 / 7.3. p4 unqualified, p7 fixed term, p9 seconded, p10 qualification
        # unknown, p3 vacant: all 0
        assert figures(result, COUNTY, "2015-05") == pytest.approx((1.0, 7.3))
        assert figures(result, "A1", "2015-05") == pytest.approx((1.0, 2.5))
        assert figures(result, "A2", "2015-05") == pytest.approx((0.0, 1.8))
        assert figures(result, "C1", "2015-05") == pytest.approx((0.0, 2.0))
        assert figures(result, "North", "2015-05") == pytest.approx((1.0, 4.5))
        assert figures(result, "South", "2015-05") == pytest.approx((0.0, 1.8))
        assert figures(result, "F", "2015-05") == pytest.approx((0.0, 1.0))
        drill = result.drill_down("posts_permanent_qsw", "A1", "2015-05")
        assert drill[["record_id", "in_numerator"]].values.tolist() == [
            ["p1", True], ["p2", False], ["p3", False]
        ]  # fmt: skip
        assert drill["denominator"].tolist() == [1.0, 0.5, 1.0]
        assert drill["child_id"].isna().all()

    def test_agency(self) -> None:
        result = run(self.extracts, "posts_agency", self.months)
        # 30 April: p2 0.5 -> 0.5 / 7.3;  29 May: p2 0.5 + p5 (agency from 29 May) 1.0 = 1.5 / 7.3
        assert figures(result, COUNTY, "2015-04") == pytest.approx((0.5, 7.3))
        assert figures(result, COUNTY, "2015-05") == pytest.approx((1.5, 7.3))
        assert figures(result, "South", "2015-05") == pytest.approx((1.0, 1.8))
        assert figures(result, "North", "2015-05") == pytest.approx((0.5, 4.5))
        assert figures(result, "F", "2015-05") == pytest.approx((0.0, 1.0))  # secondment
        drill = result.drill_down("posts_agency", "A2", "2015-05")
        assert drill[["record_id", "numerator", "in_numerator"]].values.tolist() == [
            ["p4", 0.0, False], ["p5", 1.0, True]
        ]  # fmt: skip

    def test_march_snapshot_and_no_posts(self) -> None:
        # 31 March 2015 (Tue): p8 not started, so the same 7.3 FTE; p5 permanent -> 2.0
        result = run(self.extracts, "posts_permanent_qsw", "2015-03")
        assert figures(result, COUNTY, "2015-03") == pytest.approx((2.0, 7.3))
        # 31 Dec 2013: before every post started -> 0 / 0, no result
        result = run(self.extracts, "posts_permanent_qsw", "2013-12")
        assert figures(result, COUNTY, "2013-12") == (0, 0)
        assert result.results["value"].isna().all()


CHILDREN = [{"child_id": f"c{i}", "date_of_birth": "2010-01-01"} for i in range(1, 16)]

WORKERS = [
    post("s1", "C1", 1.0, "permanent", "w1"),
    post("s2", "C1", 0.5, "agency", "w2", role="senior_practitioner", start="2015-01-01"),
    post("s3", "C1", 1.0, "permanent", "w3", role="family_support_worker", qualified=False),
    post("s4", "C1", 1.0, "permanent", "w4", role="team_manager", caseholding=False),
    post("s5", "C1", 1.0, "vacant", None, qualified=None),
    post("s6", "A1", 1.0, "permanent", "w5"),
    post("s7", "A2", 0.8, "permanent", "w6", end="2015-05-29"),  # ends on the May snapshot
    post("s8", "F", 1.0, "permanent", "w7", role="fostering_social_worker"),
    post("s9", "A1", 0.5, "permanent", "w8", role="fostering_social_worker"),  # not in team F
    post("s10", "A2", 1.0, "permanent", "w9", start="2015-08-31"),  # bank holiday, after snapshot
    post("s11", "A2", 0.6, "permanent", "w10"),  # no children allocated
    post("s12", "A1", 0.4, "permanent", "w11"),  # w11 holds two posts: 0.4 in A1 ...
    post("s13", "A2", 0.6, "permanent", "w11"),  # ... and 0.6 in A2
]


def allocation(
    aid: str, child: str, worker: str, team: str, start: str, end: str | None = None,
    role: str | None = None,
) -> dict:  # fmt: skip
    return {"allocation_id": aid, "child_id": child, "worker_id": worker, "team": team,
            "start_date": start, "end_date": end, "worker_role": role}  # fmt: skip


ALLOCATIONS = [
    allocation("a1", "c1", "w1", "C1", "2015-01-01"),
    allocation("a2", "c2", "w1", "C1", "2015-01-01", end="2015-05-29"),  # ends on the snapshot
    allocation("a3", "c3", "w1", "C1", "2015-05-29"),  # starts on the snapshot: open
    allocation("a4", "c3", "w1", "C1", "2015-05-01"),  # c3 twice to w1: one child
    allocation("a5", "c4", "w2", "C1", "2015-02-01", role="senior_practitioner"),
    allocation("a6", "c5", "w3", "C1", "2015-02-01"),  # family support worker: not counted
    allocation("a7", "c6", "w5", "A1", "2015-03-01"),
    allocation("a8", "c7", "w7", "F", "2015-03-01", role="fostering_social_worker"),
    allocation("a9", "c8", "w7", "F", "2015-03-01"),  # role blank: w7's post role applies
    allocation("a10", "c9", "w7", "F", "2015-03-01", role="social_worker"),  # not fostering
    allocation("a11", "c1", "w7", "F", "2015-03-01", role="fostering_social_worker"),
    allocation("a12", "c10", "w8", "A1", "2015-03-01", role="fostering_social_worker"),
    allocation("a13", "c11", "w6", "A2", "2015-04-01"),  # w6's post ends on 29 May
    allocation("a14", "c12", "m1", "C1", "2015-01-01"),  # worker not in a post: ignored
    allocation("a15", "c13", "w9", "A2", "2015-08-31"),
    allocation("a16", "c14", "w5", "A1", "2015-06-01", end="2015-08-31"),  # open on 28 Aug
    allocation("a17", "c15", "w11", "A2", "2015-03-01"),
]


class TestCaseloads:
    """Refs 42-44: children allocated to caseholding workers / their FTE, one row per worker."""

    extracts = build(children=CHILDREN, workforce=WORKERS, allocations=ALLOCATIONS)
    months = ("2015-05", "2015-08")

    def test_children_in_care_teams(self) -> None:
        result = run(self.extracts, "caseload_cic", self.months)
        # 29 May, C1 (the children-in-care team): w1 1.0 FTE with c1 and c3 (a2 ended on the
        # snapshot; a3 and a4 both c3) = 2; w2 0.5 FTE (agency senior practitioner) with c4 = 1.
        # w3 (family support worker), w4 (not caseholding), s5 (vacant) do not count.
        # -> 3 children / 1.5 FTE = 2.0
        assert figures(result, "C1", "2015-05") == pytest.approx((3.0, 1.5))
        assert figures(result, "North", "2015-05") == pytest.approx((3.0, 1.5))
        assert figures(result, COUNTY, "2015-05") == pytest.approx((3.0, 1.5))
        assert figures(result, "A1", "2015-05") == (0, 0)  # not a CIC team
        value = result.results.set_index(["unit", "month"])["value"]
        assert value[(COUNTY, result.results["month"].min())] == pytest.approx(2.0)
        drill = result.drill_down("caseload_cic", "C1", "2015-05")
        assert drill[["record_id", "numerator", "denominator", "in_numerator"]].values.tolist() == [
            ["w1", 2.0, 1.0, True], ["w2", 1.0, 0.5, True]
        ]  # fmt: skip
        # 28 Aug: a3/a4 (c3) and a1 (c1) still open for w1; a5 for w2 -> still 3 / 1.5
        assert figures(result, "C1", "2015-08") == pytest.approx((3.0, 1.5))

    def test_assessment_and_family_support_teams(self) -> None:
        result = run(self.extracts, "caseload_ait_fst", self.months)
        # 29 May: w5 (A1, 1.0) c6 = 1; w6's post ended on 29 May (not counted); w8 is a fostering
        # social worker (not here); w10 (A2, 0.6) 0 children; w11 holds 0.4 in A1 + 0.6 in A2 ->
        # one record, 1.0 FTE, in A2 (the larger post), c15 = 1. -> 2 children / 2.6 FTE
        assert figures(result, COUNTY, "2015-05") == pytest.approx((2.0, 2.6))
        assert figures(result, "A1", "2015-05") == pytest.approx((1.0, 1.0))
        assert figures(result, "A2", "2015-05") == pytest.approx((1.0, 1.6))
        assert figures(result, "South", "2015-05") == pytest.approx((1.0, 1.6))
        assert figures(result, "North", "2015-05") == pytest.approx((1.0, 1.0))
        drill = result.drill_down("caseload_ait_fst", "A2", "2015-05")
        assert drill[["record_id", "numerator", "denominator", "in_numerator"]].values.tolist() == [
            ["w10", 0.0, 0.6, False], ["w11", 1.0, 1.0, True]
        ]  # fmt: skip
        # 28 Aug (31 Aug bank holiday): w5 has c6 and c14 (a16 ends 31 Aug, open on 28 Aug) = 2;
        # w9's post and allocation start 31 Aug: not yet. w10 0, w11 1. -> 3 / 2.6
        assert figures(result, COUNTY, "2015-08") == pytest.approx((3.0, 2.6))
        assert figures(result, "A1", "2015-08") == pytest.approx((2.0, 1.0))

    def test_fostering_social_workers(self) -> None:
        result = run(self.extracts, "caseload_fostering", self.months)
        # 29 May: w7 (F, 1.0): c7, c8 (blank role), c1 = 3 (a10 recorded as social_worker: not a
        # fostering case); w8 (A1, 0.5, fostering role in an AFS team): c10 = 1 -> 4 / 1.5
        assert figures(result, COUNTY, "2015-05") == pytest.approx((4.0, 1.5))
        assert figures(result, "F", "2015-05") == pytest.approx((3.0, 1.0))
        assert figures(result, "A1", "2015-05") == pytest.approx((1.0, 0.5))
        assert figures(result, "North", "2015-05") == pytest.approx((1.0, 0.5))
        assert figures(result, "South", "2015-05") == (0, 0)
        drill = result.drill_down("caseload_fostering", COUNTY, "2015-05")
        assert drill[["record_id", "team", "numerator"]].values.tolist() == [
            ["w8", "A1", 1.0], ["w7", "F", 3.0]
        ]  # fmt: skip

    def test_no_workers(self) -> None:
        # allocations present, no eligible posts on the snapshot (31 Dec 2013, before every post)
        result = run(self.extracts, ["caseload_cic", "caseload_ait_fst", "caseload_fostering"],
                     "2013-12")  # fmt: skip
        county = result.results[result.results["unit"] == COUNTY]
        assert county["denominator"].tolist() == [0, 0, 0]
        assert county["value"].isna().all()
        # and an empty (header-only) allocations extract: workers count with 0 children
        allocations = self.extracts.allocations
        assert allocations is not None
        empty = replace(self.extracts, allocations=allocations.iloc[0:0])
        result = run(empty, "caseload_cic", "2015-05")
        assert figures(result, "C1", "2015-05") == pytest.approx((0.0, 1.5))

"""Measures of the domain Adoption: refs 28-31 (DfE adoption scorecard and SSDA903 concepts).

Periods of care come from :mod:`scorecard.measures.care_periods` (shared with the children in care
measures): chains of SSDA903 episodes linked by reason ceased X1, short breaks left out.
"""

from __future__ import annotations

import pandas as pd

from scorecard.measures.base import (
    MeasureInput,
    Shown,
    explained,
    in_period,
    measure,
    reasons,
)
from scorecard.measures.care_periods import CARE_CONTINUES, extract_periods_of_care, period_at
from scorecard.measures.kernels import pairs_merged

#: SSDA903 reasons episode ceased meaning the child was adopted.
ADOPTED = ("E11", "E12")


def _nth_date(events: pd.DataFrame, key: str, date: str, n: int) -> pd.DataFrame:
    """The ``n``-th (1-based) distinct ``date`` of each ``key``: columns ``key`` and ``_nth``."""
    distinct = events[[key, date]].drop_duplicates().sort_values([key, date])
    rank = distinct.groupby(key, sort=False).cumcount() + 1
    return distinct[rank == n].rename(columns={date: "_nth"})


@measure("adoption_plan_by_2nd_review", needs=("adoptions", "cic_episodes", "cic_reviews"))
def adoption_plan_by_2nd_review(inp: MeasureInput) -> pd.DataFrame:
    """Children with an agency decision maker's decision that they should be placed for adoption
    dated in the period (YTD); in the numerator when the decision was made on or before the date of
    the child's second CIC review of the period of care in which the decision falls (the child's
    latest period of care starting on or before the decision; reviews dated from its start to its
    end). Team: the adoption record's.

    Choice: a child whose second review of that period has not been held (or recorded) counts as
    decided by it, since the decision came first; several reviews on one day count as one. A
    decision made before the child's first period of care (or for a child with no CIC episodes) is
    compared with all the child's reviews. A child with several decisions in the period (after a reversal) counts once, by the
    latest decision.
    """
    adoptions = inp.extract("adoptions")
    periods = extract_periods_of_care(inp.extracts)
    reviews = inp.extract("cic_reviews")[["child_id", "review_date"]]

    decided = adoptions[adoptions["should_be_placed_date"].notna()]
    decided = period_at(decided, "should_be_placed_date", periods)
    pairs = pairs_merged(decided[["adoption_id", "child_id", "care_start", "care_end"]], reviews,
                         "child_id")  # fmt: skip
    in_care = (pairs["care_start"].isna() | (pairs["review_date"] >= pairs["care_start"])) & (
        pairs["care_end"].isna() | (pairs["review_date"] <= pairs["care_end"])
    )
    second = _nth_date(pairs[in_care], "adoption_id", "review_date", 2)
    flagged = decided.merge(second, on="adoption_id", how="left")
    flagged["_by_second"] = flagged["_nth"].isna() | (
        flagged["should_be_placed_date"] <= flagged["_nth"]
    )
    rows = in_period(flagged, "should_be_placed_date", inp)
    rows = rows.sort_values(["should_be_placed_date", "adoption_id"]).drop_duplicates(
        ["month", "child_id"], keep="last"
    )

    def why(frame: pd.DataFrame) -> Shown:  # the decision, the second review and why
        return Shown(
            reasons(
                [
                    (frame["_nth"].isna(),
                     "no second review of the period of care recorded: the decision came first"),
                    (frame["_by_second"],
                     "decided on or before the second review of the period of care"),
                ],
                "decided after the second review of the period of care",
                frame.index,
            ),
            {"decision_date": "should_be_placed_date", "care_start": "care_start",
             "second_review": "_nth"},
        )  # fmt: skip

    return explained(inp, rows, why, record_id="adoption_id", numerator="_by_second")


@measure("adoption_la_to_placed_days", needs=("adoptions", "cic_episodes"))
def adoption_la_to_placed_days(inp: MeasureInput) -> pd.DataFrame:
    """Children adopted in the period (adoption order dated in the YTD period): numerator the days
    from the start of the period of care that ended in adoption (the child's latest period of care
    starting on or before the adoption order) to the date the child was placed for adoption;
    denominator 1 per child; the result is the average (DfE adoption scorecard A1). For adoptions
    by the child's foster carer (``foster_carer_adoption``), the date the child moved in with the
    carer is used when it is earlier (the A10 adjustment). Team: the adoption record's.

    Choice: where the placed-for-adoption date is blank, the start of the first placed-for-adoption
    episode (A1-A6) of that period of care is used; a move-in date before the period of care began
    counts 0 days. Children with no period of care or no placement date are left out (the days
    cannot be computed); they show in no drill-down.
    """
    adoptions = inp.extract("adoptions")
    periods = extract_periods_of_care(inp.extracts)

    adopted = adoptions[adoptions["adoption_order_date"].notna()]
    adopted = period_at(
        adopted, "adoption_order_date", periods, columns=("care_start", "placed_start")
    )
    placed = adopted["placed_for_adoption_date"].fillna(adopted["placed_start"])
    moved_in = adopted["moved_in_with_carer_date"].where(
        adopted["foster_carer_adoption"].fillna(False).astype(bool)
    )
    arrived = pd.concat([placed, moved_in], axis=1).min(axis=1)
    days = (arrived - adopted["care_start"]).dt.days.clip(lower=0)
    known = adopted.assign(_days=days)[days.notna()]

    def why(frame: pd.DataFrame) -> Shown:  # the dates the days ran between, and which
        placed_on, moved_on = placed[frame.index], moved_in[frame.index]
        moved = "days from the start of care to moving in with the foster carer who adopted"
        first = "days from the start of care to the first placed-for-adoption episode"
        return Shown(
            reasons(
                [
                    (moved_on < placed_on, f"{moved} (before the placement)"),
                    (frame["placed_for_adoption_date"].isna(),
                     f"{first} (no placement date recorded)"),
                ],
                "days from the start of care to the placement for adoption",
                frame.index,
            ),
            {"care_start": "care_start", "placed_date": placed_on, "moved_in_date": moved_on,
             "days": "_days"},
        )  # fmt: skip

    return explained(inp, known, why, record_id="adoption_id", numerator="_days",
                     date="adoption_order_date")  # fmt: skip


@measure("adoption_order_to_match_days", needs=("adoptions",))
def adoption_order_to_match_days(inp: MeasureInput) -> pd.DataFrame:
    """Children adopted in the period (adoption order dated in the YTD period) who had a placement
    order: numerator the days from the placement order to the decision on a match with the adopters
    (0 when the match came first); denominator 1 per child; the result is the average (DfE adoption
    scorecard A2). Team: the adoption record's.

    Choice: a child with no match date recorded is left out (the days cannot be computed).
    """
    adoptions = inp.extract("adoptions")
    adopted = adoptions[
        adoptions["adoption_order_date"].notna()
        & adoptions["placement_order_date"].notna()
        & adoptions["match_date"].notna()
    ]
    days = (adopted["match_date"] - adopted["placement_order_date"]).dt.days.clip(lower=0)

    def why(frame: pd.DataFrame) -> Shown:  # the order, the match and the days between
        return Shown(
            reasons(
                [(frame["match_date"] < frame["placement_order_date"],
                  "matched before the placement order: 0 days")],
                "days from the placement order to the match",
                frame.index,
            ),
            {"placement_order_date": "placement_order_date", "match_date": "match_date",
             "days": "_days"},
        )  # fmt: skip

    return explained(inp, adopted.assign(_days=days), why, record_id="adoption_id",
                     numerator="_days", date="adoption_order_date")  # fmt: skip


@measure("cic_ceased_adopted", needs=("cic_episodes",))
def cic_ceased_adopted(inp: MeasureInput) -> pd.DataFrame:
    """Children who ceased to be looked after in the period (YTD): the end of a period of care, an
    episode ending with a reason ceased other than X1 (care continues), dated in the period; in the
    numerator when the reason is adoption (SSDA903 E11, E12). The record is the last episode of the
    period of care, and the team is that episode's.

    Choice: as in the DfE statistics, short-break periods (legal status V3/V4) are left out, and a
    child who ceased to be looked after more than once in the period counts once, by the last
    occasion. An episode ending with X1 not followed by another episode on the same day is a gap
    in the record, not leaving care, and is not counted.
    """
    periods = extract_periods_of_care(inp.extracts)
    ceased = periods[periods["care_end"].notna() & periods["reason_ceased"].ne(CARE_CONTINUES)]
    rows = in_period(ceased, "care_end", inp)
    rows = rows.sort_values(["care_end", "care_start", "last_episode_id"]).drop_duplicates(
        ["month", "child_id"], keep="last"
    )
    adopted = rows["reason_ceased"].isin(ADOPTED)

    def why(frame: pd.DataFrame) -> Shown:  # the period of care, its ending and why
        return Shown(
            reasons(
                [(adopted, "ceased to be looked after by adoption (E11, E12)")],
                "ceased to be looked after for another reason",
                frame.index,
            ),
            {"care_start": "care_start", "care_end": "care_end",
             "reason_ceased": "reason_ceased"},
        )  # fmt: skip

    return explained(inp, rows, why, record_id="last_episode_id", numerator=adopted)

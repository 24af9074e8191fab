"""Measures of the domain Children in need that the 2011 improvement plan set and the 44 lack.

``unallocated_over_28_days``: the improvement notice's "unallocated cases over 28 days".
"""

from __future__ import annotations

import pandas as pd

from scorecard.measures.base import MeasureInput, Shown, explained, measure, reasons, whole
from scorecard.measures.children_in_need import ALLOCATED_WORKER_ROLES
from scorecard.measures.kernels import last_in_groups, open_on_snapshot
from scorecard.measures.workers import allocations_to


@measure("unallocated_over_28_days", needs=("referrals", "allocations"), optional=("workforce",),
         parameters=(whole("days", "days a case has been without an allocated worker", 28,
                           minimum=0),))  # fmt: skip
def unallocated_over_28_days(inp: MeasureInput) -> pd.DataFrame:
    """Count of children with a referral (CIN episode) open on the snapshot date, no allocation to
    a social worker open on that date (as ``unallocated_cases``, ref 7, counts them), who have
    been without one for more than ``days`` (28) days: the snapshot date is more than 28 days
    after the later of the referral date and the end of the child's last allocation that ended
    on or before the snapshot date (29 days or more; exactly 28 is not over 28).

    Choices: the referral is the child's latest open one (latest referral date, then highest
    referral id), whose team is the team of the row, as for ref 7; an allocation's roles are
    those of ref 7 (social worker, senior practitioner, personal adviser; a blank role resolved
    from ``workforce`` when supplied). An allocation that ended before the referral does not
    shorten the wait."""
    limit = pd.Timedelta(days=int(inp.param("days")))
    cases = inp.open_records("referrals", "referral_date", "closure_date",
                             ("referral_id", "child_id", "team", "referral_date"))  # fmt: skip
    cases = last_in_groups(cases, ["month", "child_id"], ["referral_date", "referral_id"])
    allocations = allocations_to(
        inp.extract("allocations"), inp.extracts.get("workforce"), ALLOCATED_WORKER_ROLES
    )
    waiting = cases[~open_on_snapshot(allocations, cases, "child_id")].reset_index(drop=True)
    ended = allocations.loc[allocations["end_date"].notna(), ["child_id", "end_date"]]
    pairs = waiting[["month", "child_id", "snapshot"]].merge(ended, on="child_id")
    pairs = pairs[pairs["end_date"] <= pairs["snapshot"]]
    last_end = pairs.groupby(["month", "child_id"], observed=True)["end_date"].max()
    found = waiting[["month", "child_id"]].merge(
        last_end.rename("_last_end").reset_index(), on=["month", "child_id"], how="left"
    )["_last_end"]
    since = waiting["referral_date"].where(found.isna() | (found < waiting["referral_date"]), found)
    over = waiting[(waiting["snapshot"] - since > limit).to_numpy(dtype=bool)]

    def why(frame: pd.DataFrame) -> Shown:  # since when the child has waited, and how long
        waited = since[frame.index]
        return Shown(
            reasons([], f"no allocated worker for more than {limit.days} days", frame.index),
            {"referral_date": "referral_date", "last_allocation_end": found[frame.index],
             "waiting_since": waited, "snapshot_date": "snapshot",
             "days_waiting": (frame["snapshot"] - waited).dt.days},
        )  # fmt: skip

    return explained(inp, over, why, record_id="referral_id", numerator=1.0, denominator=None)

"""Who a case is allocated to: worker roles shared by the allocation and caseload measures."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from scorecard.measures.kernels import has_match

#: Roles that count as a case-holding social worker (refs 27, 42, 43).
SOCIAL_WORKER_ROLES = ("social_worker", "senior_practitioner")
#: Roles of a fostering social worker (ref 44).
FOSTERING_ROLES = ("fostering_social_worker",)


def allocations_to(
    allocations: pd.DataFrame,
    workforce: pd.DataFrame | None,
    roles: tuple[str, ...],
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The allocations to a worker in one of ``roles`` (only their ``columns``, in the extract's
    order, when given: no other column is copied).

    An allocation's own ``worker_role`` decides. A blank ``worker_role`` takes the worker's role
    from ``workforce`` when that extract is supplied (the allocation counts when the worker holds a
    post with one of ``roles`` at any time); without ``workforce`` a blank role counts, since a case
    management system records allocations to case-holding workers.
    """
    named = allocations["worker_role"].isin(roles)
    blank = allocations["worker_role"].isna()
    if workforce is not None:
        workers = workforce.loc[workforce["role"].isin(roles), ["worker_id"]].dropna()
        # (``allocations["worker_id"].isin(workers["worker_id"])`` on integer codes)
        blank &= has_match(allocations, workers, ["worker_id"])
    if columns is not None:
        allocations = allocations[[c for c in allocations.columns if c in columns]]
    return allocations[named | blank]

"""Measures of the domain Staffing: refs 40-44.

All five are snapshots of ``workforce`` (periods of posts) on the snapshot date, the last working
day of the month. A post period is in post on that day when it started on or before it and has no
end date or ends after it (a period ending on the snapshot date is not counted; the post's next
period, starting that day, is).

Refs 40 and 41 are shares of caseholding post FTE; one row per caseholding post, counted in the
post's team. Refs 42-44 are average caseloads; one row per worker, counted in the team of the
worker's post: numerator = children allocated to the worker, denominator = the worker's FTE.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from scorecard.extracts.arrays import group_codes
from scorecard.measures.base import (
    MeasureInput,
    NotComputable,
    Shown,
    at_snapshots,
    explained,
    measure,
    reasons,
)
from scorecard.measures.kernels import distinct_per_group, has_match, joint_keys
from scorecard.measures.workers import FOSTERING_ROLES, SOCIAL_WORKER_ROLES

#: The columns of ``workforce`` a drill-down of refs 40 and 41 shows.
SHOWN_COLUMNS = ["contract", "qualified_social_worker"]


def caseholding_posts(
    inp: MeasureInput, counted: Callable[[pd.DataFrame], pd.Series]
) -> pd.DataFrame:
    """Caseholding post periods in post on each snapshot date, vacant ones included: ``post_id,
    start_date, end_date, team, fte``, ``_counted`` (``counted`` of the ``workforce`` rows:
    whether the post counts in the numerator), for a drill-down also ``SHOWN_COLUMNS``, then
    ``month`` and ``snapshot``. The flag is worked out once per post period and no other column
    is copied for the snapshots."""
    workforce = inp.extract("workforce")
    caseholding = workforce["caseholding"].astype(bool).to_numpy()
    kept = ["post_id", "start_date", "end_date", "team", "fte"]
    posts = workforce.loc[caseholding, kept + SHOWN_COLUMNS if inp.detail else kept]
    flag = counted(workforce).to_numpy(dtype=bool)
    return at_snapshots(posts.assign(_counted=flag[caseholding]), inp)


def _permanent_qsw(workforce: pd.DataFrame) -> pd.Series:
    """Filled by a permanent worker recorded as a qualified social worker (ref 40)."""
    qualified = workforce["qualified_social_worker"].fillna(False).astype(bool)
    return (workforce["contract"] == "permanent") & qualified


@measure("posts_permanent_qsw", needs=("workforce",))
def posts_permanent_qsw(inp: MeasureInput) -> pd.DataFrame:
    """FTE of caseholding posts filled on the snapshot date by a permanent qualified social worker
    (contract permanent and the occupant recorded as a qualified social worker) / FTE of all
    caseholding posts on the snapshot date, vacant posts included. One row per post.

    Choice: an occupant whose qualification is not recorded is not counted as qualified; fixed-term
    and seconded staff are not permanent."""
    posts = caseholding_posts(inp, _permanent_qsw)
    permanent_qsw = posts["_counted"]

    def why(frame: pd.DataFrame) -> Shown:  # the contract, the qualification and why
        return Shown(
            reasons(
                [(permanent_qsw, "filled by a permanent qualified social worker"),
                 (frame["contract"] == "vacant", "vacant"),
                 (frame["contract"] == "permanent",
                  "filled by a permanent worker not recorded as a qualified social worker")],
                "filled by a worker on another contract",
                frame.index,
            ),
            {"snapshot_date": "snapshot", "contract": "contract",
             "qualified_social_worker": "qualified_social_worker", "fte": "fte"},
        )  # fmt: skip

    return explained(inp, posts, why, record_id="post_id",
                     numerator=posts["fte"].where(permanent_qsw, 0.0), denominator=posts["fte"],
                     child_id=None)  # fmt: skip


@measure("posts_agency", needs=("workforce",))
def posts_agency(inp: MeasureInput) -> pd.DataFrame:
    """FTE of caseholding posts filled on the snapshot date by agency staff (contract agency) / FTE
    of all caseholding posts on the snapshot date, vacant posts included. One row per post."""
    posts = caseholding_posts(inp, lambda workforce: workforce["contract"] == "agency")
    agency = posts["_counted"]

    def why(frame: pd.DataFrame) -> Shown:  # the contract and why
        return Shown(
            reasons(
                [(agency, "filled by agency staff"), (frame["contract"] == "vacant", "vacant")],
                "filled by a worker on another contract",
                frame.index,
            ),
            {"snapshot_date": "snapshot", "contract": "contract", "fte": "fte"},
        )

    return explained(inp, posts, why, record_id="post_id",
                     numerator=posts["fte"].where(agency, 0.0), denominator=posts["fte"],
                     child_id=None)  # fmt: skip


def _distinct_children(workers: pd.DataFrame, allocated: pd.DataFrame) -> pd.Series:
    """For each row of ``workers``, the number of distinct children of the rows of ``allocated``
    with its ``month`` and ``worker_id`` (missing where there is no such row; int64 when every
    worker has one), with a new RangeIndex: the column ``children`` of
    ``workers.merge(allocated.groupby(["month", "worker_id"])["child_id"].nunique()
    .rename("children").reset_index(), on=["month", "worker_id"], how="left")``, counted on
    integer codes (pandas' grouped count and merge hash the categories of coded identifiers)."""
    on = ["month", "worker_id"]
    keys = joint_keys(workers, allocated, on)
    if keys is None or allocated[on].isna().any().any():  # (pandas drops groups with a missing key)
        children = (
            allocated.groupby(on, sort=False)["child_id"].nunique().rename("children").reset_index()
        )
        return workers.merge(children, on=on, how="left")["children"]
    mine, theirs, size = keys
    counts = distinct_per_group(theirs, group_codes(allocated["child_id"]), size)[mine]
    found = np.bincount(theirs, minlength=size)[mine] > 0
    if found.all():
        return pd.Series(counts, name="children")
    return pd.Series(np.where(found, counts, np.nan), name="children")


def caseloads(
    inp: MeasureInput, roles: tuple[str, ...], team_types: tuple[str, ...] | None
) -> pd.DataFrame:
    """One row per worker and month: children allocated / FTE (see the measures' docstrings).

    Workers: occupants of caseholding, filled posts of one of ``roles`` on the snapshot date, in a
    team of one of ``team_types`` (any team when ``None``; the team type is the organisation
    table's). A worker in several such posts counts once, with the FTE of those posts summed, in the
    team of the largest (then the first by post id). Children: distinct children with an allocation
    to the worker open on the snapshot date whose ``worker_role`` is blank (the worker's post role
    applies) or one of ``roles``.
    """
    workforce = inp.extract("workforce")
    allocations = inp.extract("allocations")
    eligible = (
        workforce["caseholding"].astype(bool)
        & (workforce["contract"] != "vacant")
        & workforce["worker_id"].notna()
        & workforce["role"].isin(roles)
    )
    if team_types is not None:
        organisation = inp.extracts.organisation
        if organisation is None:
            raise NotComputable("the organisation table (team types) is absent")
        teams = organisation.loc[organisation["team_type"].isin(team_types), "team"]
        eligible &= workforce["team"].isin(teams)
    held = at_snapshots(workforce[eligible], inp)
    held = held.sort_values(
        ["month", "worker_id", "fte", "post_id"], ascending=[True, True, False, True]
    )
    workers = held.groupby(["month", "worker_id"], as_index=False, sort=False).agg(
        team=("team", "first"), fte=("fte", "sum"), snapshot=("snapshot", "first")
    )

    mine = (
        has_match(allocations, workers, ["worker_id"])  # (``isin``, on integer codes)
        & (allocations["worker_role"].isna() | allocations["worker_role"].isin(roles))
    )  # (only the columns read are copied)
    allocated = at_snapshots(allocations[["worker_id", "child_id", "start_date", "end_date"]][mine],
                             inp)  # fmt: skip
    workers = workers.reset_index(drop=True).assign(
        children=_distinct_children(workers, allocated)
    )
    allocated_children = workers["children"].fillna(0)

    def why(frame: pd.DataFrame) -> Shown:  # the children allocated, the FTE and why
        return Shown(
            reasons(
                [(allocated_children > 0,
                  "children allocated on the snapshot date, over the worker's FTE")],
                "no child allocated on the snapshot date: the worker's FTE counts, no child",
                frame.index,
            ),
            {"snapshot_date": "snapshot", "children_allocated": allocated_children,
             "fte": "fte"},
        )  # fmt: skip

    return explained(inp, workers, why, record_id="worker_id", numerator=allocated_children,
                     denominator=workers["fte"], child_id=None)  # fmt: skip


@measure("caseload_cic", needs=("workforce", "allocations"))
def caseload_cic(inp: MeasureInput) -> pd.DataFrame:
    """Children allocated on the snapshot date to the caseholding social workers (posts of role
    social worker or senior practitioner, filled, caseholding) of teams of type children_in_care,
    divided by those workers' FTE. One row per worker: numerator = distinct children with an
    allocation to the worker open on the snapshot date, denominator = the worker's FTE; workers with
    no children count in the FTE.

    Choices: agency and other non-permanent workers count like permanent ones; vacant posts and
    caseholding staff in other roles (e.g. family support workers) do not count. All of a worker's
    children count, whatever the team recorded on the allocation; an allocation whose worker_role
    names another role (e.g. a fostering social worker's) is not part of the caseload. A worker in
    several such posts counts once, with their FTE summed, in the team of the largest post."""
    return caseloads(inp, SOCIAL_WORKER_ROLES, ("children_in_care",))


@measure("caseload_ait_fst", needs=("workforce", "allocations"))
def caseload_ait_fst(inp: MeasureInput) -> pd.DataFrame:
    """Children allocated on the snapshot date to the caseholding social workers (posts of role
    social worker or senior practitioner, filled, caseholding) of teams of type
    assessment_and_family_support, divided by those workers' FTE. One row per worker: numerator =
    distinct children with an allocation to the worker open on the snapshot date, denominator = the
    worker's FTE; workers with no children count in the FTE.

    Choices: as for 42 (agency workers count; vacant posts and other roles do not; all of a worker's
    children count; allocations recorded under another worker_role do not)."""
    return caseloads(inp, SOCIAL_WORKER_ROLES, ("assessment_and_family_support",))


@measure("caseload_fostering", needs=("workforce", "allocations"))
def caseload_fostering(inp: MeasureInput) -> pd.DataFrame:
    """Cases allocated on the snapshot date to fostering social workers (filled caseholding posts of
    role fostering_social_worker), divided by those workers' FTE. One row per worker: numerator =
    distinct children with an allocation to the worker open on the snapshot date whose worker_role
    is fostering_social_worker (or blank, the worker's post role then applying), denominator = the
    worker's FTE; workers with no cases count in the FTE.

    Choice: fostering social workers are selected by the role of their post, in whatever team they
    sit (not only teams of type fostering); each counts in the team of their post."""
    return caseloads(inp, FOSTERING_ROLES, None)

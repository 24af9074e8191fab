"""SSDA903 episodes turned into periods of care and placements (shared by the CIC and adoption
measures).

* **Short breaks.** Episodes with legal status V3 or V4 (an agreed series of short-term
  placements, i.e. respite) are left out, as in the DfE looked-after statistics.
* **Period of care.** A run of a child's episodes in which each starts on the day the previous one
  ended and the previous one ended with reason X1 (episode ends, care continues). Any other start
  (the child's first episode, a gap, or a return after leaving care) begins a new period of care.
* **Placement.** A placement begins with a new period of care or with an episode whose reason for
  new episode (903 RNE) is S, P, T, B or U; an episode with RNE L (legal status change only)
  continues the placement of the episode before it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scorecard.extracts.arrays import group_codes
from scorecard.extracts.container import Extracts
from scorecard.measures.base import NotComputable, node, open_positions, open_rows
from scorecard.measures.kernels import pairs_merged, run_starts, sort_order

#: 903 legal statuses of short breaks (respite), ignored by every measure of care.
SHORT_BREAK_STATUSES = ("V3", "V4")
#: 903 reasons for new episode that start a new placement (besides a new period of care).
NEW_PLACEMENT_REASONS = ("S", "P", "T", "B", "U")
#: 903 reason ceased for an episode that ends while care continues.
CARE_CONTINUES = "X1"
#: 903 placement types "placed for adoption" (A3-A6, and the older codes A1, A2).
PLACED_FOR_ADOPTION = ("A1", "A2", "A3", "A4", "A5", "A6")


def care_episodes(episodes: pd.DataFrame) -> pd.DataFrame:
    """Episodes other than short breaks, with their period of care and placement.

    Adds ``period_id`` / ``period_start`` (the period of care the episode belongs to),
    ``placement_id`` / ``placement_start`` (its placement) and ``previous_placement_start`` (the
    start of the placement before it in the same period of care, else missing). The input is not
    modified.
    """
    eps = episodes[~episodes["legal_status"].isin(SHORT_BREAK_STATUSES)]
    # child, start, then end order (an open end last; as the extract's overlap check orders them):
    # "the child's previous episode" is the row before, whatever the order of the extract's rows
    # (sort_order: the order of that stable sort, on integer keys when the columns allow)
    order = sort_order(eps, ["child_id", "start_date", "end_date"])
    eps = eps.take(order).reset_index(drop=True)
    child = group_codes(eps["child_id"])
    same_child = np.zeros(len(eps), dtype=bool)
    same_child[1:] = (child[1:] == child[:-1]) & (child[1:] >= 0)
    start = eps["start_date"].to_numpy()
    previous_end = np.roll(eps["end_date"].to_numpy(), 1)
    continues = np.roll(eps["reason_ceased"].eq(CARE_CONTINUES).fillna(False).to_numpy(bool), 1)
    new_period = ~(same_child & continues & (start == previous_end))  # NaT never equals
    new_placement = new_period | eps["reason_new_episode"].isin(NEW_PLACEMENT_REASONS).to_numpy()
    period_id = np.cumsum(new_period)
    placement_id = np.cumsum(new_placement)
    first_of_period, first_of_placement = np.flatnonzero(new_period), np.flatnonzero(new_placement)
    placement_start = start[first_of_placement]
    # the placement before each placement, when it belongs to the same period of care
    previous = np.roll(placement_start, 1)
    same_period = np.zeros(len(first_of_placement), dtype=bool)
    same_period[1:] = period_id[first_of_placement[1:]] == period_id[first_of_placement[:-1]]
    previous = np.where(same_period, previous, np.datetime64("NaT"))
    return eps.assign(
        period_id=period_id,
        placement_id=placement_id,
        period_start=pd.Series(
            start[first_of_period][period_id - 1], dtype=eps["start_date"].dtype
        ),
        placement_start=pd.Series(placement_start[placement_id - 1], dtype=eps["start_date"].dtype),
        previous_placement_start=pd.Series(
            previous[placement_id - 1], dtype=eps["start_date"].dtype
        ),
    )


def placements(eps: pd.DataFrame) -> pd.DataFrame:
    """One row per placement of :func:`care_episodes`: ``child_id, placement_id, start, end``.

    ``end`` is the end of the placement's last episode (missing while it is open).
    """
    ids = eps["placement_id"].to_numpy()
    if len(ids) and (ids[1:] >= ids[:-1]).all():  # as care_episodes numbers them: runs
        starts = run_starts(ids)
        return pd.DataFrame(
            {
                "child_id": eps["child_id"].array[starts],
                "placement_id": ids[starts],
                "start": eps["start_date"].to_numpy()[starts],
                "end": eps["end_date"].to_numpy()[np.append(starts[1:], True)],
            }
        )
    spans = eps[["child_id", "placement_id", "start_date", "end_date"]]
    first = spans.drop_duplicates("placement_id", keep="first")
    last = spans.drop_duplicates("placement_id", keep="last")
    return pd.DataFrame(
        {
            "child_id": first["child_id"].array,
            "placement_id": first["placement_id"].to_numpy(),
            "start": first["start_date"].to_numpy(),
            # the last row of each placement, in the order of the first rows (rows of one
            # placement need not be next to each other here)
            "end": last.set_index("placement_id")["end_date"].reindex(first["placement_id"]).to_numpy(),
        }
    )


def _episodes(extracts: Extracts) -> pd.DataFrame:
    episodes = extracts.get("cic_episodes")
    if episodes is None:
        raise NotComputable("extract 'cic_episodes' is absent")
    return episodes


@node
def extract_care_episodes(extracts: Extracts) -> pd.DataFrame:
    """:func:`care_episodes` of the ``cic_episodes`` extract, built once per computation."""
    return care_episodes(_episodes(extracts))


def looked_after_on_snapshots(
    extracts: Extracts,
    months: pd.PeriodIndex,
    columns: Sequence[str] | None = None,
    keep: np.ndarray | None = None,
    snapshot: bool = True,
) -> pd.DataFrame:
    """The rows of :func:`extract_care_episodes` open on the snapshot date of each of ``months``
    (see :func:`~scorecard.measures.base.open_at`): the episode ``columns`` (default: all, in
    the episodes' order) then ``month`` and ``snapshot`` (the latter left out with
    ``snapshot=False``).

    Which episode is open on which snapshot is found once per computation; each caller gets only
    the columns it reads (a month-by-month copy of every episode column is the largest frame of
    the children-in-care measures). ``keep`` (a mask over the rows of
    :func:`looked_after_positions`) gives only those rows, labelled by their positions (see
    :func:`~scorecard.measures.base.open_rows`).
    """
    return open_rows(extracts, months, "start_date", "end_date", columns, extract_care_episodes,
                     keep=keep, snapshot=snapshot)  # fmt: skip


def looked_after_positions(extracts: Extracts, months: pd.PeriodIndex) -> pd.DataFrame:
    """``_row, month, snapshot, _at``: the row of :func:`extract_care_episodes` open on the
    snapshot date of each of ``months`` and the month's position in ``months``, in the order of
    :func:`looked_after_on_snapshots`."""
    return open_positions(extracts, months, "start_date", "end_date", extract_care_episodes)


@node
def extract_periods_of_care(extracts: Extracts) -> pd.DataFrame:
    """:func:`periods_of_care` of the ``cic_episodes`` extract, built once per computation."""
    return _periods(extract_care_episodes(extracts))


def periods_of_care(episodes: pd.DataFrame) -> pd.DataFrame:
    """One row per period of care of :func:`care_episodes`.

    Columns: ``period_id``, ``child_id``, ``care_start``, ``care_end`` (missing while open),
    ``reason_ceased`` (of its last episode), ``last_episode_id`` and ``team`` (of its last episode),
    ``placed_start`` (start of its first placed-for-adoption episode, A1-A6, if any).
    """
    return _periods(care_episodes(episodes))


def _periods(eps: pd.DataFrame) -> pd.DataFrame:
    """:func:`periods_of_care` from the episodes of :func:`care_episodes`."""
    ids = eps["period_id"].to_numpy()
    if len(ids) and not (ids[1:] >= ids[:-1]).all():  # not in runs (care_episodes gives runs)
        eps = eps.take(np.argsort(ids, kind="stable"))
        ids = eps["period_id"].to_numpy()
    begins = np.flatnonzero(run_starts(ids))  # each period's first and last episode
    first = eps.take(begins).set_index("period_id")
    ends = np.append(begins[1:] - 1, len(ids) - 1) if len(ids) else begins
    last = eps.take(ends).set_index("period_id")
    placed = (
        eps[eps["placement_type"].isin(PLACED_FOR_ADOPTION)]
        .groupby("period_id")["start_date"]
        .min()
    )
    periods = pd.DataFrame(
        {
            "child_id": first["child_id"],
            "care_start": first["start_date"],
            "care_end": last["end_date"],
            "reason_ceased": last["reason_ceased"],
            "last_episode_id": last["episode_id"],
            "team": last["team"],
        }
    )
    periods["placed_start"] = placed.reindex(periods.index)
    return periods.rename_axis("period_id").reset_index()


def period_at(
    frame: pd.DataFrame,
    date_column: str,
    periods: pd.DataFrame,
    columns: tuple[str, ...] = ("care_start", "care_end"),
) -> pd.DataFrame:
    """``frame`` with ``columns`` of the child's latest period of care starting on or before the
    date in ``date_column`` (missing when there is none or the date is missing); keeps the index."""
    left = frame[["child_id", date_column]].assign(_row=np.arange(len(frame)))
    wanted = list(dict.fromkeys(["child_id", "care_start", *columns]))
    pairs = pairs_merged(left, periods[wanted].rename(columns={"care_start": "_start"}), "child_id")
    pairs["care_start"] = pairs["_start"]
    started = pairs[pairs["_start"] <= pairs[date_column]]
    latest = started.sort_values(["_row", "_start"]).drop_duplicates("_row", keep="last")
    matched = left[["_row"]].merge(latest[["_row", *columns]], on="_row", how="left")
    return frame.assign(**{c: matched[c].to_numpy() for c in columns})

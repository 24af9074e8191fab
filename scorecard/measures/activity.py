"""The activity page: counts of children and starts per unit, for the current and previous month.

Not rated indicators but the context printed before the scorecard ("SCS Activity"): open cases,
children subject to CP plans, children in care and private fostering arrangements on the snapshot
date, and the month's referrals, CP plan starts and care starts. Each is counted in the team
holding the record and rolled up like the indicators.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from scorecard.extracts.container import Extracts
from scorecard.measures.aggregate import UnitGrid
from scorecard.measures.base import open_records, reporting_calendar
from scorecard.measures.care_periods import extract_periods_of_care, looked_after_on_snapshots
from scorecard.measures.kernels import last_in_groups
from scorecard.registry.model import Period, ValueUnit

Counter = Callable[[Extracts, pd.DataFrame], pd.DataFrame]


def _distinct_children(rows: pd.DataFrame, date: str) -> pd.DataFrame:
    """One row per month and child (the latest-starting record), keeping its team."""
    latest = last_in_groups(rows[["month", "child_id", date, "team"]], ["month", "child_id"], [date])
    return latest[["month", "team"]]


def _starts(frame: pd.DataFrame, date: str, calendar: pd.DataFrame) -> pd.DataFrame:
    months = frame[date].dt.to_period("M")
    kept = frame[months.isin(calendar["month"])]
    return pd.DataFrame({"month": months[kept.index], "team": kept["team"]})


def _months(calendar: pd.DataFrame) -> pd.PeriodIndex:
    return pd.PeriodIndex(calendar["month"], freq="M")


def open_cases(extracts: Extracts, calendar: pd.DataFrame) -> pd.DataFrame:
    rows = open_records(
        extracts, "referrals", _months(calendar), "referral_date", "closure_date",
        ("child_id", "team", "referral_date"),
    )  # fmt: skip
    return _distinct_children(rows, "referral_date")


def cp_children(extracts: Extracts, calendar: pd.DataFrame) -> pd.DataFrame:
    rows = open_records(
        extracts, "cp_plans", _months(calendar), columns=("child_id", "team", "start_date")
    )
    return _distinct_children(rows, "start_date")


def children_in_care(extracts: Extracts, calendar: pd.DataFrame) -> pd.DataFrame:
    rows = looked_after_on_snapshots(
        extracts, _months(calendar), ("child_id", "team", "start_date")
    )
    return _distinct_children(rows, "start_date")


def pf_arrangements(extracts: Extracts, calendar: pd.DataFrame) -> pd.DataFrame:
    rows = open_records(extracts, "pf_arrangements", _months(calendar), columns=("team",))
    return rows[["month", "team"]]


def referrals_started(extracts: Extracts, calendar: pd.DataFrame) -> pd.DataFrame:
    return _starts(extracts.get("referrals"), "referral_date", calendar)


def cp_plans_started(extracts: Extracts, calendar: pd.DataFrame) -> pd.DataFrame:
    return _starts(extracts.get("cp_plans"), "start_date", calendar)


def care_started(extracts: Extracts, calendar: pd.DataFrame) -> pd.DataFrame:
    periods = extract_periods_of_care(extracts)
    return _starts(periods, "care_start", calendar)


#: name -> (label, the extract it needs, counter), in the order of the activity page.
ACTIVITY: dict[str, tuple[str, str, Counter]] = {
    "open_cases": ("Open cases", "referrals", open_cases),
    "cp_children": ("Children subject to CP plans", "cp_plans", cp_children),
    "children_in_care": ("Children in care", "cic_episodes", children_in_care),
    "pf_arrangements": ("Private fostering arrangements", "pf_arrangements", pf_arrangements),
    "referrals": ("Referrals in the month", "referrals", referrals_started),
    "cp_plans_started": ("CP plans started in the month", "cp_plans", cp_plans_started),
    "care_started": ("Children starting care in the month", "cic_episodes", care_started),
}


def compute_activity(
    extracts: Extracts, months: pd.PeriodIndex, units: pd.DataFrame
) -> pd.DataFrame:
    """``activity, label, unit, level, month, count`` for every activity whose extract is present."""
    calendar = reporting_calendar(months, Period.SNAPSHOT)[["month", "snapshot"]]
    grid = UnitGrid(units, months)
    parts, labels = [], []
    for name, (label, needs, counter) in ACTIVITY.items():
        if extracts.get(needs) is None:
            continue
        rows = counter(extracts, calendar).assign(numerator=1.0, denominator=float("nan"))
        parts.append((name, ValueUnit.COUNT, grid.sums(rows)))
        labels.append(label)
    columns = ["activity", "label", "unit", "level", "month", "count"]
    if not parts:
        return pd.DataFrame(columns=columns)
    counted = grid.results(parts).rename(columns={"indicator": "activity", "numerator": "count"})
    counted["label"] = np.repeat(labels, len(counted) // len(parts))
    return counted[columns]

"""ImportResults built by hand, for the tests of combine, teams, writing and the CLI."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from scorecard.importers import ImportResult, report_rows

NA = pd.NA


def children(rows: list[tuple]) -> pd.DataFrame:
    """(child_id, date_of_birth, sex, uasc, disabled) -> a canonical children frame."""
    return pd.DataFrame(
        [
            {
                "child_id": c,
                "date_of_birth": dob,
                "expected_date_of_birth": None,
                "sex": sex,
                "uasc": uasc,
                "uasc_ceased_date": None,
                "disabled": disabled,
            }
            for c, dob, sex, uasc, disabled in rows
        ]
    )


def referrals(rows: list[tuple]) -> pd.DataFrame:
    """(referral_id, child_id, team, referral_date, closure_date)."""
    return pd.DataFrame(
        rows, columns=["referral_id", "child_id", "team", "referral_date", "closure_date"]
    )


def result(
    source: str,
    extracts: dict[str, pd.DataFrame],
    *,
    read: int = 0,
    first: str = "2014-04-01",
    last: str = "2015-03-31",
    years: tuple[str, ...] = ("2014/15",),
) -> ImportResult:
    report = report_rows(
        [
            {
                "source": source,
                "file": f"{source}.file",
                "table": name,
                "action": "read",
                "reason": "",
                "rows": len(frame),
                "detail": "",
            }
            for name, frame in extracts.items()
        ]
    )
    return ImportResult(
        source, extracts, report, years, dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    )

"""Financial years and reporting months.

A financial year (FY) runs from 1 April to 31 March and is written ``2015/16``. A reporting month is a
``pandas.Period`` of frequency ``M``. Everything here works on scalars and, where it matters for the
engine, on whole Series at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

_FY_LABEL = re.compile(r"^(?P<start>\d{4})/(?P<end>\d{2})$")

#: The month in which a financial year starts (April).
FY_START_MONTH = 4


@dataclass(frozen=True, order=True, slots=True)
class FinancialYear:
    """The financial year that starts on 1 April of ``start``: ``FinancialYear(2015)`` is 2015/16."""

    start: int

    @classmethod
    def parse(cls, label: str) -> FinancialYear:
        """Parse ``"2015/16"``; raise ``ValueError`` for anything else (``"2015/17"``, ``"15/16"``)."""
        match = _FY_LABEL.match(str(label).strip())
        if match is None:
            raise ValueError(f"financial year {label!r} is not of the form YYYY/YY, e.g. 2015/16")
        start = int(match["start"])
        if int(match["end"]) != (start + 1) % 100:
            raise ValueError(f"financial year {label!r}: {start}/ must be followed by {(start + 1) % 100:02d}")
        return cls(start)

    @classmethod
    def of(cls, when: pd.Period | date | str) -> FinancialYear:
        """The financial year containing a month or a date."""
        month = to_month(when)
        return cls(month.year if month.month >= FY_START_MONTH else month.year - 1)

    @property
    def label(self) -> str:
        return f"{self.start}/{(self.start + 1) % 100:02d}"

    @property
    def first_month(self) -> pd.Period:
        return pd.Period(year=self.start, month=FY_START_MONTH, freq="M")

    @property
    def last_month(self) -> pd.Period:
        return pd.Period(year=self.start + 1, month=FY_START_MONTH - 1, freq="M")

    @property
    def start_date(self) -> date:
        return date(self.start, FY_START_MONTH, 1)

    @property
    def end_date(self) -> date:
        return date(self.start + 1, FY_START_MONTH - 1, 31)

    def months(self) -> pd.PeriodIndex:
        return pd.period_range(self.first_month, self.last_month, freq="M")

    def __str__(self) -> str:
        return self.label


def to_month(when: Any) -> pd.Period:
    """A monthly ``Period`` from a Period, a date/Timestamp or a string such as ``"2015-05"``."""
    if isinstance(when, pd.Period):
        return when.asfreq("M")
    try:
        return pd.Period(when, freq="M")
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{when!r} is not a month (expected e.g. '2015-05')") from exc


def to_months(values: pd.Series) -> pd.Series:
    """A Series of monthly Periods from Periods, dates or ``YYYY-MM`` strings (vectorised).

    Raises ``ValueError`` naming the rows that cannot be read as a month.
    """
    if isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.asfreq("M")
    parsed = pd.to_datetime(values.astype("string"), errors="coerce", format="mixed")
    bad = parsed.isna() & values.notna()
    if bad.any():
        rows = list(values.index[bad][:10])
        raise ValueError(f"values that are not months (expected e.g. '2015-05') in rows {rows}")
    return parsed.dt.to_period("M")


def financial_year_starts(months: pd.Series) -> pd.Series:
    """For a Series of monthly Periods, the calendar year in which each month's FY starts."""
    year = months.dt.year
    return pd.Series(np.where(months.dt.month >= FY_START_MONTH, year, year - 1), index=months.index)


def financial_year_labels(starts: pd.Series) -> pd.Series:
    """``2015/16`` labels for a Series of financial-year start years (vectorised)."""
    return starts.astype(str) + "/" + ((starts + 1) % 100).astype(str).str.zfill(2)


def outturn_month(months: pd.Series) -> pd.Series:
    """March of the previous financial year: the outturn a month is compared with (vectorised)."""
    fy_start = financial_year_starts(months)
    return pd.Series(
        pd.PeriodIndex.from_fields(year=fy_start.to_numpy(), month=np.full(len(fy_start), 3), freq="M"),
        index=months.index,
    )

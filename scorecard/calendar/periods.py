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
            raise ValueError(
                f"financial year {label!r}: {start}/ must be followed by {(start + 1) % 100:02d}"
            )
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


#: A reporting month written as text: ``YYYY-MM`` with a two-digit month from 01 to 12.
#: (Years 1700 to 2199: extract dates are limited to pandas' 1678-2261, so a month outside cannot
#: be computed.)
MONTH_PATTERN = r"(?:1[7-9]|2[01])[0-9]{2}-(?:0[1-9]|1[0-2])"
_MONTH_TEXT = re.compile(MONTH_PATTERN)

#: What every month error asks for.
MONTH_FORMAT = "write months as YYYY-MM, e.g. '2015-05' (years 1700 to 2199)"


def to_month(when: Any) -> pd.Period:
    """A monthly ``Period`` from a Period, a date/Timestamp or a ``YYYY-MM`` string.

    Text must be exactly ``YYYY-MM`` (surrounding spaces aside): ``"2015-05"``. Anything else
    (``"01/02/2015"``, ``"2015"``, ``"May 15"``, ``"2015-5"``, ``"2015-13"``, ``"2015-00"``, a
    number) raises :class:`~scorecard.errors.UsageError` naming the value, never a guess such as
    January or year 1. A ``pd.Period`` of any frequency is taken as its month (a yearly Period:
    its last month, as ``Period.asfreq`` does); a date or Timestamp as the month containing it.
    """
    from scorecard.errors import UsageError

    if isinstance(when, pd.Period):
        return when.asfreq("M")
    if isinstance(when, str):
        text = when.strip()
        if _MONTH_TEXT.fullmatch(text):
            return pd.Period(text, freq="M")
        raise UsageError(f"{when!r} is not a month: {MONTH_FORMAT}")
    if isinstance(when, (date, np.datetime64)) and not pd.isna(when):  # Timestamp is a date
        return pd.Period(pd.Timestamp(when), freq="M")
    raise UsageError(f"{when!r} is not a month: {MONTH_FORMAT}")


def to_months(values: pd.Series) -> pd.Series:
    """A Series of monthly Periods from Periods, dates or ``YYYY-MM`` strings (vectorised).

    Text must be exactly ``YYYY-MM``, as in :func:`to_month`; missing values stay missing. Raises
    :class:`~scorecard.errors.UsageError` naming the rows and values that are not months (so a
    column mixing ``2015-05`` and ``2015-5`` is an error, not two spellings of May).
    """
    from scorecard.errors import UsageError

    if isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.asfreq("M")
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return (
            values.dt.tz_localize(None).dt.to_period("M")
            if values.dt.tz
            else values.dt.to_period("M")
        )
    text = values.astype("string").str.strip()
    good = text.str.fullmatch(MONTH_PATTERN).fillna(False).astype(bool)
    missing = values.isna()
    odd = ~good & ~missing
    # Period, Timestamp or date objects in an object column: taken as in ``to_month``.
    objects = odd.copy()
    if odd.any():
        kinds = values[odd].map(lambda v: isinstance(v, (pd.Period, date, np.datetime64)))
        objects[odd] = kinds.astype(bool)
    bad = odd & ~objects
    if bad.any():
        rows = list(values.index[bad][:10])
        shown = list(dict.fromkeys(str(v) for v in values[bad][:10]))
        raise UsageError(
            f"values that are not months in rows {rows} (values {shown}): {MONTH_FORMAT}"
        )
    months = pd.Series(pd.NaT, index=values.index, dtype="period[M]", name=values.name)
    if good.any():
        months[good] = pd.PeriodIndex(text[good].to_numpy(dtype=str), freq="M")
    if objects.any():
        months[objects] = [to_month(v) for v in values[objects]]
    return months


def financial_year_starts(months: pd.Series) -> pd.Series:
    """For a Series of monthly Periods, the calendar year in which each month's FY starts."""
    year = months.dt.year
    return pd.Series(
        np.where(months.dt.month >= FY_START_MONTH, year, year - 1), index=months.index
    )


def financial_year_labels(starts: pd.Series) -> pd.Series:
    """``2015/16`` labels for a Series of financial-year start years (vectorised)."""
    return starts.astype(str) + "/" + ((starts + 1) % 100).astype(str).str.zfill(2)


def outturn_month(months: pd.Series) -> pd.Series:
    """March of the previous financial year: the outturn a month is compared with (vectorised)."""
    fy_start = financial_year_starts(months)
    return pd.Series(
        pd.PeriodIndex.from_fields(
            year=fy_start.to_numpy(), month=np.full(len(fy_start), 3), freq="M"
        ),
        index=months.index,
    )

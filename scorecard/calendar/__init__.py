"""Calendar: financial years, reporting months, snapshot dates, working days, month arithmetic."""

from scorecard.calendar.months import (
    add_months,
    open_on,
    r12m_starts,
    r12m_window,
    within_months,
    ytd_starts,
    ytd_window,
)
from scorecard.calendar.periods import (
    FinancialYear,
    financial_year_labels,
    financial_year_starts,
    outturn_month,
    to_month,
    to_months,
)
from scorecard.calendar.working_days import (
    HOLIDAY_YEARS,
    add_working_days,
    add_working_days_to_date,
    bank_holidays,
    is_working_day,
    month_end,
    month_ends,
    snapshot_date,
    snapshot_dates,
    working_days_between,
    working_days_between_dates,
)

__all__ = [
    "HOLIDAY_YEARS",
    "FinancialYear",
    "add_months",
    "add_working_days",
    "add_working_days_to_date",
    "bank_holidays",
    "financial_year_labels",
    "financial_year_starts",
    "is_working_day",
    "month_end",
    "month_ends",
    "open_on",
    "outturn_month",
    "r12m_starts",
    "r12m_window",
    "snapshot_date",
    "snapshot_dates",
    "to_month",
    "to_months",
    "within_months",
    "working_days_between",
    "working_days_between_dates",
    "ytd_starts",
    "ytd_window",
]

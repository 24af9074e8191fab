"""Calendar: financial years, reporting months, snapshot dates, working days, month arithmetic."""

from scorecard.calendar.periods import (
    FinancialYear,
    financial_year_starts,
    outturn_month,
    to_month,
    to_months,
)

__all__ = ["FinancialYear", "financial_year_starts", "outturn_month", "to_month", "to_months"]

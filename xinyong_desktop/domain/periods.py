"""Publicity periods: eligibility and withdrawal dates from a decision date (calendar months, clamped)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta


def add_months(day: dt.date, months: int) -> dt.date:
    """2023-11-30 + 3 months = 2024-02-29: calendar arithmetic clamped to the month end."""
    return day + relativedelta(months=months)


@dataclass(frozen=True)
class Period:
    min_months: int
    max_months: int


@dataclass(frozen=True)
class Eligibility:
    eligible_from: dt.date
    withdrawn_on: dt.date

    def status(self, as_of: dt.date) -> str:
        if as_of >= self.withdrawn_on:
            return "withdrawn"
        if as_of >= self.eligible_from:
            return "eligible"
        return "not_yet"


def eligibility(decision_date: dt.date, period: Period, count_day_itself: bool = False) -> Eligibility:
    """Eligible from the day the minimum period has run (a setting decides whether day one counts)."""
    shift = dt.timedelta(days=-1 if count_day_itself else 0)
    return Eligibility(
        eligible_from=add_months(decision_date, period.min_months) + shift,
        withdrawn_on=add_months(decision_date, period.max_months) + shift,
    )

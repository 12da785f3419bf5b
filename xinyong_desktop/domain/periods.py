"""Publicity periods (公示期): when a record may be repaired and when its publication ends by itself.

Day counting follows 民法典 arts. 201–202 by default: the start day is not counted and a period of N months
ends on the corresponding day of the N-th month (clamped to the month end), so repair opens — and the
record leaves the portal — on the day *after* that end.  ``day_counting = "anniversary"`` (a setting in
periods.toml) opens on the corresponding day itself instead.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

CIVIL_CODE = "civil_code"
ANNIVERSARY = "anniversary"
DAY_COUNTINGS = (CIVIL_CODE, ANNIVERSARY)


def add_months(day: dt.date, months: int) -> dt.date:
    """2023-11-30 + 3 months = 2024-02-29: calendar arithmetic clamped to the month end."""
    return day + relativedelta(months=months)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """``n`` working days (Monday–Friday) after ``day``; public holidays are not known here."""
    out = day
    while n > 0:
        out += dt.timedelta(days=1)
        if out.weekday() < 5:
            n -= 1
    return out


@dataclass(frozen=True)
class Period:
    """One severity's periods under one rule set.

    min_months None: publication may not be ended early at all (e.g. NECIPS 吊销/停产停业).
    published False: in principle the record is not published (Order 36 轻微); if it is, these periods hold.
    """

    min_months: int | None
    max_months: int
    published: bool = True
    source: str = ""

    @property
    def repairable(self) -> bool:
        return self.min_months is not None


def period_end(start: dt.date, months: int, day_counting: str = CIVIL_CODE) -> dt.date:
    """The first day after a period of ``months`` counted from ``start`` (the day things may happen)."""
    end = add_months(start, months)
    if months == 0:
        return start  # no period: from the start day itself
    return end + dt.timedelta(days=1) if day_counting == CIVIL_CODE else end


@dataclass(frozen=True)
class Eligibility:
    eligible_from: dt.date | None  # None: may not be repaired early
    withdrawn_on: dt.date  # first day the record is no longer published
    start: dt.date  # the day the periods are counted from
    start_basis: str = "decision"  # decision | publication | estimated_publication
    published: bool = True
    note: str = ""

    @property
    def repairable(self) -> bool:
        return self.eligible_from is not None

    @property
    def last_published_day(self) -> dt.date:
        return self.withdrawn_on - dt.timedelta(days=1)

    def status(self, as_of: dt.date) -> str:
        """withdrawn | not_repairable | eligible | not_yet."""
        if as_of >= self.withdrawn_on:
            return "withdrawn"
        if self.eligible_from is None:
            return "not_repairable"
        if as_of >= self.eligible_from:
            return "eligible"
        return "not_yet"


def eligibility(start: dt.date, period: Period, day_counting: str = CIVIL_CODE, start_basis: str = "decision",
                note: str = "") -> Eligibility:
    """Eligible from the first day after the minimum period; off the portal the first day after the maximum."""
    if day_counting not in DAY_COUNTINGS:
        raise ValueError(day_counting)
    eligible = None if period.min_months is None else period_end(start, period.min_months, day_counting)
    return Eligibility(eligible, period_end(start, period.max_months, day_counting), start, start_basis,
                       period.published, note)

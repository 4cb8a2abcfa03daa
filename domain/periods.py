"""Report periods (seed 001, 003: the funnel, where deals get stuck, each manager's work): this week, this
month, last month, this quarter, or two days picked on a calendar.

A period is a span of whole days on the reader's calendar, both ends included. Reports query the database
with its half-open UTC bounds (``utc_bounds``): the first moment of the first day and the first moment of the
day after the last, in the reader's time zone, so a call logged at 23:30 local time counts on its own day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from domain.dates import add_months
from domain.errors import ValidationError

#: The longest custom period: a year and a day, so that "1 Jan – 1 Jan next year" still fits.
MAX_DAYS = 367


class PeriodKind(StrEnum):
    """The value is its short code in callback data."""

    WEEK = "week"
    MONTH = "month"
    LAST_MONTH = "last_month"
    QUARTER = "quarter"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    """Whole days ``first``..``last``, both included."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def utc_bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """``[start, end)`` in UTC: midnight of ``first`` and midnight after ``last`` on ``zone``'s clock."""
        start = datetime.combine(self.first, time(), zone).astimezone(UTC)
        end = datetime.combine(self.last + timedelta(days=1), time(), zone).astimezone(UTC)
        return start, end

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last

    def code(self) -> str:
        """A compact, parseable form for dialog data: ``2026-11-01..2026-11-30``."""
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    @classmethod
    def parse(cls, code: str) -> Period:
        first, _, last = code.partition("..")
        return custom_period(date.fromisoformat(first), date.fromisoformat(last))


def period_of(kind: PeriodKind, today: date) -> Period:
    """A named period around ``today`` (on the reader's calendar). A period that has not ended yet ends today:
    a report never counts days that have not come."""
    if kind is PeriodKind.WEEK:
        return Period(today - timedelta(days=today.weekday()), today)
    if kind is PeriodKind.MONTH:
        return Period(today.replace(day=1), today)
    if kind is PeriodKind.LAST_MONTH:
        first = add_months(today.replace(day=1), -1)
        return Period(first, today.replace(day=1) - timedelta(days=1))
    if kind is PeriodKind.QUARTER:
        return Period(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today)
    raise ValueError("a custom period is made by custom_period()")


def custom_period(first: date, last: date) -> Period:
    """Two days picked on the calendar, in either order; refused when longer than a year."""
    if last < first:
        first, last = last, first
    period = Period(first, last)
    if period.days > MAX_DAYS:
        raise ValidationError("report-err-period-long", "custom period over a year", days=MAX_DAYS)
    return period


def previous(period: Period) -> Period:
    """The period of the same length just before this one (for «было → стало» comparisons)."""
    return Period(period.first - timedelta(days=period.days), period.first - timedelta(days=1))

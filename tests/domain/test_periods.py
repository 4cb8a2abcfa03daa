"""Report periods (seed 001/003 reports): named periods end today, custom ones are ordered and bounded, and
the UTC bounds follow the reader's calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.errors import ValidationError
from domain.periods import MAX_DAYS, Period, PeriodKind, custom_period, period_of, previous

TODAY = date(2026, 12, 3)  # a Thursday


@pytest.mark.parametrize(
    ("kind", "first", "last"),
    [
        (PeriodKind.WEEK, date(2026, 11, 30), TODAY),
        (PeriodKind.MONTH, date(2026, 12, 1), TODAY),
        (PeriodKind.LAST_MONTH, date(2026, 11, 1), date(2026, 11, 30)),
        (PeriodKind.QUARTER, date(2026, 10, 1), TODAY),
    ],
)
def test_named_periods_end_today(kind: PeriodKind, first: date, last: date) -> None:
    assert period_of(kind, TODAY) == Period(first, last)


def test_last_month_across_new_year_and_february() -> None:
    assert period_of(PeriodKind.LAST_MONTH, date(2027, 1, 15)) == Period(
        date(2026, 12, 1), date(2026, 12, 31)
    )
    assert period_of(PeriodKind.LAST_MONTH, date(2028, 3, 31)) == Period(date(2028, 2, 1), date(2028, 2, 29))
    assert period_of(PeriodKind.QUARTER, date(2027, 3, 31)).first == date(2027, 1, 1)


def test_custom_period_is_ordered_and_at_most_a_year() -> None:
    assert custom_period(date(2026, 11, 20), date(2026, 11, 1)) == Period(
        date(2026, 11, 1), date(2026, 11, 20)
    )
    assert custom_period(date(2026, 1, 1), date(2027, 1, 1)).days == MAX_DAYS - 1
    with pytest.raises(ValidationError) as refused:
        custom_period(date(2025, 1, 1), date(2026, 6, 1))
    assert refused.value.key == "report-err-period-long"
    with pytest.raises(ValueError, match="custom"):
        period_of(PeriodKind.CUSTOM, TODAY)


def test_utc_bounds_follow_the_readers_day() -> None:
    start, end = Period(date(2026, 11, 1), date(2026, 11, 30)).utc_bounds(ZoneInfo("Asia/Yekaterinburg"))
    assert start == datetime(2026, 10, 31, 19, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 19, 0, tzinfo=UTC)


def test_code_round_trip_contains_and_previous() -> None:
    period = Period(date(2026, 11, 1), date(2026, 11, 30))
    assert Period.parse(period.code()) == period
    assert period.contains(date(2026, 11, 30)) and not period.contains(date(2026, 12, 1))
    assert previous(period) == Period(date(2026, 10, 2), date(2026, 10, 31))

"""R2h inverted for the discipline report: the bases (the last qualifying interaction, or the creation) whose
inactivity deadline falls in a window are one range, and a deal's own deadline says the same."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.deals import bases_going_inactive, inactivity_deadline

ZONES = [ZoneInfo("Europe/Moscow"), ZoneInfo("Asia/Vladivostok"), ZoneInfo("America/New_York"), UTC]
ORIGIN = datetime(2026, 1, 1, tzinfo=UTC)


@settings(max_examples=300, deadline=None)
@given(
    months=st.integers(min_value=1, max_value=6),
    zone=st.sampled_from(ZONES),
    start_hours=st.integers(min_value=0, max_value=24 * 365),
    length_hours=st.integers(min_value=0, max_value=24 * 70),
    basis_hours=st.integers(min_value=-24 * 220, max_value=24 * 450),
)
def test_a_basis_is_in_the_range_exactly_when_its_deadline_is_in_the_window(
    months: int, zone: ZoneInfo, start_hours: int, length_hours: int, basis_hours: int
) -> None:
    start = ORIGIN + timedelta(hours=start_hours)
    end = start + timedelta(hours=length_hours)
    basis = ORIGIN + timedelta(hours=basis_hours, minutes=basis_hours % 60)
    deadline = inactivity_deadline(basis, months, zone)
    assert deadline is not None
    bases = bases_going_inactive(months, start, end, zone)
    in_range = bases is not None and bases[0] <= basis < bases[1]
    assert in_range == (start <= deadline < end)


def test_a_window_with_no_midnight_in_it_has_no_bases() -> None:
    """Deadlines are midnights: a window from 10:00 to 20:00 of one day catches none."""
    zone = ZoneInfo("Europe/Moscow")
    start = datetime(2026, 11, 20, 10, tzinfo=zone)
    assert bases_going_inactive(2, start, start + timedelta(hours=10), zone) is None


def test_the_bases_of_a_month_are_the_days_two_months_before_it() -> None:
    """R2h with a 2-month period: the deals that go inactive in November 2026 (Moscow) had their last
    qualifying contact from 31 August to 29 September: the deadline is the midnight after day + 2 months."""
    zone = ZoneInfo("Europe/Moscow")
    bases = bases_going_inactive(
        2, datetime(2026, 11, 1, tzinfo=zone), datetime(2026, 12, 1, tzinfo=zone), zone
    )
    assert bases == (datetime(2026, 8, 31, tzinfo=zone), datetime(2026, 9, 30, tzinfo=zone))

"""R2: deals are correct or incorrect, active or inactive; one open deal per client and group."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from domain.deals import (
    DEFAULT_INACTIVITY_MONTHS,
    DEFAULT_PIPELINE,
    DealSnapshot,
    DealStatus,
    ProductLine,
    add_months,
    deal_state,
    effective_period_months,
    inactivity_deadline,
    inactivity_deadline_day,
    missing_fields,
    open_deal_key,
    total_amount,
)

MOSCOW = ZoneInfo("Europe/Moscow")
COMMENT = "Обсудили поставку 20 труб, отправляю КП со скидкой до пятницы"
LAST_CALL = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

CORRECT = DealSnapshot(
    product_group_id=3,
    stage_id=1,
    contact_id=7,
    comment=COMMENT,
    lines=[ProductLine(product_id=11, amount=Decimal("150000.00"))],
    status=DealStatus.OPEN,
    last_qualifying_at=LAST_CALL,
    created_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
    stage_period_months=None,
)


def test_r2_default_pipeline_follows_the_seed() -> None:
    assert [stage.code for stage in DEFAULT_PIPELINE] == [
        "identification",
        "qualification",
        "proposal",
        "negotiation",
        "closing",
        "post_sale",
    ]
    assert DEFAULT_PIPELINE[0].name == "Идентификация лида"
    assert DEFAULT_PIPELINE[-1].name == "Последующее обслуживание"


def test_r2a_won_and_lost_are_terminal() -> None:
    assert not DealStatus.OPEN.is_terminal
    assert DealStatus.WON.is_terminal
    assert DealStatus.LOST.is_terminal


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({}, []),
        ({"product_group_id": None}, ["product_group"]),
        ({"stage_id": None}, ["stage"]),
        ({"contact_id": None}, ["contact"]),
        ({"comment": None}, ["comment"]),
        ({"comment": "думает"}, ["comment"]),
        ({"comment": "НД, перезвонить"}, ["comment"]),
        ({"lines": []}, ["product_lines"]),
        ({"lines": [ProductLine(None, Decimal(100))]}, ["product_lines"]),
        ({"lines": [ProductLine(11, None)]}, ["product_lines"]),
        ({"lines": [ProductLine(11, Decimal(0))]}, ["product_lines"]),
        ({"lines": [ProductLine(11, Decimal(100)), ProductLine(12, None)]}, ["product_lines"]),
        (
            {"product_group_id": None, "stage_id": None, "contact_id": None, "comment": "", "lines": []},
            ["product_group", "stage", "contact", "comment", "product_lines"],
        ),
    ],
    ids=[
        "all-filled",
        "no-product-group",
        "no-stage",
        "no-contact",
        "no-comment",
        "r3-shorthand-comment",
        "r3-seed-shorthand",
        "no-product-lines",
        "line-without-product",
        "line-without-amount",
        "line-with-zero-amount",
        "one-half-filled-line",
        "nothing",
    ],
)
def test_r2f_required_fields(change: dict[str, object], missing: list[str]) -> None:
    deal = replace(CORRECT, **change)  # type: ignore[arg-type]
    assert missing_fields(deal) == missing
    assert deal_state(deal, LAST_CALL).correct is (not missing)


def test_r2g_incorrect_deal_is_always_inactive() -> None:
    state = deal_state(replace(CORRECT, comment="пообщались"), LAST_CALL)
    assert not state.correct
    assert not state.active
    assert state.problems == ("comment",)
    assert state.deadline is not None  # the deadline is still known, for when it is fixed


@pytest.mark.parametrize(
    ("last", "months", "deadline_day"),
    [
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 3, 10), 2, date(2026, 5, 10)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 3, 10), 14, date(2027, 5, 10)),
    ],
    ids=[
        "31-dec-to-28-feb",
        "31-dec-to-29-feb-leap",
        "31-jan-plus-one",
        "31-mar-to-30-apr",
        "plain",
        "over-new-year",
        "more-than-a-year",
    ],
)
def test_r2h_deadline_is_calendar_months_with_month_end_clamped(
    last: date, months: int, deadline_day: date
) -> None:
    assert add_months(last, months) == deadline_day
    moment = datetime.combine(last, datetime.min.time(), tzinfo=UTC).replace(hour=15)
    assert inactivity_deadline_day(moment, months) == deadline_day
    deadline = inactivity_deadline(moment, months)
    assert deadline is not None
    assert deadline.date() == deadline_day + timedelta(days=1)  # active through the whole deadline day
    assert (deadline.hour, deadline.minute, deadline.tzinfo) == (0, 0, UTC)


def test_r2h_add_months_keeps_time_and_zone_and_goes_backwards() -> None:
    moment = datetime(2026, 12, 31, 18, 45, tzinfo=MOSCOW)
    assert add_months(moment, 2) == datetime(2027, 2, 28, 18, 45, tzinfo=MOSCOW)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_r2h_deadline_day_is_read_on_the_company_clock() -> None:
    # 22:00 UTC on 31 Dec is already 1 Jan in Moscow.
    moment = datetime(2026, 12, 31, 22, 0, tzinfo=UTC)
    assert inactivity_deadline_day(moment, 2) == date(2027, 2, 28)
    assert inactivity_deadline_day(moment, 2, MOSCOW) == date(2027, 3, 1)
    assert inactivity_deadline(moment, 2, MOSCOW) == datetime(2027, 3, 2, tzinfo=MOSCOW)


def test_r2h_no_interaction_means_no_deadline() -> None:
    assert inactivity_deadline(None, 2) is None
    assert inactivity_deadline_day(None, 2) is None


def test_r2h_period_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least one month"):
        inactivity_deadline(LAST_CALL, 0)


@pytest.mark.parametrize(
    ("now", "active", "days_left"),
    [
        (datetime(2026, 3, 10, 12, 0, tzinfo=UTC), True, 61),
        (datetime(2026, 5, 3, 9, 0, tzinfo=UTC), True, 7),
        (datetime(2026, 5, 10, 23, 59, tzinfo=UTC), True, 0),
        (datetime(2026, 5, 11, 0, 0, tzinfo=UTC), False, -1),
        (datetime(2026, 7, 1, tzinfo=UTC), False, -52),
    ],
    ids=[
        "right-after-the-call",
        "a-week-left",
        "last-minute-of-deadline-day",
        "deadline-passed",
        "long-gone",
    ],
)
def test_r2h_correct_deal_is_active_until_the_deadline(now: datetime, active: bool, days_left: int) -> None:
    state = deal_state(CORRECT, now)
    assert state.correct
    assert state.active is active
    assert state.deadline == datetime(2026, 5, 11, tzinfo=UTC)
    assert state.deadline_day == date(2026, 5, 10)
    assert state.days_left == days_left
    assert state.problems == ()


def test_r2h_default_period_is_two_months() -> None:
    assert DEFAULT_INACTIVITY_MONTHS == 2


@pytest.mark.parametrize(
    ("default", "stage", "effective"),
    [(2, None, 2), (2, 1, 1), (2, 3, 2), (3, 2, 2)],
    ids=["no-override", "stage-is-shorter", "stage-cannot-lengthen", "configured-default"],
)
def test_r2h_stage_may_only_shorten_the_period(default: int, stage: int | None, effective: int) -> None:
    assert effective_period_months(default, stage) == effective


def test_r2h_stage_override_moves_the_deadline() -> None:
    state = deal_state(replace(CORRECT, stage_period_months=1), datetime(2026, 4, 15, tzinfo=UTC))
    assert state.deadline_day == date(2026, 4, 10)
    assert not state.active


def test_r2h_configured_period_is_used() -> None:
    state = deal_state(CORRECT, datetime(2026, 6, 1, tzinfo=UTC), default_period_months=3)
    assert state.deadline_day == date(2026, 6, 10)
    assert state.active


def test_r2h_new_deal_without_qualifying_interaction_counts_from_creation() -> None:
    deal = replace(CORRECT, last_qualifying_at=None)
    state = deal_state(deal, datetime(2026, 4, 1, tzinfo=UTC))
    assert state.deadline_day == date(2026, 5, 1)
    assert state.active


def test_r2h_days_left_on_the_company_clock() -> None:
    now = datetime(2026, 5, 10, 22, 0, tzinfo=UTC)  # 11 May, 01:00 in Moscow
    state = deal_state(CORRECT, now, tz=MOSCOW)
    assert state.deadline_day == date(2026, 5, 10)
    assert state.days_left == -1
    assert not state.active


def test_r2h_naive_timestamps_work_in_tests() -> None:
    deal = replace(CORRECT, last_qualifying_at=datetime(2026, 3, 10, 12, 0))
    state = deal_state(deal, datetime(2026, 5, 10, 12, 0))
    assert state.active
    assert state.days_left == 0


@pytest.mark.parametrize("status", [DealStatus.WON, DealStatus.LOST])
def test_r2a_closed_deal_has_no_deadline(status: DealStatus) -> None:
    state = deal_state(replace(CORRECT, status=status), LAST_CALL)
    assert state.correct
    assert not state.active
    assert state.deadline is None
    assert state.days_left is None


@pytest.mark.parametrize(
    ("client_id", "contact_id", "group_id", "key"),
    [
        (5, 7, 3, "client:5:group:3"),
        (None, 7, 3, "contact:7:group:3"),
    ],
    ids=["client-organisation", "otherwise-the-contact"],
)
def test_r2i_open_deal_key(client_id: int | None, contact_id: int, group_id: int, key: str) -> None:
    assert open_deal_key(client_id, contact_id, group_id) == key


def test_r2i_same_client_different_groups_are_fine() -> None:
    assert open_deal_key(5, 7, 3) != open_deal_key(5, 7, 4)
    assert open_deal_key(5, 7, 3) == open_deal_key(5, 8, 3)


def test_total_amount_adds_lines_to_the_kopeck() -> None:
    lines = [ProductLine(1, Decimal("100.5")), ProductLine(2, Decimal("49.50")), ProductLine(3, None)]
    assert total_amount(lines) == Decimal("150.00")
    assert total_amount([]) == Decimal("0.00")

"""Amounts of product lines (R2f) and due times of tasks, as managers type them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from domain.due import DueAt
from domain.errors import ValidationError
from domain.money import Money

MOSCOW = ZoneInfo("Europe/Moscow")
# Wednesday 13 May 2026, 12:00 in Moscow.
NOW = datetime(2026, 5, 13, 12, 0, tzinfo=MOSCOW)


# --- Money -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("150000", "150000"),
        ("150 000", "150000"),
        ("150\u00a0000", "150000"),
        ("150к", "150000"),
        ("150 К", "150000"),
        ("150k", "150000"),
        ("1,5 млн", "1500000"),
        ("1.5 млн", "1500000"),
        ("1.5k", "1500"),
        ("2 млрд", "2000000000"),
        ("150 тыс. руб.", "150000"),
        ("150 000 ₽", "150000"),
        ("150000 рублей", "150000"),
        ("1500,50", "1500.50"),
        ("1500.5", "1500.50"),
        ("1 500 000,50", "1500000.50"),
        ("1,500,000.50", "1500000.50"),
        ("1.500.000", "1500000"),
        ("1.234567 млн", "1234567"),
    ],
    ids=[
        "digits",
        "spaced",
        "nbsp",
        "cyrillic-k",
        "upper-k-spaced",
        "latin-k",
        "comma-mln",
        "dot-mln",
        "decimal-k",
        "mlrd",
        "tys-rub",
        "rouble-sign",
        "rubley",
        "comma-decimal",
        "dot-one-decimal",
        "spaced-with-kopecks",
        "english-grouping",
        "dotted-grouping",
        "many-decimals-times-million",
    ],
)
def test_r2f_amount_formats(typed: str, amount: str) -> None:
    money = Money.parse(typed)
    assert money.amount == Decimal(amount)
    assert money.amount.as_tuple().exponent == -2
    assert money.currency == "RUB"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("", "err-amount-empty"),
        ("сто тысяч", "err-amount-format"),
        ("150 попугаев", "err-amount-format"),
        ("1,500.000,5", "err-amount-format"),
        ("1.50.0", "err-amount-format"),
        ("0", "err-amount-not-positive"),
        ("0,00", "err-amount-not-positive"),
        ("-5000", "err-amount-not-positive"),
        ("−5к", "err-amount-not-positive"),
        ("10000000000001", "err-amount-too-large"),
        ("2000 млрд", "err-amount-too-large"),
        ("1.005", "err-amount-too-many-decimals"),
        ("150,000", "err-amount-too-many-decimals"),
        ("1.234567891 млн", "err-amount-too-many-decimals"),
    ],
    ids=[
        "empty",
        "words",
        "unknown-unit",
        "mixed-grouping",
        "broken-grouping",
        "zero",
        "zero-kopecks",
        "negative",
        "negative-unicode-minus",
        "over-a-trillion",
        "trillions",
        "three-decimals",
        "english-thousands-is-ambiguous",
        "fraction-of-a-kopeck",
    ],
)
def test_r2f_amount_refuses(typed: str, key: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Money.parse(typed)
    assert caught.value.key == key


@pytest.mark.parametrize(
    ("money", "shown"),
    [
        (Money(Decimal("150000.00")), "150\u00a0000\u00a0₽"),
        (Money(Decimal("1500.50")), "1\u00a0500,50\u00a0₽"),
        (Money(Decimal("99.00"), "USD"), "99\u00a0$"),
        (Money(Decimal("10.00"), "CNY"), "10\u00a0CNY"),
    ],
    ids=["roubles", "kopecks", "dollars", "other-currency-code"],
)
def test_money_display(money: Money, shown: str) -> None:
    assert money.display() == shown


def test_money_currency_is_upper_case() -> None:
    assert Money.parse("100", currency="usd").currency == "USD"


# --- Due time --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "local"),
    [
        ("завтра в 15:00", "2026-05-14 15:00"),
        ("Завтра 15:00", "2026-05-14 15:00"),
        ("на завтра", "2026-05-14 10:00"),
        ("сегодня в 18:30", "2026-05-13 18:30"),
        ("послезавтра в 9:05", "2026-05-15 09:05"),
        ("пт 11:00", "2026-05-15 11:00"),
        ("пятница 11:00", "2026-05-15 11:00"),
        ("в пятницу в 11:00", "2026-05-15 11:00"),
        ("fri 11:00", "2026-05-15 11:00"),
        ("next friday 11:00", "2026-05-15 11:00"),
        ("ср 13:00", "2026-05-13 13:00"),
        ("ср 11:00", "2026-05-20 11:00"),
        ("вторник", "2026-05-19 10:00"),
        ("через 3 дня", "2026-05-16 12:00"),
        ("через 3 дня в 9:00", "2026-05-16 09:00"),
        ("через день", "2026-05-14 12:00"),
        ("через час", "2026-05-13 13:00"),
        ("через 2 часа", "2026-05-13 14:00"),
        ("через 30 минут", "2026-05-13 12:30"),
        ("через неделю", "2026-05-20 12:00"),
        ("через 2 недели", "2026-05-27 12:00"),
        ("через месяц", "2026-06-13 12:00"),
        ("через год", "2027-05-13 12:00"),
        ("in 3 days", "2026-05-16 12:00"),
        ("in an hour", "2026-05-13 13:00"),
        ("tomorrow 15:00", "2026-05-14 15:00"),
        ("tomorrow at 3pm", "2026-05-14 15:00"),
        ("tomorrow 3:30 pm", "2026-05-14 15:30"),
        ("tomorrow 12am", "2026-05-14 00:00"),
        ("day after tomorrow", "2026-05-15 10:00"),
        ("25.12 10:30", "2026-12-25 10:30"),
        ("25/12 10:30", "2026-12-25 10:30"),
        ("25.12", "2026-12-25 10:00"),
        ("25.12.2026 10:30", "2026-12-25 10:30"),
        ("25.12.2026, в 10:30", "2026-12-25 10:30"),
        ("2026-12-25 10:30", "2026-12-25 10:30"),
        ("2026-12-25T10:30", "2026-12-25 10:30"),
        ("25 декабря 10:30", "2026-12-25 10:30"),
        ("25 декабря 2026 в 10", "2026-12-25 10:00"),
        ("10.01", "2027-01-10 10:00"),
        ("29.02", "2028-02-29 10:00"),
        ("13.05 18:00", "2026-05-13 18:00"),
        ("15:00", "2026-05-13 15:00"),
        ("в 11:00", "2026-05-14 11:00"),
        ("в 17 ч", "2026-05-13 17:00"),
    ],
    ids=lambda value: value if isinstance(value, str) and not value[:1].isdigit() else None,
)
def test_due_at_understands_how_managers_write(typed: str, local: str) -> None:
    due = DueAt.parse(typed, NOW, MOSCOW)
    assert due.local(MOSCOW).strftime("%Y-%m-%d %H:%M") == local
    assert due.at.tzinfo is UTC


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("", "err-due-empty"),
        ("когда-нибудь", "err-due-format"),
        ("через 3 попугая", "err-due-format"),
        ("через 0 дней", "err-due-format"),
        ("через 2 часа в 15:00", "err-due-format"),
        ("3 дня", "err-due-format"),
        ("сегодня в 11:00", "err-due-in-past"),
        ("сегодня", "err-due-in-past"),
        ("13.05 11:59", "err-due-in-past"),
        ("12.05.2026 15:00", "err-due-in-past"),
        ("01.01.0001", "err-due-in-past"),
        ("31.02", "err-date-impossible"),
        ("31.02.2027", "err-date-impossible"),
        ("32 декабря", "err-date-impossible"),
        ("завтра в 25:00", "err-time-impossible"),
        ("завтра в 10:60", "err-time-impossible"),
        ("tomorrow 13pm", "err-time-impossible"),
        ("31.12.2040", "err-due-too-far"),
        ("через 9999 лет", "err-due-too-far"),
        ("через 400 недель", "err-due-too-far"),
    ],
    ids=[
        "empty",
        "vague",
        "unknown-unit",
        "zero",
        "time-after-hours",
        "no-through",
        "earlier-today",
        "today-default-time-passed",
        "a-minute-ago",
        "yesterday",
        "ancient",
        "31-february",
        "31-february-with-year",
        "32-december",
        "hour-25",
        "minute-60",
        "13pm",
        "far-year",
        "far-relative",
        "far-weeks",
    ],
)
def test_due_at_refuses(typed: str, key: str) -> None:
    with pytest.raises(ValidationError) as caught:
        DueAt.parse(typed, NOW, MOSCOW)
    assert caught.value.key == key


def test_due_at_is_relative_to_the_managers_time_zone() -> None:
    # 23:30 UTC on 13 May is already 14 May in Vladivostok: «завтра» there is 15 May.
    now = datetime(2026, 5, 13, 23, 30, tzinfo=UTC)
    due = DueAt.parse("завтра в 10:00", now, ZoneInfo("Asia/Vladivostok"))
    assert due.at == datetime(2026, 5, 15, 0, 0, tzinfo=UTC)


def test_due_at_relative_hours_are_elapsed_time_across_dst() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    now = datetime(2026, 3, 29, 1, 30, tzinfo=berlin)  # clocks jump 02:00 → 03:00
    assert DueAt.parse("через 1 час", now, berlin).local(berlin).hour == 3


def test_due_at_days_keep_the_wall_clock_across_dst() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    now = datetime(2026, 3, 28, 12, 0, tzinfo=berlin)
    assert DueAt.parse("через 1 день", now, berlin).local(berlin).hour == 12


def test_due_at_wall_time_in_a_dst_gap_moves_past_the_gap() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    now = datetime(2026, 3, 28, 12, 0, tzinfo=berlin)
    assert DueAt.parse("завтра в 2:30", now, berlin).local(berlin).strftime("%H:%M") == "03:30"


def test_due_at_display_on_the_readers_clock() -> None:
    due = DueAt(datetime(2026, 12, 25, 7, 30, tzinfo=UTC))
    assert due.display(MOSCOW) == "25.12.2026 10:30"


def test_due_at_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        DueAt.parse("завтра", datetime(2026, 5, 13, 12, 0), MOSCOW)

"""Hand-made report data: deals on their own contacts at a chosen stage, and their stage history (the test
helpers that insert deals write no spans, so each test sets the history it asserts on)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import writing
from db.models import Deal, DealStageSpan, Stage, User
from tests.factories import make_contact, make_user
from tests.flows.deals.helpers import MANAGER, convertible_lead, insert_deal
from tests.harness import TgUser, t, tp

NAMES = ["Иванов Иван", "Петрова Анна", "Сидоров Олег", "Кузнецова Вера", "Орлов Павел", "Морозова Ирина"]
NAMES += ["Волков Денис", "Зайцева Мария", "Лебедев Артём", "Соколова Нина", "Попов Глеб", "Новикова Ева"]


def recent() -> datetime:
    """A moment a few seconds ago, in whole seconds, and never before today's midnight on the reader's
    clock (Moscow), so a span that ended then ends inside any period that ends today."""
    now = datetime.now(UTC).replace(microsecond=0)
    midnight = datetime.combine(
        now.astimezone(ZoneInfo("Europe/Moscow")).date(), time(), ZoneInfo("Europe/Moscow")
    )
    return max(now - timedelta(seconds=30), midnight.astimezone(UTC) + timedelta(seconds=1))


async def stage_id(sessionmaker: async_sessionmaker[AsyncSession], code: str) -> int:
    async with sessionmaker() as session:
        found = await session.scalar(select(Stage.id).where(Stage.code == code))
    assert found is not None
    return found


async def deal_at(
    sessionmaker: async_sessionmaker[AsyncSession],
    index: int,
    stage: str,
    *,
    telegram_id: int = MANAGER,
    amount_minor: int = 10_000_000,
    status: str = "open",
    expected_close: date | None = None,
    closed_at: datetime | None = None,
) -> int:
    """A deal of the user's on the ``index``-th contact, resting at ``stage`` (a code)."""
    async with sessionmaker() as session:
        existing = await session.scalar(select(User.id).where(User.telegram_id == telegram_id))
    manager_id = existing or await make_user(sessionmaker, telegram_id, full_name=f"Менеджер {telegram_id}")
    contact = await make_contact(
        sessionmaker,
        manager_id,
        name=NAMES[index],
        phone=f"+7916{index:07d}",
        email=f"client{index}@yandex.ru",
    )
    lead = await convertible_lead(sessionmaker, telegram_id=telegram_id, contact_id=contact)
    deal_id = await insert_deal(sessionmaker, lead, amount_minor=amount_minor, status=status)
    target = await stage_id(sessionmaker, stage)
    async with writing(sessionmaker) as session:
        deal = await session.get(Deal, deal_id)
        assert deal is not None
        deal.stage_id, deal.expected_close, deal.closed_at = target, expected_close, closed_at
    return deal_id


async def span(
    sessionmaker: async_sessionmaker[AsyncSession],
    deal_id: int,
    stage: str,
    entered: datetime,
    left: datetime | None = None,
) -> None:
    target = await stage_id(sessionmaker, stage)
    async with writing(sessionmaker) as session:
        session.add(DealStageSpan(deal_id=deal_id, stage_id=target, entered_at=entered, left_at=left))


async def open_report(user: TgUser, code: str, period: str = "month") -> list[str]:
    replies = await user.send("/report")
    assert t("report-ask-kind") in replies[-1]
    await user.click(tp(f"report-name-{code}"))
    return await user.click(tp(f"report-period-{period}"))

"""Shared rows and steps for the /log and task flow tests."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Interaction
from tests.factories import make_contact, make_deal, make_lead, make_user
from tests.harness import Harness, TgUser, first_line, tp

MANAGER, OTHER, LEAD_TG = 601, 602, 603
DISCUSSED = "Обсудили поставку 20 сканеров, клиенту важна цена"
AGREED = "Отправляю коммерческое предложение до пятницы, созвон в понедельник"
REACHED = tp("interaction-choice-call-reached")
NOT_REACHED = tp("interaction-choice-call-not-reached")
SUMMARY_FIELDS = ("subject", "kind", "outcome", "discussed", "agreed", "due", "verdict")
SUMMARY = first_line("interaction-summary", **dict.fromkeys(SUMMARY_FIELDS, ""))


async def count(sessionmaker: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def only_interaction(sessionmaker: async_sessionmaker[AsyncSession]) -> Interaction:
    async with sessionmaker() as session:
        rows = list(await session.scalars(select(Interaction)))
    assert len(rows) == 1
    return rows[0]


async def setup_lead(
    sessionmaker: async_sessionmaker[AsyncSession], telegram_id: int = MANAGER
) -> tuple[int, int]:
    manager = await make_user(sessionmaker, telegram_id)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    return manager, lead


async def setup_deal(
    sessionmaker: async_sessionmaker[AsyncSession], last: datetime | None = None
) -> tuple[int, int]:
    manager, lead = await setup_lead(sessionmaker)
    return manager, await make_deal(sessionmaker, lead, manager, last_qualifying_at=last)


async def pick(user: TgUser, lead_id: int, lang: str = "ru") -> list[str]:
    """Press the picker's button of ``lead_id`` (its label ends with the number)."""
    return await user.click(tp("pick-id", lang, id=lead_id))


async def reach_kind(harness: Harness, lead_id: int, telegram_id: int = MANAGER) -> TgUser:
    user = harness.user(telegram_id)
    await user.send("/log")
    await pick(user, lead_id)
    return user


def button_data(harness: Harness, telegram_id: int, label: str) -> str:
    """The callback data of the button ``label`` on the latest message to ``telegram_id``."""
    markup = harness.message(telegram_id).reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    data = next(b.callback_data for row in markup.inline_keyboard for b in row if b.text == label)
    assert data is not None
    return data

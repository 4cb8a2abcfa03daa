"""Shared steps and reads for the lead flow tests."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import AuditEntry, Lead
from tests.harness import TgUser, first_line, tp

Sessionmaker = async_sessionmaker[AsyncSession]

MANAGER, OTHER, LEAD_TG, MEMBER, ADMIN_TG = 501, 502, 503, 504, 505
DESCRIPTION = "Нужны 3 сканера для склада, запуск в марте"


async def count(sessionmaker: async_sessionmaker[AsyncSession], model: type = Lead) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def get_lead(sessionmaker: async_sessionmaker[AsyncSession], lead_id: int) -> Lead:
    async with sessionmaker() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        return lead


async def only_lead(sessionmaker: async_sessionmaker[AsyncSession]) -> Lead:
    async with sessionmaker() as session:
        [lead] = list(await session.scalars(select(Lead)))
        return lead


async def audit_actions(sessionmaker: async_sessionmaker[AsyncSession], lead_id: int) -> list[str]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity == "lead", AuditEntry.entity_id == lead_id)
            .order_by(AuditEntry.id)
        )
        return list(rows)


async def go_to_description(user: TgUser, contact: str = "Иванов Иван") -> list[str]:
    """/new_lead, the contact found by typing its name, «Сайт», «Оборудование»: the description step."""
    await user.send("/new_lead")
    await user.send(contact)
    await user.click(contact)
    await user.click("Сайт")
    return await user.click("Оборудование")


async def open_lead(user: TgUser, lead_id: int) -> list[str]:
    await user.send("/leads")
    return await user.click(f"№{lead_id} ")


def has_button(user: TgUser, key: str) -> bool:
    return tp(key) in user.buttons()


def button_data(user: TgUser, label: str) -> str:
    """The callback data of the latest button whose text contains ``label``."""
    from aiogram.types import InlineKeyboardMarkup

    for message in reversed(user.harness.messages_to(user.telegram_id)):
        if isinstance(message.reply_markup, InlineKeyboardMarkup):
            for row in message.reply_markup.inline_keyboard:
                for button in row:
                    if label in button.text and button.callback_data:
                        return button.callback_data
    raise AssertionError(f"no button {label!r}")


def forged_item(user: TgUser, label: str, item_id: int) -> str:
    """A dialog Select button of ``label`` with another item id: what a forger sends from the same window."""
    data = button_data(user, label)
    return data.rsplit(":", 1)[0] + f":{item_id}"


async def top_dialog(user: TgUser) -> tuple[str, dict[str, object]] | None:
    """The state and start data of the dialog on top of the user's stack."""
    from aiogram.fsm.storage.base import StorageKey

    harness = user.harness
    storage = harness.dispatcher.fsm.storage

    def key(destiny: str) -> StorageKey:
        return StorageKey(
            bot_id=harness.bot.id, chat_id=user.telegram_id, user_id=user.telegram_id, destiny=destiny
        )

    stack = await storage.get_data(key("aiogd:stack:"))
    if not stack or not stack.get("intents"):
        return None
    context = await storage.get_data(key(f"aiogd:context:{stack['intents'][-1]}"))
    return str(context["state"]), dict(context.get("start_data") or {})


def summary_title(lang: str = "ru") -> str:
    fields = ("contact", "source", "group", "description", "responsible")
    return first_line("lead-summary", lang, **dict.fromkeys(fields, ""))

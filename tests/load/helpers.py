"""Bursts of updates fed at once through the production dispatcher, and what each chat got back."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import CallbackQuery, Message, Update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import TranslatorHub
from db.engine import writing
from db.models import User as DbUser
from tests.factories import make_team
from tests.harness import Harness, TgUser

RU = TranslatorHub().get("ru")
GENERIC_ERROR = RU("error-generic")  # «Что-то пошло не так…» (bot/errors.py)
STALE = RU("button-stale")

_ids = itertools.count(5_000_000)


async def add_managers(
    sessionmaker: async_sessionmaker[AsyncSession], first_id: int, count: int
) -> list[int]:
    """``count`` active managers of one team, in one transaction; their Telegram ids."""
    team_id = await make_team(sessionmaker, "Продажи Север")
    ids = list(range(first_id, first_id + count))
    async with writing(sessionmaker) as session:
        session.add_all(
            DbUser(telegram_id=tid, role="manager", team_id=team_id, full_name="Иван Петров") for tid in ids
        )
    return ids


def text_update(user: TgUser, text: str) -> Update:
    message = Message(
        message_id=next(_ids), date=datetime.now(UTC), chat=user.chat, from_user=user.user, text=text
    )
    return Update(update_id=next(_ids), message=message)


def press_update(user: TgUser, data: str, message: Message) -> Update:
    query = CallbackQuery(
        id=str(next(_ids)), from_user=user.user, chat_instance="ci", message=message, data=data
    )
    return Update(update_id=next(_ids), callback_query=query)


async def feed_at_once(harness: Harness, updates: list[Update]) -> None:
    """All updates enter the dispatcher together, as a burst or a backlog at start would."""
    await asyncio.gather(*(harness.dispatcher.feed_update(harness.bot, update) for update in updates))


def texts_to(harness: Harness, chat_id: int, since: int = 0) -> list[str]:
    """Messages sent or edited in one chat, in order, from call number ``since``."""
    return [
        call.text
        for call in harness.session.calls[since:]
        if isinstance(call, SendMessage | EditMessageText) and int(call.chat_id or 0) == chat_id and call.text
    ]


def alerts(harness: Harness, since: int = 0) -> list[str]:
    return [
        call.text
        for call in harness.session.calls[since:]
        if isinstance(call, AnswerCallbackQuery) and call.text
    ]

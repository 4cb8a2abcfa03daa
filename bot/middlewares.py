"""Outer middlewares on every update: in-flight tracking, one DB session, and access control with i18n."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, TelegramObject, Update
from aiogram.types import User as TgUser
from aiogram_dialog.utils import REPLY_CALLBACK_SYMBOLS
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import Translator, TranslatorHub, pick_language
from bot.settings import Settings
from db import user_cache
from db.base import READER_LANGUAGE
from db.engine import CURRENT_SESSION, IMMEDIATE
from db.models import User
from db.repo import users
from domain.access import Actor, Role

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class InFlight(BaseMiddleware):
    """Counts updates being handled, so that shutdown can let them finish."""

    def __init__(self) -> None:
        self.count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        self.count += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self.count -= 1
            if self.count == 0:
                self._idle.set()

    async def wait_idle(self, timeout: float) -> bool:  # noqa: ASYNC109 - a bounded wait at shutdown
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True


class DbSession(BaseMiddleware):
    """One session per update; reads are deferred transactions, writes go through ``db.engine.write_tx``.

    The session is also published in ``db.engine.CURRENT_SESSION`` for the update's duration, so the FSM
    storage works through it: an update holds at most one pooled connection at a time, and 200 updates at once
    queue for the pool instead of deadlocking it (issue 9, finding 1).
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self.sessionmaker() as session:
            data["session"] = session
            token = CURRENT_SESSION.set(session)
            try:
                return await handler(event, data)
            finally:
                CURRENT_SESSION.reset(token)


async def _end_read(session: AsyncSession) -> None:
    """End the user lookup's read snapshot: its connection goes back to the pool before the handler runs, so
    an update waiting on the network (a refusal, a handler's first answer) holds none. Nothing is pending
    (writes went through ``write_tx``), and ``expire_on_commit=False`` keeps the loaded user usable."""
    if session.in_transaction():
        await session.commit()


class ReleaseBeforeNetwork(BaseRequestMiddleware):
    """Bot API calls made while an update is handled first end the update's read snapshot, so no pooled
    connection waits on the network (issue 9, finding 1). A write transaction (``write_tx``, begun IMMEDIATE)
    is left alone: its effects commit together or not at all."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        session = CURRENT_SESSION.get()
        if session is not None and session.in_transaction():
            connection = (await session.connection()).sync_connection
            if connection is not None and not connection.get_execution_options().get(IMMEDIATE, False):
                await session.commit()
        return await make_request(bot, method)


class InvisibleTail(BaseMiddleware):
    """Typed text never ends in the invisible characters aiogram-dialog reads as a reply-keyboard button.

    aiogram-dialog encodes a reply-keyboard button's callback data in trailing zero-width characters and
    turns a message that ends in them into a simulated button press. This bot has no reply-keyboard dialogs,
    and a pasted name or comment can end in a soft hyphen or a zero-width joiner: those are dropped, so the
    text is taken as the text it is.
    """

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        message = event.message
        if message is not None and message.text and message.text[-1] in REPLY_CALLBACK_SYMBOLS:
            text = message.text.rstrip(REPLY_CALLBACK_SYMBOLS)
            event = event.model_copy(update={"message": message.model_copy(update={"text": text})})
        return await handler(event, data)


def actor_of(user: User) -> Actor:
    return Actor(user_id=user.id, role=Role(user.role), team_id=user.team_id)


def _is_start(update: Update) -> bool:
    words = (update.message.text or "").split() if update.message is not None else []
    return bool(words) and words[0].split("@")[0] == "/start"


def _is_invite_start(update: Update) -> bool:
    message = update.message
    if message is None or not message.text:
        return False
    parts = message.text.split(maxsplit=1)
    return len(parts) == 2 and parts[0].split("@")[0] == "/start"


class Access(BaseMiddleware):
    """The bot is private to one company (SPEC "Access").

    - Group chats and channels are ignored.
    - ``ADMIN_IDS`` are admins from their first message.
    - Everyone else must have joined with an invite; an unknown or deactivated user gets a polite refusal that
      shows their Telegram id, for every kind of update, and no handler runs. Only ``/start <code>`` passes.
    - While ``ADMIN_IDS`` is empty (the first setup), an unknown user's ``/start`` also gets the line that
      makes them the admin, ``ADMIN_IDS=<their id>``; once there is an admin, the usual refusal.
    """

    def __init__(self, settings: Settings, hub: TranslatorHub) -> None:
        self.settings = settings
        self.hub = hub

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        chat: Chat | None = data.get("event_chat")
        tg_user: TgUser | None = data.get("event_from_user")
        if chat is not None and chat.type != "private":
            return None
        if tg_user is None or tg_user.is_bot:
            return None
        session: AsyncSession = data["session"]
        user: User | None = user_cache.get(tg_user.id)
        if user is None:
            if tg_user.id in self.settings.admin_ids:
                user = await users.ensure_admin(session, tg_user.id, tg_user.full_name, tg_user.username)
            else:
                user = await users.get_user_by_telegram_id(session, tg_user.id)
            if user is not None:
                user_cache.put(user)
                # Handlers get a detached copy: a write refused later in this update rolls the session back,
                # which would expire a loaded row and make any attribute read a query outside the event loop.
                user = user_cache.get(user.telegram_id) or user
        elif tg_user.id in self.settings.admin_ids and not (user.role == "admin" and user.is_active):
            user = await users.ensure_admin(session, tg_user.id, tg_user.full_name, tg_user.username)
        language = pick_language(
            user.language if user else None, tg_user.language_code, self.settings.default_language
        )
        i18n = self.hub.get(language)
        READER_LANGUAGE.set(i18n.language)
        data["i18n"] = i18n
        data["i18n_hub"] = self.hub
        if user is None or not user.is_active:
            await _end_read(session)
            data["user"] = None
            if _is_invite_start(event):
                return await handler(event, data)
            await self._refuse(event, data["bot"], i18n, self._refusal_key(user, event), tg_user)
            return None
        await users.refresh_profile(session, user, tg_user.full_name, tg_user.username)
        await _end_read(session)
        data["user"] = user
        data["actor"] = actor_of(user)
        return await handler(event, data)

    def _refusal_key(self, user: User | None, update: Update) -> str:
        if user is not None:
            return "access-deactivated"
        if not self.settings.admin_ids and _is_start(update):
            return "access-refused-no-admin"
        return "access-refused"

    @staticmethod
    async def _refuse(update: Update, bot: Bot, i18n: Translator, key: str, tg_user: TgUser) -> None:
        log.info("refused update %s of kind %s", update.update_id, update.event_type)
        text = i18n(key, user_id=str(tg_user.id))
        if update.callback_query is not None:
            await update.callback_query.answer(i18n.alert(key, user_id=str(tg_user.id)), show_alert=True)
        elif update.inline_query is not None:
            await update.inline_query.answer([], cache_time=0, is_personal=True)
        elif update.my_chat_member is not None and update.my_chat_member.new_chat_member.status == "kicked":
            return
        else:
            await bot.send_message(tg_user.id, text)

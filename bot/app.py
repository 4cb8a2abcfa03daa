"""Assembly: the same ``create_dispatcher()`` serves production and the tests."""

from __future__ import annotations

import secrets

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram_dialog import setup_dialogs
from aiogram_dialog.api.entities import stack as stack_entities
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import HandledOnce
from bot.errors import register_error_handlers
from bot.i18n import TranslatorHub
from bot.metrics import ErrorMetrics, UpdateMetrics
from bot.middlewares import Access, DbSession, InFlight, InvisibleTail, ReleaseBeforeNetwork
from bot.settings import Settings
from db.fsm_storage import SQLAlchemyStorage
from handlers import feature_routers


def _intent_id() -> int:
    """A dialog's id: aiogram-dialog's own is the current second plus one of 100 random values, so two dialogs
    opened in the same second (a form and the picker it opens at once) collide one time in a hundred and the
    first is overwritten. 40 random bits keep the id short in callback data and a collision negligible."""
    return secrets.randbits(40)


stack_entities.new_int_id = _intent_id


def create_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    if session is None:
        session = AiohttpSession()
        if settings.telegram_api_url:
            session.api = TelegramAPIServer.from_base(settings.telegram_api_url.rstrip("/"))
    session.middleware(ReleaseBeforeNetwork())
    return Bot(
        token=settings.require_token(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def create_storage(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], *, single_instance: bool = False
) -> tuple[BaseStorage, BaseEventIsolation | None]:
    """FSM state in the database by default; in Redis when ``REDIS_URL`` is set (scale-out).

    Each chat's updates are handled one at a time, other chats in parallel: a double tap or two quick messages
    run one after the other against the same form state (issue 9, finding 10). The database storage pairs with
    aiogram's in-process ``SimpleEventIsolation`` (one process owns an embedded database); Redis with Redis
    locks, which hold across instances. The database storage caches reads only when the caller knows this is
    the only instance on the database (``single_instance``: the runtime, after ``bot.leader`` checked).
    """
    if settings.redis_url:
        from aiogram.fsm.storage.base import DefaultKeyBuilder
        from aiogram.fsm.storage.redis import RedisStorage

        storage = RedisStorage.from_url(
            settings.redis_url, key_builder=DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
        )
        return storage, storage.create_isolation()
    return SQLAlchemyStorage(sessionmaker, read_cache=single_instance), SimpleEventIsolation()


def create_dispatcher(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    storage: BaseStorage | None = None,
    events_isolation: BaseEventIsolation | None = None,
    hub: TranslatorHub | None = None,
    single_instance: bool = False,
) -> Dispatcher:
    if storage is None:
        storage, events_isolation = create_storage(settings, sessionmaker, single_instance=single_instance)
    if events_isolation is None:
        events_isolation = SimpleEventIsolation()
    hub = hub or TranslatorHub()
    dispatcher = Dispatcher(storage=storage, events_isolation=events_isolation)
    dispatcher["settings"] = settings
    dispatcher["sessionmaker"] = sessionmaker
    dispatcher["i18n_hub"] = hub
    in_flight = InFlight()
    dispatcher["in_flight"] = in_flight
    dispatcher.update.outer_middleware(UpdateMetrics())
    dispatcher.update.outer_middleware(InvisibleTail())
    dispatcher.update.outer_middleware(in_flight)
    dispatcher.update.outer_middleware(DbSession(sessionmaker))
    dispatcher.update.outer_middleware(Access(settings, hub))
    dispatcher.update.outer_middleware(HandledOnce())
    dispatcher.include_routers(*feature_routers())
    # Dialog stacks and contexts live in the same FSM storage (SQL or Redis) and lock with the same isolation.
    setup_dialogs(dispatcher, events_isolation=events_isolation)
    register_error_handlers(dispatcher)
    dispatcher.errors.outer_middleware(ErrorMetrics())
    return dispatcher

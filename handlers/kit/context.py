"""What a getter or an action reads from the update: typed access to aiogram's middleware data."""

from __future__ import annotations

from typing import Any

from aiogram_dialog.api.protocols import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import parse_id
from bot.i18n import Translator
from bot.settings import Settings
from db.models import User
from domain.access import Actor
from domain.errors import Gone


def _get(manager: DialogManager, name: str, kind: type[Any]) -> Any:
    value = manager.middleware_data.get(name)
    assert isinstance(value, kind), f"middleware data {name!r} is missing"
    return value


def session_of(manager: DialogManager) -> AsyncSession:
    return _get(manager, "session", AsyncSession)  # type: ignore[no-any-return]


def writer_of(manager: DialogManager) -> AsyncSession | async_sessionmaker[AsyncSession]:
    """The dispatcher's sessionmaker, for a write in its own transaction apart from the update's (a rule
    refusal); the update's session when the dispatcher has none."""
    sessionmaker = manager.middleware_data.get("sessionmaker")
    return sessionmaker if isinstance(sessionmaker, async_sessionmaker) else session_of(manager)


def user_of(manager: DialogManager) -> User:
    return _get(manager, "user", User)  # type: ignore[no-any-return]


def actor_of(manager: DialogManager) -> Actor:
    return _get(manager, "actor", Actor)  # type: ignore[no-any-return]


def i18n_of(manager: DialogManager) -> Translator:
    return _get(manager, "i18n", Translator)  # type: ignore[no-any-return]


def settings_of(manager: DialogManager) -> Settings:
    return _get(manager, "settings", Settings)  # type: ignore[no-any-return]


def record_id(item_id: str) -> int:
    """A record id from a button (a ``Select`` item id comes from the client): ASCII digits 1 … 2^63−1, else
    the button is forged or out of date (:class:`domain.errors.Gone`, answered with one alert)."""
    value = parse_id(item_id)
    if value is None:
        raise Gone("a forged or out-of-date id")
    return value

"""What a getter or an action reads from the update: typed access to aiogram's middleware data."""

from __future__ import annotations

from typing import Any

from aiogram_dialog.api.protocols import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.settings import Settings
from db.models import User
from domain.access import Actor


def _get(manager: DialogManager, name: str, kind: type[Any]) -> Any:
    value = manager.middleware_data.get(name)
    assert isinstance(value, kind), f"middleware data {name!r} is missing"
    return value


def session_of(manager: DialogManager) -> AsyncSession:
    return _get(manager, "session", AsyncSession)  # type: ignore[no-any-return]


def user_of(manager: DialogManager) -> User:
    return _get(manager, "user", User)  # type: ignore[no-any-return]


def actor_of(manager: DialogManager) -> Actor:
    return _get(manager, "actor", Actor)  # type: ignore[no-any-return]


def i18n_of(manager: DialogManager) -> Translator:
    return _get(manager, "i18n", Translator)  # type: ignore[no-any-return]


def settings_of(manager: DialogManager) -> Settings:
    return _get(manager, "settings", Settings)  # type: ignore[no-any-return]

"""What the settings do: save a time zone or a language (each user's own), then show the settings again."""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from aiogram import Bot
from aiogram.types import Message
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import ManagedRadio

from bot.commands import set_user_commands
from bot.i18n import SUPPORTED, TranslatorHub
from db.repo import users
from domain.errors import Gone, ValidationError
from handlers.kit.context import i18n_of, session_of, user_of
from handlers.kit.inputs import clear_error
from handlers.kit.steps import tell
from handlers.preferences.states import SettingsMenu

log = logging.getLogger(__name__)

# Russia's zones west to east, then a few neighbours; any other IANA name can be typed.
COMMON_ZONES = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
    "Europe/Minsk",
    "Asia/Almaty",
)
LANGUAGE = "language"


def parse_zone(text: str, manager: DialogManager | None = None) -> str:
    """An IANA time zone name («Asia/Tashkent»), as the time zone database spells it."""
    name = text.strip()
    if name not in available_timezones():
        raise ValidationError("settings-timezone-invalid", "unknown time zone")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError("settings-timezone-invalid", "unknown time zone") from None
    return name


async def _save_zone(manager: DialogManager, zone: str) -> None:
    user = user_of(manager)
    clear_error(manager)
    await users.set_user_preferences(session_of(manager), user.id, timezone=zone)
    user.timezone = zone
    log.info("user %s changed their time zone", user.id)
    await manager.switch_to(SettingsMenu.main)


async def on_zone(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """A zone button; a forged one (not a zone) is out of date."""
    try:
        zone = parse_zone(item_id)
    except ValidationError:
        raise Gone("not a time zone") from None
    await _save_zone(manager, zone)


async def on_zone_typed(message: Message, widget: Any, manager: DialogManager, zone: str) -> None:
    await _save_zone(manager, zone)


async def to_language(event: Any, widget: Any, manager: DialogManager) -> None:
    """The language window, with the user's language checked."""
    radio = manager.find(LANGUAGE)
    assert isinstance(radio, ManagedRadio)
    await radio.set_checked(user_of(manager).language or i18n_of(manager).language)
    await manager.switch_to(SettingsMenu.language)


async def on_language(event: Any, widget: Any, manager: DialogManager, language: str) -> None:
    """Save the language; everything from here on (this window, the menu, the commands) is in it."""
    if language not in SUPPORTED:
        raise Gone("not a supported language")
    user = user_of(manager)
    if language == (user.language or i18n_of(manager).language):
        await manager.switch_to(SettingsMenu.main)
        return
    await users.set_user_preferences(session_of(manager), user.id, language=language)
    user.language = language
    hub = manager.middleware_data["i18n_hub"]
    assert isinstance(hub, TranslatorHub)
    manager.middleware_data["i18n"] = hub.get(language)
    log.info("user %s changed their language", user.id)
    await tell(manager, "menu-title")
    bot = manager.middleware_data.get("bot")
    if isinstance(bot, Bot):
        await set_user_commands(bot, user, hub)
    await manager.switch_to(SettingsMenu.main)

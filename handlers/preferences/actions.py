"""What the settings do: save a time zone, a language, a work phone or a work e-mail (each user's own), then
show the settings again."""

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
from domain.contacts import card_phone, is_own_card
from domain.errors import Gone, ValidationError
from domain.values import Email, MobilePhone
from handlers.kit.context import i18n_of, session_of, settings_of, user_of
from handlers.kit.inputs import clear_error, set_error
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


# --- the weekly report (team leads and admins) --------------------------------------------------------


async def toggle_weekly(event: Any, widget: Any, manager: DialogManager) -> None:
    user = user_of(manager)
    if user.role not in {"team_lead", "admin"}:
        return
    on = not user.weekly_report
    await users.set_weekly_report(session_of(manager), user.id, on)
    user.weekly_report = on
    log.info("user %s switched their weekly report %s", user.id, "on" if on else "off")


# --- the user's own work phone and e-mail (R4b: never accepted in a client's contact) -----------------


def parse_work_phone(text: str, manager: DialogManager) -> str:
    return MobilePhone.parse(text, settings_of(manager).default_phone_region).e164


def parse_work_email(text: str, manager: DialogManager) -> str:
    """Any valid address: a work e-mail is usually on the company's own domain."""
    return Email.parse(text).value


async def _save_work(manager: DialogManager, field: users.WorkContact, value: str | None) -> None:
    user = user_of(manager)
    clear_error(manager)
    await users.set_work_contact(session_of(manager), user.id, field, value)
    setattr(user, field, value)
    log.info("user %s changed their %s", user.id, field)
    await manager.switch_to(SettingsMenu.main)


async def on_work_phone(message: Message, widget: Any, manager: DialogManager, phone: str) -> None:
    await _save_work(manager, "work_phone", phone)


async def on_own_card(message: Message, widget: Any, manager: DialogManager) -> None:
    """The user's own Telegram contact card fills the work phone; anyone else's is refused."""
    card = message.contact
    assert card is not None
    sender = message.from_user.id if message.from_user is not None else None
    if not is_own_card(card.user_id, sender):
        set_error(manager, "settings-err-not-own-card")
        return
    try:
        phone = card_phone(card.phone_number, settings_of(manager).default_phone_region).e164
    except ValidationError as refusal:
        set_error(manager, refusal.key, **refusal.params)
        return
    await _save_work(manager, "work_phone", phone)


async def on_work_email(message: Message, widget: Any, manager: DialogManager, email: str) -> None:
    await _save_work(manager, "work_email", email)


async def remove_work_phone(event: Any, widget: Any, manager: DialogManager) -> None:
    await _save_work(manager, "work_phone", None)


async def remove_work_email(event: Any, widget: Any, manager: DialogManager) -> None:
    await _save_work(manager, "work_email", None)


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

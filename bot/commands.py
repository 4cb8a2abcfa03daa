"""Command lists shown by Telegram, per language; admins also get the admin commands in their own chat."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.i18n import SUPPORTED, TranslatorHub
from db.models import User

log = logging.getLogger(__name__)

USER_COMMANDS = (
    "today",
    "new_contact",
    "new_lead",
    "log",
    "new_deal",
    "task",
    "leads",
    "deals",
    "contacts",
    "clients",
    "find",
    "report",
    "export",
    "settings",
    "menu",
    "help",
    "cancel",
)
TEAM_LEAD_COMMANDS = ("reassign", "import")
ADMIN_COMMANDS = ("invite", "reassign", "import", "outbox")


def command_list(hub: TranslatorHub, language: str, names: tuple[str, ...]) -> list[BotCommand]:
    i18n = hub.get(language)
    return [BotCommand(command=name, description=i18n(f"cmd-{name.replace('_', '-')}")) for name in names]


async def set_default_commands(bot: Bot, hub: TranslatorHub) -> None:
    await bot.set_my_commands(command_list(hub, hub.default, USER_COMMANDS), scope=BotCommandScopeDefault())
    for language in SUPPORTED:
        await bot.set_my_commands(
            command_list(hub, language, USER_COMMANDS), scope=BotCommandScopeDefault(), language_code=language
        )


async def set_user_commands(bot: Bot, user: User, hub: TranslatorHub) -> None:
    """Admins see the admin commands and team leads theirs (``/reassign``, ``/import``) through a chat scope;
    everyone else uses the default lists."""
    scope = BotCommandScopeChat(chat_id=user.telegram_id)
    extra = {"admin": ADMIN_COMMANDS, "team_lead": TEAM_LEAD_COMMANDS}.get(user.role)
    try:
        if extra is not None and user.is_active:
            language = user.language or hub.default
            await bot.set_my_commands(command_list(hub, language, USER_COMMANDS + extra), scope=scope)
        else:
            await bot.delete_my_commands(scope=scope)
    except TelegramAPIError as exc:
        log.warning("could not set commands for user %s: %s", user.id, type(exc).__name__)

"""The main menu: a reply keyboard with large buttons for the SPEC's actions, in the user's language."""

from __future__ import annotations

from typing import Any

from aiogram.filters import BaseFilter
from aiogram.types import KeyboardButton, Message, ReplyKeyboardMarkup

from bot.i18n import Translator, TranslatorHub

# (action, locale key of its button). The action is also the command name where one exists.
MENU_ACTIONS: tuple[tuple[str, str], ...] = (
    ("today", "menu-today"),
    ("new_contact", "menu-new-contact"),
    ("new_lead", "menu-new-lead"),
    ("log", "menu-log"),
    ("new_deal", "menu-new-deal"),
    ("leads", "menu-leads"),
    ("deals", "menu-deals"),
    ("contacts", "menu-contacts"),
    ("clients", "menu-clients"),
    ("find", "menu-find"),
    ("report", "menu-report"),
    ("settings", "menu-settings"),
    ("help", "menu-help"),
)
MENU_KEYS = dict(MENU_ACTIONS)


def main_menu(i18n: Translator) -> ReplyKeyboardMarkup:
    labels = [i18n(key) for _action, key in MENU_ACTIONS]
    rows = [labels[i : i + 2] for i in range(0, len(labels), 2)]
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=label) for label in row] for row in rows],
        resize_keyboard=True,
        is_persistent=True,
    )


class MenuButton(BaseFilter):
    """Matches the menu button of ``action`` in any supported language."""

    def __init__(self, *actions: str) -> None:
        self.keys = [MENU_KEYS[action] for action in actions]

    async def __call__(self, message: Message, i18n_hub: TranslatorHub, **_: Any) -> bool:
        if not message.text:
            return False
        return any(message.text in i18n_hub.all_variants(key) for key in self.keys)


class AnyMenuButton(BaseFilter):
    """Matches any menu button; gives the handler the ``menu_action`` it stands for."""

    async def __call__(self, message: Message, i18n_hub: TranslatorHub, **_: Any) -> bool | dict[str, str]:
        if not message.text:
            return False
        for action, key in MENU_ACTIONS:
            if message.text in i18n_hub.all_variants(key):
                return {"menu_action": action}
        return False

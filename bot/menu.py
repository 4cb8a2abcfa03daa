"""The main menu: a reply keyboard with large buttons for the SPEC's actions, in the user's language.

A field manager's phone shows eight buttons at most: the seven actions used most, then «Ещё», which swaps in
the second keyboard with the rest and «Главное меню» to come back.
"""

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
# The first keyboard, most used first; the rest is under «Ещё».
FIRST = ("today", "log", "new_contact", "new_lead", "new_deal", "leads", "deals")
MORE_KEY = "menu-more"
BACK_KEY = "menu-main"


def _keyboard(labels: list[str]) -> ReplyKeyboardMarkup:
    rows = [labels[i : i + 2] for i in range(0, len(labels), 2)]
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=label) for label in row] for row in rows],
        resize_keyboard=True,
        is_persistent=True,
    )


def main_menu(i18n: Translator) -> ReplyKeyboardMarkup:
    return _keyboard([*(i18n(MENU_KEYS[action]) for action in FIRST), i18n(MORE_KEY)])


def more_menu(i18n: Translator) -> ReplyKeyboardMarkup:
    rest = [i18n(key) for action, key in MENU_ACTIONS if action not in FIRST]
    return _keyboard([*rest, i18n(BACK_KEY)])


class MenuButton(BaseFilter):
    """Matches the menu button of ``action`` in any supported language."""

    def __init__(self, *actions: str) -> None:
        self.keys = [MENU_KEYS[action] for action in actions]

    async def __call__(self, message: Message, i18n_hub: TranslatorHub, **_: Any) -> bool:
        if not message.text:
            return False
        return any(message.text in i18n_hub.all_variants(key) for key in self.keys)


class CatalogText(BaseFilter):
    """A message whose text is catalog message ``key`` in any supported language (a reply-keyboard button)."""

    def __init__(self, key: str) -> None:
        self.key = key

    async def __call__(self, message: Message, i18n_hub: TranslatorHub, **_: Any) -> bool:
        return bool(message.text) and message.text in i18n_hub.all_variants(self.key)


class Words(BaseFilter):
    """A message that is one of ``words``, whatever the case (an async filter: no thread hop)."""

    def __init__(self, words: set[str]) -> None:
        self.words = frozenset(word.casefold() for word in words)

    async def __call__(self, message: Message, **_: Any) -> bool:
        return (message.text or "").strip().casefold() in self.words


class AnyMenuButton(BaseFilter):
    """Matches any menu button; gives the handler the ``menu_action`` it stands for."""

    async def __call__(self, message: Message, i18n_hub: TranslatorHub, **_: Any) -> bool | dict[str, str]:
        if not message.text:
            return False
        for action, key in MENU_ACTIONS:
            if message.text in i18n_hub.all_variants(key):
                return {"menu_action": action}
        return False

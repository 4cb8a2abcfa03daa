"""Conventions shared by every conversational form (SPEC "Interface conventions").

Every step says what it wants with an example, re-asks with the reason on bad input, and has "back" and
"cancel". Forms keep their answers in FSM data (persisted), and the states they came through in ``_back``, so
"back" returns to the previous step whichever path led here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiogram.filters import BaseFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import NavCb, PageCb
from bot.i18n import Translator, TranslatorHub
from bot.menu import MENU_KEYS

BACK_KEY = "_back"
HISTORY_LIMIT = 30


class FormInput(BaseFilter):
    """A message meant as an answer to the current step: not a command and not a main-menu button.

    Commands and menu buttons fall through to their own routers, so a manager can always leave a form by
    starting another action.
    """

    async def __call__(self, message: Message, i18n_hub: TranslatorHub, **_: Any) -> bool:
        text = message.text or ""
        if text.startswith("/"):
            return False
        return not any(text in i18n_hub.all_variants(key) for key in MENU_KEYS.values())


async def form_data(state: FSMContext, key: str) -> dict[str, Any]:
    """A form's own answers, kept under its key in FSM data, so nested forms never overwrite each other."""
    return dict((await state.get_data()).get(key) or {})


async def update_form(state: FSMContext, key: str, **values: Any) -> dict[str, Any]:
    form = await form_data(state, key)
    form.update(values)
    await state.update_data({key: form})
    return form


def message_of(query: CallbackQuery) -> Message | None:
    """The bot message a button was pressed on, when Telegram still has it."""
    return query.message if isinstance(query.message, Message) else None


async def deny(query: CallbackQuery, i18n: Translator, key: str = "access-denied") -> None:
    """A refused button press: an alert, and nothing changes (SPEC "Access")."""
    await query.answer(i18n(key), show_alert=True)


async def stale(query: CallbackQuery, i18n: Translator) -> None:
    """A button from an old message, or for a record that is gone: it says so and changes nothing."""
    await query.answer(i18n("button-stale"), show_alert=True)


async def goto(state: FSMContext, new_state: State) -> None:
    """Move to ``new_state`` and remember where we came from, for "back"."""
    current = await state.get_state()
    history = list((await state.get_data()).get(BACK_KEY, []))
    if current and current != new_state.state:
        history.append(current)
    await state.update_data({BACK_KEY: history[-HISTORY_LIMIT:]})
    await state.set_state(new_state)


async def go_back(state: FSMContext) -> str | None:
    """Return to the previous step; ``None`` when this was the first step."""
    history = list((await state.get_data()).get(BACK_KEY, []))
    if not history:
        return None
    previous = history.pop()
    await state.update_data({BACK_KEY: history})
    await state.set_state(previous)
    return str(previous)


def nav_rows(i18n: Translator, *, back: bool = True, skip: bool = False) -> list[list[InlineKeyboardButton]]:
    row: list[InlineKeyboardButton] = []
    if back:
        row.append(InlineKeyboardButton(text=i18n("btn-back"), callback_data=NavCb(action="back").pack()))
    if skip:
        row.append(InlineKeyboardButton(text=i18n("btn-skip"), callback_data=NavCb(action="skip").pack()))
    row.append(InlineKeyboardButton(text=i18n("btn-cancel"), callback_data=NavCb(action="cancel").pack()))
    return [row]


def step_keyboard(
    i18n: Translator,
    options: Sequence[tuple[str, CallbackData]] = (),
    *,
    back: bool = True,
    skip: bool = False,
    columns: int = 1,
) -> InlineKeyboardMarkup:
    """Choices for a step (each a label and its callback data), then back / skip / cancel."""
    builder = InlineKeyboardBuilder()
    for label, data in options:
        builder.button(text=label, callback_data=data)
    builder.adjust(columns)
    for row in nav_rows(i18n, back=back, skip=skip):
        builder.row(*row)
    return builder.as_markup()


def pager_row(
    i18n: Translator, kind: str, page: int, has_next: bool, flt: str = ""
) -> list[InlineKeyboardButton]:
    """« and » buttons for a paginated list (only the ones that lead somewhere)."""
    row: list[InlineKeyboardButton] = []
    if page > 0:
        row.append(
            InlineKeyboardButton(
                text=i18n("btn-prev"), callback_data=PageCb(kind=kind, page=page - 1, flt=flt).pack()
            )
        )
    if has_next:
        row.append(
            InlineKeyboardButton(
                text=i18n("btn-next"), callback_data=PageCb(kind=kind, page=page + 1, flt=flt).pack()
            )
        )
    return row

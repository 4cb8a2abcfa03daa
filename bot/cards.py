"""What every card shares so that it fits one Telegram message (issue 9, finding 8).

A card shows a long value cut with «…» (values stored before the limits in ``domain.limits`` existed may be
longer than anything a user can type today), lists only its first lines, and offers «Показать полностью» for a
long text; that button sends the whole text in parts that each fit a message.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.i18n import Html, Translator, escape
from domain import limits

#: Room kept in each part of a full text for its heading («Описание лида #5 — полностью, часть 1 из 3:»).
_HEADING_ROOM = 200


def clipped(text: str | None, limit: int = limits.CARD_TEXT) -> str:
    """``text`` as a card shows it: cut to ``limit`` rendered characters, with «…» when cut."""
    return limits.clip(text or "", limit)


def is_clipped(text: str | None, limit: int = limits.CARD_TEXT) -> bool:
    return limits.check_length(text or "", limit) is not None


def first_lines(
    i18n: Translator, lines: list[str], shown: int = limits.CARD_LINES, budget: int = limits.CARD_LIST
) -> list[str]:
    """The first lines of a list on a card, at most ``shown`` of them and ``budget`` characters in all, then
    «…и ещё K» for the rest."""
    kept: list[str] = []
    used = 0
    for line in lines[:shown]:
        if used + len(line) + 1 > budget:
            break
        kept.append(line)
        used += len(line) + 1
    if len(kept) == len(lines):
        return kept
    return [*kept, i18n("card-more-lines", count=len(lines) - len(kept))]


def show_full_button(i18n: Translator, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=i18n("card-btn-show-full"), callback_data=data.pack())


def with_show_full(
    i18n: Translator, markup: InlineKeyboardMarkup | None, data: CallbackData
) -> InlineKeyboardMarkup:
    """``markup`` with «Показать полностью» as its first row."""
    rows = list(markup.inline_keyboard) if markup is not None else []
    return InlineKeyboardMarkup(inline_keyboard=[[show_full_button(i18n, data)], *rows])


async def send_full_text(message: Message, i18n: Translator, what: str, text: str) -> None:
    """The whole ``text`` in parts of at most 4,096 characters each, every part under a short heading
    (``what``: a catalog text naming the value, e.g. «Описание лида #5»).

    The caller has re-checked that the presser may see the record (R1c), as every button does."""
    pieces = limits.split_rendered(text, limits.MESSAGE_MAX - _HEADING_ROOM) or [""]
    for number, piece in enumerate(pieces, start=1):
        heading = i18n("card-full-text", what=Html(what), part=number, parts=len(pieces))
        await message.answer(f"{heading}\n{escape(piece)}")

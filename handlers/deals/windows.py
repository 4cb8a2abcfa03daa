"""Windows the new-deal form and the deal card both show: a list of choices, the product pick, the amount and
the comment.

Each dialog passes in what differs: its prompt, its callbacks, its way back and its state. Widget ids are the
same in both dialogs («product», «amount», «comment»), as the dialogs' stored state expects.
"""

from __future__ import annotations

from typing import Any

from aiogram.fsm.state import State
from aiogram.types import ContentType
from aiogram_dialog import Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Column, Row, Select
from aiogram_dialog.widgets.text import Text

from handlers.deals import actions, getters
from handlers.kit.inputs import ERROR_LINE, DomainInput
from handlers.kit.steps import NOT_TEXT
from handlers.kit.text import Tr, TrPlain


def _id(item: tuple[int, str]) -> int:
    return item[0]


def pick_select(items: str, on_click: Any, widget_id: str) -> Select[int]:
    """Buttons labelled by the second field of each item, keyed by its first (an id)."""
    return Select(
        TrPlain("pick-item", label="item.1"),
        id=widget_id,
        item_id_getter=_id,
        items=items,
        on_click=on_click,
    )


def choice(items: str, on_click: Any, widget_id: str) -> Column:
    """One choice a row."""
    return Column(pick_select(items, on_click, widget_id))


def product_window(
    prompt: list[Text], on_product: Any, on_search: Any, back: Row, getter: Any, state: State
) -> Window:
    """A product of the deal's group: a button, or typed text that narrows the buttons."""
    return Window(
        ERROR_LINE,
        *prompt,
        choice("products", on_product, "product"),
        back,
        MessageInput(on_search, content_types=ContentType.TEXT),
        NOT_TEXT,
        getter=getter,
        state=state,
    )


def amount_window(on_amount: Any, back: Row, state: State) -> Window:
    """The amount of the product just picked (R2f), parsed by ``domain.money.parse_line_total`` (an amount,
    or quantity × price)."""
    return Window(
        ERROR_LINE,
        Tr("deal-ask-amount", "product"),
        DomainInput("amount", actions.parse_amount, on_success=on_amount),
        NOT_TEXT,
        back,
        getter=getters.amount_getter,
        state=state,
    )


def comment_window(on_comment: Any, back: Row, getter: Any, state: State) -> Window:
    """The deal's expanded comment (R3d), judged by ``actions.parse_comment``; the current one is shown."""
    return Window(
        ERROR_LINE,
        Tr("deal-ask-comment"),
        Tr("deal-comment-current", "current", when="current"),
        DomainInput("comment", actions.parse_comment, on_success=on_comment),
        NOT_TEXT,
        back,
        getter=getter,
        state=state,
    )

"""The deal card (R2e–R2h) with its actions, and the list of deals (/deals)."""

from __future__ import annotations

from aiogram.types import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Group, Row

from handlers.deals import actions, card_actions, getters
from handlers.deals.form import form_dialog
from handlers.deals.states import DealCard, DealList
from handlers.deals.windows import amount_window, choice, pick_select, product_window
from handlers.kit.cards import open_tasks, record_rows, records_getter
from handlers.kit.inputs import ERROR_LINE, DomainInput
from handlers.kit.paging import pager
from handlers.kit.steps import NOT_TEXT, use_buttons
from handlers.kit.text import Key, Raw, Tr, TrPlain

STRAY = MessageInput(card_actions.stray, content_types=ContentType.ANY)


def _back() -> Row:
    return Row(Button(TrPlain("btn-back"), id="to_card", on_click=card_actions.on_back))


def _card_window() -> Window:
    return Window(
        Tr("deal-saved-title", when="saved"),
        Key("notice"),
        Raw("rows"),
        open_tasks(),
        Group(
            Button(TrPlain("deal-btn-log"), id="log", on_click=card_actions.on_log),
            Button(TrPlain("deal-btn-stage"), id="stage", on_click=card_actions.open_stage),
            Button(TrPlain("deal-btn-product"), id="product", on_click=card_actions.open_product),
            Button(TrPlain("deal-btn-task"), id="task", on_click=card_actions.on_task),
            Button(TrPlain("deal-btn-won"), id="won", on_click=card_actions.open_won),
            Button(TrPlain("deal-btn-lost"), id="lost", on_click=card_actions.open_lost),
            width=2,
            when="open",
        ),
        Button(TrPlain("card-btn-show-full"), id="full", on_click=card_actions.on_full, when="clipped"),
        record_rows("deal", "deal_id"),
        STRAY,
        getter=[getters.card_getter, records_getter("deal", "deal_id")],
        state=DealCard.main,
    )


def card_dialog() -> Dialog:
    return Dialog(
        _card_window(),
        Window(
            ERROR_LINE,
            Tr("deal-ask-new-stage", "stage"),
            choice("stages", card_actions.on_stage, "stage"),
            _back(),
            use_buttons("deal-use-buttons"),
            getter=getters.card_stage_getter,
            state=DealCard.stage,
        ),
        product_window(
            [Tr("deal-ask-card-product")],
            card_actions.on_product,
            card_actions.search_product,
            _back(),
            getters.card_product_getter,
            DealCard.product,
        ),
        amount_window(card_actions.on_amount, _back(), DealCard.amount),
        Window(
            Tr("deal-ask-won", "id"),
            Button(TrPlain("deal-btn-won-confirm"), id="won_yes", on_click=card_actions.on_won),
            _back(),
            use_buttons("deal-use-buttons"),
            getter=getters.won_getter,
            state=DealCard.won,
        ),
        Window(
            ERROR_LINE,
            Tr("deal-ask-lost-reason"),
            DomainInput("reason", actions.parse_reason, on_success=card_actions.on_reason),
            NOT_TEXT,
            _back(),
            state=DealCard.lost,
        ),
        Window(
            Tr("deal-ask-lost", "id", "reason"),
            Button(TrPlain("deal-btn-lost-confirm"), id="lost_yes", on_click=card_actions.on_lost),
            _back(),
            use_buttons("deal-use-buttons"),
            getter=getters.won_getter,
            state=DealCard.lost_confirm,
        ),
        on_start=card_actions.on_start,
    )


def list_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("deal-list", "filter", "items"),
            choice("deals", card_actions.on_open, "deal"),
            Group(pick_select("filters", card_actions.on_filter, "filter"), width=3),
            pager(),
            STRAY,
            getter=getters.list_getter,
            state=DealList.main,
        )
    )


def dialogs() -> list[Dialog]:
    return [form_dialog(), card_dialog(), list_dialog()]

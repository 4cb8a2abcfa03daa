"""The deal card (R2e–R2h) with its actions, and the list of deals (/deals)."""

from __future__ import annotations

from aiogram.types import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Group, Row

from handlers.deals import actions, card_actions, getters
from handlers.deals.form import form_dialog
from handlers.deals.states import DealCard, DealList
from handlers.deals.windows import amount_window, choice, comment_window, pick_select, product_window
from handlers.kit.cards import open_tasks, record_rows, records_getter
from handlers.kit.export import export_button
from handlers.kit.inputs import ERROR_LINE, DomainInput
from handlers.kit.paging import pager
from handlers.kit.steps import NOT_TEXT, use_buttons
from handlers.kit.text import Key, Raw, Tr, TrPlain

STRAY = MessageInput(card_actions.stray, content_types=ContentType.ANY)


def _back() -> Row:
    return Row(Button(TrPlain("btn-back"), id="to_card", on_click=card_actions.on_back))


def _fixes() -> Group:
    """R2f: an incorrect open deal's missing items, each a button straight to the window that fixes it."""
    return Group(
        Button(
            TrPlain("deal-btn-add-line"), id="fix_lines", on_click=card_actions.open_product, when="fix_lines"
        ),
        Button(
            TrPlain("deal-btn-edit-comment"),
            id="fix_comment",
            on_click=card_actions.open_comment,
            when="fix_comment",
        ),
        Button(
            TrPlain("deal-btn-edit-group"), id="fix_group", on_click=card_actions.open_group, when="fix_group"
        ),
        Button(
            TrPlain("deal-btn-edit-stage"), id="fix_stage", on_click=card_actions.open_stage, when="fix_stage"
        ),
        width=2,
    )


def _edit_windows() -> list[Window]:
    """«✏️ Изменить»: the comment, the lines, the group and the responsible of an open deal. The comment,
    product and amount windows are the form's own (``handlers.deals.windows``)."""
    return [
        Window(
            Tr("deal-ask-edit", "id"),
            Button(TrPlain("deal-btn-edit-comment"), id="e_comment", on_click=card_actions.open_comment),
            Group(pick_select("lines", card_actions.on_line, "line"), width=1),
            Button(TrPlain("deal-btn-add-line"), id="e_add", on_click=card_actions.open_product),
            Button(TrPlain("deal-btn-edit-group"), id="e_group", on_click=card_actions.open_group),
            Button(
                TrPlain("deal-btn-edit-responsible"),
                id="e_resp",
                on_click=card_actions.open_responsible,
                when="may_assign",
            ),
            _back(),
            use_buttons("deal-use-buttons"),
            getter=getters.edit_getter,
            state=DealCard.edit,
        ),
        comment_window(card_actions.on_comment, _back(), getters.card_comment_getter, DealCard.comment),
        Window(
            ERROR_LINE,
            Tr("deal-ask-card-group"),
            Button(
                TrPlain("deal-btn-open-existing"),
                id="existing",
                on_click=card_actions.open_existing,
                when="existing",
            ),
            choice("groups", card_actions.on_group, "group"),
            _back(),
            use_buttons("deal-use-buttons"),
            getter=getters.card_group_getter,
            state=DealCard.group,
        ),
        Window(
            Tr("deal-ask-group-drop", "group", "lines"),
            Tr("deal-group-drop-all", when="all"),
            Button(TrPlain("deal-btn-group-confirm"), id="group_yes", on_click=card_actions.on_group_confirm),
            _back(),
            use_buttons("deal-use-buttons"),
            getter=getters.group_confirm_getter,
            state=DealCard.group_confirm,
        ),
        Window(
            Tr("deal-ask-line", "line"),
            Row(
                Button(
                    TrPlain("deal-btn-line-amount"), id="l_amount", on_click=card_actions.open_line_amount
                ),
                Button(TrPlain("deal-btn-line-remove"), id="l_remove", on_click=card_actions.on_remove_line),
            ),
            _back(),
            use_buttons("deal-use-buttons"),
            getter=getters.line_getter,
            state=DealCard.line,
        ),
        Window(
            ERROR_LINE,
            Tr("deal-ask-card-responsible"),
            choice("people", card_actions.on_responsible, "responsible"),
            _back(),
            use_buttons("deal-use-buttons"),
            getter=getters.card_responsible_getter,
            state=DealCard.responsible,
        ),
    ]


def _lost_windows() -> list[Window]:
    """R2a: «✖️ Проиграна» asks the reason (a button of «Причины проигрыша»), then an optional text, then
    confirms both."""
    return [
        Window(
            ERROR_LINE,
            Tr("deal-ask-lost-reason", "id"),
            Tr("outcome-reasons-none", when="no_reasons"),
            choice("reasons", card_actions.on_lost_reason, "reason_pick"),
            _back(),
            use_buttons("deal-use-buttons"),
            getter=getters.lost_reasons_getter,
            state=DealCard.lost,
        ),
        Window(
            ERROR_LINE,
            Tr("deal-ask-lost-text", "min", "max", reason="chosen"),
            DomainInput("reason", actions.parse_reason, on_success=card_actions.on_reason),
            NOT_TEXT,
            Button(TrPlain("btn-skip"), id="skip", on_click=card_actions.skip_lost_text),
            _back(),
            getter=getters.lost_getter,
            state=DealCard.lost_text,
        ),
        Window(
            Tr("deal-ask-lost", "id", "reason"),
            Button(TrPlain("deal-btn-lost-confirm"), id="lost_yes", on_click=card_actions.on_lost),
            _back(),
            use_buttons("deal-use-buttons"),
            getter=getters.lost_getter,
            state=DealCard.lost_confirm,
        ),
    ]


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
        Button(TrPlain("deal-btn-edit"), id="edit", on_click=card_actions.open_edit, when="open"),
        _fixes(),
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
        *_lost_windows(),
        *_edit_windows(),
        on_start=card_actions.on_start,
    )


def list_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("deal-list", "scope", "filter", "items"),
            choice("deals", card_actions.on_open, "deal"),
            Group(pick_select("filters", card_actions.on_filter, "filter"), width=3),
            pager(),
            export_button("deals"),
            STRAY,
            getter=getters.list_getter,
            state=DealList.main,
        )
    )


def dialogs() -> list[Dialog]:
    return [form_dialog(), card_dialog(), list_dialog()]

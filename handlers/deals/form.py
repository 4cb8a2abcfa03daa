"""The new-deal form (R1d, R2d, R2f, R2i, R3d): a window per field of ``handlers.deals.fields``, and the
summary where each of them can be changed before the save."""

from __future__ import annotations

from aiogram.types import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Group, Row

from handlers.deals import actions, getters
from handlers.deals.fields import DETAILS
from handlers.deals.states import DealForm
from handlers.deals.windows import amount_window, choice, comment_window, pick_select, product_window
from handlers.kit.details import detail_window
from handlers.kit.inputs import ERROR_LINE
from handlers.kit.nav import cancel_button
from handlers.kit.steps import NOT_TEXT, use_buttons
from handlers.kit.text import Raw, Tr, TrPlain


def nav_row() -> Row:
    return Row(Button(TrPlain("btn-back"), id="back", on_click=actions.on_back), cancel_button())


def _open_existing() -> Button:
    """R2i: the open deal that blocks this one, when the manager may see it."""
    return Button(
        TrPlain("deal-btn-open-existing"), id="existing", on_click=actions.open_existing, when="existing"
    )


def form_dialog() -> Dialog:
    return Dialog(
        Window(
            ERROR_LINE,
            Tr("deal-ask-lead"),
            Button(TrPlain("deal-btn-pick-lead"), id="pick", on_click=actions.pick_lead),
            cancel_button(),
            use_buttons("deal-use-buttons"),
            getter=getters.step_getter,
            state=DealForm.lead,
        ),
        Window(
            ERROR_LINE,
            Tr("deal-ask-group", "contact"),
            _open_existing(),
            choice("groups", actions.on_group, "group"),
            nav_row(),
            MessageInput(actions.search_group, content_types=ContentType.TEXT),
            NOT_TEXT,
            getter=[getters.step_getter, getters.group_getter],
            state=DealForm.group,
        ),
        product_window(
            [Tr("deal-ask-product", "lines"), Tr("deal-search-shown", text="query", when="query")],
            actions.on_product,
            actions.search_product,
            nav_row(),
            [getters.step_getter, getters.product_getter],
            DealForm.product,
        ),
        amount_window(actions.on_amount, nav_row(), DealForm.amount),
        Window(
            ERROR_LINE,
            Tr("deal-ask-stage"),
            choice("stages", actions.on_stage, "stage"),
            nav_row(),
            use_buttons("deal-use-buttons"),
            getter=getters.stage_getter,
            state=DealForm.stage,
        ),
        comment_window(actions.on_comment, nav_row(), getters.comment_getter, DealForm.comment),
        Window(
            ERROR_LINE,
            Tr("deal-ask-responsible"),
            choice("people", actions.on_responsible, "responsible"),
            nav_row(),
            use_buttons("deal-use-buttons"),
            getter=getters.responsible_getter,
            state=DealForm.responsible,
        ),
        detail_window("deal", DealForm.detail, DETAILS, actions.store_detail, nav_row()),
        Window(
            ERROR_LINE,
            Tr("deal-summary", "contact"),
            Raw("rows"),
            Button(TrPlain("btn-save"), id="save", on_click=actions.on_save),
            _open_existing(),
            Group(pick_select("fields", actions.on_edit, "edit"), width=2),
            Button(TrPlain("deal-btn-more-product"), id="more", on_click=actions.on_more),
            cancel_button(),
            use_buttons("deal-summary-use-buttons"),
            getter=getters.summary_getter,
            state=DealForm.summary,
        ),
        on_start=actions.on_start,
        on_process_result=actions.on_process_result,
    )

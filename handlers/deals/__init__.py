"""Deals (R2): ``/new_deal``, ``/deals``, the card, and deal buttons on messages outside the dialogs.

The dialogs are in :mod:`handlers.deals.form` (the new deal) and :mod:`handlers.deals.card` (the card and
the list); this router only starts them. Each dialog checks the user's rights when it starts (R1c), so a
forged or stale button gets one alert and opens nothing; the entry points check first, so a refused button
leaves the user's dialogs as they were.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager

from bot.callbacks import DealCb, LeadCb
from bot.menu import MenuButton
from handlers.deals import card
from handlers.deals.actions import check_lead
from handlers.deals.card_view import deal_for
from handlers.deals.states import DealCard, DealForm, DealList
from handlers.kit.launch import open_dialog

#: Deal buttons on notifications and old cards this router opens; «log» and «task» belong to their features.
CARD_ACTIONS = ("open", "full", "stage", "product", "won", "lost")


async def new_deal(message: Message, dialog_manager: DialogManager) -> None:
    await open_dialog(dialog_manager, DealForm.lead)


async def show_deals(message: Message, dialog_manager: DialogManager) -> None:
    await open_dialog(dialog_manager, DealList.main)


async def open_card(query: CallbackQuery, callback_data: DealCb, dialog_manager: DialogManager) -> None:
    """A deal button outside the dialogs (a notification, a search result): the card, or its action."""
    data: dict[str, object] = {"deal_id": callback_data.id}
    if callback_data.action not in ("open", "full"):
        data["window"] = callback_data.action
    await deal_for(dialog_manager, change="window" in data, deal_id=callback_data.id)
    await open_dialog(dialog_manager, DealCard.main, data)
    await query.answer()


async def convert_lead(query: CallbackQuery, callback_data: LeadCb, dialog_manager: DialogManager) -> None:
    """«💼 Сделка» on a lead message outside the dialogs: the form, begun from that lead."""
    await check_lead(dialog_manager, callback_data.id)
    await open_dialog(dialog_manager, DealForm.lead, {"lead_id": callback_data.id})
    await query.answer()


def create_router() -> Router:
    router = Router(name="deals")
    router.message.register(new_deal, Command("new_deal"))
    router.message.register(new_deal, MenuButton("new_deal"))
    router.message.register(show_deals, Command("deals"))
    router.message.register(show_deals, MenuButton("deals"))
    router.callback_query.register(open_card, DealCb.filter(F.action.in_(CARD_ACTIONS)))
    router.callback_query.register(convert_lead, LeadCb.filter(F.action == "convert"))
    return router


def dialogs() -> list[Dialog]:
    return card.dialogs()

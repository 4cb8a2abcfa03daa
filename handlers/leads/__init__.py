"""Leads (R1): ``/new_lead``, ``/leads``, the lead card, and lead buttons on messages outside the dialogs.

The dialogs are in :mod:`handlers.leads.form` and :mod:`handlers.leads.card`; this router only starts them.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager

from bot.callbacks import ContactCb, LeadCb, LeadReassignCb, PageCb
from bot.menu import MenuButton
from db.repo.visibility import may_see_contact
from domain.errors import NotAllowed
from handlers.kit.context import actor_of, session_of
from handlers.kit.launch import open_dialog
from handlers.leads import card, form
from handlers.leads.card_actions import reassign
from handlers.leads.getters import visible_card
from handlers.leads.states import LeadCard, LeadForm, LeadList

#: Lead buttons of older cards and of notifications that open the card (its buttons do the rest).
CARD_ACTIONS = ("open", "full", "reject", "reassign")


async def new_lead(message: Message, dialog_manager: DialogManager) -> None:
    await open_dialog(dialog_manager, LeadForm.contact)


async def show_leads(message: Message, dialog_manager: DialogManager) -> None:
    await open_dialog(dialog_manager, LeadList.main)


async def list_page(query: CallbackQuery, dialog_manager: DialogManager) -> None:
    """A page button of an older list message: the list, from its first page."""
    await query.answer()
    await open_dialog(dialog_manager, LeadList.main)


async def open_card(query: CallbackQuery, callback_data: LeadCb, dialog_manager: DialogManager) -> None:
    """«Открыть лид» on a notification, or a button of an older card (the card checks R1c)."""
    await visible_card(dialog_manager, callback_data.id)  # refused before any dialog starts
    await query.answer()
    await open_dialog(dialog_manager, LeadCard.main, {"lead_id": callback_data.id})


async def lead_on_contact(
    query: CallbackQuery, callback_data: ContactCb, dialog_manager: DialogManager
) -> None:
    """«Создать лид» on an older contact message: only on a contact the user may see (SPEC "Access")."""
    if not await may_see_contact(session_of(dialog_manager), actor_of(dialog_manager), callback_data.id):
        raise NotAllowed("contact not visible")
    await query.answer()
    await open_dialog(dialog_manager, LeadForm.contact, {"contact_id": callback_data.id})


async def reassign_pick(
    query: CallbackQuery, callback_data: LeadReassignCb, dialog_manager: DialogManager
) -> None:
    """A person chosen under an older card: the repository checks R1c and the lead, then the card."""
    session, actor = session_of(dialog_manager), actor_of(dialog_manager)
    notice = await reassign(session, actor, callback_data.lead, callback_data.user)
    await query.answer()
    await open_dialog(dialog_manager, LeadCard.main, {"lead_id": callback_data.lead, "notice": notice})


def create_router() -> Router:
    router = Router(name="leads")
    router.message.register(new_lead, Command("new_lead"))
    router.message.register(new_lead, MenuButton("new_lead"))
    router.message.register(show_leads, Command("leads"))
    router.message.register(show_leads, MenuButton("leads"))
    router.callback_query.register(list_page, PageCb.filter(F.kind == "leads"))
    router.callback_query.register(open_card, LeadCb.filter(F.action.in_(CARD_ACTIONS)))
    router.callback_query.register(lead_on_contact, ContactCb.filter(F.action == "lead"))
    router.callback_query.register(reassign_pick, LeadReassignCb.filter())
    return router


def dialogs() -> list[Dialog]:
    return [form.form_dialog(), card.card_dialog(), card.refusal_dialog(), card.list_dialog()]

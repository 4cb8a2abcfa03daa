"""Contacts (R4, R5): ``/new_contact``, ``/contacts``, the card, a Telegram contact card sent outside a form.

The dialogs are in :mod:`handlers.contacts.dialog`; this router only starts them.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import BaseFilter, Command
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager

from bot.callbacks import ContactCb
from bot.menu import MenuButton
from bot.settings import Settings
from db.repo import contacts
from db.repo.contacts import ContactDraft
from db.repo.visibility import may_see_contact
from domain.contacts import card_phone, is_own_card
from domain.errors import ValidationError
from domain.values import FullName
from handlers.contacts import dialog
from handlers.contacts.actions import card_name
from handlers.contacts.states import ContactCard, ContactForm, ContactList
from handlers.kit.launch import open_dialog


async def new_contact(message: Message, dialog_manager: DialogManager) -> None:
    await open_dialog(dialog_manager, ContactForm.name)


async def show_contacts(message: Message, dialog_manager: DialogManager) -> None:
    await open_dialog(dialog_manager, ContactList.main)


async def open_card(query: CallbackQuery, callback_data: ContactCb, dialog_manager: DialogManager) -> None:
    """A contact button on a message outside the dialogs (search results, a notification)."""
    await query.answer()
    await open_dialog(dialog_manager, ContactCard.main, {"contact_id": callback_data.id})


async def shared_card(message: Message, dialog_manager: DialogManager, settings: Settings) -> None:
    """A Telegram contact card sent outside a form: the existing contact if R5 finds one, else a new contact
    form that begins with the card's phone (and name when it is a full name). R4b: not the sender's own."""
    card = message.contact
    assert card is not None
    sender = message.from_user.id if message.from_user is not None else None
    if is_own_card(card.user_id, sender):
        await open_dialog(dialog_manager, ContactForm.name, {"error": "contact-err-own-card"})
        return
    try:
        phone = card_phone(card.phone_number, settings.default_phone_region).e164
    except ValidationError:
        await open_dialog(dialog_manager, ContactForm.name)
        return
    session, actor = dialog_manager.middleware_data["session"], dialog_manager.middleware_data["actor"]
    name = card_name(card.first_name, card.last_name)
    draft = ContactDraft(
        name_key=FullName(**name).key() if name else None, phone=phone, birth_date=None, email=None
    )
    found = await contacts.find_duplicate(session, draft)
    if found is not None and await may_see_contact(session, actor, found.contact_id):
        await open_dialog(dialog_manager, ContactCard.main, {"contact_id": found.contact_id})
        return
    # Not found, or found but not visible: the form shows R5b's masked duplicate and offers a lead on it.
    prefill = {"phone": phone, "name": name}
    await open_dialog(dialog_manager, ContactForm.name, {"prefill": prefill})


class SharedContact(BaseFilter):
    """A message carrying a Telegram contact card (an async filter: routing costs no thread hop)."""

    async def __call__(self, message: Message) -> bool:
        return message.contact is not None


def create_router() -> Router:
    router = Router(name="contacts")
    router.message.register(new_contact, Command("new_contact"))
    router.message.register(new_contact, MenuButton("new_contact"))
    router.message.register(show_contacts, Command("contacts"))
    router.message.register(show_contacts, MenuButton("contacts"))
    router.callback_query.register(open_card, ContactCb.filter(F.action == "open"))
    return router


def after_dialogs() -> list[Router]:
    """After the dialogs: a contact card that no form step took."""
    router = Router(name="contacts_shared_card")
    router.message.register(shared_card, SharedContact())
    return [router]


def dialogs() -> list[Dialog]:
    return dialog.dialogs()

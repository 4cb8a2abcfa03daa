"""What the history and documents windows do: send a document back, attach a file, return to the card.

Every action re-checks in the database that the user may see the record (and, to attach to a lead or a
deal, may act on it — R1c); a document id from a button must belong to the record of this dialog.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.fsm.state import State
from aiogram.types import Message
from aiogram_dialog import DialogManager, StartMode

from bot.i18n import Html
from db.models import Document
from db.repo import documents as repo
from db.repo import users
from domain.errors import Gone, NotAllowed
from handlers.clients.states import ClientCard, PartyCard
from handlers.contacts.states import ContactCard
from handlers.deals.states import DealCard
from handlers.kit.context import actor_of, i18n_of, record_id, session_of, user_of
from handlers.kit.inputs import set_error
from handlers.kit.paging import PAGE
from handlers.leads.states import LeadCard
from handlers.records.getters import card_label, document_name, record_of, visible_name, zone_of
from handlers.records.states import Records
from handlers.records.timeline import VALUE_MAX, short

log = logging.getLogger(__name__)

#: The card dialog of each kind of record, and the name of the id in its start data.
CARDS: dict[str, tuple[State, str]] = {
    "contact": (ContactCard.main, "contact_id"),
    "lead": (LeadCard.main, "lead_id"),
    "deal": (DealCard.main, "deal_id"),
    "client": (ClientCard.main, "client_id"),
    "counterparty": (PartyCard.main, "party_id"),
}


class AttachRefused(NotAllowed):
    """The file was not stored: the user may not add to this record (R1c for a lead or a deal)."""

    def __init__(self, entity: str) -> None:
        super().__init__("attaching refused")
        self.key = "records-attach-denied-act" if entity in ("lead", "deal") else "records-attach-denied-see"


async def back_to_card(event: Any, widget: Any, manager: DialogManager) -> None:
    """To the card this dialog was opened from; opened from an old message, the card is started anew."""
    if len(manager.current_stack().intents) > 1:
        await manager.done()
        return
    entity, entity_id = record_of(manager)
    state, key = CARDS[entity]
    await manager.start(state, data={key: entity_id}, mode=StartMode.RESET_STACK)


async def send_back(manager: DialogManager, document_id: int, record: tuple[str, int] | None = None) -> None:
    """The file again, to the presser's own chat; it must belong to ``record`` when one is given."""
    session = session_of(manager)
    document = await repo.get_document(session, document_id)
    if document is None:
        raise Gone("the document is gone")
    if record is not None and (document.entity, document.entity_id) != record:
        raise NotAllowed("the document is not on this record")
    name = await visible_name(manager, document.entity, document.entity_id)
    i18n, user = i18n_of(manager), user_of(manager)
    authors = await users.user_names(session, [document.author_id])
    caption = i18n(
        "records-document-caption",
        name=short(document_name(i18n, document), VALUE_MAX),
        card=Html(card_label(i18n, document.entity, name)),
        author=authors.get(document.author_id, ""),
        at=document.created_at.astimezone(zone_of(manager)).strftime("%d.%m.%Y %H:%M"),
    )
    bot = manager.middleware_data["bot"]
    assert isinstance(bot, Bot)
    log.info("document %s sent back to user %s", document.id, user.id)
    await _send(bot, user.telegram_id, document, caption)


async def _send(bot: Bot, chat_id: int, document: Document, caption: str) -> None:
    if document.media == "photo":
        await bot.send_photo(chat_id, document.file_id, caption=caption)
    elif document.media == "voice":
        await bot.send_voice(chat_id, document.file_id, caption=caption)
    else:
        await bot.send_document(chat_id, document.file_id, caption=caption)


async def on_document(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await send_back(manager, record_id(item_id), record_of(manager))


def incoming(message: Message) -> repo.NewDocument | None:
    """The file of a message: a document, the largest size of a photo, or a voice note."""
    if message.document is not None:
        doc = message.document
        return repo.NewDocument(
            "document", doc.file_id, doc.file_unique_id, doc.file_name, doc.mime_type, doc.file_size
        )
    if message.photo:
        photo = message.photo[-1]
        return repo.NewDocument("photo", photo.file_id, photo.file_unique_id, None, None, photo.file_size)
    if message.voice is not None:
        voice = message.voice
        return repo.NewDocument(
            "voice", voice.file_id, voice.file_unique_id, None, voice.mime_type, voice.file_size
        )
    return None


async def attach(message: Message, manager: DialogManager, entity: str, entity_id: int) -> None:
    """Store the message's file on the record and say so; refused (nothing stored) without the right."""
    new = incoming(message)
    if new is None:
        return
    session, actor, i18n = session_of(manager), actor_of(manager), i18n_of(manager)
    name = await repo.record_name(session, entity, entity_id)
    if name is None:
        raise Gone("the record is gone")
    outcome, document = await repo.attach_document(session, actor, entity, entity_id, new)
    if outcome is not repo.Attached.DONE or document is None:
        log.info("user %s was refused attaching to the %s %s", actor.user_id, entity, entity_id)
        raise AttachRefused(entity)
    log.info("document %s attached to the %s %s by user %s", document.id, entity, entity_id, actor.user_id)
    await message.answer(
        i18n(
            "records-attached",
            name=short(document_name(i18n, document), VALUE_MAX),
            card=Html(card_label(i18n, entity, name)),
        )
    )


async def on_file_here(message: Message, widget: Any, manager: DialogManager) -> None:
    """A file sent at the history, documents or attach window: it goes to this record; the list shows it."""
    await attach(message, manager, *record_of(manager))
    manager.dialog_data[PAGE] = 0
    await manager.switch_to(Records.documents)


async def on_not_file(message: Message, widget: Any, manager: DialogManager) -> None:
    set_error(manager, "records-file-expected")

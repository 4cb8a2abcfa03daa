"""Documents on every card (seed 002): who may see or add to a card, the open card of a user (a file sent
next is attached to it), and the documents attached to a card. A card's history is read in ``audit``.

Entities: contact, client, counterparty, lead, deal. Seeing a card: ``may_see_contact`` for a contact,
``may_see`` for a lead or deal, the client visibility filter for a client and for a client's counterparty.
Attaching to a lead or deal needs the right to act on it (R1c); to a contact, client or counterparty, the
right to see it. Every check runs again inside the write that depends on it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import write_tx
from db.models import (
    Client,
    Contact,
    Counterparty,
    Deal,
    Document,
    Lead,
    User,
)
from db.repo import audit
from db.repo.client_access import get_visible_client
from db.repo.paging import PAGE_SIZE, clamp_page, page_count
from db.repo.visibility import may_act, may_see, may_see_contact
from domain.access import Actor, Role

ENTITIES = ("contact", "client", "counterparty", "lead", "deal")
MEDIA = ("document", "photo", "voice")


# ---------------------------------------------------------------------------------------------------------
# Rights
# ---------------------------------------------------------------------------------------------------------


async def visible_counterparty(
    session: AsyncSession, actor: Actor, counterparty_id: int
) -> Counterparty | None:
    """A counterparty is seen by whoever sees its client; one without a client by its creator and admins."""
    counterparty = await session.scalar(select(Counterparty).where(Counterparty.id == counterparty_id))
    if counterparty is None:
        return None
    if counterparty.client_id is None:
        seen = actor.role == Role.ADMIN or counterparty.created_by_id == actor.user_id
        return counterparty if seen else None
    if await get_visible_client(session, actor, counterparty.client_id) is None:
        return None
    return counterparty


async def _responsible_of(session: AsyncSession, entity: str, entity_id: int) -> int | None:
    model = Lead if entity == "lead" else Deal
    return await session.scalar(select(model.responsible_id).where(model.id == entity_id))


async def may_see_record(session: AsyncSession, actor: Actor, entity: str, entity_id: int) -> bool:
    """``actor`` may see this card (and so its history and documents); ``False`` also when it is gone."""
    if entity == "contact":
        return await may_see_contact(session, actor, entity_id)
    if entity == "client":
        return await get_visible_client(session, actor, entity_id) is not None
    if entity == "counterparty":
        return await visible_counterparty(session, actor, entity_id) is not None
    if entity in ("lead", "deal"):
        responsible = await _responsible_of(session, entity, entity_id)
        return responsible is not None and await may_see(session, actor, responsible)
    return False


async def may_attach(session: AsyncSession, actor: Actor, entity: str, entity_id: int) -> bool:
    """Adding a document: R1c (``may_act``) on a lead or deal; seeing the card for the rest."""
    if entity in ("lead", "deal"):
        responsible = await _responsible_of(session, entity, entity_id)
        return responsible is not None and await may_act(session, actor, responsible)
    return await may_see_record(session, actor, entity, entity_id)


async def record_name(session: AsyncSession, entity: str, entity_id: int) -> str | None:
    """What names a card in a message: the contact's or client's name, the legal name, or the number."""
    if entity == "contact":
        contact = await session.scalar(select(Contact).where(Contact.id == entity_id))
        return contact.full_name if contact else None
    if entity == "client":
        return await session.scalar(select(Client.name).where(Client.id == entity_id))
    if entity == "counterparty":
        return await session.scalar(select(Counterparty.legal_name).where(Counterparty.id == entity_id))
    if entity in ("lead", "deal"):
        model = Lead if entity == "lead" else Deal
        found = await session.scalar(select(model.id).where(model.id == entity_id))
        return str(found) if found is not None else None
    return None


# ---------------------------------------------------------------------------------------------------------
# The open card
# ---------------------------------------------------------------------------------------------------------


async def track_open_card(session: AsyncSession, user_id: int, entity: str, entity_id: int) -> None:
    """Remember the card ``user_id`` has just opened, so that a file sent next is attached to it."""
    current = (
        await session.execute(select(User.open_entity, User.open_entity_id).where(User.id == user_id))
    ).first()
    if current is None or (current[0], current[1]) == (entity, entity_id):
        return
    async with write_tx(session):
        await session.execute(
            update(User).where(User.id == user_id).values(open_entity=entity, open_entity_id=entity_id)
        )


async def close_open_card(session: AsyncSession, user: User) -> None:
    """/menu and /cancel close the open card: a file sent later is not attached to a card left long ago."""
    if user.open_entity is None:
        return
    async with write_tx(session):
        await session.execute(
            update(User).where(User.id == user.id).values(open_entity=None, open_entity_id=None)
        )
    user.open_entity = user.open_entity_id = None


async def open_card(session: AsyncSession, user_id: int) -> tuple[str, int] | None:
    row = (
        await session.execute(select(User.open_entity, User.open_entity_id).where(User.id == user_id))
    ).first()
    if row is None or row[0] not in ENTITIES or row[1] is None:
        return None
    return str(row[0]), int(row[1])


# ---------------------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewDocument:
    media: str  # document | photo | voice
    file_id: str
    file_unique_id: str
    file_name: str | None
    mime_type: str | None
    file_size: int | None


class Attached(enum.Enum):
    DONE = "done"
    DENIED = "denied"


@dataclass(frozen=True)
class DocumentsPage:
    documents: list[tuple[Document, str | None]]  # (document, author's full name)
    total: int
    page: int

    @property
    def pages(self) -> int:
        return page_count(self.total)

    @property
    def has_next(self) -> bool:
        return (self.page + 1) * PAGE_SIZE < self.total


async def documents_count(session: AsyncSession, entity: str, entity_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Document)
            .where(Document.entity == entity, Document.entity_id == entity_id)
        )
        or 0
    )


async def documents_page(session: AsyncSession, entity: str, entity_id: int, page: int) -> DocumentsPage:
    total = await documents_count(session, entity, entity_id)
    page = clamp_page(page, total)
    rows = await session.execute(
        select(Document, User.full_name)
        .outerjoin(User, User.id == Document.author_id)
        .where(Document.entity == entity, Document.entity_id == entity_id)
        .order_by(Document.created_at.desc(), Document.id.desc())
        .limit(PAGE_SIZE)
        .offset(page * PAGE_SIZE)
    )
    return DocumentsPage([(doc, name) for doc, name in rows], total, page)


async def get_document(session: AsyncSession, document_id: int) -> Document | None:
    return await session.scalar(select(Document).where(Document.id == document_id))


async def attach_document(
    session: AsyncSession, actor: Actor, entity: str, entity_id: int, new: NewDocument
) -> tuple[Attached, Document | None]:
    """Store a file on a card, with its "document_attached" audit entry; the right is checked inside."""
    async with write_tx(session):
        if entity not in ENTITIES or not await may_attach(session, actor, entity, entity_id):
            return Attached.DENIED, None
        document = Document(
            entity=entity,
            entity_id=entity_id,
            media=new.media,
            file_id=new.file_id,
            file_unique_id=new.file_unique_id,
            file_name=new.file_name,
            mime_type=new.mime_type,
            file_size=new.file_size,
            author_id=actor.user_id,
        )
        session.add(document)
        await session.flush()
        audit.record(
            session,
            actor_id=actor.user_id,
            entity=entity,
            entity_id=entity_id,
            action="document_attached",
            after={
                "document_id": document.id,
                "media": new.media,
                "file_name": new.file_name,
                "file_size": new.file_size,
            },
        )
    return Attached.DONE, document

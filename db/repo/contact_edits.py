"""Editing a saved contact: every field but its client, with R4, R4b and R5 checked again inside the write,
R1c (the responsible, their team lead or an admin), and an audit entry with each change before → after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import write_tx
from db.models import Contact
from db.repo import audit
from db.repo.contacts import ContactDraft, Duplicate, draft_keys, find_duplicate, refuse_employee_values
from db.repo.visibility import may_act
from domain.access import Actor
from domain.errors import Gone, NotAllowed
from domain.values import FullName


@dataclass(frozen=True)
class ContactValues:
    """A contact's fields as the form holds them (already parsed by the domain: R4a)."""

    name: FullName
    phone: str
    birth_date: date
    email: str
    position: str | None


def values_of(contact: Contact) -> ContactValues:
    return ContactValues(
        name=FullName(contact.surname, contact.given_name, contact.patronymic),
        phone=contact.phone,
        birth_date=contact.birth_date,
        email=contact.email,
        position=contact.position,
    )


async def editable_contact(session: AsyncSession, actor: Actor, contact_id: int) -> Contact:
    """R1c: the contact, when ``actor`` may change it."""
    contact = await session.get(Contact, contact_id, populate_existing=True)
    if contact is None:
        raise Gone("contact not found")
    if not await may_act(session, actor, contact.responsible_id):
        raise NotAllowed("contact of another manager")
    return contact


def _audited(values: ContactValues) -> dict[str, Any]:
    return {
        "full_name": values.name.display(),
        "phone": values.phone,
        "birth_date": values.birth_date,
        "email": values.email,
        "position": values.position,
    }


async def edit_contact(
    session: AsyncSession, actor: Actor, contact_id: int, new: ContactValues
) -> Duplicate | tuple[str, ...]:
    """Save ``new`` over the contact; returns the names of the audited fields that changed (none: nothing
    was written), or the other contact that the new values would duplicate (R5b; nothing is written).

    R4b raises ``ValidationError`` as at creation. A concurrent save that took the same values first is
    caught by the unique ``dup_*`` indexes and answered as a duplicate.
    """
    draft = ContactDraft(new.name.key(), new.phone, new.birth_date, new.email)
    try:
        async with write_tx(session):
            contact = await editable_contact(session, actor, contact_id)
            before, after = _audited(values_of(contact)), _audited(new)
            if before == after:
                return ()
            await refuse_employee_values(session, phone=new.phone, email=new.email)
            duplicate = await find_duplicate(session, draft, exclude_id=contact.id)
            if duplicate is not None:
                return duplicate
            contact.surname, contact.given_name = new.name.surname, new.name.given
            contact.patronymic, contact.name_key = new.name.patronymic, new.name.key()
            contact.phone, contact.birth_date, contact.email = new.phone, new.birth_date, new.email
            contact.position = new.position
            for column, key in draft_keys(draft).items():
                setattr(contact, column, key)
            return audit.record_changes(
                session,
                actor_id=actor.user_id,
                entity="contact",
                entity_id=contact.id,
                before=before,
                after=after,
            )
    except IntegrityError:
        duplicate = await find_duplicate(session, draft, exclude_id=contact_id)
        await session.commit()  # ends the read; nothing was written
        if duplicate is None:
            raise
        return duplicate

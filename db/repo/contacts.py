"""Contacts: the R5 duplicate check, saving a new contact, the visible list, the card and the search.

R5c: the duplicate check is one indexed lookup, ``WHERE dup_a = :ka OR dup_b = :kb …`` over the six unique
``dup_*`` columns (SQLite answers it with a MULTI-INDEX OR, PostgreSQL with a BitmapOr). It never scans.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from db.engine import write_tx
from db.models import DUPLICATE_KEY_COLUMNS, Client, Contact, Deal, Lead, User
from db.repo import audit, users
from db.repo.client_access import get_visible_client
from db.repo.paging import PAGE_SIZE, Page, page_count
from db.repo.visibility import contact_filter, owner_filter
from domain import limits
from domain.access import Actor
from domain.duplicates import FIELDS, known_fields, partial_match_keys
from domain.errors import NotAllowed, ValidationError
from domain.values import FullName, MobilePhone, name_key

# ---------------------------------------------------------------------------------------------
# R5: duplicates
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactDraft:
    """What a contact form knows so far; a field is ``None`` until its step is answered."""

    name_key: str | None = None
    phone: str | None = None
    birth_date: date | None = None
    email: str | None = None

    def known(self) -> dict[str, str]:
        """Field name → R5a comparison form, for the fields that are filled."""
        return known_fields(self.name_key, self.phone, self.birth_date, self.email)


def draft_keys(draft: ContactDraft) -> dict[str, str]:
    """R5c: ``dup_*`` column → key, for every pair whose two fields are both known already.

    A form checks as soon as a pair is complete: after the phone name+phone, after the birth date name+birth
    and phone+birth, after the e-mail the rest.
    """
    keys = partial_match_keys(draft.name_key, draft.phone, draft.birth_date, draft.email)
    return {DUPLICATE_KEY_COLUMNS[pair]: key for pair, key in keys.items()}


@dataclass(frozen=True)
class Duplicate:
    """An existing contact that a new one would duplicate (R5b), and the fields they share.

    Plain values, not the ORM row: a race loser's rollback expires every row of the session.
    """

    contact_id: int
    full_name: str
    phone: str
    birth_date: date
    email: str
    responsible_id: int
    responsible_name: str
    fields: tuple[str, ...]


def duplicate_query(keys: dict[str, str], exclude_id: int | None = None) -> Select[Contact, str]:
    """The R5c lookup: one OR over the unique ``dup_*`` indexes, and the responsible's name by id
    (``exclude_id``: the contact being edited, which may match itself)."""
    conditions = [getattr(Contact, column) == key for column, key in keys.items()]
    query = (
        select(Contact, User.full_name).join(User, User.id == Contact.responsible_id).where(or_(*conditions))
    )
    if exclude_id is not None:
        query = query.where(Contact.id != exclude_id)
    return query.limit(1)


async def find_duplicate(
    session: AsyncSession, draft: ContactDraft, exclude_id: int | None = None
) -> Duplicate | None:
    """R5a/R5c: an existing contact (other than ``exclude_id``) sharing two or more fields with ``draft``
    (index lookups only)."""
    keys = draft_keys(draft)
    if not keys:
        return None
    row = (await session.execute(duplicate_query(keys, exclude_id))).first()
    if row is None:
        return None
    contact, responsible_name = row
    existing = ContactDraft(contact.name_key, contact.phone, contact.birth_date, contact.email).known()
    ours = draft.known()
    shared = tuple(name for name in FIELDS if name in ours and ours[name] == existing[name])
    return Duplicate(
        contact_id=contact.id,
        full_name=contact.full_name,
        phone=contact.phone,
        birth_date=contact.birth_date,
        email=contact.email,
        responsible_id=contact.responsible_id,
        responsible_name=responsible_name,
        fields=shared,
    )


# ---------------------------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewContact:
    name: FullName
    phone: str
    birth_date: date
    email: str
    position: str | None = None
    client_id: int | None = None  # a client the user picked among those they see (re-checked on save)

    def draft(self) -> ContactDraft:
        return ContactDraft(self.name.key(), self.phone, self.birth_date, self.email)


@dataclass(frozen=True)
class Saved:
    contact: Contact
    client: Client | None = None


async def refuse_employee_values(session: AsyncSession, *, phone: str | None, email: str | None) -> None:
    """R4b: a contact's phone or e-mail may not be a user's own work phone or work e-mail."""
    field = await users.employee_value(session, phone=phone, email=email)
    if field is not None:
        raise ValidationError(f"err-{field}-employee", "a value of an employee (R4b)")


def contact_values(
    new: NewContact,
    *,
    responsible_id: int,
    created_by_id: int,
    client_id: int | None,
    keys: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The column values of a new contact with its six R5c ``dup_*`` keys (the unique indexes refuse a
    duplicate), for :func:`contact_row` or a bulk ``insert``. ``keys``: its pair → key, when known already."""
    dup_keys = (
        draft_keys(new.draft())
        if keys is None
        else {DUPLICATE_KEY_COLUMNS[pair]: key for pair, key in keys.items()}
    )
    return {
        "surname": new.name.surname,
        "given_name": new.name.given,
        "patronymic": new.name.patronymic,
        "name_key": new.name.key(),
        "phone": new.phone,
        "birth_date": new.birth_date,
        "email": new.email,
        "position": new.position,
        "client_id": client_id,
        "responsible_id": responsible_id,
        "created_by_id": created_by_id,
        **dup_keys,
    }


def contact_row(
    new: NewContact, *, responsible_id: int, created_by_id: int, client_id: int | None
) -> Contact:
    """The row of a new contact (:func:`contact_values`)."""
    return Contact(
        **contact_values(new, responsible_id=responsible_id, created_by_id=created_by_id, client_id=client_id)
    )


_CREATED_FIELDS = ("phone", "birth_date", "email", "position", "client_id", "responsible_id")


def created_values(contact: Contact) -> dict[str, object]:
    """A new contact's values as its "created" audit entry holds them."""
    return {"full_name": contact.full_name} | {name: getattr(contact, name) for name in _CREATED_FIELDS}


def created_values_of(values: Mapping[str, Any]) -> dict[str, object]:
    """:func:`created_values` of a contact inserted in bulk, from its :func:`contact_values`."""
    parts = (values["surname"], values["given_name"], values["patronymic"])
    return {"full_name": " ".join(part for part in parts if part)} | {
        name: values[name] for name in _CREATED_FIELDS
    }


async def create_contact(
    session: AsyncSession, new: NewContact, *, user_id: int, actor: Actor | None = None
) -> Saved | Duplicate:
    """R4a/R5: save a contact, or return the existing one it would duplicate.

    ``new.client_id`` links the contact to a client ``actor`` may see, re-checked inside the write (R1c): a
    forged or stale id raises ``NotAllowed`` and nothing is saved. A contact is never attached to a client by
    its name.

    R4b: a phone or e-mail that is a user's own work one raises ``ValidationError`` (``err-phone-employee``,
    ``err-email-employee``). The duplicate check runs inside the same write transaction as the insert; the
    unique ``dup_*`` indexes catch a concurrent save that slipped in anyway (``IntegrityError``), and the
    loser gets the same answer.
    """
    draft = new.draft()
    try:
        async with write_tx(session):
            await refuse_employee_values(session, phone=new.phone, email=new.email)
            duplicate = await find_duplicate(session, draft)
            if duplicate is not None:
                return duplicate
            client = None
            if new.client_id is not None:
                client = await get_visible_client(session, actor, new.client_id) if actor else None
                if client is None:
                    raise NotAllowed("client not visible")
            contact = contact_row(
                new, responsible_id=user_id, created_by_id=user_id, client_id=client.id if client else None
            )
            await audit.add_created(
                session, contact, actor_id=user_id, entity="contact", after=created_values(contact)
            )
    except IntegrityError:
        duplicate = await find_duplicate(session, draft)
        await session.commit()  # ends the read; nothing was written
        if duplicate is None:
            raise
        return duplicate
    return Saved(contact=contact, client=client)


# ---------------------------------------------------------------------------------------------
# Lists and cards
# ---------------------------------------------------------------------------------------------


def _visible_contacts(actor: Actor) -> Select[Contact]:
    return select(Contact).where(contact_filter(actor))


async def _page(session: AsyncSession, query: Select[Contact], page: int) -> Page[Contact]:
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = page_count(total)
    page = min(max(page, 0), pages - 1)
    ordered = query.order_by(Contact.surname, Contact.given_name, Contact.patronymic, Contact.id)
    contacts = list(await session.scalars(ordered.limit(PAGE_SIZE).offset(page * PAGE_SIZE)))
    return Page(rows=contacts, page=page, pages=pages, total=total)


async def list_contacts(session: AsyncSession, actor: Actor, page: int = 0) -> Page[Contact]:
    """The contacts ``actor`` may see, by surname, ``PAGE_SIZE`` a page."""
    return await _page(session, _visible_contacts(actor), page)


@dataclass(frozen=True)
class ContactCard:
    contact: Contact
    responsible_name: str
    leads: list[Lead] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)


async def contact_card(session: AsyncSession, actor: Actor, contact_id: int) -> ContactCard | None:
    """The contact with its client, responsible and the leads and deals ``actor`` may see; ``None`` if the
    contact is not visible to ``actor`` (or does not exist)."""
    row = (
        await session.execute(
            select(Contact, User.full_name)
            .join(User, User.id == Contact.responsible_id)
            .options(joinedload(Contact.client))
            .where(Contact.id == contact_id, contact_filter(actor))
        )
    ).first()
    if row is None:
        return None
    contact, responsible_name = row
    leads = list(
        await session.scalars(
            select(Lead)
            .where(Lead.contact_id == contact_id, owner_filter(actor, Lead.responsible_id))
            .order_by(Lead.id.desc())
        )
    )
    deals = list(
        await session.scalars(
            select(Deal)
            .where(Deal.contact_id == contact_id, owner_filter(actor, Deal.responsible_id))
            .order_by(Deal.id.desc())
        )
    )
    return ContactCard(contact=contact, responsible_name=responsible_name, leads=leads, deals=deals)


# ---------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------

MIN_QUERY_LENGTH = 2
MIN_PHONE_DIGITS = 5
_LETTER = re.compile(r"[^\W\d_]")


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def phone_fragment(text: str, default_region: str) -> str | None:
    """The digits to look for in stored E.164 phones, or ``None`` if ``text`` is not a phone.

    A full number in any format («8 (912) 345-67-89», «+7 912 …») becomes its E.164 digits; a fragment
    («345-67-89») is matched as typed.
    """
    if _LETTER.search(text):
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    try:
        return MobilePhone.parse(text, default_region).e164.lstrip("+")
    except ValidationError:
        return digits


@dataclass(frozen=True)
class SearchResult:
    page: Page[Contact]
    leads: list[Lead]
    deals: list[Deal]


async def search(
    session: AsyncSession, actor: Actor, text: str, *, default_region: str, page: int = 0
) -> SearchResult:
    """Contacts whose name contains every word of ``text`` (case, «ё»/«е» ignored) or whose phone contains
    its digits, with the leads and deals of the contacts on this page; all limited to what ``actor`` sees.

    Only the first ``limits.SEARCH_WORDS`` words count: each is one LIKE, and a thousand of them overflow
    SQLite's expression tree (issue 9, finding 9)."""
    digits = phone_fragment(text, default_region)
    query = _visible_contacts(actor)
    if digits is not None:
        query = query.where(Contact.phone.like(f"%{_like_escape(digits)}%", escape="\\"))
    else:
        for word in name_key(text).split()[: limits.SEARCH_WORDS]:
            query = query.where(Contact.name_key.like(f"%{_like_escape(word)}%", escape="\\"))
    found = await _page(session, query, page)
    ids = [contact.id for contact in found.rows]
    if not ids:
        return SearchResult(page=found, leads=[], deals=[])
    leads = list(
        await session.scalars(
            select(Lead)
            .options(joinedload(Lead.contact))
            .where(Lead.contact_id.in_(ids), owner_filter(actor, Lead.responsible_id))
            .order_by(Lead.id.desc())
            .limit(PAGE_SIZE)
        )
    )
    deals = list(
        await session.scalars(
            select(Deal)
            .options(joinedload(Deal.contact))
            .where(Deal.contact_id.in_(ids), owner_filter(actor, Deal.responsible_id))
            .order_by(Deal.id.desc())
            .limit(PAGE_SIZE)
        )
    )
    return SearchResult(page=found, leads=leads, deals=deals)

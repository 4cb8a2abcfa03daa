"""Read-only data of the contact windows. User data goes in as it is: ``Tr`` escapes it."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram_dialog import DialogManager

from bot.i18n import Translator
from db.repo import contacts
from db.repo.clients import search_clients
from db.repo.contacts import ContactDraft, Duplicate
from db.repo.visibility import may_act, may_see_contact
from domain.errors import Gone, NotAllowed
from domain.values import BirthDate, Email, FullName, MobilePhone
from handlers.contacts.actions import CLIENT_QUERY, editing_id, form_of, steps_of
from handlers.kit.context import actor_of, i18n_of, session_of

CARD_LINKS = 5


def _dash(i18n: Translator, value: str | None) -> str:
    return value if value else i18n("contact-value-none")


async def step_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    form = form_of(dialog_manager)
    return {
        "first": not form["done"],
        "card_name_incomplete": bool(form.get("card_name_incomplete")) and "name" not in form["done"],
    }


CLIENT_CHOICES = 8
BUTTON_NAME = 60


async def client_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The client step: the visible clients matching the typed text (R1c: the repository filters)."""
    query = str(dialog_manager.dialog_data.get(CLIENT_QUERY) or "")
    found = []
    if query:
        found = await search_clients(
            session_of(dialog_manager), actor_of(dialog_manager), query, limit=CLIENT_CHOICES
        )
    return {
        "query": query,
        "found": bool(found),
        "none": bool(query) and not found,
        "clients": [
            (c.id, c.name if len(c.name) <= BUTTON_NAME else c.name[: BUTTON_NAME - 1] + "…") for c in found
        ],
    }


async def summary_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n, form = i18n_of(dialog_manager), form_of(dialog_manager)
    name = FullName(**form["name"]) if form.get("name") else None
    birth = form.get("birth_date")
    return {
        "name": name.display() if name else "",
        "phone": MobilePhone(form["phone"]).display() if form.get("phone") else "",
        "birth_date": BirthDate(date.fromisoformat(birth)).display() if birth else "",
        "email": form.get("email") or "",
        "position": _dash(i18n, form.get("position")),
        "client": _dash(i18n, form.get("client")),
        "fields": [(step, i18n.plain(f"contact-field-{step}")) for step in steps_of(dialog_manager)],
        "editing": editing_id(dialog_manager) is not None,
    }


async def duplicate_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """R5b: the existing contact, masked unless this manager may see it, and who is responsible for it."""
    session, i18n = session_of(dialog_manager), i18n_of(dialog_manager)
    typed = (dialog_manager.dialog_data.get("duplicate") or {}).get("typed") or {}
    birth = typed.get("birth_date")
    draft = ContactDraft(
        name_key=typed.get("name_key"),
        phone=typed.get("phone"),
        birth_date=date.fromisoformat(birth) if birth else None,
        email=typed.get("email"),
    )
    duplicate = await contacts.find_duplicate(session, draft, exclude_id=editing_id(dialog_manager))
    if duplicate is None:
        raise Gone("the duplicate is gone")
    fields = await duplicate_fields(dialog_manager, duplicate, i18n)
    return {**fields, "editing": editing_id(dialog_manager) is not None}


async def duplicate_fields(
    dialog_manager: DialogManager, duplicate: Duplicate, i18n: Translator
) -> dict[str, Any]:
    visible = await may_see_contact(
        session_of(dialog_manager), actor_of(dialog_manager), duplicate.contact_id
    )
    phone, email, birth = (
        MobilePhone(duplicate.phone),
        Email(duplicate.email),
        BirthDate(duplicate.birth_date),
    )
    return {
        "fields": ", ".join(i18n(f"contact-field-{name}") for name in duplicate.fields),
        "name": duplicate.full_name,
        "phone": phone.display() if visible else phone.masked(),
        "birth_date": birth.display() if visible else birth.masked(),
        "email": email.value if visible else email.masked(),
        "responsible": duplicate.responsible_name or i18n("contact-value-none"),
    }


def _statuses(i18n: Translator, prefix: str, statuses: list[str]) -> str:
    if not statuses:
        return i18n("contact-card-none")
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    parts = ", ".join(f"{i18n(f'{prefix}-{status}')}: {count}" for status, count in counts.items())
    return f"{len(statuses)} ({parts})"


async def card_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The card; a contact this manager may not see (a forged or stale id) is refused."""
    start = dialog_manager.start_data if isinstance(dialog_manager.start_data, dict) else {}
    i18n = i18n_of(dialog_manager)
    card = await contacts.contact_card(
        session_of(dialog_manager), actor_of(dialog_manager), int(start["contact_id"])
    )
    if card is None:
        raise NotAllowed("contact not visible")
    contact = card.contact
    return {
        "saved": bool(start.get("saved")),
        "notice": start.get("notice"),
        "may_edit": await may_act(
            session_of(dialog_manager), actor_of(dialog_manager), contact.responsible_id
        ),
        "name": contact.full_name,
        "phone": MobilePhone(contact.phone).display(),
        "birth_date": BirthDate(contact.birth_date).display(),
        "email": contact.email,
        "position": _dash(i18n, contact.position),
        "client": _dash(i18n, contact.client.name if contact.client else None),
        "responsible": card.responsible_name or i18n("contact-value-none"),
        "leads_text": _statuses(i18n, "lead-status", [lead.status for lead in card.leads]),
        "deals_text": _statuses(i18n, "deal-status", [deal.status for deal in card.deals]),
        "leads": [
            (lead.id, i18n.plain("contact-btn-lead", id=lead.id, status=i18n(f"lead-status-{lead.status}")))
            for lead in card.leads[:CARD_LINKS]
        ],
        "deals": [
            (deal.id, i18n.plain("contact-btn-deal", id=deal.id, status=i18n(f"deal-status-{deal.status}")))
            for deal in card.deals[:CARD_LINKS]
        ],
    }


async def list_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    page_no = int(dialog_manager.dialog_data.get("page", 0))
    page = await contacts.list_contacts(session_of(dialog_manager), actor_of(dialog_manager), page_no)
    return {
        "total": page.total,
        "page": page.page + 1,
        "pages": page.pages,
        "has_prev": page.page > 0,
        "has_next": page.has_next,
        "contacts": [(contact.id, contact.full_name) for contact in page.rows],
    }

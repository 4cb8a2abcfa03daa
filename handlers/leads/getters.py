"""Read-only data of the lead windows. User data goes in as it is: ``Tr`` escapes it."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aiogram_dialog import DialogManager

from bot.cards import clipped, is_clipped
from bot.i18n import Translator
from db.repo import leads as repo
from db.repo.directories import Kind
from db.repo.outcome_reasons import reason_text
from db.repo.visibility import may_act, may_see
from domain import limits
from domain.errors import NotAllowed
from domain.leads import LeadStatus
from domain.values import MobilePhone
from handlers.kit import reasons
from handlers.kit.context import actor_of, i18n_of, session_of, settings_of, user_of
from handlers.kit.paging import page_of
from handlers.leads.actions import (
    FILTER,
    QUERY,
    choices,
    chooses_responsible,
    editing_id,
    form_of,
    matching,
    start_of,
    step_name,
    steps_of,
)

TIME = "%d.%m.%Y %H:%M"


def _zone(manager: DialogManager) -> ZoneInfo:
    return ZoneInfo(user_of(manager).timezone or settings_of(manager).default_timezone)


def _contact_label(i18n: Translator, name: str, phone: str) -> str:
    return i18n.plain("lead-contact-option", name=name, phone=MobilePhone(phone).display())


async def contact_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The contact step: the search results for what was typed, else the recent contacts."""
    session, actor, i18n = session_of(dialog_manager), actor_of(dialog_manager), i18n_of(dialog_manager)
    query = dialog_manager.dialog_data.get(QUERY)
    if query:
        found = await repo.find_visible_contacts(session, actor, str(query))
    else:
        found = await repo.recent_contacts(session, actor)
    return {
        "query": query or "",
        "searched": bool(query),
        "found": bool(found),
        "recent": not query and bool(found),
        "none_recent": not query and not found,
        "none_found": bool(query) and not found,
        "contacts": [(c.id, _contact_label(i18n, c.full_name, c.phone)) for c in found],
    }


async def _contact_name(dialog_manager: DialogManager) -> str:
    contact_id = form_of(dialog_manager).get("contact")
    contact = await repo.get_contact(session_of(dialog_manager), int(contact_id)) if contact_id else None
    return contact.full_name if contact else "—"


async def choice_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """A choice step (source, group, responsible): its options, narrowed by what was typed."""
    step, actor, i18n = step_name(dialog_manager), actor_of(dialog_manager), i18n_of(dialog_manager)
    query = dialog_manager.dialog_data.get(FILTER)
    options = matching(await choices(dialog_manager, step), query)
    if step == "responsible":
        options = [
            (user_id, i18n.plain("lead-btn-myself") if user_id == actor.user_id else name)
            for user_id, name in options
        ]
        options.sort(key=lambda item: item[0] != actor.user_id)
    return {
        "contact": await _contact_name(dialog_manager),
        "options": options,
        "filtered": bool(query),
    }


async def summary_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    session, actor, i18n = session_of(dialog_manager), actor_of(dialog_manager), i18n_of(dialog_manager)
    form = form_of(dialog_manager)
    source = await repo.active_source(session, int(form.get("source") or 0))
    group = await repo.active_group(session, int(form["group"])) if form.get("group") else None
    responsible_id = int(form.get("responsible") or actor.user_id)
    responsible = await repo.assignable_user(session, actor, responsible_id)
    return {
        "contact": await _contact_name(dialog_manager),
        "source": source.label if source else "—",
        "group": group.label if group else i18n("lead-group-none"),
        "description": clipped(form.get("description", ""), limits.LEAD_DESCRIPTION),
        "responsible": (responsible.full_name or str(responsible.telegram_id)) if responsible else "—",
        "fields": [(step, i18n.plain(f"lead-field-{step}")) for step in steps_of(dialog_manager)],
        "editing": editing_id(dialog_manager) is not None,
    }


# --- the card -----------------------------------------------------------------------------------------


async def visible_card(dialog_manager: DialogManager, lead_id: int) -> repo.LeadCard:
    """The lead's card when the user may see it (R1c); a forged or stale id is refused, revealing nothing."""
    session, actor = session_of(dialog_manager), actor_of(dialog_manager)
    card = await repo.lead_card(session, lead_id, settings_of(dialog_manager).comment_policy)
    if card is None or not await may_see(session, actor, card.lead.responsible_id):
        raise NotAllowed("lead not visible")
    return card


async def card_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    start, i18n, actor = start_of(dialog_manager), i18n_of(dialog_manager), actor_of(dialog_manager)
    card = await visible_card(dialog_manager, int(start["lead_id"]))
    lead, contact, zone = card.lead, card.lead.contact, _zone(dialog_manager)
    last = card.last_qualifying
    is_open = lead.status == LeadStatus.OPEN.value
    acts = is_open and await may_act(session_of(dialog_manager), actor, lead.responsible_id)
    rejected = lead.status == LeadStatus.REJECTED.value and bool(lead.reject_reason_id or lead.reject_reason)
    text = clipped(lead.reject_reason, limits.CARD_REASON) if lead.reject_reason else None
    notice = dialog_manager.dialog_data.get("notice") or start.get("notice") or {}
    return {
        "saved": bool(start.get("saved")) and not notice and not dialog_manager.dialog_data.get("seen"),
        "notice_key": notice.get("key"),
        "notice_key_params": notice.get("params") or {},
        "id": lead.id,
        "status": i18n(f"lead-status-{lead.status}"),
        "contact": clipped(contact.full_name, limits.CARD_NAME),
        "phone": MobilePhone(contact.phone).display(),
        "source": clipped(card.source, limits.CARD_NAME),
        "group": clipped(card.group, limits.CARD_NAME) if card.group else i18n("lead-group-none"),
        "description": clipped(lead.description),
        "responsible": clipped(card.responsible.full_name or "—", limits.CARD_NAME),
        "created": lead.created_at.astimezone(zone).strftime(TIME),
        "interactions": card.interactions,
        "qualified": last is not None,
        "unqualified": last is None and is_open,
        "last_kind": i18n(f"kind-{last.kind}") if last else "",
        "last_at": last.occurred_at.astimezone(zone).strftime(TIME) if last else "",
        "rejected": rejected,
        "reason": reason_text(lead.reject_reason_item, text, i18n.language) if rejected else "",
        "acts": acts,
        "reassigns": acts and chooses_responsible(actor),
        "clipped": is_clipped(lead.description),
    }


async def reassign_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    start, session = start_of(dialog_manager), session_of(dialog_manager)
    card = await visible_card(dialog_manager, int(start["lead_id"]))
    users = await repo.assignable_users(session, actor_of(dialog_manager))
    people = [
        (user.id, user.full_name or str(user.telegram_id))
        for user in users
        if user.id != card.lead.responsible_id
    ]
    return {"id": card.lead.id, "people": people, "nobody": not people}


async def refusal_reasons_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """R2a: the active reasons of «Причины отказа», one button each."""
    items = await reasons.reason_buttons(dialog_manager, Kind.REFUSAL)
    return {"id": int(start_of(dialog_manager)["lead_id"]), "reasons": items, "no_reasons": not items}


async def refusal_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The chosen reason with its text, on the text step and the confirmation."""
    return {
        "id": int(start_of(dialog_manager)["lead_id"]),
        "min": limits.REASON_MIN,
        "max": limits.REASON,
        **await reasons.shown_reason(dialog_manager, Kind.REFUSAL),
    }


# --- the list -----------------------------------------------------------------------------------------


async def list_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n, page = i18n_of(dialog_manager), page_of(dialog_manager)
    leads, has_next = await repo.visible_leads_page(
        session_of(dialog_manager), actor_of(dialog_manager), page
    )
    if not leads and page > 0:  # the page emptied meanwhile: the first page instead
        page = 0
        leads, has_next = await repo.visible_leads_page(
            session_of(dialog_manager), actor_of(dialog_manager), 0
        )
    items = [
        (
            lead.id,
            i18n.plain(
                "lead-list-button",
                id=lead.id,
                name=lead.contact.full_name,
                status=i18n.plain(f"lead-status-{lead.status}"),
            ),
        )
        for lead in leads
    ]
    return {
        "page": page + 1,
        "leads": items,
        "empty": not items,
        "any": bool(items),
        "has_prev": page > 0,
        "has_next": has_next,
    }

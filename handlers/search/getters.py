"""Read-only data of the results window: what the user may see, a page at a time (SPEC "Access")."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from db.repo import contacts
from db.repo.clients import search_clients
from handlers.kit.context import actor_of, i18n_of, session_of, settings_of
from handlers.kit.paging import page_of
from handlers.search.actions import QUERY, client_words


async def results_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    session, actor, i18n = session_of(dialog_manager), actor_of(dialog_manager), i18n_of(dialog_manager)
    query = str(dialog_manager.dialog_data.get(QUERY) or "")
    result = await contacts.search(
        session,
        actor,
        query,
        default_region=settings_of(dialog_manager).default_phone_region,
        page=page_of(dialog_manager),
    )
    page = result.page
    # Clients are few per query and shown on the first page only.
    clients = await search_clients(session, actor, client_words(query)) if page.page == 0 else []
    return {
        "query": query,
        "total": page.total,
        "page": page.page + 1,
        "pages": page.pages,
        "has_prev": page.page > 0,
        "has_next": page.has_next,
        "clients_count": len(clients),
        "clients": [(c.id, i18n.plain("search-btn-client", name=c.name)) for c in clients],
        "contacts": [(c.id, c.full_name) for c in page.rows],
        "leads": [
            (lead.id, i18n.plain("search-btn-lead", id=lead.id, name=lead.contact.full_name))
            for lead in result.leads
        ],
        "deals": [
            (deal.id, i18n.plain("search-btn-deal", id=deal.id, name=deal.contact.full_name))
            for deal in result.deals
        ],
    }

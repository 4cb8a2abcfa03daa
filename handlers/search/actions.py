"""What the search does with a query: the rule for a query (length), then the results or «nothing found»."""

from __future__ import annotations

from typing import Any

from aiogram.types import Message
from aiogram_dialog import DialogManager

from db.repo import contacts
from db.repo.clients import search_clients
from db.repo.contacts import MIN_QUERY_LENGTH
from domain import limits
from domain.errors import ValidationError
from handlers.clients.states import ClientCard
from handlers.contacts.states import ContactCard
from handlers.deals.states import DealCard
from handlers.kit.context import actor_of, record_id, session_of, settings_of
from handlers.kit.inputs import clear_error, set_error
from handlers.kit.paging import PAGE
from handlers.leads.states import LeadCard
from handlers.search.states import Search

QUERY = "query"


def parse_query(text: str, manager: DialogManager | None = None) -> str:
    """A query: at least ``MIN_QUERY_LENGTH`` characters, at most ``limits.SEARCH_TEXT``; spaces collapsed."""
    query = " ".join(text.split())
    if len(query) < MIN_QUERY_LENGTH:
        raise ValidationError("search-err-too-short", "query too short", min=MIN_QUERY_LENGTH)
    if too_long := limits.check_length(query, limits.SEARCH_TEXT):
        raise ValidationError(
            "limit-search-too-long", "query too long", limit=too_long.limit, length=too_long.length
        )
    return query


def client_words(query: str) -> str:
    """Only the first ``limits.SEARCH_WORDS`` words count (each is one LIKE)."""
    return " ".join(query.split()[: limits.SEARCH_WORDS])


async def found_anything(manager: DialogManager, query: str) -> bool:
    session, actor = session_of(manager), actor_of(manager)
    result = await contacts.search(
        session, actor, query, default_region=settings_of(manager).default_phone_region
    )
    return bool(result.page.total) or bool(await search_clients(session, actor, client_words(query)))


async def run(manager: DialogManager, query: str) -> None:
    """Show the results of ``query``, or stay at the query with «nothing found»."""
    if not await found_anything(manager, query):
        set_error(manager, "search-nothing", query=query)
        await manager.switch_to(Search.query)
        return
    clear_error(manager)
    manager.dialog_data[QUERY] = query
    manager.dialog_data[PAGE] = 0
    await manager.switch_to(Search.results)


async def on_query(message: Message, widget: Any, manager: DialogManager, query: str) -> None:
    await run(manager, query)


async def on_start(start_data: Any, manager: DialogManager) -> None:
    """``/find text``: the text is the query (refused like a typed one)."""
    start = start_data if isinstance(start_data, dict) else {}
    text = start.get(QUERY)
    if not text:
        return
    try:
        query = parse_query(str(text))
    except ValidationError as error:
        set_error(manager, error.key, **error.params)
        await manager.switch_to(Search.query)
        return
    await run(manager, query)


async def open_contact(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await manager.start(ContactCard.main, data={"contact_id": record_id(item_id)})


async def open_lead(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await manager.start(LeadCard.main, data={"lead_id": record_id(item_id)})


async def open_deal(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await manager.start(DealCard.main, data={"deal_id": record_id(item_id)})


async def open_client(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await manager.start(ClientCard.main, data={"client_id": record_id(item_id)})

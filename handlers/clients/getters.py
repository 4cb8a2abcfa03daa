"""Read-only data of the registry's windows. User data goes in as it is: ``Tr`` escapes it; fragments built
here from escaped parts are ``Html``."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, Translator
from bot.route_cards import client_card_text, route_request_text
from db.models import BusinessRegion, Client, ClientRoute, Industry, User
from db.repo import client_access, client_edits, documents, paging, routes
from db.repo import clients as repo
from db.repo.directories import display_name
from domain.access import Role
from domain.errors import NotAllowed
from domain.registry import CounterpartyKind
from domain.values import MobilePhone
from handlers.clients.refusals import RouteDecided
from handlers.kit.context import actor_of, i18n_of, session_of, user_of
from handlers.kit.paging import page_of

FORM = "form"
CONV = "conv"
CLIENT_STEPS = ("name", "industry", "region", "contacts")
CONVERT_STEPS = ("legal_name", "inn", "kpp", "kind")
ROUTE_STEPS = (*CONVERT_STEPS, "approver", "comment")


def start_of(manager: DialogManager) -> dict[str, Any]:
    return manager.start_data if isinstance(manager.start_data, dict) else {}


def steps_of(manager: DialogManager) -> tuple[str, ...]:
    """The client form's steps; picking a client for a contact, or editing a saved client, has no
    contact-persons step (contact persons are added from the card)."""
    if start_of(manager).get("edit"):
        own = tuple(step for step in CLIENT_STEPS if step != "contacts")
        lead = actor_of(manager).role in (Role.ADMIN, Role.TEAM_LEAD)
        return (*own, "responsible") if lead else own
    if start_of(manager).get("pick"):
        return tuple(step for step in CLIENT_STEPS if step != "contacts")
    return CLIENT_STEPS


def form_of(manager: DialogManager) -> dict[str, Any]:
    form = manager.dialog_data.get(FORM)
    return form if isinstance(form, dict) else {}


def conv_of(manager: DialogManager) -> dict[str, Any]:
    conv = manager.dialog_data.get(CONV)
    return conv if isinstance(conv, dict) else {}


def conv_steps(manager: DialogManager) -> tuple[str, ...]:
    return ROUTE_STEPS if start_of(manager).get("mode") == "route" else CONVERT_STEPS


def _none(i18n: Translator, value: str | None) -> str:
    return value if value else i18n("clients-value-none")


# --- the new-client form --------------------------------------------------------------------------------


def matching(names: list[tuple[int, str]], text: str | None) -> list[tuple[int, str]]:
    """The options whose name contains the typed text (case and «ё» ignored); all of them without one."""
    if not text:
        return names
    wanted = text.casefold().replace("ё", "е")
    return [(i, name) for i, name in names if wanted in name.casefold().replace("ё", "е")]


async def directory_options(manager: DialogManager, step: str) -> list[tuple[int, str]]:
    session, language = session_of(manager), i18n_of(manager).language
    rows = await (repo.active_industries(session) if step == "industry" else repo.active_regions(session))
    return [(row.id, display_name(row, language)) for row in rows]


async def directory_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """Industry or business region: the active values, narrowed by what was typed."""
    step = (dialog_manager.current_context().state.state or "").split(":")[-1]
    options = await directory_options(dialog_manager, step)
    typed = dialog_manager.dialog_data.get("filter") or {}
    shown = matching(options, typed.get("text") if typed.get("step") == step else None)
    return {"options": shown or options, "has_options": bool(options), "empty": not options}


async def _contact_names(manager: DialogManager, ids: list[int]) -> str:
    i18n = i18n_of(manager)
    names = [c.full_name for c in await repo.contacts_by_ids(session_of(manager), ids)]
    return ", ".join(names) if names else i18n("clients-contacts-none")


async def contacts_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    form, start = form_of(dialog_manager), start_of(dialog_manager)
    attach_to = start.get("attach_to")
    client_name = ""
    if attach_to:
        client = await client_access.get_visible_client(
            session_of(dialog_manager), actor_of(dialog_manager), attach_to
        )
        if client is None:
            raise NotAllowed("client not visible")
        client_name = client.name
    return {
        "attach": bool(attach_to),
        "adding": not attach_to,
        "client_name": client_name,
        "name": form.get("name", ""),
        "contacts": await _contact_names(dialog_manager, list(form.get("contact_ids", []))),
    }


async def search_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The visible contacts matching the query (R1c: the repository filters by the reader)."""
    query = str(dialog_manager.dialog_data.get("query") or "")
    found = []
    if query:
        found = await repo.find_contacts(session_of(dialog_manager), actor_of(dialog_manager), query)
    return {
        "query": query,
        "asking": not query,
        "none": bool(query) and not found,
        "found": bool(found),
        "options": [(c.id, c.full_name, MobilePhone(c.phone).display()) for c in found],
    }


async def _responsible_name(manager: DialogManager, form: dict[str, Any]) -> str:
    chosen = form.get("responsible_id") or form.get("keeper_id")
    user = await session_of(manager).get(User, chosen) if chosen else None
    return user.full_name if user else i18n_of(manager)("clients-value-none")


async def responsible_options(manager: DialogManager) -> list[tuple[int, str]]:
    users = await client_edits.responsible_candidates(session_of(manager), actor_of(manager))
    return [(user.id, user.full_name) for user in users]


async def responsible_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"options": await responsible_options(dialog_manager)}


async def summary_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n, form = i18n_of(dialog_manager), form_of(dialog_manager)
    session, language = session_of(dialog_manager), i18n.language
    industry_row = await session.get(Industry, form["industry_id"]) if form.get("industry_id") else None
    region_row = await session.get(BusinessRegion, form["region_id"]) if form.get("region_id") else None
    industry = display_name(industry_row, language) if industry_row else None
    region = display_name(region_row, language) if region_row else None
    return {
        "name": form.get("name", ""),
        "industry": _none(i18n, industry),
        "region": _none(i18n, region),
        "contacts": await _contact_names(dialog_manager, list(form.get("contact_ids", []))),
        "fields": [(step, i18n.plain(f"clients-btn-edit-{step}")) for step in steps_of(dialog_manager)],
        "responsible": await _responsible_name(dialog_manager, form),
        "pick": bool(start_of(dialog_manager).get("pick")),
        "edit": bool(start_of(dialog_manager).get("edit")),
        "with_contacts": not (start_of(dialog_manager).get("pick") or start_of(dialog_manager).get("edit")),
    }


# --- the cards and the list ------------------------------------------------------------------------------


async def card_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The client card and which buttons this reader gets; a client they may not see is refused."""
    session, actor = session_of(dialog_manager), actor_of(dialog_manager)
    me = actor.user_id  # plain data: the user row may be expired after a refused write
    client_id = int(start_of(dialog_manager)["client_id"])
    card = await repo.client_card(session, actor, client_id)
    if card is None:
        raise NotAllowed("client not visible")
    route = card.pending_route
    open_to_convert = card.counterparty is None and route is None
    may_convert = open_to_convert and await client_access.user_may_convert(session, me)
    notice = dialog_manager.dialog_data.get("notice")
    return {
        "card": await client_card_text(session, i18n_of(dialog_manager), card),
        "notice": notice.get("key") if isinstance(notice, dict) else None,
        "notice_params": notice.get("params") if isinstance(notice, dict) else None,
        "convert": may_convert,
        "route": open_to_convert and not may_convert,
        "withdraw": route is not None and route.requester_id == me,
        "decide": route is not None and route.approver_id == me,
        "may_edit": await client_access.may_manage_client(session, actor, card.client),
        "mark_lost": not card.client.marked_lost
        and await client_access.may_manage_client(session, actor, card.client),
        "unmark_lost": card.client.marked_lost
        and await client_access.may_manage_client(session, actor, card.client),
        "party": card.counterparty is not None,
    }


async def party_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The counterparty card: seen by whoever sees its client."""
    session, i18n = session_of(dialog_manager), i18n_of(dialog_manager)
    party_id = int(start_of(dialog_manager)["party_id"])
    party = await documents.visible_counterparty(session, actor_of(dialog_manager), party_id)
    if party is None:
        raise NotAllowed("counterparty not visible")
    client = await session.get(Client, party.client_id) if party.client_id else None
    return {
        "legal_name": party.legal_name,
        "inn": party.inn,
        "kpp": _none(i18n, party.kpp),
        "kind": i18n(f"clients-kind-{party.kind}"),
        "client": _none(i18n, client.name if client else None),
        "client_name": client.name if client else "",
        "has_client": client is not None,
    }


async def list_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    session, i18n = session_of(dialog_manager), i18n_of(dialog_manager)
    page = await repo.list_clients(session, actor_of(dialog_manager), page_of(dialog_manager))
    statuses = await repo.statuses_of(session, page.rows)
    first = page.page * paging.PAGE_SIZE + 1
    numbered = list(enumerate(page.rows, start=first))
    lines = [
        i18n("clients-list-item", n=n, name=c.name, status=i18n(f"clients-status-{statuses[c.id]}"))
        for n, c in numbered
    ]
    return {
        "total": page.total,
        "page": page.page + 1,
        "pages": page.pages,
        "lines": Html("\n".join(lines)),
        "has_prev": page.page > 0,
        "has_next": page.has_next,
        "clients": [(c.id, n, c.name) for n, c in numbered],
    }


# --- converting, routes -----------------------------------------------------------------------------------


async def conv_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """Every window of the conversion form: the client, the choices and the summary."""
    session, i18n = session_of(dialog_manager), i18n_of(dialog_manager)
    conv, start = conv_of(dialog_manager), start_of(dialog_manager)
    client = await client_access.get_visible_client(
        session, actor_of(dialog_manager), int(start["client_id"])
    )
    if client is None:
        raise NotAllowed("client not visible")
    route = start.get("mode") == "route"
    approver = await session.get(User, conv["approver"]) if conv.get("approver") else None
    state = dialog_manager.current_context().state.state or ""
    people: list[tuple[int, str]] = []
    if route and state.endswith(":approver"):
        people = [
            (p.id, p.full_name or str(p.id))
            for p in await client_access.approvers(session, exclude_id=actor_of(dialog_manager).user_id)
        ]
        typed = dialog_manager.dialog_data.get("filter") or {}
        people = matching(people, typed.get("text") if typed.get("step") == "approver" else None) or people
    return {
        "client": client.name,
        "legal_name": conv.get("legal_name", ""),
        "inn": conv.get("inn", ""),
        "kpp": _none(i18n, conv.get("kpp")),
        "kind": i18n(f"clients-kind-{conv['kind']}") if conv.get("kind") else "",
        "kinds": [(kind.value, i18n.plain(f"clients-kind-{kind}")) for kind in CounterpartyKind],
        "approvers": people,
        "no_approvers": route and state.endswith(":approver") and not people,
        "approver": _none(i18n, approver.full_name if approver else None),
        "comment": _none(i18n, conv.get("comment")),
        "route": route,
        "convert": not route,
        "fields": [
            (step, i18n.plain(f"clients-btn-edit-{step.replace('_', '-')}"))
            for step in conv_steps(dialog_manager)
        ],
    }


async def route_awaiting(session: AsyncSession, route_id: int, approver_id: int) -> ClientRoute:
    """The route, while it waits for this user's decision; else the "already decided / not yours" refusal."""
    route = await routes.get_route(session, route_id)
    if route is None or route.status != "pending" or route.approver_id != approver_id:
        raise RouteDecided("route not pending for this approver")
    return route


async def pending_route(manager: DialogManager, route_id: int) -> ClientRoute:
    return await route_awaiting(session_of(manager), route_id, actor_of(manager).user_id)


async def request_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    route = await pending_route(dialog_manager, int(start_of(dialog_manager)["route_id"]))
    text = await route_request_text(
        session_of(dialog_manager), i18n_of(dialog_manager), user_of(dialog_manager), route
    )
    if text is None:
        raise RouteDecided("the client is gone")
    return {"request": Html(text)}


async def reject_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    route = await pending_route(dialog_manager, int(start_of(dialog_manager)["route_id"]))
    requester = await session_of(dialog_manager).get(User, route.requester_id)
    return {"requester": requester.full_name if requester and requester.full_name else "—"}

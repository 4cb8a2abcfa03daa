"""The client card and the counterparty card (seed 002).

The client card shows what the reader may see (contact persons of others masked) and the buttons their
rights give: add a contact person, convert (with the permission) or send along a route (without it),
withdraw one's own pending route, approve or reject a route addressed to the reader, mark lost (the
responsible, their team lead, an admin), the counterparty, history and documents.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram_dialog import Data, Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, Row

from db.repo import clients as repo
from db.repo import counterparties, documents
from db.repo import routes as route_repo
from domain.errors import NotAllowed
from handlers.clients import getters
from handlers.clients.convert import check_may_start
from handlers.clients.getters import start_of
from handlers.clients.refusals import RouteDecided
from handlers.clients.routes import approve, withdraw
from handlers.clients.states import ClientCard, ClientForm, ConvertForm, PartyCard, RouteReject
from handlers.kit.cards import open_tasks, record_rows, records_getter, task_button, track_card
from handlers.kit.context import actor_of, session_of
from handlers.kit.text import Key, Raw, Tr, TrPlain

log = logging.getLogger(__name__)


def _client_id(manager: DialogManager) -> int:
    return int(start_of(manager)["client_id"])


def _notice(manager: DialogManager, key: str | None, **params: Any) -> None:
    if key is None:
        manager.dialog_data.pop("notice", None)
    else:
        manager.dialog_data["notice"] = {"key": key, "params": params}


async def on_edit(event: Any, widget: Any, manager: DialogManager) -> None:
    """«✏️ Изменить»: the client form's summary with the client's values (R1c checked when it starts)."""
    _notice(manager, None)
    await manager.start(ClientForm.summary, data={"edit": _client_id(manager)})


async def on_add_contact(event: Any, widget: Any, manager: DialogManager) -> None:
    _notice(manager, None)
    await manager.start(ClientForm.contacts, data={"attach_to": _client_id(manager)})


async def _convert(manager: DialogManager, mode: str) -> None:
    _notice(manager, None)
    await check_may_start(session_of(manager), actor_of(manager), _client_id(manager), mode)
    await manager.start(ConvertForm.legal_name, data={"client_id": _client_id(manager), "mode": mode})


async def on_convert(event: Any, widget: Any, manager: DialogManager) -> None:
    await _convert(manager, "convert")


async def on_route(event: Any, widget: Any, manager: DialogManager) -> None:
    await _convert(manager, "route")


async def _pending_route_id(manager: DialogManager) -> int:
    route = await route_repo.pending_route_of(session_of(manager), _client_id(manager))
    if route is None:
        raise RouteDecided("no pending route")
    return route.id


async def on_withdraw(event: Any, widget: Any, manager: DialogManager) -> None:
    await withdraw(session_of(manager), await _pending_route_id(manager), actor_of(manager).user_id)
    _notice(manager, "clients-route-withdrawn")


async def on_approve(event: Any, widget: Any, manager: DialogManager) -> None:
    key, params = await approve(
        session_of(manager), await _pending_route_id(manager), actor_of(manager).user_id
    )
    _notice(manager, key, **params)


async def on_reject(event: Any, widget: Any, manager: DialogManager) -> None:
    route_id = await _pending_route_id(manager)
    await getters.pending_route(manager, route_id)
    _notice(manager, None)
    await manager.start(RouteReject.reason, data={"route_id": route_id})


async def _mark(manager: DialogManager, marked: bool) -> None:
    """«Отметить потерянным» / «Снять отметку»: the responsible, their team lead, or an admin."""
    if not await repo.set_marked_lost(session_of(manager), actor_of(manager), _client_id(manager), marked):
        raise NotAllowed("may not manage the client")
    log.info("client %s marked_lost=%s by user %s", _client_id(manager), marked, actor_of(manager).user_id)
    _notice(manager, "clients-marked-lost" if marked else "clients-unmarked-lost")


async def on_mark_lost(event: Any, widget: Any, manager: DialogManager) -> None:
    await _mark(manager, True)


async def on_unmark_lost(event: Any, widget: Any, manager: DialogManager) -> None:
    await _mark(manager, False)


async def on_party(event: Any, widget: Any, manager: DialogManager) -> None:
    party = await counterparties.counterparty_of(session_of(manager), _client_id(manager))
    if party is None:
        raise NotAllowed("no counterparty")
    await manager.start(PartyCard.main, data={"party_id": party.id})


async def on_card_start(start_data: Any, manager: DialogManager) -> None:
    await track_card("client", "client_id")(start_data, manager)
    start = start_of(manager)
    if start.get("notice"):
        _notice(manager, str(start["notice"]), **dict(start.get("notice_params") or {}))


async def on_card_result(start_data: Data, result: Any, manager: DialogManager) -> None:
    """Back on the card: a contact person linked, a route rejected."""
    if isinstance(result, dict) and result.get("linked"):
        _notice(manager, "clients-contact-linked")
    elif isinstance(result, dict) and result.get("notice"):
        _notice(manager, str(result["notice"]), **dict(result.get("notice_params") or {}))


def card_dialog() -> Dialog:
    return Dialog(
        Window(
            Key("notice"),
            Raw("card"),
            open_tasks(),
            Button(TrPlain("clients-btn-add-contact"), id="add", on_click=on_add_contact),
            Button(TrPlain("clients-btn-edit-card"), id="edit_client", on_click=on_edit, when="may_edit"),
            Column(
                Button(TrPlain("clients-btn-convert"), id="convert", on_click=on_convert, when="convert"),
                Button(TrPlain("clients-btn-route"), id="route", on_click=on_route, when="route"),
                Button(TrPlain("clients-btn-withdraw"), id="withdraw", on_click=on_withdraw, when="withdraw"),
            ),
            Row(
                Button(TrPlain("clients-btn-approve"), id="approve", on_click=on_approve, when="decide"),
                Button(TrPlain("clients-btn-reject"), id="reject", on_click=on_reject, when="decide"),
            ),
            Column(
                Button(TrPlain("clients-btn-mark-lost"), id="lost", on_click=on_mark_lost, when="mark_lost"),
                Button(
                    TrPlain("clients-btn-unmark-lost"),
                    id="unlost",
                    on_click=on_unmark_lost,
                    when="unmark_lost",
                ),
                Button(TrPlain("clients-btn-party"), id="party", on_click=on_party, when="party"),
            ),
            task_button("client", "client_id"),
            record_rows("client", "client_id"),
            getter=[getters.card_getter, records_getter("client", "client_id")],
            state=ClientCard.main,
        ),
        on_start=on_card_start,
        on_process_result=on_card_result,
    )


async def on_open_client(event: Any, widget: Any, manager: DialogManager) -> None:
    party_id = int(start_of(manager)["party_id"])
    party = await documents.visible_counterparty(session_of(manager), actor_of(manager), party_id)
    if party is None or party.client_id is None:
        raise NotAllowed("counterparty not visible")
    await manager.start(ClientCard.main, data={"client_id": party.client_id})


def party_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("clients-party-card", "legal_name", "inn", "kpp", "kind", "client"),
            Button(
                TrPlain("clients-btn-party-client", name="client_name"),
                id="client",
                on_click=on_open_client,
                when="has_client",
            ),
            record_rows("counterparty", "party_id"),
            getter=[getters.party_getter, records_getter("counterparty", "party_id")],
            state=PartyCard.main,
        ),
        on_start=track_card("counterparty", "party_id"),
    )

"""Deciding a route (seed 002, SPEC "Access"): the approver approves, or rejects with a reason; the requester
may withdraw it while it is pending.

Every decision is one conditional update in the repository (``db.repo.routes``): a second press, a concurrent
one, or a press by anyone but the approver (the requester, for a withdrawal) matches no row and is refused
with "already decided / not yours". The other side hears of it through the outbox.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram.types import Message
from aiogram_dialog import Data, Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Row
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ClientRoute, User
from db.repo import counterparties, routes
from domain import limits
from domain.errors import ValidationError
from domain.registry import reject_reason
from handlers.clients import getters
from handlers.clients.getters import start_of
from handlers.clients.refusals import ConvertDenied, HasCounterparty, InnInUse, RouteDecided
from handlers.clients.states import RouteReject, RouteView
from handlers.kit.context import actor_of, session_of
from handlers.kit.inputs import ERROR_LINE, DomainInput
from handlers.kit.nav import cancel_button, nav
from handlers.kit.steps import NOT_TEXT, tell
from handlers.kit.text import Key, Raw, Tr, TrPlain

log = logging.getLogger(__name__)

Notice = tuple[str, dict[str, Any]]


async def approve(session: AsyncSession, route_id: int, approver_id: int) -> Notice:
    """Approve and create the counterparty; what to tell the approver. Refusals change nothing."""
    try:
        approved = await routes.approve_route(session, route_id, approver_id)
    except routes.NotDecidable as exc:
        raise RouteDecided("route not pending for this approver") from exc
    except counterparties.NotAllowed as exc:
        raise ConvertDenied("the approver lost the permission") from exc
    except counterparties.AlreadyCounterparty as exc:
        raise HasCounterparty("already a counterparty") from exc
    except counterparties.InnTaken as exc:
        raise InnInUse("the INN is taken") from exc
    party, client = approved.counterparty, approved.client
    log.info("route %s approved by user %s: counterparty %s", route_id, approver_id, party.id)
    return "clients-route-approved-you", {"legal_name": party.legal_name, "client": client.name}


async def withdraw(session: AsyncSession, route_id: int, requester_id: int) -> ClientRoute:
    try:
        route = await routes.withdraw_route(session, route_id, requester_id)
    except routes.NotDecidable as exc:
        raise RouteDecided("route not pending for this requester") from exc
    log.info("route %s withdrawn by user %s", route_id, requester_id)
    return route


def parse_reason(text: str, manager: DialogManager) -> str:
    reason = reject_reason(text)
    if too_long := limits.check_length(reason, limits.REASON):
        raise ValidationError(
            "limit-too-long", "reason too long", limit=too_long.limit, length=too_long.length
        )
    return reason


async def on_reason(message: Message, widget: Any, manager: DialogManager, reason: str) -> None:
    """The reason arrived: the rejection happens now (if the route is still the approver's to decide). The
    dialog underneath (the request, the client card) shows the outcome; started from a notice, a message."""
    session, approver_id = session_of(manager), actor_of(manager).user_id
    try:
        route = await routes.reject_route(session, int(start_of(manager)["route_id"]), approver_id, reason)
    except routes.NotDecidable as exc:
        raise RouteDecided("route not pending for this approver") from exc
    log.info("route %s rejected by user %s", route.id, approver_id)
    requester = await session.get(User, route.requester_id)
    params = {"requester": requester.full_name if requester and requester.full_name else "—"}
    await manager.done(result={"notice": "clients-route-rejected-you", "notice_params": params})
    if not manager.has_context():
        await tell(manager, "clients-route-rejected-you", **params)


async def _decided(manager: DialogManager, key: str, params: dict[str, Any]) -> None:
    manager.dialog_data["outcome"] = key
    manager.dialog_data["outcome_params"] = params
    await manager.switch_to(RouteView.decided)


async def on_approve(event: Any, widget: Any, manager: DialogManager) -> None:
    key, params = await approve(
        session_of(manager), int(start_of(manager)["route_id"]), actor_of(manager).user_id
    )
    await _decided(manager, key, params)


async def on_reject(event: Any, widget: Any, manager: DialogManager) -> None:
    route_id = int(start_of(manager)["route_id"])
    await getters.pending_route(manager, route_id)
    await manager.start(RouteReject.reason, data={"route_id": route_id})


async def on_decided(start_data: Data, result: Any, manager: DialogManager) -> None:
    """Back from the reason: the request shows that it was rejected."""
    if isinstance(result, dict) and result.get("notice"):
        await _decided(manager, str(result["notice"]), dict(result.get("notice_params") or {}))


async def outcome_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    return {"outcome": data.get("outcome"), "outcome_params": data.get("outcome_params") or {}}


def route_dialogs() -> list[Dialog]:
    view = Dialog(
        Window(
            Raw("request"),
            Row(
                Button(TrPlain("clients-btn-approve"), id="approve", on_click=on_approve),
                Button(TrPlain("clients-btn-reject"), id="reject", on_click=on_reject),
            ),
            cancel_button(),
            getter=getters.request_getter,
            state=RouteView.request,
        ),
        Window(Key("outcome"), getter=outcome_getter, state=RouteView.decided),
        on_process_result=on_decided,
    )
    reject = Dialog(
        Window(
            ERROR_LINE,
            Tr("clients-ask-reject-reason", "requester"),
            DomainInput("reason", parse_reason, on_success=on_reason),
            NOT_TEXT,
            nav(back=False),
            getter=getters.reject_getter,
            state=RouteReject.reason,
        )
    )
    return [view, reject]

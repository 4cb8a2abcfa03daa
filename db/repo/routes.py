"""Routes (Маршрут, seed 002): a manager without the permission sends a client to an approver who has it.

A route is decided once. Every decision is a conditional ``UPDATE … WHERE status = 'pending'`` (and the
approver or the requester in the condition) inside one write transaction, so a second press, a concurrent
press, or a press by anyone else matches no row and changes nothing. The partial unique index
``uq_client_routes_pending_client`` keeps one pending route per client. Every step is audited on the client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Update, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import utcnow
from db.engine import write_tx
from db.models import Client, ClientRoute, Counterparty
from db.repo import audit, outbox
from db.repo.client_access import get_visible_client, user_may_convert
from db.repo.counterparties import (
    CounterpartyDraft,
    NotAllowed,
    check_convertible,
    explain_integrity_error,
    insert_counterparty,
)
from domain.access import Actor
from domain.errors import Conflict
from domain.registry import CounterpartyKind, RouteStatus


class RoutePending(Conflict):
    """The client already has a pending route."""

    def __init__(self, route: ClientRoute) -> None:
        super().__init__("the client already has a pending route")
        self.route_id = route.id
        self.approver_id = route.approver_id


class NotDecidable(Exception):
    """The route is already decided or withdrawn, or it is not addressed to (or sent by) this user."""


async def get_route(session: AsyncSession, route_id: int) -> ClientRoute | None:
    return await session.get(ClientRoute, route_id, populate_existing=True)


async def pending_route_of(session: AsyncSession, client_id: int) -> ClientRoute | None:
    return await session.scalar(
        select(ClientRoute).where(
            ClientRoute.client_id == client_id, ClientRoute.status == RouteStatus.PENDING.value
        )
    )


async def pending_routes_for(session: AsyncSession, approver_id: int) -> list[ClientRoute]:
    """The routes waiting for ``approver_id``'s decision, oldest first (for ``/today``)."""
    return list(
        await session.scalars(
            select(ClientRoute)
            .where(ClientRoute.approver_id == approver_id, ClientRoute.status == RouteStatus.PENDING.value)
            .order_by(ClientRoute.created_at, ClientRoute.id)
        )
    )


@dataclass(frozen=True)
class RouteRequest:
    client_id: int
    approver_id: int
    draft: CounterpartyDraft
    comment: str | None = None


async def request_route(session: AsyncSession, actor: Actor, request: RouteRequest) -> ClientRoute:
    """Send a client along a route. Raises ``NotAllowed`` (client not visible, or the approver lacks the
    permission), ``RoutePending``, ``AlreadyCounterparty`` or ``InnTaken``."""
    try:
        async with write_tx(session):
            if await get_visible_client(session, actor, request.client_id) is None:
                raise NotAllowed
            if request.approver_id == actor.user_id or not await user_may_convert(
                session, request.approver_id
            ):
                raise NotAllowed
            pending = await pending_route_of(session, request.client_id)
            if pending is not None:
                raise RoutePending(pending)
            await check_convertible(session, request.client_id, request.draft.inn)
            route = ClientRoute(
                client_id=request.client_id,
                requester_id=actor.user_id,
                approver_id=request.approver_id,
                legal_name=request.draft.legal_name,
                inn=request.draft.inn,
                kpp=request.draft.kpp,
                kind=request.draft.kind.value,
                comment=request.comment,
                status=RouteStatus.PENDING.value,
            )
            session.add(route)
            await session.flush()
            audit.record(
                session,
                actor_id=actor.user_id,
                entity="client",
                entity_id=request.client_id,
                action="route_requested",
                after={"route_id": route.id, "approver_id": request.approver_id, "inn": request.draft.inn},
            )
            await outbox.queue_notice(
                session,
                kind=outbox.ROUTE_REQUESTED,
                recipient_id=request.approver_id,
                payload={"route_id": route.id},
                key=str(route.id),
            )
    except IntegrityError:
        await session.rollback()
        pending = await pending_route_of(session, request.client_id)
        await session.commit()
        if pending is None:
            raise
        raise RoutePending(pending) from None
    return route


def _decide(
    route_id: int, *, status: RouteStatus, approver_id: int | None = None, requester_id: int | None = None
) -> Update:
    condition = [ClientRoute.id == route_id, ClientRoute.status == RouteStatus.PENDING.value]
    if approver_id is not None:
        condition.append(ClientRoute.approver_id == approver_id)
    if requester_id is not None:
        condition.append(ClientRoute.requester_id == requester_id)
    return (
        update(ClientRoute)
        .where(*condition)
        .values(status=status.value, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def _decided_route(session: AsyncSession, route_id: int, statement: Update) -> ClientRoute:
    result = cast(CursorResult[Any], await session.execute(statement))
    if result.rowcount != 1:
        raise NotDecidable
    route = await get_route(session, route_id)
    assert route is not None
    return route


@dataclass(frozen=True)
class Approved:
    route: ClientRoute
    counterparty: Counterparty
    client: Client


async def approve_route(session: AsyncSession, route_id: int, approver_id: int) -> Approved:
    """Approve a pending route addressed to ``approver_id`` and create the counterparty, in ONE transaction.

    Raises ``NotDecidable`` (decided, withdrawn, or not theirs — nothing changes), ``NotAllowed`` (the
    approver lost the permission), ``AlreadyCounterparty`` or ``InnTaken`` (the route stays pending).
    """
    route: ClientRoute | None = None
    try:
        async with write_tx(session):
            route = await _decided_route(
                session, route_id, _decide(route_id, status=RouteStatus.APPROVED, approver_id=approver_id)
            )
            if not await user_may_convert(session, approver_id):
                raise NotAllowed
            draft = CounterpartyDraft(route.legal_name, route.inn, route.kpp, CounterpartyKind(route.kind))
            counterparty = await insert_counterparty(
                session, creator_id=approver_id, client_id=route.client_id, draft=draft
            )
            route.counterparty_id = counterparty.id
            audit.record(
                session,
                actor_id=approver_id,
                entity="client",
                entity_id=route.client_id,
                action="route_approved",
                after={"route_id": route.id, "counterparty_id": counterparty.id},
            )
            await outbox.queue_notice(
                session,
                kind=outbox.ROUTE_APPROVED,
                recipient_id=route.requester_id,
                payload={"route_id": route.id},
                key=str(route.id),
            )
            client = await session.get(Client, route.client_id)
            assert client is not None
    except IntegrityError:
        assert route is not None
        await explain_integrity_error(session, route.client_id, route.inn)
        raise
    return Approved(route=route, counterparty=counterparty, client=client)


async def reject_route(session: AsyncSession, route_id: int, approver_id: int, reason: str) -> ClientRoute:
    """Reject a pending route addressed to ``approver_id`` with a reason; ``NotDecidable`` otherwise."""
    async with write_tx(session):
        route = await _decided_route(
            session, route_id, _decide(route_id, status=RouteStatus.REJECTED, approver_id=approver_id)
        )
        route.reason = reason
        audit.record(
            session,
            actor_id=approver_id,
            entity="client",
            entity_id=route.client_id,
            action="route_rejected",
            after={"route_id": route.id, "reason": reason},
        )
        await outbox.queue_notice(
            session,
            kind=outbox.ROUTE_REJECTED,
            recipient_id=route.requester_id,
            payload={"route_id": route.id},
            key=str(route.id),
        )
    return route


async def withdraw_route(session: AsyncSession, route_id: int, requester_id: int) -> ClientRoute:
    """The requester takes a pending route back; ``NotDecidable`` when no longer pending or not theirs."""
    async with write_tx(session):
        route = await _decided_route(
            session, route_id, _decide(route_id, status=RouteStatus.WITHDRAWN, requester_id=requester_id)
        )
        audit.record(
            session,
            actor_id=requester_id,
            entity="client",
            entity_id=route.client_id,
            action="route_withdrawn",
            after={"route_id": route.id},
        )
        await outbox.queue_notice(
            session,
            kind=outbox.ROUTE_WITHDRAWN,
            recipient_id=route.approver_id,
            payload={"route_id": route.id},
            key=str(route.id),
        )
    return route

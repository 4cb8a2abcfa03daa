"""Counterparties: converting a client into one (seed 002), and the checks and insert a route's approval uses.

The permission to convert is read fresh from the database inside the write; "no counterparty yet" and the
INN's uniqueness are checked there too, and the unique indexes are the final word on a race.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import write_tx
from db.models import Counterparty
from db.repo import audit
from db.repo.client_access import get_visible_client, user_may_convert
from domain import errors
from domain.access import Actor
from domain.registry import CounterpartyKind


@dataclass(frozen=True)
class CounterpartyDraft:
    legal_name: str
    inn: str
    kpp: str | None
    kind: CounterpartyKind


class NotAllowed(errors.NotAllowed):
    """The actor lacks the permission to convert, or may not see the client."""


class ClientGone(errors.Gone):
    """The client no longer exists."""


@dataclass(frozen=True)
class ExistingCounterparty:
    """Plain values of a counterparty, safe to read after the transaction that found it rolled back."""

    id: int
    legal_name: str
    inn: str

    @classmethod
    def of(cls, counterparty: Counterparty) -> ExistingCounterparty:
        return cls(counterparty.id, counterparty.legal_name, counterparty.inn)


class AlreadyCounterparty(errors.Conflict):
    def __init__(self, counterparty: Counterparty) -> None:
        super().__init__("the client already has a counterparty")
        self.counterparty = ExistingCounterparty.of(counterparty)


class InnTaken(errors.Conflict):
    def __init__(self, counterparty: Counterparty) -> None:
        super().__init__("a counterparty with this INN exists")
        self.counterparty = ExistingCounterparty.of(counterparty)


async def counterparty_of(session: AsyncSession, client_id: int) -> Counterparty | None:
    return await session.scalar(select(Counterparty).where(Counterparty.client_id == client_id))


async def counterparty_by_inn(session: AsyncSession, inn: str) -> Counterparty | None:
    return await session.scalar(select(Counterparty).where(Counterparty.inn == inn))


async def check_convertible(session: AsyncSession, client_id: int, inn: str | None) -> None:
    """Raise ``AlreadyCounterparty`` / ``InnTaken`` — the friendly pre-check (the unique indexes are the
    final word)."""
    existing = await counterparty_of(session, client_id)
    if existing is not None:
        raise AlreadyCounterparty(existing)
    if inn is not None:
        same_inn = await counterparty_by_inn(session, inn)
        if same_inn is not None:
            raise InnTaken(same_inn)


async def insert_counterparty(
    session: AsyncSession, *, creator_id: int, client_id: int, draft: CounterpartyDraft
) -> Counterparty:
    """Inside the caller's ``write_tx``: the checks, the row and its "created" audit entry."""
    await check_convertible(session, client_id, draft.inn)
    counterparty = Counterparty(
        legal_name=draft.legal_name,
        inn=draft.inn,
        kpp=draft.kpp,
        kind=draft.kind.value,
        client_id=client_id,
        created_by_id=creator_id,
    )
    await audit.add_created(
        session,
        counterparty,
        actor_id=creator_id,
        entity="counterparty",
        after={
            "legal_name": draft.legal_name,
            "inn": draft.inn,
            "kpp": draft.kpp,
            "kind": draft.kind.value,
            "client_id": client_id,
        },
    )
    return counterparty


async def explain_integrity_error(session: AsyncSession, client_id: int, inn: str) -> None:
    """A concurrent save won the race on a unique index: raise the same answer as the pre-check."""
    await session.rollback()
    await check_convertible(session, client_id, inn)
    await session.commit()


async def convert_client(
    session: AsyncSession, actor: Actor, client_id: int, draft: CounterpartyDraft
) -> Counterparty:
    """Convert a client into a counterparty (seed 002, SPEC "Access"), in one write transaction.

    The permission, the client's visibility, "no counterparty yet" and the INN's uniqueness are all checked
    inside it. Contacts, leads and deals stay where they are: the counterparty points at the client.
    """
    try:
        async with write_tx(session):
            if not await user_may_convert(session, actor.user_id):
                raise NotAllowed
            client = await get_visible_client(session, actor, client_id)
            if client is None:
                raise NotAllowed
            counterparty = await insert_counterparty(
                session, creator_id=actor.user_id, client_id=client_id, draft=draft
            )
            audit.record(
                session,
                actor_id=actor.user_id,
                entity="client",
                entity_id=client_id,
                action="converted",
                after={"counterparty_id": counterparty.id},
            )
    except IntegrityError:
        await explain_integrity_error(session, client_id, draft.inn)
        raise
    return counterparty

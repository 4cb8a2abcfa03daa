"""R2i: a deal's party follows its contact. A contact joining a client takes its open deals along; a join that
would give the client two open deals in one product group is refused, naming them, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

from db.engine import writing
from db.models import AuditEntry, Contact, Deal
from db.repo import clients as repo
from tests.factories import make_client, make_contact, make_lead, make_user
from tests.harness import Harness, TgUser, t, tp
from tests.registry import Sessionmaker, make_deal, open_client

MANAGER = 621


async def _deal(sessionmaker: Sessionmaker, contact: int, manager: int, client: int | None, **kw: Any) -> int:
    """An open deal (product group 1) with the party it gets when it is made: its client, else its contact."""
    deal = await make_deal(
        sessionmaker, await make_lead(sessionmaker, contact, manager), client_id=client, **kw
    )
    party = f"client:{client}" if client else f"contact:{contact}"
    async with writing(sessionmaker) as session:
        await session.execute(update(Deal).where(Deal.id == deal).values(party_key=party))
    return deal


async def _setup(sessionmaker: Sessionmaker, *, first_status: str = "open") -> tuple[int, int, int, int]:
    manager = await make_user(sessionmaker, MANAGER)
    first = await make_contact(sessionmaker, manager)
    second = await make_contact(
        sessionmaker, manager, name="Смирнова Ольга", phone="+79217654321", email="smirnova@yandex.ru"
    )
    client = await make_client(sessionmaker, manager, contact_ids=(first,))
    if first_status == "open":
        await _deal(sessionmaker, first, manager, client)
    else:
        await make_deal(
            sessionmaker, await make_lead(sessionmaker, first, manager), client_id=client, status=first_status
        )
    theirs = await _deal(sessionmaker, second, manager, None)
    return client, first, second, theirs


async def _attach(u: TgUser, client: int) -> list[str]:
    await open_client(u, client)
    await u.click(tp("clients-btn-add-contact"))
    await u.click(tp("clients-btn-find-contact"))
    await u.send("Смирнова")
    return await u.click("Смирнова Ольга")


async def _state(sessionmaker: Sessionmaker, contact: int, deal: int) -> tuple[int | None, str, int | None]:
    async with sessionmaker() as session:
        row = await session.get(Contact, contact)
        moved = await session.get(Deal, deal)
    assert row is not None and moved is not None
    return row.client_id, moved.party_key, moved.client_id


async def test_r2i_a_contact_with_an_open_deal_in_the_clients_group_may_not_join(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    client, _first, second, theirs = await _setup(sessionmaker)
    async with sessionmaker() as session:
        ours = await session.scalar(select(Deal.id).where(Deal.party_key == f"client:{client}"))
    u = harness.user(MANAGER)
    answer = (await _attach(u, client))[-1]
    assert t("clients-refused-party-deals", deals=f"№{ours}, №{theirs}") in answer
    assert t("clients-contact-linked") not in answer
    assert await _state(sessionmaker, second, theirs) == (None, f"contact:{second}", None)
    async with sessionmaker() as session:
        edits = await session.scalar(select(AuditEntry).where(AuditEntry.action == "edited"))
    assert edits is None


async def test_r2i_the_open_deal_follows_the_contact_to_its_client(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """The client's deal in the group is closed: the contact joins and its open deal becomes the client's."""
    client, _first, second, theirs = await _setup(sessionmaker, first_status="won")
    u = harness.user(MANAGER)
    answer = (await _attach(u, client))[-1]
    assert t("clients-contact-linked") in answer
    assert await _state(sessionmaker, second, theirs) == (client, f"client:{client}", client)
    async with sessionmaker() as session:
        entry = await session.scalar(
            select(AuditEntry).where(AuditEntry.entity == "deal", AuditEntry.entity_id == theirs)
        )
    assert entry is not None and entry.action == "edited" and f"client:{client}" in (entry.after or "")


async def test_r2i_a_concurrent_join_is_settled_by_the_unique_index(
    harness: Harness, sessionmaker: Sessionmaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check inside the write misses a deal made meanwhile (simulated): the partial unique index on open
    deals' party refuses the update, and the user gets the same refusal; nothing changes."""
    client, _first, second, theirs = await _setup(sessionmaker)
    real = repo.party_conflicts
    calls: list[int] = []

    async def blind_first(*args: Any) -> list[int]:
        calls.append(1)
        return [] if len(calls) == 1 else await real(*args)

    monkeypatch.setattr(repo, "party_conflicts", blind_first)
    u = harness.user(MANAGER)
    answer = (await _attach(u, client))[-1]
    assert "№" in answer and t("clients-contact-linked") not in answer
    assert f"№{theirs}" in answer
    assert await _state(sessionmaker, second, theirs) == (None, f"contact:{second}", None)

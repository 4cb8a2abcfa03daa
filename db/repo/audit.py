"""The audit log: the single source of every card's history (who, what, when, before and after), and the
history pages read from it with the names of the rows its values refer to."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import label_of
from db.models import (
    AuditEntry,
    BusinessRegion,
    Client,
    Contact,
    Counterparty,
    Industry,
    LeadSource,
    ProductGroup,
    Stage,
    Task,
    Team,
)
from db.repo import users
from db.repo.paging import PAGE_SIZE, clamp_page, page_count


def _json_default(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def _dump(values: Mapping[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(dict(values), ensure_ascii=False, default=_json_default, sort_keys=True)


def record(
    session: AsyncSession,
    *,
    actor_id: int | None,
    entity: str,
    entity_id: int,
    action: str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to the current (write) transaction; it commits or rolls back with the change."""
    entry = AuditEntry(
        actor_id=actor_id,
        entity=entity,
        entity_id=entity_id,
        action=action,
        before=_dump(before),
        after=_dump(after),
    )
    session.add(entry)
    return entry


class _Row(Protocol):
    """A model row with an integer primary key ``id``."""

    @property
    def id(self) -> int: ...


async def add_created(
    session: AsyncSession, row: _Row, *, actor_id: int | None, entity: str, after: Mapping[str, Any]
) -> None:
    """Add ``row`` to the current (write) transaction with its "created" entry (the flush gives its id)."""
    session.add(row)
    await session.flush()
    record(session, actor_id=actor_id, entity=entity, entity_id=row.id, action="created", after=after)


async def history(
    session: AsyncSession, entity: str, entity_id: int, *, limit: int = 20, offset: int = 0
) -> list[AuditEntry]:
    return list(
        await session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )


# ---------------------------------------------------------------------------------------------
# Reading a card's history
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryPage:
    entries: list[tuple[AuditEntry, str | None]]  # (entry, author's full name)
    total: int
    page: int

    @property
    def pages(self) -> int:
        return page_count(self.total)

    @property
    def has_next(self) -> bool:
        return (self.page + 1) * PAGE_SIZE < self.total


async def history_page(session: AsyncSession, entity: str, entity_id: int, page: int) -> HistoryPage:
    """One page of the card's audit entries, newest first, with their authors."""
    total = int(
        await session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        )
        or 0
    )
    page = clamp_page(page, total)
    entries = await history(session, entity, entity_id, limit=PAGE_SIZE, offset=page * PAGE_SIZE)
    authors = await users.user_names(session, {e.actor_id for e in entries if e.actor_id is not None})
    return HistoryPage([(e, authors.get(e.actor_id) if e.actor_id else None) for e in entries], total, page)


_NAMED: dict[str, Any] = {
    "stage": (Stage, Stage.name),
    "client": (Client, Client.name),
    "source": (LeadSource, LeadSource.name),
    "group": (ProductGroup, ProductGroup.name),
    "industry": (Industry, Industry.name),
    "region": (BusinessRegion, BusinessRegion.name),
    "counterparty": (Counterparty, Counterparty.legal_name),
    "task": (Task, Task.title),
    "team": (Team, Team.name),
}


async def names(session: AsyncSession, wanted: Mapping[str, set[int]]) -> dict[str, dict[int, str]]:
    """Names of referenced rows by kind (user, contact, stage, client, source, group, industry, region,
    counterparty, task, team), for rendering ids found in audit values."""
    found: dict[str, dict[int, str]] = {}
    for kind, ids in wanted.items():
        if not ids:
            continue
        if kind == "user":
            found[kind] = await users.user_names(session, ids)
        elif kind == "contact":
            contacts = await session.scalars(select(Contact).where(Contact.id.in_(ids)))
            found[kind] = {c.id: c.full_name for c in contacts}
        elif kind in _NAMED:
            model, column = _NAMED[kind]
            if hasattr(model, "name_en"):
                column = label_of(model)  # a directory value, in the reader's language
            rows = await session.execute(select(model.id, column).where(model.id.in_(ids)))
            found[kind] = {row_id: name for row_id, name in rows}
    return found

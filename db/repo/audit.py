"""The audit log: the single source of every card's history (who, what, when, before and after), and the
history pages read from it with the names of the rows its values refer to."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import label_of, table_of
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


async def record_created_many(
    session: AsyncSession,
    *,
    actor_id: int | None,
    entity: str,
    created: Sequence[tuple[int, Mapping[str, Any]]],
) -> None:
    """One "created" entry per row (``created``: each row's id and its values) in one ``executemany``: a
    bulk write (an import) keeps the same trail per record as the form, at the cost of one statement."""
    if created:
        await session.execute(
            insert(table_of(AuditEntry)),
            [
                {"actor_id": actor_id, "entity": entity, "entity_id": entity_id, "action": "created",
                 "before": None, "after": _dump(after)}
                for entity_id, after in created
            ],
        )  # fmt: skip


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


def record_changes(
    session: AsyncSession,
    *,
    actor_id: int,
    entity: str,
    entity_id: int,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> tuple[str, ...]:
    """An edit: the fields of ``after`` whose value differs from ``before``, audited as one "edited" entry
    with each change before → after (nothing is recorded when nothing changed)."""
    changed = tuple(field for field in after if after[field] != before.get(field))
    if changed:
        record(
            session,
            actor_id=actor_id,
            entity=entity,
            entity_id=entity_id,
            action="edited",
            before={field: before.get(field) for field in changed},
            after={field: after[field] for field in changed},
        )
    return changed


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

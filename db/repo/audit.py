"""The audit log: the single source of every card's history (who, what, when, before and after)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AuditEntry


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

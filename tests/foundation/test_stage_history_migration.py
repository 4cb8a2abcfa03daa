"""Migration 0015 (issue 12): existing deals get their stage history from the audit log, and the seeded stages
get their forecast probability."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.base import UtcDateTime
from db.engine import create_engine, create_sessionmaker, writing
from db.migrate import downgrade, upgrade
from db.models import AuditEntry, DealStageSpan
from tests.factories import make_contact, make_lead

T0 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


async def _stage_ids(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            code: stage_id for stage_id, code in await conn.execute(sa.text("SELECT id, code FROM stages"))
        }


def _entry(deal_id: int, actor_id: int, action: str, at: datetime, before: Any, after: Any) -> AuditEntry:
    return AuditEntry(
        actor_id=actor_id,
        entity="deal",
        entity_id=deal_id,
        action=action,
        before=json.dumps(before) if before is not None else None,
        after=json.dumps(after) if after is not None else None,
        at=at,
    )


async def _deal(
    sessionmaker: async_sessionmaker[AsyncSession],
    owner: int,
    contact_id: int,
    *,
    stage_id: int,
    group_id: int,
    status: str = "open",
    updated_at: datetime = T0,
    closed_at: datetime | None = None,
) -> int:
    lead_id = await make_lead(sessionmaker, contact_id, owner)
    # A deal row as revisions before 0015 have it (the model has columns later revisions add).
    async with writing(sessionmaker) as session:
        values = {
            "lead": lead_id,
            "contact": contact_id,
            "party": f"contact:{contact_id}",
            "group_id": group_id,
            "stage": stage_id,
            "status": status,
            "comment": "Клиент выбирает сканеры, ждёт КП до пятницы",
            "owner": owner,
            "created": T0,
            "updated": updated_at,
            "closed": closed_at,
        }
        await session.execute(
            sa.text(
                "INSERT INTO deals (lead_id, contact_id, party_key, product_group_id, stage_id, status, "
                "comment, responsible_id, created_by_id, created_at, updated_at, closed_at) VALUES (:lead, "
                ":contact, :party, :group_id, :stage, :status, :comment, :owner, :owner, :created, :updated, "
                ":closed)"
            ).bindparams(
                *(sa.bindparam(name, type_=UtcDateTime()) for name in ("created", "updated", "closed"))
            ),
            values,
        )
        deal_id = await session.scalar(sa.text("SELECT id FROM deals WHERE lead_id = :lead"), values)
        assert isinstance(deal_id, int)
        await session.execute(
            sa.text(
                "INSERT INTO deal_lines (deal_id, product_id, amount_minor, currency) "
                "VALUES (:deal, 1, 10000, 'RUB')"
            ),
            {"deal": deal_id},
        )
        return deal_id


async def _user_before_0015(engine: AsyncEngine, telegram_id: int, role: str, name: str) -> int:
    """A user row as revisions before 0015 have it (the model has columns later revisions add)."""
    async with engine.begin() as conn:
        await conn.execute(
            sa.text(
                "INSERT INTO users (telegram_id, full_name, role, is_active, is_reachable, created_at) "
                "VALUES (:tg, :name, :role, true, true, :at)"
            ),
            {"tg": telegram_id, "name": name, "role": role, "at": T0},
        )
        found = await conn.scalar(
            sa.text("SELECT id FROM users WHERE telegram_id = :tg"), {"tg": telegram_id}
        )
    assert isinstance(found, int)
    return found


async def _check(engine: AsyncEngine) -> None:
    await upgrade(engine, "0014")
    sessionmaker = create_sessionmaker(engine)
    owner = await _user_before_0015(engine, 901, "manager", "Пётр Менеджеров")
    lead_boss = await _user_before_0015(engine, 902, "team_lead", "Анна Руководитель")
    contact_id = await make_contact(sessionmaker, owner)
    stage = await _stage_ids(engine)
    ident, qual, proposal, nego, closing = (
        stage[code] for code in ("identification", "qualification", "proposal", "negotiation", "closing")
    )
    won, lost = stage["won"], stage["lost"]

    # A: two stage changes, then won. B: never moved. C: lost from its first stage.
    # D: its stage was changed by hand, with no audit entry. E: lost with no outcome stage named.
    a = await _deal(
        sessionmaker, owner, contact_id, stage_id=won, group_id=1, status="won", closed_at=T0 + 9 * DAY
    )
    b = await _deal(sessionmaker, owner, contact_id, stage_id=qual, group_id=1)
    c = await _deal(
        sessionmaker, owner, contact_id, stage_id=lost, group_id=2, status="lost", closed_at=T0 + 4 * DAY
    )
    d = await _deal(sessionmaker, owner, contact_id, stage_id=closing, group_id=2, updated_at=T0 + 6 * DAY)
    e = await _deal(
        sessionmaker, owner, contact_id, stage_id=ident, group_id=3, status="lost", closed_at=T0 + 5 * DAY
    )
    async with writing(sessionmaker) as session:
        session.add_all(
            [
                _entry(a, owner, "created", T0, None, {"stage_id": ident}),
                _entry(a, owner, "stage_changed", T0 + 2 * DAY, {"stage_id": ident}, {"stage_id": proposal}),
                _entry(
                    a, lead_boss, "stage_changed", T0 + 5 * DAY, {"stage_id": proposal}, {"stage_id": nego}
                ),
                _entry(a, owner, "line_added", T0 + 6 * DAY, None, {"line_id": 9}),
                _entry(a, owner, "won", T0 + 9 * DAY, {"stage_id": nego}, {"status": "won", "stage_id": won}),
                _entry(b, owner, "created", T0, None, {"stage_id": qual}),
                _entry(
                    c, owner, "lost", T0 + 4 * DAY, {"stage_id": ident}, {"status": "lost", "stage_id": lost}
                ),
                _entry(d, owner, "created", T0, None, {"stage_id": ident}),
                _entry(e, owner, "lost", T0 + 5 * DAY, {"stage_id": ident}, {"status": "lost"}),
            ]
        )

    await upgrade(engine, "0015")

    async with sessionmaker() as session:
        rows = await session.scalars(select_spans())
        spans: dict[int, list[tuple[Any, ...]]] = {}
        for span in rows:
            spans.setdefault(span.deal_id, []).append(
                (span.stage_id, span.entered_at, span.left_at, span.entered_by_id, span.left_by_id)
            )
    assert spans[a] == [
        (ident, T0, T0 + 2 * DAY, owner, owner),
        (proposal, T0 + 2 * DAY, T0 + 5 * DAY, owner, lead_boss),
        (nego, T0 + 5 * DAY, T0 + 9 * DAY, lead_boss, owner),
        (won, T0 + 9 * DAY, None, owner, None),
    ]
    assert spans[b] == [(qual, T0, None, owner, None)]
    assert spans[c] == [(ident, T0, T0 + 4 * DAY, owner, owner), (lost, T0 + 4 * DAY, None, owner, None)]
    assert spans[d] == [(ident, T0, T0 + 6 * DAY, owner, None), (closing, T0 + 6 * DAY, None, None, None)]
    assert spans[e] == [(ident, T0, T0 + 5 * DAY, owner, owner)]

    async with engine.connect() as conn:
        probabilities = dict((await conn.execute(sa.text("SELECT code, probability FROM stages"))).all())
    assert probabilities == {
        "identification": 10,
        "qualification": 25,
        "proposal": 50,
        "negotiation": 75,
        "closing": 90,
        "post_sale": 95,
        "won": 100,
        "lost": 0,
    }

    await downgrade(engine, "0014")
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: sa.inspect(c).get_table_names())
    assert "deal_stage_history" not in tables
    await upgrade(engine, "0015")  # and up again: the backfill runs over the same rows once more
    async with sessionmaker() as session:
        assert len(list(await session.scalars(select_spans()))) == 10


def select_spans() -> sa.Select[tuple[DealStageSpan]]:
    return sa.select(DealStageSpan).order_by(
        DealStageSpan.deal_id, DealStageSpan.entered_at, DealStageSpan.id
    )


async def test_migration_0015_backfills_the_stage_history_from_the_audit_log(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/history.sqlite3")
    try:
        await _check(engine)
    finally:
        await engine.dispose()


@pytest.mark.skipif(not os.environ.get("TEST_POSTGRES_URL"), reason="TEST_POSTGRES_URL is not set")
async def test_migration_0015_on_postgresql() -> None:
    url = os.environ["TEST_POSTGRES_URL"]
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(sa.text("DROP SCHEMA IF EXISTS history0015 CASCADE"))
        await conn.execute(sa.text("CREATE SCHEMA history0015"))
    await engine.dispose()
    engine = create_engine(url, connect_args={"server_settings": {"search_path": "history0015"}})
    try:
        await _check(engine)
    finally:
        async with engine.begin() as conn:
            await conn.execute(sa.text("DROP SCHEMA IF EXISTS history0015 CASCADE"))
        await engine.dispose()

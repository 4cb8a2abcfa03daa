"""Migration 0014 (R2a): the reasons directories on a database that has deals and leads. Down to 0013 and
up again keeps every deal, its lines and calls, and the reason texts; the new references start empty and
the directories come back seeded with their codes and English names."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.migrate import downgrade, upgrade
from tests.factories import make_lead
from tests.flows.deals.helpers import convertible_lead, insert_deal

LOST = ["expensive", "competitor", "no_budget", "unreachable", "need_gone", "other"]
REFUSAL = ["not_target", "no_need", "duplicate", "no_answer", "other"]


async def _rows(engine: AsyncEngine, sql: str) -> list[tuple[object, ...]]:
    async with engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(sa.text(sql))]


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: sa.inspect(sync).get_table_names()))


async def test_r2a_migration_0014_down_and_up_keeps_the_data_and_seeds_the_reasons(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal = await insert_deal(sessionmaker, setup, last_qualifying_at=datetime.now(UTC), status="lost")
    lead = await make_lead(sessionmaker, setup.contact_id, setup.manager_id)
    async with engine.begin() as connection:
        await connection.execute(
            sa.text("UPDATE deals SET lost_reason = 'Дорого для склада' WHERE id = :id"), {"id": deal}
        )
        await connection.execute(
            sa.text("UPDATE leads SET status = 'rejected', reject_reason = 'Не наш профиль' WHERE id = :id"),
            {"id": lead},
        )
    kept = (
        "SELECT id, deal_id FROM deal_lines ORDER BY id",
        "SELECT id, lead_id FROM interactions ORDER BY id",
    )
    before = {sql: await _rows(engine, sql) for sql in kept}
    assert all(before.values())

    await downgrade(engine, "0013")
    assert not {"lost_reasons", "refusal_reasons"} & await _tables(engine)
    assert await _rows(engine, "SELECT lost_reason FROM deals") == [("Дорого для склада",)]
    assert {sql: await _rows(engine, sql) for sql in kept} == before, "a parent table was not copied"

    await upgrade(engine)
    assert await _rows(engine, "SELECT code FROM lost_reasons ORDER BY position") == [(c,) for c in LOST]
    assert await _rows(engine, "SELECT code FROM refusal_reasons ORDER BY position") == [
        (c,) for c in REFUSAL
    ]
    untranslated = "SELECT count(*) FROM {} WHERE name_en IS NULL OR is_active = 0"
    assert await _rows(engine, untranslated.format("lost_reasons")) == [(0,)]
    assert await _rows(engine, untranslated.format("refusal_reasons")) == [(0,)]
    assert await _rows(engine, "SELECT lost_reason, lost_reason_id FROM deals") == [
        ("Дорого для склада", None)
    ]
    rejected = "SELECT reject_reason, reject_reason_id FROM leads WHERE status = 'rejected'"
    assert await _rows(engine, rejected) == [("Не наш профиль", None)]
    assert {sql: await _rows(engine, sql) for sql in kept} == before
    assert await _rows(engine, "PRAGMA foreign_key_check") == []
    indexes = await _rows(
        engine, "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%reason_id'"
    )
    assert sorted(indexes) == [("ix_deals_lost_reason_id",), ("ix_leads_reject_reason_id",)]

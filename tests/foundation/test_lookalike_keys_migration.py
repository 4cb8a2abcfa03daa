"""Migration 0006 (issue 9, finding 11): the R5 keys of contacts saved before are re-computed with the
look-alike folding, and two old contacts that now collide do not make the migration fail."""

from __future__ import annotations

import importlib.util
import logging
import os
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.base import UtcDateTime
from db.engine import create_engine
from db.migrate import MIGRATIONS_DIR, downgrade, upgrade
from domain.duplicates import ContactIdentity, match_keys
from domain.values import name_key

COLUMNS = {
    "name+phone": "dup_name_phone",
    "name+birth_date": "dup_name_birth",
    "name+email": "dup_name_email",
    "phone+birth_date": "dup_phone_birth",
    "phone+email": "dup_phone_email",
    "birth_date+email": "dup_birth_email",
}
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
BORN = date(1985, 3, 25)

users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("telegram_id", sa.BigInteger),
    sa.column("full_name", sa.String),
    sa.column("role", sa.String),
    sa.column("is_active", sa.Boolean),
    sa.column("is_reachable", sa.Boolean),
    sa.column("created_at", UtcDateTime),
)
contacts = sa.table(
    "contacts",
    sa.column("id", sa.Integer),
    sa.column("surname", sa.String),
    sa.column("given_name", sa.String),
    sa.column("name_key", sa.String),
    sa.column("phone", sa.String),
    sa.column("birth_date", sa.Date),
    sa.column("email", sa.String),
    sa.column("responsible_id", sa.Integer),
    sa.column("created_by_id", sa.Integer),
    sa.column("created_at", UtcDateTime),
    sa.column("updated_at", UtcDateTime),
    *(sa.column(column, sa.String) for column in COLUMNS.values()),
)


def _row(
    contact_id: int, surname: str, given: str, phone: str, email: str, keys: dict[str, str]
) -> dict[str, object]:
    return {
        "id": contact_id,
        "surname": surname,
        "given_name": given,
        "name_key": name_key(f"{surname} {given}"),
        "phone": phone,
        "birth_date": BORN,
        "email": email,
        "responsible_id": 1,
        "created_by_id": 1,
        "created_at": NOW,
        "updated_at": NOW,
        **{COLUMNS[pair]: key for pair, key in keys.items()},
    }


def _new_keys(surname: str, given: str, phone: str, email: str) -> dict[str, str]:
    return match_keys(ContactIdentity(name_key(f"{surname} {given}"), phone, BORN, email))


async def _keys(engine: AsyncEngine) -> dict[int, dict[str, str]]:
    async with engine.connect() as conn:
        rows = (await conn.execute(sa.select(contacts).order_by(contacts.c.id))).all()
    return {row.id: {pair: getattr(row, column) for pair, column in COLUMNS.items()} for row in rows}


async def _migrate_old_contacts(engine: AsyncEngine, caplog: pytest.LogCaptureFixture) -> None:
    await upgrade(engine, "0005")
    old = _load_migration()
    people = [
        # id, surname, given, phone, e-mail: 1 Cyrillic, 2 its Latin look-alike twin (same birth date),
        # 3 a Latin look-alike with no twin, 4 a genuine Latin name.
        (1, "Орех", "Вера", "+79120000001", "vera@mail.ru"),
        (2, "Opex", "Bepa", "+79120000002", "bepa@mail.ru"),
        (3, "Kapp", "Ahha", "+79120000003", "anna@mail.ru"),
        (4, "Smith", "John", "+79120000004", "john@mail.ru"),
    ]
    async with engine.begin() as conn:
        await conn.execute(
            sa.insert(users).values(
                id=1,
                telegram_id=1001,
                full_name="Admin",
                role="admin",
                is_active=True,
                is_reachable=True,
                created_at=NOW,
            )
        )
        for contact_id, surname, given, phone, email in people:
            keys = old.unfolded_keys(name_key(f"{surname} {given}"), phone, BORN, email)
            await conn.execute(
                sa.insert(contacts).values(**_row(contact_id, surname, given, phone, email, keys))
            )
    with caplog.at_level(logging.WARNING):
        await upgrade(engine, "0006")


def _load_migration() -> ModuleType:
    """The migration module itself, for its frozen key function of revision 0005."""
    path = next((MIGRATIONS_DIR / "versions").glob("*_0006_*.py"))
    spec = importlib.util.spec_from_file_location("migration_0006", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def _check(engine: AsyncEngine, caplog: pytest.LogCaptureFixture) -> None:
    old = _load_migration()
    await _migrate_old_contacts(engine, caplog)
    keys = await _keys(engine)
    # The Cyrillic contact and the genuine Latin one keep their keys: folding does not change them.
    assert keys[1] == _new_keys("Орех", "Вера", "+79120000001", "vera@mail.ru")
    assert keys[4] == _new_keys("Smith", "John", "+79120000004", "john@mail.ru")
    # A look-alike contact without a twin gets the folded keys: «Карр Анна» with its birth date is now found.
    assert keys[3] == _new_keys("Карр", "Анна", "+79120000003", "anna@mail.ru")
    # The twin gets every folded key but the one «Орех Вера» already holds, and the migration did not fail.
    twin_new = _new_keys("Орех", "Вера", "+79120000002", "bepa@mail.ru")
    twin_old = old.unfolded_keys(name_key("Opex Bepa"), "+79120000002", BORN, "bepa@mail.ru")
    assert keys[2]["name+birth_date"] == twin_old["name+birth_date"] != twin_new["name+birth_date"]
    assert {pair: key for pair, key in keys[2].items() if pair != "name+birth_date"} == {
        pair: key for pair, key in twin_new.items() if pair != "name+birth_date"
    }
    warnings = [record.getMessage() for record in caplog.records if "re-keying" in record.getMessage()]
    assert warnings == [
        "R5 re-keying found a duplicate: contact 2 keeps its old dup_name_birth, contact 1 holds the key"
    ]
    assert "Opex" not in caplog.text and "Орех" not in caplog.text and "+7912" not in caplog.text
    # Down again: the keys of 0005 come back.
    await downgrade(engine, "0005")
    restored = await _keys(engine)
    assert restored[2] == twin_old
    assert restored[3] == old.unfolded_keys(name_key("Kapp Ahha"), "+79120000003", BORN, "anna@mail.ru")


async def test_r5_migration_0006_recomputes_the_keys_of_existing_contacts(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/rekey.sqlite3")
    try:
        await _check(engine, caplog)
    finally:
        await engine.dispose()


@pytest.mark.skipif(not os.environ.get("TEST_POSTGRES_URL"), reason="TEST_POSTGRES_URL is not set")
async def test_r5_migration_0006_on_postgresql(caplog: pytest.LogCaptureFixture) -> None:
    url = os.environ["TEST_POSTGRES_URL"]
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(sa.text("DROP SCHEMA IF EXISTS rekey0006 CASCADE"))
        await conn.execute(sa.text("CREATE SCHEMA rekey0006"))
    await engine.dispose()
    engine = create_engine(url, connect_args={"server_settings": {"search_path": "rekey0006"}})
    try:
        await _check(engine, caplog)
    finally:
        async with engine.begin() as conn:
            await conn.execute(sa.text("DROP SCHEMA IF EXISTS rekey0006 CASCADE"))
        await engine.dispose()

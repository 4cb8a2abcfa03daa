"""A large export streams (issue 13): the rows are read a batch at a time (keyset by id, one round trip per
batch) and written as they come; a file over Telegram's upload limit is refused with a clear message."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from aiogram.methods import SendDocument, SendMessage
from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.engine import writing
from db.models import Contact
from db.repo import exports
from handlers.exports import actions
from tests.factories import make_user
from tests.flows.exports.helpers import Files, column, csv_rows, export, xlsx_rows
from tests.harness import Harness, t, tp

Sessionmaker = async_sessionmaker[AsyncSession]
MANY = 3_000


PAIRS = ("name_phone", "name_birth", "name_email", "phone_birth", "phone_email", "birth_email")


def _row(i: int, owner: int, now: datetime) -> dict[str, Any]:
    return {
        "surname": f"Фамилия{i:05d}",
        "given_name": "Имя",
        "patronymic": None,
        "name_key": f"k{i}",
        "phone": f"+7916{i:07d}",
        "birth_date": date(1980, 1, 1 + i % 28),
        "email": f"c{i}@mail.ru",
        "responsible_id": owner,
        "created_by_id": owner,
        "created_at": now,
        "updated_at": now,
        **{f"dup_{pair}": f"{pair}{i}" for pair in PAIRS},
    }


async def _many_contacts(sessionmaker: Sessionmaker, owner: int, count: int = MANY) -> None:
    """``count`` contacts in one executemany, every duplicate key distinct (R5 indexes)."""
    now = datetime.now(UTC)
    rows = [_row(i, owner, now) for i in range(count)]
    async with writing(sessionmaker) as session:
        await session.execute(insert(Contact), rows)


@pytest.fixture
def contact_batches(engine: AsyncEngine) -> list[Any]:
    """The LIMIT of every keyset read of the contacts' export (``... ORDER BY contacts.id LIMIT ?``)."""
    seen: list[Any] = []

    def spy(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if (
            statement.startswith("SELECT")
            and "FROM contacts" in statement
            and "ORDER BY contacts.id" in statement
        ):
            seen.append(parameters[-2] if "OFFSET" in statement else parameters[-1])

    event.listen(engine.sync_engine, "before_cursor_execute", spy)
    yield seen
    event.remove(engine.sync_engine, "before_cursor_execute", spy)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
async def test_an_export_of_3000_contacts_reads_them_a_batch_at_a_time(
    harness: Harness,
    sessionmaker: Sessionmaker,
    sent_files: Files,
    contact_batches: list[Any],
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
) -> None:
    """3,000 contacts in batches of 1,000: three full reads and one empty one, never one read of all; every
    row is in the file, in order."""
    owner = await make_user(sessionmaker, 530_201)
    await _many_contacts(sessionmaker, owner)
    monkeypatch.setattr(exports, "BATCH", 1_000)
    manager = harness.user(530_201)
    await manager.send("/contacts")
    contact_batches.clear()  # the list's own page
    _, data = await export(manager, sent_files, fmt)
    assert contact_batches == [1_000, 1_000, 1_000, 1_000]
    rows = xlsx_rows(data) if fmt == "xlsx" else csv_rows(data)
    surnames = column(rows, "surname")
    assert len(surnames) == MANY and surnames[0] == "Фамилия00000" and surnames[-1] == "Фамилия02999"
    [document] = harness.calls(SendDocument)
    assert document.caption == t("export-done", count=MANY)


async def test_a_file_over_telegrams_limit_is_not_sent_and_the_user_is_told(
    harness: Harness, sessionmaker: Sessionmaker, sent_files: Files, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = await make_user(sessionmaker, 530_202)
    await _many_contacts(sessionmaker, owner, 50)
    monkeypatch.setattr(actions, "UPLOAD_LIMIT", 1_000)
    manager = harness.user(530_202)
    await manager.send("/contacts")
    await manager.click(tp("export-btn"))
    replies = await manager.click(tp("export-btn-xlsx"))
    assert harness.calls(SendDocument) == [] and sent_files == []
    told = [call.text for call in harness.calls(SendMessage)]
    assert t("export-too-large", size=0, limit=0) in told, replies

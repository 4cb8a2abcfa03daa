"""The first page of a deal's timeline through the real dispatcher, against a bare aiogram echo handler.

The manager presses «🕘 История» on a deal card: access check, the dialog started, the record's visibility,
one page of the timeline (a ``UNION ALL`` of interactions and audit entries ordered by time), its authors and
the names its values refer to, rendering and the fitting of the page into one message. The deal has 200
interactions (and the 200 audit entries they wrote, which the timeline leaves out), 100 audit edits and stage
changes, and its lead 20 calls; the database also holds 10k contacts, 10k leads and 30k interactions, with
their 40k audit entries. The same number of text updates go to a bare aiogram echo handler through the same
recording Bot API session, so the figures also have a ratio to a floor measured in the same run.

    python -m bench.timeline                 # 300 presses
    python -m bench.timeline --presses 600
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiogram import Bot, Dispatcher
from aiogram.types import CallbackQuery, Chat, Message, Update, User
from sqlalchemy import event

from bench.fill import add_contacts, add_leads_and_interactions, add_users, connect, migrate, percentile
from bench.form_step import echo_dispatcher
from bot.app import create_bot, create_dispatcher
from bot.callbacks import HistoryCb
from bot.settings import Settings
from db.engine import create_engine, create_sessionmaker
from tests.harness import TOKEN, RecordingSession

MANAGER_TELEGRAM_ID = 900_000_000  # the first user add_users makes; owns contact 1 and lead 1
TARGET_LEAD = 1
_ids = itertools.count(1)
_STAMP = "%Y-%m-%d %H:%M:%S.%f"


def _user() -> User:
    return User(
        id=MANAGER_TELEGRAM_ID, is_bot=False, first_name="Менеджер", last_name="0", language_code="ru"
    )


def _chat() -> Chat:
    return Chat(id=MANAGER_TELEGRAM_ID, type="private", first_name="Менеджер")


def _text(text: str) -> Update:
    message = Message(
        message_id=next(_ids), date=datetime.now(UTC), chat=_chat(), from_user=_user(), text=text
    )
    return Update(update_id=next(_ids), message=message)


def _press(message: Message, data: str) -> Update:
    query = CallbackQuery(
        id=str(next(_ids)), from_user=_user(), chat_instance="ci", message=message, data=data
    )
    return Update(update_id=next(_ids), callback_query=query)


def add_background_audit(connection: sqlite3.Connection) -> None:
    """The audit entries the other records would have: each lead's creation, each interaction's entry."""
    connection.execute("BEGIN")
    connection.execute(
        "INSERT INTO audit_log (actor_id, entity, entity_id, action, before, after, at) "
        "SELECT responsible_id, 'lead', id, 'created', NULL, '{\"status\": \"open\"}', created_at FROM leads"
    )
    connection.execute(
        "INSERT INTO audit_log (actor_id, entity, entity_id, action, before, after, at) "
        "SELECT author_id, 'lead', lead_id, 'interaction', NULL, "
        '\'{"interaction_id": \' || id || \', "kind": "call"}\', occurred_at FROM interactions'
    )
    connection.execute("COMMIT")


def add_deal_history(connection: sqlite3.Connection, interactions: int, edits: int) -> int:
    """A deal made from lead 1 with ``interactions`` logged on it (each with its audit entry, as /log
    writes them), 20 calls on the lead before the deal, and ``edits`` audit edits and stage changes; returns
    the deal's id."""
    rng = random.Random(7)
    owner = connection.execute("SELECT responsible_id FROM leads WHERE id = ?", (TARGET_LEAD,)).fetchone()[0]
    start = datetime(2026, 1, 20, 9, 0)
    connection.execute("BEGIN")
    connection.execute("UPDATE leads SET status = 'converted' WHERE id = ?", (TARGET_LEAD,))
    connection.execute(
        "INSERT INTO deals (lead_id, contact_id, party_key, product_group_id, stage_id, status, comment, "
        "responsible_id, created_by_id, created_at, updated_at) "
        "VALUES (?, 1, 'contact:1', 1, 1, 'open', 'Клиент выбирает сканеры для склада', ?, ?, ?, ?)",
        (TARGET_LEAD, owner, owner, start.strftime(_STAMP), start.strftime(_STAMP)),
    )
    deal_id = int(connection.execute("SELECT id FROM deals WHERE lead_id = ?", (TARGET_LEAD,)).fetchone()[0])
    for n in range(20):
        at = (start - timedelta(days=20 - n)).strftime(_STAMP)
        connection.execute(
            "INSERT INTO interactions (lead_id, kind, outcome, discussed, agreed, qualifying, author_id, "
            "occurred_at, created_at) VALUES (?, 'call', 'reached', ?, ?, 1, ?, ?, ?)",
            (TARGET_LEAD, f"Звонок {n}: обсудили потребность склада", "Договорились о демо", owner, at, at),
        )
    for n in range(interactions):
        at = (start + timedelta(hours=12 * n + rng.randrange(10))).strftime(_STAMP)
        discussed = f"Разговор {n}: обсудили поставку сканеров, сроки и цену. " * rng.randrange(1, 8)
        agreed = f"Итог {n}: отправляю КП, созвон в понедельник, демо на складе. " * rng.randrange(1, 8)
        cursor = connection.execute(
            "INSERT INTO interactions (deal_id, kind, outcome, discussed, agreed, qualifying, author_id, "
            "occurred_at, created_at) VALUES (?, 'call', 'reached', ?, ?, 1, ?, ?, ?)",
            (deal_id, discussed.strip(), agreed.strip(), owner, at, at),
        )
        after = {"interaction_id": cursor.lastrowid, "kind": "call", "outcome": "reached", "qualifying": True}
        connection.execute(
            "INSERT INTO audit_log (actor_id, entity, entity_id, action, before, after, at) "
            "VALUES (?, 'deal', ?, 'interaction', NULL, ?, ?)",
            (owner, deal_id, json.dumps(after, sort_keys=True), at),
        )
    for n in range(edits):
        at = (start + timedelta(hours=24 * n + 5)).strftime(_STAMP)
        if n % 4 == 0:
            action, before, after = "stage_changed", {"stage_id": 1}, {"stage_id": 2}
        else:
            action, before, after = (
                "edited",
                {"comment": f"Комментарий {n}"},
                {"comment": f"Комментарий {n + 1}"},
            )
        connection.execute(
            "INSERT INTO audit_log (actor_id, entity, entity_id, action, before, after, at) "
            "VALUES (?, 'deal', ?, ?, ?, ?, ?)",
            (owner, deal_id, action, json.dumps(before), json.dumps(after), at),
        )
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    return deal_id


def fill(path: Path, contacts: int, interactions: int) -> int:
    started = time.perf_counter()
    migrate(path)
    connection = connect(path)
    users = add_users(connection, 20)
    add_contacts(connection, contacts, users)
    add_leads_and_interactions(connection, contacts, interactions, users)
    add_background_audit(connection)
    deal_id = add_deal_history(connection, 200, 100)
    connection.close()
    print(
        f"filled {contacts:,} contacts and leads, {interactions:,} interactions, and deal {deal_id} "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return deal_id


async def _feed(bot: Bot, dispatcher: Dispatcher, update: Update) -> float:
    started = time.perf_counter()
    await dispatcher.feed_update(bot, update)
    return (time.perf_counter() - started) * 1000


async def measure(path: Path, deal_id: int, presses: int) -> tuple[list[float], list[float], int]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        database_url=f"sqlite+aiosqlite:///{path}",
        company_email_domains=["fieldcrm.ru"],
    )
    engine = create_engine(settings.database_url)
    statements: list[str] = []

    def count_statement(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        statements.append(sql.split()[0].upper())

    event.listen(engine.sync_engine, "before_cursor_execute", count_statement)
    sessionmaker = create_sessionmaker(engine)
    session = RecordingSession()
    bot = create_bot(settings, session=session)
    dispatcher = create_dispatcher(settings, sessionmaker, single_instance=True)
    echo = echo_dispatcher()
    await dispatcher.feed_update(bot, _text("/menu"))
    card = await bot.send_message(MANAGER_TELEGRAM_ID, "Сделка")  # a card message with the history button
    data = HistoryCb(entity="deal", id=deal_id).pack()
    crm_ms: list[float] = []
    echo_ms: list[float] = []
    for n in range(presses + 20):
        statements.clear()
        crm = await _feed(bot, dispatcher, _press(card, data))
        plain = await _feed(bot, echo, _text("История"))
        if n >= 20:  # the first ones warm up both
            crm_ms.append(crm)
            echo_ms.append(plain)
    sent = [call for call in session.calls if getattr(call, "text", None) and "История сделки" in call.text]
    assert sent, "the timeline was not shown"
    page = sent[-1].text
    print(f"SQL statements per press: {len(statements)}; last page: {len(page)} characters", flush=True)
    await dispatcher.storage.close()
    await engine.dispose()
    return crm_ms, echo_ms, len(page)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--presses", type=int, default=300)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--interactions", type=int, default=30_000)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crm-bench-", dir=args.dir) as tmp:
        path = Path(tmp) / "crm.sqlite3"
        deal_id = fill(path, args.contacts, args.interactions)
        crm, echo, _length = asyncio.run(measure(path, deal_id, args.presses))
    p50, p99 = percentile(crm, 0.5), percentile(crm, 0.99)
    rows = [("deal timeline, first page («🕘 История»)", crm), ("bare aiogram echo handler", echo)]
    print(f"\n{len(crm)} presses each\n\n| handler | p50, ms | p99, ms |\n|---|---:|---:|")
    for label, values in rows:
        print(f"| {label} | {percentile(values, 0.5):.2f} | {percentile(values, 0.99):.2f} |")
    print(
        f"\nratio timeline/echo: p50 {p50 / percentile(echo, 0.5):.1f}×, "
        f"p99 {p99 / percentile(echo, 0.99):.1f}×"
    )


if __name__ == "__main__":
    main()

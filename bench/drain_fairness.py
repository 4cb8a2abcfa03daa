"""Drain fairness: a few recipients with many due rows do not cap the drain (issue 9, finding 6).

``--messages`` due ``task_due`` rows for ``--recipients`` chats are queued in one of three orders:

- ``grouped``: all of the first recipient's rows, then all of the second's, and so on;
- ``interleaved``: one row per recipient in turn;
- ``random``: a seeded shuffle.

``bot.sender.drain_outbox`` then sends them against the HTTP fake Bot API with Telegram's limits enforced
(``enforce_rate_limits(per_chat_per_sec=1.0, global_per_sec=30.0)``: anything faster gets a 429). The
sender keeps ``SEND_RATE_GLOBAL`` overall and ``1 / SEND_RATE_PER_CHAT`` + ``CHAT_MARGIN`` seconds between
two messages to one chat, so the fastest possible drain is ``min(global rate, recipients / chat spacing)``:
with 20 recipients at the defaults (25 msg/s, 1 msg/s per chat, 0.25 s margin) the per-chat limit binds at
16 msg/s; with ``--global-rate 15`` the global rate binds. The figure is the achieved rate as a share of that
ceiling, per order. ``--old-claim`` replaces the claim with the one before issue 9 (50 rows in ``send_after``,
id order) for a comparison in the same run.

    python -m bench.drain_fairness                                  # 2,000 rows, 20 recipients, 3 orders
    python -m bench.drain_fairness --global-rate 15                 # the global rate binds
    python -m bench.drain_fairness --orders grouped --old-claim --messages 300
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from pydantic import SecretStr
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

import bot.sender as sender
from bench.fill import add_users, connect, migrate, sqlite_url
from bot.i18n import TranslatorHub
from bot.send_limits import CHAT_MARGIN
from bot.settings import Settings
from db.engine import create_engine, create_sessionmaker, write_tx
from db.models import OutboxMessage, User
from db.repo import outbox
from tests.fakeapi import FakeTelegram
from tests.harness import TOKEN

FIRST_TELEGRAM_ID = 910_000_000
ORDERS = ("grouped", "interleaved", "random")


@dataclass
class Result:
    order: str
    claim: str
    messages: int
    recipients: int
    ceiling: float
    sent: int
    wall: float
    rate_limited: int
    left: int
    delivered: int

    @property
    def achieved(self) -> float:
        return self.sent / self.wall if self.wall else 0.0

    def line(self) -> str:
        return (
            f"{self.order:<11} {self.claim} claim: {self.messages} rows, {self.recipients} recipients: "
            f"{self.achieved:5.2f} msg/s over {self.wall:6.1f} s = {self.achieved / self.ceiling:6.1%} of "
            f"the {self.ceiling:.1f} msg/s ceiling; {self.rate_limited} × 429; "
            + ("all sent" if self.left == 0 else f"{self.left} not sent")
            + ("" if self.delivered == self.messages else f", {self.delivered} deliveries")
        )


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def recipients_in(order: str, messages: int, recipients: int, seed: int) -> list[int]:
    """The recipient index of each row, in queue (id) order."""
    if order == "grouped":
        per = -(-messages // recipients)
        return [n // per for n in range(messages)]
    if order == "interleaved":
        return [n % recipients for n in range(messages)]
    indexes = [n % recipients for n in range(messages)]
    random.Random(seed).shuffle(indexes)
    return indexes


def fill(path: Path, order: str, messages: int, recipients: int, seed: int) -> None:
    connection: sqlite3.Connection = connect(path)
    user_ids = add_users(connection, recipients, FIRST_TELEGRAM_ID)
    now = datetime.now(UTC)
    due = _stamp(now - timedelta(minutes=1))
    created = _stamp(now)
    owners = [user_ids[index] for index in recipients_in(order, messages, recipients, seed)]
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO tasks (id, title, due_at, assignee_id, created_by_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(n + 1, f"Задача {n + 1}", due, owner, owner, created) for n, owner in enumerate(owners)],
    )
    connection.executemany(
        "INSERT INTO outbox (dedupe_key, recipient_id, kind, payload, send_after, status, attempts, "
        "created_at) VALUES (?, ?, 'task_due', ?, ?, 'pending', 0, ?)",
        [
            (f"task:{n + 1}:due:bench", owner, f'{{"task_id": {n + 1}}}', due, created)
            for n, owner in enumerate(owners)
        ],
    )
    connection.execute("COMMIT")
    connection.close()


async def old_claim_due(
    session: AsyncSession,
    *,
    now: datetime,
    stale_before: datetime,
    limit: int,
    per_chat: int = 2,
    claimer: str | None = None,
) -> list[outbox.Claimed]:
    """The claim before issue 9: the first ``limit`` due rows by ``send_after``, id, whoever they are for."""
    del per_chat
    due = outbox._due(now, stale_before)
    async with write_tx(session):
        ids = list(
            await session.scalars(
                select(OutboxMessage.id)
                .where(due)
                .order_by(OutboxMessage.send_after, OutboxMessage.id)
                .limit(limit)
            )
        )
        if not ids:
            return []
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), due)
            .values(status=outbox.SENDING, claimed_at=now, claimed_by=claimer)
            .execution_options(synchronize_session=False)
        )
        rows = (
            await session.execute(
                select(OutboxMessage, User)
                .join(User, User.id == OutboxMessage.recipient_id)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.status == outbox.SENDING)
                .order_by(OutboxMessage.send_after, OutboxMessage.id)
                .execution_options(populate_existing=True)
            )
        ).all()
    return [outbox.Claimed(row, user) for row, user in rows]


async def run(
    path: Path, order: str, messages: int, recipients: int, global_rate: float, old: bool
) -> Result:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=SecretStr(TOKEN),
        database_url=sqlite_url(path),
        quiet_hours="",
        send_rate_global=global_rate,
        send_rate_per_chat=1.0,
    )
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    new_claim = outbox.claim_due
    if old:
        outbox.claim_due = old_claim_due
    try:
        async with FakeTelegram(token=TOKEN) as tg:
            for n in range(recipients):
                tg.register_chat(FIRST_TELEGRAM_ID + n)
            tg.enforce_rate_limits(per_chat_per_sec=1.0, global_per_sec=30.0)
            bot = Bot(
                TOKEN,
                session=AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url)),
                default=DefaultBotProperties(parse_mode="HTML"),
            )
            try:
                started = time.perf_counter()
                sent = 0
                # The scheduler calls the drain every OUTBOX_INTERVAL_SECONDS; the old claim ended a drain
                # early, so keep calling it (as the scheduler would) until nothing is left.
                while sent < messages:
                    got = await sender.drain_outbox(bot, sessionmaker, settings, TranslatorHub())
                    sent += got
                    if got == 0:
                        break
                wall = time.perf_counter() - started
            finally:
                await bot.session.close()
            rate_limited = tg.rate_limited_count
            delivered = len(tg.calls_to("sendMessage", ok_only=True))
    finally:
        outbox.claim_due = new_claim
        await engine.dispose()
    connection = sqlite3.connect(path)
    left = connection.execute("SELECT count(*) FROM outbox WHERE status != 'sent'").fetchone()[0]
    connection.close()
    spacing = 1.0 / settings.send_rate_per_chat + CHAT_MARGIN
    return Result(
        order=order,
        claim="old" if old else "new",
        messages=messages,
        recipients=recipients,
        ceiling=min(settings.send_rate_global, recipients / spacing),
        sent=sent,
        wall=wall,
        rate_limited=rate_limited,
        left=left,
        delivered=delivered,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--recipients", type=int, default=20)
    parser.add_argument("--orders", default=",".join(ORDERS))
    parser.add_argument("--global-rate", type=float, default=25.0)
    parser.add_argument("--old-claim", action="store_true", help="also run each order with the old claim")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args(argv)
    results: list[Result] = []
    for order in args.orders.split(","):
        for old in (False, True) if args.old_claim else (False,):
            with tempfile.TemporaryDirectory(prefix="crm-bench-") as tmp:
                path = Path(tmp) / "fairness.sqlite3"
                migrate(path)
                fill(path, order, args.messages, args.recipients, args.seed)
                result = asyncio.run(run(path, order, args.messages, args.recipients, args.global_rate, old))
            print(result.line(), flush=True)
            results.append(result)
    new = [r for r in results if r.claim == "new"]
    goal = all(r.achieved >= 0.9 * r.ceiling and r.left == 0 and r.delivered == r.messages for r in new)
    print("goal (every order ≥ 90% of the ceiling, all sent once): " + ("met" if goal else "NOT met"))


if __name__ == "__main__":
    main()

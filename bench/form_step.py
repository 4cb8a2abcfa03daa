"""One contact-form step through the real dispatcher: this tree against another revision, in one run.

A manager types a phone at the phone step of /new_contact: access check, the dialog's stack and context from
SQLite, phone parsing, the R5 name+phone lookup, the dialog's writes and the next window. The database holds
100k contacts, 100k leads and 300k interactions. The same updates go to a bare aiogram echo handler through
the same recording Bot API session, so every figure also has a ratio to a floor measured in the same run.

With ``--baseline REV`` the same measurement is run on revision ``REV`` of this repository (its own
``bench/form_step.py``, extracted with ``git archive`` into a temporary directory, same database sizes, run
right after this one), and the table gives this tree's p50 and p99 as ratios of that revision's.

    python -m bench.form_step                          # 600 steps
    python -m bench.form_step --baseline 47eb6da       # and the same on that revision
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import itertools
import pstats
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import aiosqlite
from aiogram import Bot, Dispatcher
from aiogram.types import Chat, Message, Update, User
from sqlalchemy import event
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_dbapi

from bench.fill import (
    add_contacts,
    add_leads_and_interactions,
    add_users,
    connect,
    migrate,
    percentile,
    sqlite_url,
)
from bench.fill import person as bench_person
from bot.app import create_bot, create_dispatcher
from bot.settings import Settings
from db import sqlite_driver
from db.engine import create_engine, create_sessionmaker
from tests.harness import TOKEN, RecordingSession

TRACE = False
MANAGER_TELEGRAM_ID = 900_000_000  # the first user add_users makes
ROW = re.compile(r"^\| contact form, phone step[^|]*\| ([0-9.]+) \| ([0-9.]+) \|$", re.M)
_ids = itertools.count(1)


def _update(text: str) -> Update:
    user = User(
        id=MANAGER_TELEGRAM_ID, is_bot=False, first_name="Менеджер", last_name="0", language_code="ru"
    )
    message = Message(
        message_id=next(_ids),
        date=datetime.now(UTC),
        chat=Chat(id=MANAGER_TELEGRAM_ID, type="private", first_name="Менеджер"),
        from_user=user,
        text=text,
    )
    return Update(update_id=next(_ids), message=message)


def echo_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    return dispatcher


async def _feed(bot: Bot, dispatcher: Dispatcher, update: Update) -> float:
    started = time.perf_counter()
    await dispatcher.feed_update(bot, update)
    return (time.perf_counter() - started) * 1000


class HopCounter:
    """Counts ``asyncio.to_thread`` calls: aiogram runs every synchronous filter and handler in a thread."""

    def __init__(self) -> None:
        self.count = 0
        self._real = asyncio.to_thread

    async def __call__(self, func, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.count += 1
        return await self._real(func, *args, **kwargs)


class TripCounter:
    """Counts calls into aiosqlite's worker thread (``Connection._execute``, which every driver call uses)."""

    def __init__(self) -> None:
        self.count = 0
        real = aiosqlite.Connection._execute

        async def counted(connection, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.count += 1
            return await real(connection, fn, *args, **kwargs)

        self.patch = mock.patch.object(aiosqlite.Connection, "_execute", counted)


async def measure(
    path: Path, steps: int, size: int, profile: cProfile.Profile | None = None
) -> tuple[list[float], list[float], float]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        database_url=sqlite_url(path),
        company_email_domains=["fieldcrm.ru"],
    )
    engine = create_engine(settings.database_url)
    statements: list[str] = []

    def count_statement(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        statements.append(sql.split()[0].upper())
        if TRACE:
            print("  SQL", " ".join(sql.split())[:150], flush=True)

    event.listen(engine.sync_engine, "before_cursor_execute", count_statement)
    sessionmaker = create_sessionmaker(engine)
    bot = create_bot(settings, session=RecordingSession())
    dispatcher = create_dispatcher(settings, sessionmaker, single_instance=True)
    echo = echo_dispatcher()
    hops = HopCounter()
    hops_total = 0
    trips = TripCounter()
    trips_total = 0
    kinds: dict[str, int] = {}
    crm_ms: list[float] = []
    echo_ms: list[float] = []
    existing = bench_person(0, random.Random(1))
    for n in range(steps + 20):
        # Every tenth step re-enters a known person: the R5 lookup finds them and the duplicate is shown.
        duplicate = n % 10 == 0
        name = existing if duplicate else bench_person(size + n, random.Random(n))
        # Not timed: a fresh form at the phone step.
        await dispatcher.feed_update(bot, _update("/cancel"))
        await dispatcher.feed_update(bot, _update("/new_contact"))
        await dispatcher.feed_update(bot, _update(f"{name.surname} {name.given} {name.patronymic}"))
        phone = existing.phone if duplicate else f"+7917{n:07d}"
        with mock.patch("asyncio.to_thread", hops), trips.patch:
            before, trips_before = hops.count, trips.count
            statements.clear()
            if profile is not None and n >= 20:
                profile.enable()
            crm = await _feed(bot, dispatcher, _update(phone))
            if profile is not None:
                profile.disable()
            step_hops, step_trips = hops.count - before, trips.count - trips_before
        plain = await _feed(bot, echo, _update(phone))
        if n >= 20:  # the first ones warm up both
            crm_ms.append(crm)
            echo_ms.append(plain)
            hops_total += step_hops
            trips_total += step_trips
            for kind in statements:
                kinds[kind] = kinds.get(kind, 0) + 1
    await dispatcher.storage.close()
    await engine.dispose()
    per_step = {kind: count / max(1, len(crm_ms)) for kind, count in sorted(kinds.items())}
    print("SQL per step: " + ", ".join(f"{kind} {count:.1f}" for kind, count in per_step.items()), flush=True)
    print(
        f"trips to the SQLite driver's thread per step: {trips_total / max(1, len(crm_ms)):.1f}", flush=True
    )
    return crm_ms, echo_ms, hops_total / max(1, len(crm_ms))


def fill(path: Path, contacts: int, interactions: int) -> None:
    started = time.perf_counter()
    migrate(path)
    connection = connect(path)
    users = add_users(connection, 20)
    add_contacts(connection, contacts, users)
    add_leads_and_interactions(connection, contacts, interactions, users)
    connection.close()
    print(
        f"filled {contacts:,} contacts, {contacts:,} leads, {interactions:,} interactions "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def baseline(revision: str, args: argparse.Namespace) -> tuple[float, float, str]:
    """p50 and p99 of the phone step on ``revision``, measured by that revision's own bench script."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="crm-baseline-") as tree:
        archive = subprocess.run(
            ["git", "-C", str(root), "archive", revision], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
        command = [sys.executable, "-m", "bench.form_step", "--steps", str(args.steps)]
        command += ["--contacts", str(args.contacts), "--interactions", str(args.interactions)]
        out = subprocess.run(command, cwd=tree, check=True, capture_output=True, text=True).stdout
    match = ROW.search(out)
    if match is None:
        raise SystemExit(f"no result row in the baseline's output:\n{out}")
    return float(match.group(1)), float(match.group(2)), out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--interactions", type=int, default=300_000)
    parser.add_argument("--baseline", default=None, help="a git revision to measure the same way")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument("--profile-sort", default="cumulative", help="pstats order: cumulative or tottime")
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument(
        "--stock-driver", action="store_true", help="SQLAlchemy's own aiosqlite adapter, for comparison"
    )
    args = parser.parse_args()
    if args.stock_driver:
        sqlite_driver.dbapi = lambda: AsyncAdapt_aiosqlite_dbapi(aiosqlite, sqlite3)  # type: ignore[assignment]
    profile = cProfile.Profile() if args.profile else None
    with tempfile.TemporaryDirectory(prefix="crm-bench-", dir=args.dir) as tmp:
        path = Path(tmp) / "crm.sqlite3"
        fill(path, args.contacts, args.interactions)
        crm, echo, hops = asyncio.run(measure(path, args.steps, args.contacts, profile))
    p50, p99 = percentile(crm, 0.5), percentile(crm, 0.99)
    rows = [("contact form, phone step (R5 lookup)", crm), ("bare aiogram echo handler", echo)]
    print(f"\n{len(crm)} steps each\n\n| handler | p50, ms | p99, ms |\n|---|---:|---:|")
    for label, values in rows:
        print(f"| {label} | {percentile(values, 0.5):.2f} | {percentile(values, 0.99):.2f} |")
    print(
        f"\nratio form/echo: p50 {p50 / percentile(echo, 0.5):.1f}×, p99 {p99 / percentile(echo, 0.99):.1f}×"
        f"\nthread hops per step: {hops:.1f}"
    )
    if profile is not None:
        pstats.Stats(profile).sort_stats(args.profile_sort).print_stats(args.profile)
    if args.baseline:
        base50, base99, _out = baseline(args.baseline, args)
        print(
            "\n| revision | p50, ms | p99, ms |\n|---|---:|---:|"
            f"\n| {args.baseline} | {base50:.2f} | {base99:.2f} |"
            f"\n| this tree | {p50:.2f} | {p99:.2f} |"
            f"\n\nthis tree / {args.baseline}: p50 {p50 / base50:.2f}, p99 {p99 / base99:.2f}"
        )


if __name__ == "__main__":
    main()

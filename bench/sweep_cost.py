"""Sweep cost: the reminder sweep follows the number of DUE deals, not the total.

Fills migrated SQLite files with 10k, 100k and 1M open deals (bulk ``sqlite3.executemany``; one lead and one
product line per deal, 100 managers and a team lead in one team). 1% of the deals are due for a reminder
today (their deadline is 7, 3 or 1 days away); the others are either fresh (deadline 15–58 days away) or long
inactive (deadline 15–400 days ago), i.e. outside the policy's window. Then it times
``bot.reminders.sweep`` at 12:00 Moscow (median of ``--runs``, the outbox emptied between runs), and, as a
baseline in the same run, a naive sweep that reads every open deal and runs the same policy over all of them.
It prints the growth ratios and the EXPLAIN QUERY PLAN of the candidate queries.

    python -m bench.sweep_cost                       # 10k, 100k, 1M
    python -m bench.sweep_cost --sizes 10000,100000  # quick run

Results of ``python -m bench.sweep_cost --runs 3`` (2 vCPUs, nothing else running; SQLite, 100 managers,
now = 2027-01-20 12:00 MSK):

| deals | due (1%) | rows queued | sweep, median | growth | naive full scan | growth |
|---:|---:|---:|---:|---:|---:|---:|
| 10,000 | 100 | 160 | 38.9 ms | — | 120 ms | — |
| 100,000 | 1,000 | 1,100 | 174.3 ms | ×4.5 | 1259 ms | ×10.5 |
| 1,000,000 | 10,000 | 10,100 | 1513.0 ms | ×8.7 | 11622 ms | ×9.2 |

The plans show index searches only (``ix_deals_status_basis`` for the deadline windows,
``ix_deals_status_updated_at``, ``ix_outbox_kind``, ``ix_tasks_done_due``). See ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.fill import connect, migrate, sqlite_url, timed
from bot.reminders import reminder_settings, sweep
from bot.settings import Settings
from db.engine import create_engine, create_sessionmaker, writing
from db.models import Deal, OutboxMessage
from db.repo import reminders as repo
from domain.dates import add_months
from domain.deals import DealStatus
from domain.reminders import DealView, due_notifications

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2027, 1, 20, 12, 0, tzinfo=MSK)
MANAGERS = 100
DUE_SHARE = 0.01
STAMP = "%Y-%m-%d %H:%M:%S.%f"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).strftime(STAMP)


def _basis_for(days_left: int, rng: random.Random) -> str:
    """A basis instant whose deadline day (2 months later, Moscow) is ``days_left`` days after NOW's day."""
    deadline = NOW.date() + timedelta(days=days_left)
    day = add_months(deadline, -2)
    if add_months(day, 2) != deadline:  # the end-of-month clamp: no basis maps exactly; use the day before
        day = add_months(deadline - timedelta(days=1), -2)
    moment = datetime.combine(day, datetime.min.time(), tzinfo=MSK) + timedelta(
        minutes=rng.randrange(9 * 60, 19 * 60)
    )
    return _stamp(moment)


def fill(path: Path, size: int, seed: int = 7) -> int:
    """``size`` open deals, 1% due; returns the number of due deals."""
    rng = random.Random(seed)
    migrate(path)
    connection = connect(path)
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    created = _stamp(datetime(2025, 1, 1, tzinfo=UTC))
    connection.execute("BEGIN")
    connection.execute("INSERT INTO teams (name, created_at) VALUES ('Bench team', ?)", (created,))
    team_id = connection.execute("SELECT id FROM teams").fetchone()[0]
    users = [(800_000_000 + n, f"Менеджер {n}", "manager", team_id, created) for n in range(MANAGERS)]
    users.append((799_999_999, "Руководитель", "team_lead", team_id, created))
    connection.executemany(
        "INSERT INTO users (telegram_id, full_name, role, team_id, is_active, is_reachable, created_at) "
        "VALUES (?, ?, ?, ?, 1, 1, ?)",
        users,
    )
    managers = [
        row[0] for row in connection.execute("SELECT id FROM users WHERE role = 'manager' ORDER BY id")
    ]
    connection.execute(
        "INSERT INTO contacts (surname, given_name, name_key, phone, birth_date, email, responsible_id, "
        "created_by_id, created_at, updated_at, dup_name_phone, dup_name_birth, dup_name_email, "
        "dup_phone_birth, dup_phone_email, dup_birth_email) VALUES ('Иванов', 'Иван', 'иван иванов', "
        "'+79160000000', '1980-01-01', 'a@mail.ru', ?, ?, ?, ?, 'a', 'b', 'c', 'd', 'e', 'f')",
        (managers[0], managers[0], created, created),
    )
    contact_id = connection.execute("SELECT id FROM contacts").fetchone()[0]
    source_id = connection.execute("SELECT id FROM lead_sources ORDER BY id").fetchone()[0]
    group_id, product_id = connection.execute("SELECT group_id, id FROM products ORDER BY id").fetchone()
    stage_id = connection.execute("SELECT id FROM stages WHERE kind = 'open' ORDER BY id").fetchone()[0]
    connection.executemany(
        "INSERT INTO leads (id, contact_id, source_id, description, responsible_id, status, created_by_id, "
        "created_at, updated_at) VALUES (?, ?, ?, 'bench', ?, 'converted', ?, ?, ?)",
        (
            (i + 1, contact_id, source_id, managers[i % MANAGERS], managers[i % MANAGERS], created, created)
            for i in range(size)
        ),
    )
    due = round(size * DUE_SHARE)
    due_ids = set(rng.sample(range(size), due))
    comment = "Клиенту нужны 5 сканеров, ждём согласования бюджета до конца месяца"

    def deals():  # type: ignore[no-untyped-def]
        for i in range(size):
            if i in due_ids:
                days_left = rng.choice((7, 3, 1))
            elif rng.random() < 0.5:
                days_left = rng.randrange(15, 59)
            else:
                days_left = -rng.randrange(15, 401)
            basis = _basis_for(days_left, rng)
            owner = managers[i % MANAGERS]
            yield (
                i + 1, i + 1, contact_id, f"bench:{i}", group_id, stage_id, comment, owner, basis, owner,
                created, created,
            )  # fmt: skip

    connection.executemany(
        "INSERT INTO deals (id, lead_id, contact_id, party_key, product_group_id, stage_id, status, comment, "
        "responsible_id, last_qualifying_at, created_by_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)",
        deals(),
    )
    connection.executemany(
        "INSERT INTO deal_lines (deal_id, product_id, amount_minor, currency) VALUES (?, ?, 1500000, 'RUB')",
        ((i + 1, product_id) for i in range(size)),
    )
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()
    return due


def settings_for(path: Path) -> Settings:
    return Settings(_env_file=None, database_url=sqlite_url(path))  # type: ignore[call-arg]


async def _clear(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with writing(sessionmaker) as session:
        await session.execute(delete(OutboxMessage))


async def naive_sweep(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> int:
    """The baseline: every open deal read and handed to the same policy (no lines: correctness skipped)."""
    policy_settings = reminder_settings(settings)
    async with sessionmaker() as session:
        users = await repo.load_users(session)
        rows = await session.execute(
            select(Deal.id, Deal.responsible_id, Deal.last_qualifying_at, Deal.created_at).where(
                Deal.status == DealStatus.OPEN.value
            )
        )
        views = [
            DealView(r.id, r.responsible_id, DealStatus.OPEN, r.last_qualifying_at, r.created_at)
            for r in rows
        ]
    return len(due_notifications(NOW, views, [], users, policy_settings))


async def measure(path: Path, runs: int, baseline: bool) -> tuple[float, float | None, int]:
    settings = settings_for(path)
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    try:
        times: list[float] = []
        inserted = 0
        for _ in range(runs):
            await _clear(sessionmaker)
            started = time.perf_counter()
            inserted = await sweep(sessionmaker, settings, NOW)
            times.append(time.perf_counter() - started)
        naive: float | None = None
        if baseline:
            naive_times = []
            for _ in range(runs):
                started = time.perf_counter()
                await naive_sweep(sessionmaker, settings)
                naive_times.append(time.perf_counter() - started)
            naive = statistics.median(naive_times)
        return statistics.median(times), naive, inserted
    finally:
        await engine.dispose()


def explain(path: Path) -> None:
    """EXPLAIN QUERY PLAN of each candidate query, with the binds the sweep would use at NOW."""
    policy_settings = reminder_settings(settings_for(path))
    now = NOW.astimezone(UTC)
    queries = list(repo.deadline_queries(now, policy_settings, {policy_settings.period_months: [1, 2, 3]}))
    queries += [repo.recent_query(now), repo.flagged_query(), repo.task_window_query(now, policy_settings)]
    labels = [
        "deadline window (per period)",
        "recently changed deals",
        "deals reported incorrect",
        "tasks due",
    ]
    connection = sqlite3.connect(path)
    for label, query in zip(labels, queries, strict=True):
        compiled = query.compile(
            dialect=sqlite_dialect.dialect(), compile_kwargs={"render_postcompile": True}
        )
        params = [compiled.params[name] for name in compiled.positiontup or []]
        params = [
            p.astimezone(UTC).replace(tzinfo=None).strftime(STAMP) if isinstance(p, datetime) else p
            for p in params
        ]
        plan = connection.execute(f"EXPLAIN QUERY PLAN {compiled}", params).fetchall()
        print(f"  {label}:")
        for row in plan:
            print(f"    {row[-1]}")
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated deal counts")
    parser.add_argument("--runs", type=int, default=5, help="timed sweeps per size (median reported)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive full-scan baseline")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results: list[tuple[int, int, float, float | None, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"sweep_{size}.sqlite3"
            print(f"{size} deals:", flush=True)
            due = timed("fill", fill, path, size)
            sweep_time, naive_time, inserted = asyncio.run(measure(path, args.runs, not args.no_baseline))
            results.append((size, due, sweep_time, naive_time, inserted))
            print(f"  sweep: {sweep_time * 1000:.1f} ms ({inserted} rows queued)", flush=True)
            if naive_time is not None:
                print(f"  naive full scan: {naive_time * 1000:.1f} ms", flush=True)
            if size == sizes[-1]:
                explain(path)
            path.unlink()
    print()
    print("| deals | due (1%) | rows queued | sweep, median | growth | naive full scan | growth |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    previous: tuple[float, float | None] | None = None
    for size, due, sweep_time, naive_time, inserted in results:
        growth = f"×{sweep_time / previous[0]:.1f}" if previous else "—"
        naive = f"{naive_time * 1000:.0f} ms" if naive_time is not None else "—"
        naive_growth = (
            f"×{naive_time / previous[1]:.1f}" if previous and previous[1] and naive_time is not None else "—"
        )
        cells = [f"{size:,}", f"{due:,}", f"{inserted:,}", f"{sweep_time * 1000:.1f} ms", growth, naive]
        print("| " + " | ".join([*cells, naive_growth]) + " |")
        previous = (sweep_time, naive_time)
    print(f"\nNow: {NOW.isoformat()}; {MANAGERS} managers; runs per size: {args.runs}.")


if __name__ == "__main__":
    main()

"""Updates a second through one instance and through three behind a round-robin proxy (PostgreSQL + Redis).

The real bot (``python -m bot run``) in webhook mode, one or three processes on one fresh PostgreSQL database
and one Redis, behind ``tests.scale.cluster.RoundRobinProxy``. The fake Bot API (``tests.fakeapi``) delivers
updates by webhook as Telegram does: up to ``max_connections`` at once, one at a time per chat. ``--users``
managers each send ``--rounds`` updates, in turn ``/new_contact`` (reads and writes the form state in Redis
and answers with the form's first question) and ``/cancel``; the time runs from the first update to the
last one handled (the webhook is answered once the handler has finished).
The fake server enforces no rate limit: this measures what the instances handle, not Telegram's limits.

    python -m bench.instances                       # 200 managers x 5 updates, 1 then 3 instances
    python -m bench.instances --users 50 --rounds 2 # a quick run

Needs TEST_POSTGRES_URL and TEST_REDIS_URL (as the tests). Figures: docs/benchmarks.md, "Several instances".
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
from pathlib import Path

from db.engine import create_engine, create_sessionmaker, writing
from db.models import User
from tests.conftest import ADMIN_ID
from tests.fakeapi import FakeTelegram
from tests.scale.cluster import Instance, RoundRobinProxy, cluster_env, free_port, scale_database

FIRST_ID = 870_000_000
STEPS = ("/new_contact", "/cancel")  # open the contact form (its first question), then leave it


async def add_managers(database_url: str, users: int) -> None:
    engine = create_engine(database_url)
    async with writing(create_sessionmaker(engine)) as session:
        session.add_all(
            User(telegram_id=FIRST_ID + i, role="manager", full_name=f"Менеджер {i}") for i in range(users)
        )
    await engine.dispose()


async def measure(count: int, users: int, rounds: int, workdir: Path) -> float:
    """Updates a second through ``count`` instances."""
    token = f"{random.randint(10**8, 10**9 - 1)}:AABenchTokenForSeveralInstances"
    async with (
        scale_database(os.environ["TEST_POSTGRES_URL"]) as database_url,
        FakeTelegram(token=token, allow_http_webhook=True) as tg,
    ):
        await add_managers(database_url, users)
        ports = [free_port() for _ in range(count)]
        proxy = await RoundRobinProxy([f"http://127.0.0.1:{port}" for port in ports]).start()
        env = cluster_env(database_url, os.environ["TEST_REDIS_URL"], tg.base_url, token, proxy.url)
        env.update(ADMIN_IDS=str(ADMIN_ID), LEADER_LEASE_SECONDS="5", LOG_LEVEL="WARNING")
        instances = [Instance(f"bot{count}-{i}", workdir, env, port=port) for i, port in enumerate(ports)]
        try:
            for instance in instances:
                instance.start()
            for instance in instances:
                await instance.wait_started()
            started = time.perf_counter()
            for step in range(rounds):
                for i in range(users):
                    tg.inject_message(FIRST_ID + i, STEPS[step % 2], first_name="Пётр")
            total = users * rounds
            deadline = time.monotonic() + 600
            while tg.webhook_delivered < total:  # answered 200 once its handler has finished
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{tg.webhook_delivered} of {total} handled")
                await asyncio.sleep(0.05)
            return total / (time.perf_counter() - started)
        finally:
            for instance in instances:
                await instance.stop()
            await proxy.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not (os.environ.get("TEST_POSTGRES_URL") and os.environ.get("TEST_REDIS_URL")):
        raise SystemExit("set TEST_POSTGRES_URL and TEST_REDIS_URL")
    with tempfile.TemporaryDirectory() as tmp:
        one = await measure(1, args.users, args.rounds, Path(tmp))
        three = await measure(3, args.users, args.rounds, Path(tmp))
    updates = args.users * args.rounds
    print(f"{updates} updates from {args.users} managers, cores: {os.cpu_count()}")
    print(f"one instance:    {one:6.1f} updates/s")
    print(f"three instances: {three:6.1f} updates/s ({three / one:.2f}x one instance)")


if __name__ == "__main__":
    asyncio.run(main())

"""Three real bot processes behind a round-robin proxy, on one PostgreSQL database and one Redis.

- 50 managers fill the contact form at the same time; the proxy spreads their updates over the instances,
  and Redis event isolation keeps each chat's updates in order: every form completes with its own answers.
- 1,000 due notifications are delivered exactly once each, and the three senders together keep the global
  rate: the fake Bot API enforces Telegram's 30 messages a second and answers more with 429.
- The leader is killed with ``-9`` halfway: another instance takes the lease and runs the leader-only start-up
  sweep; the killed instance comes back (as its supervisor would restart it) and its send journal hands its
  claims back, so the remaining notifications still go out exactly once.

The figures (exactly-once, busiest second, mean rate) are printed in the terminal summary.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import create_engine, create_sessionmaker, writing
from db.models import BotInstance, Contact, LeaderLease, OutboxMessage, Task, User
from tests.conftest import ADMIN_ID
from tests.fakeapi import FakeTelegram
from tests.fakeapi.server import Call
from tests.harness import first_line, t, tp
from tests.scale.cluster import Instance, RoundRobinProxy, cluster_env, scale_database

pytestmark = pytest.mark.skipif(
    not (os.environ.get("TEST_POSTGRES_URL") and os.environ.get("TEST_REDIS_URL")),
    reason="TEST_POSTGRES_URL and TEST_REDIS_URL are needed",
)

MANAGERS = 50
RECIPIENTS = 200
NOTIFICATIONS = 1_000
BOT_RATE = 25.0  # SEND_RATE_GLOBAL of every instance (the default)
TELEGRAM_RATE = 30.0  # what the fake Bot API lets through a second
LEASE = 3.0
STEP_TIMEOUT = 40.0
DUE_TEXT = "Пора выполнить задачу"
TITLE = re.compile(r"Сверка-(\d{4})")


@dataclass
class Cluster:
    tg: FakeTelegram
    proxy: RoundRobinProxy
    instances: list[Instance]
    sessionmaker: async_sessionmaker[AsyncSession]


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[Cluster]:
    token = f"{random.randint(10**8, 10**9 - 1)}:AAScaleTestTokenForThreeInstances"
    async with (
        scale_database(os.environ["TEST_POSTGRES_URL"]) as database_url,
        FakeTelegram(token=token, allow_http_webhook=True) as tg,
    ):
        engine = create_engine(database_url)
        ports = [Instance(f"bot{i}", tmp_path, {}).port for i in range(3)]
        proxy = await RoundRobinProxy([f"http://127.0.0.1:{port}" for port in ports]).start()
        env = cluster_env(database_url, os.environ["TEST_REDIS_URL"], tg.base_url, token, proxy.url)
        env.update(
            ADMIN_IDS=str(ADMIN_ID),
            LEADER_LEASE_SECONDS=str(LEASE),
            SEND_RATE_GLOBAL=str(BOT_RATE),
            OUTBOX_INTERVAL_SECONDS="0.5",
            QUIET_HOURS="",
        )
        instances = [Instance(f"bot{i}", tmp_path, env, port=port) for i, port in enumerate(ports)]
        try:
            for instance in instances:
                instance.start()
            for instance in instances:
                await instance.wait_started()
            yield Cluster(tg, proxy, instances, create_sessionmaker(engine))
        finally:
            for instance in instances:
                await instance.stop()
            await proxy.stop()
            await engine.dispose()


# --- the managers' side ----------------------------------------------------------------------------------


async def shown(tg: FakeTelegram, chat: int, expect: str, since: int) -> int:
    """Wait for a message sent or edited in ``chat`` after call ``since`` containing ``expect``; its seq."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STEP_TIMEOUT
    index = 0
    while True:
        calls = tg.calls
        for call in calls[index:]:
            if (
                call.seq > since
                and call.ok
                and call.method in ("sendMessage", "editMessageText")
                and call.params.get("chat_id") == chat
                and expect in str(call.params.get("text") or "")
            ):
                return call.seq
        index = len(calls)
        if loop.time() > deadline:
            raise TimeoutError(f"chat {chat}: no window with {expect!r}")
        waiter: asyncio.Future[None] = loop.create_future()
        tg._call_waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter, 0.5)
        except TimeoutError:
            pass
        finally:
            tg._call_waiters.discard(waiter)


def answers(n: int) -> dict[str, str]:
    return {
        "name": "Петров Пётр Петрович",
        "phone": f"+7 916 100-{n // 100:02d}-{n % 100:02d}",
        "birth_date": (date(1970, 1, 1) + timedelta(days=97 * n)).strftime("%d.%m.%Y"),
        "email": f"petrov{n}@mail.ru",
        "position": f"Инженер участка {n}",
    }


async def fill_contact_form(tg: FakeTelegram, chat: int, n: int) -> None:
    values = answers(n)
    steps = [
        ("/new_contact", "name"),
        (values["name"], "phone"),
        (values["phone"], "birth_date"),
        (values["birth_date"], "email"),
        (values["email"], "position"),
        (values["position"], "client"),
    ]
    since = tg.calls[-1].seq if tg.calls else 0
    for text, next_step in steps:
        tg.inject_message(chat, text, first_name="Пётр")
        since = await shown(tg, chat, first_line(f"contact-ask-{next_step}"), since)
    tg.press_button(chat, tp("btn-skip"))
    since = await shown(tg, chat, "Проверьте данные контакта", since)
    tg.press_button(chat, tp("btn-save"))
    await shown(tg, chat, t("contact-saved-title"), since)


# --- data --------------------------------------------------------------------------------------------------


def early_morning_zone() -> str:
    """A zone where it is about 04:00 now: before the morning digest (09:00), so none is queued."""
    offset = (4 - datetime.now(UTC).hour + 12) % 24 - 12
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


async def add_users(
    sessionmaker: async_sessionmaker[AsyncSession], first_id: int, count: int, zone: str | None = None
) -> list[int]:
    async with writing(sessionmaker) as session:
        users = [
            User(telegram_id=first_id + i, role="manager", full_name=f"Менеджер {i}", timezone=zone)
            for i in range(count)
        ]
        session.add_all(users)
        await session.flush()
        return [user.id for user in users]


async def queue_due_tasks(
    sessionmaker: async_sessionmaker[AsyncSession], recipients: list[int], count: int, first: int = 0
) -> None:
    """``count`` tasks due a minute ago, spread over ``recipients``, each with its reminder in the outbox."""
    due = (datetime.now(UTC) - timedelta(minutes=1)).replace(microsecond=0)
    async with writing(sessionmaker) as session:
        tasks = [
            Task(
                title=f"Сверка-{first + i:04d}",
                due_at=due,
                assignee_id=recipients[i % len(recipients)],
                created_by_id=recipients[i % len(recipients)],
            )
            for i in range(count)
        ]
        session.add_all(tasks)
        await session.flush()
        session.add_all(
            OutboxMessage(
                # The sweep's own key for this reminder, so that a sweep does not queue it a second time.
                dedupe_key=f"task:{task.id}:due:{due.isoformat()}",
                recipient_id=task.assignee_id,
                kind="task_due",
                payload=f'{{"task_id": {task.id}, "due_at": "{due.isoformat()}"}}',
                send_after=due,
            )
            for task in tasks
        )


class DueSends:
    """Every task reminder delivered so far: (its task number, the call), read incrementally.

    The fake server shares this event loop: rescanning its whole log every tenth of a second would stall it.
    """

    def __init__(self, tg: FakeTelegram) -> None:
        self.tg = tg
        self.seen = 0
        self.found: list[tuple[int, Call]] = []

    def __call__(self) -> list[tuple[int, Call]]:
        calls = self.tg.calls
        for call in calls[self.seen :]:
            text = str(call.params.get("text") or "")
            match = TITLE.search(text) if call.method == "sendMessage" and call.ok else None
            if match and DUE_TEXT in text:
                self.found.append((int(match.group(1)), call))
        self.seen = len(calls)
        return self.found


async def leader_pid(sessionmaker: async_sessionmaker[AsyncSession]) -> int | None:
    async with sessionmaker() as session:
        lease = await session.get(LeaderLease, "scheduler")
        if lease is None or lease.holder is None or lease.expires_at is None:
            return None
        if lease.expires_at <= datetime.now(UTC):
            return None
        row = await session.get(BotInstance, lease.holder)
        return row.pid if row is not None else None


async def wait_for(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while True:
        result = condition() if callable(condition) else condition  # type: ignore[operator]
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.25)


def busiest_second(times: list[float]) -> int:
    times = sorted(times)
    most, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


async def test_three_instances_share_forms_sends_and_the_schedule(
    cluster: Cluster, record_property: pytest.RecordProperty
) -> None:
    tg, db = cluster.tg, cluster.sessionmaker

    # 1. Fifty managers fill the contact form at the same time, spread over the three instances.
    managers = await add_users(db, 880_000_000, MANAGERS)
    await asyncio.gather(*(fill_contact_form(tg, 880_000_000 + n, n) for n in range(MANAGERS)))
    async with db() as session:
        saved = list(await session.scalars(select(Contact)))
    assert len(saved) == MANAGERS
    by_owner = {contact.responsible_id: contact for contact in saved}
    for n, manager in enumerate(managers):
        contact, expected = by_owner[manager], answers(n)
        assert contact.email == expected["email"]
        assert contact.position == expected["position"]
        assert contact.birth_date.strftime("%d.%m.%Y") == expected["birth_date"]
        assert contact.phone == "+7" + re.sub(r"\D", "", expected["phone"])[1:]
    assert all(count > 0 for count in cluster.proxy.handled.values()), cluster.proxy.handled

    # 2. A thousand due reminders, with Telegram's limits enforced.
    tg.enforce_rate_limits(per_chat_per_sec=1.0, global_per_sec=TELEGRAM_RATE)
    recipients = await add_users(db, 890_000_000, RECIPIENTS, early_morning_zone())
    for i in range(RECIPIENTS):
        tg.register_chat(890_000_000 + i)
    started = time.time()
    due_sends = DueSends(tg)
    await queue_due_tasks(db, recipients, NOTIFICATIONS)
    await wait_for(lambda: len(due_sends()) >= NOTIFICATIONS // 3, 60, "a third of the reminders")

    # 3. The leader is killed with -9; another instance takes the lease and runs the start-up sweep.
    old_pid = await leader_pid(db)
    victim = next(i for i in cluster.instances if i.proc is not None and i.proc.pid == old_pid)
    await victim.kill9_between_sends()
    killed_at = datetime.now(UTC)
    # Only a leader's sweep queues this one: it has no outbox row of its own.
    await queue_due_tasks_without_reminder(db, recipients[0], "Сверка-9999")

    async def new_leader() -> bool:
        pid = await leader_pid(db)
        return pid is not None and pid != old_pid

    await wait_for(new_leader, 4 * LEASE, "another instance to take the lease")
    handover = (datetime.now(UTC) - killed_at).total_seconds()
    new_pid = await leader_pid(db)
    leader = next(i for i in cluster.instances if i.proc is not None and i.proc.pid == new_pid)
    await wait_for(lambda: any(n == 9999 for n, _ in due_sends()), 60, "the new leader's sweep")
    async with db() as session:
        swept = await session.scalar(
            select(OutboxMessage.created_at)
            .where(OutboxMessage.dedupe_key.like("task:%:due:%"))
            .order_by(OutboxMessage.created_at.desc())
            .limit(1)
        )
    assert swept is not None and swept > killed_at
    assert re.search(r"became the leader[\s\S]*sweep:", leader.output()), leader.output()[-2000:]

    # The killed instance comes back; its journal hands back what it had claimed.
    victim.start()
    await victim.wait_started()
    await wait_for(lambda: len(due_sends()) >= NOTIFICATIONS + 1, 90, "every reminder")
    finished = time.time()
    await asyncio.sleep(2)  # nothing more arrives

    sends = due_sends()
    per_task = Counter(n for n, _ in sends)
    duplicates = sum(count - 1 for count in per_task.values() if count > 1)
    assert set(per_task) == set(range(NOTIFICATIONS)) | {9999}
    assert duplicates == 0, [n for n, c in per_task.items() if c > 1]
    assert tg.rate_limited_count == 0
    all_sends = [c.at for c in tg.calls_to("sendMessage", ok_only=True) if c.at >= started]
    busiest = busiest_second(all_sends)
    assert busiest <= TELEGRAM_RATE
    mean = len(sends) / (finished - started)
    async with db() as session:
        unsent = await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent")
        )
    figures = (
        f"three instances: {len(per_task)} reminders, each delivered exactly once ({duplicates} duplicates, "
        f"{unsent} rows not sent); busiest second {busiest} messages (limit {TELEGRAM_RATE:g}, "
        f"SEND_RATE_GLOBAL {BOT_RATE:g}); mean {mean:.1f} msg/s; 429 answers: {tg.rate_limited_count}; "
        f"leader killed with -9, lease taken over in {handover:.1f} s (lease {LEASE:g} s); "
        f"updates per instance {sorted(cluster.proxy.handled.values())}"
    )
    record_property("figures", figures)
    print(figures)


async def queue_due_tasks_without_reminder(
    sessionmaker: async_sessionmaker[AsyncSession], assignee: int, title: str
) -> None:
    async with writing(sessionmaker) as session:
        session.add(
            Task(
                title=title,
                due_at=datetime.now(UTC) - timedelta(minutes=10),  # first in line once queued
                assignee_id=assignee,
                created_by_id=assignee,
            )
        )

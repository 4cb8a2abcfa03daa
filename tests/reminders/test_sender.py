"""The outbox sender against the HTTP fake Bot API: limits, 429/403/5xx, exactly once, the crash window.

A real aiogram ``Bot`` talks HTTP to ``tests.fakeapi.FakeTelegram``; rows are inserted into a real SQLite
database and drained with ``bot.sender.drain_outbox``. The helpers here are shared with the rendering tests.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import TranslatorHub
from bot.outbox_journal import SendJournal, journal_fingerprint, journal_path
from bot.sender import CLAIM_BATCH, SENDING_TIMEOUT, drain_outbox
from bot.settings import Settings
from db.base import utcnow
from db.engine import writing
from db.models import (
    Contact,
    Deal,
    DealLine,
    Lead,
    LeadSource,
    OutboxMessage,
    Product,
    ProductGroup,
    Stage,
    Task,
    User,
)
from db.repo import outbox
from tests.factories import make_user
from tests.fakeapi import FakeTelegram
from tests.harness import TOKEN

MANAGER = 7101
OTHER = 7102
LEAD = 7103
ADMIN = 7104
GOOD_COMMENT = "Клиенту нужны 5 сканеров, ждём согласования бюджета до конца месяца"


# ---------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN) as server:
        yield server


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url))
    bot = Bot(TOKEN, session=session, default=DefaultBotProperties(parse_mode="HTML"))
    try:
        yield bot
    finally:
        await bot.session.close()


@pytest.fixture
def hub() -> TranslatorHub:
    return TranslatorHub()


@pytest.fixture
def quiet_free(settings: Settings) -> Settings:
    """No quiet hours, so that a test does not depend on the hour it runs at."""
    return settings.model_copy(update={"quiet_hours": ""})


async def person(
    sessionmaker: async_sessionmaker[AsyncSession],
    tg: FakeTelegram | None,
    telegram_id: int,
    *,
    role: str = "manager",
    team: str | None = "Продажи Север",
    full_name: str = "Менеджер Тестовый",
    language: str | None = None,
) -> int:
    user_id = await make_user(sessionmaker, telegram_id, role=role, team=team, full_name=full_name)
    if language:
        async with writing(sessionmaker) as session:
            await session.execute(update(User).where(User.id == user_id).values(language=language))
    if tg is not None:
        tg.register_chat(telegram_id)
    return user_id


async def add_task(
    sessionmaker: async_sessionmaker[AsyncSession],
    assignee_id: int,
    *,
    title: str = "Позвонить клиенту",
    due_at: datetime | None = None,
    deal_id: int | None = None,
    lead_id: int | None = None,
    done: bool = False,
) -> int:
    async with writing(sessionmaker) as session:
        task = Task(
            title=title,
            due_at=due_at or utcnow() - timedelta(minutes=1),
            assignee_id=assignee_id,
            created_by_id=assignee_id,
            deal_id=deal_id,
            lead_id=lead_id,
            done_at=utcnow() if done else None,
        )
        session.add(task)
        await session.flush()
        return task.id


async def add_contact(
    sessionmaker: async_sessionmaker[AsyncSession],
    responsible_id: int,
    *,
    surname: str = "Иванов",
    given: str = "Иван",
    seed: int = 1,
) -> int:
    """A contact row made directly, so that a test can give it a name the form would refuse."""
    async with writing(sessionmaker) as session:
        keys = {
            column: f"{column}-{seed}"
            for column in (
                "dup_name_phone",
                "dup_name_birth",
                "dup_name_email",
                "dup_phone_birth",
                "dup_phone_email",
                "dup_birth_email",
            )
        }
        contact = Contact(
            surname=surname,
            given_name=given,
            name_key=f"{surname} {given}".lower(),
            phone=f"+7912345{seed:04d}",
            birth_date=date(1985, 3, 25),
            email=f"c{seed}@mail.ru",
            responsible_id=responsible_id,
            created_by_id=responsible_id,
            **keys,
        )
        session.add(contact)
        await session.flush()
        return contact.id


async def add_deal(
    sessionmaker: async_sessionmaker[AsyncSession],
    responsible_id: int,
    contact_id: int,
    *,
    last_qualifying_at: datetime | None = None,
    amount_minor: int = 15_000_000,
    status: str = "open",
    comment: str = GOOD_COMMENT,
) -> int:
    async with writing(sessionmaker) as session:
        source = await session.scalar(select(LeadSource.id).order_by(LeadSource.id))
        group = await session.scalar(select(ProductGroup.id).order_by(ProductGroup.id))
        product = await session.scalar(
            select(Product.id).where(Product.group_id == group).order_by(Product.id)
        )
        stage = await session.scalar(select(Stage.id).where(Stage.kind == "open").order_by(Stage.position))
        assert source and group and product and stage
        lead = Lead(
            contact_id=contact_id,
            source_id=source,
            description="Интересуется сканерами",
            responsible_id=responsible_id,
            created_by_id=responsible_id,
            status="converted",
        )
        session.add(lead)
        await session.flush()
        deal = Deal(
            lead_id=lead.id,
            contact_id=contact_id,
            party_key=f"contact:{contact_id}",
            product_group_id=group,
            stage_id=stage,
            status=status,
            comment=comment,
            responsible_id=responsible_id,
            last_qualifying_at=last_qualifying_at or utcnow(),
            created_by_id=responsible_id,
            lines=[DealLine(product_id=product, amount_minor=amount_minor)],
        )
        session.add(deal)
        await session.flush()
        return deal.id


async def add_row(
    sessionmaker: async_sessionmaker[AsyncSession],
    recipient_id: int,
    kind: str = "task_due",
    payload: dict[str, object] | None = None,
    *,
    key: str | None = None,
    send_after: datetime | None = None,
    status: str = "pending",
    claimed_at: datetime | None = None,
) -> int:
    async with writing(sessionmaker) as session:
        row = OutboxMessage(
            dedupe_key=key or f"test:{kind}:{recipient_id}:{time.perf_counter_ns()}",
            recipient_id=recipient_id,
            kind=kind,
            payload=json.dumps(payload or {}),
            send_after=send_after or utcnow() - timedelta(seconds=1),
            status=status,
            claimed_at=claimed_at,
        )
        session.add(row)
        await session.flush()
        return row.id


async def task_row(sessionmaker: async_sessionmaker[AsyncSession], user_id: int, **task: object) -> int:
    task_id = await add_task(sessionmaker, user_id, **task)  # type: ignore[arg-type]
    return await add_row(sessionmaker, user_id, "task_due", {"task_id": task_id}, key=f"task:{task_id}:due")


async def row(sessionmaker: async_sessionmaker[AsyncSession], row_id: int) -> OutboxMessage:
    async with sessionmaker() as session:
        found = await session.get(OutboxMessage, row_id)
        assert found is not None
        return found


async def rows_of(sessionmaker: async_sessionmaker[AsyncSession], kind: str) -> list[OutboxMessage]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
            )
        )


def delivered(tg: FakeTelegram, chat_id: int) -> list[str]:
    return [
        c.text or "" for c in tg.calls_to("sendMessage", ok_only=True) if c.params.get("chat_id") == chat_id
    ]


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


async def test_due_rows_are_sent_and_marked_sent(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager = await person(sessionmaker, tg, MANAGER)
    due = await task_row(sessionmaker, manager, title="Отправить КП")
    later = await add_row(
        sessionmaker, manager, "task_due", {"task_id": 999}, send_after=utcnow() + timedelta(hours=1)
    )

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 1

    assert len(delivered(tg, MANAGER)) == 1
    assert "Отправить КП" in delivered(tg, MANAGER)[0]
    sent = await row(sessionmaker, due)
    assert sent.status == "sent" and sent.sent_at is not None
    assert (await row(sessionmaker, later)).status == "pending"


async def test_429_waits_retry_after_and_delivers_exactly_once(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager = await person(sessionmaker, tg, MANAGER)
    row_id = await task_row(sessionmaker, manager)
    tg.fail_next("sendMessage", status=429, retry_after=2)

    started = time.monotonic()
    sent = await drain_outbox(bot, sessionmaker, quiet_free, hub)
    elapsed = time.monotonic() - started

    assert sent == 1
    assert elapsed >= 2.0
    calls = [c for c in tg.calls_to("sendMessage") if c.params.get("chat_id") == MANAGER]
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 2.0
    done = await row(sessionmaker, row_id)
    assert done.status == "sent" and done.attempts == 0


async def test_403_marks_unreachable_tells_team_lead_once_and_others_still_get_theirs(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    blocked = await person(sessionmaker, tg, MANAGER, full_name="Сидоров Блок")
    other = await person(sessionmaker, tg, OTHER)
    await person(sessionmaker, tg, LEAD, role="team_lead")
    first = await task_row(sessionmaker, blocked)
    second = await task_row(sessionmaker, blocked)
    others = await task_row(sessionmaker, other)
    tg.block_user(MANAGER)

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 2  # the other manager's, and the alert

    assert len(delivered(tg, OTHER)) == 1
    assert (await row(sessionmaker, others)).status == "sent"
    assert {(await row(sessionmaker, first)).status, (await row(sessionmaker, second)).status} == {"skipped"}
    # One 403 only: the second row of the blocked user was skipped without another try.
    assert len([c for c in tg.calls_to("sendMessage") if c.params.get("chat_id") == MANAGER]) == 1
    async with sessionmaker() as session:
        assert (await session.get(User, blocked)).is_reachable is False  # type: ignore[union-attr]
    alerts = delivered(tg, LEAD)
    assert len(alerts) == 1 and "Сидоров Блок" in alerts[0]

    # Later the flag was reset (say, by hand) and the user is still blocking the bot: a second 403.
    async with writing(sessionmaker) as session:
        await session.execute(update(User).where(User.id == blocked).values(is_reachable=True))
    third = await task_row(sessionmaker, blocked)
    await drain_outbox(bot, sessionmaker, quiet_free, hub)

    assert (await row(sessionmaker, third)).status == "skipped"
    assert len(delivered(tg, LEAD)) == 1  # told once
    assert len(await rows_of(sessionmaker, "user_unreachable")) == 1


async def test_403_without_team_lead_tells_the_admins(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    blocked = await person(sessionmaker, tg, MANAGER, team="Одиночки")
    await person(sessionmaker, tg, ADMIN, role="admin", team=None)
    await task_row(sessionmaker, blocked)
    tg.block_user(MANAGER)

    await drain_outbox(bot, sessionmaker, quiet_free, hub)

    assert len(delivered(tg, ADMIN)) == 1
    [alert] = await rows_of(sessionmaker, "user_unreachable")
    assert alert.dedupe_key.startswith(f"unreachable:{blocked}:")


async def test_502_three_times_then_ok_is_delivered_once(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager = await person(sessionmaker, tg, MANAGER)
    row_id = await task_row(sessionmaker, manager)
    tg.fail_next("sendMessage", status=502, times=3)
    base = utcnow()
    counts = []
    for attempt in range(4):
        # Each retry is due 2^attempts seconds later: move the sender's clock instead of waiting.
        moment = base + timedelta(minutes=attempt)
        counts.append(await drain_outbox(bot, sessionmaker, quiet_free, hub, clock=lambda m=moment: m))
        if attempt < 3:
            retry = await row(sessionmaker, row_id)
            assert retry.status == "pending" and retry.attempts == attempt + 1
            assert retry.send_after == moment + timedelta(seconds=2 ** (attempt + 1))
            assert retry.last_error and retry.last_error.startswith("TelegramServerError")

    assert counts == [0, 0, 0, 1]
    assert [c.status for c in tg.calls_to("sendMessage")] == [502, 502, 502, 200]
    assert len(delivered(tg, MANAGER)) == 1
    assert (await row(sessionmaker, row_id)).status == "sent"


async def test_5xx_past_max_attempts_is_failed_with_the_error_type_only(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    settings = quiet_free.model_copy(update={"send_max_attempts": 2})
    manager = await person(sessionmaker, tg, MANAGER)
    row_id = await task_row(sessionmaker, manager, title="Секретный клиент Петров")
    tg.fail_next("sendMessage", status=503, times=10)
    base = utcnow()
    for attempt in range(3):
        moment = base + timedelta(minutes=attempt)
        await drain_outbox(bot, sessionmaker, settings, hub, clock=lambda m=moment: m)

    failed = await row(sessionmaker, row_id)
    assert failed.status == "failed" and failed.attempts == 2
    assert failed.last_error is not None and failed.last_error.startswith("TelegramServerError")
    assert "Петров" not in failed.last_error
    assert len(tg.calls_to("sendMessage")) == 2


async def test_bad_request_fails_at_once(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager = await person(sessionmaker, tg, MANAGER)
    row_id = await task_row(sessionmaker, manager)
    tg.fail_next("sendMessage", status=400, description="Bad Request: chat not found")

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 0
    failed = await row(sessionmaker, row_id)
    assert (
        failed.status == "failed" and failed.last_error == "TelegramBadRequest: Bad Request: chat not found"
    )
    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 0
    assert len(tg.calls_to("sendMessage")) == 1


async def test_network_error_is_retried_later(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager = await person(sessionmaker, tg, MANAGER)
    row_id = await task_row(sessionmaker, manager)
    await tg.stop()  # nobody listens: a connection error

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 0
    retry = await row(sessionmaker, row_id)
    assert retry.status == "pending" and retry.attempts == 1
    assert retry.last_error == "TelegramNetworkError: " + retry.last_error.split(": ", 1)[1]


async def test_a_sent_row_is_never_sent_again(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager = await person(sessionmaker, tg, MANAGER)
    await task_row(sessionmaker, manager)

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 1
    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 0
    assert len(delivered(tg, MANAGER)) == 1


async def test_two_concurrent_drains_send_each_row_once(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    chats = [MANAGER + 100 + i for i in range(12)]
    for chat in chats:
        user_id = await person(sessionmaker, tg, chat)
        await task_row(sessionmaker, user_id)
    # A second Bot object stands for a second instance, with a limiter of its own.
    other = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url)))
    try:
        results = await asyncio.gather(
            drain_outbox(bot, sessionmaker, quiet_free, hub),
            drain_outbox(bot, sessionmaker, quiet_free, hub),
            drain_outbox(other, sessionmaker, quiet_free, hub),
        )
    finally:
        await other.session.close()

    assert sum(results) == len(chats)
    for chat in chats:
        assert len(delivered(tg, chat)) == 1
    assert {r.status for r in await rows_of(sessionmaker, "task_due")} == {"sent"}


async def test_row_stuck_in_sending_past_the_timeout_is_resent_once(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    """A crash between the claim (or Telegram's 200) and the mark leaves a row in 'sending'."""
    manager = await person(sessionmaker, tg, MANAGER)
    task_id = await add_task(sessionmaker, manager)
    stale = await add_row(
        sessionmaker,
        manager,
        "task_due",
        {"task_id": task_id},
        status="sending",
        claimed_at=utcnow() - SENDING_TIMEOUT - timedelta(seconds=5),
    )
    recent_task = await add_task(sessionmaker, manager)
    live = await add_row(
        sessionmaker,
        manager,
        "task_due",
        {"task_id": recent_task},
        status="sending",
        claimed_at=utcnow() - timedelta(seconds=30),
    )

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 1
    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 0

    assert len(delivered(tg, MANAGER)) == 1
    assert (await row(sessionmaker, stale)).status == "sent"
    assert (await row(sessionmaker, live)).status == "sending"  # another sender may still be on it


async def test_messages_to_one_chat_are_at_least_a_second_apart(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    tg.enforce_rate_limits(per_chat_per_sec=1.0, global_per_sec=30.0)
    manager = await person(sessionmaker, tg, MANAGER)
    other = await person(sessionmaker, tg, OTHER)
    for _ in range(3):
        await task_row(sessionmaker, manager)
    await task_row(sessionmaker, other)

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 4

    times = [c.at for c in tg.calls_to("sendMessage", ok_only=True) if c.params.get("chat_id") == MANAGER]
    assert len(times) == 3
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(times))
    assert tg.rate_limited_count == 0


async def test_inactive_or_unreachable_recipients_are_skipped(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    gone = await person(sessionmaker, tg, MANAGER)
    blocked = await person(sessionmaker, tg, OTHER)
    async with writing(sessionmaker) as session:
        await session.execute(update(User).where(User.id == gone).values(is_active=False))
        await session.execute(update(User).where(User.id == blocked).values(is_reachable=False))
    first = await task_row(sessionmaker, gone)
    second = await task_row(sessionmaker, blocked)

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 0
    assert tg.calls_to("sendMessage") == []
    assert (await row(sessionmaker, first)).status == "skipped"
    assert (await row(sessionmaker, second)).status == "skipped"


async def test_done_task_is_skipped_not_sent(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager = await person(sessionmaker, tg, MANAGER)
    row_id = await task_row(sessionmaker, manager, done=True)

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 0
    assert tg.calls_to("sendMessage") == []
    assert (await row(sessionmaker, row_id)).status == "skipped"


async def test_unreachable_alert_waits_for_the_team_leads_morning(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    hub: TranslatorHub,
) -> None:
    """The alert the sender queues itself respects quiet hours (20:00–09:00) in the lead's zone."""
    blocked = await person(sessionmaker, tg, MANAGER)
    await person(sessionmaker, tg, LEAD, role="team_lead")
    await task_row(sessionmaker, blocked)
    tg.block_user(MANAGER)
    # 23:30 in Moscow.
    night = datetime.fromisoformat("2027-01-20T20:30:00+00:00")

    await drain_outbox(bot, sessionmaker, settings, hub, clock=lambda: night)

    [alert] = await rows_of(sessionmaker, "user_unreachable")
    assert alert.status == "pending"
    assert alert.send_after == datetime.fromisoformat("2027-01-21T06:00:00+00:00")  # 09:00 in Moscow
    assert delivered(tg, LEAD) == []


async def test_no_row_is_left_claimed(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager = await person(sessionmaker, tg, MANAGER)
    for _ in range(3):
        await task_row(sessionmaker, manager)
    await drain_outbox(bot, sessionmaker, quiet_free, hub)
    async with sessionmaker() as session:
        left = await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "sending")
        )
    assert left == 0


# ---------------------------------------------------------------------------------------------
# Issue 9: the send journal (finding 5) and claims across recipients (finding 6)
# ---------------------------------------------------------------------------------------------


def sent_texts(tg: FakeTelegram) -> list[str]:
    return [c.text or "" for c in tg.calls_to("sendMessage", ok_only=True)]


async def test_after_a_crash_confirmed_sends_are_not_repeated_and_the_rest_go_at_once(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    """A run died with three rows claimed: one confirmed by Telegram, one in flight, one not started.

    The next drain marks the confirmed one sent without sending it again, and sends the other two now, not
    after the two-minute claim timeout.
    """
    manager = await person(sessionmaker, tg, MANAGER)
    confirmed = await task_row(sessionmaker, manager, title="Уже доставлено")
    in_flight = await task_row(sessionmaker, manager, title="Было в пути")
    not_started = await task_row(sessionmaker, manager, title="Не начато")
    path = journal_path(quiet_free)
    assert path is not None
    # The run that died: it claimed the rows with its journal's instance id and wrote what it had done.
    crashed = SendJournal.open(path.resolve(), journal_fingerprint(quiet_free))
    assert crashed is not None
    async with sessionmaker() as session:
        now = utcnow()
        claimed = await outbox.claim_due(
            session,
            now=now,
            stale_before=now - SENDING_TIMEOUT,
            limit=10,
            per_chat=5,
            claimer=crashed.instance,
        )
    assert {c.row.id for c in claimed} == {confirmed, in_flight, not_started}
    crashed.started(confirmed)
    crashed.confirmed(confirmed, now)
    crashed.started(in_flight)
    crashed.close()  # kill -9: the lock goes, the file stays

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 2

    texts = sent_texts(tg)
    assert not any("Уже доставлено" in t for t in texts)
    assert sum("Было в пути" in t for t in texts) == 1
    assert sum("Не начато" in t for t in texts) == 1
    done = await row(sessionmaker, confirmed)
    assert done.status == "sent" and done.sent_at == now
    assert {(await row(sessionmaker, r)).status for r in (in_flight, not_started)} == {"sent"}
    # Everything is in the database now: the journal keeps only its header.
    assert path.read_text().count("\n") == 1


async def test_a_claim_held_by_another_live_instance_is_left_alone(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    """Only the sender's own claims are taken back early: another instance's stay until the timeout."""
    manager = await person(sessionmaker, tg, MANAGER)
    task_id = await add_task(sessionmaker, manager)
    theirs = await add_row(
        sessionmaker, manager, "task_due", {"task_id": task_id}, status="sending", claimed_at=utcnow()
    )
    async with writing(sessionmaker) as session:
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.id == theirs).values(claimed_by="b" * 32)
        )

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 0
    assert (await row(sessionmaker, theirs)).status == "sending"
    assert tg.calls_to("sendMessage") == []


async def test_without_the_journal_lock_the_sender_still_sends(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    """Another process holds this journal: the drain sends anyway, marking in the database only."""
    manager = await person(sessionmaker, tg, MANAGER)
    row_id = await task_row(sessionmaker, manager)
    path = journal_path(quiet_free)
    assert path is not None
    # Its own descriptor, so its own lock, as another process would hold it.
    other = SendJournal.open(path.resolve(), journal_fingerprint(quiet_free))
    assert other is not None
    try:
        assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 1
    finally:
        other.close()
    sent = await row(sessionmaker, row_id)
    assert sent.status == "sent" and sent.claimed_by is None


async def test_a_claim_takes_rows_across_recipients_not_only_the_first_queued(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    """Finding 6: three chats with 30 due rows each, queued first, and ten chats with one row each.

    The first messages go to all thirteen chats, one each, instead of only to the three busy ones (whose
    per-chat spacing would then hold back the whole drain).
    """
    busy = [await person(sessionmaker, tg, MANAGER + 200 + n) for n in range(3)]
    quiet = [await person(sessionmaker, tg, MANAGER + 300 + n) for n in range(10)]
    early = utcnow() - timedelta(hours=1)
    for user_id in busy:
        for _ in range(30):
            await add_row(sessionmaker, user_id, "task_due", {"task_id": 1}, send_after=early)
    for user_id in quiet:
        await add_row(sessionmaker, user_id, "task_due", {"task_id": 1})
    async with sessionmaker() as session:
        now = utcnow()
        claimed = await outbox.claim_due(
            session, now=now, stale_before=now - SENDING_TIMEOUT, limit=CLAIM_BATCH
        )
    per_chat = Counter(c.recipient.id for c in claimed)
    assert set(per_chat) == set(busy) | set(quiet)
    assert max(per_chat.values()) <= 2
    # Everyone's first row comes before anyone's second.
    assert {c.recipient.id for c in claimed[:13]} == set(busy) | set(quiet)

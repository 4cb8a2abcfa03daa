"""``/today``: overdue and today's tasks on the user's clock, deals at risk, and the task buttons (R1c)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import TaskCb
from db.engine import writing
from db.models import AuditEntry, OutboxMessage, Task, User
from tests.conftest import ADMIN_ID
from tests.factories import make_user
from tests.harness import Harness
from tests.reminders.test_sender import add_contact, add_deal, add_row, add_task

MANAGER = 8101
OTHER = 8102
LEAD = 8103
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")
# Wednesday 20 January 2027, 13:00 in Vladivostok (UTC+10), 06:00 in Moscow.
NOW = datetime(2027, 1, 20, 3, 0, tzinfo=UTC)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


async def manager(
    sessionmaker: async_sessionmaker[AsyncSession], telegram_id: int = MANAGER, **kw: str
) -> int:
    user_id = await make_user(sessionmaker, telegram_id, **kw)
    async with writing(sessionmaker) as session:
        await session.execute(update(User).where(User.id == user_id).values(timezone="Asia/Vladivostok"))
    return user_id


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 1, day, hour, minute, tzinfo=VLADIVOSTOK).astimezone(UTC)


async def task(sessionmaker: async_sessionmaker[AsyncSession], task_id: int) -> Task:
    async with sessionmaker() as session:
        found = await session.get(Task, task_id)
        assert found is not None
        return found


async def audit_actions(sessionmaker: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


async def test_nothing_planned_gets_a_friendly_message(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], frozen: None
) -> None:
    await manager(sessionmaker)
    user = harness.user(MANAGER)

    [reply] = await user.send("/today")

    assert "ничего не запланировано" in reply
    assert user.buttons() == []


async def test_tasks_overdue_and_today_in_the_users_zone_in_order(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], frozen: None
) -> None:
    me = await manager(sessionmaker)
    other = await make_user(sessionmaker, OTHER)
    await add_task(sessionmaker, me, title="Вчерашний звонок", due_at=local(19, 10))
    await add_task(sessionmaker, me, title="Утренний звонок", due_at=local(20, 9))
    await add_task(sessionmaker, me, title="Вечерняя встреча", due_at=local(20, 18))
    await add_task(sessionmaker, me, title="Дневной звонок", due_at=local(20, 15))
    # 00:30 tomorrow in Vladivostok is still "today" in Moscow: the user's zone decides.
    await add_task(sessionmaker, me, title="Ночная задача", due_at=local(21, 0, 30))
    await add_task(sessionmaker, me, title="Уже сделано", due_at=local(20, 8), done=True)
    await add_task(sessionmaker, other, title="Чужая задача", due_at=local(20, 16))

    [reply] = await harness.user(MANAGER).send("/today")

    assert "20.01.2027" in reply
    order = ["Вчерашний звонок", "Утренний звонок", "Дневной звонок", "Вечерняя встреча"]
    positions = [reply.index(title) for title in order]
    assert positions == sorted(positions)
    assert reply.index("Просрочено") < positions[0] < positions[1] < reply.index("Задачи на сегодня")
    assert "19.01 10:00" in reply and "15:00" in reply and "18:00" in reply
    for absent in ("Ночная задача", "Уже сделано", "Чужая задача"):
        assert absent not in reply
    assert harness.user(MANAGER).buttons() == [f"{icon} {n}" for n in range(1, 5) for icon in ("✅", "🕒")]


async def test_menu_button_opens_the_plan(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], frozen: None
) -> None:
    me = await manager(sessionmaker)
    await add_task(sessionmaker, me, title="Позвонить", due_at=local(20, 15))

    [reply] = await harness.user(MANAGER).send("📅 План на день")

    assert "Позвонить" in reply


async def test_done_sets_done_at_writes_audit_and_refreshes_the_plan(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], frozen: None
) -> None:
    me = await manager(sessionmaker)
    first = await add_task(sessionmaker, me, title="Отправить КП", due_at=local(20, 15))
    second = await add_task(sessionmaker, me, title="Перезвонить", due_at=local(20, 17))
    user = harness.user(MANAGER)
    await user.send("/today")

    replies = await user.click("✅ 1")

    assert (await task(sessionmaker, first)).done_at is not None
    assert (await task(sessionmaker, second)).done_at is None
    assert "task_done" in await audit_actions(sessionmaker)
    assert replies[0] == "✅ Задача выполнена"
    plan = replies[-1]
    assert "Отправить КП" not in plan and "Перезвонить" in plan


async def test_reschedule_refuses_bad_input_then_accepts_a_valid_time(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], frozen: None
) -> None:
    me = await manager(sessionmaker)
    task_id = await add_task(sessionmaker, me, title="Встреча <b>с клиентом</b>", due_at=local(20, 15))
    user = harness.user(MANAGER)
    await user.send("/today")

    [ask] = await user.click("🕒 1")
    assert "Встреча &lt;b&gt;с клиентом&lt;/b&gt;" in ask  # escaped: shown literally
    assert "завтра 10:00" in ask

    for bad in ("когда-нибудь", "вчера 10:00", "31.02 10:00"):
        replies = await user.send(bad)
        assert len(replies) == 1 and "На когда перенести" in replies[0]
        assert (await task(sessionmaker, task_id)).due_at == local(20, 15)

    replies = await user.send("завтра 11:30")

    assert (await task(sessionmaker, task_id)).due_at == local(21, 11, 30)
    assert "21.01.2027 11:30" in replies[0]
    assert "task_rescheduled" in await audit_actions(sessionmaker)


async def test_reschedule_back_returns_to_the_plan_and_changes_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], frozen: None
) -> None:
    me = await manager(sessionmaker)
    task_id = await add_task(sessionmaker, me, title="Позвонить", due_at=local(20, 15))
    user = harness.user(MANAGER)
    await user.send("/today")
    await user.click("🕒 1")

    [plan] = await user.click("Назад")
    assert "Позвонить" in plan

    await user.send("завтра 11:30")  # no longer a reschedule answer
    assert (await task(sessionmaker, task_id)).due_at == local(20, 15)


async def test_reschedule_cancel_changes_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], frozen: None
) -> None:
    me = await manager(sessionmaker)
    task_id = await add_task(sessionmaker, me, title="Позвонить", due_at=local(20, 15))
    user = harness.user(MANAGER)
    await user.send("/today")
    await user.click("🕒 1")

    await user.click("Отмена")
    await user.send("завтра 11:30")

    assert (await task(sessionmaker, task_id)).due_at == local(20, 15)


async def test_deals_at_risk_are_listed_with_an_open_button(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], frozen: None
) -> None:
    me = await manager(sessionmaker)
    other = await make_user(sessionmaker, OTHER)
    risky_contact = await add_contact(sessionmaker, me, surname="Рискованный", given="Клиент", seed=1)
    safe_contact = await add_contact(sessionmaker, me, surname="Спокойный", given="Клиент", seed=2)
    lapsed_contact = await add_contact(sessionmaker, me, surname="Просроченный", given="Клиент", seed=3)
    foreign_contact = await add_contact(sessionmaker, other, surname="Чужой", given="Клиент", seed=4)
    # Two calendar months: a qualifying call on 23 November makes 23 January the last active day.
    risky = await add_deal(
        sessionmaker, me, risky_contact, last_qualifying_at=local(23, 12).replace(month=11, year=2026)
    )
    await add_deal(sessionmaker, me, safe_contact, last_qualifying_at=local(10, 12))
    await add_deal(
        sessionmaker, me, lapsed_contact, last_qualifying_at=local(1, 12).replace(month=11, year=2026)
    )
    await add_deal(
        sessionmaker, other, foreign_contact, last_qualifying_at=local(23, 12).replace(month=11, year=2026)
    )
    user = harness.user(MANAGER)

    [reply] = await user.send("/today")

    assert "Рискованный Клиент" in reply and "23.01.2027" in reply
    for absent in ("Спокойный", "Просроченный", "Чужой"):
        assert absent not in reply
    message = harness.message(MANAGER)
    assert message.reply_markup is not None
    data = [b.callback_data for row in message.reply_markup.inline_keyboard for b in row]
    assert data == [f"dl:open:{risky}:0"]


async def test_r1c_forged_task_button_from_another_manager_changes_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], frozen: None
) -> None:
    me = await manager(sessionmaker)
    await make_user(sessionmaker, OTHER)
    task_id = await add_task(sessionmaker, me, title="Позвонить", due_at=local(20, 15))
    intruder = harness.user(OTHER)
    await intruder.send("/today")

    for action in ("done", "resched"):
        replies = await intruder.press(TaskCb(action=action, id=task_id, src="p").pack())
        assert replies == ["Нет доступа: это задача другого сотрудника. Ничего не изменено."]

    await intruder.send("завтра 11:30")
    found = await task(sessionmaker, task_id)
    assert found.done_at is None and found.due_at == local(20, 15)
    assert "task_done" not in await audit_actions(sessionmaker)


async def test_r1c_team_lead_may_complete_a_team_members_task(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], frozen: None
) -> None:
    me = await manager(sessionmaker)
    await make_user(sessionmaker, LEAD, role="team_lead")
    task_id = await add_task(sessionmaker, me, title="Позвонить", due_at=local(20, 15))
    lead = harness.user(LEAD)
    await lead.send("/today")

    await lead.press(TaskCb(action="done", id=task_id, src="n").pack())

    assert (await task(sessionmaker, task_id)).done_at is not None


async def test_done_twice_says_already_done(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], frozen: None
) -> None:
    me = await manager(sessionmaker)
    task_id = await add_task(sessionmaker, me, title="Позвонить", due_at=local(20, 15))
    user = harness.user(MANAGER)
    await user.send("/today")
    data = TaskCb(action="done", id=task_id, src="n").pack()
    await user.press(data)

    replies = await user.press(data)

    assert replies == ["Эта задача уже выполнена. Ничего не изменено."]
    assert (await audit_actions(sessionmaker)).count("task_done") == 1


async def test_outbox_lists_failed_rows_for_admins_and_retries_them(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], frozen: None
) -> None:
    me = await manager(sessionmaker)
    admin = harness.user(ADMIN_ID)
    row_id = await add_row(sessionmaker, me, "task_due", {"task_id": 1}, status="failed")
    async with writing(sessionmaker) as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(attempts=5, last_error="TelegramServerError: Bad Gateway")
        )

    [reply] = await admin.send("/outbox")
    assert "1" in reply and "task_due" in reply and "TelegramServerError: Bad Gateway" in reply

    await admin.click("Отправить заново")
    async with sessionmaker() as session:
        retried = await session.get(OutboxMessage, row_id)
        assert retried is not None
    assert retried.status == "pending" and retried.attempts == 0
    assert retried.send_after <= datetime.now(UTC) + timedelta(seconds=1)


async def test_outbox_is_for_admins_only(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], frozen: None
) -> None:
    await manager(sessionmaker)

    [reply] = await harness.user(MANAGER).send("/outbox")

    assert "только администраторам" in reply

"""``/today``: overdue and today's tasks on the user's clock, deals at risk (R2h), routes waiting for the
approver, the task buttons (R1c) on the plan and on reminders, and the admins' ``/outbox``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.methods import SendMessage
from aiogram.types import CallbackQuery, Chat, InaccessibleMessage, InlineKeyboardMarkup, Update
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import PlanCb, TaskCb
from db.engine import writing
from db.models import AuditEntry, ClientRoute, OutboxMessage, Task, User
from tests.conftest import ADMIN_ID
from tests.factories import make_client, make_contact, make_lead, make_user
from tests.harness import Harness, TgUser, first_line, t, tp
from tests.reminders.test_sender import add_contact, add_deal, add_row, add_task

Sessionmaker = async_sessionmaker[AsyncSession]
MANAGER = 8101
OTHER = 8102
LEAD = 8103
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")
# Wednesday 20 January 2027, 13:00 in Vladivostok (UTC+10), 06:00 in Moscow.
NOW = datetime(2027, 1, 20, 3, 0, tzinfo=UTC)


async def manager(sessionmaker: Sessionmaker, telegram_id: int = MANAGER, **kw: str) -> int:
    user_id = await make_user(sessionmaker, telegram_id, **kw)
    async with writing(sessionmaker) as session:
        await session.execute(update(User).where(User.id == user_id).values(timezone="Asia/Vladivostok"))
    return user_id


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 1, day, hour, minute, tzinfo=VLADIVOSTOK).astimezone(UTC)


async def task(sessionmaker: Sessionmaker, task_id: int) -> Task:
    async with sessionmaker() as session:
        found = await session.get(Task, task_id)
        assert found is not None
        return found


async def audit_actions(sessionmaker: Sessionmaker) -> list[str]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


async def old_button(u: TgUser, data: str) -> list[str]:
    """A button on a message outside the dialogs (a reminder, an old plan)."""
    if not u.harness.messages_to(u.telegram_id):
        await u.send("/menu")
    return await u.press(data)


def tabs(current: str = "today", lang: str = "ru") -> list[str]:
    """«➕ Задача», then «📌 Сегодня», «🗓 Неделя», «⏰ Просрочено» under the plan, the one shown marked."""
    return [
        tp("today-btn-new-task", lang),
        *(
            tp(
                "today-tab-current" if view == current else "today-tab",
                lang,
                label=tp(f"today-tab-{view}", lang),
            )
            for view in ("today", "week", "overdue")
        ),
    ]


def plan_buttons(n: int, current: str = "today") -> list[str]:
    rows = [tp(key, n=i) for i in range(1, n + 1) for key in ("today-btn-done", "today-btn-resched")]
    return [*rows, *tabs(current)]


async def test_nothing_planned_gets_a_friendly_message(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
) -> None:
    await manager(sessionmaker)
    user = harness.user(MANAGER)

    [reply] = await user.send("/today")

    assert first_line("today-empty") in reply
    assert user.buttons() == tabs()


async def test_tasks_overdue_and_today_in_the_users_zone_in_order(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
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

    assert t("today-title", date="20.01.2027") in reply
    order = ["Вчерашний звонок", "Утренний звонок", "Дневной звонок", "Вечерняя встреча"]
    positions = [reply.index(title) for title in order]
    assert positions == sorted(positions)
    assert reply.index(t("today-overdue-header", count=2)) < positions[0] < positions[1]
    assert positions[1] < reply.index(t("today-today-header", count=2)) < positions[2]
    assert "19.01 10:00" in reply and "15:00" in reply and "18:00" in reply
    for absent in ("Ночная задача", "Уже сделано", "Чужая задача"):
        assert absent not in reply
    assert harness.user(MANAGER).buttons() == plan_buttons(4)


async def test_menu_button_and_the_digest_button_open_the_plan(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
) -> None:
    me = await manager(sessionmaker)
    await add_task(sessionmaker, me, title="Позвонить", due_at=local(20, 15))
    user = harness.user(MANAGER)

    [reply] = await user.send(t("menu-today"))
    assert "Позвонить" in reply

    replies = await old_button(user, PlanCb().pack())
    assert "Позвонить" in replies[-1] and user.buttons() == plan_buttons(1)


async def test_done_sets_done_at_writes_audit_and_refreshes_the_plan(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
) -> None:
    me = await manager(sessionmaker)
    first = await add_task(sessionmaker, me, title="Отправить <b>КП</b>", due_at=local(20, 15))
    second = await add_task(sessionmaker, me, title="Перезвонить", due_at=local(20, 17))
    user = harness.user(MANAGER)
    await user.send("/today")

    replies = await user.click(tp("today-btn-done", n=1))

    assert (await task(sessionmaker, first)).done_at is not None
    assert (await task(sessionmaker, second)).done_at is None
    assert "task_done" in await audit_actions(sessionmaker)
    plan = replies[-1]
    assert plan.startswith(t("today-task-done-title", title="Отправить <b>КП</b>"))
    assert "&lt;b&gt;КП&lt;/b&gt;" in plan
    assert "Перезвонить" in plan and plan.count("Отправить") == 1  # only in the notice
    assert user.buttons() == plan_buttons(1)


async def test_reschedule_refuses_bad_input_then_accepts_a_typed_time(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
) -> None:
    me = await manager(sessionmaker)
    task_id = await add_task(sessionmaker, me, title="Встреча <b>с клиентом</b>", due_at=local(20, 15))
    user = harness.user(MANAGER)
    await user.send("/today")

    ask = (await user.click(tp("today-btn-resched", n=1)))[-1]
    assert first_line("due-ask-task") in ask and "20.01.2027 15:00" in ask

    for bad, key in (("когда-нибудь", None), ("вчера 10:00", None), ("20.01 10:00", "err-due-in-past")):
        replies = await user.send(bad)
        assert len(replies) == 1 and first_line("due-ask-task") in replies[0]
        assert replies[0].startswith("⚠️")
        if key:
            assert t(key) in replies[0]
        assert (await task(sessionmaker, task_id)).due_at == local(20, 15)

    replies = await user.send("завтра 11:30")

    assert (await task(sessionmaker, task_id)).due_at == local(21, 11, 30)
    assert replies[-1].startswith(
        t("today-rescheduled", title="Встреча <b>с клиентом</b>", when="21.01.2027 11:30")
    )
    assert "task_rescheduled" in await audit_actions(sessionmaker)


async def test_reschedule_from_the_calendar(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
) -> None:
    me = await manager(sessionmaker)
    task_id = await add_task(sessionmaker, me, title="Позвонить", due_at=local(20, 15))
    user = harness.user(MANAGER)
    await user.send("/today")
    await user.click(tp("today-btn-resched", n=1))

    await user.click("22")
    replies = await user.click("12:00")

    assert (await task(sessionmaker, task_id)).due_at == local(22, 12)
    assert replies[-1].startswith(t("today-rescheduled", title="Позвонить", when="22.01.2027 12:00"))


async def test_reschedule_back_returns_to_the_plan_and_changes_nothing(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
) -> None:
    me = await manager(sessionmaker)
    task_id = await add_task(sessionmaker, me, title="Позвонить", due_at=local(20, 15))
    user = harness.user(MANAGER)
    await user.send("/today")
    await user.click(tp("today-btn-resched", n=1))

    plan = (await user.click(tp("btn-back")))[-1]
    assert "Позвонить" in plan and user.buttons() == plan_buttons(1)

    replies = await user.send("завтра 11:30")  # no longer a reschedule answer
    assert t("today-use-buttons") in replies[-1]
    assert (await task(sessionmaker, task_id)).due_at == local(20, 15)


async def test_tasks_and_deals_at_risk_open_their_cards(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
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
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, me), me)
    await add_task(sessionmaker, me, title="По лиду", due_at=local(20, 15), lead_id=lead)
    user = harness.user(MANAGER)

    [reply] = await user.send("/today")

    assert "Рискованный Клиент" in reply and "23.01.2027" in reply and f"№{risky}" in reply
    for absent in ("Спокойный", "Просроченный", "Чужой"):
        assert absent not in reply
    rows = plan_buttons(1)[:2]
    assert user.buttons() == [*rows, tp("today-btn-open", n=1), tp("today-btn-open", n=2), *tabs()]
    card = (await user.click(tp("today-btn-open", n=2)))[-1]
    assert "Рискованный Клиент" in card
    await user.send("/today")
    card = (await user.click(tp("today-btn-open", n=1)))[-1]
    assert f"{lead}" in card


async def test_pending_routes_come_first_for_the_approver(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
) -> None:
    approver = await manager(sessionmaker, LEAD, role="team_lead", full_name="Ольга Руководитель")
    requester = await make_user(sessionmaker, OTHER, full_name="Пётр Сидоров")
    client = await make_client(sessionmaker, requester, "ООО <Ромашка>")
    async with writing(sessionmaker) as session:
        route = ClientRoute(client_id=client, requester_id=requester, approver_id=approver,
                            legal_name="ООО Ромашка", inn="7707083893", kind="customer")  # fmt: skip
        session.add(route)
        await session.flush()
        route_id = route.id
    await add_task(sessionmaker, approver, title="Позвонить", due_at=local(20, 15))
    chief = harness.user(LEAD)

    [reply] = await chief.send("/today")

    assert first_line("clients-today-routes-title", count=1) in reply
    assert reply.index("ООО &lt;Ромашка&gt;") < reply.index("Позвонить")
    label = tp("clients-btn-show-route", client="ООО <Ромашка>")
    assert chief.buttons() == [label, *plan_buttons(1)]
    request = (await chief.click(label))[-1]
    assert "7707083893" in request and tp("clients-btn-approve") in chief.buttons()
    async with sessionmaker() as session:
        found = await session.get(ClientRoute, route_id)
    assert found is not None and found.status == "pending"


async def test_r1c_forged_task_buttons_from_another_manager_change_nothing(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
) -> None:
    me = await manager(sessionmaker)
    await manager(sessionmaker, OTHER)
    task_id = await add_task(sessionmaker, me, title="Позвонить", due_at=local(20, 15))
    own = await add_task(
        sessionmaker, await make_user(sessionmaker, 8104), title="Другое", due_at=local(20, 16)
    )
    intruder = harness.user(OTHER)
    await intruder.send("/today")

    for action in ("done", "resched"):  # buttons of a reminder or of an old plan message
        replies = await intruder.press(TaskCb(action=action, id=task_id, src="p").pack())
        assert replies == [tp("today-access-denied")]  # the refusal's own words, from the one error handler

    # A plan button whose item id is forged to someone else's task.
    await add_task(sessionmaker, (await _user_id(sessionmaker, OTHER)), title="Моё", due_at=local(20, 17))
    await intruder.send("/today")
    message = harness.message(OTHER)
    assert isinstance(message.reply_markup, InlineKeyboardMarkup)
    for button in message.reply_markup.inline_keyboard[0]:
        data = button.callback_data
        assert data is not None
        intent, rest = data.split("\x1d", 1) if "\x1d" in data else ("", data)
        widget, _item, action = rest.split(":", 2)
        forged = (f"{intent}\x1d" if intent else "") + f"{widget}:{task_id}:{action}"
        assert await intruder.press(forged) == [tp("today-access-denied")]

    found = await task(sessionmaker, task_id)
    assert found.done_at is None and found.due_at == local(20, 15)
    assert "task_done" not in await audit_actions(sessionmaker)
    assert (await task(sessionmaker, own)).done_at is None


async def _user_id(sessionmaker: Sessionmaker, telegram_id: int) -> int:
    async with sessionmaker() as session:
        found = await session.scalar(select(User.id).where(User.telegram_id == telegram_id))
        assert found is not None
        return found


async def test_reminder_done_button_and_the_team_leads_right(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
) -> None:
    me = await manager(sessionmaker)
    await make_user(sessionmaker, LEAD, role="team_lead")
    mine = await add_task(sessionmaker, me, title="Позвонить", due_at=local(20, 15))
    theirs = await add_task(sessionmaker, me, title="Отправить КП", due_at=local(20, 16))
    user = harness.user(MANAGER)

    replies = await old_button(user, TaskCb(action="done", id=mine, src="n").pack())
    assert replies == [tp("today-task-done"), t("today-task-done-title", title="Позвонить")]
    assert await old_button(user, TaskCb(action="done", id=mine, src="n").pack()) == [tp("today-task-gone")]
    assert (await audit_actions(sessionmaker)).count("task_done") == 1

    lead = harness.user(LEAD)
    await old_button(lead, TaskCb(action="done", id=theirs, src="n").pack())
    assert (await task(sessionmaker, theirs)).done_at is not None


async def test_outbox_lists_failed_rows_for_admins_and_retries_them(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
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
    assert first_line("today-outbox-title", count=1) in reply
    assert "task_due" in reply and "TelegramServerError: Bad Gateway" in reply

    replies = await admin.click(tp("today-outbox-btn-retry"))
    assert t("today-outbox-retried", count=1) in replies[-1] and t("today-outbox-none") in replies[-1]
    async with sessionmaker() as session:
        retried = await session.get(OutboxMessage, row_id)
        assert retried is not None
    assert retried.status == "pending" and retried.attempts == 0
    assert retried.send_after <= datetime.now(UTC) + timedelta(seconds=1)


async def test_outbox_is_for_admins_only(harness: Harness, sessionmaker: Sessionmaker, frozen: None) -> None:
    await manager(sessionmaker)

    [reply] = await harness.user(MANAGER).send("/outbox")

    assert reply == t("admin-only")


async def test_english_user_sees_the_plan_in_english(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
) -> None:
    me = await manager(sessionmaker)
    await add_task(sessionmaker, me, title="Call", due_at=local(20, 15))
    user = harness.user(MANAGER, language_code="en")
    [reply] = await user.send("/today")
    assert t("today-title", "en", date="20.01.2027") in reply and t("today-legend", "en") in reply
    assert user.buttons() == [
        tp("today-btn-done", "en", n=1),
        tp("today-btn-resched", "en", n=1),
        *tabs(lang="en"),
    ]


async def test_plan_buttons_on_a_gone_or_inline_message_are_out_of_date(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
) -> None:
    me = await manager(sessionmaker)
    task_id = await add_task(sessionmaker, me, title="Позвонить", due_at=local(20, 15))
    user = harness.user(MANAGER)
    gone = InaccessibleMessage(chat=Chat(id=MANAGER, type="private"), message_id=1, date=0)
    for n, data in enumerate((PlanCb().pack(), TaskCb(action="resched", id=task_id, src="p").pack())):
        for m, message in enumerate((gone, None)):
            query = CallbackQuery(
                id=f"{n}{m}", from_user=user.user, chat_instance="ci", message=message, data=data
            )
            replies = await user.feed(Update(update_id=7_000_000 + 10 * n + m, callback_query=query))
            assert replies == [tp("button-stale")], (data, message)
    assert harness.calls(SendMessage) == []

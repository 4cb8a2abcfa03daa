"""The plan's three views: «📌 Сегодня», «🗓 Неделя» (the next seven days, by day) and «⏰ Просрочено».

A task moved to another day stays in view: it leaves today's plan and shows in the week under its new day.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.factories import make_user
from tests.harness import Harness, first_line, t, tp
from tests.reminders.test_sender import add_task
from tests.today.test_today import MANAGER, OTHER, local, manager, tabs, task

Sessionmaker = async_sessionmaker[AsyncSession]


def tab(view: str) -> str:
    return tp("today-tab", label=tp(f"today-tab-{view}"))


async def test_a_task_moved_to_tomorrow_leaves_today_and_shows_in_the_week(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
) -> None:
    me = await manager(sessionmaker)
    await add_task(sessionmaker, me, title="Позвонить в «Ромашку»", due_at=local(20, 15))
    user = harness.user(MANAGER)
    await user.send("/today")
    await user.click(tp("today-btn-resched", n=1))
    plan = (await user.send("завтра 11:30"))[-1]
    assert first_line("today-empty") in plan  # nothing is left for today…
    week = (await user.click(tab("week")))[-1]  # …and the task is under Thursday in the week
    assert t("today-week-title", start="20.01", end="26.01") in week
    thursday = t("today-week-day", weekday=tp("weekday-short-3"), date="21.01")
    assert week.index(thursday) < week.index("11:30 — Позвонить в «Ромашку»")
    assert user.buttons() == [
        tp("today-btn-done", n=1),
        tp("today-btn-resched", n=1),
        *tabs("week"),
    ]


async def test_the_week_lists_seven_days_by_day_and_its_buttons_act(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
) -> None:
    me = await manager(sessionmaker)
    other = await make_user(sessionmaker, OTHER)
    await add_task(sessionmaker, me, title="Встреча в пятницу", due_at=local(22, 10))
    first = await add_task(sessionmaker, me, title="Звонок сегодня", due_at=local(20, 17))
    await add_task(sessionmaker, me, title="Звонок в среду через неделю", due_at=local(27, 9))
    await add_task(sessionmaker, me, title="Вчерашний звонок", due_at=local(19, 10))
    await add_task(sessionmaker, me, title="Сделанный", due_at=local(21, 10), done=True)
    await add_task(sessionmaker, other, title="Чужой", due_at=local(21, 10))
    user = harness.user(MANAGER)
    await user.send("/today")
    week = (await user.click(tab("week")))[-1]
    wednesday = t("today-week-day", weekday=tp("weekday-short-2"), date="20.01")
    friday = t("today-week-day", weekday=tp("weekday-short-4"), date="22.01")
    order = [wednesday, "17:00 — Звонок сегодня", friday, "10:00 — Встреча в пятницу"]
    positions = [week.index(line) for line in order]
    assert positions == sorted(positions)
    for absent in ("через неделю", "Вчерашний", "Сделанный", "Чужой"):
        assert absent not in week
    replies = await user.click(tp("today-btn-done", n=1))  # «Звонок сегодня», the first line of the week
    assert (await task(sessionmaker, first)).done_at is not None
    assert "Звонок сегодня" not in replies[-1].split("\n", 1)[1] and "Встреча в пятницу" in replies[-1]
    assert user.buttons()[-4:] == tabs("week")  # the view stays the week


async def test_overdue_lists_every_overdue_task_with_its_date(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
) -> None:
    me = await manager(sessionmaker)
    user = harness.user(MANAGER)
    await user.send("/today")
    assert t("today-overdue-empty") in (await user.click(tab("overdue")))[-1]
    for day in (5, 12, 19):
        await add_task(sessionmaker, me, title=f"Долг {day}", due_at=local(day, 9))
    await add_task(sessionmaker, me, title="Позже", due_at=local(20, 18))
    overdue = (await user.send("/today"))[-1]
    overdue = (await user.click(tab("overdue")))[-1]
    assert t("today-overdue-title", count=3) in overdue
    lines = ["05.01 09:00 — Долг 5", "12.01 09:00 — Долг 12", "19.01 09:00 — Долг 19"]
    assert [overdue.index(line) for line in lines] == sorted(overdue.index(line) for line in lines)
    assert "Позже" not in overdue
    today = (await user.click(tab("today")))[-1]
    assert "Позже" in today


async def test_a_forged_view_is_out_of_date(
    harness: Harness, sessionmaker: Sessionmaker, frozen: None
) -> None:
    await manager(sessionmaker)
    user = harness.user(MANAGER)
    await user.send("/today")
    message = harness.message(MANAGER)
    assert message.reply_markup is not None
    [week] = [b for row in message.reply_markup.inline_keyboard for b in row if b.text == tab("week")]
    assert week.callback_data is not None and week.callback_data.endswith(":week")
    replies = await user.press(week.callback_data.removesuffix("week") + "reports")
    assert replies == [tp("button-stale")]

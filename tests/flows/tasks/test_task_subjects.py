"""Tasks that stay in view: personal tasks (``/task``, «➕ Задача» on the plan), tasks on clients (R1c:
whoever may manage the client), a team lead's or admin's task for a team member («Кому», R1c, told through
the outbox), and the open tasks listed on lead, deal and client cards."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import DealCb, LeadCb
from db.engine import writing
from db.models import Client, Lead, OutboxMessage, Task, User
from db.repo import outbox
from db.repo import tasks as repo
from domain import limits
from domain.access import Actor, Role
from domain.due import DueAt
from domain.errors import Gone, NotAllowed
from tests.factories import make_client, make_deal, make_user
from tests.flows.interactions.helpers import LEAD_TG, MANAGER, OTHER, button_data, count, setup_lead
from tests.harness import Harness, TgUser, first_line, t, tp
from tests.registry import open_client

Sessionmaker = async_sessionmaker[AsyncSession]
TITLE = "Подготовить <b>КП</b> & прайс"
ZONE = ZoneInfo("Europe/Moscow")


async def only_task(sessionmaker: Sessionmaker) -> Task:
    async with sessionmaker() as session:
        rows = list(await session.scalars(select(Task)))
    assert len(rows) == 1
    return rows[0]


async def add_task(
    sessionmaker: Sessionmaker, assignee: int, title: str, *, hours: int = 24, done: bool = False, **on: int
) -> int:
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=hours)
    async with writing(sessionmaker) as session:
        task = repo.add_task(
            session, title=title, due_at=due, assignee_id=assignee, created_by_id=assignee, **on
        )
        if done:
            task.done_at = datetime.now(UTC)
        await session.flush()
        return task.id


async def notices(sessionmaker: Sessionmaker) -> list[OutboxMessage]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == outbox.TASK_ASSIGNED))
        )


def tomorrow_at_15() -> str:
    return f"{datetime.now(ZONE).date() + timedelta(days=1):%d.%m.%Y} 15:00"


# --- personal tasks ------------------------------------------------------------------------------------


async def test_a_personal_task_from_the_plan_in_five_actions(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    me = await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    actions = 0
    await u.send("/today")
    actions += 1
    reply = (await u.click(tp("today-btn-new-task")))[-1]
    actions += 1
    assert first_line("task-ask-title", subject=tp("task-subject-self")) in reply
    await u.send(TITLE)
    actions += 1
    summary = (await u.send("завтра в 15:00"))[-1]
    actions += 1
    assert (
        t(
            "task-summary",
            subject=tp("task-subject-self"),
            title=TITLE,
            due=tomorrow_at_15(),
            assignee=tp("task-assignee-me"),
        )
        in summary
    )
    assert tp("task-btn-edit-assignee") not in u.buttons(), "a manager sets tasks for themselves only"
    assert await count(sessionmaker, Task) == 0
    saved = (await u.click(tp("btn-save")))[-1]
    actions += 1
    assert saved == t("task-added", title=TITLE, due=tomorrow_at_15())
    assert actions == 5
    task = await only_task(sessionmaker)
    assert (task.assignee_id, task.created_by_id, task.lead_id, task.deal_id, task.client_id) == (
        me,
        me,
        None,
        None,
        None,
    )
    assert await notices(sessionmaker) == [], "nobody is told about one's own task"
    plan = (await u.click(tp("task-btn-open-self")))[-1]
    assert first_line("today-title", date=datetime.now(ZONE).strftime("%d.%m.%Y")) in plan


async def test_task_command_starts_a_personal_task_and_cancel_saves_nothing(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    assert first_line("task-ask-title", subject=tp("task-subject-self")) in (await u.send("/task"))[-1]
    assert (
        t("task-title-invalid", min=limits.TASK_TITLE_MIN, max=limits.TASK_TITLE).split(".")[0]
        in (await u.send("a"))[-1]
    )
    await u.send("Позвонить поставщику")
    await u.send("/cancel")
    assert await count(sessionmaker, Task) == 0


async def test_back_from_the_title_returns_to_the_plan(harness: Harness, sessionmaker: Sessionmaker) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await u.send("/today")
    await u.click(tp("today-btn-new-task"))
    await u.click(tp("btn-back"))
    assert tp("today-btn-new-task") in u.buttons()
    assert await count(sessionmaker, Task) == 0


# --- tasks on clients ----------------------------------------------------------------------------------


async def test_a_task_on_a_client_from_its_card_is_listed_there(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    me = await make_user(sessionmaker, MANAGER)
    client = await make_client(sessionmaker, me, "ООО <Ромашка>")
    u = harness.user(MANAGER)
    await open_client(u, client)
    assert tp("card-btn-task") in u.buttons()
    reply = (await u.click(tp("card-btn-task")))[-1]
    assert first_line("task-ask-title", subject=tp("task-subject-client", id=client)) in reply
    await u.send(TITLE)
    summary = (await u.send("завтра в 15:00"))[-1]
    assert tp("task-subject-client", id=client) in summary
    await u.click(tp("btn-save"))
    task = await only_task(sessionmaker)
    assert (task.client_id, task.assignee_id, task.lead_id, task.deal_id) == (client, me, None, None)
    card = (await u.click(tp("task-btn-open-client", id=client)))[-1]
    assert t("card-task-line", due=tomorrow_at_15(), title=TITLE) in card
    assert "&lt;b&gt;КП&lt;/b&gt; &amp; прайс" in card, "the title is escaped"


async def test_r1c_a_client_someone_else_keeps_takes_no_task(sessionmaker: Sessionmaker) -> None:
    owner = await make_user(sessionmaker, MANAGER)
    stranger = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    client = await make_client(sessionmaker, owner)
    due = datetime.now(UTC) + timedelta(days=1)
    async with sessionmaker() as session:
        with pytest.raises(NotAllowed):
            await repo.add_subject_task(
                session, Actor(stranger, Role.MANAGER, None), "client", client, "Позвонить", due
            )
        with pytest.raises(Gone):  # a forged client id
            await repo.add_subject_task(
                session, Actor(owner, Role.MANAGER, None), "client", 999_999, "Звонок", due
            )
    assert await count(sessionmaker, Task) == 0


async def test_r1c_a_client_handed_over_while_the_form_is_open_refuses_the_save(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    me = await make_user(sessionmaker, MANAGER)
    other = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    client = await make_client(sessionmaker, me)
    u = harness.user(MANAGER)
    await open_client(u, client)
    await u.click(tp("card-btn-task"))
    await u.send(TITLE)
    await u.send("завтра в 15:00")
    async with writing(sessionmaker) as session:
        await session.execute(
            update(Client).where(Client.id == client).values(responsible_id=other, created_by_id=other)
        )
    assert (await u.click(tp("btn-save"))) == [tp("access-denied")]
    assert await count(sessionmaker, Task) == 0


# --- «Кому»: a team lead's task for a team member ------------------------------------------------------


async def _lead_and_member(sessionmaker: Sessionmaker) -> tuple[int, int, int]:
    boss = await make_user(sessionmaker, LEAD_TG, role="team_lead", full_name="Ольга Руководитель")
    member = await make_user(sessionmaker, MANAGER, full_name="Пётр <Новиков>")
    outsider = await make_user(sessionmaker, OTHER, team="Продажи Юг", full_name="Чужой Менеджер")
    return boss, member, outsider


async def _summary(u: TgUser) -> str:
    await u.send("/task")
    await u.send(TITLE)
    return (await u.send("завтра в 15:00"))[-1]


async def test_team_lead_sets_a_personal_task_for_a_member_who_is_told_once(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    boss, member, _ = await _lead_and_member(sessionmaker)
    u = harness.user(LEAD_TG)
    assert tp("task-assignee-me") in await _summary(u)
    choices = (await u.click(tp("task-btn-edit-assignee")))[-1]
    assert first_line("task-ask-assignee") in choices
    assert "Чужой Менеджер" not in u.buttons(), "R1c: only the team"
    summary = (await u.click("Пётр <Новиков>"))[-1]
    assert "Пётр &lt;Новиков&gt;" in summary
    await u.click(tp("btn-save"))
    task = await only_task(sessionmaker)
    assert (task.assignee_id, task.created_by_id) == (member, boss)
    [row] = await notices(sessionmaker)
    assert row.recipient_id == member and json.loads(row.payload) == {"task_id": task.id}
    assert row.status == "pending"


async def test_a_task_on_a_members_lead_goes_to_the_chosen_member_and_is_listed_on_the_card(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    boss, member, _ = await _lead_and_member(sessionmaker)
    lead_owner = await make_user(sessionmaker, 604, full_name="Владелец Лида")
    _, lead = await setup_lead(sessionmaker, 605)
    async with writing(sessionmaker) as session:
        await session.execute(update(Lead).where(Lead.id == lead).values(responsible_id=lead_owner))
    u = harness.user(LEAD_TG)
    await u.send("/menu")
    await u.press(LeadCb(action="task", id=lead).pack())
    await u.send(TITLE)
    summary = (await u.send("завтра в 15:00"))[-1]
    assert "Владелец Лида" in summary, "by default the responsible manager"
    await u.click(tp("task-btn-edit-assignee"))
    await u.click("Пётр <Новиков>")
    await u.click(tp("btn-save"))
    task = await only_task(sessionmaker)
    assert (task.lead_id, task.assignee_id) == (lead, member)
    assert len(await notices(sessionmaker)) == 1
    card = (await u.click(tp("task-btn-open-lead", id=lead)))[-1]
    assert t("card-task-line-for", due=tomorrow_at_15(), title=TITLE, who="Пётр <Новиков>") in card
    assert boss != member


async def test_a_manager_cannot_assign_to_others_even_with_a_forged_button(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    me = await make_user(sessionmaker, MANAGER)
    mate = await make_user(sessionmaker, OTHER)  # the same team
    u = harness.user(MANAGER)
    await _summary(u)
    assert tp("task-btn-edit-assignee") not in u.buttons()
    genuine = button_data(harness, MANAGER, tp("task-btn-edit-due"))
    forged = genuine.replace(":due", ":assignee")
    assert forged != genuine
    await u.press(forged)
    assert first_line("task-ask-assignee") not in harness.message(MANAGER).text
    due = datetime.now(UTC) + timedelta(days=1)
    async with sessionmaker() as session:
        with pytest.raises(NotAllowed):
            await repo.add_subject_task(
                session, Actor(me, Role.MANAGER, None), repo.PERSONAL, 0, "Звонок", due, assignee_id=mate
            )
    assert await count(sessionmaker, Task) == 0
    assert await notices(sessionmaker) == []


async def test_a_team_lead_cannot_assign_outside_the_team(sessionmaker: Sessionmaker) -> None:
    boss, _member, outsider = await _lead_and_member(sessionmaker)
    async with sessionmaker() as session:
        team = (await session.get(User, boss)).team_id  # type: ignore[union-attr]
        with pytest.raises(NotAllowed):
            await repo.add_subject_task(
                session,
                Actor(boss, Role.TEAM_LEAD, team),
                repo.PERSONAL,
                0,
                "Звонок",
                datetime.now(UTC) + timedelta(days=1),
                assignee_id=outsider,
            )
    assert await count(sessionmaker, Task) == 0
    assert await notices(sessionmaker) == []


# --- open tasks on the cards ---------------------------------------------------------------------------


def _due(task_hours: int) -> str:
    return DueAt(datetime.now(UTC).replace(microsecond=0) + timedelta(hours=task_hours)).display(ZONE)


async def test_lead_card_lists_open_tasks_only_at_most_five(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    me, lead = await setup_lead(sessionmaker)
    for hours in range(1, 7):
        await add_task(sessionmaker, me, f"Звонок {hours}", hours=hours * 24, lead_id=lead)
    await add_task(sessionmaker, me, "Сделанная задача", hours=2, done=True, lead_id=lead)
    u = harness.user(MANAGER)
    await u.send("/menu")
    card = (await u.press(LeadCb(action="open", id=lead).pack()))[-1]
    assert t("card-tasks-title", count=6) in card
    assert all(f"Звонок {n}" in card for n in range(1, 6))
    assert "Звонок 6" not in card and t("card-tasks-more", count=1) in card
    assert "Сделанная задача" not in card


async def test_deal_card_lists_its_open_tasks_with_the_assignee(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    me, lead = await setup_lead(sessionmaker)
    deal = await make_deal(sessionmaker, lead, me)
    other = await make_user(sessionmaker, OTHER, full_name="Анна <Коллега>")
    await add_task(sessionmaker, other, "Привезти <образцы>", deal_id=deal)
    u = harness.user(MANAGER)
    await u.send("/menu")
    card = (await u.press(DealCb(action="open", id=deal).pack()))[-1]
    assert "Привезти &lt;образцы&gt;" in card and "Анна &lt;Коллега&gt;" in card


async def test_a_card_without_open_tasks_shows_no_task_list(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    me = await make_user(sessionmaker, MANAGER)
    client = await make_client(sessionmaker, me)
    await add_task(sessionmaker, me, "Сделанная задача", done=True, client_id=client)
    u = harness.user(MANAGER)
    card = (await open_client(u, client))[-1]
    assert first_line("card-tasks-title", count=1).split("(")[0] not in card
    assert "Сделанная задача" not in card

"""Tasks on leads and deals: a title, a due time from the calendar or typed («завтра в 15:00»), a summary;
the task goes to the responsible manager (R1c) and only on an open lead or deal."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import DealCb, LeadCb
from db.models import AuditEntry, Lead, Task
from domain import limits
from tests.factories import make_deal, make_user
from tests.flows.interactions.helpers import LEAD_TG, MANAGER, OTHER, button_data, count, setup_lead
from tests.harness import Harness, TgUser, first_line, t, tp

TITLE = "Позвонить и уточнить бюджет на сканеры"
ZONE = ZoneInfo("Europe/Moscow")


async def start_on_lead(harness: Harness, lead: int, telegram_id: int = MANAGER) -> tuple[TgUser, list[str]]:
    u = harness.user(telegram_id)
    await u.send("/menu")
    return u, await u.press(LeadCb(action="task", id=lead).pack())


async def only_task(sessionmaker: async_sessionmaker[AsyncSession]) -> Task:
    async with sessionmaker() as session:
        rows = list(await session.scalars(select(Task)))
    assert len(rows) == 1
    return rows[0]


async def test_a_task_on_a_lead_with_a_typed_due_time(harness: Harness, sessionmaker) -> None:
    manager, lead = await setup_lead(sessionmaker)
    u, replies = await start_on_lead(harness, lead)
    assert first_line("task-ask-title", subject=tp("task-subject-lead", id=lead)) in replies[-1]
    assert first_line("due-ask-task") in (await u.send(TITLE))[-1]
    summary = (await u.send("завтра в 15:00"))[-1]
    tomorrow = datetime.now(ZONE).date() + timedelta(days=1)
    assert f"{tomorrow:%d.%m.%Y} 15:00" in summary and TITLE in summary
    assert await count(sessionmaker, Task) == 0, "nothing is saved before «Сохранить»"
    saved = (await u.click(tp("btn-save")))[-1]
    assert saved == t("task-added", title=TITLE, due=f"{tomorrow:%d.%m.%Y} 15:00")
    task = await only_task(sessionmaker)
    expected = datetime.combine(tomorrow, time(15, 0), tzinfo=ZONE).astimezone(UTC)
    assert (task.title, task.due_at, task.assignee_id, task.lead_id, task.deal_id) == (
        TITLE,
        expected,
        manager,
        lead,
        None,
    )
    async with sessionmaker() as session:
        audit = await session.scalar(select(AuditEntry.action).where(AuditEntry.entity == "lead"))
    assert audit == "task_added"
    card = (await u.click(tp("task-btn-open-lead", id=lead)))[-1]
    assert f"№{lead}" in card and "Иванов Иван Иванович" in card


async def test_a_task_on_a_deal_with_a_day_from_the_calendar_and_a_time(
    harness: Harness, sessionmaker
) -> None:
    manager, lead = await setup_lead(sessionmaker)
    deal = await make_deal(sessionmaker, lead, manager)
    u = harness.user(MANAGER)
    await u.send("/menu")
    await u.press(DealCb(action="task", id=deal).pack())
    await u.send(TITLE)
    await u.click("Январь »")
    year = datetime.now(ZONE).year + 1
    assert f"15.01.{year}" in (await u.click("15"))[-1]
    assert t("due-err-time") in (await u.send("после обеда"))[-1]
    assert t("due-err-time") in (await u.send("25:00"))[-1]
    summary = (await u.send("9:30"))[-1]
    assert f"15.01.{year} 09:30" in summary and tp("task-subject-deal", id=deal) in summary
    await u.click(tp("btn-save"))
    task = await only_task(sessionmaker)
    assert task.deal_id == deal and task.lead_id is None and task.assignee_id == manager
    assert task.due_at.astimezone(ZONE).strftime("%d.%m.%Y %H:%M") == f"15.01.{year} 09:30"


async def test_invalid_title_and_due_are_refused_and_nothing_is_saved(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await start_on_lead(harness, lead)
    too_short = t("task-title-invalid", min=limits.TASK_TITLE_MIN, max=limits.TASK_TITLE)
    assert too_short in (await u.send("ок"))[-1]
    assert t("form-err-text-expected") in (await u.share_contact("+79123456789", "Иван"))[-1]
    await u.send(TITLE)
    assert t("err-due-in-past") in (await u.send("01.01.2020 10:00"))[-1]
    assert first_line("err-due-format") in (await u.send("когда-нибудь"))[-1]
    assert await count(sessionmaker, Task) == 0
    assert TITLE in (await u.send("через 3 дня"))[-1]


async def test_edits_on_the_summary_return_to_it(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await start_on_lead(harness, lead)
    await u.send(TITLE)
    before = (await u.send("через 3 дня"))[-1]
    await u.click(tp("task-btn-edit-title"))
    assert (await u.click(tp("btn-back")))[-1] == before
    await u.click(tp("task-btn-edit-title"))
    assert "Отправить КП" in (await u.send("Отправить КП по сканерам"))[-1]
    await u.click(tp("task-btn-edit-due"))
    assert "11:00" in (await u.send("завтра в 11:00"))[-1]
    await u.click(tp("btn-save"))
    task = await only_task(sessionmaker)
    assert task.title == "Отправить КП по сканерам" and task.due_at.astimezone(ZONE).hour == 11


async def test_text_on_the_summary_shows_it_again(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await start_on_lead(harness, lead)
    await u.send(TITLE)
    await u.send("через 3 дня")
    assert t("task-use-buttons") in (await u.send("сохрани"))[-1]
    assert await count(sessionmaker, Task) == 0


async def test_cancel_saves_nothing_and_the_save_button_goes_stale(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await start_on_lead(harness, lead)
    await u.send(TITLE)
    await u.send("через 3 дня")
    save = button_data(harness, MANAGER, tp("btn-save"))
    summary_id = harness.message(MANAGER).message_id
    assert t("cancelled") in (await u.click(tp("btn-cancel")))[-1]
    assert (await u.press(save, message_id=summary_id)) == [tp("button-stale")]
    assert await count(sessionmaker, Task) == 0


async def test_back_from_the_title_opens_the_card(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await start_on_lead(harness, lead)
    card = (await u.click(tp("btn-back")))[-1]
    assert f"№{lead}" in card and "Иванов Иван Иванович" in card
    assert await count(sessionmaker, Task) == 0


async def test_r1c_another_managers_task_button_is_refused(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    await make_user(sessionmaker, OTHER, team="Продажи Юг")
    u, replies = await start_on_lead(harness, lead, OTHER)
    assert replies == [tp("access-denied")]
    assert t("stray-message") in (await u.send("Позвонить клиенту завтра"))[-1]
    assert await count(sessionmaker, Task) == 0


async def test_r1c_team_lead_sets_a_task_for_the_member(harness: Harness, sessionmaker) -> None:
    member, lead = await setup_lead(sessionmaker)
    await make_user(sessionmaker, LEAD_TG, role="team_lead")
    u, _ = await start_on_lead(harness, lead, LEAD_TG)
    await u.send(TITLE)
    await u.send("через 3 дня")
    await u.click(tp("btn-save"))
    assert (await only_task(sessionmaker)).assignee_id == member


async def test_a_closed_lead_takes_no_task_even_when_closed_on_the_summary(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await start_on_lead(harness, lead)
    await u.send(TITLE)
    await u.send("через 3 дня")
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Lead).where(Lead.id == lead).values(status="rejected"))
    assert (await u.click(tp("btn-save"))) == [tp("record-closed")]
    assert await count(sessionmaker, Task) == 0
    await u.send("/cancel")
    assert (await u.press(LeadCb(action="task", id=lead).pack())) == [tp("record-closed")]


async def test_english_user_sees_english(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = harness.user(MANAGER, language_code="en")
    await u.send("/menu")
    reply = (await u.press(LeadCb(action="task", id=lead).pack()))[-1]
    assert first_line("task-ask-title", "en", subject=tp("task-subject-lead", "en", id=lead)) in reply
    assert first_line("due-ask-task", "en") in (await u.send("Call the director"))[-1]
    summary = (await u.send("tomorrow 15:00"))[-1]
    assert "Check the task" in summary and tp("btn-save", "en") in u.buttons()

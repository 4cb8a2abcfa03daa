"""Rendering at send time: each kind's text and buttons, escaping, the language, and "no longer applies".

Sent through the HTTP fake Bot API with HTML parse mode, which refuses malformed markup, so an unescaped
name fails the send.
"""

# The fixtures (tg, bot, hub, quiet_free) are imported from test_sender, so pytest sees them as parameters.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

from aiogram import Bot
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import DealCb, LeadCb, PlanCb, TaskCb
from bot.i18n import TranslatorHub
from bot.notifications import render
from bot.sender import drain_outbox
from bot.settings import Settings
from db.base import utcnow
from db.engine import writing
from db.models import Deal, User
from db.repo.deals import get_deal, state_of
from tests.fakeapi import FakeTelegram, iter_buttons
from tests.reminders.test_sender import (  # noqa: F401 - fixtures
    ADMIN,
    LEAD,
    MANAGER,
    add_contact,
    add_deal,
    add_row,
    add_task,
    bot,
    delivered,
    hub,
    person,
    quiet_free,
    row,
    tg,
)

NASTY_SURNAME = "<b>Жирный</b>"
NASTY_GIVEN = "Иван & Ко"
NASTY_NAME = f"{NASTY_SURNAME} {NASTY_GIVEN}"


async def deadline_day(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, deal_id: int
) -> str:
    async with sessionmaker() as session:
        deal = await get_deal(session, deal_id)
        assert deal is not None
        state = state_of(
            deal, utcnow(), settings.inactivity_period, settings.comment_policy, settings.default_zone
        )
        assert state.deadline_day is not None
        return state.deadline_day.isoformat()


def sent_message(tg: FakeTelegram, chat_id: int) -> dict[str, object]:
    [call] = [c for c in tg.calls_to("sendMessage", ok_only=True) if c.params.get("chat_id") == chat_id]
    assert isinstance(call.result, dict)
    return call.result


def callbacks(message: dict[str, object]) -> list[str]:
    return [button["callback_data"] for button in iter_buttons(message)]  # type: ignore[index]


async def deal_setup(
    sessionmaker: async_sessionmaker[AsyncSession], tg: FakeTelegram, *, days_ago: int = 55
) -> tuple[int, int]:
    manager = await person(sessionmaker, tg, MANAGER, full_name="Петров Пётр")
    contact = await add_contact(sessionmaker, manager, surname=NASTY_SURNAME, given=NASTY_GIVEN)
    deal = await add_deal(
        sessionmaker,
        manager,
        contact,
        last_qualifying_at=utcnow() - timedelta(days=days_ago),
        amount_minor=15_000_050,
    )
    return manager, deal


async def test_deal_reminder_has_log_open_lost_and_shows_names_literally(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager, deal = await deal_setup(sessionmaker, tg)
    day = await deadline_day(sessionmaker, quiet_free, deal)
    await add_row(
        sessionmaker, manager, "deal_reminder", {"deal_id": deal, "days_left": 7, "deadline_day": day}
    )

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 1

    message = sent_message(tg, MANAGER)
    assert NASTY_NAME in str(message["text"])  # shown literally, not as markup
    assert f"№{deal}" in str(message["text"])
    assert callbacks(message) == [
        DealCb(action="log", id=deal).pack(),
        DealCb(action="open", id=deal).pack(),
        DealCb(action="lost", id=deal).pack(),
    ]


async def test_deal_reminder_skipped_when_the_deal_was_closed(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager, deal = await deal_setup(sessionmaker, tg)
    day = await deadline_day(sessionmaker, quiet_free, deal)
    row_id = await add_row(
        sessionmaker, manager, "deal_reminder", {"deal_id": deal, "days_left": 3, "deadline_day": day}
    )
    async with writing(sessionmaker) as session:
        await session.execute(update(Deal).where(Deal.id == deal).values(status="lost", closed_at=utcnow()))

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 0
    assert tg.calls_to("sendMessage") == []
    assert (await row(sessionmaker, row_id)).status == "skipped"


async def test_deal_reminder_skipped_when_the_deal_was_prolonged(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager, deal = await deal_setup(sessionmaker, tg)
    day = await deadline_day(sessionmaker, quiet_free, deal)
    row_id = await add_row(
        sessionmaker, manager, "deal_reminder", {"deal_id": deal, "days_left": 7, "deadline_day": day}
    )
    # A qualifying interaction since the reminder was queued moves the deadline.
    async with writing(sessionmaker) as session:
        await session.execute(update(Deal).where(Deal.id == deal).values(last_qualifying_at=utcnow()))

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 0
    assert (await row(sessionmaker, row_id)).status == "skipped"


async def test_deal_inactive_has_log_and_open(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager, deal = await deal_setup(sessionmaker, tg, days_ago=70)
    day = await deadline_day(sessionmaker, quiet_free, deal)
    await add_row(sessionmaker, manager, "deal_inactive", {"deal_id": deal, "deadline_day": day})

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 1
    message = sent_message(tg, MANAGER)
    assert NASTY_NAME in str(message["text"])
    assert callbacks(message) == [DealCb(action="log", id=deal).pack(), DealCb(action="open", id=deal).pack()]


async def test_team_alert_names_manager_contact_and_amount(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    _manager, deal = await deal_setup(sessionmaker, tg, days_ago=70)
    lead = await person(sessionmaker, tg, LEAD, role="team_lead")
    day = await deadline_day(sessionmaker, quiet_free, deal)
    await add_row(sessionmaker, lead, "team_inactive_alert", {"deal_id": deal, "deadline_day": day})

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 1
    message = sent_message(tg, LEAD)
    text = str(message["text"])
    assert "Петров Пётр" in text and NASTY_NAME in text and "150\u00a0000,50\u00a0₽" in text
    assert callbacks(message) == [DealCb(action="open", id=deal).pack()]


async def test_team_digest_lists_still_inactive_deals_with_open_buttons(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager, stale = await deal_setup(sessionmaker, tg, days_ago=70)
    contact = await add_contact(sessionmaker, manager, surname="Смирнова", given="Ольга", seed=2)
    fresh = await add_deal(sessionmaker, manager, contact)  # active again: left out
    lead = await person(sessionmaker, tg, LEAD, role="team_lead")
    await add_row(
        sessionmaker, lead, "team_inactive_digest", {"deal_ids": [stale, fresh], "day": "2027-01-20"}
    )

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 1
    message = sent_message(tg, LEAD)
    assert NASTY_NAME in str(message["text"]) and "Смирнова" not in str(message["text"])
    assert callbacks(message) == [DealCb(action="open", id=stale).pack()]


async def test_deal_incorrect_lists_problems_and_is_skipped_once_fixed(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager = await person(sessionmaker, tg, MANAGER)
    contact = await add_contact(sessionmaker, manager)
    deal = await add_deal(sessionmaker, manager, contact, comment="нд")
    await add_row(sessionmaker, manager, "deal_incorrect", {"deal_id": deal, "problems": ["comment"]})

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 1
    message = sent_message(tg, MANAGER)
    assert "Развёрнутый комментарий" in str(message["text"])
    assert callbacks(message) == [DealCb(action="open", id=deal).pack()]

    async with writing(sessionmaker) as session:
        await session.execute(
            update(Deal).where(Deal.id == deal).values(comment="Клиент ждёт счёт на пять сканеров до пятницы")
        )
    again = await add_row(sessionmaker, manager, "deal_incorrect", {"deal_id": deal, "problems": ["comment"]})
    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 0
    assert (await row(sessionmaker, again)).status == "skipped"


async def test_task_due_has_done_and_open_buttons(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager, deal = await deal_setup(sessionmaker, tg)
    on_deal = await add_task(sessionmaker, manager, title="Счёт <срочно> & без НДС", deal_id=deal)
    async with sessionmaker() as session:
        loaded = await session.get(Deal, deal)
        assert loaded is not None
        lead_id = loaded.lead_id
    on_lead = await add_task(sessionmaker, manager, title="Уточнить", lead_id=lead_id)
    await add_row(sessionmaker, manager, "task_due", {"task_id": on_deal})

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 1
    message = sent_message(tg, MANAGER)
    assert "Счёт <срочно> & без НДС" in str(message["text"]) and NASTY_NAME in str(message["text"])
    assert callbacks(message) == [
        TaskCb(action="done", id=on_deal).pack(),
        DealCb(action="open", id=deal).pack(),
    ]

    async with sessionmaker() as session:
        manager_user = await session.get(User, manager)
        assert manager_user is not None
        lead_row = await add_row(sessionmaker, manager, "task_due", {"task_id": on_lead})
        rendered = await render(session, hub, quiet_free, await row(sessionmaker, lead_row), manager_user)
    assert rendered is not None and rendered.markup is not None
    assert [b.callback_data for r in rendered.markup.inline_keyboard for b in r] == [
        TaskCb(action="done", id=on_lead).pack(),
        LeadCb(action="open", id=lead_id).pack(),
    ]


async def test_task_moved_later_is_skipped(
    sessionmaker: async_sessionmaker[AsyncSession], quiet_free: Settings, hub: TranslatorHub
) -> None:
    manager = await person(sessionmaker, None, MANAGER)
    task = await add_task(sessionmaker, manager, due_at=utcnow() + timedelta(days=1))
    row_id = await add_row(sessionmaker, manager, "task_due", {"task_id": task})
    async with sessionmaker() as session:
        user = await session.get(User, manager)
        assert user is not None
        assert await render(session, hub, quiet_free, await row(sessionmaker, row_id), user) is None


async def test_morning_digest_sections_and_buttons(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager, risky = await deal_setup(sessionmaker, tg)
    contact = await add_contact(sessionmaker, manager, surname="Смирнова", given="Ольга", seed=2)
    wrong = await add_deal(sessionmaker, manager, contact, comment="нд")
    today = await add_task(sessionmaker, manager, title="Встреча", due_at=utcnow() + timedelta(minutes=30))
    overdue = await add_task(sessionmaker, manager, title="Перезвонить", due_at=utcnow() - timedelta(days=1))
    done = await add_task(sessionmaker, manager, title="Уже сделано", done=True)
    payload = {
        "task_ids_today": [today, done],
        "task_ids_overdue": [overdue],
        "deal_ids_at_risk": [risky],
        "deal_ids_incorrect": [wrong],
    }
    await add_row(sessionmaker, manager, "morning_digest", payload)

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 1
    message = sent_message(tg, MANAGER)
    text = str(message["text"])
    assert "Встреча" in text and "Перезвонить" in text and "Уже сделано" not in text
    assert NASTY_NAME in text and "Смирнова" in text
    assert callbacks(message) == [
        PlanCb().pack(),
        DealCb(action="open", id=risky).pack(),
        DealCb(action="open", id=wrong).pack(),
    ]


async def test_morning_digest_with_nothing_left_is_skipped(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager = await person(sessionmaker, tg, MANAGER)
    done = await add_task(sessionmaker, manager, done=True)
    payload = {
        "task_ids_today": [done],
        "task_ids_overdue": [],
        "deal_ids_at_risk": [],
        "deal_ids_incorrect": [],
    }
    row_id = await add_row(sessionmaker, manager, "morning_digest", payload)

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 0
    assert (await row(sessionmaker, row_id)).status == "skipped"


async def test_texts_follow_the_recipients_language(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    manager = await person(sessionmaker, tg, MANAGER, language="en")
    task = await add_task(sessionmaker, manager, title="Call back")
    await add_row(sessionmaker, manager, "task_due", {"task_id": task})

    await drain_outbox(bot, sessionmaker, quiet_free, hub)
    message = sent_message(tg, MANAGER)
    assert "Time for a task" in str(message["text"])
    assert [b["text"] for b in iter_buttons(message)] == ["✅ Done"]


async def test_user_unreachable_names_the_user(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    blocked = await person(sessionmaker, tg, MANAGER, full_name="Кузнецов <Кузя> & Co")
    async with writing(sessionmaker) as session:
        await session.execute(update(User).where(User.id == blocked).values(is_reachable=False))
    admin = await person(sessionmaker, tg, ADMIN, role="admin", team=None)
    await add_row(sessionmaker, admin, "user_unreachable", {"user_id": blocked})

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 1
    assert "Кузнецов <Кузя> & Co" in str(sent_message(tg, ADMIN)["text"])

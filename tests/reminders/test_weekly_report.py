"""The weekly report (seed 001/003 reports): on Monday from DIGEST_TIME on their own clock, team leads get the
team's and admins the company's, once per week through the outbox; a manager gets none; it can be switched
off in /settings."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.reminders import sweep
from bot.settings import Settings
from db.engine import writing
from db.models import OutboxMessage, User
from tests.factories import make_user
from tests.flows.deals.helpers import convertible_lead, insert_deal
from tests.harness import Harness, t, tp
from tests.reminders.deliver import deliver

LEAD, ADMIN, MANAGER = 801, 802, 803
#: Monday 30 November 2026, 09:30 in Moscow (the default zone); the week before is 23–29 November.
MONDAY = datetime(2026, 11, 30, 6, 30, tzinfo=UTC)


async def _people(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    return {
        "lead": await make_user(sessionmaker, LEAD, role="team_lead", full_name="Иванова Ирина"),
        "admin": await make_user(sessionmaker, ADMIN, role="admin", team=None, full_name="Админ"),
        "manager": await make_user(sessionmaker, MANAGER, full_name="Петров Пётр"),
    }


async def _weekly(sessionmaker: async_sessionmaker[AsyncSession]) -> list[OutboxMessage]:
    async with sessionmaker() as session:
        rows = await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "weekly_report"))
        return list(rows)


def _settings(harness: Harness) -> Settings:
    settings = harness.dispatcher["settings"]
    assert isinstance(settings, Settings)
    return settings


async def test_monday_queues_one_report_per_team_lead_and_admin(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    ids = await _people(sessionmaker)
    settings = _settings(harness)
    sunday = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    await sweep(sessionmaker, settings, sunday)
    early = datetime(2026, 11, 30, 5, 30, tzinfo=UTC)  # 08:30 in Moscow: before DIGEST_TIME
    await sweep(sessionmaker, settings, early)
    assert await _weekly(sessionmaker) == []
    await sweep(sessionmaker, settings, MONDAY)
    await sweep(sessionmaker, settings, MONDAY.replace(hour=9))  # again later that day: nothing new
    rows = await _weekly(sessionmaker)
    assert sorted((row.recipient_id, row.dedupe_key) for row in rows) == sorted(
        [(ids["lead"], f"weekly:{ids['lead']}:2026-W49"), (ids["admin"], f"weekly:{ids['admin']}:2026-W49")]
    )
    await sweep(sessionmaker, settings, datetime(2026, 12, 1, 7, 0, tzinfo=UTC))  # Tuesday
    assert len(await _weekly(sessionmaker)) == 2


async def test_a_report_switched_off_is_not_queued(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    ids = await _people(sessionmaker)
    async with writing(sessionmaker) as session:
        lead = await session.get(User, ids["lead"])
        assert lead is not None
        lead.weekly_report = False
    await sweep(sessionmaker, _settings(harness), MONDAY)
    assert [row.recipient_id for row in await _weekly(sessionmaker)] == [ids["admin"]]


async def test_the_team_lead_reads_the_teams_week(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _people(sessionmaker)
    setup = await convertible_lead(sessionmaker, telegram_id=MANAGER)
    await insert_deal(sessionmaker, setup)
    await sweep(sessionmaker, _settings(harness), MONDAY)
    await deliver(harness)
    [text] = [message.text or "" for message in harness.messages_to(LEAD)]
    assert t("report-weekly-title", first="23.11", last="29.11.2026").split("\n")[0] in text
    assert tp("report-scope-team", name="Продажи Север") in text
    assert t("report-funnel-open-total", deals=1, amount="150\u00a0000\u00a0₽") in text
    assert t("report-weekly-footer") in text
    [admin_text] = [message.text or "" for message in harness.messages_to(ADMIN)]
    assert tp("report-scope-company") in admin_text
    assert harness.messages_to(MANAGER) == []

    # A restart later that Monday: the start-up sweep (a full check) and the sender run again; the week's
    # report is not sent twice.
    await sweep(sessionmaker, _settings(harness), MONDAY.replace(hour=12), full_check=True)
    assert await deliver(harness) == 0
    assert len(harness.messages_to(LEAD)) == 1 and len(harness.messages_to(ADMIN)) == 1


async def test_settings_switch_the_weekly_report_for_leads_only(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    ids = await _people(sessionmaker)
    lead = harness.user(LEAD)
    replies = await lead.send("/settings")
    assert t("settings-weekly", weekly=tp("settings-weekly-on")) in replies[-1]
    replies = await lead.click(tp("settings-btn-weekly"))
    assert t("settings-weekly", weekly=tp("settings-weekly-off")) in replies[-1]
    async with sessionmaker() as session:
        user = await session.get(User, ids["lead"])
        assert user is not None and user.weekly_report is False
    manager = harness.user(MANAGER)
    replies = await manager.send("/settings")
    assert tp("settings-btn-weekly") not in manager.buttons()
    assert "Еженедельный" not in replies[-1]

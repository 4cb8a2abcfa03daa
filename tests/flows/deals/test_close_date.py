"""The deal's optional «Ожидаемая дата закрытия»: from the calendar or typed, on the summary and the card."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Deal
from tests.flows.deals.helpers import MANAGER, convertible_lead, count, deals, reach_summary
from tests.harness import Harness, t, tp

MOSCOW = ZoneInfo("Europe/Moscow")


def _today() -> date:
    return datetime.now(MOSCOW).date()


async def test_typed_close_date_is_on_the_summary_and_the_card(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    summary = (await reach_summary(manager))[-1]
    assert t("deal-empty-close_date") in summary  # optional: the form does not ask it on the way
    replies = await manager.click(tp("deal-btn-edit-close_date"))
    assert t("deal-ask-close_date").split("\n")[0] in replies[-1]
    assert tp("weekday-short-0") in manager.buttons()  # the calendar is there too
    replies = await manager.send("через 3 дня")
    expected = _today() + timedelta(days=3)
    assert expected.strftime("%d.%m.%Y") in replies[-1] and tp("btn-save") in manager.buttons()
    card = (await manager.click(tp("btn-save")))[-1]
    assert t("deal-card-close_date", value=expected.strftime("%d.%m.%Y")) in card
    [deal] = await deals(sessionmaker)
    assert deal.expected_close == expected


async def test_a_calendar_day_is_taken_and_a_past_one_refused(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await reach_summary(manager)
    await manager.click(tp("deal-btn-edit-close_date"))
    today = _today()
    # The calendar opens on this month; today's cell is marked «[ N ]».
    replies = await manager.click(f"[ {today:%d} ]")
    assert today.strftime("%d.%m.%Y") in replies[-1]
    if today.day > 1:
        await manager.click(tp("deal-btn-edit-close_date"))
        replies = await manager.click(f"{today.day - 1:02d}")
        assert t("detail-err-day-past") in replies[-1]
        replies = await manager.click(f"[ {today:%d} ]")  # the calendar stays open: today is taken again
        assert today.strftime("%d.%m.%Y") in replies[-1]
    await manager.click(tp("btn-save"))
    [deal] = await deals(sessionmaker)
    assert deal.expected_close == today


async def test_bad_close_dates_are_refused_and_the_date_can_be_removed(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await reach_summary(manager)
    await manager.click(tp("deal-btn-edit-close_date"))
    for text in ("вчера", "31.02", "когда-нибудь"):
        replies = await manager.send(text)
        assert t("deal-ask-close_date").split("\n")[0] in replies[-1], text  # re-asked with the reason
        assert "⚠️" in replies[-1], text
    assert await count(sessionmaker, Deal) == 0
    await manager.send("через 3 дня")
    await manager.click(tp("deal-btn-edit-close_date"))
    replies = await manager.click(tp("deal-btn-clear-close_date"))
    assert t("deal-empty-close_date") in replies[-1]
    await manager.click(tp("btn-save"))
    [deal] = await deals(sessionmaker)
    assert deal.expected_close is None
    assert t("deal-card-close_date", value="").split(":")[0] not in harness.message(MANAGER).text

"""R2h through the real /log flow: an unanswered call does not move the deadline, a qualifying call does."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import time_machine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import DealCb
from bot.reminders import sweep
from bot.settings import Settings
from tests.factories import make_user
from tests.harness import Harness, tp
from tests.reminders import MSK, clear_outbox, keys, make_deal

MANAGER_TG = 7301
BASIS = datetime(2026, 11, 20, 12, 0, tzinfo=MSK)  # last active day: 20 Jan 2027
NOW = datetime.combine(date(2027, 1, 17), time(12, 0), tzinfo=MSK)  # three days before
DISCUSSED = "Обсудили поставку 20 сканеров, клиенту важна цена"
AGREED = "Отправляю коммерческое предложение до пятницы, созвон в понедельник"


async def test_r2h_log_flow_moves_the_reminders_only_for_a_qualifying_call(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    manager = await make_user(sessionmaker, MANAGER_TG)
    deal = await make_deal(sessionmaker, manager, basis=BASIS)
    u = harness.user(MANAGER_TG)
    with time_machine.travel(NOW, tick=False):
        await u.send("/menu")
        await u.press(DealCb(action="log", id=deal).pack())
        await u.click(tp("interaction-choice-call-not-reached"))
        replies = await u.click(tp("btn-save"))
        assert "не продлевает сделку" in replies[0]
        await sweep(sessionmaker, settings)
        assert f"deal:{deal}:inactive-in:3d:2027-01-20" in await keys(sessionmaker)
        await clear_outbox(sessionmaker)

        await u.press(DealCb(action="log", id=deal).pack())
        await u.click(tp("interaction-choice-call-reached"))
        await u.send(DISCUSSED)
        await u.send(AGREED)
        replies = await u.click(tp("btn-save"))
        assert "срок активности сделки отсчитывается заново" in replies[0]
        await sweep(sessionmaker, settings)
        assert [k for k in await keys(sessionmaker) if k.startswith("deal:")] == []
    # The deadline is now 17 Mar 2027.
    with time_machine.travel(datetime.combine(date(2027, 3, 10), time(12), tzinfo=MSK), tick=False):
        await sweep(sessionmaker, settings)
    assert f"deal:{deal}:inactive-in:7d:2027-03-17" in await keys(sessionmaker)
    with time_machine.travel(NOW + timedelta(days=4), tick=False):
        await sweep(sessionmaker, settings)
    assert f"deal:{deal}:inactive:2027-01-20" not in await keys(sessionmaker)

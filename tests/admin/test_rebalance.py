"""A team lead rebalances the team: any open lead or deal of an ACTIVE member, one at a time or all of them,
to another member — confirmed first, audited, and both sides told through the outbox (R1c: the own team only).
"""

from __future__ import annotations

from aiogram.methods import SendMessage
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Deal, Lead, OutboxMessage
from tests.admin.helpers import admin, audit, count, person, row
from tests.admin.test_team_admin import COLLEAGUE, MANAGER, OTHER_LEAD, TEAM_LEAD, _card, _team_with_work
from tests.harness import Harness, t, tp
from tests.reminders.deliver import deliver

Sessionmaker = async_sessionmaker[AsyncSession]


def told(harness: Harness, chat_id: int) -> list[str]:
    return [str(c.text) for c in harness.calls(SendMessage) if int(c.chat_id) == chat_id]


async def test_all_the_work_of_an_active_member_moves_after_a_confirmation(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager_id, colleague_id, _lead_id, leads, deal_id = await _team_with_work(sessionmaker)
    team_lead = person(harness, TEAM_LEAD, "Роман Руководов")
    await team_lead.send("/reassign")
    await team_lead.click(tp("team-reassign-owner", name="Пётр Менеджеров", count=3))  # active, not marked
    await team_lead.click(tp("team-btn-all-to-one"))
    replies = await team_lead.click("Ольга Коллегова")
    confirm = t("team-confirm-all", owner="Пётр Менеджеров", target="Ольга Коллегова", leads=2, deals=1)
    assert confirm in replies[-1]
    assert await count(sessionmaker, Lead, Lead.responsible_id == colleague_id) == 0  # not before «✅»
    await team_lead.click(tp("team-btn-confirm-reassign"))
    for lead_id in leads:
        assert (await row(sessionmaker, Lead, lead_id)).responsible_id == colleague_id
    assert (await row(sessionmaker, Deal, deal_id)).responsible_id == colleague_id
    reassigned = await audit(sessionmaker, "lead") + await audit(sessionmaker, "deal")
    assert sorted(e.entity_id for e in reassigned if e.action == "reassigned") == sorted([*leads, deal_id])
    assert await deliver(harness) == 2  # both sides
    [to_new] = told(harness, COLLEAGUE)
    assert "лиды — 2, сделки — 1" in to_new
    [to_former] = told(harness, MANAGER)
    assert to_former == t("team-taken-all", to="Ольга Коллегова", by="Роман Руководов", leads=2, deals=1)
    assert (await row(sessionmaker, Lead, leads[0])).responsible_id != manager_id


async def test_one_deal_of_an_active_member_from_the_admins_card(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    boss = await admin(harness)
    manager_id, colleague_id, _lead_id, leads, deal_id = await _team_with_work(sessionmaker)
    await _card(boss, "Пётр Менеджеров")
    await boss.click(tp("team-btn-reassign", count=3))  # an active member's card offers it too
    await boss.click(f"Сделка №{deal_id}")
    await boss.click("Ольга Коллегова")
    replies = await boss.click(tp("btn-back"))  # back from the confirmation: nothing moved
    assert (await row(sessionmaker, Deal, deal_id)).responsible_id == manager_id
    assert t("team-ask-who-one", kind="d", id=str(deal_id)) in replies[-1]
    await boss.click("Ольга Коллегова")
    await boss.click(tp("team-btn-confirm-reassign"))
    assert (await row(sessionmaker, Deal, deal_id)).responsible_id == colleague_id
    assert (await row(sessionmaker, Lead, leads[0])).responsible_id == manager_id
    await deliver(harness)
    [to_former] = told(harness, MANAGER)
    assert to_former == t("team-taken-deal", id=str(deal_id), to="Ольга Коллегова", by="Анна Админова")


async def test_another_teams_lead_sees_nobody_and_the_lead_never_hands_their_own(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager_id, _colleague_id, _lead_user_id, leads, _deal_id = await _team_with_work(sessionmaker)
    other = person(harness, OTHER_LEAD, "Юрий Южный")
    replies = await other.send("/reassign")
    assert t("team-reassign-nothing") in replies[-1]  # R1c: Пётр is in another team
    team_lead = person(harness, TEAM_LEAD, "Роман Руководов")
    await team_lead.send("/reassign")
    assert not any("Роман" in label for label in team_lead.buttons())
    assert (await row(sessionmaker, Lead, leads[0])).responsible_id == manager_id
    assert await count(sessionmaker, OutboxMessage) == 0

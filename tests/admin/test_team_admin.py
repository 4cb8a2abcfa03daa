"""/settings → «👥 Сотрудники и команды»: roles, teams, the conversion permission, deactivation (confirmed),
and handing a deactivated manager's open leads and deals to the team (one by one or all at once)."""

from __future__ import annotations

import pytest
from aiogram.methods import SendMessage
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import HandoverCb, SettingsCb
from db.engine import writing
from db.models import Deal, Lead, Team, User
from db.repo.visibility import may_see_contact
from domain.access import Actor, Role
from tests.admin.helpers import (
    admin,
    audit,
    count,
    dialog_button,
    insert_deal,
    open_lead,
    person,
    row,
    user_by_tg,
)
from tests.conftest import ADMIN_ID
from tests.factories import make_user
from tests.harness import Harness, TgUser, first_line, t, tp
from tests.reminders.deliver import deliver

MANAGER = 801
COLLEAGUE = 802
TEAM_LEAD = 803
OTHER_LEAD = 804
SECOND_ADMIN = 805


async def _card(boss: TgUser, name: str) -> str:
    await boss.send("/settings")
    await boss.click(tp("admin-btn-team"))
    while not any(name in b for b in boss.buttons()):
        await boss.click(tp("btn-next"))
    await boss.click(name)
    return boss.last


async def _team(sessionmaker: async_sessionmaker[AsyncSession], user_id: int) -> str | None:
    async with sessionmaker() as session:
        return await session.scalar(
            select(Team.name).join(User, User.team_id == Team.id).where(User.id == user_id)
        )


async def test_admin_sees_the_users_list_and_a_card(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    await make_user(sessionmaker, MANAGER, full_name="Пётр <Менеджеров>")
    await make_user(sessionmaker, COLLEAGUE, full_name="Ольга Коллегова", team="Продажи Юг")
    await boss.send("/settings")
    assert tp("admin-btn-directories") in boss.buttons() and tp("admin-btn-team") in boss.buttons()
    replies = await boss.click(tp("admin-btn-team"))
    listing = replies[-1]
    assert first_line("team-users-title") in listing
    assert "Пётр &lt;Менеджеров&gt; — Менеджер, Продажи Север — активен" in listing
    assert "Ольга Коллегова — Менеджер, Продажи Юг — активен" in listing
    assert "Анна Админова — Администратор, без команды — активен" in listing
    replies = await boss.click("Пётр <Менеджеров>")
    assert t("team-card-title", name="Пётр <Менеджеров>") in replies[-1]
    assert t("team-card-role", role="Менеджер") in replies[-1]
    assert t("team-card-team", team="Продажи Север") in replies[-1]
    assert "по роли (нет)" in replies[-1]
    assert t("team-card-admin-id-note") not in replies[-1]
    card = await _card(boss, "Анна Админова")
    assert t("team-card-admin-id-note") in card


async def test_an_english_admin_sees_the_team_in_english(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = harness.user(ADMIN_ID, first_name="Anna", last_name="Admin", language_code="en")
    await boss.send("/menu")
    await make_user(sessionmaker, MANAGER, full_name="Peter Manager")
    card = await _card_en(boss, "Peter Manager")
    assert t("team-card-role", "en", role="Manager") in card and "Продажи Север" in card
    assert t("team-card-status", "en", status="active") in card
    assert tp("team-btn-off", "en") in boss.buttons()


async def _card_en(boss: TgUser, name: str) -> str:
    await boss.send("/settings")
    await boss.click(tp("admin-btn-team", "en"))
    await boss.click(name)
    return boss.last


async def test_role_change_takes_effect_on_the_next_command(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    manager_id = await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров")
    manager = person(harness, MANAGER, "Пётр Менеджеров")
    replies = await manager.send("/invite")
    assert replies == [t("admin-only")]

    await _card(boss, "Пётр Менеджеров")
    replies = await boss.click(tp("team-btn-role"))
    assert t("team-ask-role", name="Пётр Менеджеров") in replies[-1]
    assert "✓ Менеджер" in boss.buttons()
    replies = await boss.click("Администратор")
    assert t("team-card-role", role="Администратор") in replies[-1] and t("team-saved") in replies[-1]
    assert (await row(sessionmaker, User, manager_id)).role == "admin"

    replies = await manager.send("/invite")
    assert first_line("invite-pick-role") in replies[-1]
    await manager.send("/settings")  # the invite is a form: leaving it asks first
    await manager.click(tp("leave-form-leave"))
    assert tp("admin-btn-team") in manager.buttons()

    [entry] = await audit(sessionmaker, "user", manager_id)
    assert entry.action == "role_changed" and entry.actor_id == (await user_by_tg(sessionmaker, ADMIN_ID)).id
    assert entry.before == '{"role": "manager"}' and entry.after == '{"role": "admin"}'


async def test_team_change_to_existing_and_new_team(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    manager_id = await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров")
    await make_user(sessionmaker, COLLEAGUE, full_name="Ольга Коллегова", team="Продажи Юг")
    await _card(boss, "Пётр Менеджеров")
    await boss.click(tp("team-btn-team"))
    assert "✓ Продажи Север" in boss.buttons()
    replies = await boss.click("Продажи Юг")
    assert t("team-card-team", team="Продажи Юг") in replies[-1]
    assert await _team(sessionmaker, manager_id) == "Продажи Юг"

    await boss.click(tp("team-btn-team"))
    replies = await boss.click(tp("team-btn-new-team"))
    assert t("team-ask-team-name") in replies[-1]
    replies = await boss.send("Ю")
    assert t("team-name-invalid") in replies[-1] and t("team-ask-team-name") in replies[-1]
    replies = await boss.send_document("team.pdf")
    assert t("form-err-text-expected") in replies[-1]
    assert await count(sessionmaker, Team) == 2
    replies = await boss.send("продажи юг")  # an existing team, whatever the case
    assert t("team-moved", team="Продажи Юг") in replies[-1]
    assert await count(sessionmaker, Team) == 2
    await boss.click(tp("team-btn-team"))
    await boss.click(tp("team-btn-new-team"))
    replies = await boss.send("Продажи Восток")
    assert t("team-card-team", team="Продажи Восток") in replies[-1]
    assert await _team(sessionmaker, manager_id) == "Продажи Восток"

    # The team lead of the new team sees the manager's work now (the next update reads the team afresh).
    lead_id = await make_user(sessionmaker, TEAM_LEAD, role="team_lead", team="Продажи Восток")
    contact_id, _lead = await open_lead(sessionmaker, manager_id)
    async with sessionmaker() as session:
        team_id = (await session.get(User, lead_id)).team_id  # type: ignore[union-attr]
        assert await may_see_contact(session, Actor(lead_id, Role.TEAM_LEAD, team_id), contact_id)
    actions = [e.action for e in await audit(sessionmaker, "user", manager_id)]
    assert actions == ["team_changed", "team_changed"]


async def test_conversion_permission(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    manager_id = await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров")
    await _card(boss, "Пётр Менеджеров")
    await boss.click(tp("team-btn-conversion"))
    assert "✓ По роли" in boss.buttons()
    replies = await boss.click("Разрешено")
    assert "Право конвертировать клиентов: разрешено" in replies[-1]
    assert (await row(sessionmaker, User, manager_id)).can_convert_clients is True
    await boss.click(tp("team-btn-conversion"))
    await boss.click("Запрещено")
    assert (await row(sessionmaker, User, manager_id)).can_convert_clients is False
    await boss.click(tp("team-btn-conversion"))
    await boss.click("По роли")
    assert (await row(sessionmaker, User, manager_id)).can_convert_clients is None
    assert [e.action for e in await audit(sessionmaker, "user", manager_id)] == ["permission_changed"] * 3


async def test_forged_team_buttons_from_a_non_admin_change_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    manager_id = await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров")
    colleague_id = await make_user(sessionmaker, COLLEAGUE, full_name="Ольга Коллегова")
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead", full_name="Роман Руководов")
    boss = await admin(harness)
    await _card(boss, "Ольга Коллегова")
    await boss.click(tp("team-btn-off"))
    for telegram_id, name in ((MANAGER, "Пётр Менеджеров"), (TEAM_LEAD, "Роман Руководов")):
        tg = person(harness, telegram_id, name)
        await tg.send("/menu")
        await tg.press(SettingsCb(action="team").pack())
        assert tp("admin-btn-team") not in tg.buttons()
        for widget in ("off_confirm", "role", f"set_role:{Role.ADMIN.value}", "to_list"):
            replies = await tg.press(dialog_button(harness, ADMIN_ID, widget))
            assert replies == [tp("button-stale")]

    # An admin demoted while a card is open is refused at the next press.
    second_id = await make_user(sessionmaker, SECOND_ADMIN, role="admin", team=None, full_name="Борис Второй")
    second = person(harness, SECOND_ADMIN, "Борис Второй")
    await _card(second, "Пётр Менеджеров")
    async with writing(sessionmaker) as session:
        demoted = await session.get(User, second_id)
        assert demoted is not None
        demoted.role = "manager"
    for widget in ("role", "off", "conversion", "to_list"):
        replies = await second.press(dialog_button(harness, SECOND_ADMIN, widget))
        assert replies == [tp("admin-only")]

    manager = await row(sessionmaker, User, manager_id)
    colleague = await row(sessionmaker, User, colleague_id)
    assert manager.role == "manager" and manager.can_convert_clients is None
    assert colleague.is_active and colleague.team_id is not None
    assert await audit(sessionmaker, "user") == []


async def test_deactivation_refuses_yourself_the_last_admin_and_admin_ids(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """The refusals are alerts in plain text (no markup shows as «<code>…»)."""
    boss = await admin(harness)
    boss_id = (await user_by_tg(sessionmaker, ADMIN_ID)).id
    await _card(boss, "Анна Админова")
    replies = await boss.click(tp("team-btn-off"))
    assert replies == [tp("team-not-yourself")]
    replies = await boss.click(tp("team-btn-role"))
    assert replies == [tp("team-admin-id-locked")]
    assert (await row(sessionmaker, User, boss_id)).role == "admin"

    # An admin who is not in ADMIN_IDS and is the only active admin cannot demote or deactivate themselves.
    second_id = await make_user(sessionmaker, SECOND_ADMIN, role="admin", team=None, full_name="Борис Второй")
    second = person(harness, SECOND_ADMIN, "Борис Второй")
    await _card(second, "Борис Второй")
    replies = await second.click(tp("team-btn-off"))
    assert replies == [tp("team-not-yourself")]
    card = await _card(second, "Анна Админова")
    assert t("team-card-admin-id-note") in card
    replies = await second.click(tp("team-btn-off"))
    assert replies == [tp("team-admin-id-locked")]
    assert (await row(sessionmaker, User, boss_id)).is_active

    async with writing(sessionmaker) as session:
        boss_row = await session.get(User, boss_id)
        assert boss_row is not None
        boss_row.role = "manager"  # now Борис is the only active admin (until Анна writes again)
    await _card(second, "Борис Второй")
    await second.click(tp("team-btn-role"))
    replies = await second.click("Менеджер")
    assert replies == [tp("team-last-admin")]
    assert (await row(sessionmaker, User, second_id)).role == "admin"
    assert await audit(sessionmaker, "user") == []
    alerts = [r for r in second.replies() if r.startswith("<")]
    assert alerts == []


async def _team_with_work(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> tuple[int, int, int, list[int], int]:
    """A manager with two open leads and one open deal, a colleague and a team lead in «Продажи Север»."""
    manager_id = await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров")
    colleague_id = await make_user(sessionmaker, COLLEAGUE, full_name="Ольга Коллегова")
    lead_user_id = await make_user(sessionmaker, TEAM_LEAD, role="team_lead", full_name="Роман Руководов")
    await make_user(sessionmaker, OTHER_LEAD, role="team_lead", team="Продажи Юг", full_name="Юрий Южный")
    _contact1, lead1 = await open_lead(sessionmaker, manager_id)
    _contact2, lead2 = await open_lead(
        sessionmaker, manager_id, name="Смирнова Ольга", phone="+79217654321", email="smirnova@yandex.ru"
    )
    contact3, lead3 = await open_lead(
        sessionmaker, manager_id, name="Кузнецов Андрей", phone="+79031112233", email="kuz@yandex.ru"
    )
    deal_id = await insert_deal(sessionmaker, manager_id, contact3, lead3)
    return manager_id, colleague_id, lead_user_id, [lead1, lead2], deal_id


async def _deactivate(boss: TgUser, name: str) -> list[str]:
    await _card(boss, name)
    replies = await boss.click(tp("team-btn-off"))
    assert first_line("team-ask-deactivate", name=name, leads=2, deals=1) in replies[-1]
    assert "Открытые лиды: 2, открытые сделки: 1" in replies[-1]
    return await boss.click(tp("team-btn-off-confirm"))


async def test_deactivation_asks_to_confirm_and_back_changes_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    manager_id = await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров")
    await _card(boss, "Пётр Менеджеров")
    await boss.click(tp("team-btn-off"))
    assert tp("team-btn-off-confirm") in boss.buttons()
    replies = await boss.click(tp("btn-back"))
    assert t("team-card-status", status="активен") in replies[-1]
    assert (await row(sessionmaker, User, manager_id)).is_active
    assert await audit(sessionmaker, "user", manager_id) == []


async def test_deactivated_manager_is_refused_and_team_lead_reassigns_one_by_one(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    manager_id, colleague_id, lead_user_id, leads, deal_id = await _team_with_work(sessionmaker)
    replies = await _deactivate(boss, "Пётр Менеджеров")
    assert t("team-card-status", status="отключён") in replies[-1] and t("team-deactivated") in replies[-1]
    assert tp("team-btn-reassign", count=3) in boss.buttons()
    assert not (await row(sessionmaker, User, manager_id)).is_active

    manager = person(harness, MANAGER, "Пётр Менеджеров")
    replies = await manager.send("/leads")
    assert replies == [replies[0]] and "доступ к CRM-боту отключён" in replies[0]

    assert await deliver(harness) == 1  # the notice goes through the outbox
    notices = [c for c in harness.calls(SendMessage) if int(c.chat_id) == TEAM_LEAD]
    assert len(notices) == 1 and "Пётр Менеджеров отключён" in notices[0].text
    assert "лиды: 2" in notices[0].text and "сделки: 1" in notices[0].text
    assert not [c for c in harness.calls(SendMessage) if int(c.chat_id) == OTHER_LEAD]

    team_lead = person(harness, TEAM_LEAD, "Роман Руководов")
    replies = await team_lead.click(tp("team-btn-reassign-notice"))
    assert "лиды — 2, сделки — 1" in replies[-1]
    replies = await team_lead.click(f"Лид №{leads[0]}")
    assert t("team-ask-who-one", kind="l", id=str(leads[0])) in replies[-1]
    targets = team_lead.buttons()
    assert any("Ольга Коллегова" in b for b in targets) and any("Роман Руководов" in b for b in targets)
    assert not any("Юрий" in b or "Пётр" in b for b in targets)
    replies = await team_lead.click("Ольга Коллегова")
    confirm = t(
        "team-confirm-one", kind="l", id=str(leads[0]), owner="Пётр Менеджеров", target="Ольга Коллегова"
    )
    assert confirm in replies[-1]
    assert (await row(sessionmaker, Lead, leads[0])).responsible_id == manager_id  # nothing moved yet
    replies = await team_lead.click(tp("team-btn-confirm-reassign"))
    assert t("team-reassigned-one", kind="l", id=str(leads[0]), name="Ольга Коллегова") in replies[-1]
    assert "лиды — 1, сделки — 1" in replies[-1]
    assert (await row(sessionmaker, Lead, leads[0])).responsible_id == colleague_id

    await team_lead.click(f"Сделка №{deal_id}")
    await team_lead.click("Роман Руководов")
    replies = await team_lead.click(tp("team-btn-confirm-reassign"))
    assert f"сделка №{deal_id} передана" in replies[-1]
    assert (await row(sessionmaker, Deal, deal_id)).responsible_id == lead_user_id

    # The new owner is told (through the outbox), with a button to open the record.
    assert await deliver(harness) == 1
    told = [c for c in harness.calls(SendMessage) if int(c.chat_id) == COLLEAGUE]
    assert len(told) == 1 and f"лид №{leads[0]}" in told[0].text and "Роман Руководов" in told[0].text

    [entry] = await audit(sessionmaker, "lead", leads[0])
    assert entry.action == "reassigned" and entry.actor_id == lead_user_id
    assert entry.before == f'{{"responsible_id": {manager_id}}}'
    assert entry.after == f'{{"responsible_id": {colleague_id}}}'
    [deal_entry] = await audit(sessionmaker, "deal", deal_id)
    assert deal_entry.action == "reassigned" and deal_entry.actor_id == lead_user_id
    assert (await row(sessionmaker, Lead, leads[1])).responsible_id == manager_id

    # A stale choice of the lead already handed over changes nothing.
    await team_lead.press(dialog_button(harness, TEAM_LEAD, f"item:l:{leads[0]}"))
    await team_lead.click("Роман Руководов")
    replies = await team_lead.click(tp("team-btn-confirm-reassign"))
    assert replies == [tp("team-reassign-gone")]
    assert (await row(sessionmaker, Lead, leads[0])).responsible_id == colleague_id


async def test_all_at_once_to_one_member_and_reassign_command(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    manager_id, colleague_id, _lead_user_id, leads, deal_id = await _team_with_work(sessionmaker)
    await _deactivate(boss, "Пётр Менеджеров")

    team_lead = person(harness, TEAM_LEAD, "Роман Руководов")
    replies = await team_lead.send("/reassign")
    assert t("team-reassign-pick-owner") in replies[-1]
    await team_lead.click(tp("team-reassign-owner-off", name="Пётр Менеджеров", count=3))
    replies = await team_lead.click(tp("team-btn-all-to-one"))
    assert t("team-ask-who-all", name="Пётр Менеджеров") in replies[-1]
    await team_lead.click("Ольга Коллегова")
    replies = await team_lead.click(tp("team-btn-confirm-reassign"))
    assert (
        "лиды (2) и сделки (1)" in replies[-1]
        and t("team-reassign-done", name="Пётр Менеджеров") in replies[-1]
    )
    for lead_id in leads:
        assert (await row(sessionmaker, Lead, lead_id)).responsible_id == colleague_id
    assert (await row(sessionmaker, Deal, deal_id)).responsible_id == colleague_id
    assert await count(sessionmaker, Lead, Lead.responsible_id == manager_id, Lead.status == "open") == 0
    await deliver(harness)
    told = [c for c in harness.calls(SendMessage) if int(c.chat_id) == COLLEAGUE]
    assert len(told) == 1 and "лиды — 2, сделки — 1" in told[0].text
    await team_lead.send("/reassign")  # the work is now Ольга's (active): hers can be rebalanced, his is gone
    assert tp("team-reassign-owner", name="Ольга Коллегова", count=3) in team_lead.buttons()
    assert not any("Пётр" in label for label in team_lead.buttons())
    entries = await audit(sessionmaker, "lead") + await audit(sessionmaker, "deal")
    assert sorted(e.entity_id for e in entries if e.action == "reassigned") == sorted([*leads, deal_id])


@pytest.mark.parametrize("who", [OTHER_LEAD, COLLEAGUE])
async def test_r1c_forged_reassignment_from_outside_the_team_changes_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], who: int
) -> None:
    boss = await admin(harness)
    manager_id, colleague_id, _lead_user_id, leads, deal_id = await _team_with_work(sessionmaker)
    await _deactivate(boss, "Пётр Менеджеров")
    team_lead = person(harness, TEAM_LEAD, "Роман Руководов")
    await team_lead.send("/menu")
    await team_lead.press(HandoverCb(action="list", owner=manager_id).pack())
    await team_lead.click(f"Лид №{leads[0]}")
    stranger = harness.user(who)
    await stranger.send("/menu")
    for data in (
        HandoverCb(action="list", owner=manager_id).pack(),
        HandoverCb(action="to", owner=manager_id, kind="l", rid=leads[0], to=colleague_id).pack(),
        HandoverCb(action="allto", owner=manager_id, to=colleague_id).pack(),
    ):
        replies = await stranger.press(data)
        assert replies == [tp("access-denied")]
    for widget in (f"target:{colleague_id}", "to_work"):  # the team lead's dialog, pressed elsewhere
        replies = await stranger.press(dialog_button(harness, TEAM_LEAD, widget))
        assert replies == [tp("button-stale")]
    replies = await stranger.send("/reassign")
    if who == COLLEAGUE:
        assert replies == [t("team-reassign-not-allowed")]
    else:
        assert t("team-reassign-nothing") in replies[-1]
    assert (await row(sessionmaker, Lead, leads[0])).responsible_id == manager_id
    assert (await row(sessionmaker, Deal, deal_id)).responsible_id == manager_id
    assert [e for e in await audit(sessionmaker, "lead") if e.action == "reassigned"] == []


async def test_admins_are_told_when_the_team_has_no_lead_and_card_reaches_the_work(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    await make_user(sessionmaker, SECOND_ADMIN, role="admin", team=None, full_name="Борис Второй")
    manager_id = await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров", team="Без лида")
    colleague_id = await make_user(sessionmaker, COLLEAGUE, full_name="Ольга Коллегова", team="Без лида")
    _contact, lead_id = await open_lead(sessionmaker, manager_id)
    await _card(boss, "Пётр Менеджеров")
    await boss.click(tp("team-btn-off"))
    await boss.click(tp("team-btn-off-confirm"))
    assert await deliver(harness) == 1
    told = [c for c in harness.calls(SendMessage) if int(c.chat_id) == SECOND_ADMIN]
    assert len(told) == 1 and "Пётр Менеджеров отключён" in told[0].text

    await boss.click(tp("team-btn-reassign", count=1))
    await boss.click(f"Лид №{lead_id}")
    await boss.click("Ольга Коллегова")
    await boss.click(tp("team-btn-confirm-reassign"))
    assert (await row(sessionmaker, Lead, lead_id)).responsible_id == colleague_id
    replies = await boss.click(tp("btn-back"))  # back to the card
    assert t("team-card-work", leads=0, deals=0) in replies[-1]
    assert tp("team-btn-reassign", count=1) not in boss.buttons()
    await boss.click(tp("team-btn-on"))
    assert (await row(sessionmaker, User, manager_id)).is_active
    actions = [e.action for e in await audit(sessionmaker, "user", manager_id)]
    assert actions == ["deactivated", "activated"]


async def test_the_notice_of_a_reactivated_owner_offers_nothing_to_hand_over(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    manager_id, _colleague_id, _lead_user_id, leads, _deal_id = await _team_with_work(sessionmaker)
    await _deactivate(boss, "Пётр Менеджеров")
    await boss.click(tp("team-btn-on"))
    assert (await row(sessionmaker, User, manager_id)).is_active
    team_lead = person(harness, TEAM_LEAD, "Роман Руководов")
    await team_lead.send("/menu")
    replies = await team_lead.press(HandoverCb(action="list", owner=manager_id).pack())
    assert replies == [tp("team-reassign-owner-active")]
    assert (await row(sessionmaker, Lead, leads[0])).responsible_id == manager_id

"""/settings → «👥 Сотрудники и команды»: roles, teams, the conversion permission, deactivation, and handing a
deactivated manager's open leads and deals to the team (one by one or all at once)."""

from __future__ import annotations

import pytest
from aiogram.methods import SendMessage
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import SettingsCb
from db.engine import writing
from db.models import Deal, Lead, Team, User
from handlers.legacy.team_admin import ReassignCb, TeamCb
from tests.admin.helpers import admin, audit, count, insert_deal, open_lead, person, row, user_by_tg
from tests.conftest import ADMIN_ID
from tests.factories import make_user
from tests.harness import Harness, TgUser
from tests.reminders.deliver import deliver

MANAGER = 801
COLLEAGUE = 802
TEAM_LEAD = 803
OTHER_LEAD = 804
SECOND_ADMIN = 805


async def _card(harness: Harness, boss: TgUser, name: str) -> str:
    await boss.send("/settings")
    await boss.click("Сотрудники и команды")
    while not any(name in b for b in boss.buttons()):
        await boss.click("Далее")
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
    assert "📚 Справочники" in boss.buttons() and "👥 Сотрудники и команды" in boss.buttons()
    replies = await boss.click("Сотрудники и команды")
    listing = replies[-1]
    assert "Пётр &lt;Менеджеров&gt; — Менеджер, Продажи Север — активен" in listing
    assert "Ольга Коллегова — Менеджер, Продажи Юг — активен" in listing
    assert "Анна Админова — Администратор, без команды — активен" in listing
    replies = await boss.click("Пётр <Менеджеров>")
    assert "Роль: Менеджер" in replies[-1] and "Команда: Продажи Север" in replies[-1]
    assert "по роли (нет)" in replies[-1]
    card = await _card(harness, boss, "Анна Админова")
    assert "ADMIN_IDS" in card


async def test_role_change_takes_effect_on_the_next_command(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    manager_id = await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров")
    manager = person(harness, MANAGER, "Пётр Менеджеров")
    replies = await manager.send("/invite")
    assert "только администраторам" in replies[-1]

    await _card(harness, boss, "Пётр Менеджеров")
    await boss.click("Роль")
    replies = await boss.click("Администратор")
    assert "Роль: Администратор" in replies[-1]
    assert (await row(sessionmaker, User, manager_id)).role == "admin"

    replies = await manager.send("/invite")
    assert "Кого приглашаем" in replies[-1]
    await manager.send("/settings")
    assert "👥 Сотрудники и команды" in manager.buttons()

    [entry] = await audit(sessionmaker, "user", manager_id)
    assert entry.action == "role_changed" and entry.actor_id == (await user_by_tg(sessionmaker, ADMIN_ID)).id
    assert entry.before == '{"role": "manager"}' and entry.after == '{"role": "admin"}'


async def test_team_change_to_existing_and_new_team(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    manager_id = await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров")
    await make_user(sessionmaker, COLLEAGUE, full_name="Ольга Коллегова", team="Продажи Юг")
    await _card(harness, boss, "Пётр Менеджеров")
    await boss.click("Команда")
    replies = await boss.click("Продажи Юг")
    assert "Команда: Продажи Юг" in replies[-1]
    assert await _team(sessionmaker, manager_id) == "Продажи Юг"

    await boss.click("Команда")
    await boss.click("Новая команда")
    replies = await boss.send("Ю")
    assert "от 2 до 100 символов" in replies[-1]
    assert await count(sessionmaker, Team) == 2
    replies = await boss.send("продажи юг")  # an existing team, whatever the case
    assert "Продажи Юг" in replies[0]
    assert await count(sessionmaker, Team) == 2
    await boss.click("Команда")
    await boss.click("Новая команда")
    replies = await boss.send("Продажи Восток")
    assert "Команда: Продажи Восток" in replies[-1]
    assert await _team(sessionmaker, manager_id) == "Продажи Восток"

    # The team lead of the new team sees the manager's work now (the next command reads the team afresh).
    lead_id = await make_user(sessionmaker, TEAM_LEAD, role="team_lead", team="Продажи Восток")
    await open_lead(sessionmaker, manager_id)
    team_lead = harness.user(TEAM_LEAD)
    await team_lead.send("/leads")
    assert any("Иванов" in b for b in team_lead.buttons())
    actions = [e.action for e in await audit(sessionmaker, "user", manager_id)]
    assert actions == ["team_changed", "team_changed"]
    assert lead_id


async def test_conversion_permission(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    manager_id = await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров")
    await _card(harness, boss, "Пётр Менеджеров")
    await boss.click("Право конвертации")
    replies = await boss.click("Разрешено")
    assert "Право конвертировать клиентов: разрешено" in replies[-1]
    assert (await row(sessionmaker, User, manager_id)).can_convert_clients is True
    await boss.click("Право конвертации")
    await boss.click("Запрещено")
    assert (await row(sessionmaker, User, manager_id)).can_convert_clients is False
    await boss.click("Право конвертации")
    await boss.click("По роли")
    assert (await row(sessionmaker, User, manager_id)).can_convert_clients is None
    assert [e.action for e in await audit(sessionmaker, "user", manager_id)] == ["permission_changed"] * 3


async def test_forged_team_callbacks_from_a_non_admin_change_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    manager_id = await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров")
    colleague_id = await make_user(sessionmaker, COLLEAGUE, full_name="Ольга Коллегова")
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    for telegram_id in (MANAGER, TEAM_LEAD):
        tg = harness.user(telegram_id)
        await tg.send("/menu")
        for data in (
            SettingsCb(action="team").pack(),
            TeamCb(action="setrole", id=manager_id, arg="admin").pack(),
            TeamCb(action="setteam", id=colleague_id, team=0).pack(),
            TeamCb(action="offok", id=colleague_id).pack(),
            TeamCb(action="setconv", id=manager_id, arg="allowed").pack(),
            TeamCb(action="card", id=colleague_id).pack(),
        ):
            replies = await tg.press(data)
            assert replies == ["Эта команда доступна только администраторам."]
    manager = await row(sessionmaker, User, manager_id)
    colleague = await row(sessionmaker, User, colleague_id)
    assert manager.role == "manager" and manager.can_convert_clients is None
    assert colleague.is_active and colleague.team_id is not None
    assert await audit(sessionmaker, "user") == []


async def test_deactivation_refuses_yourself_the_last_admin_and_admin_ids(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    boss_id = (await user_by_tg(sessionmaker, ADMIN_ID)).id
    replies = await boss.press(TeamCb(action="offok", id=boss_id).pack())
    assert "самого себя" in replies[-1]
    replies = await boss.press(TeamCb(action="setrole", id=boss_id, arg="manager").pack())
    assert "ADMIN_IDS" in replies[-1]
    assert (await row(sessionmaker, User, boss_id)).role == "admin"

    # An admin who is not in ADMIN_IDS and is the only active admin cannot demote or deactivate themselves.
    second_id = await make_user(sessionmaker, SECOND_ADMIN, role="admin", team=None, full_name="Борис Второй")
    second = person(harness, SECOND_ADMIN, "Борис Второй")
    await second.send("/menu")
    replies = await second.press(TeamCb(action="offok", id=second_id).pack())
    assert "самого себя" in replies[-1]
    card = await _card(harness, second, "Анна Админова")
    assert "ADMIN_IDS" in card
    replies = await second.click("Отключить")
    assert "ADMIN_IDS" in replies[-1]
    assert (await row(sessionmaker, User, boss_id)).is_active

    async with writing(sessionmaker) as session:
        boss_row = await session.get(User, boss_id)
        assert boss_row is not None
        boss_row.role = "manager"  # now Борис is the only active admin (until Анна writes again)
    replies = await second.press(TeamCb(action="setrole", id=second_id, arg="manager").pack())
    assert "последний активный администратор" in replies[-1]
    assert (await row(sessionmaker, User, second_id)).role == "admin"
    assert await audit(sessionmaker, "user") == []


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


async def _deactivate(harness: Harness, boss: TgUser, name: str) -> list[str]:
    await _card(harness, boss, name)
    replies = await boss.click("Отключить")
    assert "Открытые лиды: 2, открытые сделки: 1" in replies[-1]
    return await boss.click("Да, отключить")


async def test_deactivated_manager_is_refused_and_team_lead_reassigns_one_by_one(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    manager_id, colleague_id, lead_user_id, leads, deal_id = await _team_with_work(sessionmaker)
    replies = await _deactivate(harness, boss, "Пётр Менеджеров")
    assert "Статус: отключён" in replies[-1] and "Переназначить (3)" in boss.buttons()[-2]
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
    replies = await team_lead.click("Переназначить")
    assert "лиды — 2, сделки — 1" in replies[-1]
    await team_lead.click(f"Лид №{leads[0]}")
    targets = team_lead.buttons()
    assert any("Ольга Коллегова" in b for b in targets) and any("Роман Руководов" in b for b in targets)
    assert not any("Юрий" in b or "Пётр" in b for b in targets)
    replies = await team_lead.click("Ольга Коллегова")
    assert "передан" in replies[-2] and "лиды — 1, сделки — 1" in replies[-1]
    assert (await row(sessionmaker, Lead, leads[0])).responsible_id == colleague_id

    await team_lead.click(f"Сделка №{deal_id}")
    await team_lead.click("Роман Руководов")
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

    # A stale press on the lead already handed over changes nothing.
    replies = await team_lead.press(
        ReassignCb(action="to", owner=manager_id, kind="l", rid=leads[0], to=lead_user_id).pack()
    )
    assert "уже закрыта или передана" in replies[-1]
    assert (await row(sessionmaker, Lead, leads[0])).responsible_id == colleague_id


async def test_all_at_once_to_one_member_and_reassign_command(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    manager_id, colleague_id, _lead_user_id, leads, deal_id = await _team_with_work(sessionmaker)
    await _deactivate(harness, boss, "Пётр Менеджеров")

    team_lead = person(harness, TEAM_LEAD, "Роман Руководов")
    replies = await team_lead.send("/reassign")
    assert "Чью работу передать" in replies[-1]
    await team_lead.click("Пётр Менеджеров (3)")
    await team_lead.click("Всё одному")
    replies = await team_lead.click("Ольга Коллегова")
    assert "лиды (2) и сделки (1)" in replies[-1]
    for lead_id in leads:
        assert (await row(sessionmaker, Lead, lead_id)).responsible_id == colleague_id
    assert (await row(sessionmaker, Deal, deal_id)).responsible_id == colleague_id
    assert await count(sessionmaker, Lead, Lead.responsible_id == manager_id, Lead.status == "open") == 0
    await deliver(harness)
    told = [c for c in harness.calls(SendMessage) if int(c.chat_id) == COLLEAGUE]
    assert len(told) == 1 and "лиды — 2, сделки — 1" in told[0].text
    replies = await team_lead.send("/reassign")
    assert "Передавать нечего" in replies[-1]
    entries = await audit(sessionmaker, "lead") + await audit(sessionmaker, "deal")
    assert sorted(e.entity_id for e in entries if e.action == "reassigned") == sorted([*leads, deal_id])


@pytest.mark.parametrize("who", [OTHER_LEAD, COLLEAGUE])
async def test_r1c_forged_reassignment_from_outside_the_team_changes_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], who: int
) -> None:
    boss = await admin(harness)
    manager_id, colleague_id, _lead_user_id, leads, deal_id = await _team_with_work(sessionmaker)
    await _deactivate(harness, boss, "Пётр Менеджеров")
    stranger = harness.user(who)
    await stranger.send("/menu")
    for data in (
        ReassignCb(action="list", owner=manager_id).pack(),
        ReassignCb(action="to", owner=manager_id, kind="l", rid=leads[0], to=colleague_id).pack(),
        ReassignCb(action="allto", owner=manager_id, to=colleague_id).pack(),
    ):
        replies = await stranger.press(data)
        assert "Нет доступа" in replies[-1]
    replies = await stranger.send("/reassign")
    assert "Передавать нечего" in replies[-1] or "только руководители" in replies[-1]
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
    await _card(harness, boss, "Пётр Менеджеров")
    await boss.click("Отключить")
    await boss.click("Да, отключить")
    assert await deliver(harness) == 1
    told = [c for c in harness.calls(SendMessage) if int(c.chat_id) == SECOND_ADMIN]
    assert len(told) == 1 and "Пётр Менеджеров отключён" in told[0].text

    await boss.click("Переназначить (1)")
    await boss.click(f"Лид №{lead_id}")
    await boss.click("Ольга Коллегова")
    assert (await row(sessionmaker, Lead, lead_id)).responsible_id == colleague_id

    card = await _card(harness, boss, "Пётр Менеджеров")
    assert "Открытые лиды: 0" in card
    await boss.click("Включить")
    assert (await row(sessionmaker, User, manager_id)).is_active
    actions = [e.action for e in await audit(sessionmaker, "user", manager_id)]
    assert actions == ["deactivated", "activated"]

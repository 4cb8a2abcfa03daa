"""Converting a client into a counterparty (seed 002, SPEC "Access") — through the real dispatcher."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import Counterparty, Deal, Lead
from handlers.legacy.clients import ClientCb
from tests.factories import make_contact, make_lead, make_user
from tests.harness import Harness, TgUser
from tests.registry import (
    Sessionmaker,
    audit_actions,
    count,
    make_client,
    make_deal,
    open_client,
    set_permission,
)

MANAGER, TEAM_LEAD, ADMIN_TG = 701, 702, 703


async def fill_until_kind(u: TgUser, inn: str = "7707083893") -> None:
    await u.click("В контрагенты")
    await u.send("ООО «Ромашка»")
    await u.send(inn)
    await u.send("773601001")


async def test_team_lead_converts_a_client_and_links_stay(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    contact = await make_contact(sessionmaker, manager)
    client = await make_client(sessionmaker, manager, "Ромашка", contact_ids=(contact,))
    lead = await make_lead(sessionmaker, contact, manager)
    deal = await make_deal(sessionmaker, lead, client_id=client)
    u = harness.user(TEAM_LEAD)
    await open_client(u, client)
    assert "🏢 В контрагенты" in u.buttons() and "📨 Отправить по маршруту" not in u.buttons()
    asked = (await u.click("В контрагенты"))[-1]
    assert "Юридическое наименование" in asked or "юридическое наименование" in asked
    assert "Оставить «Ромашка»" in u.buttons()
    assert "ИНН контрагента" in (await u.click("Оставить"))[-1]
    assert "КПП" in (await u.send("7707 083 893"))[-1]
    assert "Вид контрагента" in (await u.click("Пропустить"))[-1]
    summary = (await u.click("Покупатель"))[-1]
    assert "Проверьте контрагента" in summary and "7707083893" in summary and "КПП: не указано" in summary
    assert await count(sessionmaker, Counterparty) == 0
    replies = await u.click("Создать контрагента")
    assert any("Контрагент создан: Ромашка, ИНН 7707083893" in r for r in replies)
    assert "Контрагент:</b> Ромашка, ИНН 7707083893" in replies[-1]
    async with sessionmaker() as session:
        cp = await session.scalar(select(Counterparty))
        lead_row = await session.get(Lead, lead)
        deal_row = await session.get(Deal, deal)
    assert cp is not None and cp.client_id == client and cp.kind == "customer" and cp.kpp is None
    assert lead_row is not None and lead_row.contact_id == contact
    assert deal_row is not None and deal_row.client_id == client
    assert await audit_actions(sessionmaker, "client", client) == ["converted"]
    assert await audit_actions(sessionmaker, "counterparty", cp.id) == ["created"]
    # The card no longer offers a conversion; a forged second one is refused.
    assert "🏢 В контрагенты" not in u.buttons()
    again = await u.press(ClientCb(action="convert", id=client).pack())
    assert "уже есть контрагент" in again[-1]
    assert await count(sessionmaker, Counterparty) == 1


async def test_manager_granted_the_permission_converts(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await set_permission(sessionmaker, manager, True)
    client = await make_client(sessionmaker, manager)
    u = harness.user(MANAGER)
    await open_client(u, client)
    await fill_until_kind(u, inn="500100732259")
    await u.click("Поставщик")
    await u.click("Создать контрагента")
    async with sessionmaker() as session:
        cp = await session.scalar(select(Counterparty))
    assert cp is not None and cp.inn == "500100732259" and cp.kpp == "773601001" and cp.kind == "supplier"
    assert cp.created_by_id == manager


async def test_manager_without_permission_is_refused(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    client = await make_client(sessionmaker, manager)
    u = harness.user(MANAGER)
    await open_client(u, client)
    assert "🏢 В контрагенты" not in u.buttons() and "📨 Отправить по маршруту" in u.buttons()
    forged = await u.press(ClientCb(action="convert", id=client).pack())
    assert "правом перевода" in forged[-1]
    assert await count(sessionmaker, Counterparty) == 0


async def test_team_lead_whose_permission_was_revoked_mid_form_is_refused_at_save(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    team_lead = await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    client = await make_client(sessionmaker, manager)
    u = harness.user(TEAM_LEAD)
    await open_client(u, client)
    await fill_until_kind(u)
    await u.click("Покупатель")
    await set_permission(sessionmaker, team_lead, False)
    replies = await u.click("Создать контрагента")
    assert "правом перевода" in replies[-1]
    assert await count(sessionmaker, Counterparty) == 0


@pytest.mark.parametrize(
    ("inn", "reason"),
    [
        ("7707083894", "контрольных цифр"),
        ("500100732258", "контрольных цифр"),
        ("770708389", "а сейчас 9"),
        ("7707-083-893", "только цифры"),
    ],
)
async def test_invalid_inn_is_re_asked(
    harness: Harness, sessionmaker: Sessionmaker, inn: str, reason: str
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    client = await make_client(sessionmaker, manager)
    u = harness.user(TEAM_LEAD)
    await open_client(u, client)
    await u.click("В контрагенты")
    await u.click("Оставить")
    answer = (await u.send(inn))[-1]
    assert reason in answer and "ИНН контрагента" in answer
    assert "КПП" in (await u.send("7707083893"))[-1]


async def test_invalid_kpp_and_legal_name_are_re_asked(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    client = await make_client(sessionmaker, manager)
    u = harness.user(TEAM_LEAD)
    await open_client(u, client)
    await u.click("В контрагенты")
    assert "от 2 до 300 символов, а сейчас 1" in (await u.send("Я"))[-1]
    await u.send("ООО «Ромашка»")
    await u.send("7707083893")
    assert "КПП — 9 знаков" in (await u.send("77360100"))[-1]
    assert "Вид контрагента" in (await u.send("773601001"))[-1]


async def test_duplicate_inn_gives_a_clear_message(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    first = await make_client(sessionmaker, manager, "Первый")
    second = await make_client(sessionmaker, manager, "Второй")
    u = harness.user(TEAM_LEAD)
    for client in (first, second):
        await open_client(u, client)
        await fill_until_kind(u)
        await u.click("Покупатель")
        replies = await u.click("Создать контрагента")
    assert "Контрагент с таким ИНН уже есть: ООО «Ромашка» (ИНН 7707083893)" in replies[-1]
    assert "ИНН контрагента" in replies[-1]
    summary = (await u.send("500100732259"))[-1]
    assert "Проверьте контрагента" in summary and "500100732259" in summary
    await u.click("Создать контрагента")
    assert await count(sessionmaker, Counterparty) == 2


async def test_back_in_the_conversion_form(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    client = await make_client(sessionmaker, manager)
    u = harness.user(TEAM_LEAD)
    await open_client(u, client)
    await fill_until_kind(u)
    assert "КПП" in (await u.click("Назад"))[-1]
    assert "ИНН контрагента" in (await u.click("Назад"))[-1]
    assert "Действие отменено" in (await u.click("Отмена"))[-1]
    assert await count(sessionmaker, Counterparty) == 0

"""Editing a saved client through the client form's own windows: «✏️ Изменить» on the card (seed 002, R1c)."""

from __future__ import annotations

import json

from sqlalchemy import select, update

from db.engine import writing
from db.models import AuditEntry, Client, Contact
from tests.factories import make_client, make_contact, make_user
from tests.flows.contacts.helpers import button_data
from tests.harness import Harness, first_line, t, tp
from tests.registry import Sessionmaker, audit_actions, open_client

MANAGER, OTHER, TEAM_LEAD, STRANGER = 611, 612, 613, 614
EDIT = tp("clients-btn-edit-card")
SUMMARY = first_line("clients-summary-edit", name="", industry="", region="", responsible="")


async def _client(sessionmaker: Sessionmaker, client_id: int) -> Client:
    async with sessionmaker() as session:
        client = await session.get(Client, client_id)
    assert client is not None
    return client


async def test_the_responsible_edits_name_industry_and_region(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    client = await make_client(sessionmaker, manager, "ООО Ромашка")
    u = harness.user(MANAGER)
    await open_client(u, client)
    summary = (await u.click(EDIT))[-1]
    assert SUMMARY in summary and "ООО Ромашка" in summary and "Розничная торговля" in summary
    assert tp("clients-btn-edit-contacts") not in u.buttons()
    assert first_line("clients-ask-name") in (await u.click(tp("clients-btn-edit-name")))[-1]
    summary = (await u.send("  ООО   Ромашка-Плюс "))[-1]
    assert SUMMARY in summary and "ООО Ромашка-Плюс" in summary
    await u.click(tp("clients-btn-edit-industry"))
    summary = (await u.click("Логистика и склады"))[-1]
    assert SUMMARY in summary and "Логистика и склады" in summary
    await u.click(tp("clients-btn-edit-region"))
    await u.click("Южный")
    assert (await _client(sessionmaker, client)).name == "ООО Ромашка"  # nothing saved before «Сохранить»
    card = (await u.click(tp("btn-save")))[-1]
    assert t("clients-edited") in card and "ООО Ромашка-Плюс" in card
    saved = await _client(sessionmaker, client)
    assert (saved.name, saved.name_search) == ("ООО Ромашка-Плюс", "ооо ромашка-плюс")
    assert saved.industry_id != 1 and saved.region_id != 1
    async with sessionmaker() as session:
        entry = await session.scalar(
            select(AuditEntry).where(
                AuditEntry.entity == "client", AuditEntry.entity_id == client, AuditEntry.action == "edited"
            )
        )
    assert entry is not None and entry.actor_id == manager
    before, after = json.loads(entry.before or "{}"), json.loads(entry.after or "{}")
    assert before["name"] == "ООО Ромашка" and after["name"] == "ООО Ромашка-Плюс"
    assert before["industry_id"] == 1 and after["industry_id"] == saved.industry_id


async def test_saving_without_a_change_writes_nothing(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    client = await make_client(sessionmaker, manager)
    u = harness.user(MANAGER)
    await open_client(u, client)
    await u.click(EDIT)
    assert t("clients-edit-unchanged") in (await u.click(tp("btn-save")))[-1]
    assert await audit_actions(sessionmaker, "client", client) == []


async def test_an_invalid_name_is_re_asked_and_nothing_changes(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    client = await make_client(sessionmaker, manager)
    u = harness.user(MANAGER)
    await open_client(u, client)
    await u.click(EDIT)
    await u.click(tp("clients-btn-edit-name"))
    for bad in ("Я", "Я" * 201):
        answer = (await u.send(bad))[-1]
        assert first_line("clients-ask-name") in answer and answer != first_line("clients-ask-name")
    assert (await _client(sessionmaker, client)).name == "ООО Ромашка"


async def test_industry_and_region_are_required_when_a_client_is_edited(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """A client typed in without industry and region (before the registry) must get both on its first edit."""
    manager = await make_user(sessionmaker, MANAGER)
    client = await make_client(sessionmaker, manager)
    async with writing(sessionmaker) as session:
        await session.execute(
            update(Client).where(Client.id == client).values(industry_id=None, region_id=None)
        )
    u = harness.user(MANAGER)
    await open_client(u, client)
    await u.click(EDIT)
    answer = (await u.click(tp("btn-save")))[-1]
    assert t("clients-value-required") in answer and first_line("clients-ask-industry") in answer
    assert tp("btn-skip") not in u.buttons()
    answer = (await u.click("Производство"))[-1]
    assert SUMMARY in answer
    answer = (await u.click(tp("btn-save")))[-1]
    assert t("clients-value-required") in answer and first_line("clients-ask-region") in answer
    await u.click("Уральский")
    assert t("clients-edited") in (await u.click(tp("btn-save")))[-1]
    saved = await _client(sessionmaker, client)
    assert saved.industry_id is not None and saved.region_id is not None


async def test_r1c_only_who_manages_the_client_may_edit_it(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """A colleague who sees the client through their own contact person gets no «✏️ Изменить»; the team lead
    of the responsible does; a stale edit (the client handed to another team meanwhile) is refused."""
    owner = await make_user(sessionmaker, OTHER)
    colleague = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    contact = await make_contact(sessionmaker, colleague)
    client = await make_client(sessionmaker, owner, contact_ids=(contact,))
    u = harness.user(MANAGER)
    await open_client(u, client)
    assert EDIT not in u.buttons()
    add = button_data(u, tp("clients-btn-add-contact"))
    replies = await u.press(add.replace("\x1dadd", "\x1dedit_client"))  # a forged «✏️ Изменить»
    assert not any(SUMMARY in reply for reply in replies)
    assert (await _client(sessionmaker, client)).name == "ООО Ромашка"

    lead = harness.user(TEAM_LEAD)
    await open_client(lead, client)
    assert EDIT in lead.buttons()
    await lead.click(EDIT)
    await lead.click(tp("clients-btn-edit-name"))
    await lead.send("ООО Ромашка Лид")
    stranger = await make_user(sessionmaker, STRANGER, team="Продажи Юг")
    async with writing(sessionmaker) as session:  # handed to another team before the save
        await session.execute(update(Client).where(Client.id == client).values(responsible_id=stranger))
        await session.execute(update(Contact).where(Contact.id == contact).values(client_id=None))
    replies = await lead.click(tp("btn-save"))
    assert tp("access-denied") in replies
    assert (await _client(sessionmaker, client)).name == "ООО Ромашка"
    assert await audit_actions(sessionmaker, "client", client) == []


async def test_a_team_lead_hands_the_client_to_a_team_member_and_a_manager_may_not(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    owner = await make_user(sessionmaker, MANAGER, full_name="Анна Первая")
    member = await make_user(sessionmaker, OTHER, full_name="Борис Второй")
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead", full_name="Лидия Старшая")
    stranger = await make_user(sessionmaker, STRANGER, team="Продажи Юг", full_name="Юрий Южный")
    client = await make_client(sessionmaker, owner)
    u = harness.user(MANAGER, first_name="Анна", last_name="Первая")
    await open_client(u, client)
    await u.click(EDIT)
    assert tp("clients-btn-edit-responsible") not in u.buttons()  # a manager keeps their client

    lead = harness.user(TEAM_LEAD)
    await open_client(lead, client)
    summary = (await lead.click(EDIT))[-1]
    assert "Анна Первая" in summary
    asked = (await lead.click(tp("clients-btn-edit-responsible")))[-1]
    assert first_line("clients-ask-responsible") in asked
    assert "Борис Второй" in lead.buttons() and "Юрий Южный" not in lead.buttons()
    pick = button_data(lead, "Борис Второй")
    forged = f"{pick.rsplit(':', 1)[0]}:{stranger}"
    assert (await lead.press(forged))[-1] == tp("access-denied")
    summary = (await lead.click("Борис Второй"))[-1]
    assert SUMMARY in summary and "Борис Второй" in summary
    assert t("clients-edited") in (await lead.click(tp("btn-save")))[-1]
    assert (await _client(sessionmaker, client)).responsible_id == member
    async with sessionmaker() as session:
        entry = await session.scalar(
            select(AuditEntry).where(AuditEntry.entity == "client", AuditEntry.entity_id == client)
        )
    assert entry is not None and json.loads(entry.after or "{}") == {"responsible_id": member}

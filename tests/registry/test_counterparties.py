"""Converting a client into a counterparty (seed 002, SPEC "Access") — dialogs through the real dispatcher."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.callbacks import ClientCb
from db.models import Counterparty, Deal, Lead
from tests.factories import make_client, make_contact, make_lead, make_user
from tests.harness import Harness, TgUser, first_line, t, tp
from tests.registry import Sessionmaker, audit_actions, count, make_deal, open_client, set_permission

MANAGER, TEAM_LEAD, STRANGER = 701, 702, 704


async def fill_until_kind(u: TgUser, inn: str = "7707083893") -> None:
    await u.click(tp("clients-btn-convert"))
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
    assert tp("clients-btn-convert") in u.buttons() and tp("clients-btn-route") not in u.buttons()
    asked = (await u.click(tp("clients-btn-convert")))[-1]
    assert first_line("clients-ask-legal-name", name="Ромашка") in asked
    assert tp("clients-btn-keep-name", name="Ромашка") in u.buttons()
    assert t("clients-ask-inn") in (await u.click(tp("clients-btn-keep-name", name="Ромашка")))[-1]
    assert t("clients-ask-kpp") in (await u.send("7707 083 893"))[-1]
    assert first_line("clients-ask-kind") in (await u.click(tp("btn-skip")))[-1]
    summary = (await u.click(tp("clients-kind-customer")))[-1]
    assert first_line("clients-conv-summary", client="", legal_name="", inn="", kpp="", kind="") in summary
    assert "7707083893" in summary and t("clients-value-none") in summary
    assert await count(sessionmaker, Counterparty) == 0
    replies = await u.click(tp("clients-btn-create-counterparty"))
    assert len(replies) == 1, "the form becomes the card"
    assert t("clients-converted", legal_name="Ромашка", inn="7707083893") in replies[-1]
    assert "Ромашка, ИНН 7707083893" in replies[-1]
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
    assert tp("clients-btn-convert") not in u.buttons()
    again = await u.press(ClientCb(action="convert", id=client).pack())
    assert again[-1] == tp("clients-refused-has-counterparty")
    assert await count(sessionmaker, Counterparty) == 1
    # The counterparty card, and back to the client.
    party = (await u.click(tp("clients-btn-party")))[-1]
    assert "Ромашка" in party and "7707083893" in party and t("clients-kind-customer") in party
    assert "Ромашка" in (await u.click(tp("clients-btn-party-client", name="Ромашка")))[-1]


async def test_a_counterparty_card_is_refused_to_who_may_not_see_its_client(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    await make_user(sessionmaker, STRANGER, team="Продажи Юг")
    client = await make_client(sessionmaker, manager, "Ромашка")
    lead_chat = harness.user(TEAM_LEAD)
    await open_client(lead_chat, client)
    await fill_until_kind(lead_chat)
    await lead_chat.click(tp("clients-kind-partner"))
    await lead_chat.click(tp("clients-btn-create-counterparty"))
    async with sessionmaker() as session:
        cp = await session.scalar(select(Counterparty))
    assert cp is not None
    stranger = harness.user(STRANGER)
    await stranger.send("/clients")
    replies = await stranger.press(ClientCb(action="party", id=cp.id).pack())
    assert replies[-1] == tp("access-denied") and "7707083893" not in " ".join(replies)


async def test_manager_granted_the_permission_converts(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await set_permission(sessionmaker, manager, True)
    client = await make_client(sessionmaker, manager)
    u = harness.user(MANAGER)
    await open_client(u, client)
    await fill_until_kind(u, inn="500100732259")
    await u.send("поставщ")  # typed text at the kind step picks the kind it names
    await u.click(tp("clients-btn-create-counterparty"))
    async with sessionmaker() as session:
        cp = await session.scalar(select(Counterparty))
    assert cp is not None and cp.inn == "500100732259" and cp.kpp == "773601001" and cp.kind == "supplier"
    assert cp.created_by_id == manager


async def test_manager_without_permission_is_refused(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    client = await make_client(sessionmaker, manager)
    u = harness.user(MANAGER)
    await open_client(u, client)
    assert tp("clients-btn-convert") not in u.buttons() and tp("clients-btn-route") in u.buttons()
    forged = await u.press(ClientCb(action="convert", id=client).pack())
    assert forged[-1] in {tp("clients-convert-denied"), t("access-denied")}
    assert first_line("clients-ask-legal-name", name="ООО Ромашка") not in " ".join(u.replies())
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
    await u.click(tp("clients-kind-customer"))
    await set_permission(sessionmaker, team_lead, False)
    replies = await u.click(tp("clients-btn-create-counterparty"))
    assert replies[-1] == tp("clients-convert-denied")
    assert await count(sessionmaker, Counterparty) == 0


@pytest.mark.parametrize(
    ("inn", "key"),
    [
        ("7707083894", "clients-err-inn-checksum"),
        ("500100732258", "clients-err-inn-checksum"),
        ("770708389", "clients-err-inn-length"),
        ("7707-083-893", "clients-err-inn-digits"),
    ],
)
async def test_invalid_inn_is_re_asked(
    harness: Harness, sessionmaker: Sessionmaker, inn: str, key: str
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    client = await make_client(sessionmaker, manager)
    u = harness.user(TEAM_LEAD)
    await open_client(u, client)
    await u.click(tp("clients-btn-convert"))
    await u.click(tp("clients-btn-keep-name", name="ООО Ромашка"))
    answer = (await u.send(inn))[-1]
    assert first_line(key, length=9) in answer and t("clients-ask-inn") in answer
    assert t("clients-ask-kpp") in (await u.send("7707083893"))[-1]


async def test_invalid_kpp_and_legal_name_are_re_asked(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    client = await make_client(sessionmaker, manager)
    u = harness.user(TEAM_LEAD)
    await open_client(u, client)
    await u.click(tp("clients-btn-convert"))
    assert "от 2 до 300 символов, а сейчас 1" in (await u.send("Я"))[-1]
    await u.send("ООО «Ромашка»")
    await u.send("7707083893")
    assert first_line("clients-err-kpp-format") in (await u.send("77360100"))[-1]
    assert first_line("clients-ask-kind") in (await u.send("773601001"))[-1]
    assert t("clients-choice-none", query="Клиент") in (await u.send("Клиент"))[-1]
    assert await count(sessionmaker, Counterparty) == 0


async def test_duplicate_inn_gives_a_clear_message(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    first = await make_client(sessionmaker, manager, "Первый")
    second = await make_client(sessionmaker, manager, "Второй")
    u = harness.user(TEAM_LEAD)
    for client in (first, second):
        await open_client(u, client)
        await fill_until_kind(u)
        await u.click(tp("clients-kind-customer"))
        replies = await u.click(tp("clients-btn-create-counterparty"))
    assert t("clients-inn-taken", legal_name="ООО «Ромашка»", inn="7707083893") in replies[-1]
    assert t("clients-ask-inn") in replies[-1]
    summary = (await u.send("500100732259"))[-1]
    assert "500100732259" in summary and tp("clients-btn-create-counterparty") in u.buttons()
    await u.click(tp("clients-btn-create-counterparty"))
    assert await count(sessionmaker, Counterparty) == 2


async def test_summary_edit_and_back_in_the_conversion_form(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    client = await make_client(sessionmaker, manager)
    u = harness.user(TEAM_LEAD)
    await open_client(u, client)
    await fill_until_kind(u)
    assert t("clients-ask-kpp") in (await u.click(tp("btn-back")))[-1]
    assert t("clients-ask-inn") in (await u.click(tp("btn-back")))[-1]
    await u.send("7707083893")
    await u.send("773601001")
    await u.click(tp("clients-kind-partner"))
    assert t("clients-ask-kpp") in (await u.click(tp("clients-btn-edit-kpp")))[-1]
    assert "770101001" in (await u.send("770101001"))[-1], "an edit returns to the summary"
    assert first_line("clients-ask-kind") in (await u.click(tp("btn-back")))[-1]
    await u.click(tp("clients-kind-partner"))
    # Cancel closes the form and shows the card again; nothing is saved.
    assert "ООО Ромашка" in (await u.click(tp("btn-cancel")))[-1]
    assert await count(sessionmaker, Counterparty) == 0

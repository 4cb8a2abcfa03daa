"""The lead card (R1c, R1d, R2a): fields, the qualifying interaction, refusal, reassignment, its buttons."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

import pytest
from aiogram.methods import SendMessage
from sqlalchemy import update

from bot.callbacks import LeadCb, LeadReassignCb
from db.models import Lead, OutboxMessage, RefusalReason
from tests.factories import make_contact, make_interaction, make_lead, make_user, reason_id
from tests.flows.leads.helpers import (
    LEAD_TG,
    MANAGER,
    MEMBER,
    OTHER,
    Sessionmaker,
    audit_actions,
    button_data,
    count,
    forged_item,
    get_lead,
    has_button,
    open_lead,
    top_dialog,
)
from tests.harness import Harness, first_line, t, tp
from tests.reminders.deliver import deliver

REASON = "Купили у конкурента <дешевле>"


def migrated(feature: str) -> bool:
    return hasattr(importlib.import_module(f"handlers.{feature}"), "create_router")


async def test_the_card_shows_the_lead_and_its_last_qualifying_interaction(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """R1d: the card names the last interaction that qualifies, by the same rule as /log and conversion."""
    manager = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    u = harness.user(MANAGER, first_name="Ирина", last_name="Менеджерова")
    card = (await open_lead(u, lead))[-1]
    assert f"№{lead}" in card and "Иванов Иван Иванович" in card and "+7 912 345-67-89" in card
    assert "Ирина Менеджерова" in card and t("lead-card-qualifying-none") in card
    await make_interaction(
        sessionmaker, manager, lead_id=lead, outcome="not_reached", discussed=None, agreed=None
    )
    at = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    await make_interaction(sessionmaker, manager, lead_id=lead, occurred_at=at)
    card = (await open_lead(u, lead))[-1]
    assert t("lead-card-qualifying", kind=t("kind-call"), at="20.11.2026 12:30") in card
    count_line = t("lead-card", **{**dict.fromkeys(CARD_FIELDS, ""), "interactions": 2}).split("\n")[-1]
    assert count_line in card, "both interactions are counted"


CARD_FIELDS = (
    "id",
    "status",
    "contact",
    "phone",
    "source",
    "group",
    "description",
    "responsible",
    "created",
    "interactions",
)


async def test_unanswered_correspondence_is_not_qualifying(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """R1e: a message the client never answered is not correspondence."""
    manager = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    await make_interaction(sessionmaker, manager, lead_id=lead, kind="correspondence", outcome="no_reply")
    u = harness.user(MANAGER)
    assert t("lead-card-qualifying-none") in (await open_lead(u, lead))[-1]


async def test_r2a_refusal_asks_a_reason_and_a_text_then_confirms_and_stores_them(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """R2a: the reason is a button of «Причины отказа»; the text next to it is judged as before."""
    owner = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, owner), owner)
    u = harness.user(MANAGER)
    await open_lead(u, lead)
    refuse = button_data(u, tp("lead-btn-reject"))
    pick = t("lead-ask-reject-reason", id=lead)
    assert pick in (await u.click(tp("lead-btn-reject")))[-1]
    assert {"Нецелевой", "Нет потребности", "Другое"} <= set(u.buttons())
    assert t("lead-use-buttons") in (await u.send(REASON))[-1], "the reason is chosen with a button"
    ask = first_line("lead-ask-reject-text", id=lead, reason="Нет потребности", min=3, max=500)
    assert ask in (await u.click("Нет потребности"))[-1]
    assert first_line("lead-reject-reason-invalid", min=3, max=500) in (await u.send("да"))[-1]
    assert first_line("limit-too-long", limit=500, length=501) in (await u.send("я" * 501))[-1]
    assert first_line("limit-too-long", limit=500, length=520) in (await u.send("<" * 130))[-1]
    assert t("form-err-text-expected") in (await u.share_contact("+79123456789", "Иван"))[-1]
    confirm = (await u.send(REASON))[-1]
    assert "Нет потребности — Купили у конкурента &lt;дешевле&gt;" in confirm
    assert (await get_lead(sessionmaker, lead)).status == "open", "nothing happens before the confirmation"
    assert ask in (await u.click(tp("btn-back")))[-1]
    assert pick in (await u.click(tp("btn-back")))[-1]
    await u.click("Нет потребности")
    await u.send(REASON)
    card = (await u.click(tp("lead-btn-reject-confirm")))[-1]
    assert t("lead-rejected") in card and t("lead-status-rejected") in card
    assert t("lead-card-reject-reason", reason="Нет потребности — " + REASON) in card
    assert not has_button(u, "lead-btn-reject") and not has_button(u, "lead-btn-log")
    stored = await get_lead(sessionmaker, lead)
    assert stored.status == "rejected" and stored.reject_reason == REASON
    assert stored.reject_reason_id == await reason_id(sessionmaker, RefusalReason, "no_need")
    assert await audit_actions(sessionmaker, lead) == ["rejected"]
    assert (await u.press(refuse))[-1] == tp("record-closed"), "the old card's button changes nothing"
    assert await audit_actions(sessionmaker, lead) == ["rejected"]


async def test_refusal_cancelled_at_the_confirmation_leaves_the_lead_open(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    owner = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, owner), owner)
    u = harness.user(MANAGER)
    await open_lead(u, lead)
    await u.click(tp("lead-btn-reject"))
    await u.click("Нецелевой")
    await u.send(REASON)
    card = (await u.click(tp("btn-cancel")))[-1]
    assert f"№{lead}" in card and t("lead-status-open") in card
    assert (await get_lead(sessionmaker, lead)).status == "open"
    assert await audit_actions(sessionmaker, lead) == []


async def test_refusal_of_a_lead_closed_meanwhile_is_refused_at_the_confirmation(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    owner = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, owner), owner)
    u = harness.user(MANAGER)
    await open_lead(u, lead)
    await u.click(tp("lead-btn-reject"))
    await u.click("Нецелевой")
    await u.send(REASON)
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Lead).where(Lead.id == lead).values(status="converted"))
    assert (await u.click(tp("lead-btn-reject-confirm")))[-1] == tp("record-closed")
    assert (await get_lead(sessionmaker, lead)).status == "converted"


async def test_team_lead_may_refuse_a_members_lead(harness: Harness, sessionmaker: Sessionmaker) -> None:
    await make_user(sessionmaker, LEAD_TG, role="team_lead")
    member = await make_user(sessionmaker, MEMBER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, member), member)
    u = harness.user(LEAD_TG)
    await u.send("/menu")
    await u.press(LeadCb(action="reject", id=lead).pack())  # an older card's button opens the card
    await u.click(tp("lead-btn-reject"))
    await u.click("Нет потребности")
    await u.send("Клиент закрыл проект")
    await u.click(tp("lead-btn-reject-confirm"))
    assert (await get_lead(sessionmaker, lead)).status == "rejected"


async def test_r1c_another_manager_sees_nothing_and_changes_nothing(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    owner = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, OTHER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, owner), owner)
    u = harness.user(OTHER)
    assert t("lead-list-empty") in (await u.send("/leads"))[-1], "another manager's lead is not visible"
    for action in ("open", "reject", "reassign", "full"):
        assert (await u.press(LeadCb(action=action, id=lead).pack()))[-1] == tp("access-denied")
    assert (await top_dialog(u) or ("",))[0] == "LeadList:main", "no card was opened"
    await u.send("Купили у конкурента дешевле")
    assert (await get_lead(sessionmaker, lead)).status == "open"
    assert await audit_actions(sessionmaker, lead) == []
    assert (await u.press(LeadCb(action="open", id=4242).pack()))[-1] == tp("access-denied")


async def test_a_card_button_pressed_by_someone_else_obeys_nothing(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    owner = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, OTHER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, owner), owner)
    u = harness.user(MANAGER)
    await open_lead(u, lead)
    refuse = button_data(u, tp("lead-btn-reject"))
    intruder = harness.user(OTHER)
    await intruder.send("/menu")
    assert (await intruder.press(refuse))[-1] == tp("button-stale")
    assert await top_dialog(intruder) is None


async def test_manager_has_no_reassign_and_a_forged_reassign_changes_nothing(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    colleague = await make_user(sessionmaker, OTHER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    u = harness.user(MANAGER)
    await open_lead(u, lead)
    assert not has_button(u, "lead-btn-reassign")
    assert (await u.press(LeadReassignCb(lead=lead, user=colleague).pack()))[-1] == tp("access-denied")
    assert (await get_lead(sessionmaker, lead)).responsible_id == manager
    assert await audit_actions(sessionmaker, lead) == []


async def test_team_lead_reassigns_and_the_new_owner_is_notified_through_the_outbox(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    await make_user(sessionmaker, LEAD_TG, role="team_lead", full_name="Руководитель Анна")
    manager = await make_user(sessionmaker, MANAGER, full_name="Менеджер Ирина")
    member = await make_user(sessionmaker, MEMBER, full_name="Менеджер Олег")
    stranger = await make_user(sessionmaker, OTHER, team="Продажи Юг", full_name="Чужой Борис")
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    u = harness.user(LEAD_TG)
    await open_lead(u, lead)
    assert t("lead-ask-reassign", id=lead) in (await u.click(tp("lead-btn-reassign")))[-1]
    assert "Менеджер Ирина" not in u.buttons(), "the current owner is not offered"
    assert "Чужой Борис" not in u.buttons()
    assert (await u.press(forged_item(u, "Менеджер Олег", stranger)))[-1] == tp("access-denied")
    assert (await get_lead(sessionmaker, lead)).responsible_id == manager
    card = (await u.click("Менеджер Олег"))[-1]
    assert t("lead-reassigned", name="Менеджер Олег") in card and "Менеджер Олег" in card
    assert (await get_lead(sessionmaker, lead)).responsible_id == member
    assert await audit_actions(sessionmaker, lead) == ["reassigned"]
    assert await count(sessionmaker, OutboxMessage) == 1
    assert await deliver(harness) == 1
    assert any(int(c.chat_id) == MEMBER and f"№{lead}" in c.text for c in harness.calls(SendMessage))


async def test_an_older_reassign_button_is_checked_again_and_opens_the_card(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    await make_user(sessionmaker, LEAD_TG, role="team_lead")
    manager = await make_user(sessionmaker, MANAGER)
    member = await make_user(sessionmaker, MEMBER, full_name="Менеджер Олег")
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    u = harness.user(LEAD_TG)
    await u.send("/menu")
    card = (await u.press(LeadReassignCb(lead=lead, user=member).pack()))[-1]
    assert t("lead-reassigned", name="Менеджер Олег") in card and f"№{lead}" in card
    assert (await get_lead(sessionmaker, lead)).responsible_id == member
    assert (await u.press(LeadReassignCb(lead=4242, user=member).pack()))[-1] == tp("button-stale")


async def test_a_long_description_is_cut_on_the_card_and_shown_in_full(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    description = "Длинный запрос. " * 80 + "конец"
    lead = await make_lead(
        sessionmaker, await make_contact(sessionmaker, manager), manager, description=description
    )
    u = harness.user(MANAGER)
    card = (await open_lead(u, lead))[-1]
    assert "…" in card and "конец" not in card
    replies = await u.click(tp("card-btn-show-full"))
    assert "конец" in replies[0] and t("lead-full-description", id=lead) in replies[0]


@pytest.mark.parametrize(
    ("label", "feature", "state", "data"),
    [
        ("lead-btn-log", "interactions", "LogForm:subject", "lead_id"),
        ("lead-btn-convert", "deals", "DealForm:lead", "lead_id"),
        ("lead-btn-task", "tasks", "TaskForm:title", "entity_id"),
    ],
)
async def test_card_buttons_start_the_other_features_dialogs_on_this_lead(
    harness: Harness, sessionmaker: Sessionmaker, label: str, feature: str, state: str, data: str
) -> None:
    if not migrated(feature):
        pytest.skip(f"handlers.{feature} still runs on its plain router")
    manager = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    await make_interaction(sessionmaker, manager, lead_id=lead)  # R1d: the lead may become a deal
    u = harness.user(MANAGER)
    await open_lead(u, lead)
    await u.click(tp(label))
    top = await top_dialog(u)
    assert top is not None and top[0].startswith(state.split(":")[0]) and top[1][data] == lead


async def test_notification_button_opens_the_card(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    u = harness.user(MANAGER)
    await u.send("/menu")
    assert f"№{lead}" in (await u.press(LeadCb(action="open", id=lead).pack()))[-1]
    assert await top_dialog(u) == ("LeadCard:main", {"lead_id": lead})

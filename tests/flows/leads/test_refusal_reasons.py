"""R2a: a lead is refused with a button of «Причины отказа» (re-checked on the press and in the write) and an
optional text; the card shows the reason in the reader's language, and a lead refused before the directory
still shows its text."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select, update

from bot.callbacks import LeadCb
from db.models import AuditEntry, Lead, RefusalReason
from tests.factories import make_contact, make_lead, make_user, reason_id, switch_reason
from tests.flows.leads.helpers import (
    MANAGER,
    Sessionmaker,
    audit_actions,
    forged_item,
    get_lead,
)
from tests.harness import Harness, TgUser, first_line, t, tp


async def refusal(harness: Harness, sessionmaker: Sessionmaker, lang: str = "ru") -> tuple[TgUser, int]:
    """A manager's open lead with «✖️ Отказ» pressed: the reasons are on the screen."""
    owner = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, owner), owner)
    u = harness.user(MANAGER, language_code=lang)
    await u.send("/menu")
    await u.press(LeadCb(action="open", id=lead).pack())
    await u.click(tp("lead-btn-reject", lang))
    return u, lead


async def test_r2a_reason_with_skip_is_stored_alone_and_audited_by_name(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    u, lead = await refusal(harness, sessionmaker)
    await u.click("Дубликат обращения")
    replies = await u.click(tp("btn-skip"))
    assert first_line("lead-reject-confirm", id=lead, reason="Дубликат обращения") in replies[-1]
    card = (await u.click(tp("lead-btn-reject-confirm")))[-1]
    assert t("lead-card-reject-reason", reason="Дубликат обращения") in card
    stored = await get_lead(sessionmaker, lead)
    assert stored.status == "rejected" and stored.reject_reason is None
    assert stored.reject_reason_id == await reason_id(sessionmaker, RefusalReason, "duplicate")
    async with sessionmaker() as session:
        after = await session.scalar(
            select(AuditEntry.after).where(AuditEntry.entity == "lead", AuditEntry.action == "rejected")
        )
    assert after is not None
    values = json.loads(after)
    assert values["reason"] == "Дубликат обращения" and values["reject_reason_id"] == stored.reject_reason_id


async def test_r2a_forged_or_switched_off_reason_is_refused_and_nothing_saved(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    u, lead = await refusal(harness, sessionmaker)
    pick = t("lead-ask-reject-reason", id=lead)
    replies = await u.press(forged_item(u, "Нецелевой", 4242))
    assert t("outcome-reason-gone") in replies[-1] and pick in replies[-1]
    assert (await u.press(forged_item(u, "Нецелевой", 0)))[-1] == tp("button-stale")
    off = await reason_id(sessionmaker, RefusalReason, "no_answer")
    await switch_reason(sessionmaker, RefusalReason, "no_answer", False)
    replies = await u.press(forged_item(u, "Нецелевой", off))
    assert t("outcome-reason-gone") in replies[-1]
    assert "Не отвечает" not in u.buttons(), "a reason switched off is no longer offered"
    # Switched off between the choice and the confirmation: asked again, nothing saved.
    await u.click("Нецелевой")
    await u.send("Ищут оборудование для дома")
    await switch_reason(sessionmaker, RefusalReason, "not_target", False)
    replies = await u.click(tp("lead-btn-reject-confirm"))
    assert t("outcome-reason-gone") in replies[-1] and pick in replies[-1]
    stored = await get_lead(sessionmaker, lead)
    assert stored.status == "open" and stored.reject_reason is None and stored.reject_reason_id is None
    assert await audit_actions(sessionmaker, lead) == []


async def test_r2a_text_too_short_or_too_long_is_refused(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    u, lead = await refusal(harness, sessionmaker)
    await u.click("Другое")
    assert first_line("lead-reject-reason-invalid", min=3, max=500) in (await u.send("ок"))[-1]
    assert first_line("limit-too-long", limit=500, length=501) in (await u.send("я" * 501))[-1]
    assert (await get_lead(sessionmaker, lead)).status == "open"


async def test_the_card_reads_the_reason_in_english_and_an_old_text_alone(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    u, lead = await refusal(harness, sessionmaker, "en")
    assert {"Not a target client", "No need", "Other"} <= set(u.buttons())
    await u.click("No need")
    await u.send("Closed the warehouse project")
    card = (await u.click(tp("lead-btn-reject-confirm", "en")))[-1]
    assert t("lead-card-reject-reason", "en", reason="No need — Closed the warehouse project") in card

    owner = (await get_lead(sessionmaker, lead)).responsible_id
    contact = await make_contact(
        sessionmaker,
        owner,
        name="Смирнова Ольга",
        phone="+79217654321",
        birth=date(1990, 7, 1),
        email="smirnova@yandex.ru",
    )
    old = await make_lead(sessionmaker, contact, owner)
    async with sessionmaker() as session, session.begin():
        values = {"status": "rejected", "reject_reason": "Купили раньше"}
        await session.execute(update(Lead).where(Lead.id == old).values(**values))
    card = (await u.press(LeadCb(action="open", id=old).pack()))[-1]
    assert t("lead-card-reject-reason", "en", reason="Купили раньше") in card

"""R2a: a lost deal's reason is a button of «Причины проигрыша» (re-checked on the press and in the write),
with an optional text; the card shows «Причина: <reason> — <text>» in the reader's language."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import DealCb
from db.models import AuditEntry, Deal, LostReason
from tests.factories import reason_id, switch_reason
from tests.flows.deals.helpers import (
    MANAGER,
    convertible_lead,
    count,
    deals,
    insert_deal,
    new_deal,
    reach_summary,
)
from tests.flows.leads.helpers import forged_item
from tests.harness import Harness, TgUser, first_line, t, tp

Sessionmaker = async_sessionmaker[AsyncSession]
TEXT = "Клиент выбрал поставщика <дешевле>"


async def lost_window(harness: Harness, sessionmaker: Sessionmaker) -> tuple[TgUser, int]:
    """A manager's new deal, with «✖️ Проиграна» pressed: the reasons are on the screen."""
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    [deal] = await deals(sessionmaker)
    await manager.click(tp("deal-btn-lost"))
    return manager, deal.id


async def lost_entry(sessionmaker: Sessionmaker, deal_id: int) -> dict[str, object]:
    async with sessionmaker() as session:
        entry = await session.scalar(
            select(AuditEntry).where(
                AuditEntry.entity == "deal", AuditEntry.entity_id == deal_id, AuditEntry.action == "lost"
            )
        )
        assert entry is not None and entry.after is not None
        return dict(json.loads(entry.after))


async def test_r2a_reason_with_skip_saves_the_reason_alone_and_audits_its_name(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager, deal_id = await lost_window(harness, sessionmaker)
    await manager.click("Нет бюджета")
    replies = await manager.click(tp("btn-skip"))
    assert t("deal-ask-lost", id=str(deal_id), reason="Нет бюджета") in replies[-1]
    replies = await manager.click(tp("deal-btn-lost-confirm"))
    assert t("deal-card-lost-reason", reason="Нет бюджета") in replies[-1]
    [deal] = await deals(sessionmaker)
    assert deal.status == "lost" and deal.lost_reason is None
    assert deal.lost_reason_id == await reason_id(sessionmaker, LostReason, "no_budget")
    after = await lost_entry(sessionmaker, deal_id)
    assert after["reason"] == "Нет бюджета" and after["lost_reason_id"] == deal.lost_reason_id
    assert after["lost_reason"] is None


async def test_r2a_text_is_kept_with_its_markup_escaped_and_audited(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager, deal_id = await lost_window(harness, sessionmaker)
    await manager.click("Другое")
    replies = await manager.send(TEXT)
    assert "Другое — Клиент выбрал поставщика &lt;дешевле&gt;" in replies[-1]
    replies = await manager.click(tp("deal-btn-lost-confirm"))
    assert t("deal-card-lost-reason", reason="Другое — " + TEXT) in replies[-1]
    after = await lost_entry(sessionmaker, deal_id)
    assert after["reason"] == "Другое" and after["lost_reason"] == TEXT
    history = (await manager.click(tp("records-btn-history")))[-1]
    assert "Другое" in history and "Клиент выбрал поставщика &lt;дешевле&gt;" in history
    assert tp("records-field-lost_reason") in history and "lost_reason_id" not in history


async def test_r2a_text_too_short_or_too_long_is_refused_and_nothing_saved(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager, _deal_id = await lost_window(harness, sessionmaker)
    await manager.click("Дорого")
    assert t("deal-lost-reason-invalid", min=3, max=500) in (await manager.send("  да "))[-1]
    assert t("limit-too-long", limit=500, length=520) in (await manager.send("<" * 130))[-1]
    assert (await deals(sessionmaker))[0].status == "open"
    assert await count(sessionmaker, AuditEntry, AuditEntry.action == "lost") == 0


async def test_r2a_forged_reason_ids_are_refused_and_nothing_saved(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager, deal_id = await lost_window(harness, sessionmaker)
    replies = await manager.press(forged_item(manager, "Дорого", 4242))
    assert t("outcome-reason-gone") in replies[-1]
    assert t("deal-ask-lost-reason", id=str(deal_id)) in replies[-1], "the reasons are asked again"
    assert (await manager.press(forged_item(manager, "Дорого", 0)))[-1] == tp("button-stale")
    # A reason switched off is no longer offered, and its id from an older keyboard is refused.
    other = await reason_id(sessionmaker, LostReason, "other")
    await switch_reason(sessionmaker, LostReason, "other", False)
    await manager.press(DealCb(action="lost", id=deal_id).pack())
    assert "Другое" not in manager.buttons() and "Дорого" in manager.buttons()
    replies = await manager.press(forged_item(manager, "Дорого", other))
    assert t("outcome-reason-gone") in replies[-1]
    [deal] = await deals(sessionmaker)
    assert deal.status == "open" and deal.lost_reason_id is None


async def test_r2a_reason_switched_off_before_the_confirmation_is_asked_again(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager, deal_id = await lost_window(harness, sessionmaker)
    await manager.click("Дорого")
    await manager.send(TEXT)
    await switch_reason(sessionmaker, LostReason, "expensive", False)
    replies = await manager.click(tp("deal-btn-lost-confirm"))
    assert t("outcome-reason-gone") in replies[-1]
    assert t("deal-ask-lost-reason", id=str(deal_id)) in replies[-1]
    assert "Дорого" not in manager.buttons()
    [deal] = await deals(sessionmaker)
    assert deal.status == "open" and deal.lost_reason is None and deal.lost_reason_id is None
    assert await count(sessionmaker, AuditEntry, AuditEntry.action == "lost") == 0
    await manager.click("Выбрали конкурента")
    await manager.click(tp("btn-skip"))
    await manager.click(tp("deal-btn-lost-confirm"))
    assert (await deals(sessionmaker))[0].status == "lost"


async def test_r2a_no_reason_switched_on_says_whom_to_ask(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(update(LostReason).values(is_active=False))
    manager, _deal_id = await lost_window(harness, sessionmaker)
    assert t("outcome-reasons-none") in manager.replies()[-1]
    assert (await deals(sessionmaker))[0].status == "open"


async def test_the_card_shows_the_reason_in_the_readers_language_and_an_old_text_alone(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    setup = await convertible_lead(sessionmaker)
    old = await insert_deal(sessionmaker, setup, last_qualifying_at=datetime.now(UTC), status="lost")
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Deal).where(Deal.id == old).values(lost_reason="Закрыли склад"))
    manager = harness.user(MANAGER, language_code="en")
    await manager.send("/menu")
    card = (await manager.press(DealCb(action="open", id=old).pack()))[-1]
    assert t("deal-card-lost-reason", "en", reason="Закрыли склад") in card, (
        "a deal lost before the directory"
    )

    await convertible_lead(sessionmaker, contact_id=setup.contact_id, description="Второй запрос на сканеры")
    await reach_summary(manager, group="Equipment", product="Barcode scanner")
    await manager.click(tp("btn-save", "en"))
    await manager.click(tp("deal-btn-lost", "en"))
    assert {"Too expensive", "Chose a competitor", "Other"} <= set(manager.buttons())
    replies = await manager.click("Chose a competitor")
    assert first_line("deal-ask-lost-text", "en", reason="Chose a competitor", min=3, max=500) in replies[-1]
    await manager.click(tp("btn-skip", "en"))
    card = (await manager.click(tp("deal-btn-lost-confirm", "en")))[-1]
    assert t("deal-card-lost-reason", "en", reason="Chose a competitor") in card

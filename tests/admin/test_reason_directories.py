"""/settings → «📚 Справочники» → «Причины проигрыша» / «Причины отказа» (R2a): what an admin adds, switches
off or moves is what managers are offered as buttons when a deal is lost or a lead refused."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import LeadCb
from db.models import LostReason, RefusalReason
from tests.admin.helpers import admin, audit, row
from tests.factories import make_contact, make_lead, make_user, reason_id
from tests.flows.deals.helpers import MANAGER, convertible_lead, deals, new_deal
from tests.harness import Harness, TgUser, t, tp

Sessionmaker = async_sessionmaker[AsyncSession]
LOST = ["Дорого", "Выбрали конкурента", "Нет бюджета", "Не дозвонились", "Потребность отпала", "Другое"]


async def open_reasons(boss: TgUser, kind: str) -> list[str]:
    await boss.send("/settings")
    await boss.click(tp("admin-btn-directories"))
    return await boss.click(tp(f"dir-kind-{kind}"))


async def test_r2a_a_lost_reason_added_by_an_admin_is_a_button_on_the_lost_deal(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    boss = await admin(harness)
    replies = await open_reasons(boss, "los")
    assert t("dir-list-title", kind=tp("dir-kind-los")) in replies[-1] and t("dir-order-hint") in replies[-1]
    assert boss.buttons()[: len(LOST)] == LOST, "seeded in the order they are offered"
    await boss.click(tp("dir-btn-add"))
    replies = await boss.send("Сорвались сроки поставки")
    assert t("dir-saved", name="Сорвались сроки поставки") in replies[-1]

    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    await manager.click(tp("deal-btn-lost"))
    assert manager.buttons()[: len(LOST) + 1] == [*LOST, "Сорвались сроки поставки"]
    await manager.click("Сорвались сроки поставки")
    await manager.click(tp("btn-skip"))
    card = (await manager.click(tp("deal-btn-lost-confirm")))[-1]
    assert t("deal-card-lost-reason", reason="Сорвались сроки поставки") in card
    [deal] = await deals(sessionmaker)
    assert deal.lost_reason_id is not None
    assert (await row(sessionmaker, LostReason, deal.lost_reason_id)).name == "Сорвались сроки поставки"


async def test_r2a_refusal_reasons_switched_off_and_moved_change_the_managers_buttons(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    boss = await admin(harness)
    await open_reasons(boss, "ref")
    await boss.click("Нецелевой")
    replies = await boss.click(tp("dir-btn-up"))
    assert t("dir-value-edge") in replies[-1]
    replies = await boss.click(tp("dir-btn-down"))
    assert t("dir-value-reordered") in replies[-1]
    assert boss.buttons()[:2] == ["Нет потребности", "Нецелевой"]
    await boss.click("Дубликат обращения")
    replies = await boss.click(tp("dir-btn-off"))
    assert t("dir-deactivated") in replies[-1]
    duplicate = await reason_id(sessionmaker, RefusalReason, "duplicate")
    assert not (await row(sessionmaker, RefusalReason, duplicate)).is_active
    assert [entry.action for entry in await audit(sessionmaker, "refusal_reason")] == [
        "reordered",
        "deactivated",
    ]

    owner = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, owner), owner)
    manager = harness.user(MANAGER)
    await manager.send("/menu")
    await manager.press(LeadCb(action="open", id=lead).pack())
    await manager.click(tp("lead-btn-reject"))
    assert manager.buttons()[:4] == ["Нет потребности", "Нецелевой", "Не отвечает", "Другое"]

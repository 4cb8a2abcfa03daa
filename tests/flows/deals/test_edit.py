"""A saved deal edited from its card («✏️ Изменить»): the comment (R3), the product lines (R2f), the product
group (R2i), the responsible (R1c, R2c). Every change is one audited write that re-checks R1c and that the
deal is open; an incorrect deal (R2f) is fixed through the missing item's own button."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import DealCb
from bot.i18n import TranslatorHub
from bot.notifications import render
from bot.settings import Settings
from db.engine import writing
from db.models import AuditEntry, Deal, DealLine, OutboxMessage, User
from tests.factories import make_user
from tests.flows.deals.helpers import (
    GOOD_COMMENT,
    MANAGER,
    OTHER,
    TEAM_LEAD,
    convertible_lead,
    count,
    group_id,
    insert_deal,
    lines_of,
    product_id,
)
from tests.harness import Harness, TgUser, first_line, t, tp

DENIED = tp("access-denied")
STALE = tp("button-stale")
NEW_COMMENT = "Клиент согласовал бюджет на 7 сканеров, ждём подписанный договор до пятницы"


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


async def deal_row(sessionmaker: async_sessionmaker[AsyncSession], deal_id: int) -> Deal:
    async with sessionmaker() as session:
        deal = await session.get(Deal, deal_id)
        assert deal is not None
        return deal


async def edits(sessionmaker: async_sessionmaker[AsyncSession], deal_id: int) -> list[AuditEntry]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == "deal", AuditEntry.entity_id == deal_id)
                .order_by(AuditEntry.id)
            )
        )


def payload(value: object) -> dict[str, object]:
    if isinstance(value, str):
        loaded = json.loads(value)
        assert isinstance(loaded, dict)
        return loaded
    assert isinstance(value, dict)
    return value


async def open_card(user: TgUser, deal_id: int) -> list[str]:
    await user.send("/menu")
    return await user.press(DealCb(action="open", id=deal_id).pack())


def callback_of(harness: Harness, telegram_id: int, label: str) -> str:
    message = harness.messages_to(telegram_id)[-1]
    assert message.reply_markup is not None
    for row in message.reply_markup.inline_keyboard:
        for button in row:
            if label in button.text and button.callback_data:
                return button.callback_data
    raise AssertionError(label)


async def test_r3_comment_changed_from_the_card_in_three_actions(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal_id = await insert_deal(sessionmaker, setup)
    manager = harness.user(MANAGER)
    await open_card(manager, deal_id)
    actions = 0
    replies = await manager.click(tp("deal-btn-edit"))
    actions += 1
    assert first_line("deal-ask-edit", id=str(deal_id)) in replies[-1]
    replies = await manager.click(tp("deal-btn-edit-comment"))
    actions += 1
    assert first_line("deal-ask-comment") in replies[-1] and GOOD_COMMENT in replies[-1]
    replies = await manager.send(NEW_COMMENT)
    actions += 1
    assert actions == 3  # «✏️ Изменить», «✏️ Комментарий», the text
    assert t("deal-comment-changed") in replies[-1] and NEW_COMMENT in replies[-1]
    assert t("deal-card-correct") in replies[-1]
    assert (await deal_row(sessionmaker, deal_id)).comment == NEW_COMMENT
    edited = [entry for entry in await edits(sessionmaker, deal_id) if entry.action == "edited"]
    assert len(edited) == 1
    assert payload(edited[0].before) == {"comment": GOOD_COMMENT}
    assert payload(edited[0].after) == {"comment": NEW_COMMENT}


async def test_r3_comment_not_expanded_is_refused_and_nothing_saved(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal_id = await insert_deal(sessionmaker, setup)
    manager = harness.user(MANAGER)
    await open_card(manager, deal_id)
    await manager.click(tp("deal-btn-edit"))
    await manager.click(tp("deal-btn-edit-comment"))
    audit_before = await count(sessionmaker, AuditEntry)
    replies = await manager.send("ок")
    assert first_line("deal-ask-comment") in replies[-1]  # asked again, with the reason
    assert t("deal-comment-changed") not in replies[-1]
    assert (await deal_row(sessionmaker, deal_id)).comment == GOOD_COMMENT
    assert await count(sessionmaker, AuditEntry) == audit_before


async def test_r2f_lines_added_as_quantity_times_price_changed_and_removed(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal_id = await insert_deal(sessionmaker, setup)
    manager = harness.user(MANAGER)
    await open_card(manager, deal_id)
    await manager.click(tp("deal-btn-edit"))
    await manager.click(tp("deal-btn-add-line"))
    await manager.click("Сканер штрихкодов")
    replies = await manager.send("5 × 90 000")
    assert t("deal-line-added") in replies[-1]
    assert "450 000" in plain(replies[-1])
    scanner = await product_id(sessionmaker, "Сканер штрихкодов")
    lines = {line.product_id: line for line in await lines_of(sessionmaker, deal_id)}
    assert lines[scanner].amount_minor == 45_000_000

    # A line's amount: an invalid quantity is asked again, nothing saved; then «5x100000».
    await manager.click(tp("deal-btn-edit"))
    await manager.click("Сканер штрихкодов")
    await manager.click(tp("deal-btn-line-amount"))
    replies = await manager.send("0 × 100 000")
    assert t("err-amount-quantity") in replies[-1]
    replies = await manager.send("5x100000")
    assert t("deal-line-changed") in replies[-1]
    lines = {line.product_id: line for line in await lines_of(sessionmaker, deal_id)}
    assert lines[scanner].amount_minor == 50_000_000

    # Remove the scanner line; the last one left is refused (R2f), nothing removed.
    await manager.click(tp("deal-btn-edit"))
    await manager.click("Сканер штрихкодов")
    replies = await manager.click(tp("deal-btn-line-remove"))
    assert t("deal-line-removed") in replies[-1]
    remaining = await lines_of(sessionmaker, deal_id)
    assert [line.product_id for line in remaining] != [scanner] and len(remaining) == 1
    await manager.click(tp("deal-btn-edit"))
    await manager.click("Промышленный принтер")
    audit_before = await count(sessionmaker, AuditEntry)
    replies = await manager.click(tp("deal-btn-line-remove"))
    assert replies == [tp("deal-last-line")]
    assert len(await lines_of(sessionmaker, deal_id)) == 1
    assert await count(sessionmaker, AuditEntry) == audit_before

    actions = [entry.action for entry in await edits(sessionmaker, deal_id)]
    assert actions == ["line_added", "line_changed", "line_removed"]
    changed = next(entry for entry in await edits(sessionmaker, deal_id) if entry.action == "line_changed")
    assert payload(changed.before)["amount_minor"] == 45_000_000
    assert payload(changed.after)["amount_minor"] == 50_000_000


async def test_r2i_group_change_refused_names_the_open_deal_and_saves_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    first = await convertible_lead(sessionmaker, description="Лид А")
    second = await convertible_lead(sessionmaker, contact_id=first.contact_id, description="Лид Б")
    deal_id = await insert_deal(sessionmaker, first, group="Оборудование")
    blocking = await insert_deal(sessionmaker, second, group="Услуги")
    manager = harness.user(MANAGER)
    await open_card(manager, deal_id)
    await manager.click(tp("deal-btn-edit"))
    await manager.click(tp("deal-btn-edit-group"))
    audit_before = await count(sessionmaker, AuditEntry)
    replies = await manager.click("Услуги")
    assert f"№{blocking}" in replies[-1]
    assert first_line("deal-ask-card-group") in replies[-1]
    deal = await deal_row(sessionmaker, deal_id)
    assert deal.product_group_id == await group_id(sessionmaker, "Оборудование")
    assert len(await lines_of(sessionmaker, deal_id)) == 1
    assert await count(sessionmaker, AuditEntry) == audit_before
    # The blocking deal opens from there.
    replies = await manager.click(tp("deal-btn-open-existing"))
    assert f"№{blocking}" in replies[-1]


async def test_group_change_drops_lines_then_the_card_fixes_the_missing_product(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal_id = await insert_deal(sessionmaker, setup, group="Оборудование")
    manager = harness.user(MANAGER)
    await open_card(manager, deal_id)
    await manager.click(tp("deal-btn-edit"))
    await manager.click(tp("deal-btn-edit-group"))
    replies = await manager.click("Услуги")
    assert "Промышленный принтер этикеток" in replies[-1]  # named before it goes
    assert t("deal-group-drop-all") in replies[-1]
    replies = await manager.click(tp("deal-btn-group-confirm"))
    assert t("deal-group-changed-add-line") in replies[-1]
    assert t("deal-card-incorrect", fields=t("field-product_lines")) in replies[-1]
    deal = await deal_row(sessionmaker, deal_id)
    assert deal.product_group_id == await group_id(sessionmaker, "Услуги")
    assert await lines_of(sessionmaker, deal_id) == []
    edited = [entry for entry in await edits(sessionmaker, deal_id) if entry.action == "edited"]
    assert payload(edited[-1].after)["product_group_id"] == deal.product_group_id

    # The card's own button for the missing item: «➕ Добавить товар», the product, the amount.
    assert tp("deal-btn-add-line") in manager.buttons()
    await manager.click(tp("deal-btn-add-line"))
    await manager.click("Обучение персонала")
    replies = await manager.send("3 × 20 000")
    assert t("deal-card-correct") in replies[-1]
    assert tp("deal-btn-add-line") not in manager.buttons()
    [line] = await lines_of(sessionmaker, deal_id)
    assert line.amount_minor == 6_000_000


async def test_r2f_incorrect_comment_fixed_through_its_own_button(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal_id = await insert_deal(sessionmaker, setup, comment="думает")
    manager = harness.user(MANAGER)
    replies = await open_card(manager, deal_id)
    assert t("deal-card-incorrect", fields=t("field-comment")) in replies[-1]
    assert tp("deal-btn-edit-comment") in manager.buttons()
    await manager.click(tp("deal-btn-edit-comment"))
    replies = await manager.send(NEW_COMMENT)
    assert t("deal-card-correct") in replies[-1]
    assert tp("deal-btn-edit-comment") not in manager.buttons()


async def test_manager_has_no_responsible_button_team_lead_reassigns_and_both_are_told(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal_id = await insert_deal(sessionmaker, setup)
    colleague = await make_user(sessionmaker, OTHER, full_name="Иванова Анна")
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead", full_name="Руководитель Сидоров")
    manager = harness.user(MANAGER)
    await open_card(manager, deal_id)
    await manager.click(tp("deal-btn-edit"))
    assert tp("deal-btn-edit-responsible") not in manager.buttons()
    # The hidden button, forged by the manager, is refused (R1c, R2c).
    forged = callback_of(harness, MANAGER, tp("deal-btn-edit-comment")).replace("e_comment", "e_resp")
    assert await manager.press(forged) == [DENIED]
    assert await count(sessionmaker, OutboxMessage) == 0
    team_lead = harness.user(TEAM_LEAD)
    await open_card(team_lead, deal_id)
    await team_lead.click(tp("deal-btn-edit"))
    await team_lead.click(tp("deal-btn-edit-responsible"))
    replies = await team_lead.click("Иванова Анна")
    assert t("deal-responsible-changed") in replies[-1]
    assert (await deal_row(sessionmaker, deal_id)).responsible_id == colleague
    async with sessionmaker() as session:
        rows = list(
            await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "deal_reassigned"))
        )
    assert sorted(row.recipient_id for row in rows) == sorted([setup.manager_id, colleague])
    # Each is told in their own words: the new one gets the deal with «open», the old one who has it now.
    hub = TranslatorHub(strict=True)
    async with sessionmaker() as session:
        for row in rows:
            recipient = await session.get(User, row.recipient_id)
            assert recipient is not None
            rendered = await render(session, hub, settings, row, recipient)
            assert rendered is not None
            key = "to-you" if recipient.id == colleague else "away"
            assert f"№{deal_id}" in rendered.text
            assert (
                rendered.text.split("№")[0]
                == t(f"reminder-deal-reassigned-{key}", id="0", contact="", to="", by="").split("№")[0]
            )
    edited = [entry for entry in await edits(sessionmaker, deal_id) if entry.action == "edited"]
    assert payload(edited[-1].before) == {"responsible_id": setup.manager_id}
    assert payload(edited[-1].after) == {"responsible_id": colleague}


async def test_r1c_another_managers_deal_and_forged_or_stale_buttons_obey_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal_id = await insert_deal(sessionmaker, setup)
    await make_user(sessionmaker, OTHER, team="Продажи Юг")
    manager = harness.user(MANAGER)
    await open_card(manager, deal_id)
    await manager.click(tp("deal-btn-edit"))
    edit_message = harness.messages_to(MANAGER)[-1]
    line_data = callback_of(harness, MANAGER, "Промышленный принтер")
    other = harness.user(OTHER)
    await other.send("/menu")
    audit_before = await count(sessionmaker, AuditEntry)
    # Someone else's presses on the manager's edit window obey nothing.
    assert edit_message.reply_markup is not None
    for row in edit_message.reply_markup.inline_keyboard:
        for button in row:
            assert button.callback_data is not None
            assert await other.press(button.callback_data) == [STALE], button.text
    # A forged line id (another deal's line or no line) is refused.
    forged = line_data.rsplit(":", 1)[0] + ":999999"
    assert await manager.press(forged) == [STALE]
    assert await manager.press(line_data.rsplit(":", 1)[0] + ":abc") == [STALE]
    # The deal is lost meanwhile: an old button of the edit refuses (DealClosed), nothing changes.
    async with writing(sessionmaker) as session:
        deal = await session.get(Deal, deal_id)
        assert deal is not None
        deal.status = "lost"
    replies = await manager.press(line_data)
    assert replies == [tp("deal-closed")]
    assert await count(sessionmaker, AuditEntry) == audit_before
    assert await count(sessionmaker, DealLine) == 1
    assert (await deal_row(sessionmaker, deal_id)).comment == GOOD_COMMENT

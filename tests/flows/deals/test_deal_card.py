"""The deal card (R2e–R2h), its buttons (R1c, won and lost confirmed), and /deals with its filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handlers.tasks
from bot.callbacks import DealCb
from db.models import AuditEntry, DealLine, LostReason, Task
from tests.factories import make_contact, make_user, reason_id
from tests.flows.deals.helpers import (
    MANAGER,
    OTHER,
    audit_actions,
    convertible_lead,
    count,
    deals,
    insert_deal,
    lines_of,
    new_deal,
    set_stage_period,
    stage_id,
)
from tests.harness import Harness, first_line, t, tp

DENIED = tp("access-denied")
CLOSED = tp("deal-closed")
STALE = tp("button-stale")


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def title(deal_id: int, status: str = "open") -> str:
    return first_line("deal-card-title", id=str(deal_id), status=t(f"deal-status-{status}"))


async def test_r2h_card_deadline_is_last_qualifying_plus_two_calendar_months(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    called = datetime(2026, 12, 31, 10, 0, tzinfo=UTC)
    setup = await convertible_lead(sessionmaker, occurred_at=called)
    deal_id = await insert_deal(sessionmaker, setup, last_qualifying_at=called)
    manager = harness.user(MANAGER)
    await manager.send("/menu")
    with time_machine.travel(datetime(2027, 1, 10, 9, 0, tzinfo=UTC), tick=False):
        replies = await manager.press(DealCb(action="open", id=deal_id).pack())
        card = replies[-1]
        assert t("deal-card-active", deadline="28.02.2027", days=49) in card
        assert t("deal-card-correct") in card

        # An admin shortens the period of the deal's stage to one month (R2h).
        await set_stage_period(sessionmaker, "identification", 1)
        replies = await manager.press(DealCb(action="open", id=deal_id).pack())
        assert t("deal-card-active", deadline="31.01.2027", days=21) in replies[-1]

    with time_machine.travel(datetime(2027, 2, 3, 9, 0, tzinfo=UTC), tick=False):
        replies = await manager.press(DealCb(action="open", id=deal_id).pack())
        assert t("deal-card-inactive-overdue", deadline="31.01.2027", days=3) in replies[-1]


async def test_r2f_incorrect_deal_shows_missing_fields_and_is_inactive(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal_id = await insert_deal(sessionmaker, setup, comment="ок", last_qualifying_at=datetime.now(UTC))
    manager = harness.user(MANAGER)
    await manager.send("/menu")
    card = (await manager.press(DealCb(action="open", id=deal_id).pack()))[-1]
    assert t("deal-card-incorrect", fields=t("field-comment")) in card
    assert t("deal-card-inactive-incorrect", deadline="").split("(")[0] in card


async def test_card_actions_stage_product_won_and_history(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    [deal] = await deals(sessionmaker)

    replies = await manager.click(tp("deal-btn-stage"))
    assert first_line("deal-ask-new-stage", stage="Выявление потребности") in replies[-1]
    replies = await manager.click("Переговоры")
    assert t("deal-stage-changed") in replies[-1] and "Этап: Переговоры" in replies[-1]
    async with sessionmaker() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "stage_changed"))
        assert entry is not None and "Выявление потребности" in (entry.before or "")
        assert "Переговоры" in (entry.after or "")

    await manager.click(tp("deal-btn-product"))
    await manager.click("Терминал сбора данных")
    replies = await manager.send("много")
    assert t("err-amount-format") in replies[-1]
    assert await count(sessionmaker, DealLine) == 1
    replies = await manager.send("50к")
    assert t("deal-line-added") in replies[-1]
    assert "200 000 ₽" in plain(replies[-1])
    assert sorted(line.amount_minor for line in await lines_of(sessionmaker, deal.id)) == [
        5_000_000,
        15_000_000,
    ]

    # Won asks first; «Назад» leaves the deal open.
    replies = await manager.click(tp("deal-btn-won"))
    assert t("deal-ask-won", id=str(deal.id)) in replies[-1]
    replies = await manager.click(tp("btn-back"))
    assert title(deal.id) in replies[-1]
    assert (await deals(sessionmaker))[0].status == "open"
    await manager.click(tp("deal-btn-won"))
    replies = await manager.click(tp("deal-btn-won-confirm"))
    assert t("deal-won-saved") in replies[-1] and title(deal.id, "won") in replies[-1]
    assert tp("deal-btn-lost") not in manager.buttons()  # a closed deal offers no changes
    [won] = await deals(sessionmaker)
    assert won.status == "won" and won.closed_at is not None
    assert won.stage_id == await stage_id(sessionmaker, "won")
    assert await audit_actions(sessionmaker, "deal", deal.id) == [
        "created",
        "stage_changed",
        "line_added",
        "won",
    ]

    replies = await manager.click(tp("records-btn-history"))
    history = replies[-1]
    assert "Иван Петров" in history
    for label in ("Сделка выиграна", "Добавлен товар", "Этап изменён", "Сделка создана"):
        assert label in history
    assert history.index("Сделка выиграна") < history.index("Сделка создана")  # newest first
    assert "Выявление потребности → Переговоры" in history


async def test_card_product_is_searched_by_typed_name(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    await manager.click(tp("deal-btn-product"))
    replies = await manager.send("чайник")
    assert t("deal-search-none", text="чайник") in replies[-1]
    replies = await manager.send("терминал")
    assert first_line("deal-ask-amount", product="Терминал сбора данных") in replies[-1]


async def test_r2a_lost_needs_a_reason_an_optional_text_and_a_confirmation(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """R2a: the reason is a button of «Причины проигрыша»; the text next to it is judged as before."""
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    [deal] = await deals(sessionmaker)
    replies = await manager.click(tp("deal-btn-lost"))
    assert t("deal-ask-lost-reason", id=str(deal.id)) in replies[-1]
    assert {"Дорого", "Выбрали конкурента", "Другое"} <= set(manager.buttons())
    replies = await manager.send("Клиент выбрал другого поставщика")
    assert t("deal-use-buttons") in replies[-1], "the reason is chosen with a button"
    replies = await manager.click("Выбрали конкурента")
    assert first_line("deal-ask-lost-text", reason="Выбрали конкурента", min=3, max=500) in replies[-1]
    replies = await manager.send("ну")
    assert t("deal-lost-reason-invalid", min=3, max=500) in replies[-1]
    replies = await manager.send("Я" * 501)
    assert t("limit-too-long", limit=500, length=501) in replies[-1]
    replies = await manager.send("Клиент выбрал поставщика с ценой ниже на 15%")
    shown = "Выбрали конкурента — Клиент выбрал поставщика с ценой ниже на 15%"
    assert t("deal-ask-lost", id=str(deal.id), reason=shown) in replies[-1]
    assert (await deals(sessionmaker))[0].status == "open"
    replies = await manager.click(tp("deal-btn-lost-confirm"))
    assert t("deal-lost-saved") in replies[-1] and title(deal.id, "lost") in replies[-1]
    assert t("deal-card-lost-reason", reason=shown) in replies[-1]
    [deal] = await deals(sessionmaker)
    assert deal.status == "lost" and deal.lost_reason == "Клиент выбрал поставщика с ценой ниже на 15%"
    assert deal.lost_reason_id == await reason_id(sessionmaker, LostReason, "competitor")
    assert deal.stage_id == await stage_id(sessionmaker, "lost")
    assert "lost" in await audit_actions(sessionmaker, "deal", deal.id)


async def test_back_from_a_card_action_returns_to_the_card_and_changes_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    [deal] = await deals(sessionmaker)
    for button in ("deal-btn-lost", "deal-btn-stage", "deal-btn-product"):
        await manager.click(tp(button))
        replies = await manager.click(tp("btn-back"))
        assert title(deal.id) in replies[-1], button
    await manager.click(tp("deal-btn-lost"))
    await manager.click("Дорого")
    replies = await manager.click(tp("btn-back"))
    assert title(deal.id) in replies[-1]
    await manager.click(tp("deal-btn-lost"))
    await manager.click("Дорого")
    await manager.send("Клиент выбрал другого поставщика")
    replies = await manager.click(tp("btn-back"))
    assert title(deal.id) in replies[-1]
    [after] = await deals(sessionmaker)
    assert after.status == "open" and after.stage_id == deal.stage_id
    assert await count(sessionmaker, DealLine) == 1
    # Text sent to a card is not an answer to anything.
    assert t("stray-message") in await manager.send("Клиент передумал")


async def test_a_notifications_lost_button_opens_the_lost_step(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal_id = await insert_deal(sessionmaker, setup, last_qualifying_at=datetime.now(UTC))
    manager = harness.user(MANAGER)
    await manager.send("/menu")
    replies = await manager.press(DealCb(action="lost", id=deal_id).pack())
    assert t("deal-ask-lost-reason", id=str(deal_id)) in replies[-1]
    await manager.click("Потребность отпала")
    await manager.send("Клиент закрыл склад")
    await manager.click(tp("deal-btn-lost-confirm"))
    [deal] = await deals(sessionmaker)
    assert deal.status == "lost" and deal.lost_reason == "Клиент закрыл склад"


async def test_closed_deal_buttons_refuse(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    [deal] = await deals(sessionmaker)
    await manager.click(tp("deal-btn-lost"))
    await manager.click("Выбрали конкурента")
    await manager.send("Клиент выбрал другого поставщика")
    lost_window = harness.messages_to(MANAGER)[-1]
    assert lost_window.reply_markup is not None
    data = next(
        button.callback_data
        for row in lost_window.reply_markup.inline_keyboard
        for button in row
        if button.text == tp("deal-btn-lost-confirm")
    )
    assert data is not None
    await manager.press(DealCb(action="won", id=deal.id).pack())
    await manager.click(tp("deal-btn-won-confirm"))
    before = await count(sessionmaker, AuditEntry)
    for action in ("stage", "product", "won", "lost"):
        replies = await manager.press(DealCb(action=action, id=deal.id).pack())
        assert replies == [CLOSED], action
    # The confirmation of «lost» from before, pressed after the deal was won: refused.
    replies = await manager.press(data)
    assert replies[-1] in (CLOSED, STALE)
    assert await count(sessionmaker, AuditEntry) == before
    assert (await deals(sessionmaker))[0].status == "won"
    replies = await manager.press(DealCb(action="open", id=deal.id).pack())
    assert title(deal.id, "won") in replies[-1]


async def test_r1c_forged_deal_button_from_another_manager_changes_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    [deal] = await deals(sessionmaker)
    card_message = harness.messages_to(MANAGER)[-1]
    await make_user(sessionmaker, OTHER, team="Продажи Юг")
    other = harness.user(OTHER)
    await other.send("/menu")
    audit_before = await count(sessionmaker, AuditEntry)
    for action in ("open", "full", "stage", "product", "won", "lost"):
        replies = await other.press(DealCb(action=action, id=deal.id).pack())
        assert replies == [DENIED], action
    assert t("stray-message") in await other.send("Клиент передумал")
    # The manager's own dialog buttons, pressed by someone else, obey nothing.
    assert card_message.reply_markup is not None
    for row in card_message.reply_markup.inline_keyboard:
        for button in row:
            assert button.callback_data is not None
            replies = await other.press(button.callback_data)
            assert replies == [STALE], button.text
    [after] = await deals(sessionmaker)
    assert (after.status, after.stage_id) == (deal.status, deal.stage_id)
    assert await count(sessionmaker, AuditEntry) == audit_before
    assert await count(sessionmaker, DealLine) == 1 and await count(sessionmaker, Task) == 0
    replies = await other.send("/deals")
    assert t("deal-list-empty") in replies[-1]


async def test_deals_list_filters_and_urgency_order(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    now = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)
    lead_a = await convertible_lead(sessionmaker, description="Лид А")
    lead_b = await convertible_lead(sessionmaker, contact_id=lead_a.contact_id, description="Лид Б")
    lead_c = await convertible_lead(sessionmaker, contact_id=lead_a.contact_id, description="Лид В")
    lead_d = await convertible_lead(sessionmaker, contact_id=lead_a.contact_id, description="Лид Г")
    lead_e = await convertible_lead(sessionmaker, contact_id=lead_a.contact_id, description="Лид Д")
    active = await insert_deal(
        sessionmaker, lead_a, group="Оборудование", last_qualifying_at=now - timedelta(days=10)
    )
    at_risk = await insert_deal(
        sessionmaker, lead_b, group="Расходные материалы", last_qualifying_at=now - timedelta(days=55)
    )
    inactive = await insert_deal(
        sessionmaker, lead_c, group="Программное обеспечение", last_qualifying_at=now - timedelta(days=80)
    )
    incorrect = await insert_deal(
        sessionmaker, lead_d, group="Услуги", comment="думает", last_qualifying_at=now - timedelta(days=5)
    )
    won = await insert_deal(sessionmaker, lead_e, group="Оборудование", status="won", last_qualifying_at=now)
    manager = harness.user(MANAGER)

    def order(text: str) -> list[int]:
        found = [
            (text.index(f"№{deal_id} "), deal_id)
            for deal_id in (active, at_risk, inactive, incorrect)
            if f"№{deal_id} " in text
        ]
        return [deal_id for _, deal_id in sorted(found)]

    with time_machine.travel(now, tick=False):
        text = (await manager.send("/deals"))[-1]
        assert t("deal-filter-all") in text
        assert order(text) == [inactive, incorrect, at_risk, active]
        assert f"№{won} " not in text  # the won deal is not in the open list
        text = (await manager.click(tp("deal-filter-active")))[-1]
        assert order(text) == [at_risk, active]
        text = (await manager.click(tp("deal-filter-risk")))[-1]
        assert order(text) == [at_risk] and "⏳" in text
        replies = await manager.click(f"№{at_risk} ")
        assert title(at_risk) in replies[-1]
        await manager.send("/deals")
        text = (await manager.click(tp("deal-filter-inactive")))[-1]
        assert order(text) == [inactive, incorrect]
        text = (await manager.click(tp("deal-filter-incorrect")))[-1]
        assert order(text) == [incorrect]
        # A forged filter id is refused with one alert.
        message = harness.messages_to(MANAGER)[-1]
        assert message.reply_markup is not None
        data = next(
            b.callback_data for row in message.reply_markup.inline_keyboard for b in row
            if b.text == tp("deal-filter-risk")
        )  # fmt: skip
        assert data is not None
        replies = await manager.press(data.removesuffix("risk") + "bogus")
        assert replies == [STALE]


async def test_deals_list_pages_by_ten(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Twelve open deals: four product groups on three contacts (R2i allows one per party and group)."""
    first = await convertible_lead(sessionmaker)
    contacts = [first.contact_id]
    for name, phone, email in (
        ("Кузнецов Олег", "+79210000001", "a1@mail.ru"),
        ("Кузнецов Юрий", "+79210000002", "a2@mail.ru"),
    ):
        contacts.append(
            await make_contact(sessionmaker, first.manager_id, name=name, phone=phone, email=email)
        )
    ids = []
    for contact_id in contacts:
        for group in ("Оборудование", "Расходные материалы", "Программное обеспечение", "Услуги"):
            setup = await convertible_lead(sessionmaker, contact_id=contact_id)
            ids.append(
                await insert_deal(sessionmaker, setup, group=group, last_qualifying_at=datetime.now(UTC))
            )
    manager = harness.user(MANAGER)
    first_page = (await manager.send("/deals"))[-1]
    assert sum(f"№{deal_id} " in first_page for deal_id in ids) == 10
    second_page = (await manager.click(tp("btn-next")))[-1]
    assert sum(f"№{deal_id} " in second_page for deal_id in ids) == 2
    first_again = (await manager.click(tp("btn-prev")))[-1]
    assert first_again == first_page


@pytest.mark.skipif(not hasattr(handlers.tasks, "create_router"), reason="the task form is not a dialog yet")
async def test_a_task_on_the_deal_goes_to_its_manager(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    [deal] = await deals(sessionmaker)
    await manager.click(tp("deal-btn-task"))
    await manager.send("Позвонить и уточнить бюджет")
    await manager.send("завтра в 15:00")
    await manager.click(tp("btn-save"))
    async with sessionmaker() as session:
        task = await session.scalar(select(Task).where(Task.deal_id == deal.id))
        assert task is not None and task.assignee_id == deal.responsible_id


async def test_an_english_user_sees_the_card_and_the_list_in_english(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal_id = await insert_deal(sessionmaker, setup, last_qualifying_at=datetime.now(UTC))
    manager = harness.user(MANAGER, language_code="en")
    text = (await manager.send("/deals"))[-1]
    assert first_line("deal-list", "en", scope="own", filter=t("deal-filter-all", "en"), items="") in text
    assert "Lead identification" in text
    replies = await manager.click(f"№{deal_id} ")
    card = replies[-1]
    assert first_line("deal-card-title", "en", id=str(deal_id), status=t("deal-status-open", "en")) in card
    assert "Lead identification" in card
    assert tp("deal-btn-won", "en") in manager.buttons()

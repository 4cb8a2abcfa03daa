"""The deal card (R2e–R2h), its buttons (R1c), and /deals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import DealCb, LeadCb, PageCb
from db.models import AuditEntry, DealLine, Task
from handlers.legacy.records import HistoryCb
from tests.factories import make_contact, make_user
from tests.flows.deals.helpers import (
    MANAGER,
    OTHER,
    audit_actions,
    convertible_lead,
    count,
    deals,
    insert_deal,
    lead_status,
    lines_of,
    new_deal,
    set_stage_period,
    stage_id,
)
from tests.harness import Harness

DENIED = "Нет доступа: эта запись закреплена за другим сотрудником. Ничего не изменено."
CLOSED = "Сделка уже закрыта (выиграна или проиграна) — изменить её нельзя."


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
        assert "Активна до 28.02.2027 включительно — осталось 49 дней" in card
        assert "Сделка заполнена корректно" in card

        # An admin shortens the period of the deal's stage to one month (R2h).
        await set_stage_period(sessionmaker, "identification", 1)
        replies = await manager.press(DealCb(action="open", id=deal_id).pack())
        assert "Активна до 31.01.2027 включительно — остался 21 день" in replies[-1]

    with time_machine.travel(datetime(2027, 2, 3, 9, 0, tzinfo=UTC), tick=False):
        replies = await manager.press(DealCb(action="open", id=deal_id).pack())
        assert "Неактивна: срок активности истёк 31.01.2027 (3 дня назад)" in replies[-1]


async def test_r2f_incorrect_deal_shows_missing_fields_and_is_inactive(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    deal_id = await insert_deal(sessionmaker, setup, comment="ок", last_qualifying_at=datetime.now(UTC))
    manager = harness.user(MANAGER)
    await manager.send("/menu")
    card = (await manager.press(DealCb(action="open", id=deal_id).pack()))[-1]
    assert "Сделка некорректна, не заполнено: Развёрнутый комментарий" in card
    assert "Неактивна, пока сделка некорректна" in card


async def test_card_actions_stage_product_task_won_and_history(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    [deal] = await deals(sessionmaker)

    await manager.click("Сменить этап")
    replies = await manager.click("Переговоры")
    assert "Этап изменён." in replies[0] and "Этап: Переговоры" in replies[-1]
    async with sessionmaker() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "stage_changed"))
        assert entry is not None and "Выявление потребности" in (entry.before or "")
        assert "Переговоры" in (entry.after or "")

    await manager.click("➕ Товар")
    await manager.click("Терминал сбора данных")
    replies = await manager.send("много")
    assert "Не получается разобрать сумму" in replies[-1]
    replies = await manager.send("50к")
    assert "Товар добавлен" in replies[0]
    assert "200 000 ₽" in replies[-1].replace("\u00a0", " ")
    assert sorted(line.amount_minor for line in await lines_of(sessionmaker, deal.id)) == [
        5_000_000,
        15_000_000,
    ]

    await manager.click("Задача")
    replies = await manager.send("ок")
    assert "от 3 до 200 символов" in replies[-1]
    await manager.send("Позвонить и уточнить бюджет")
    replies = await manager.send("вчера")
    assert "Не получается понять срок" in replies[-1]
    replies = await manager.send("завтра в 15:00")
    assert "Задача «Позвонить и уточнить бюджет» поставлена на" in replies[0] and "15:00" in replies[0]
    async with sessionmaker() as session:
        task = await session.scalar(select(Task).where(Task.deal_id == deal.id))
        assert task is not None and task.assignee_id == deal.responsible_id
        assert task.due_at > datetime.now(UTC)

    await manager.click("Выиграна")
    replies = await manager.click("Да, выиграна")
    assert "Выиграна" in replies[-1]
    [won] = await deals(sessionmaker)
    assert won.status == "won" and won.closed_at is not None
    assert won.stage_id == await stage_id(sessionmaker, "won")
    assert await audit_actions(sessionmaker, "deal", deal.id) == [
        "created",
        "stage_changed",
        "line_added",
        "task_added",
        "won",
    ]

    replies = await manager.click("История")
    history = replies[-1]
    assert "История сделки" in history and "Иван Петров" in history
    for label in ("Сделка выиграна", "Поставлена задача", "Добавлен товар", "Этап изменён", "Сделка создана"):
        assert label in history
    assert history.index("Сделка выиграна") < history.index("Сделка создана")  # newest first
    assert "Выявление потребности → Переговоры" in history


async def test_lost_needs_a_reason(harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    await manager.click("Проиграна")
    replies = await manager.send("ну")
    assert "от 3 до 500 символов" in replies[-1]
    [deal] = await deals(sessionmaker)
    assert deal.status == "open"
    replies = await manager.send("Клиент выбрал поставщика с ценой ниже на 15%")
    assert "Проиграна" in replies[-1] and "Причина отказа: Клиент выбрал поставщика" in replies[-1]
    [deal] = await deals(sessionmaker)
    assert deal.status == "lost" and deal.lost_reason == "Клиент выбрал поставщика с ценой ниже на 15%"
    assert deal.stage_id == await stage_id(sessionmaker, "lost")
    assert "lost" in await audit_actions(sessionmaker, "deal", deal.id)


async def test_closed_deal_buttons_refuse(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    [deal] = await deals(sessionmaker)
    await manager.press(DealCb(action="won", id=deal.id, arg=1).pack())
    before = await count(sessionmaker, AuditEntry)
    for action, arg in (("stage", 0), ("stage", 3), ("product", 0), ("task", 0), ("won", 1), ("lost", 0)):
        replies = await manager.press(DealCb(action=action, id=deal.id, arg=arg).pack())
        assert replies == [CLOSED], action
    assert await count(sessionmaker, AuditEntry) == before
    assert "не понял" in (await manager.send("Клиент передумал")).pop().lower()
    replies = await manager.press(HistoryCb(entity="deal", id=deal.id).pack())
    assert "История сделки" in replies[-1]


async def test_r1c_forged_deal_button_from_another_manager_changes_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await new_deal(harness, manager)
    [deal] = await deals(sessionmaker)
    await make_user(sessionmaker, OTHER, team="Продажи Юг")
    other = harness.user(OTHER)
    await other.send("/menu")
    audit_before = await count(sessionmaker, AuditEntry)
    for action, arg in (
        ("open", 0),
        ("stage", 0),
        ("stage", 4),
        ("product", 0),
        ("task", 0),
        ("won", 1),
        ("lost", 0),
    ):
        replies = await other.press(DealCb(action=action, id=deal.id, arg=arg).pack())
        assert replies == [DENIED], action
    assert await other.press(HistoryCb(entity="deal", id=deal.id).pack()) == [DENIED]
    assert "Не понял" in (await other.send("Клиент передумал"))[-1]
    [after] = await deals(sessionmaker)
    assert (after.status, after.stage_id) == (deal.status, deal.stage_id)
    assert await count(sessionmaker, AuditEntry) == audit_before
    assert await count(sessionmaker, DealLine) == 1 and await count(sessionmaker, Task) == 0
    replies = await other.send("/deals")
    assert "Сделок по этому фильтру нет" in replies[-1]


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
    await insert_deal(sessionmaker, lead_e, group="Оборудование", status="won", last_qualifying_at=now)
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
        assert "Все открытые" in text
        assert order(text) == [inactive, incorrect, at_risk, active]
        assert "№5 " not in text  # the won deal is not in the open list
        text = (await manager.press(PageCb(kind="deals", page=0, flt="active").pack()))[-1]
        assert order(text) == [at_risk, active]
        text = (await manager.press(PageCb(kind="deals", page=0, flt="risk").pack()))[-1]
        assert order(text) == [at_risk]
        replies = await manager.click(f"№{at_risk} ")
        assert f"Сделка №{at_risk}" in replies[-1]
        text = (await manager.press(PageCb(kind="deals", page=0, flt="inactive").pack()))[-1]
        assert order(text) == [inactive, incorrect]
        text = (await manager.press(PageCb(kind="deals", page=0, flt="incorrect").pack()))[-1]
        assert order(text) == [incorrect]
        replies = await manager.press(PageCb(kind="deals", page=0, flt="bogus").pack())
        assert "устарела" in replies[-1]


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
    second_page = (await manager.click("Далее"))[-1]
    assert sum(f"№{deal_id} " in second_page for deal_id in ids) == 2
    first_again = (await manager.click("« Назад"))[-1]
    assert first_again == first_page


async def test_a_task_from_a_lead_card_goes_to_its_manager(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Tasks can be added from lead cards as from deal cards: a title, then a due time; bad input re-asks."""
    setup = await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await manager.send("/leads")
    await manager.press(LeadCb(action="open", id=setup.lead_id).pack())
    replies = await manager.click("Задача")
    assert "Что нужно сделать" in replies[-1]
    assert "от 3 до 200 символов" in (await manager.send("ок"))[-1]
    await manager.send("Отправить КП по сканерам")
    replies = await manager.send("01.01.2020 10:00")
    assert "прошл" in replies[-1].lower()  # a due time in the past is refused
    assert await count(sessionmaker, Task) == 0
    replies = await manager.send("завтра в 15:00")
    assert "Задача «Отправить КП по сканерам» поставлена на" in replies[-2] and "15:00" in replies[-2]
    assert "Лид №" in replies[-1]
    async with sessionmaker() as session:
        task = await session.scalar(select(Task).where(Task.lead_id == setup.lead_id))
    assert task is not None and task.assignee_id == setup.manager_id and task.deal_id is None
    assert await audit_actions(sessionmaker, "lead", setup.lead_id) == ["task_added"]


async def test_r1c_forged_lead_task_button_changes_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    setup = await convertible_lead(sessionmaker)
    await make_user(sessionmaker, OTHER, team="Продажи Юг")
    other = harness.user(OTHER)
    await other.send("/menu")
    assert await other.press(LeadCb(action="task", id=setup.lead_id).pack()) == [DENIED]
    assert "Не понял" in (await other.send("Позвонить клиенту завтра"))[-1]
    assert await count(sessionmaker, Task) == 0


async def test_back_from_the_first_step_of_a_card_action_returns_to_the_card(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Every step has "back": from the lost reason, the task title or the lead's reject reason it is the
    card the action started from, and nothing is changed."""
    setup = await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    await manager.send("/leads")
    await manager.press(LeadCb(action="open", id=setup.lead_id).pack())
    await manager.click("Отказ")
    replies = await manager.click("Назад")
    assert "Лид №" in replies[-1]
    await manager.click("Задача")
    replies = await manager.click("Назад")
    assert "Лид №" in replies[-1]
    assert await lead_status(sessionmaker, setup.lead_id) == "open"

    await new_deal(harness, manager)
    await manager.click("Проиграна")
    replies = await manager.click("Назад")
    assert "Сделка №" in replies[-1]
    await manager.click("Задача")
    replies = await manager.click("Назад")
    assert "Сделка №" in replies[-1]
    [after] = await deals(sessionmaker)
    assert after.status == "open" and await count(sessionmaker, Task) == 0
    assert "Не понял" in (await manager.send("Клиент передумал"))[-1]

"""/new_lead, the lead card and its actions, /leads — through the real dispatcher."""

from __future__ import annotations

import pytest
from aiogram.methods import SendMessage
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import ContactCb, LeadCb
from db.models import AuditEntry, Lead, User
from handlers.legacy.leads import ReassignCb
from tests.factories import make_contact, make_lead, make_user
from tests.harness import Harness
from tests.reminders.deliver import deliver

MANAGER, OTHER, LEAD_TG, MEMBER = 501, 502, 503, 504


async def count(sessionmaker: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def get_lead(sessionmaker: async_sessionmaker[AsyncSession], lead_id: int) -> Lead:
    async with sessionmaker() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        return lead


async def audit_actions(sessionmaker: async_sessionmaker[AsyncSession], lead_id: int) -> list[str]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "lead", AuditEntry.entity_id == lead_id)
        )
        return list(rows)


async def go_to_description(harness: Harness, telegram_id: int) -> None:
    u = harness.user(telegram_id)
    await u.send("/new_lead")
    await u.click("Найти")
    await u.send("Иванов")
    await u.click("Иванов Иван")
    await u.click("Сайт")
    await u.click("Оборудование")


async def test_new_lead_happy_path_saves_and_shows_card(harness: Harness, sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER, first_name="Пётр", last_name="Сидоров")
    assert "Для какого контакта" in (await u.send("/new_lead"))[-1]
    assert "Найти" in " ".join(u.buttons())
    assert "ФИО или телефона" in (await u.click("Найти"))[-1]
    found = await u.send("912 345")
    assert "Выберите контакт" in found[-1]
    assert any("Иванов Иван Иванович" in b for b in u.buttons())
    assert "Откуда пришёл лид" in (await u.click("Иванов Иван"))[-1]
    assert "группа продуктов" in (await u.click("Сайт"))[-1]
    assert "Опишите запрос" in (await u.click("Оборудование"))[-1]
    summary = await u.send("Нужны 3 сканера для склада, запуск в марте")
    assert "Проверьте лид" in summary[-1] and "Оборудование" in summary[-1]
    assert not any("Ответственный" in b for b in u.buttons()), "a manager cannot change the responsible"
    replies = await u.click("Сохранить")
    assert any("Лид создан" in r for r in replies)
    card = replies[-1]
    assert "Иванов Иван Иванович" in card and "+7 912 345-67-89" in card and "Сайт" in card
    assert "Открыт" in card and "Пётр Сидоров" in card and "Контактов с клиентом: 0" in card
    assert {"📞 Записать контакт", "💼 В сделку", "✖️ Отказ"} <= set(u.buttons())
    assert "👥 Переназначить" not in u.buttons()
    async with sessionmaker() as session:
        lead = await session.scalar(select(Lead))
    assert lead is not None and lead.responsible_id == manager and lead.created_by_id == manager
    assert lead.product_group_id == 1 and lead.status == "open"
    assert await audit_actions(sessionmaker, lead.id) == ["created"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [("abc", "Слишком коротко"), (" ок ", "Слишком коротко"), ("я" * 2001, "Слишком длинно")],
)
async def test_description_out_of_bounds_is_refused_and_the_step_stays(
    harness: Harness, sessionmaker, text: str, reason: str
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    await go_to_description(harness, MANAGER)
    u = harness.user(MANAGER)
    assert reason in (await u.send(text))[-1]
    assert await count(sessionmaker, Lead) == 0
    assert "Проверьте лид" in (await u.send("Нужны сканеры для склада"))[-1]


async def test_non_text_description_and_stray_text_on_button_steps_re_ask(
    harness: Harness, sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await u.send("/new_lead")
    await u.click("Найти")
    await u.send("Иванов")
    await u.click("Иванов Иван")
    assert "кнопкой" in (await u.send("Сайт"))[-1]
    await u.click("Сайт")
    await u.click("Пропустить")
    assert "текстом" in (await u.share_contact("+79123456789", "Иван"))[-1]
    assert "Проверьте лид" in (await u.send("Нужны сканеры для склада"))[-1]
    assert "не указана" in u.last
    await u.click("Сохранить")
    async with sessionmaker() as session:
        lead = await session.scalar(select(Lead))
    assert lead is not None and lead.product_group_id is None


async def test_search_finds_only_visible_contacts_and_says_when_nothing_matches(
    harness: Harness, sessionmaker
) -> None:
    await make_user(sessionmaker, MANAGER)
    other = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    await make_contact(sessionmaker, other)
    u = harness.user(MANAGER)
    await u.send("/new_lead")
    await u.click("Найти")
    assert "хотя бы 2 символа" in (await u.send("И"))[-1]
    assert "никого нет" in (await u.send("Иванов"))[-1]
    assert not any("Иванов" in b for b in u.buttons())


async def test_recent_lists_my_contacts_and_empty_recent_says_so(harness: Harness, sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await u.send("/new_lead")
    assert "Недавних контактов пока нет" in " ".join(await u.click("Недавние"))
    await make_contact(sessionmaker, manager)
    await u.click("Недавние")
    assert any("Иванов Иван Иванович" in b for b in u.buttons())
    assert "Откуда пришёл лид" in (await u.click("Иванов Иван"))[-1]


async def test_forged_contact_pick_of_an_invisible_contact_is_denied(harness: Harness, sessionmaker) -> None:
    from bot.callbacks import PickCb

    await make_user(sessionmaker, MANAGER)
    other = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    hidden = await make_contact(sessionmaker, other)
    u = harness.user(MANAGER)
    await u.send("/new_lead")
    assert "Нет доступа" in (await u.press(PickCb(field="contact", id=hidden).pack()))[-1]
    assert "Для какого контакта" not in u.last


async def test_back_and_edit_from_summary_and_cancel(harness: Harness, sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    await go_to_description(harness, MANAGER)
    u = harness.user(MANAGER)
    assert "группа продуктов" in (await u.click("Назад"))[-1]
    assert "Откуда пришёл лид" in (await u.click("Назад"))[-1]
    await u.click("Выставка")
    await u.click("Услуги")
    await u.send("Нужен монтаж оборудования на складе")
    assert "Выставка" in u.last
    assert "Откуда пришёл лид" in (await u.click("✏️ Источник"))[-1]
    summary = await u.click("Рекомендация")
    assert "Проверьте лид" in summary[-1] and "Рекомендация" in summary[-1], "an edit returns to the summary"
    assert "Действие отменено" in (await u.click("Отмена"))[-1]
    assert await count(sessionmaker, Lead) == 0


async def test_description_escaped_on_card(harness: Harness, sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    await go_to_description(harness, MANAGER)
    u = harness.user(MANAGER)
    await u.send("<b>срочно</b> & Co")
    assert "&lt;b&gt;срочно&lt;/b&gt; &amp; Co" in u.last
    replies = await u.click("Сохранить")
    assert "Запрос: &lt;b&gt;срочно&lt;/b&gt; &amp; Co" in replies[-1]
    async with sessionmaker() as session:
        assert await session.scalar(select(Lead.description)) == "<b>срочно</b> & Co"


async def test_team_lead_assigns_a_member_who_is_notified(harness: Harness, sessionmaker) -> None:
    await make_user(sessionmaker, LEAD_TG, role="team_lead", full_name="Руководитель Анна")
    member = await make_user(sessionmaker, MEMBER, full_name="Менеджер Олег")
    await make_user(sessionmaker, OTHER, team="Продажи Юг", full_name="Чужой Борис")
    await make_contact(sessionmaker, member)
    u = harness.user(LEAD_TG, first_name="Анна", last_name="Руководитель")
    await go_to_description(harness, LEAD_TG)
    assert "ответственным" in (await u.send("Нужны сканеры для склада"))[-1]
    assert "Менеджер Олег" in u.buttons() and "Чужой Борис" not in u.buttons()
    summary = await u.click("Менеджер Олег")
    assert "Ответственный: Менеджер Олег" in summary[-1]
    await u.click("Сохранить")
    async with sessionmaker() as session:
        lead = await session.scalar(select(Lead))
    assert lead is not None and lead.responsible_id == member and lead.created_by_id != member
    assert await deliver(harness) == 1  # the notice goes through the outbox
    notices = [c for c in harness.calls(SendMessage) if int(c.chat_id) == MEMBER]
    assert len(notices) == 1 and "Анна Руководитель" in notices[0].text and f"№{lead.id}" in notices[0].text


async def test_manager_has_no_reassign_and_a_forged_reassign_changes_nothing(
    harness: Harness, sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    colleague = await make_user(sessionmaker, OTHER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    u = harness.user(MANAGER)
    await u.send("/leads")
    await u.click(f"№{lead}")
    assert "👥 Переназначить" not in u.buttons()
    assert "Нет доступа" in (await u.press(LeadCb(action="reassign", id=lead).pack()))[-1]
    assert "Нет доступа" in (await u.press(ReassignCb(lead=lead, user=colleague).pack()))[-1]
    assert (await get_lead(sessionmaker, lead)).responsible_id == manager
    assert await audit_actions(sessionmaker, lead) == []


async def test_team_lead_reassigns_and_the_new_owner_is_notified(harness: Harness, sessionmaker) -> None:
    await make_user(sessionmaker, LEAD_TG, role="team_lead", full_name="Руководитель Анна")
    manager = await make_user(sessionmaker, MANAGER, full_name="Менеджер Ирина")
    member = await make_user(sessionmaker, MEMBER, full_name="Менеджер Олег")
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    u = harness.user(LEAD_TG)
    await u.send("/leads")
    await u.click(f"№{lead}")
    await u.click("Переназначить")
    assert "Менеджер Ирина" not in u.buttons(), "the current owner is not offered"
    replies = await u.click("Менеджер Олег")
    assert "Новый ответственный: Менеджер Олег" in replies[0]
    assert (await get_lead(sessionmaker, lead)).responsible_id == member
    assert await audit_actions(sessionmaker, lead) == ["reassigned"]
    assert await deliver(harness) == 1
    assert any(int(c.chat_id) == MEMBER and f"№{lead}" in c.text for c in harness.calls(SendMessage))


async def test_r1c_other_managers_forged_reject_changes_nothing(harness: Harness, sessionmaker) -> None:
    owner = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, OTHER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, owner), owner)
    u = harness.user(OTHER)
    await u.send("/leads")
    assert "Лидов пока нет" in u.last, "another manager's lead is not visible"
    assert "Нет доступа" in (await u.press(LeadCb(action="reject", id=lead).pack()))[-1]
    assert "Нет доступа" in (await u.press(LeadCb(action="open", id=lead).pack()))[-1]
    await u.send("Купили у конкурента дешевле")
    assert (await get_lead(sessionmaker, lead)).status == "open"
    assert await audit_actions(sessionmaker, lead) == []


async def test_reject_asks_a_reason_and_stores_it(harness: Harness, sessionmaker) -> None:
    owner = await make_user(sessionmaker, MANAGER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, owner), owner)
    u = harness.user(MANAGER)
    await u.send("/leads")
    await u.click(f"№{lead}")
    assert "Почему клиент отказался" in (await u.click("Отказ"))[-1]
    assert "от 3 до 500" in (await u.send("да"))[-1]
    assert "не больше 500" in (await u.send("я" * 501))[-1]  # the limit of domain.limits, with the length
    assert (await get_lead(sessionmaker, lead)).status == "open"
    replies = await u.send("Купили у конкурента <дешевле>")
    assert "Лид отклонён" in replies[0]
    assert "Отклонён" in replies[-1] and "Купили у конкурента &lt;дешевле&gt;" in replies[-1]
    assert "Отказ" not in " ".join(u.buttons())
    stored = await get_lead(sessionmaker, lead)
    assert stored.status == "rejected" and stored.reject_reason == "Купили у конкурента <дешевле>"
    assert await audit_actions(sessionmaker, lead) == ["rejected"]
    assert "закрыт" in (await u.press(LeadCb(action="reject", id=lead).pack()))[-1]


async def test_team_lead_may_reject_a_members_lead(harness: Harness, sessionmaker) -> None:
    await make_user(sessionmaker, LEAD_TG, role="team_lead")
    member = await make_user(sessionmaker, MEMBER)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, member), member)
    u = harness.user(LEAD_TG)
    await u.send("/menu")
    await u.press(LeadCb(action="reject", id=lead).pack())
    await u.send("Клиент закрыл проект")
    assert (await get_lead(sessionmaker, lead)).status == "rejected"


async def test_leads_list_is_paginated_open_first_and_shows_only_visible(
    harness: Harness, sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    other = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    contact = await make_contact(sessionmaker, manager)
    ids = [await make_lead(sessionmaker, contact, manager) for _ in range(12)]
    foreign = await make_lead(
        sessionmaker,
        await make_contact(sessionmaker, other, phone="+79161112233", email="x@mail.ru", name="Петров Пётр"),
        other,
    )
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Lead).where(Lead.id == ids[-1]).values(status="rejected"))
    u = harness.user(MANAGER)
    await u.send("📋 Мои лиды")
    first = [b for b in u.buttons() if b.startswith("№")]
    assert len(first) == 10 and "Далее »" in u.buttons() and "« Назад" not in u.buttons()
    assert first[0].startswith(f"№{ids[-2]} "), "newest open lead first"
    await u.click("Далее")
    second = [b for b in u.buttons() if b.startswith("№")]
    assert len(second) == 2 and second[-1].startswith(f"№{ids[-1]} ") and "Отклонён" in second[-1]
    assert all(not b.startswith(f"№{foreign} ") for b in first + second)
    await make_user(sessionmaker, LEAD_TG, role="team_lead", team="Продажи Юг")
    tl = harness.user(LEAD_TG)
    await tl.send("/leads")
    assert [b for b in tl.buttons() if b.startswith("№")] == [
        b for b in tl.buttons() if b.startswith(f"№{foreign} ")
    ]


async def test_r5b_lead_on_an_invisible_contact_from_the_duplicate_screen(
    harness: Harness, sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    other = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    contact = await make_contact(sessionmaker, other)
    u = harness.user(MANAGER)
    await u.send("/menu")
    # A forged button for the hidden contact, without the duplicate screen, starts nothing (SPEC "Access").
    assert "устарела" in (await u.press(ContactCb(action="lead", id=contact).pack()))[-1]
    await u.send("/new_contact")
    await u.send("Иванов Иван Иванович")
    assert "Такой контакт уже есть" in (await u.send("+7 912 345-67-89"))[-1]
    assert "Откуда пришёл лид" in (await u.click("Создать лид на этот контакт"))[-1]
    await u.click("Сайт")
    await u.click("Пропустить")
    await u.send("Хочет сервисный контракт на принтеры")
    await u.click("Сохранить")
    async with sessionmaker() as session:
        lead = await session.scalar(select(Lead))
    assert lead is not None and lead.contact_id == contact and lead.responsible_id == manager
    assert "Иванов Иван Иванович" in u.last
    assert "Выберите контакт" not in " ".join(await u.press(ContactCb(action="lead", id=99999).pack()))


async def test_stale_or_unknown_lead_buttons_change_nothing(harness: Harness, sessionmaker) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await u.send("/menu")
    assert "устарела" in (await u.press(LeadCb(action="open", id=4242).pack()))[-1]
    assert "устарела" in (await u.press(LeadCb(action="reject", id=4242).pack()))[-1]


async def test_new_contact_inside_new_lead_returns_to_the_lead_form(harness: Harness, sessionmaker) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await u.send("/new_lead")
    await u.click("Новый контакт")
    # The contacts form's own prompts belong to that module; answer its four required fields in order.
    for answer in ("Петров Пётр Петрович", "+79161234567", "01.02.1980", "petrov@mail.ru"):
        await u.send(answer)
    for _ in range(4):  # the optional steps are skipped, then the contact summary is saved
        if "Откуда пришёл лид" in u.last:
            break
        buttons = u.buttons()
        label = next((b for b in buttons if "Сохранить" in b), None) or next(
            b for b in buttons if "Пропустить" in b
        )
        await u.click(label)
    assert "Откуда пришёл лид" in u.last and "Петров Пётр Петрович" in u.last
    await u.click("Сайт")
    await u.click("Пропустить")
    await u.send("Интересуется термоэтикетками")
    await u.click("Сохранить")
    async with sessionmaker() as session:
        lead = await session.scalar(select(Lead))
        user = await session.scalar(select(User).where(User.telegram_id == MANAGER))
    assert lead is not None and user is not None and lead.responsible_id == user.id

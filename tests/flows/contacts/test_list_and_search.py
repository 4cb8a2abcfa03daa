"""/contacts (visibility, pages, the card). /find is tested in ``tests/flows/search``."""

from __future__ import annotations

from datetime import date

from aiogram.methods import SendMessage

from bot.callbacks import ContactCb
from tests.conftest import ADMIN_ID
from tests.factories import make_contact, make_lead, make_user
from tests.harness import Harness

SURNAMES = [
    "Абрамов", "Борисов", "Волков", "Григорьев", "Дмитриев", "Егоров", "Жуков", "Зайцев", "Ильин", "Козлов",
    "Лебедев", "Морозов", "Новиков", "Орлов", "Павлов", "Романов", "Соколов", "Тихонов", "Уваров", "Фёдоров",
    "Харитонов", "Цветков", "Чернов", "Шубин", "Яковлев",
]  # fmt: skip


async def _contact(sessionmaker, owner: int, i: int, surname: str = "Тестов", given: str = "Иван") -> int:  # type: ignore[no-untyped-def]
    birth = date(1980, 1, 1 + i % 28)
    return await make_contact(
        sessionmaker,
        owner,
        name=f"{surname} {given}",
        phone=f"+7916{i:07d}",
        birth=birth,
        email=f"c{i}@mail.ru",
    )


async def test_contacts_are_listed_by_surname_ten_a_page(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    me = await make_user(sessionmaker, 520_001)
    for i, surname in enumerate(reversed(SURNAMES)):
        await _contact(sessionmaker, me, i, surname)
    manager = harness.user(520_001)
    replies = await manager.send("/contacts")
    assert "25" in replies[-1] and "Страница 1 из 3" in replies[-1]
    buttons = manager.buttons()
    assert buttons[:10] == [f"{s} Иван" for s in SURNAMES[:10]] and buttons[10:] == ["Далее »"]
    replies = await manager.click("Далее")
    assert "Страница 2 из 3" in replies[-1]
    assert manager.buttons() == [*(f"{s} Иван" for s in SURNAMES[10:20]), "« Назад", "Далее »"]
    await manager.click("Далее")
    assert manager.buttons() == [*(f"{s} Иван" for s in SURNAMES[20:]), "« Назад"]
    await manager.click("« Назад")
    assert manager.buttons()[0] == f"{SURNAMES[10]} Иван"


async def test_the_menu_button_lists_contacts_too(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    me = await make_user(sessionmaker, 520_002)
    await _contact(sessionmaker, me, 1, "Абрамов")
    manager = harness.user(520_002)
    await manager.send("📇 Мои контакты")
    assert manager.buttons() == ["Абрамов Иван"]


async def test_contacts_visibility_by_role(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    north = await make_user(sessionmaker, 520_003, team="Продажи Север")
    north_2 = await make_user(sessionmaker, 520_004, team="Продажи Север")
    south = await make_user(sessionmaker, 520_005, team="Продажи Юг")
    await make_user(sessionmaker, 520_006, role="team_lead", team="Продажи Север")
    await _contact(sessionmaker, north, 1, "Северов")
    await _contact(sessionmaker, north_2, 2, "Соседов")
    south_contact = await _contact(sessionmaker, south, 3, "Южанин")
    shared = await _contact(sessionmaker, south, 4, "Общий")
    await make_lead(sessionmaker, shared, north)  # a lead makes the contact visible to its manager

    manager = harness.user(520_003)
    await manager.send("/contacts")
    assert manager.buttons() == ["Общий Иван", "Северов Иван"]
    lead = harness.user(520_006)
    await lead.send("/contacts")
    assert lead.buttons() == ["Общий Иван", "Северов Иван", "Соседов Иван"]
    admin = harness.user(ADMIN_ID)
    await admin.send("/contacts")
    assert "Южанин Иван" in admin.buttons() and len(admin.buttons()) == 4
    assert south_contact


async def test_contact_card_shows_everything_with_leads(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    me = await make_user(sessionmaker, 520_007, full_name="Мария Менеджер")
    contact_id = await make_contact(sessionmaker, me, name="Иванов Иван Иванович")
    lead_id = await make_lead(sessionmaker, contact_id, me)
    manager = harness.user(520_007)
    await manager.send("/contacts")
    replies = await manager.click("Иванов Иван Иванович")
    card = replies[-1]
    for part in ("Иванов Иван Иванович", "+7 912 345-67-89", "25.03.1985", "ivanov@mail.ru", "Иван Петров"):
        assert part in card
    assert "Лиды: 1 (Открыт: 1)" in card and "Сделки: нет" in card
    assert manager.buttons() == [
        "🎯 Новый лид",
        f"🎯 Лид №{lead_id} · Открыт",
        "🕘 История",
        "📎 Документы (0)",
        "📎 Прикрепить",
    ]
    markup = harness.message(520_007).reply_markup
    assert markup is not None
    assert markup.inline_keyboard[0][0].callback_data == ContactCb(action="lead", id=contact_id).pack()


async def test_forged_contact_button_of_an_invisible_contact_changes_nothing(  # type: ignore[no-untyped-def]
    harness: Harness, sessionmaker
) -> None:
    await make_user(sessionmaker, 520_008)
    south = await make_user(sessionmaker, 520_009, team="Продажи Юг")
    hidden = await _contact(sessionmaker, south, 1, "Скрытов")
    manager = harness.user(520_008)
    await manager.send("/contacts")
    sent_before = len(harness.calls(SendMessage))
    replies = await manager.press(ContactCb(action="open", id=hidden).pack())
    assert replies == ["Нет доступа: эта запись закреплена за другим сотрудником. Ничего не изменено."]
    assert len(harness.calls(SendMessage)) == sent_before
    replies = await manager.press(ContactCb(action="open", id=999_999).pack())
    assert "Нет доступа" in replies[-1]

"""/contacts: visibility, pages and the contact card, as dialogs (R1c, R4)."""

from __future__ import annotations

from datetime import date

from aiogram.methods import SendMessage

from bot.callbacks import ContactCb
from tests.conftest import ADMIN_ID
from tests.factories import make_contact, make_lead, make_user
from tests.harness import Harness, t, tp

SURNAMES = [
    "Абрамов", "Борисов", "Волков", "Григорьев", "Дмитриев", "Егоров", "Жуков", "Зайцев", "Ильин", "Козлов",
    "Лебедев", "Морозов", "Новиков", "Орлов", "Павлов", "Романов", "Соколов", "Тихонов", "Уваров", "Фёдоров",
    "Харитонов", "Цветков", "Чернов", "Шубин", "Яковлев",
]  # fmt: skip
NEW = tp("contact-btn-new")
EXPORT = tp("export-btn")


async def _contact(sessionmaker, owner: int, i: int, surname: str = "Тестов", given: str = "Иван") -> int:  # type: ignore[no-untyped-def]
    birth = date(1980, 1, 1 + i % 28)
    name, phone, email = f"{surname} {given}", f"+7916{i:07d}", f"c{i}@mail.ru"
    return await make_contact(sessionmaker, owner, name=name, phone=phone, birth=birth, email=email)


def _names(buttons: list[str]) -> list[str]:
    return [b for b in buttons if b not in {NEW, EXPORT, tp("btn-prev"), tp("btn-next")}]


async def test_contacts_are_listed_by_surname_ten_a_page(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    me = await make_user(sessionmaker, 520_001)
    for i, surname in enumerate(reversed(SURNAMES)):
        await _contact(sessionmaker, me, i, surname)
    manager = harness.user(520_001)
    replies = await manager.send("/contacts")
    assert replies[-1] == t("contact-list-title", total=25, page=1, pages=3)
    assert manager.buttons() == [*(f"{s} Иван" for s in SURNAMES[:10]), tp("btn-next"), NEW, EXPORT]
    replies = await manager.click(tp("btn-next"))
    assert replies[-1] == t("contact-list-title", total=25, page=2, pages=3)
    assert manager.buttons() == [
        *(f"{s} Иван" for s in SURNAMES[10:20]),
        tp("btn-prev"),
        tp("btn-next"),
        NEW,
        EXPORT,
    ]
    await manager.click(tp("btn-next"))
    assert manager.buttons() == [*(f"{s} Иван" for s in SURNAMES[20:]), tp("btn-prev"), NEW, EXPORT]
    await manager.click(tp("btn-prev"))
    assert manager.buttons()[0] == f"{SURNAMES[10]} Иван"


async def test_the_menu_button_lists_contacts_too_and_an_empty_list_says_so(  # type: ignore[no-untyped-def]
    harness: Harness, sessionmaker
) -> None:
    me = await make_user(sessionmaker, 520_002)
    manager = harness.user(520_002)
    replies = await manager.send(t("menu-contacts"))
    assert replies[-1] == t("contact-list-empty") and manager.buttons() == [NEW, EXPORT]
    await _contact(sessionmaker, me, 1, "Абрамов")
    await manager.send(t("menu-contacts"))
    assert _names(manager.buttons()) == ["Абрамов Иван"]


async def test_contacts_visibility_by_role(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    north = await make_user(sessionmaker, 520_003, team="Продажи Север")
    north_2 = await make_user(sessionmaker, 520_004, team="Продажи Север")
    south = await make_user(sessionmaker, 520_005, team="Продажи Юг")
    await make_user(sessionmaker, 520_006, role="team_lead", team="Продажи Север")
    await _contact(sessionmaker, north, 1, "Северов")
    await _contact(sessionmaker, north_2, 2, "Соседов")
    await _contact(sessionmaker, south, 3, "Южанин")
    shared = await _contact(sessionmaker, south, 4, "Общий")
    await make_lead(sessionmaker, shared, north)  # a lead makes the contact visible to its manager

    manager = harness.user(520_003)
    await manager.send("/contacts")
    assert _names(manager.buttons()) == ["Общий Иван", "Северов Иван"]
    lead = harness.user(520_006)
    await lead.send("/contacts")
    assert _names(lead.buttons()) == ["Общий Иван", "Северов Иван", "Соседов Иван"]
    admin = harness.user(ADMIN_ID)
    await admin.send("/contacts")
    assert "Южанин Иван" in admin.buttons() and len(_names(admin.buttons())) == 4


async def test_contact_card_shows_everything_with_leads(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    me = await make_user(sessionmaker, 520_007, full_name="Мария Менеджер")
    contact_id = await make_contact(sessionmaker, me, name="Иванов Иван Иванович")
    lead_id = await make_lead(sessionmaker, contact_id, me)
    manager = harness.user(520_007)
    await manager.send("/contacts")
    replies = await manager.click("Иванов Иван Иванович")
    card = replies[-1]
    # The responsible is shown by the name from the manager's Telegram profile.
    for part in ("Иванов Иван Иванович", "+7 912 345-67-89", "25.03.1985", "ivanov@mail.ru", "Иван Петров"):
        assert part in card
    assert "Лиды: 1 (Открыт: 1)" in card and "Сделки: нет" in card
    buttons = manager.buttons()
    assert buttons[:2] == [tp("contact-btn-new-lead"), f"🎯 Лид №{lead_id} · Открыт"]
    assert tp("records-btn-history") in buttons and tp("records-btn-documents", count=0) in buttons


async def test_a_card_of_an_invisible_contact_is_refused_with_one_alert(  # type: ignore[no-untyped-def]
    harness: Harness, sessionmaker
) -> None:
    """A forged or stale contact button (plain callback data on an old message) opens nothing it may not."""
    await make_user(sessionmaker, 520_008)
    south = await make_user(sessionmaker, 520_009, team="Продажи Юг")
    hidden = await _contact(sessionmaker, south, 1, "Скрытов")
    manager = harness.user(520_008)
    await manager.send("/contacts")
    sent_before = len(harness.calls(SendMessage))
    replies = await manager.press(ContactCb(action="open", id=hidden).pack())
    assert replies == [tp("access-denied")]
    assert len(harness.calls(SendMessage)) == sent_before
    replies = await manager.press(ContactCb(action="open", id=999_999).pack())
    assert replies == [tp("access-denied")]
    # The list dialog is still there and works.
    replies = await manager.send("/contacts")
    assert replies[-1] == t("contact-list-empty")

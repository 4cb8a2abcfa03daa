"""/clients, the new-client form and the client card — through the real dispatcher."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.callbacks import PageCb
from db.models import Client, Contact
from handlers.legacy.clients import ClientCb, ClientFormCb
from tests.factories import make_contact, make_lead, make_user
from tests.harness import Harness
from tests.registry import Sessionmaker, audit_actions, count, make_client, make_deal, open_client

MANAGER, OTHER, TEAM_LEAD, STRANGER, OUTSIDER_LEAD = 601, 602, 603, 604, 605


async def start_form(harness: Harness, telegram_id: int, name: str = "ООО Ромашка") -> None:
    u = harness.user(telegram_id)
    await u.send("/clients")
    await u.click("Новый клиент")
    await u.send(name)
    await u.click("Розничная торговля")
    await u.click("Центральный")


async def test_new_client_happy_path_with_a_contact_person(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER, first_name="Пётр", last_name="Сидоров")
    assert "Клиентов пока нет" in (await u.send("/clients"))[-1]
    assert "Как называется клиент" in (await u.click("Новый клиент"))[-1]
    assert "Отрасль клиента" in (await u.send("ООО «Ромашка»"))[-1]
    assert "Бизнес-регион" in (await u.click("Розничная торговля"))[-1]
    assert "Контактные лица клиента «ООО «Ромашка»»: пока никого" in (await u.click("Центральный"))[-1]
    assert "часть ФИО или телефона" in (await u.click("Добавить контакт"))[-1]
    assert "Выберите контакт" in (await u.send("Иванов"))[-1]
    assert "Иванов Иван Иванович" in (await u.click("Иванов Иван"))[-1]
    summary = (await u.click("Готово"))[-1]
    assert "Проверьте клиента" in summary and "Розничная торговля" in summary and "Центральный" in summary
    assert await count(sessionmaker, Client) == 0
    replies = await u.click("Сохранить")
    assert any("Клиент сохранён" in r for r in replies)
    card = replies[-1]
    assert "ООО «Ромашка»" in card and "потенциальный" in card and "Пётр Сидоров" in card
    assert "+7 912 345-67-89" in card and "ivanov@mail.ru" in card
    assert "🏢 В контрагенты" not in u.buttons() and "📨 Отправить по маршруту" in u.buttons()
    assert "Отметить потерянным" in u.buttons()
    async with sessionmaker() as session:
        client = await session.scalar(select(Client))
        linked = await session.get(Contact, contact)
    assert client is not None and client.responsible_id == manager and client.created_by_id == manager
    assert client.industry_id == 1 and client.region_id == 1 and client.name_search == "ооо «ромашка»"
    assert linked is not None and linked.client_id == client.id
    assert await audit_actions(sessionmaker, "client", client.id) == ["created"]
    assert "edited" in await audit_actions(sessionmaker, "contact", contact)


@pytest.mark.parametrize("bad", ["Я", "Я" * 201])
async def test_invalid_name_is_re_asked_and_nothing_is_saved(
    harness: Harness, sessionmaker: Sessionmaker, bad: str
) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await u.send("/clients")
    await u.click("Новый клиент")
    assert "от 2 до 200 символов" in (await u.send(bad))[-1]
    assert "Отрасль клиента" in (await u.send("Склад-Сервис"))[-1]
    assert await count(sessionmaker, Client) == 0


async def test_back_and_cancel_in_the_form(harness: Harness, sessionmaker: Sessionmaker) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await start_form(harness, MANAGER)
    assert "Бизнес-регион" in (await u.click("Назад"))[-1]
    assert "Отрасль клиента" in (await u.click("Назад"))[-1]
    assert "Бизнес-регион" in (await u.click("Оптовая торговля"))[-1]
    assert "Главное меню" in (await u.send("/menu"))[-1]
    await start_form(harness, MANAGER)
    assert "Действие отменено" in (await u.click("Отмена"))[-1]
    assert await count(sessionmaker, Client) == 0


async def test_summary_field_can_be_changed(harness: Harness, sessionmaker: Sessionmaker) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await start_form(harness, MANAGER)
    await u.click("Готово")
    assert "Как называется клиент" in (await u.click("✏️ Название"))[-1]
    summary = (await u.send("Склад-Сервис"))[-1]
    assert "Проверьте клиента" in summary and "Склад-Сервис" in summary
    assert "Бизнес-регион" in (await u.click("✏️ Бизнес-регион"))[-1]
    assert "Уральский" in (await u.click("Уральский"))[-1]
    await u.click("Сохранить")
    async with sessionmaker() as session:
        client = await session.scalar(select(Client))
    assert client is not None and client.name == "Склад-Сервис" and client.region_id == 5


async def test_text_instead_of_a_button_is_re_asked(harness: Harness, sessionmaker: Sessionmaker) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await u.send("/clients")
    await u.click("Новый клиент")
    await u.send("ООО Ромашка")
    assert "кнопкой" in (await u.send("Ритейл"))[-1]
    assert "Бизнес-регион" in (await u.click("Розничная торговля"))[-1]


async def test_contact_search_too_short_and_nothing_found(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await start_form(harness, MANAGER)
    await u.click("Добавить контакт")
    assert "Слишком короткий" in (await u.send("И"))[-1]
    assert "никого нет" in (await u.send("Петров"))[-1]
    assert "Выберите контакт" in (await u.send("912 345"))[-1]


async def test_a_contact_the_manager_cannot_see_is_not_offered_and_a_forged_pick_is_refused(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    await make_user(sessionmaker, MANAGER)
    other = await make_user(sessionmaker, OTHER)
    hidden = await make_contact(sessionmaker, other)
    u = harness.user(MANAGER)
    await start_form(harness, MANAGER)
    await u.click("Добавить контакт")
    assert "никого нет" in (await u.send("Иванов"))[-1]
    replies = await u.press(ClientFormCb(action="pick", id=hidden).pack())
    assert "Нет доступа" in replies[-1]
    assert "пока никого" in (await u.click("Назад"))[-1]
    async with sessionmaker() as session:
        contact = await session.get(Contact, hidden)
    assert contact is not None and contact.client_id is None


async def test_card_masks_contact_persons_the_reader_may_not_see(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """A team lead's client has the lead's own contact and another team's contact: the latter is masked."""
    lead_id = await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    stranger = await make_user(sessionmaker, STRANGER, team="Продажи Юг")
    own = await make_contact(sessionmaker, lead_id)
    foreign = await make_contact(
        sessionmaker, stranger, name="Петрова Анна", phone="+79031234567", email="petrova@yandex.ru"
    )
    client = await make_client(sessionmaker, lead_id, contact_ids=(own, foreign))
    u = harness.user(TEAM_LEAD)
    card = (await open_client(u, client))[-1]
    assert "+7 912 345-67-89" in card and "ivanov@mail.ru" in card
    assert "Петрова Анна" in card and "+7 903 ***-**-67" in card and "p***@yandex.ru" in card
    assert "+7 903 123-45-67" not in card and "petrova@yandex.ru" not in card


async def test_add_contact_person_from_the_card(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    client = await make_client(sessionmaker, manager)
    u = harness.user(MANAGER)
    await open_client(u, client)
    assert "Новое контактное лицо" in (await u.click("Добавить контактное лицо"))[-1]
    await u.click("Добавить контакт")
    await u.send("Иванов")
    replies = await u.click("Иванов Иван")
    assert any("Контактное лицо добавлено" in r for r in replies)
    assert "Иванов Иван Иванович" in replies[-1]
    async with sessionmaker() as session:
        linked = await session.get(Contact, contact)
    assert linked is not None and linked.client_id == client


async def test_new_contact_created_inline_returns_to_the_client_form(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await start_form(harness, MANAGER)
    await u.click("Новый контакт")
    await u.send("Смирнова Ольга Петровна")
    await u.send("+7 916 555-44-33")
    await u.send("12.04.1990")
    await u.send("smirnova@mail.ru")
    replies = await u.click("Пропустить")  # the position; the client is the one being created
    assert "Клиент" not in " ".join(u.buttons())
    replies = await u.click("Сохранить")
    assert "Смирнова Ольга Петровна" in replies[-1] and "Контактные лица клиента" in replies[-1]
    await u.click("Готово")
    await u.click("Сохранить")
    async with sessionmaker() as session:
        contact = await session.scalar(select(Contact))
        client = await session.scalar(select(Client).where(Client.name == "ООО Ромашка"))
    assert contact is not None and client is not None and contact.client_id == client.id


async def test_escaping_of_a_client_name(harness: Harness, sessionmaker: Sessionmaker) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await start_form(harness, MANAGER, name="<b>ООО</b> & Co")
    summary = (await u.click("Готово"))[-1]
    assert "&lt;b&gt;ООО&lt;/b&gt; &amp; Co" in summary
    card = (await u.click("Сохранить"))[-1]
    assert "&lt;b&gt;ООО&lt;/b&gt; &amp; Co" in card
    listing = (await u.send("/clients"))[-1]
    assert "&lt;b&gt;ООО&lt;/b&gt; &amp; Co" in listing
    assert any("<b>ООО</b> & Co" in b for b in u.buttons()), "buttons are plain text, not escaped twice"


async def test_clients_visibility(harness: Harness, sessionmaker: Sessionmaker) -> None:
    """A manager sees their clients and those linked to their contacts' leads; the team lead the team's;
    another team's lead nothing of it; the admin everything."""
    manager = await make_user(sessionmaker, MANAGER)
    other = await make_user(sessionmaker, OTHER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    await make_user(sessionmaker, OUTSIDER_LEAD, role="team_lead", team="Продажи Юг")
    await make_client(sessionmaker, manager, "Альфа")
    foreign_contact = await make_contact(sessionmaker, other)
    await make_lead(sessionmaker, foreign_contact, manager)  # the manager's lead on the other's contact
    await make_client(sessionmaker, other, "Бета", contact_ids=(foreign_contact,))
    await make_client(sessionmaker, other, "Гамма")
    await make_client(sessionmaker, None, "Дельта")

    listing = (await harness.user(MANAGER).send("/clients"))[-1]
    assert "Альфа" in listing and "Бета" in listing and "Гамма" not in listing and "Дельта" not in listing
    listing = (await harness.user(OTHER).send("/clients"))[-1]
    assert "Альфа" not in listing and "Бета" in listing and "Гамма" in listing
    listing = (await harness.user(TEAM_LEAD).send("/clients"))[-1]
    assert all(name in listing for name in ("Альфа", "Бета", "Гамма")) and "Дельта" not in listing
    assert "Клиентов пока нет" in (await harness.user(OUTSIDER_LEAD).send("/clients"))[-1]


async def test_forged_open_of_an_invisible_client_is_refused(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    await make_user(sessionmaker, MANAGER)
    other = await make_user(sessionmaker, OTHER)
    client = await make_client(sessionmaker, other, "Гамма")
    u = harness.user(MANAGER)
    await u.send("/clients")
    replies = await u.press(ClientCb(action="open", id=client).pack())
    assert "Нет доступа" in replies[-1]
    assert not any("Гамма" in r for r in replies)


async def test_clients_pagination(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    for n in range(12):
        await make_client(sessionmaker, manager, f"Клиент {n:02d}")
    u = harness.user(MANAGER)
    first = (await u.send("/clients"))[-1]
    assert "всего 12, страница 1 из 2" in first and "Клиент 09" in first and "Клиент 10" not in first
    assert "Далее »" in u.buttons() and "« Назад" not in u.buttons()
    second = (await u.click("Далее »"))[-1]
    assert "страница 2 из 2" in second and "11. Клиент 10" in second and "Клиент 09" not in second
    assert "Далее »" not in u.buttons()
    # A forged page number beyond the end shows the last page.
    assert "страница 2 из 2" in (await u.press(PageCb(kind="clients", page=99).pack()))[-1]


async def test_client_status_on_the_card_and_the_lost_mark(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, OTHER)
    contact = await make_contact(sessionmaker, manager)
    client = await make_client(sessionmaker, manager, contact_ids=(contact,))
    await make_deal(sessionmaker, await make_lead(sessionmaker, contact, manager), status="won")
    u = harness.user(MANAGER)
    assert "Статус: действующий" in (await open_client(u, client))[-1]
    assert any("Лид №" in line for line in u.last.splitlines())
    replies = await u.click("Отметить потерянным")
    assert "Статус: потерянный" in replies[-1] and "Снять отметку" in u.buttons()
    assert "Статус: действующий" in (await u.click("Снять отметку"))[-1]
    # Someone else (who cannot even see it) forges the mark: refused, nothing changes.
    other_user = harness.user(OTHER)
    await other_user.send("/clients")
    forged = await other_user.press(ClientCb(action="lost", id=client).pack())
    assert "Нет доступа" in forged[-1]
    async with sessionmaker() as session:
        row = await session.get(Client, client)
    assert row is not None and not row.marked_lost
    assert await audit_actions(sessionmaker, "client", client) == ["edited", "edited"]


async def test_find_includes_visible_clients_and_opens_their_card(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """Client lists and /find include clients (seed 002), within what the reader may see."""
    manager = await make_user(sessionmaker, MANAGER)
    other = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    await make_client(sessionmaker, manager, "ООО Ромашка Север")
    await make_client(sessionmaker, other, "ООО Ромашка Юг")
    u = harness.user(MANAGER)
    replies = await u.send("/find ромашка")
    assert "Клиенты: 1" in replies[-1]
    assert u.buttons() == ["🏢 ООО Ромашка Север"]
    replies = await u.click("ООО Ромашка Север")
    assert "ООО Ромашка Север" in replies[-1]


async def test_clients_list_shows_each_clients_derived_status(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """SPEC "Entities": potential (no won deal), active (a won deal via a contact person), lost (marked)."""
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    await make_client(sessionmaker, manager, "Альфа", contact_ids=(contact,))
    await make_client(sessionmaker, manager, "Бета")
    await make_client(sessionmaker, manager, "Гамма", marked_lost=True)
    await make_deal(sessionmaker, await make_lead(sessionmaker, contact, manager), status="won")
    listing = (await harness.user(MANAGER).send("/clients"))[-1]
    assert "Альфа — действующий" in listing
    assert "Бета — потенциальный" in listing
    assert "Гамма — потерянный" in listing

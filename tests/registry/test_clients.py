"""/clients, the new-client form and the client card (seed 002) — dialogs through the real dispatcher."""

from __future__ import annotations

import re

import pytest
from aiogram.types import Sticker, Update
from sqlalchemy import select, update

from bot.callbacks import ClientCb
from db.engine import writing
from db.models import Client, Contact, Industry
from tests.factories import make_client, make_contact, make_lead, make_user
from tests.harness import Harness, TgUser, _update_ids, first_line, t, tp
from tests.registry import Sessionmaker, audit_actions, count, make_deal, open_client

MANAGER, OTHER, TEAM_LEAD, STRANGER = 601, 602, 603, 604


async def start_form(u: TgUser, name: str = "ООО Ромашка") -> None:
    """From /clients to the contact persons step."""
    await u.send("/clients")
    await u.click(tp("clients-btn-new"))
    await u.send(name)
    await u.click("Розничная торговля")
    await u.click("Центральный")


def button_data(u: TgUser, label: str) -> str:
    message = u.harness.message(u.telegram_id)
    assert message.reply_markup is not None
    for row in message.reply_markup.inline_keyboard:  # type: ignore[union-attr]
        for button in row:
            if label in button.text and button.callback_data:
                return button.callback_data
    raise AssertionError(f"no {label!r}")


def forged_item(data: str, item_id: int | str) -> str:
    """The same Select button with another item id, as a forged press would carry it."""
    return f"{data.rsplit(':', 1)[0]}:{item_id}"


async def test_new_client_happy_path_with_a_contact_person(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER, full_name="Пётр Сидоров")
    contact = await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER, first_name="Пётр", last_name="Сидоров")
    assert first_line("clients-list-empty") in (await u.send("/clients"))[-1]
    assert first_line("clients-ask-name") in (await u.click(tp("clients-btn-new")))[-1]
    assert first_line("clients-ask-industry") in (await u.send("ООО «Ромашка»"))[-1]
    assert first_line("clients-ask-region") in (await u.click("Розничная торговля"))[-1]
    asked = (await u.click("Центральный"))[-1]
    assert (
        first_line("clients-ask-contacts", name="ООО «Ромашка»", contacts=t("clients-contacts-none")) in asked
    )
    assert first_line("clients-ask-search") in (await u.click(tp("clients-btn-find-contact")))[-1]
    assert t("clients-search-found") in (await u.send("Иванов"))[-1]
    assert "Иванов Иван Иванович" in (await u.click("Иванов Иван"))[-1]
    summary = (await u.click(tp("btn-done")))[-1]
    assert first_line("clients-summary", name="", industry="", region="", contacts="") in summary
    assert "Розничная торговля" in summary and "Центральный" in summary and "Иванов Иван Иванович" in summary
    assert await count(sessionmaker, Client) == 0
    replies = await u.click(tp("btn-save"))
    assert len(replies) == 1, "the form becomes the card: no extra message"
    card = replies[-1]
    assert t("clients-saved") in card and "ООО «Ромашка»" in card and t("clients-status-potential") in card
    assert "Пётр Сидоров" in card and "+7 912 345-67-89" in card and "ivanov@mail.ru" in card
    assert tp("clients-btn-convert") not in u.buttons() and tp("clients-btn-route") in u.buttons()
    assert tp("clients-btn-mark-lost") in u.buttons()
    async with sessionmaker() as session:
        client = await session.scalar(select(Client))
        linked = await session.get(Contact, contact)
    assert client is not None and client.responsible_id == manager and client.created_by_id == manager
    assert client.industry_id == 1 and client.region_id == 1 and client.name_search == "ооо «ромашка»"
    assert linked is not None and linked.client_id == client.id
    assert await audit_actions(sessionmaker, "client", client.id) == ["created"]
    assert "edited" in await audit_actions(sessionmaker, "contact", contact)
    # The list shows it with its status and opens its card.
    listed = (await u.send("/clients"))[-1]
    assert first_line("clients-list-title", total=1, page=1, pages=1) in listed
    assert t("clients-status-potential") in listed
    assert "ООО «Ромашка»" in (await u.click("1. ООО «Ромашка»"))[-1]


@pytest.mark.parametrize("bad", ["Я", "Я" * 201])
async def test_invalid_name_is_re_asked_and_nothing_is_saved(
    harness: Harness, sessionmaker: Sessionmaker, bad: str
) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await u.send("/clients")
    await u.click(tp("clients-btn-new"))
    answer = (await u.send(bad))[-1]
    assert "от 2 до 200 символов" in answer and first_line("clients-ask-name") in answer
    assert first_line("clients-ask-industry") in (await u.send("Склад-Сервис"))[-1]
    assert await count(sessionmaker, Client) == 0


async def test_a_sticker_at_the_name_step_asks_for_text(harness: Harness, sessionmaker: Sessionmaker) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await u.send("/clients")
    await u.click(tp("clients-btn-new"))
    sticker = Sticker(
        file_id="s1",
        file_unique_id="s1",
        type="regular",
        width=1,
        height=1,
        is_animated=False,
        is_video=False,
    )
    replies = await u.feed(Update(update_id=next(_update_ids), message=u._message(sticker=sticker)))
    assert t("form-err-text-expected") in replies[-1] and first_line("clients-ask-name") in replies[-1]
    assert await count(sessionmaker, Client) == 0


async def test_back_and_cancel_in_the_form(harness: Harness, sessionmaker: Sessionmaker) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await start_form(u)
    assert first_line("clients-ask-region") in (await u.click(tp("btn-back")))[-1]
    assert first_line("clients-ask-industry") in (await u.click(tp("btn-back")))[-1]
    assert first_line("clients-ask-region") in (await u.click("Оптовая торговля"))[-1]
    # A command in the middle of the form asks before the answers are lost.
    title = tp("clients-form-title")
    assert first_line("leave-form-ask", form=title, step=3) in (await u.send("/clients"))[-1]
    assert (
        first_line("clients-ask-region") in (await u.click(tp("leave-form-return", form=title, step=3)))[-1]
    )
    await u.click("Центральный")
    # Cancel closes the form without saving and shows the list it was started from.
    assert first_line("clients-list-empty") in (await u.click(tp("btn-cancel")))[-1]
    assert await count(sessionmaker, Client) == 0


async def test_summary_field_can_be_changed(harness: Harness, sessionmaker: Sessionmaker) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await start_form(u)
    await u.click(tp("btn-done"))
    assert first_line("clients-ask-name") in (await u.click(tp("clients-btn-edit-name")))[-1]
    summary = (await u.send("Склад-Сервис"))[-1]
    assert "Склад-Сервис" in summary and tp("btn-save") in u.buttons(), "an edit returns to the summary"
    assert first_line("clients-ask-region") in (await u.click(tp("clients-btn-edit-region")))[-1]
    assert "Уральский" in (await u.click("Уральский"))[-1]
    await u.click(tp("btn-save"))
    async with sessionmaker() as session:
        client = await session.scalar(select(Client))
    assert client is not None and client.name == "Склад-Сервис" and client.region_id == 5


async def test_text_at_a_choice_step_searches_it(harness: Harness, sessionmaker: Sessionmaker) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await u.send("/clients")
    await u.click(tp("clients-btn-new"))
    await u.send("ООО Ромашка")
    assert t("clients-choice-none", query="Ритейл") in (await u.send("Ритейл"))[-1]
    narrowed = await u.send("торговля")
    assert (
        set(u.buttons()) >= {"Розничная торговля", "Оптовая торговля"} and "Производство" not in u.buttons()
    )
    assert first_line("clients-ask-industry") in narrowed[-1]
    assert first_line("clients-ask-region") in (await u.send("рознич"))[-1], "one match is chosen"
    assert (
        first_line("clients-ask-contacts", name="ООО Ромашка", contacts="").split("«")[0]
        in (await u.send("центр"))[-1]
    )
    await u.click(tp("btn-done"))
    await u.click(tp("btn-save"))
    async with sessionmaker() as session:
        client = await session.scalar(select(Client))
    assert client is not None and client.industry_id == 1 and client.region_id == 1


async def test_contact_search_too_short_and_nothing_found(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await start_form(u)
    # Typing at the contact persons step searches at once.
    assert t("clients-search-found") in (await u.send("912 345"))[-1]
    await u.click(tp("btn-back"))
    await u.click(tp("clients-btn-find-contact"))
    assert first_line("clients-search-too-short") in (await u.send("И"))[-1]
    assert first_line("clients-search-none", query="Петров") in (await u.send("Петров"))[-1]
    assert t("clients-search-found") in (await u.send("912 345"))[-1]


async def test_a_contact_the_manager_cannot_see_is_not_offered_and_a_forged_pick_is_refused(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    mine = await make_contact(
        sessionmaker, manager, name="Иванов Пётр", phone="+79160000001", email="p@mail.ru"
    )
    other = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    hidden = await make_contact(sessionmaker, other)
    u = harness.user(MANAGER)
    await start_form(u)
    await u.click(tp("clients-btn-find-contact"))
    await u.send("Иванов")
    assert "Иванов Пётр" in " ".join(u.buttons()) and "Иванов Иван" not in " ".join(u.buttons())
    pick = button_data(u, "Иванов Пётр")
    assert (await u.press(forged_item(pick, hidden)))[-1] == tp("access-denied")
    assert "Иванов Иван" not in (await u.click(tp("btn-back")))[-1]
    async with sessionmaker() as session:
        contact = await session.get(Contact, hidden)
    assert contact is not None and contact.client_id is None
    assert mine


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


async def test_a_client_the_user_may_not_see_is_refused(harness: Harness, sessionmaker: Sessionmaker) -> None:
    await make_user(sessionmaker, MANAGER)
    other = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    client = await make_client(sessionmaker, other, "<b>Чужой</b>")
    u = harness.user(MANAGER)
    replies = await open_client(u, client)
    assert replies[-1] == tp("access-denied") and "Чужой" not in " ".join(replies)
    assert (await u.press(ClientCb(action="lost", id=client).pack()))[-1] == tp("access-denied")


async def test_add_contact_person_from_the_card(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    client = await make_client(sessionmaker, manager)
    u = harness.user(MANAGER)
    await open_client(u, client)
    assert (
        first_line("clients-ask-attach", name="ООО Ромашка")
        in (await u.click(tp("clients-btn-add-contact")))[-1]
    )
    await u.click(tp("clients-btn-find-contact"))
    await u.send("Иванов")
    card = (await u.click("Иванов Иван"))[-1]
    assert t("clients-contact-linked") in card and "Иванов Иван Иванович" in card
    async with sessionmaker() as session:
        linked = await session.get(Contact, contact)
    assert linked is not None and linked.client_id == client


async def test_new_contact_created_inline_returns_to_the_client_form(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await start_form(u)
    await u.click(tp("clients-btn-new-contact"))
    await u.send("Смирнова Ольга Петровна")
    await u.send("+7 916 555-44-33")
    await u.send("12.04.1990")
    await u.send("smirnova@mail.ru")
    await u.click(tp("btn-skip"))  # the position; the client is the one being created
    assert tp("contact-btn-edit", field=tp("contact-field-client")) not in u.buttons()
    back = (await u.click(tp("btn-save")))[-1]
    assert (
        "Смирнова Ольга Петровна" in back
        and first_line("clients-ask-contacts", name="ООО Ромашка", contacts="Смирнова Ольга Петровна") in back
    )
    await u.click(tp("btn-done"))
    await u.click(tp("btn-save"))
    async with sessionmaker() as session:
        contact = await session.scalar(select(Contact))
        client = await session.scalar(select(Client).where(Client.name == "ООО Ромашка"))
    assert contact is not None and client is not None and contact.client_id == client.id


async def test_mark_lost_and_back(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    client = await make_client(sessionmaker, manager, contact_ids=(contact,))
    await make_deal(sessionmaker, await make_lead(sessionmaker, contact, manager), client_id=client)
    u = harness.user(MANAGER)
    await open_client(u, client)
    card = (await u.click(tp("clients-btn-mark-lost")))[-1]
    assert t("clients-marked-lost") in card and t("clients-card-marked-lost") in card
    assert t("clients-status-lost") in card and tp("clients-btn-unmark-lost") in u.buttons()
    card = (await u.click(tp("clients-btn-unmark-lost")))[-1]
    assert t("clients-unmarked-lost") in card and t("clients-status-potential") in card
    assert await audit_actions(sessionmaker, "client", client) == ["edited", "edited"]


async def test_a_colleague_may_not_mark_someone_elses_client(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """A manager who sees the client through their own contact person is not its keeper."""
    owner = await make_user(sessionmaker, OTHER)
    colleague = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, colleague)
    client = await make_client(sessionmaker, owner, contact_ids=(contact,))
    u = harness.user(MANAGER)
    await open_client(u, client)
    assert tp("clients-btn-mark-lost") not in u.buttons()
    assert (await u.press(ClientCb(action="lost", id=client).pack()))[-1] != tp("clients-marked-lost")
    async with sessionmaker() as session:
        row = await session.get(Client, client)
    assert row is not None and not row.marked_lost


async def test_typing_at_the_summary_asks_for_a_button(harness: Harness, sessionmaker: Sessionmaker) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await start_form(u)
    await u.click(tp("btn-done"))
    answer = (await u.send("сохрани"))[-1]
    assert t("clients-use-buttons") in answer and tp("btn-save") in u.buttons()
    assert await count(sessionmaker, Client) == 0


async def test_a_value_deactivated_while_the_form_was_open_is_asked_again(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await start_form(u)
    await u.click(tp("btn-done"))
    async with writing(sessionmaker) as session:
        await session.execute(update(Industry).where(Industry.id == 1).values(is_active=False))
    answer = (await u.click(tp("btn-save")))[-1]
    assert t("clients-value-deactivated") in answer and first_line("clients-ask-industry") in answer
    assert "Розничная торговля" not in u.buttons()
    assert await count(sessionmaker, Client) == 0
    assert tp("btn-save") in (await u.click("Оптовая торговля"))[-1] or tp("btn-save") in u.buttons()
    await u.click(tp("btn-save"))
    async with sessionmaker() as session:
        client = await session.scalar(select(Client))
    assert client is not None and client.industry_id != 1


async def test_an_english_user_sees_no_russian(harness: Harness, sessionmaker: Sessionmaker) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER, language_code="en", first_name="John", last_name="Smith")
    await u.send("/clients")
    await u.click(tp("clients-btn-new", "en"))
    await u.send("Acme Ltd")
    await u.click(u.buttons()[0])
    await u.click(u.buttons()[0])
    await u.click(tp("btn-done", "en"))
    replies = [*u.replies(), *u.buttons()]
    await u.click(tp("btn-save", "en"))
    replies += [*u.replies(), *u.buttons()]
    cyrillic = [text for text in replies if re.search("[а-яё]", text, re.IGNORECASE)]
    assert not cyrillic, cyrillic


async def test_forged_and_foreign_list_buttons_obey_nothing(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    other = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    await make_client(sessionmaker, manager, "ООО Своя")
    hidden = await make_client(sessionmaker, other, "ООО Чужая")
    u, intruder = harness.user(MANAGER), harness.user(OTHER)
    await u.send("/clients")
    item = button_data(u, "ООО Своя")
    # A client the manager may not see, forged into the list's button: refused, nothing shown.
    replies = await u.press(forged_item(item, hidden))
    assert replies == [tp("access-denied")]
    assert (await u.press(forged_item(item, "abc")))[-1] == tp("button-stale")
    # Another user's dialog button, pressed from their own chat, obeys nothing.
    await intruder.send("/clients")
    assert (await intruder.press(item))[-1] == tp("button-stale")
    assert "ООО Своя" not in " ".join(intruder.replies())

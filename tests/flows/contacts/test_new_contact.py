"""/new_contact: the R4 form through the real dispatcher, step by step."""

from __future__ import annotations

import json
from datetime import date
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from aiogram.types import Contact as TgContact
from aiogram.types import Update
from sqlalchemy import select, update

from db.engine import writing
from db.models import AuditEntry, Client
from tests.factories import make_client, make_user
from tests.flows.contacts.helpers import (
    PROMPTS,
    STEPS,
    VALID,
    answer,
    button_data,
    clients,
    contacts,
    count,
    reach,
)
from tests.harness import Harness, _update_ids, first_line, t, tp


async def test_r4a_happy_path_typed(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    user_id = await make_user(sessionmaker, 500_001)
    client_id = await make_client(sessionmaker, user_id, "ООО «Ромашка»")
    manager = harness.user(500_001)

    replies = await manager.send("/new_contact")
    assert PROMPTS["name"] in replies[-1] and "Иванов Иван Иванович" in replies[-1]
    assert manager.buttons() == [tp("btn-cancel")]
    for step, next_step in pairwise(STEPS):
        replies = await manager.send(VALID[step])
        assert PROMPTS[next_step] in replies[-1], (step, replies)
        assert {tp("btn-back"), tp("btn-cancel")} <= set(manager.buttons())
    # The client step: typed text searches the manager's clients; the match is a button.
    assert {tp("btn-skip"), tp("contact-btn-new-client")} <= set(manager.buttons())
    replies = await manager.send(VALID["client"])
    assert t("contact-client-found", query=VALID["client"]) in replies[-1]
    assert tp("contact-btn-client", name="ООО «Ромашка»") in manager.buttons()
    replies = await manager.click(tp("contact-btn-client", name="ООО «Ромашка»"))
    assert PROMPTS["summary"] in replies[-1]
    summary = replies[-1]
    for text in (
        "Петров Пётр Петрович",
        "+7 916 123-45-67",
        "12.07.1990",
        "petrov.p@mail.ru",
        "Главный инженер",
    ):
        assert text in summary
    assert "ООО «Ромашка»" in summary
    assert "✏️ Телефон" in manager.buttons() and tp("btn-save") in manager.buttons()
    assert await count(sessionmaker) == 0

    replies = await manager.click(tp("btn-save"))
    # The form becomes the saved contact's card, in the same message: no extra menu message.
    assert replies[-1].startswith(t("contact-saved-title")) and "Петров Пётр Петрович" in replies[-1]
    assert len(replies) == 1
    assert tp("contact-btn-new-lead") in manager.buttons()

    [saved] = await contacts(sessionmaker)
    assert (saved.surname, saved.given_name, saved.patronymic) == ("Петров", "Пётр", "Петрович")
    assert saved.name_key == "петр петров петрович"
    assert (saved.phone, saved.birth_date, saved.email) == (
        "+79161234567",
        date(1990, 7, 12),
        "petrov.p@mail.ru",
    )
    assert saved.position == "Главный инженер"
    assert saved.responsible_id == user_id and saved.created_by_id == user_id
    [client] = await clients(sessionmaker)
    assert saved.client_id == client_id == client.id and client.name == "ООО «Ромашка»"
    async with sessionmaker() as session:
        [entry] = list(await session.scalars(select(AuditEntry).where(AuditEntry.entity == "contact")))
    assert (entry.entity_id, entry.action, entry.actor_id) == (saved.id, "created", user_id)
    assert json.loads(entry.after or "{}")["phone"] == "+79161234567"
    # The form is over: the next text is not taken as an answer; the card is shown again.
    replies = await manager.send("Сидоров Семён")
    assert "Петров Пётр Петрович" in replies[-1] and await count(sessionmaker) == 1


async def test_a_client_is_never_matched_by_name_nor_offered_when_not_visible(  # type: ignore[no-untyped-def]
    harness: Harness, sessionmaker
) -> None:
    """R1c: another team's «ООО «Ромашка»» is not found; «➕ Новый клиент» makes the manager's own client
    through the client form (name from the search, then industry and region) and the contact joins it."""
    user_id = await make_user(sessionmaker, 500_002)
    other = await make_user(sessionmaker, 500_902, team="Продажи Юг")
    hidden = await make_client(sessionmaker, other, "ООО «Ромашка»")
    manager = harness.user(500_002)
    await reach(manager, "client")
    replies = await manager.send("ооо «ромашка»")
    assert t("contact-client-none", query="ооо «ромашка»") in replies[-1] and PROMPTS["client"] in replies[-1]
    assert not any("Ромашка" in label for label in manager.buttons())
    assert tp("btn-skip") in manager.buttons()
    replies = await manager.click(tp("contact-btn-new-client"))  # the name is taken from the search
    assert first_line("clients-ask-industry") in replies[-1]
    assert first_line("clients-ask-region") in (await manager.click("Розничная торговля"))[-1]
    summary = (await manager.click("Центральный"))[-1]
    assert first_line("clients-summary-pick", name="", industry="", region="") in summary
    assert "ооо «ромашка»" in summary and tp("clients-btn-edit-contacts") not in manager.buttons()
    replies = await manager.click(tp("btn-save"))
    assert PROMPTS["summary"] in replies[-1] and "ооо «ромашка»" in replies[-1]
    assert await count(sessionmaker) == 0
    await manager.click(tp("btn-save"))
    [saved] = await contacts(sessionmaker)
    made = [c for c in await clients(sessionmaker) if c.id != hidden]
    assert len(made) == 1 and saved.client_id == made[0].id != hidden
    assert made[0].responsible_id == user_id and made[0].industry_id and made[0].region_id


async def test_new_client_from_the_client_step_asks_the_name_when_nothing_was_typed(  # type: ignore[no-untyped-def]
    harness: Harness, sessionmaker
) -> None:
    await make_user(sessionmaker, 500_006)
    manager = harness.user(500_006)
    await reach(manager, "client")
    replies = await manager.click(tp("contact-btn-new-client"))
    assert first_line("clients-ask-name") in replies[-1]
    replies = await manager.send("Я")  # the client form's own check of the name
    assert first_line("clients-ask-name") in replies[-1] and await count(sessionmaker, Client) == 0
    assert first_line("clients-ask-industry") in (await manager.send("Склад-Сервис"))[-1]
    replies = await manager.click(tp("btn-cancel"))  # the client form closes; the contact form goes on
    assert await count(sessionmaker, Client) == 0


async def test_client_search_offers_at_most_eight_clients(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    user_id = await make_user(sessionmaker, 500_007)
    for n in range(10):
        await make_client(sessionmaker, user_id, f"Ромашка {n}")
    manager = harness.user(500_007)
    await reach(manager, "client")
    await manager.send("ромашка")
    assert sum("Ромашка" in label for label in manager.buttons()) == 8


async def test_a_forged_or_stale_client_is_refused_and_nothing_is_saved(  # type: ignore[no-untyped-def]
    harness: Harness, sessionmaker
) -> None:
    """R1c: a client button with another team's client id is refused; a client that stopped being visible
    before the save is refused inside the save."""
    user_id = await make_user(sessionmaker, 500_008)
    other = await make_user(sessionmaker, 500_908, team="Продажи Юг")
    mine = await make_client(sessionmaker, user_id, "ООО «Ромашка»")
    hidden = await make_client(sessionmaker, other, "ООО «Тайна»")
    manager = harness.user(500_008)
    await reach(manager, "client")
    await manager.send("Ромашка")
    pick = button_data(manager, "ООО «Ромашка»")
    replies = await manager.press(f"{pick.rsplit(':', 1)[0]}:{hidden}")
    assert replies[-1] == tp("access-denied")
    await manager.click("ООО «Ромашка»")
    async with writing(sessionmaker) as session:  # the client is handed to another team meanwhile
        await session.execute(update(Client).where(Client.id == mine).values(responsible_id=other))
    replies = await manager.click(tp("btn-save"))
    assert tp("access-denied") in replies
    assert await count(sessionmaker) == 0


async def test_r4a_happy_path_with_a_shared_contact_card(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    await make_user(sessionmaker, 500_003)
    manager = harness.user(500_003)
    await manager.send("/new_contact")
    replies = await manager.share_contact("79161112233", "Павел", "Сидоров")
    assert PROMPTS["birth_date"] in replies[-1]  # name and phone both came from the card
    await manager.send("01.02.1980")
    await manager.send("sidorov@yandex.ru")
    await manager.click(tp("btn-skip"))
    replies = await manager.click(tp("btn-skip"))
    assert PROMPTS["summary"] in replies[-1] and "Сидоров Павел" in replies[-1]
    await manager.click(tp("btn-save"))
    [saved] = await contacts(sessionmaker)
    assert saved.full_name == "Сидоров Павел" and saved.phone == "+79161112233"
    assert saved.position is None and saved.client_id is None
    assert await clients(sessionmaker) == []


async def test_a_card_with_an_incomplete_name_keeps_its_phone_and_asks_the_name(
    harness: Harness, sessionmaker
) -> None:  # type: ignore[no-untyped-def]
    await make_user(sessionmaker, 500_004)
    manager = harness.user(500_004)
    await manager.send("/new_contact")
    replies = await manager.share_contact("+79161112233", "Паша")
    assert t("contact-card-phone-taken") in replies[-1] and PROMPTS["name"] in replies[-1]
    replies = await manager.send("Сидоров Павел")
    assert PROMPTS["birth_date"] in replies[-1]  # the phone step is already answered


async def test_a_card_at_the_phone_step_fills_only_the_phone(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    await make_user(sessionmaker, 500_005)
    manager = harness.user(500_005)
    await reach(manager, "phone")
    replies = await manager.share_contact("79161112233", "Павел", "Сидоров")
    assert PROMPTS["birth_date"] in replies[-1]
    await reach_rest(manager, "birth_date")
    await manager.click(tp("btn-save"))
    [saved] = await contacts(sessionmaker)
    assert saved.full_name == VALID["name"] and saved.phone == "+79161112233"


async def reach_rest(manager, start: str) -> None:  # type: ignore[no-untyped-def]
    for step in STEPS[STEPS.index(start) :]:
        await answer(manager, step)


def _years_ago(years: int) -> str:
    from datetime import datetime

    today = datetime.now(ZoneInfo("Europe/Moscow")).date()
    return today.replace(year=today.year - years, day=min(today.day, 28)).strftime("%d.%m.%Y")


INVALID = [
    ("name", "Иван", "Нужны фамилия и имя"),
    ("name", "Иванов И.", "В ФИО допустимы только буквы"),
    ("name", "Ivanов Иван", "смешаны русские и латинские"),
    ("phone", "+7 495 123-45-67", "Это не мобильный номер"),
    ("phone", "8 912", "Не получается разобрать номер"),
    ("phone", "девять один два", "Не получается разобрать номер"),
    ("birth_date", "25.03.2090", "не может быть в будущем"),
    ("birth_date", _years_ago(12), "не меньше 14 лет"),
    ("birth_date", "31.02.1990", "Такой даты нет в календаре"),
    ("birth_date", "вчера", "Не получается разобрать дату"),
    ("email", "ivanov@", "набран с ошибкой"),
    ("email", "ivanov@fieldcrm.ru", "корпоративные адреса компании"),
    ("email", "sales@msk.fieldcrm.ru", "корпоративные адреса компании"),
    ("position", "x", "Должность — текстом"),
    ("client", "Я", "Для поиска клиента наберите"),
]


@pytest.mark.parametrize(("step", "text", "reason"), INVALID, ids=[f"{s}:{t}" for s, t, _ in INVALID])
async def test_r4a_invalid_input_is_refused_and_the_step_stays(  # type: ignore[no-untyped-def]
    harness: Harness, sessionmaker, step: str, text: str, reason: str
) -> None:
    await make_user(sessionmaker, 500_010)
    manager = harness.user(500_010)
    await reach(manager, step)
    replies = await manager.send(text)
    assert reason in replies[-1]
    assert PROMPTS[step] in replies[-1]  # re-asked with the example
    replies = await answer(manager, step)
    following = STEPS[STEPS.index(step) + 1] if step != "client" else "summary"
    assert PROMPTS[following] in replies[-1]
    assert await count(sessionmaker) == 0


async def test_a_photo_instead_of_text_is_re_asked(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    await make_user(sessionmaker, 500_011)
    manager = harness.user(500_011)
    await reach(manager, "birth_date")
    replies = await manager.send_document("passport.pdf")
    assert t("form-err-text-expected") in replies[-1] and PROMPTS["birth_date"] in replies[-1]


async def test_r4b_own_contact_card_is_refused(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    await make_user(sessionmaker, 500_012)
    manager = harness.user(500_012)
    await reach(manager, "phone")
    card = TgContact(phone_number="79161112233", first_name="Иван", last_name="Петров", user_id=500_012)
    replies = await manager.feed(Update(update_id=next(_update_ids), message=manager._message(contact=card)))
    assert first_line("contact-err-own-card") in replies[-1] and PROMPTS["phone"] in replies[-1]
    replies = await manager.send(VALID["phone"])
    assert PROMPTS["birth_date"] in replies[-1]
    # Also at the first step: the card fills nothing.
    await manager.send("/new_contact")
    replies = await manager.click(tp("leave-form-leave"))  # the form in progress asks first
    assert PROMPTS["name"] in replies[-1]
    replies = await manager.feed(Update(update_id=next(_update_ids), message=manager._message(contact=card)))
    assert first_line("contact-err-own-card") in replies[-1]
    replies = await manager.send(VALID["name"])
    assert PROMPTS["phone"] in replies[-1]
    assert await count(sessionmaker) == 0


async def test_back_returns_step_by_step_and_cancel_saves_nothing(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    await make_user(sessionmaker, 500_013)
    manager = harness.user(500_013)
    await reach(manager, "email")
    replies = await manager.click(tp("btn-back"))
    assert PROMPTS["birth_date"] in replies[-1]
    replies = await manager.click(tp("btn-back"))
    assert PROMPTS["phone"] in replies[-1]
    replies = await manager.send("+7 916 000-11-22")  # a new answer replaces the old one
    assert PROMPTS["birth_date"] in replies[-1]
    await reach_rest(manager, "birth_date")
    replies = await manager.click(tp("btn-back"))  # from the summary to the last step
    assert PROMPTS["client"] in replies[-1]
    replies = await manager.click(tp("btn-cancel"))
    assert replies[-1] == t("cancelled")
    assert t("stray-message") in (await manager.send(VALID["client"]))[-1]
    assert await count(sessionmaker) == 0


async def test_edit_a_field_from_the_summary_and_come_back(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    await make_user(sessionmaker, 500_014)
    manager = harness.user(500_014)
    await reach(manager, "summary")
    replies = await manager.click("✏️ Телефон")
    assert PROMPTS["phone"] in replies[-1]
    replies = await manager.send("8 916 999-88-77")
    assert PROMPTS["summary"] in replies[-1] and "+7 916 999-88-77" in replies[-1]
    replies = await manager.click("✏️ Должность")
    replies = await manager.click(tp("btn-skip"))
    assert PROMPTS["summary"] in replies[-1]
    await manager.click(tp("btn-save"))
    [saved] = await contacts(sessionmaker)
    assert saved.phone == "+79169998877" and saved.position is None


async def test_text_at_the_summary_points_to_the_buttons(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    await make_user(sessionmaker, 500_015)
    manager = harness.user(500_015)
    await reach(manager, "summary")
    replies = await manager.send("сохрани")
    assert t("contact-summary-use-buttons") in replies[-1] and tp("btn-save") in manager.buttons()
    assert await count(sessionmaker) == 0


async def test_a_menu_button_in_the_middle_asks_before_dropping_the_form(  # type: ignore[no-untyped-def]
    harness: Harness, sessionmaker
) -> None:
    await make_user(sessionmaker, 500_016)
    manager = harness.user(500_016)
    await reach(manager, "birth_date")
    replies = await manager.send(t("menu-contacts"))
    assert replies[-1] == t("leave-form-ask", form=tp("contact-form-title"), step=3)
    # «Продолжить» shows the form where it was, with what was typed.
    replies = await manager.click(tp("leave-form-return", form=tp("contact-form-title"), step=3))
    assert PROMPTS["birth_date"] in replies[-1]
    await manager.send(VALID["birth_date"])
    replies = await manager.send("/contacts")
    assert first_line("leave-form-ask", form=tp("contact-form-title"), step=4) in replies[-1]
    replies = await manager.click(tp("leave-form-leave"))
    assert replies[-1] == t("contact-list-empty")
    assert await count(sessionmaker) == 0


async def test_cancel_and_menu_commands_close_the_dialog(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    await make_user(sessionmaker, 500_021)
    manager = harness.user(500_021)
    await reach(manager, "phone")
    replies = await manager.send("/cancel")
    assert replies[-1] == t("cancelled")
    assert t("stray-message") in (await manager.send(VALID["phone"]))[-1]
    await reach(manager, "phone")
    await manager.send("/menu")
    assert t("stray-message") in (await manager.send(VALID["phone"]))[-1]
    assert await count(sessionmaker) == 0


async def test_an_old_save_button_after_saving_changes_nothing(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    await make_user(sessionmaker, 500_017)
    manager = harness.user(500_017)
    await reach(manager, "summary")
    summary = harness.message(500_017)
    save = next(
        b.callback_data
        for row in summary.reply_markup.inline_keyboard
        for b in row
        if b.text == tp("btn-save")
    )
    await manager.click(tp("btn-save"))
    replies = await manager.press(save, message_id=summary.message_id)
    assert replies == [tp("button-stale")]
    assert await count(sessionmaker) == 1


async def test_another_users_dialog_button_obeys_nothing(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    await make_user(sessionmaker, 500_022)
    await make_user(sessionmaker, 500_023)
    owner, intruder = harness.user(500_022), harness.user(500_023)
    await reach(owner, "summary")
    summary = harness.message(500_022)
    save = next(
        b.callback_data
        for row in summary.reply_markup.inline_keyboard
        for b in row
        if b.text == tp("btn-save")
    )
    await intruder.send("/contacts")
    replies = await intruder.press(save)
    assert replies == [tp("button-stale")]
    assert await count(sessionmaker) == 0
    # The owner's form is untouched and still saves.
    await owner.click(tp("btn-save"))
    assert await count(sessionmaker) == 1


async def test_an_unknown_plain_button_inside_a_dialog_is_out_of_date(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    await make_user(sessionmaker, 500_024)
    manager = harness.user(500_024)
    await reach(manager, "summary")
    replies = await manager.press("cf:save:")
    assert replies == [tp("button-stale")]
    assert await count(sessionmaker) == 0


async def test_client_rows_are_not_created_for_a_refused_contact(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_contact

    owner = await make_user(sessionmaker, 500_019, full_name="Ольга Ответственная")
    await make_user(sessionmaker, 500_020)
    manager = harness.user(500_020)
    await reach(manager, "summary")
    await make_contact(sessionmaker, owner, name=VALID["name"], phone="+79161234567", email="other@mail.ru")
    replies = await manager.click(tp("btn-save"))
    assert (
        t(
            "contact-duplicate",
            fields="ФИО, Телефон",
            name="",
            phone="",
            birth_date="",
            email="",
            responsible="",
        ).split("\n")[0]
        in replies[-1]
    )
    assert await count(sessionmaker, Client) == 0

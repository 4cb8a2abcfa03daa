"""/new_lead (R1): the lead form dialog through the real dispatcher, step by step."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.methods import SendMessage

from bot.callbacks import ContactCb
from db.models import OutboxMessage
from tests.factories import make_contact, make_user
from tests.flows.leads.helpers import (
    DESCRIPTION,
    LEAD_TG,
    MANAGER,
    MEMBER,
    OTHER,
    Sessionmaker,
    audit_actions,
    button_data,
    count,
    forged_item,
    go_to_description,
    has_button,
    only_lead,
    summary_title,
    top_dialog,
)
from tests.harness import Harness, first_line, t, tp
from tests.reminders.deliver import deliver


async def test_r1_happy_path_search_by_phone_saves_and_shows_the_card(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    await make_contact(sessionmaker, manager, name="Петров Пётр", phone="+79161112233", email="p@mail.ru")
    u = harness.user(MANAGER, first_name="Пётр", last_name="Сидоров")
    assert first_line("lead-ask-contact") in (await u.send("/new_lead"))[-1]
    assert tp("lead-btn-new-contact") in u.buttons()
    # Text typed at the contact step searches the manager's contacts by phone digits.
    found = await u.send("912 345")
    assert t("lead-search-found", query="912 345") in found[-1]
    assert [b for b in u.buttons() if "," in b] == ["Иванов Иван Иванович, +7 912 345-67-89"]
    assert first_line("lead-ask-source", contact="Иванов Иван Иванович") in (await u.click("Иванов Иван"))[-1]
    assert t("lead-ask-group") in (await u.click("Сайт"))[-1]
    assert first_line("lead-ask-description", min=5, max=2000) in (await u.click("Оборудование"))[-1]
    summary = await u.send(DESCRIPTION)
    assert summary_title() in summary[-1] and "Оборудование" in summary[-1]
    assert tp("lead-btn-edit", field=tp("lead-field-responsible")) not in u.buttons(), (
        "a manager is responsible"
    )
    assert await count(sessionmaker) == 0
    card = (await u.click(tp("btn-save")))[-1]
    assert t("lead-saved") in card
    assert "Иванов Иван Иванович" in card and "+7 912 345-67-89" in card and "Сайт" in card
    assert "Пётр Сидоров" in card and t("lead-card-qualifying-none") in card
    assert {tp("lead-btn-log"), tp("lead-btn-convert"), tp("lead-btn-task"), tp("lead-btn-reject")} <= set(
        u.buttons()
    )
    assert not has_button(u, "lead-btn-reassign")
    lead = await only_lead(sessionmaker)
    assert (lead.responsible_id, lead.created_by_id, lead.product_group_id, lead.status) == (
        manager,
        manager,
        1,
        "open",
    )
    assert lead.description == DESCRIPTION
    assert await audit_actions(sessionmaker, lead.id) == ["created"]
    assert await count(sessionmaker, OutboxMessage) == 0, "nobody else is told about one's own lead"
    assert t("leave-form-ask", form=tp("lead-form-title"), step=1).split("(")[0] not in " ".join(
        await u.send("/leads")
    ), "the form is over"


async def test_action_count_of_a_lead_on_an_existing_contact_from_the_main_menu(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """Item 7: from the main menu, a lead on a recent contact takes 6 actions (taps and typed messages)."""
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await u.send("/menu")
    actions = 0

    async def act(kind: str, value: str) -> None:
        nonlocal actions
        actions += 1
        await (u.send(value) if kind == "type" else u.click(value))

    await act("type", t("menu-new-lead"))
    await act("tap", "Иванов Иван")
    await act("tap", "Сайт")
    await act("tap", "Оборудование")
    await act("type", DESCRIPTION)
    await act("tap", tp("btn-save"))
    assert await count(sessionmaker) == 1
    assert actions == 6


@pytest.mark.parametrize(
    ("text", "key", "params"),
    [
        ("abc", "lead-description-too-short", {"min": 5, "max": 2000, "length": 3}),
        (" ок ", "lead-description-too-short", {"min": 5, "max": 2000, "length": 2}),
        ("я" * 2001, "limit-too-long", {"limit": 2000, "length": 2001}),
        ("<" * 600, "limit-too-long", {"limit": 2000, "length": 2400}),
    ],
)
async def test_description_out_of_bounds_is_refused_and_the_step_stays(
    harness: Harness, sessionmaker: Sessionmaker, text: str, key: str, params: dict[str, Any]
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await go_to_description(u)
    reply = (await u.send(text))[-1]
    assert first_line(key, **params) in reply and first_line("lead-ask-description", min=5, max=2000) in reply
    assert await count(sessionmaker) == 0
    assert summary_title() in (await u.send("Нужны сканеры для склада"))[-1]


async def test_non_text_answers_and_stray_text_on_the_summary_re_ask(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await u.send("/new_lead")
    assert t("form-err-text-expected") in (await u.share_contact("+79123456789", "Иван"))[-1]
    await u.click("Иванов Иван")
    await u.click("Сайт")
    await u.click(tp("btn-skip"))
    assert t("form-err-text-expected") in (await u.share_contact("+79123456789", "Иван"))[-1]
    summary = (await u.send("Нужны сканеры для склада"))[-1]
    assert t("lead-group-none") in summary
    assert t("lead-use-buttons") in (await u.send("Сохрани уже"))[-1]
    await u.click(tp("btn-save"))
    assert (await only_lead(sessionmaker)).product_group_id is None


async def test_search_finds_only_visible_contacts_and_refuses_bad_queries(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    await make_user(sessionmaker, MANAGER)
    other = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    await make_contact(sessionmaker, other)
    u = harness.user(MANAGER)
    assert t("lead-recent-none") in (await u.send("/new_lead"))[-1]
    assert t("lead-search-too-short") in (await u.send("И"))[-1]
    too_long = (await u.send("Иванов " * 40))[-1]
    assert first_line("limit-search-too-long", limit=200, length=279) in too_long
    assert first_line("lead-search-none", query="Иванов") in (await u.send("Иванов"))[-1]
    assert not any("Иванов" in b for b in u.buttons())
    assert tp("lead-btn-recent") in u.buttons()
    assert t("lead-recent-none") in (await u.click(tp("lead-btn-recent")))[-1]


async def test_recent_contacts_are_buttons_and_a_name_typed_finds_the_contact(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    await make_contact(sessionmaker, manager, name="Петров Пётр", phone="+79161112233", email="p@mail.ru")
    u = harness.user(MANAGER)
    assert t("lead-recent-found") in (await u.send("/new_lead"))[-1]
    assert len([b for b in u.buttons() if "+7" in b]) == 2
    await u.send("пётр петров")  # word order, case and «ё» do not matter
    assert [b for b in u.buttons() if "+7" in b] == ["Петров Пётр, +7 916 111-22-33"]
    assert first_line("lead-ask-source", contact="Петров Пётр") in (await u.click("Петров Пётр"))[-1]


async def test_forged_contact_item_of_an_invisible_contact_is_refused(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    other = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    await make_contact(sessionmaker, manager)
    hidden = await make_contact(
        sessionmaker, other, name="Скрытый Семён", phone="+79160000000", email="s@m.ru"
    )
    u = harness.user(MANAGER)
    await u.send("/new_lead")
    replies = await u.press(forged_item(u, "Иванов Иван", hidden))
    assert replies == [tp("access-denied")]
    assert (await top_dialog(u) or ("",))[0] == "LeadForm:contact"
    assert "Скрытый" not in " ".join(u.buttons())
    for junk in ("abc", "0", "-5", str(2**63)):
        assert (await u.press(forged_item(u, "Иванов Иван", 1).rsplit(":", 1)[0] + f":{junk}"))[-1] in {
            tp("button-stale"),
            tp("access-denied"),
        }
    assert await count(sessionmaker) == 0


async def test_typed_text_at_a_choice_step_narrows_the_buttons_or_takes_the_one_match(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await u.send("/new_lead")
    await u.click("Иванов Иван")
    assert t("lead-choice-none", query="Телеграм") in (await u.send("Телеграм"))[-1]
    reply = (await u.send("звонок"))[-1]
    assert t("lead-choice-filtered") in reply
    assert [b for b in u.buttons() if "звонок" in b.lower()] == ["Входящий звонок", "Холодный звонок"]
    assert "Сайт" not in u.buttons()
    await u.click(tp("lead-btn-show-all"))
    assert "Сайт" in u.buttons()
    assert t("lead-ask-group") in (await u.send("сайт"))[-1], "one match is taken at once"
    assert t("lead-ask-description", min=5, max=2000).split("\n")[0] in (await u.send("услуги"))[-1]
    await u.send(DESCRIPTION)
    await u.click(tp("btn-save"))
    lead = await only_lead(sessionmaker)
    assert lead.source_id is not None and lead.product_group_id is not None


async def test_back_edit_from_the_summary_and_cancel(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await go_to_description(u)
    assert t("lead-ask-group") in (await u.click(tp("btn-back")))[-1]
    assert (
        first_line("lead-ask-source", contact="Иванов Иван Иванович") in (await u.click(tp("btn-back")))[-1]
    )
    await u.click("Выставка")
    await u.click("Услуги")
    assert "Выставка" in (await u.send("Нужен монтаж оборудования на складе"))[-1]
    await u.click(tp("lead-btn-edit", field=tp("lead-field-source")))
    summary = (await u.click("Рекомендация"))[-1]
    assert summary_title() in summary and "Рекомендация" in summary, "an edit returns to the summary"
    await u.click(tp("lead-btn-edit", field=tp("lead-field-description")))
    assert "Другой запрос клиента" in (await u.send("Другой запрос клиента"))[-1]
    assert t("cancelled") in (await u.click(tp("btn-cancel")))[-1]
    assert await count(sessionmaker) == 0


async def test_description_is_escaped_on_the_summary_and_the_card(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await go_to_description(u)
    assert "&lt;b&gt;срочно&lt;/b&gt; &amp; Co" in (await u.send("<b>срочно</b> & Co"))[-1]
    assert "&lt;b&gt;срочно&lt;/b&gt; &amp; Co" in (await u.click(tp("btn-save")))[-1]
    assert (await only_lead(sessionmaker)).description == "<b>срочно</b> & Co"


async def test_team_lead_chooses_a_member_who_is_notified_through_the_outbox(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    await make_user(sessionmaker, LEAD_TG, role="team_lead", full_name="Руководитель Анна")
    member = await make_user(sessionmaker, MEMBER, full_name="Менеджер Олег")
    await make_user(sessionmaker, OTHER, team="Продажи Юг", full_name="Чужой Борис")
    await make_contact(sessionmaker, member)
    u = harness.user(LEAD_TG, first_name="Анна", last_name="Руководитель")
    await go_to_description(u)
    assert t("lead-ask-responsible") in (await u.send(DESCRIPTION))[-1]
    assert u.buttons()[0] == tp("lead-btn-myself")
    assert "Менеджер Олег" in u.buttons() and "Чужой Борис" not in u.buttons()
    summary = (await u.click("Менеджер Олег"))[-1]
    assert "Менеджер Олег" in summary
    assert tp("lead-btn-edit", field=tp("lead-field-responsible")) in u.buttons()
    assert t("lead-saved") in (await u.click(tp("btn-save")))[-1]
    await u.click(tp("lead-btn-reassign"))
    assert t("lead-saved") not in (await u.click(tp("btn-back")))[-1], "said once, not after every step back"
    lead = await only_lead(sessionmaker)
    assert lead.responsible_id == member and lead.created_by_id != member
    assert await deliver(harness) == 1
    notices = [c for c in harness.calls(SendMessage) if int(c.chat_id) == MEMBER]
    assert len(notices) == 1 and "Анна Руководитель" in notices[0].text and f"№{lead.id}" in notices[0].text


async def test_team_lead_cannot_choose_someone_outside_the_team(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    await make_user(sessionmaker, LEAD_TG, role="team_lead")
    member = await make_user(sessionmaker, MEMBER, full_name="Менеджер Олег")
    stranger = await make_user(sessionmaker, OTHER, team="Продажи Юг", full_name="Чужой Борис")
    await make_contact(sessionmaker, member)
    u = harness.user(LEAD_TG)
    await go_to_description(u)
    await u.send(DESCRIPTION)
    assert (await u.press(forged_item(u, "Менеджер Олег", stranger)))[-1] == tp("access-denied")
    assert (await top_dialog(u) or ("",))[0] == "LeadForm:responsible"


async def test_r5b_a_lead_on_an_invisible_contact_from_the_duplicate_screen(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    other = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    contact = await make_contact(sessionmaker, other)
    u = harness.user(MANAGER)
    await u.send("/menu")
    # SPEC "Access": a forged button for the hidden contact, without the duplicate screen, starts nothing.
    assert (await u.press(ContactCb(action="lead", id=contact).pack()))[-1] == tp("access-denied")
    assert (await u.press(ContactCb(action="lead", id=99999).pack()))[-1] == tp("access-denied")
    assert await top_dialog(u) is None
    await u.send("/new_contact")
    await u.send("Иванов Иван Иванович")
    await u.send("+7 912 345-67-89")
    reply = (await u.click(tp("contact-btn-lead-on-existing")))[-1]
    assert first_line("lead-ask-source", contact="Иванов Иван Иванович") in reply
    await u.click("Сайт")
    await u.click(tp("btn-skip"))
    await u.send("Хочет сервисный контракт на принтеры")
    card = (await u.click(tp("btn-save")))[-1]
    lead = await only_lead(sessionmaker)
    assert (lead.contact_id, lead.responsible_id) == (contact, manager)
    assert "Иванов Иван Иванович" in card


async def test_a_new_contact_inside_the_lead_form_comes_back_to_it(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await u.send("/new_lead")
    await u.click(tp("lead-btn-new-contact"))
    for answer in ("Петров Пётр Петрович", "+79161234567", "01.02.1980", "petrov@mail.ru"):
        await u.send(answer)
    await u.click(tp("btn-skip"))  # position; the client step is skipped too, then the contact is saved
    await u.click(tp("btn-skip"))
    reply = (await u.click(tp("btn-save")))[-1]
    assert first_line("lead-ask-source", contact="Петров Пётр Петрович") in reply
    await u.click("Сайт")
    await u.click(tp("btn-skip"))
    await u.send("Интересуется термоэтикетками")
    await u.click(tp("btn-save"))
    lead = await only_lead(sessionmaker)
    assert lead.responsible_id == manager


async def test_a_cancelled_new_contact_returns_to_the_contact_step(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await u.send("/new_lead")
    await u.click(tp("lead-btn-new-contact"))
    await u.send("Петров Пётр Петрович")
    assert first_line("lead-ask-contact") in (await u.click(tp("btn-cancel")))[-1]
    assert await count(sessionmaker) == 0


async def test_a_lead_from_the_contact_card_starts_at_the_source(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    contact = await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await u.send("/contacts")
    await u.click("Иванов Иван")
    reply = (await u.click(tp("contact-btn-new-lead")))[-1]
    assert first_line("lead-ask-source", contact="Иванов Иван Иванович") in reply
    await u.click("Сайт")
    await u.click(tp("btn-skip"))
    await u.send(DESCRIPTION)
    assert t("lead-saved") in (await u.click(tp("btn-save")))[-1]
    assert (await only_lead(sessionmaker)).contact_id == contact


async def test_a_command_in_the_middle_of_the_form_asks_before_leaving(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await go_to_description(u)
    asked = (await u.send(t("menu-leads")))[-1]
    assert first_line("leave-form-ask", form=tp("lead-form-title"), step=4) in asked
    assert first_line("lead-ask-description", min=5, max=2000) in (await u.click("Продолжить"))[-1]
    await u.send(DESCRIPTION)
    assert summary_title() in u.last


async def test_another_users_form_button_obeys_nothing(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, OTHER)
    await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER)
    await go_to_description(u)
    await u.send(DESCRIPTION)
    save = button_data(u, tp("btn-save"))
    intruder = harness.user(OTHER)
    await intruder.send("/menu")
    assert (await intruder.press(save))[-1] == tp("button-stale")
    assert await count(sessionmaker) == 0


async def test_an_english_user_sees_the_form_in_english(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_contact(sessionmaker, manager)
    u = harness.user(MANAGER, language_code="en")
    assert first_line("lead-ask-contact", "en") in (await u.send("/new_lead"))[-1]
    assert tp("lead-btn-new-contact", "en") in u.buttons() and tp("btn-cancel", "en") in u.buttons()
    await u.click("Иванов Иван")
    assert "Сайт" not in u.buttons()  # a seeded source has its English name
    await u.click("Website")
    await u.click(tp("btn-skip", "en"))
    summary = (await u.send(DESCRIPTION))[-1]
    assert summary_title("en") in summary and t("lead-group-none", "en") in summary
    assert "Website" in summary and "Сайт" not in summary
    card = (await u.click(tp("btn-save", "en")))[-1]
    assert t("lead-saved", "en") in card and t("lead-card-qualifying-none", "en") in card

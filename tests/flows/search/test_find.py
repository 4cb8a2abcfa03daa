"""/find and «🔎 Поиск»: contacts by a name fragment or a phone in any format, their leads and deals, clients
by name; only what the user may see; the query's rule; results a page at a time; a result opens its card."""

from __future__ import annotations

from datetime import date

from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.factories import make_client, make_contact, make_lead, make_user
from tests.harness import Harness, first_line, t, tp

Sessionmaker = async_sessionmaker[AsyncSession]


async def _contact(
    sessionmaker: Sessionmaker, owner: int, i: int, surname: str = "Тестов", given: str = "Иван"
) -> int:
    return await make_contact(
        sessionmaker,
        owner,
        name=f"{surname} {given}",
        phone=f"+7916{i:07d}",
        birth=date(1980, 1, 1 + i % 28),
        email=f"c{i}@mail.ru",
    )


def results(buttons: list[str]) -> list[str]:
    """The result buttons, without the pager and «new search»."""
    return [b for b in buttons if b not in (tp("btn-prev"), tp("btn-next"), tp("search-btn-again"))]


async def test_find_by_name_fragment_ignores_case_and_yo(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    me = await make_user(sessionmaker, 520_010)
    await _contact(sessionmaker, me, 1, "Семёнов", "Пётр")
    await _contact(sessionmaker, me, 2, "Иванов", "Семён")
    await _contact(sessionmaker, me, 3, "Кузнецов", "Олег")
    manager = harness.user(520_010)
    replies = await manager.send("/find семен")
    assert first_line("search-results", query="семен", total=2, page=1, pages=1) in replies[-1]
    assert results(manager.buttons()) == ["Иванов Семён", "Семёнов Пётр"]
    await manager.send("/find ПЕТР семенов")
    assert results(manager.buttons()) == ["Семёнов Пётр"]


async def test_find_by_phone_in_another_format_shows_the_contacts_leads(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    me = await make_user(sessionmaker, 520_011)
    contact_id = await make_contact(sessionmaker, me, name="Иванов Иван", phone="+79123456789")
    lead_id = await make_lead(sessionmaker, contact_id, me)
    await _contact(sessionmaker, me, 5, "Другой")
    manager = harness.user(520_011)
    await manager.send("/find 8 (912) 345-67-89")
    assert results(manager.buttons()) == [
        "Иванов Иван",
        tp("search-btn-lead", id=lead_id, name="Иванов Иван"),
    ]
    await manager.send("/find 345-67-89")
    assert results(manager.buttons())[0] == "Иванов Иван"


async def test_find_respects_visibility(harness: Harness, sessionmaker: Sessionmaker) -> None:
    me = await make_user(sessionmaker, 520_012)
    south = await make_user(sessionmaker, 520_013, team="Продажи Юг")
    mine = await make_contact(sessionmaker, me, name="Иванов Иван", phone="+79160000001", email="a@mail.ru")
    theirs = await make_contact(
        sessionmaker, south, name="Иванов Пётр", phone="+79160000002", email="b@mail.ru"
    )
    await make_lead(sessionmaker, mine, south)  # their lead on my contact: not mine to see
    await make_lead(sessionmaker, theirs, south)
    await make_client(sessionmaker, south, "ООО Иванов и партнёры")
    manager = harness.user(520_012)
    await manager.send("/find иванов")
    assert results(manager.buttons()) == ["Иванов Иван"]
    replies = await manager.send("/find +7 916 000-00-02")
    assert t("search-nothing", query="+7 916 000-00-02") in replies[-1]


async def test_find_shows_clients_on_the_first_page(harness: Harness, sessionmaker: Sessionmaker) -> None:
    me = await make_user(sessionmaker, 520_016)
    await make_client(sessionmaker, me, "ООО Ромашка")
    manager = harness.user(520_016)
    replies = await manager.send("/find ромашка")
    assert t("search-clients", count=1) in replies[-1]
    assert results(manager.buttons()) == [tp("search-btn-client", name="ООО Ромашка")]


async def test_find_refuses_a_too_short_query_and_escapes_the_text(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    await make_user(sessionmaker, 520_014)
    manager = harness.user(520_014)
    replies = await manager.send("/find и")
    assert t("search-err-too-short", min=2) in replies[-1] and first_line("search-ask") in replies[-1]
    replies = await manager.send("я")  # typed: the same rule
    assert t("search-err-too-short", min=2) in replies[-1]
    replies = await manager.send("<b>срочно</b> & Co")  # the window still waits for a query
    assert "&lt;b&gt;срочно&lt;/b&gt; &amp; Co" in replies[-1]
    assert t("search-nothing", query="<b>срочно</b> & Co") in replies[-1]
    replies = await manager.send("ж" * 1000)
    assert first_line("limit-search-too-long", limit=200, length=1000)[:30] in replies[-1]
    photo_reply = await manager.send_document("запрос.pdf")
    assert t("form-err-text-expected") in photo_reply[-1]


async def test_find_from_the_menu_asks_for_the_text_and_pages(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    me = await make_user(sessionmaker, 520_015)
    for i in range(12):
        await _contact(sessionmaker, me, i, f"Петров{'аеиоуы'[i % 6]}{'бвгдклмнпрст'[i]}")
    manager = harness.user(520_015)
    replies = await manager.send(t("menu-find"))
    assert first_line("search-ask") in replies[-1]
    replies = await manager.send("петров")
    assert first_line("search-results", query="петров", total=12, page=1, pages=2) in replies[-1]
    assert len(results(manager.buttons())) == 10 and tp("btn-next") in manager.buttons()
    replies = await manager.click(tp("btn-next"))
    assert first_line("search-results", query="петров", total=12, page=2, pages=2) in replies[-1]
    assert len(results(manager.buttons())) == 2 and tp("btn-prev") in manager.buttons()
    # Typing at the results searches again.
    replies = await manager.send("петрова")
    assert first_line("search-results", query="петрова", total=2, page=1, pages=1) in replies[-1]
    await manager.click(tp("search-btn-again"))
    assert first_line("search-ask") in harness.message(520_015).text  # type: ignore[operator]


async def test_a_result_opens_the_card_and_a_forged_result_is_refused(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    me = await make_user(sessionmaker, 520_017)
    south = await make_user(sessionmaker, 520_018, team="Продажи Юг")
    await make_contact(sessionmaker, me, name="Иванов Иван", phone="+79160000001", email="a@mail.ru")
    hidden = await make_contact(
        sessionmaker, south, name="Петров Пётр", phone="+79160000002", email="b@mail.ru"
    )
    manager = harness.user(520_017)
    await manager.send("/find иванов")
    message = harness.message(520_017)
    assert isinstance(message.reply_markup, InlineKeyboardMarkup)
    own = next(
        b.callback_data
        for row in message.reply_markup.inline_keyboard
        for b in row
        if b.text == "Иванов Иван"
    )
    assert own is not None
    card = (await manager.click("Иванов Иван"))[-1]
    assert "+7 916 000-00-01" in card and tp("records-btn-history") in manager.buttons()

    await manager.send("/find иванов")
    message = harness.message(520_017)
    assert isinstance(message.reply_markup, InlineKeyboardMarkup)
    own = next(
        b.callback_data
        for row in message.reply_markup.inline_keyboard
        for b in row
        if b.text == "Иванов Иван"
    )
    assert own is not None
    sent_before = len(harness.calls(SendMessage))
    forged = own.rsplit(":", 1)[0] + f":{hidden}"
    assert await manager.press(forged) == [tp("access-denied")]
    assert len(harness.calls(SendMessage)) == sent_before

    # Another user's results button obeys nothing.
    await make_user(sessionmaker, 520_019)
    other = harness.user(520_019)
    await other.send("/menu")
    assert await other.press(own) == [tp("button-stale")]


async def test_english_user_searches_in_english(harness: Harness, sessionmaker: Sessionmaker) -> None:
    await make_user(sessionmaker, 520_020)
    manager = harness.user(520_020, language_code="en")
    replies = await manager.send("/find x")
    assert t("search-err-too-short", "en", min=2) in replies[-1]
    assert tp("btn-cancel", "en") in manager.buttons()

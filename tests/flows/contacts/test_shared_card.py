"""A Telegram contact card sent outside a form: the new-contact form begins with it, or the existing contact
opens when R5 finds it (R4, R4b, R5)."""

from __future__ import annotations

from aiogram.types import Contact as TgContact
from aiogram.types import Update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.factories import make_contact, make_user
from tests.flows.contacts.helpers import PROMPTS, count
from tests.harness import Harness, _update_ids, first_line, t, tp


async def test_a_new_card_starts_the_form_with_its_name_and_phone(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, 530_001)
    manager = harness.user(530_001)
    await manager.send("/menu")
    replies = await manager.share_contact("79161112233", "Павел", "Сидоров")
    assert PROMPTS["birth_date"] in replies[-1]  # name and phone came from the card
    await manager.send("01.02.1980")
    await manager.send("sidorov@yandex.ru")
    await manager.send("Инженер")
    summary = (await manager.click(tp("btn-skip")))[-1]  # the optional client
    assert "Сидоров Павел" in summary and "+7 916 111-22-33" in summary
    assert await count(sessionmaker) == 0


async def test_a_card_with_only_a_first_name_asks_the_full_name(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, 530_002)
    manager = harness.user(530_002)
    replies = await manager.share_contact("+79161112233", "Паша")
    assert t("contact-card-phone-taken") in replies[-1] and PROMPTS["name"] in replies[-1]
    assert PROMPTS["birth_date"] in (await manager.send("Сидоров Павел"))[-1]


async def test_a_card_of_a_visible_contact_opens_it(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    me = await make_user(sessionmaker, 530_003)
    await make_contact(sessionmaker, me, name="Иванов Иван", phone="+79123456789")
    manager = harness.user(530_003)
    replies = await manager.share_contact("79123456789", "Иван", "Иванов")  # R5a: name and phone match
    assert "👤 <b>Иванов Иван</b>" in replies[-1] and "ivanov@mail.ru" in replies[-1]
    assert await count(sessionmaker) == 1


async def test_a_card_of_a_hidden_contact_shows_it_masked_and_offers_a_lead(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    owner = await make_user(sessionmaker, 530_004, team="Продажи Юг")
    await make_contact(sessionmaker, owner, name="Иванов Иван", phone="+79123456789")
    await make_user(sessionmaker, 530_005)
    manager = harness.user(530_005)
    replies = await manager.share_contact("79123456789", "Иван", "Иванов")
    shown = replies[-1]
    assert "+7 912 ***-**-89" in shown and "ivanov@mail.ru" not in shown  # R5b: masked
    assert await count(sessionmaker) == 1


async def test_the_managers_own_card_is_refused(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, 530_006)
    manager = harness.user(530_006)
    card = TgContact(phone_number="79161112233", first_name="Иван", last_name="Петров", user_id=530_006)
    replies = await manager.feed(Update(update_id=next(_update_ids), message=manager._message(contact=card)))
    assert first_line("contact-err-own-card") in replies[-1] and PROMPTS["name"] in replies[-1]
    assert await count(sessionmaker) == 0

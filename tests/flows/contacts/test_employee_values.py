"""R4b: each user's own work phone and work e-mail, kept in /settings, are never accepted in a client's
contact — typed by a colleague or by the user, at the step and again at the save."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import User
from tests.factories import make_user
from tests.flows.contacts.helpers import PROMPTS, VALID, count, reach, save_button
from tests.harness import Harness, TgUser, t, tp

COLLEAGUE = 560_001
MANAGER = 560_002


async def work_of(sessionmaker: async_sessionmaker[AsyncSession], telegram_id: int) -> tuple[str | None, ...]:
    async with sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        assert user is not None
        return user.work_phone, user.work_email


async def set_work(user: TgUser, phone: str | None = None, email: str | None = None) -> list[str]:
    replies = await user.send("/settings")
    if phone is not None:
        await user.click(tp("settings-btn-work-phone"))
        replies = await user.send(phone)
    if email is not None:
        await user.click(tp("settings-btn-work-email"))
        replies = await user.send(email)
    return replies


async def test_work_phone_and_email_are_kept_in_settings(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, COLLEAGUE)
    colleague = harness.user(COLLEAGUE)
    summary = (await colleague.send("/settings"))[-1]
    assert t("settings-not-set") in summary
    await colleague.click(tp("settings-btn-work-phone"))
    assert t("settings-ask-work-phone").split("\n")[0] in colleague.last
    summary = (await colleague.send("8 916 555-44-33"))[-1]
    assert "+7 916 555-44-33" in summary
    await colleague.click(tp("settings-btn-work-email"))
    summary = (await colleague.send("Petrov@FieldCRM.ru"))[-1]  # a work address may be on the company domain
    assert "petrov@fieldcrm.ru" in summary
    assert await work_of(sessionmaker, COLLEAGUE) == ("+79165554433", "petrov@fieldcrm.ru")
    await colleague.click(tp("settings-btn-work-phone"))
    await colleague.click(tp("settings-btn-remove"))
    assert await work_of(sessionmaker, COLLEAGUE) == (None, "petrov@fieldcrm.ru")


async def test_bad_work_values_and_someone_elses_card_are_refused(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, COLLEAGUE)
    colleague = harness.user(COLLEAGUE)
    await colleague.send("/settings")
    await colleague.click(tp("settings-btn-work-phone"))
    for typed, key in (("+7 495 123-45-67", "err-phone-not-mobile"), ("позвоните мне", "err-phone-invalid")):
        assert t(key) in (await colleague.send(typed))[-1], typed
    reply = (await colleague.share_contact("79167778899", "Иван", "Чужой", user_id=COLLEAGUE + 99))[-1]
    assert t("settings-err-not-own-card") in reply
    assert await work_of(sessionmaker, COLLEAGUE) == (None, None)
    summary = (await colleague.share_contact("79167778899", "Пётр", "Петров", user_id=COLLEAGUE))[-1]
    assert "+7 916 777-88-99" in summary  # the user's own card fills the work phone
    await colleague.click(tp("settings-btn-work-email"))
    assert t("err-email-invalid") in (await colleague.send("petrov@"))[-1]
    assert await work_of(sessionmaker, COLLEAGUE) == ("+79167778899", None)


async def test_a_colleagues_work_phone_is_refused_at_the_phone_step(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, COLLEAGUE)
    await make_user(sessionmaker, MANAGER)
    await set_work(harness.user(COLLEAGUE), phone="+7 916 555-44-33")
    manager = harness.user(MANAGER)
    await reach(manager, "phone")
    reply = (await manager.send("8 (916) 555-44-33"))[-1]
    assert t("err-phone-employee") in reply and PROMPTS["phone"] in reply  # asked again, with the reason
    assert PROMPTS["birth_date"] in (await manager.send(VALID["phone"]))[-1]
    assert await count(sessionmaker) == 0


async def test_the_managers_own_work_email_is_refused(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, MANAGER)
    manager = harness.user(MANAGER)
    await set_work(manager, email="anna.sales@gmail.com")  # a work address outside the company's domains
    await manager.send("/cancel")
    await reach(manager, "email")
    reply = (await manager.send("Anna.Sales@gmail.com"))[-1]
    assert t("err-email-employee") in reply and PROMPTS["email"] in reply
    assert PROMPTS["position"] in (await manager.send(VALID["email"]))[-1]


async def test_a_work_phone_set_while_the_form_was_open_is_refused_at_the_save(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, COLLEAGUE)
    await make_user(sessionmaker, MANAGER)
    manager = harness.user(MANAGER)
    await reach(manager, "summary")
    await set_work(harness.user(COLLEAGUE), phone=VALID["phone"])  # after the manager's phone step
    reply = (await manager.press(save_button(harness, MANAGER)))[-1]
    assert t("err-phone-employee") in reply and PROMPTS["phone"] in reply
    assert await count(sessionmaker) == 0

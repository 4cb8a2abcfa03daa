"""Editing a saved contact through the form's own windows: every field but the client re-validated (R4a),
R4b and R5 checked again, R1c for who may edit, and each change audited before → after."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import AuditEntry, Contact
from db.repo.contacts import ContactDraft, find_duplicate
from tests.factories import make_contact, make_lead, make_user
from tests.flows.contacts.helpers import DUPLICATE_HEAD, PROMPTS
from tests.harness import Harness, TgUser, t, tp

MANAGER = 570_001
SOUTH = 570_002


async def open_card(user: TgUser, name: str) -> list[str]:
    await user.send("/contacts")
    return await user.click(name)


async def contact(sessionmaker: async_sessionmaker[AsyncSession], contact_id: int) -> Contact:
    async with sessionmaker() as session:
        found = await session.get(Contact, contact_id)
        assert found is not None
        return found


async def edits(sessionmaker: async_sessionmaker[AsyncSession]) -> list[AuditEntry]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(AuditEntry).where(AuditEntry.action == "edited")))


async def test_a_typo_in_the_phone_is_fixed_and_audited(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    me = await make_user(sessionmaker, MANAGER)
    contact_id = await make_contact(sessionmaker, me, name="Иванов Иван Иванович", phone="+79123456789")
    manager = harness.user(MANAGER)
    await open_card(manager, "Иванов Иван Иванович")
    summary = (await manager.click(tp("contact-btn-edit-card")))[-1]
    assert t("contact-edit-title") in summary and "+7 912 345-67-89" in summary
    assert tp("contact-btn-edit", field=tp("contact-field-client")) not in manager.buttons()
    await manager.click(tp("contact-btn-edit", field=tp("contact-field-phone")))
    summary = (await manager.send("8 912 345-67-00"))[-1]  # back to the summary, not to the next step
    assert "+7 912 345-67-00" in summary and t("contact-edit-title") in summary
    card = (await manager.click(tp("btn-save")))[-1]
    assert t("contact-edited") in card and "+7 912 345-67-00" in card
    saved = await contact(sessionmaker, contact_id)
    assert saved.phone == "+79123456700" and saved.email == "ivanov@mail.ru"
    [entry] = await edits(sessionmaker)
    assert entry.entity == "contact" and entry.entity_id == contact_id
    assert json.loads(entry.before or "{}") == {"phone": "+79123456789"}
    assert json.loads(entry.after or "{}") == {"phone": "+79123456700"}
    async with sessionmaker() as session:  # R5c keys follow: the old name+phone pair no longer matches
        old = ContactDraft(saved.name_key, "+79123456789", None, None)
        assert await find_duplicate(session, old) is None


async def test_bad_values_are_refused_and_nothing_changes(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    me = await make_user(sessionmaker, MANAGER)
    contact_id = await make_contact(sessionmaker, me)
    manager = harness.user(MANAGER)
    await open_card(manager, "Иванов Иван Иванович")
    await manager.click(tp("contact-btn-edit-card"))
    await manager.click(tp("contact-btn-edit", field=tp("contact-field-phone")))
    reply = (await manager.send("+7 495 123-45-67"))[-1]
    assert t("err-phone-not-mobile") in reply and PROMPTS["phone"] in reply
    await manager.send("/cancel")
    await open_card(manager, "Иванов Иван Иванович")
    await manager.click(tp("contact-btn-edit-card"))
    await manager.click(tp("contact-btn-edit", field=tp("contact-field-email")))
    reply = (await manager.send("ivanov@fieldcrm.ru"))[-1]
    assert t("err-email-company-domain", domain="fieldcrm.ru") in reply
    saved = await contact(sessionmaker, contact_id)
    assert (saved.phone, saved.email) == ("+79123456789", "ivanov@mail.ru")
    assert await edits(sessionmaker) == []


async def test_an_edit_that_would_duplicate_names_the_masked_existing_contact(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    me = await make_user(sessionmaker, MANAGER)
    south = await make_user(sessionmaker, SOUTH, team="Продажи Юг", full_name="Южный Менеджер")
    mine = await make_contact(sessionmaker, me, name="Петров Пётр", phone="+79160000001", email="p@mail.ru")
    await make_contact(
        sessionmaker,
        south,
        name="Сидоров Сидор",
        phone="+79161112233",
        birth=date(1990, 1, 1),
        email="s@mail.ru",
    )
    manager = harness.user(MANAGER)
    await open_card(manager, "Петров Пётр")
    await manager.click(tp("contact-btn-edit-card"))
    await manager.click(tp("contact-btn-edit", field=tp("contact-field-email")))
    await manager.send("s@mail.ru")
    await manager.click(tp("contact-btn-edit", field=tp("contact-field-phone")))
    reply = (await manager.send("+7 916 111-22-33"))[-1]  # phone + e-mail now match Сидоров (R5a)
    assert DUPLICATE_HEAD in reply and "Сидоров Сидор" in reply
    assert "+7 916 ***-**-33" in reply and "Южный Менеджер" in reply  # masked: another team's contact
    assert tp("contact-btn-lead-on-existing") not in manager.buttons()  # no lead offer while editing
    saved = await contact(sessionmaker, mine)
    assert (saved.phone, saved.email) == ("+79160000001", "p@mail.ru")
    assert await edits(sessionmaker) == []


async def test_only_who_may_act_sees_the_edit_button_and_nothing_unchanged_is_audited(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    me = await make_user(sessionmaker, MANAGER)
    south = await make_user(sessionmaker, SOUTH, team="Продажи Юг")
    shared = await make_contact(sessionmaker, south, name="Общий Иван", birth=date(1970, 1, 1))
    await make_lead(sessionmaker, shared, me)  # visible to the manager through the lead, not theirs (R1c)
    await make_contact(sessionmaker, me, name="Свой Пётр", phone="+79167776655", email="own@mail.ru")
    manager = harness.user(MANAGER)
    await open_card(manager, "Общий Иван")
    assert tp("contact-btn-edit-card") not in manager.buttons()
    await open_card(manager, "Свой Пётр")
    await manager.click(tp("contact-btn-edit-card"))
    card = (await manager.click(tp("btn-save")))[-1]
    assert t("contact-edit-unchanged") in card
    assert await edits(sessionmaker) == []

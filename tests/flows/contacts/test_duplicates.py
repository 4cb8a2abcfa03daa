"""R5: duplicates are refused at the earliest step and at save, shown masked, and cannot race in."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import text

from db.repo import contacts as repo
from db.repo.contacts import ContactDraft, Duplicate, NewContact, Saved, draft_keys, duplicate_query
from domain.values import FullName
from tests.factories import make_contact, make_lead, make_user
from tests.flows.contacts.helpers import DUPLICATE_HEAD, PROMPTS, VALID, count, reach, save_button
from tests.harness import Harness, t, tp


async def _other_team_contact(sessionmaker) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    owner = await make_user(sessionmaker, 510_900, team="Продажи Юг", full_name="Ольга Ответственная")
    contact_id = await make_contact(
        sessionmaker, owner, name="Иванов Иван Иванович", phone="+79123456789",
        birth=date(1985, 3, 25), email="ivanov@mail.ru",
    )  # fmt: skip
    return owner, contact_id


async def test_r5b_duplicate_at_the_phone_step_shows_existing_masked(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    await _other_team_contact(sessionmaker)
    await make_user(sessionmaker, 510_001)
    manager = harness.user(510_001)
    await manager.send("/new_contact")
    await manager.send("иванов  иван ИВАНОВИЧ")  # R5a: case and spaces do not matter
    replies = await manager.send("8 (912) 345-67-89")
    shown = replies[-1]
    assert DUPLICATE_HEAD in shown and "ФИО, Телефон" in shown
    assert "Иванов Иван Иванович" in shown
    assert "+7 912 ***-**-89" in shown and "345-67" not in shown
    assert "i***@mail.ru" in shown and "ivanov@mail.ru" not in shown
    assert "**.**.1985" in shown and "25.03.1985" not in shown
    assert "Ответственный: Ольга Ответственная" in shown
    assert (
        tp("contact-btn-lead-on-existing") in manager.buttons() and tp("contact-btn-fix") in manager.buttons()
    )
    assert await count(sessionmaker) == 1
    # «Исправить» asks the phone again, and the form goes on with a different one.
    replies = await manager.click(tp("contact-btn-fix"))
    assert PROMPTS["phone"] in replies[-1]
    replies = await manager.send("+7 912 000-00-01")
    assert PROMPTS["birth_date"] in replies[-1]


async def test_r5b_the_form_stays_on_the_step_after_a_duplicate(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    await _other_team_contact(sessionmaker)
    await make_user(sessionmaker, 510_002)
    manager = harness.user(510_002)
    await reach(manager, "birth_date", phone="+7 912 000-00-01")
    # phone+birth is new, but name+birth… the name differs too; a matching e-mail with the birth date is not.
    await manager.send("25.03.1985")
    replies = await manager.send("IVANOV@mail.ru")  # birth+email match (e-mail compared lower-case)
    assert DUPLICATE_HEAD in replies[-1] and "Дата рождения, E-mail" in replies[-1]
    replies = await manager.click(tp("contact-btn-fix"))
    assert PROMPTS["email"] in replies[-1]
    replies = await manager.send("petrov.p@mail.ru")
    assert PROMPTS["position"] in replies[-1]
    assert await count(sessionmaker) == 1


async def test_r5b_a_visible_duplicate_is_shown_in_full(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    me = await make_user(sessionmaker, 510_003, full_name="Мария Менеджер")
    await make_contact(sessionmaker, me, name=VALID["name"], phone="+79161234567")
    manager = harness.user(510_003)
    replies = await reach(manager, "birth_date")
    assert "+7 916 123-45-67" in replies[-1] and "ivanov@mail.ru" in replies[-1]
    assert "Ответственный: Иван Петров" in replies[-1]  # the profile name from Telegram


async def test_r5b_a_duplicate_of_a_contact_seen_through_a_lead_is_shown_in_full(  # type: ignore[no-untyped-def]
    harness: Harness, sessionmaker
) -> None:
    _owner, contact_id = await _other_team_contact(sessionmaker)
    me = await make_user(sessionmaker, 510_004)
    await make_lead(sessionmaker, contact_id, me)
    manager = harness.user(510_004)
    replies = await reach(manager, "birth_date", name="Иванов Иван Иванович", phone="+79123456789")
    assert "+7 912 345-67-89" in replies[-1]


async def test_r5_duplicate_at_save_goes_back_to_the_field(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    owner = await make_user(sessionmaker, 510_905, team="Продажи Юг", full_name="Ольга Ответственная")
    await make_user(sessionmaker, 510_005)
    manager = harness.user(510_005)
    await reach(manager, "summary")
    # Someone saves the same phone and e-mail after this form checked them.
    await make_contact(
        sessionmaker, owner, name="Кузнецов Олег", phone="+79161234567", birth=date(1970, 1, 1),
        email="petrov.p@mail.ru",
    )  # fmt: skip
    replies = await manager.click(tp("btn-save"))
    assert DUPLICATE_HEAD in replies[-1] and "Телефон, E-mail" in replies[-1]
    assert "Кузнецов Олег" in replies[-1] and "Ответственный: Ольга Ответственная" in replies[-1]
    assert await count(sessionmaker) == 1
    replies = await manager.click(tp("contact-btn-fix"))
    assert PROMPTS["email"] in replies[-1]
    replies = await manager.send("pyotr.petrov@mail.ru")
    assert PROMPTS["summary"] in replies[-1]
    replies = await manager.click(tp("btn-save"))
    assert t("contact-saved-title") in replies[-1]
    assert await count(sessionmaker) == 2


async def test_r5c_two_managers_saving_the_same_contact_at_once_make_one_row(  # type: ignore[no-untyped-def]
    harness: Harness, sessionmaker
) -> None:
    await make_user(sessionmaker, 510_006)
    await make_user(sessionmaker, 510_007, team="Продажи Юг")
    first, second = harness.user(510_006), harness.user(510_007)
    await reach(first, "summary")
    await reach(second, "summary")
    await asyncio.gather(
        first.press(save_button(harness, first.telegram_id)),
        second.press(save_button(harness, second.telegram_id)),
    )
    assert await count(sessionmaker) == 1
    saved = t("contact-saved-title")
    outcomes = sorted(
        "saved" if any(saved in r for r in user.replies()) else "duplicate"
        for user in (first, second)
        if any(saved in r or DUPLICATE_HEAD in r for r in user.replies())
    )
    assert outcomes == ["duplicate", "saved"]


def _new(**overrides: object) -> NewContact:
    values: dict[str, object] = {
        "name": FullName.parse("Петров Пётр"), "phone": "+79161234567", "birth_date": date(1990, 7, 12),
        "email": "petrov.p@mail.ru",
    }  # fmt: skip
    values.update(overrides)
    return NewContact(**values)  # type: ignore[arg-type]


async def test_r5c_concurrent_repo_saves_in_two_sessions(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    first = await make_user(sessionmaker, 510_008)
    second = await make_user(sessionmaker, 510_009)

    async def save(user_id: int, new: NewContact) -> Saved | Duplicate:
        async with sessionmaker() as session:
            return await repo.create_contact(session, new, user_id=user_id)

    results = await asyncio.gather(
        save(first, _new()), save(second, _new(name=FullName.parse("Пётр Петров"), email="x@mail.ru"))
    )
    assert sorted(type(r).__name__ for r in results) == ["Duplicate", "Saved"]
    assert await count(sessionmaker) == 1


async def test_r5c_integrity_error_at_save_answers_as_a_duplicate(sessionmaker, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The race loser whose pre-check saw nothing gets the unique index's refusal, as a duplicate."""
    user_id = await make_user(sessionmaker, 510_010)
    existing = await make_contact(sessionmaker, user_id, name="Петров Пётр", phone="+79161234567")
    real = repo.find_duplicate
    calls: list[int] = []

    async def blind_first(session, draft):  # type: ignore[no-untyped-def]
        calls.append(1)
        return None if len(calls) == 1 else await real(session, draft)

    monkeypatch.setattr(repo, "find_duplicate", blind_first)
    async with sessionmaker() as session:
        result = await repo.create_contact(session, _new(), user_id=user_id)
    assert isinstance(result, Duplicate) and result.contact_id == existing
    assert result.fields == ("name", "phone")
    assert await count(sessionmaker) == 1


async def test_r5c_the_check_is_an_index_lookup(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    keys = draft_keys(ContactDraft("иван иванов", "+79123456789", date(1985, 3, 25), "ivanov@mail.ru"))
    assert len(keys) == 6
    statement = duplicate_query(keys).compile(compile_kwargs={"literal_binds": True})
    async with sessionmaker() as session:
        plan = [row[-1] for row in (await session.execute(text(f"EXPLAIN QUERY PLAN {statement}"))).all()]
    assert any("MULTI-INDEX OR" in step for step in plan), plan
    assert not any(step.startswith("SCAN contacts") for step in plan), plan
    assert sum("USING INDEX" in step for step in plan) == 6, plan


def test_r5_partial_keys_follow_the_steps() -> None:
    assert set(draft_keys(ContactDraft("a b", "+79123456789"))) == {"dup_name_phone"}
    after_birth = draft_keys(ContactDraft("a b", "+79123456789", date(1985, 3, 25)))
    assert set(after_birth) == {"dup_name_phone", "dup_name_birth", "dup_phone_birth"}
    assert draft_keys(ContactDraft("a b")) == {}


# --- R5a: Latin look-alike letters (issue 9, finding 11) -------------------------------------------------


async def test_r5a_a_name_typed_in_latin_lookalikes_is_refused_and_nothing_is_saved(  # type: ignore[no-untyped-def]
    harness: Harness, sessionmaker
) -> None:
    owner = await make_user(sessionmaker, 510_801)
    await make_contact(
        sessionmaker,
        owner,
        name="Орех Вера",
        phone="+79123450001",
        birth=date(1985, 3, 25),
        email="vera@mail.ru",
    )
    manager = harness.user(510_801)
    await manager.send("/new_contact")
    replies = await manager.send("Opex Bepa")
    assert "латинскими буквами, похожими на русские" in replies[-1]
    assert PROMPTS["phone"] not in replies[-1]
    # The step stays: the name typed in the Cyrillic layout is taken, and is then the duplicate it is.
    await manager.send("Орех Вера")
    await manager.send("+7 912 345-00-02")
    replies = await manager.send("25.03.1985")
    assert DUPLICATE_HEAD in replies[-1] and "ФИО, Дата рождения" in replies[-1]
    assert await count(sessionmaker) == 1


async def test_r5a_lookalike_letters_in_an_accepted_latin_name_still_make_a_duplicate(  # type: ignore[no-untyped-def]
    harness: Harness, sessionmaker
) -> None:
    owner = await make_user(sessionmaker, 510_802)
    await make_contact(
        sessionmaker,
        owner,
        name="Карр Анна",
        phone="+79123450003",
        birth=date(1985, 3, 25),
        email="anna@mail.ru",
    )
    manager = harness.user(510_802)
    # «Kapp Ahha» passes as a Latin name (a small «h» looks nothing like «н»), but R5 reads it as «Карр Анна».
    replies = await reach(manager, "birth_date", name="Kapp Ahha", phone="+7 912 345-00-04")
    assert PROMPTS["birth_date"] in replies[-1]
    replies = await manager.send("25.03.1985")
    assert DUPLICATE_HEAD in replies[-1] and "ФИО, Дата рождения" in replies[-1]
    assert "Карр Анна" in replies[-1]
    assert await count(sessionmaker) == 1

"""The lead picker of /log and /new_deal (issue item 7): each lead shows its contact, client, product group
and age, the most recently touched first; text typed there searches; a lead the manager may not act on is
refused (R1c)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from db.base import utcnow
from db.models import Interaction, Lead
from tests.factories import make_client, make_contact, make_interaction, make_lead, make_user
from tests.flows.interactions.helpers import MANAGER, OTHER, button_data, count, pick, setup_lead
from tests.harness import Harness, first_line, t, tp


async def two_leads_on_one_person(sessionmaker) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    manager, first = await setup_lead(sessionmaker)
    async with sessionmaker() as session, session.begin():
        contact_id = (await session.get(Lead, first)).contact_id
        await session.execute(
            update(Lead)
            .where(Lead.id == first)
            .values(created_at=utcnow() - timedelta(days=5), product_group_id=1)
        )
    second = await make_lead(sessionmaker, contact_id, manager, description="Нужны терминалы для склада")
    await make_client(sessionmaker, manager, "ООО Ромашка", contact_ids=(contact_id,))
    return manager, first, second


async def test_each_lead_shows_contact_client_group_and_age_and_two_leads_on_one_person_differ(
    harness: Harness, sessionmaker
) -> None:
    _, first, second = await two_leads_on_one_person(sessionmaker)
    u = harness.user(MANAGER)
    await u.send("/log")
    labels = [label for label in u.buttons() if "Иванов Иван Иванович" in label]
    assert len(labels) == 2 and labels[0] != labels[1]
    newer, older = labels
    assert "ООО Ромашка" in newer and "ООО Ромашка" in older
    assert tp("pick-age", days=0) in newer and tp("pick-id", id=second) in newer
    assert tp("pick-age", days=5) in older and tp("pick-id", id=first) in older
    assert tp("pick-no-group") in newer and tp("pick-no-group") not in older


async def test_the_most_recently_touched_lead_comes_first(harness: Harness, sessionmaker) -> None:
    manager, first, second = await two_leads_on_one_person(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Lead).values(updated_at=utcnow() - timedelta(days=3)))
    await make_interaction(sessionmaker, manager, lead_id=first, occurred_at=utcnow() - timedelta(hours=1))
    u = harness.user(MANAGER)
    await u.send("/log")
    labels = [label for label in u.buttons() if "Иванов" in label]
    assert tp("pick-id", id=first) in labels[0] and tp("pick-id", id=second) in labels[1]


async def test_typed_text_searches_by_name_client_or_phone(harness: Harness, sessionmaker) -> None:
    manager, lead = await setup_lead(sessionmaker)
    other = await make_lead(
        sessionmaker,
        await make_contact(
            sessionmaker, manager, name="Петров Пётр", phone="+79161112233", email="p@mail.ru"
        ),
        manager,
    )
    u = harness.user(MANAGER)
    await u.send("/log")
    reply = (await u.send("петров"))[-1]
    assert t("pick-search", text="петров") in reply
    assert [b for b in u.buttons() if "№" in b] == [b for b in u.buttons() if tp("pick-id", id=other) in b]
    await u.send("+7 912 345")
    assert any(tp("pick-id", id=lead) in b for b in u.buttons())
    assert not any(tp("pick-id", id=other) in b for b in u.buttons())
    assert t("pick-not-found") in (await u.send("Сидоров"))[-1]
    await u.click(tp("pick-btn-clear"))
    assert sum("№" in b for b in u.buttons()) == 2
    assert first_line("interaction-ask-kind") in (await pick(u, other))[-1].split("\n")[1]


async def test_only_open_leads_the_manager_may_act_on_are_listed(harness: Harness, sessionmaker) -> None:
    manager, lead = await setup_lead(sessionmaker)
    other = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    foreign = await make_lead(
        sessionmaker,
        await make_contact(sessionmaker, other, name="Петров Пётр", phone="+79161112233", email="p@mail.ru"),
        other,
    )
    closed = await make_lead(
        sessionmaker,
        await make_contact(
            sessionmaker, manager, name="Сидоров Олег", phone="+79161112244", email="s@mail.ru"
        ),
        manager,
    )
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Lead).where(Lead.id == closed).values(status="rejected"))
    u = harness.user(MANAGER)
    await u.send("/log")
    assert [b for b in u.buttons() if "№" in b] == [b for b in u.buttons() if tp("pick-id", id=lead) in b]
    assert foreign and closed
    assert t("pick-deal-empty") in (await u.click(tp("pick-btn-deals")))[-1]
    assert first_line("pick-lead-title") in (await u.click(tp("pick-btn-leads")))[-1]


async def test_no_open_leads_says_so(harness: Harness, sessionmaker) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    assert t("pick-lead-empty") in (await u.send("/log"))[-1]


async def test_r1c_a_forged_pick_of_another_managers_lead_is_refused(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    other = await make_user(sessionmaker, OTHER, team="Продажи Юг")
    foreign = await make_lead(
        sessionmaker,
        await make_contact(sessionmaker, other, name="Петров Пётр", phone="+79161112233", email="p@mail.ru"),
        other,
    )
    u = harness.user(MANAGER)
    await u.send("/log")
    data = button_data(harness, MANAGER, next(b for b in u.buttons() if tp("pick-id", id=lead) in b))
    assert (await u.press(data.rsplit(":", 1)[0] + f":{foreign}")) == [tp("access-denied")]
    assert (await u.press(data.rsplit(":", 1)[0] + ":x")) == [tp("button-stale")]
    assert first_line("interaction-ask-kind") in (await u.press(data))[-1].split("\n")[1]
    assert await count(sessionmaker, Interaction) == 0


async def test_the_deal_picker_marks_leads_that_cannot_become_a_deal(harness: Harness, sessionmaker) -> None:
    """R1d, as /new_deal shows it: a lead without a qualifying interaction has a lock."""
    manager, lead = await setup_lead(sessionmaker)
    ready = await make_lead(
        sessionmaker,
        await make_contact(
            sessionmaker, manager, name="Петров Пётр", phone="+79161112233", email="p@mail.ru"
        ),
        manager,
    )
    await make_interaction(sessionmaker, manager, lead_id=ready)
    await make_interaction(sessionmaker, manager, lead_id=lead, discussed="1 2 3", agreed="4 5 6")
    u = harness.user(MANAGER)
    await u.send("/new_deal")
    locked = next(b for b in u.buttons() if tp("pick-id", id=lead) in b)
    unlocked = next(b for b in u.buttons() if tp("pick-id", id=ready) in b)
    assert locked.startswith("🔒") and not unlocked.startswith("🔒")

"""/log: recording calls, correspondence and meetings on leads and deals (R1c, R1d, R1e, R2h, R3)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import DealCb, LeadCb
from db.base import utcnow
from db.engine import writing
from db.models import AuditEntry, Deal, Interaction, Lead, Task, User
from tests.factories import make_contact, make_lead, make_user
from tests.harness import Harness

MANAGER, OTHER, LEAD_TG = 601, 602, 603
DISCUSSED = "Обсудили поставку 20 сканеров, клиенту важна цена"
AGREED = "Отправляю коммерческое предложение до пятницы, созвон в понедельник"


async def count(sessionmaker: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def only_interaction(sessionmaker: async_sessionmaker[AsyncSession]) -> Interaction:
    async with sessionmaker() as session:
        rows = list(await session.scalars(select(Interaction)))
    assert len(rows) == 1
    return rows[0]


async def make_deal(
    sessionmaker: async_sessionmaker[AsyncSession], lead_id: int, responsible_id: int, last: datetime | None
) -> int:
    async with writing(sessionmaker) as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        lead.status = "converted"
        deal = Deal(
            lead_id=lead_id,
            contact_id=lead.contact_id,
            party_key=f"contact:{lead.contact_id}",
            product_group_id=1,
            stage_id=1,
            comment="Клиент выбирает сканеры, ждёт КП до пятницы",
            responsible_id=responsible_id,
            created_by_id=responsible_id,
            last_qualifying_at=last,
        )
        session.add(deal)
        await session.flush()
        return deal.id


async def setup_lead(
    sessionmaker: async_sessionmaker[AsyncSession], telegram_id: int = MANAGER
) -> tuple[int, int]:
    manager = await make_user(sessionmaker, telegram_id)
    lead = await make_lead(sessionmaker, await make_contact(sessionmaker, manager), manager)
    return manager, lead


async def start_call_on_lead(harness: Harness, lead_id: int, outcome: str = "Дозвонился") -> list[str]:
    u = harness.user(MANAGER)
    assert "По чему записываем" in (await u.send("/log"))[-1]
    await u.click("Мои открытые лиды")
    assert "Что это было" in (await u.click(f"№{lead_id} "))[-1]
    assert "чем закончилось" in (await u.click("Звонок"))[-1]
    return await u.click(outcome)


async def test_qualifying_call_on_a_lead_with_next_step_task_in_vladivostok(
    harness: Harness, sessionmaker
) -> None:
    manager, lead = await setup_lead(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await session.execute(update(User).where(User.id == manager).values(timezone="Asia/Vladivostok"))
    assert "О чём говорили" in (await start_call_on_lead(harness, lead))[-1]
    u = harness.user(MANAGER)
    assert "О чём договорились" in (await u.send(DISCUSSED))[-1]
    assert "Когда следующий шаг" in (await u.send(AGREED))[-1]
    zone = ZoneInfo("Asia/Vladivostok")
    tomorrow = datetime.now(zone).date() + timedelta(days=1)
    expected = datetime.combine(tomorrow, time(15, 0), tzinfo=zone).astimezone(UTC)
    summary = (await u.send("завтра в 15:00"))[-1]
    assert "Проверьте запись контакта" in summary and f"Следующий шаг: {tomorrow:%d.%m.%Y} 15:00" in summary
    assert await count(sessionmaker, Interaction) == 0 and await count(sessionmaker, Task) == 0
    replies = await u.click("Сохранить")
    assert "результативный контакт" in replies[0] and f"{tomorrow:%d.%m.%Y} 15:00" in replies[0]
    assert "Контактов с клиентом: 1" in replies[-1] and "Звонок" in replies[-1]
    row = await only_interaction(sessionmaker)
    assert row.qualifying and row.lead_id == lead and row.kind == "call" and row.outcome == "reached"
    assert (row.discussed, row.agreed, row.author_id) == (DISCUSSED, AGREED, manager)
    async with sessionmaker() as session:
        task = await session.scalar(select(Task))
        audit = list(await session.scalars(select(AuditEntry).where(AuditEntry.entity == "lead")))
    assert task is not None and task.due_at == expected and task.due_at.hour == 5
    assert task.title == AGREED and task.assignee_id == manager and task.lead_id == lead
    assert task.interaction_id == row.id
    assert [(a.entity_id, a.action) for a in audit] == [(lead, "interaction")]


@pytest.mark.parametrize(
    "bad", ["НД", "перезвонить", "сбросил", "пообщались", "думает", "ок", "нд, перезвонить"]
)
async def test_r3c_shorthand_discussed_is_refused_and_the_step_stays(
    harness: Harness, sessionmaker, bad: str
) -> None:
    _, lead = await setup_lead(sessionmaker)
    await start_call_on_lead(harness, lead)
    u = harness.user(MANAGER)
    reply = (await u.send(bad))[-1]
    assert "О чём говорили" in reply and "не развёрнутый комментарий" in reply
    assert await count(sessionmaker, Interaction) == 0
    assert "О чём договорились" in (await u.send(DISCUSSED))[-1]


@pytest.mark.parametrize("bad", ["НД", "перезвонить", "сбросил", "пообщались", "думает", "ок"])
async def test_r3c_shorthand_agreed_is_refused_and_the_step_stays(
    harness: Harness, sessionmaker, bad: str
) -> None:
    _, lead = await setup_lead(sessionmaker)
    await start_call_on_lead(harness, lead)
    u = harness.user(MANAGER)
    await u.send(DISCUSSED)
    reply = (await u.send(bad))[-1]
    assert "О чём договорились / следующий шаг" in reply and "не развёрнутый комментарий" in reply
    assert await count(sessionmaker, Interaction) == 0
    assert "Когда следующий шаг" in (await u.send(AGREED))[-1]


async def test_r3c_too_few_words_and_agreed_repeating_discussed_are_refused(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    await start_call_on_lead(harness, lead)
    u = harness.user(MANAGER)
    assert "Слишком коротко" in (await u.send("цена"))[-1]
    await u.send(DISCUSSED)
    assert "повторяет" in (await u.send(DISCUSSED))[-1]
    assert "повторяет" in (await u.send(DISCUSSED + ", ок"))[-1]
    assert "текстом" in (await u.share_contact("+79123456789", "Иван"))[-1]
    assert await count(sessionmaker, Interaction) == 0
    assert "Когда следующий шаг" in (await u.send(AGREED))[-1]


@pytest.mark.parametrize(
    ("text", "reason"), [("вчера", "Не получается понять срок"), ("32.13 25:00", "Такого времени нет")]
)
async def test_bad_next_step_date_is_refused_and_skip_saves_without_task(
    harness: Harness, sessionmaker, text: str, reason: str
) -> None:
    _, lead = await setup_lead(sessionmaker)
    await start_call_on_lead(harness, lead)
    u = harness.user(MANAGER)
    await u.send(DISCUSSED)
    await u.send(AGREED)
    assert reason in (await u.send(text))[-1]
    assert await count(sessionmaker, Interaction) == 0 and await count(sessionmaker, Task) == 0
    assert "Следующий шаг: —" in (await u.click("Пропустить"))[-1]
    assert await count(sessionmaker, Interaction) == 0
    replies = await u.click("Сохранить")
    assert "результативный контакт" in replies[0] and "Дело" not in replies[0]
    assert (await only_interaction(sessionmaker)).qualifying
    assert await count(sessionmaker, Task) == 0


async def test_r1e_unanswered_call_is_recorded_as_not_qualifying_with_a_plain_message(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    summary = (await start_call_on_lead(harness, lead, outcome="Не дозвонился"))[-1]
    assert "Проверьте запись контакта" in summary and "О чём говорили?" not in summary
    assert await count(sessionmaker, Interaction) == 0
    replies = await harness.user(MANAGER).click("Сохранить")
    assert "не результативный" in replies[0] and "не продлевает сделку" in replies[0]
    row = await only_interaction(sessionmaker)
    assert not row.qualifying and row.outcome == "not_reached" and row.discussed is None
    assert "последний результативный: ещё не было" in replies[-1]


async def test_r1e_correspondence_without_reply_is_not_qualifying(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = harness.user(MANAGER)
    await u.send("📞 Записать контакт с клиентом")
    await u.click("Мои открытые лиды")
    await u.click(f"№{lead} ")
    await u.click("Переписка")
    assert "Клиент ответил" in u.buttons()
    assert "не продлит сделку" in (await u.click("Клиент не ответил"))[-1]
    replies = await u.click("Сохранить")
    assert "не результативный" in replies[0]
    row = await only_interaction(sessionmaker)
    assert (row.kind, row.outcome, row.qualifying) == ("correspondence", "no_reply", False)


async def test_back_and_cancel(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = harness.user(MANAGER)
    await u.send("/log")
    await u.click("Мои открытые лиды")
    await u.click(f"№{lead} ")
    await u.click("Встреча")
    assert "Встреча состоялась" in u.buttons()
    assert "Что это было" in (await u.click("Назад"))[-1]
    await u.click("Встреча")
    await u.click("Встреча состоялась")
    await u.send(DISCUSSED)
    assert "О чём говорили" in (await u.click("Назад"))[-1]
    assert "Действие отменено" in (await u.click("Отмена"))[-1]
    assert await count(sessionmaker, Interaction) == 0


async def test_my_open_leads_lists_only_actionable_open_leads(harness: Harness, sessionmaker) -> None:
    manager, lead = await setup_lead(sessionmaker)
    other = await make_user(sessionmaker, OTHER)
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
    await u.click("Мои открытые лиды")
    labels = [b for b in u.buttons() if b.startswith("№")]
    assert labels == [f"№{lead} Иванов Иван Иванович"]
    assert foreign and closed
    assert "Открытых сделок" in (await u.click("Мои открытые сделки"))[-1]


async def test_r1c_other_managers_forged_log_changes_nothing(harness: Harness, sessionmaker) -> None:
    owner, lead = await setup_lead(sessionmaker)
    deal = await make_deal(
        sessionmaker,
        await make_lead(
            sessionmaker,
            await make_contact(
                sessionmaker, owner, name="Петров Пётр", phone="+79161112233", email="p@mail.ru"
            ),
            owner,
        ),
        owner,
        None,
    )
    await make_user(sessionmaker, OTHER)
    u = harness.user(OTHER)
    await u.send("/menu")
    assert "Нет доступа" in (await u.press(LeadCb(action="log", id=lead).pack()))[-1]
    assert "Нет доступа" in (await u.press(DealCb(action="log", id=deal).pack()))[-1]
    assert "Что это было" not in " ".join(u.replies())
    await u.send(DISCUSSED)
    assert await count(sessionmaker, Interaction) == 0


async def test_r1c_team_lead_may_log_on_a_members_lead(harness: Harness, sessionmaker) -> None:
    member, lead = await setup_lead(sessionmaker)
    tl = await make_user(sessionmaker, LEAD_TG, role="team_lead")
    u = harness.user(LEAD_TG)
    await u.send("/menu")
    assert "Что это было" in (await u.press(LeadCb(action="log", id=lead).pack()))[-1]
    await u.click("Звонок")
    await u.click("Дозвонился")
    await u.send(DISCUSSED)
    await u.send(AGREED)
    await u.send("через 3 дня")
    await u.click("Сохранить")
    row = await only_interaction(sessionmaker)
    assert row.qualifying and row.author_id == tl
    async with sessionmaker() as session:
        task = await session.scalar(select(Task))
    assert task is not None and task.assignee_id == member, "the task goes to the lead's responsible manager"


async def test_closed_lead_cannot_be_logged(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Lead).where(Lead.id == lead).values(status="rejected"))
    u = harness.user(MANAGER)
    await u.send("/menu")
    assert "закрыта" in (await u.press(LeadCb(action="log", id=lead).pack()))[-1]
    assert await count(sessionmaker, Interaction) == 0


async def test_r2h_qualifying_call_on_a_deal_moves_last_qualifying_at(harness: Harness, sessionmaker) -> None:
    manager, lead = await setup_lead(sessionmaker)
    old = utcnow() - timedelta(days=40)
    deal = await make_deal(sessionmaker, lead, manager, old)
    u = harness.user(MANAGER)
    await u.send("/log")
    await u.click("Мои открытые сделки")
    await u.click(f"№{deal} ")
    await u.click("Звонок")
    await u.click("Дозвонился")
    await u.send(DISCUSSED)
    await u.send(AGREED)
    await u.click("Пропустить")
    before = utcnow()
    replies = await u.click("Сохранить")
    assert "срок активности сделки отсчитывается заново" in replies[0]
    async with sessionmaker() as session:
        stored = await session.get(Deal, deal)
        audit = await session.scalar(select(AuditEntry.action).where(AuditEntry.entity == "deal"))
    assert stored is not None and stored.last_qualifying_at is not None
    assert stored.last_qualifying_at >= before - timedelta(seconds=1)
    assert audit == "interaction"
    row = await only_interaction(sessionmaker)
    assert row.deal_id == deal and row.lead_id is None and row.qualifying


async def test_r2h_unanswered_call_on_a_deal_does_not_move_last_qualifying_at(
    harness: Harness, sessionmaker
) -> None:
    manager, lead = await setup_lead(sessionmaker)
    old = utcnow().replace(microsecond=0) - timedelta(days=40)
    deal = await make_deal(sessionmaker, lead, manager, old)
    u = harness.user(MANAGER)
    await u.send("/menu")
    await u.press(DealCb(action="log", id=deal).pack())
    await u.click("Звонок")
    await u.click("Не дозвонился")
    replies = await u.click("Сохранить")
    assert "не продлевает сделку" in replies[0]
    async with sessionmaker() as session:
        stored = await session.get(Deal, deal)
    assert stored is not None and stored.last_qualifying_at == old
    assert not (await only_interaction(sessionmaker)).qualifying


async def test_forged_kind_or_outcome_is_stale(harness: Harness, sessionmaker) -> None:
    from handlers.legacy.interactions import LogCb

    _, lead = await setup_lead(sessionmaker)
    u = harness.user(MANAGER)
    await u.send("/menu")
    await u.press(LeadCb(action="log", id=lead).pack())
    assert "устарела" in (await u.press(LogCb(action="kind", value="telepathy").pack()))[-1]
    await u.click("Звонок")
    assert "устарела" in (await u.press(LogCb(action="outcome", value="held").pack()))[-1]
    assert await count(sessionmaker, Interaction) == 0

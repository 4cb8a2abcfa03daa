"""/log: the summary before saving (SPEC "Interface conventions"), its edits, the verdict (R1d, R1e, R3)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import DealCb, LeadCb
from db.models import AuditEntry, Deal, Interaction, Lead, Task, User
from handlers.legacy.interactions import LogCb
from tests.flows.interactions.test_log import (
    AGREED,
    DISCUSSED,
    MANAGER,
    count,
    make_deal,
    only_interaction,
    setup_lead,
    start_call_on_lead,
)
from tests.harness import Harness, TgUser

NEW_DISCUSSED = "Обсудили замену старых терминалов сбора данных на складе"
NEW_AGREED = "Готовлю расчёт на 30 терминалов, встреча с директором во вторник"
TRICKY = "Обсудили <b>срочно</b> & Co поставку сканеров"


async def nothing_saved(sessionmaker: async_sessionmaker[AsyncSession]) -> bool:
    return (
        await count(sessionmaker, Interaction) == 0
        and await count(sessionmaker, Task) == 0
        and await count(sessionmaker, AuditEntry) == 0
    )


async def to_summary(harness: Harness, lead: int, due: str | None = None) -> tuple[TgUser, str]:
    """A reached call on ``lead`` with both comment parts, the next step ``due`` (or skipped): the summary."""
    await start_call_on_lead(harness, lead)
    u = harness.user(MANAGER)
    await u.send(DISCUSSED)
    await u.send(AGREED)
    replies = await u.send(due) if due is not None else await u.click("Пропустить")
    return u, replies[-1]


def lines(summary: str) -> list[str]:
    return summary.splitlines()


async def test_summary_shows_every_field_and_the_qualifying_verdict(harness: Harness, sessionmaker) -> None:
    manager, lead = await setup_lead(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await session.execute(update(User).where(User.id == manager).values(timezone="Asia/Vladivostok"))
    zone = ZoneInfo("Asia/Vladivostok")
    u, summary = await to_summary(harness, lead, "завтра в 15:00")
    tomorrow = datetime.now(zone).date() + timedelta(days=1)
    assert lines(summary) == [
        "<b>Проверьте запись контакта</b>",
        f"Лид №{lead}, Иванов Иван Иванович",
        "Вид: Звонок",
        "Итог: Дозвонился, поговорили",
        f"О чём говорили: {DISCUSSED}",
        f"О чём договорились: {AGREED}",
        f"Следующий шаг: {tomorrow:%d.%m.%Y} 15:00",
        "✅ Будет засчитан как <b>результативный контакт</b> по лиду.",
        "Всё верно? Нажмите «💾 Сохранить» или «✏️» у того, что нужно изменить.",
    ]
    assert u.buttons() == [
        "✏️ Вид и итог",
        "✏️ О чём говорили",
        "✏️ О чём договорились",
        "✏️ Следующий шаг",
        "💾 Сохранить",
        "◀️ Назад",
        "✖️ Отмена",
    ]
    assert await nothing_saved(sessionmaker)
    await u.click("Сохранить")
    row = await only_interaction(sessionmaker)
    assert row.qualifying and (row.discussed, row.agreed) == (DISCUSSED, AGREED)
    async with sessionmaker() as session:
        task = await session.scalar(select(Task))
    expected = datetime.combine(tomorrow, time(15, 0), tzinfo=zone).astimezone(UTC)
    assert task is not None and task.due_at == expected and task.title == AGREED


async def test_summary_on_a_deal_names_the_deal_and_escapes_user_text(harness: Harness, sessionmaker) -> None:
    manager, lead = await setup_lead(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await session.execute(update(User).where(User.id == manager).values(timezone="Europe/Moscow"))
    deal = await make_deal(sessionmaker, lead, manager, None)
    u = harness.user(MANAGER)
    await u.send("/menu")
    await u.press(DealCb(action="log", id=deal).pack())
    await u.click("Встреча")
    await u.click("Встреча состоялась")
    await u.send(TRICKY)
    await u.send(AGREED)
    summary = (await u.click("Пропустить"))[-1]
    assert f"Сделка №{deal}, Иванов Иван Иванович" in summary
    assert "Вид: Встреча" in summary and "Итог: Встреча состоялась" in summary
    assert "О чём говорили: Обсудили &lt;b&gt;срочно&lt;/b&gt; &amp; Co поставку сканеров" in summary
    assert "Следующий шаг: —" in summary
    assert "срок активности сделки начнётся заново" in summary
    assert await nothing_saved(sessionmaker)
    await u.click("Сохранить")
    row = await only_interaction(sessionmaker)
    assert row.deal_id == deal and row.discussed == TRICKY and row.qualifying


async def test_r1e_summary_of_an_unanswered_call_says_it_will_not_count(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    summary = (await start_call_on_lead(harness, lead, outcome="Не дозвонился"))[-1]
    u = harness.user(MANAGER)
    assert "Итог: Не дозвонился" in summary
    assert "О чём говорили: —" in summary and "О чём договорились: —" in summary
    assert "Следующий шаг: —" in summary
    assert "<b>не результативный</b> контакт: он не будет засчитан и не продлит сделку" in summary
    assert "✏️ Вид и итог" in u.buttons()
    assert not {"✏️ О чём говорили", "✏️ О чём договорились", "✏️ Следующий шаг"} & set(u.buttons())
    # R1e: no comment for a call that did not get through, even through a forged button.
    assert "устарела" in (await u.press(LogCb(action="edit", value="discussed").pack()))[-1]
    assert "устарела" in (await u.press(LogCb(action="edit", value="nonsense").pack()))[-1]
    assert await nothing_saved(sessionmaker)


async def test_edit_discussed_returns_to_the_summary_with_the_new_value(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead)
    assert "О чём говорили?" in (await u.click("✏️ О чём говорили"))[-1]
    # R3 still applies while editing: shorthand is refused and the step stays.
    assert "не развёрнутый комментарий" in (await u.send("перезвонить"))[-1]
    summary = (await u.send(NEW_DISCUSSED))[-1]
    assert f"О чём говорили: {NEW_DISCUSSED}" in summary and f"О чём договорились: {AGREED}" in summary
    assert "результативный контакт</b> по лиду" in summary
    assert await nothing_saved(sessionmaker)
    await u.click("Сохранить")
    row = await only_interaction(sessionmaker)
    assert (row.discussed, row.agreed, row.qualifying) == (NEW_DISCUSSED, AGREED, True)


async def test_edit_agreed_returns_to_the_summary_and_may_not_repeat_discussed(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead)
    assert "О чём договорились / следующий шаг?" in (await u.click("✏️ О чём договорились"))[-1]
    assert "повторяет" in (await u.send(DISCUSSED))[-1]
    assert "Слишком коротко" in (await u.send("КП"))[-1]
    summary = (await u.send(NEW_AGREED))[-1]
    assert f"О чём говорили: {DISCUSSED}" in summary and f"О чём договорились: {NEW_AGREED}" in summary
    assert await nothing_saved(sessionmaker)
    await u.click("Сохранить")
    assert (await only_interaction(sessionmaker)).agreed == NEW_AGREED


async def test_r3c_edited_discussed_that_makes_agreed_a_repeat_asks_agreed_again(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead)
    await u.click("✏️ О чём говорили")
    # The new discussed part is itself fine, but the agreed part given before now repeats it.
    reply = (await u.send(AGREED))[-1]
    assert "повторяет" in reply and "О чём договорились / следующий шаг?" in reply
    assert "Проверьте запись" not in reply
    assert "повторяет" in (await u.send(AGREED))[-1], "the agreed step keeps checking"
    summary = (await u.send(NEW_AGREED))[-1]
    assert f"О чём говорили: {AGREED}" in summary and f"О чём договорились: {NEW_AGREED}" in summary
    assert await nothing_saved(sessionmaker)
    await u.click("Сохранить")
    row = await only_interaction(sessionmaker)
    assert (row.discussed, row.agreed, row.qualifying) == (AGREED, NEW_AGREED, True)


async def test_edit_next_step_changes_and_removes_the_date(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, summary = await to_summary(harness, lead, "через 3 дня")
    zone = ZoneInfo("Europe/Moscow")
    in_three = (datetime.now(zone) + timedelta(days=3)).strftime("%d.%m.%Y")
    assert f"Следующий шаг: {in_three}" in summary
    reply = (await u.click("✏️ Следующий шаг"))[-1]
    assert "Когда следующий шаг" in reply and f"Сейчас: {in_three}" in reply
    assert "уже прошло" in (await u.send("01.01.2020 10:00"))[-1]
    summary = (await u.send("завтра в 11:00"))[-1]
    tomorrow = datetime.now(zone).date() + timedelta(days=1)
    assert f"Следующий шаг: {tomorrow:%d.%m.%Y} 11:00" in summary
    await u.click("✏️ Следующий шаг")
    assert "Следующий шаг: —" in (await u.click("Пропустить"))[-1]
    assert await nothing_saved(sessionmaker)
    replies = await u.click("Сохранить")
    assert "Дело" not in replies[0]
    assert (await only_interaction(sessionmaker)).qualifying
    assert await count(sessionmaker, Task) == 0


async def test_r1e_changing_the_outcome_to_unreached_drops_the_comments_and_the_verdict_turns(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, summary = await to_summary(harness, lead, "через 3 дня")
    assert "результативный контакт</b> по лиду" in summary
    assert "Что это было" in (await u.click("✏️ Вид и итог"))[-1]
    await u.click("Звонок")
    summary = (await u.click("Не дозвонился"))[-1]
    assert "Итог: Не дозвонился" in summary
    assert "О чём говорили: —" in summary and "О чём договорились: —" in summary
    assert "Следующий шаг: —" in summary
    assert "<b>не результативный</b> контакт" in summary and "не продлит сделку" in summary
    assert "✏️ О чём говорили" not in u.buttons()
    assert await nothing_saved(sessionmaker)
    await u.click("Сохранить")
    row = await only_interaction(sessionmaker)
    assert (row.outcome, row.discussed, row.agreed, row.qualifying) == ("not_reached", None, None, False)
    assert await count(sessionmaker, Task) == 0


async def test_changing_unreached_to_a_held_meeting_asks_the_comments_then_returns(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    await start_call_on_lead(harness, lead, outcome="Не дозвонился")
    u = harness.user(MANAGER)
    await u.click("✏️ Вид и итог")
    await u.click("Встреча")
    assert "О чём говорили?" in (await u.click("Встреча состоялась"))[-1]
    assert "не развёрнутый комментарий" in (await u.send("ок"))[-1]
    assert "О чём договорились" in (await u.send(DISCUSSED))[-1]
    assert "Когда следующий шаг" in (await u.send(AGREED))[-1]
    summary = (await u.click("Пропустить"))[-1]
    assert "Вид: Встреча" in summary and "Итог: Встреча состоялась" in summary
    assert f"О чём говорили: {DISCUSSED}" in summary and "результативный контакт</b> по лиду" in summary
    assert await nothing_saved(sessionmaker)
    await u.click("Сохранить")
    row = await only_interaction(sessionmaker)
    assert (row.kind, row.outcome, row.qualifying) == ("meeting", "held", True)


async def test_changing_to_another_reaching_outcome_keeps_the_comments(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead, "через 3 дня")
    await u.click("✏️ Вид и итог")
    await u.click("Переписка")
    summary = (await u.click("Клиент ответил"))[-1]
    assert "Вид: Переписка" in summary and "Итог: Клиент ответил" in summary
    assert f"О чём говорили: {DISCUSSED}" in summary and f"О чём договорились: {AGREED}" in summary
    assert "Следующий шаг: —" not in summary
    await u.click("Сохранить")
    row = await only_interaction(sessionmaker)
    assert (row.kind, row.outcome, row.discussed, row.qualifying) == (
        "correspondence",
        "replied",
        DISCUSSED,
        True,
    )
    assert await count(sessionmaker, Task) == 1


async def test_walking_back_out_of_an_outcome_change_keeps_the_summary_as_it_was(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    await start_call_on_lead(harness, lead, outcome="Не дозвонился")
    u = harness.user(MANAGER)
    await u.click("✏️ Вид и итог")
    await u.click("Встреча")
    assert "Встреча состоялась" in u.buttons()
    assert "Что это было" in (await u.click("Назад"))[-1]
    summary = (await u.click("Назад"))[-1]
    assert "Вид: Звонок" in summary and "Итог: Не дозвонился" in summary
    # Back from the summary now goes to the outcome of the call, not of the meeting picked and left.
    await u.click("Назад")
    assert "Дозвонился, поговорили" in u.buttons() and "Встреча состоялась" not in u.buttons()
    assert await nothing_saved(sessionmaker)


async def test_back_from_an_edit_step_returns_to_the_summary_unchanged(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead)
    await u.click("✏️ О чём говорили")
    summary = (await u.click("Назад"))[-1]
    assert "Проверьте запись контакта" in summary and f"О чём говорили: {DISCUSSED}" in summary
    assert await nothing_saved(sessionmaker)


async def test_back_from_the_summary_goes_to_the_previous_step(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead)
    assert "Когда следующий шаг" in (await u.click("Назад"))[-1]
    summary = (await u.send("через 3 дня"))[-1]
    assert "Проверьте запись контакта" in summary and "Следующий шаг: —" not in summary
    assert await nothing_saved(sessionmaker)


async def test_back_from_the_summary_of_an_unanswered_call_goes_to_the_outcome(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    await start_call_on_lead(harness, lead, outcome="Не дозвонился")
    u = harness.user(MANAGER)
    assert "Звонок: чем закончилось" in (await u.click("Назад"))[-1]
    assert "О чём говорили?" in (await u.click("Дозвонился"))[-1]
    assert await nothing_saved(sessionmaker)


async def test_cancel_on_the_summary_saves_nothing(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead, "через 3 дня")
    summary_id = harness.message(MANAGER).message_id
    assert "Действие отменено" in (await u.click("Отмена"))[-1]
    assert await nothing_saved(sessionmaker)
    assert "устарела" in (await u.press(LogCb(action="save").pack(), message_id=summary_id))[-1]
    assert await nothing_saved(sessionmaker)


async def test_text_on_the_summary_shows_it_again_and_saves_nothing(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead)
    reply = (await u.send("сохрани уже"))[-1]
    assert "нажмите кнопку" in reply and "Проверьте запись контакта" in reply
    assert await nothing_saved(sessionmaker)
    await u.click("Сохранить")
    assert await count(sessionmaker, Interaction) == 1


async def test_save_twice_records_once(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead)
    summary_id = harness.message(MANAGER).message_id
    await u.click("Сохранить")
    assert "устарела" in (await u.press(LogCb(action="save").pack(), message_id=summary_id))[-1]
    assert await count(sessionmaker, Interaction) == 1


async def test_r1c_lead_closed_while_on_the_summary_saves_nothing(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead, "через 3 дня")
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Lead).where(Lead.id == lead).values(status="rejected"))
    assert "закрыта" in (await u.click("Сохранить"))[-1]
    assert await nothing_saved(sessionmaker)


async def test_r2h_deal_is_not_prolonged_before_save(harness: Harness, sessionmaker) -> None:
    manager, lead = await setup_lead(sessionmaker)
    deal = await make_deal(sessionmaker, lead, manager, None)
    u = harness.user(MANAGER)
    await u.send("/menu")
    await u.press(DealCb(action="log", id=deal).pack())
    await u.click("Звонок")
    await u.click("Дозвонился")
    await u.send(DISCUSSED)
    await u.send(AGREED)
    summary = (await u.click("Пропустить"))[-1]
    assert f"Сделка №{deal}, Иванов Иван Иванович" in summary
    async with sessionmaker() as session:
        stored = await session.get(Deal, deal)
    assert stored is not None and stored.last_qualifying_at is None
    assert await nothing_saved(sessionmaker)
    assert "срок активности сделки отсчитывается заново" in (await u.click("Сохранить"))[0]
    async with sessionmaker() as session:
        stored = await session.get(Deal, deal)
    assert stored is not None and stored.last_qualifying_at is not None


async def test_english_summary(harness: Harness, sessionmaker) -> None:
    manager, lead = await setup_lead(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await session.execute(update(User).where(User.id == manager).values(language="en"))
    u = harness.user(MANAGER)
    await u.send("/menu")
    await u.press(LeadCb(action="log", id=lead).pack())
    await u.click("Call")
    summary = (await u.click("Did not reach"))[-1]
    assert "Check the contact record" in summary and f"Lead #{lead}, Иванов Иван Иванович" in summary
    assert "<b>not a qualifying</b> contact" in summary
    assert "✏️ Kind and outcome" in u.buttons() and "💾 Save" in u.buttons()


async def test_dropped_comments_are_asked_again_when_the_outcome_reaches_the_client_again(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead, "через 3 дня")
    await u.click("✏️ Вид и итог")
    await u.click("Звонок")
    await u.click("Не дозвонился")
    await u.click("✏️ Вид и итог")
    await u.click("Звонок")
    assert "О чём говорили?" in (await u.click("Дозвонился"))[-1]
    await u.send(NEW_DISCUSSED)
    assert "Когда следующий шаг" in (await u.send(NEW_AGREED))[-1]
    summary = (await u.click("Пропустить"))[-1]
    assert f"О чём говорили: {NEW_DISCUSSED}" in summary and "Следующий шаг: —" in summary
    assert await nothing_saved(sessionmaker)

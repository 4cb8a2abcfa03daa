"""/log: the summary before saving (SPEC "Interface conventions"), its edits, the optional next step and the
verdict (R1d, R1e, R3)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import DealCb
from db.models import AuditEntry, Deal, Interaction, Lead, Task, User
from tests.flows.interactions.helpers import (
    AGREED,
    DISCUSSED,
    MANAGER,
    NOT_REACHED,
    REACHED,
    SUMMARY,
    SUMMARY_FIELDS,
    button_data,
    count,
    only_interaction,
    reach_kind,
    setup_deal,
    setup_lead,
)
from tests.harness import Harness, TgUser, first_line, t, tp

NEW_DISCUSSED = "Обсудили замену старых терминалов сбора данных на складе"
NEW_AGREED = "Готовлю расчёт на 30 терминалов, встреча с директором во вторник"
TRICKY = "Обсудили <b>срочно</b> & Co поставку сканеров"
EDIT_KIND = tp("interaction-btn-edit-kind")
EDIT_DISCUSSED = tp("interaction-btn-edit-discussed")
EDIT_AGREED = tp("interaction-btn-edit-agreed")
STOP_PHRASE = "это не развёрнутый комментарий"


async def nothing_saved(sessionmaker: async_sessionmaker[AsyncSession]) -> bool:
    return (
        await count(sessionmaker, Interaction) == 0
        and await count(sessionmaker, Task) == 0
        and await count(sessionmaker, AuditEntry) == 0
    )


async def to_summary(
    harness: Harness, lead: int, due: str | None = None, discussed: str = DISCUSSED
) -> tuple[TgUser, str]:
    """A reached call on ``lead`` with both comment parts and, when ``due`` is given, a next step."""
    u = await reach_kind(harness, lead)
    await u.click(REACHED)
    await u.send(discussed)
    replies = await u.send(AGREED)
    if due is not None:
        await u.click(tp("interaction-btn-next-step"))
        replies = await u.send(due)
    return u, replies[-1]


async def test_summary_shows_every_field_and_the_qualifying_verdict(harness: Harness, sessionmaker) -> None:
    manager, lead = await setup_lead(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await session.execute(update(User).where(User.id == manager).values(timezone="Asia/Vladivostok"))
    zone = ZoneInfo("Asia/Vladivostok")
    _, summary = await to_summary(harness, lead, "завтра в 15:00")
    tomorrow = datetime.now(zone).date() + timedelta(days=1)
    assert summary.splitlines() == [
        SUMMARY,
        f"Лид №{lead}, Иванов Иван Иванович",
        "Вид: Звонок",
        "Итог: Дозвонился, поговорили",
        f"О чём говорили: {DISCUSSED}",
        f"О чём договорились: {AGREED}",
        f"Следующий шаг: {tomorrow:%d.%m.%Y} 15:00",
        t("interaction-verdict-qualifying-lead"),
        t("interaction-summary", **dict.fromkeys(SUMMARY_FIELDS, "")).splitlines()[-1],
    ]
    assert await nothing_saved(sessionmaker)


async def test_summary_on_a_deal_names_the_deal_and_escapes_user_text(harness: Harness, sessionmaker) -> None:
    _, deal = await setup_deal(sessionmaker)
    u = harness.user(MANAGER)
    await u.send("/menu")
    await u.press(DealCb(action="log", id=deal).pack())
    await u.click(REACHED)
    await u.send(TRICKY)
    summary = (await u.send(AGREED))[-1]
    assert f"Сделка №{deal}, Иванов Иван Иванович" in summary
    assert "Обсудили &lt;b&gt;срочно&lt;/b&gt; &amp; Co поставку сканеров" in summary
    assert t("interaction-verdict-qualifying-deal") in summary


async def test_r1e_summary_of_an_unanswered_call_says_it_will_not_count(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = await reach_kind(harness, lead)
    summary = (await u.click(NOT_REACHED))[-1]
    assert "Итог: Не дозвонился" in summary
    assert (
        "О чём говорили: —" in summary
        and "О чём договорились: —" in summary
        and "Следующий шаг: —" in summary
    )
    assert t("interaction-verdict-not-qualifying") in summary
    assert EDIT_KIND in u.buttons() and not {EDIT_DISCUSSED, EDIT_AGREED} & set(u.buttons())
    # R1e: no comment for a call that did not get through, even through a forged edit button.
    data = button_data(harness, MANAGER, EDIT_KIND)
    assert (await u.press(data.rsplit(":", 1)[0] + ":discussed")) == [tp("button-stale")]
    assert await nothing_saved(sessionmaker)


async def test_edit_discussed_returns_to_the_summary_with_the_new_value(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead)
    assert first_line("interaction-ask-discussed") in (await u.click(EDIT_DISCUSSED))[-1]
    assert STOP_PHRASE in (await u.send("перезвонить"))[-1], "R3 still applies while editing"
    summary = (await u.send(NEW_DISCUSSED))[-1]
    assert f"О чём говорили: {NEW_DISCUSSED}" in summary and f"О чём договорились: {AGREED}" in summary
    assert t("interaction-verdict-qualifying-lead") in summary
    assert await nothing_saved(sessionmaker)
    await u.click(tp("btn-save"))
    row = await only_interaction(sessionmaker)
    assert (row.discussed, row.agreed, row.qualifying) == (NEW_DISCUSSED, AGREED, True)


async def test_edit_agreed_returns_to_the_summary_and_may_not_repeat_discussed(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead)
    assert first_line("interaction-ask-agreed") in (await u.click(EDIT_AGREED))[-1]
    assert first_line("err-comment-repeats", min_words=3) in (await u.send(DISCUSSED))[-1]
    assert "Слишком коротко" in (await u.send("КП"))[-1]
    summary = (await u.send(NEW_AGREED))[-1]
    assert f"О чём говорили: {DISCUSSED}" in summary and f"О чём договорились: {NEW_AGREED}" in summary
    assert await nothing_saved(sessionmaker)
    await u.click(tp("btn-save"))
    assert (await only_interaction(sessionmaker)).agreed == NEW_AGREED


async def test_r3c_edited_discussed_that_makes_agreed_a_repeat_asks_agreed_again(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead)
    await u.click(EDIT_DISCUSSED)
    # The new discussed part is itself fine, but the agreed part given before now repeats it.
    reply = (await u.send(AGREED))[-1]
    repeats = first_line("err-comment-repeats", min_words=3)
    assert repeats in reply and first_line("interaction-ask-agreed") in reply and SUMMARY not in reply
    assert repeats in (await u.send(AGREED))[-1], "the agreed step keeps checking"
    summary = (await u.send(NEW_AGREED))[-1]
    assert f"О чём говорили: {AGREED}" in summary and f"О чём договорились: {NEW_AGREED}" in summary
    assert await nothing_saved(sessionmaker)
    await u.click(tp("btn-save"))
    row = await only_interaction(sessionmaker)
    assert (row.discussed, row.agreed, row.qualifying) == (AGREED, NEW_AGREED, True)


async def test_edit_next_step_changes_and_removes_the_date(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, summary = await to_summary(harness, lead, "через 3 дня")
    zone = ZoneInfo("Europe/Moscow")
    in_three = (datetime.now(zone) + timedelta(days=3)).strftime("%d.%m.%Y")
    assert f"Следующий шаг: {in_three}" in summary
    reply = (await u.click(tp("interaction-btn-edit-due")))[-1]
    assert first_line("due-ask") in reply and f"Сейчас: {in_three}" in reply
    assert t("err-due-in-past") in (await u.send("01.01.2020 10:00"))[-1]
    summary = (await u.send("завтра в 11:00"))[-1]
    tomorrow = datetime.now(zone).date() + timedelta(days=1)
    assert f"Следующий шаг: {tomorrow:%d.%m.%Y} 11:00" in summary
    await u.click(tp("interaction-btn-edit-due"))
    assert "Следующий шаг: —" in (await u.click(tp("due-btn-remove")))[-1]
    assert tp("interaction-btn-next-step") in u.buttons()
    assert await nothing_saved(sessionmaker)
    saved = (await u.click(tp("btn-save")))[-1]
    assert "📌" not in saved and (await only_interaction(sessionmaker)).qualifying
    assert await count(sessionmaker, Task) == 0


async def test_r1e_changing_the_outcome_to_unreached_drops_the_comments_and_the_verdict_turns(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, summary = await to_summary(harness, lead, "через 3 дня")
    assert t("interaction-verdict-qualifying-lead") in summary
    assert first_line("interaction-ask-kind") in (await u.click(EDIT_KIND))[-1]
    summary = (await u.click(NOT_REACHED))[-1]
    assert "Итог: Не дозвонился" in summary
    assert (
        "О чём говорили: —" in summary
        and "О чём договорились: —" in summary
        and "Следующий шаг: —" in summary
    )
    assert t("interaction-verdict-not-qualifying") in summary
    assert EDIT_DISCUSSED not in u.buttons()
    assert await nothing_saved(sessionmaker)
    await u.click(tp("btn-save"))
    row = await only_interaction(sessionmaker)
    assert (row.outcome, row.discussed, row.agreed, row.qualifying) == ("not_reached", None, None, False)
    assert await count(sessionmaker, Task) == 0


async def test_changing_unreached_to_a_held_meeting_asks_the_comments_then_returns(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = await reach_kind(harness, lead)
    await u.click(NOT_REACHED)
    await u.click(EDIT_KIND)
    reply = (await u.click(tp("interaction-choice-meeting-held")))[-1]
    assert first_line("interaction-ask-discussed") in reply
    assert STOP_PHRASE in (await u.send("ок"))[-1]
    assert first_line("interaction-ask-agreed") in (await u.send(DISCUSSED))[-1]
    summary = (await u.send(AGREED))[-1]
    assert "Вид: Встреча" in summary and "Итог: Встреча состоялась" in summary
    assert f"О чём говорили: {DISCUSSED}" in summary and t("interaction-verdict-qualifying-lead") in summary
    assert await nothing_saved(sessionmaker)
    await u.click(tp("btn-save"))
    row = await only_interaction(sessionmaker)
    assert (row.kind, row.outcome, row.qualifying) == ("meeting", "held", True)


async def test_changing_to_another_reaching_outcome_keeps_the_comments_and_the_next_step(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead, "через 3 дня")
    await u.click(EDIT_KIND)
    summary = (await u.click(tp("interaction-choice-mail-replied")))[-1]
    assert "Вид: Переписка" in summary and "Итог: Клиент ответил" in summary
    assert f"О чём говорили: {DISCUSSED}" in summary and f"О чём договорились: {AGREED}" in summary
    assert "Следующий шаг: —" not in summary
    await u.click(tp("btn-save"))
    row = await only_interaction(sessionmaker)
    assert (row.kind, row.outcome, row.discussed, row.qualifying) == (
        "correspondence",
        "replied",
        DISCUSSED,
        True,
    )
    assert await count(sessionmaker, Task) == 1


async def test_back_from_an_edit_step_returns_to_the_summary_unchanged(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, before = await to_summary(harness, lead, "через 3 дня")
    for button in (EDIT_KIND, EDIT_DISCUSSED, EDIT_AGREED, tp("interaction-btn-edit-due")):
        await u.click(button)
        assert (await u.click(tp("btn-back")))[-1] == before
    assert await nothing_saved(sessionmaker)


async def test_back_from_the_summary_goes_to_the_previous_step(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead)
    assert first_line("interaction-ask-agreed") in (await u.click(tp("btn-back")))[-1]
    summary = (await u.send(NEW_AGREED))[-1]
    assert SUMMARY in summary and f"О чём договорились: {NEW_AGREED}" in summary
    assert await nothing_saved(sessionmaker)


async def test_back_from_the_summary_of_an_unanswered_call_goes_to_the_kind(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = await reach_kind(harness, lead)
    await u.click(NOT_REACHED)
    assert first_line("interaction-ask-kind") in (await u.click(tp("btn-back")))[-1]
    assert first_line("interaction-ask-discussed") in (await u.click(REACHED))[-1]
    assert await nothing_saved(sessionmaker)


async def test_cancel_on_the_summary_saves_nothing_and_its_buttons_go_stale(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead, "через 3 дня")
    save = button_data(harness, MANAGER, tp("btn-save"))
    summary_id = harness.message(MANAGER).message_id
    assert t("cancelled") in (await u.click(tp("btn-cancel")))[-1]
    assert (await u.press(save, message_id=summary_id)) == [tp("button-stale")]
    assert await nothing_saved(sessionmaker)


async def test_text_on_the_summary_shows_it_again_and_saves_nothing(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead)
    reply = (await u.send("сохрани уже"))[-1]
    assert t("interaction-summary-use-buttons") in reply and SUMMARY in reply
    assert await nothing_saved(sessionmaker)
    await u.click(tp("btn-save"))
    assert await count(sessionmaker, Interaction) == 1


async def test_save_twice_records_once(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead)
    save = button_data(harness, MANAGER, tp("btn-save"))
    summary_id = harness.message(MANAGER).message_id
    await u.click(tp("btn-save"))
    assert (await u.press(save, message_id=summary_id)) == [tp("button-stale")]
    assert await count(sessionmaker, Interaction) == 1


async def test_r1c_lead_closed_while_on_the_summary_saves_nothing(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead, "через 3 дня")
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Lead).where(Lead.id == lead).values(status="rejected"))
    assert (await u.click(tp("btn-save"))) == [tp("record-closed")]
    assert await nothing_saved(sessionmaker)


async def test_r2h_deal_is_not_prolonged_before_save(harness: Harness, sessionmaker) -> None:
    _, deal = await setup_deal(sessionmaker)
    u = harness.user(MANAGER)
    await u.send("/menu")
    await u.press(DealCb(action="log", id=deal).pack())
    await u.click(REACHED)
    await u.send(DISCUSSED)
    summary = (await u.send(AGREED))[-1]
    assert f"Сделка №{deal}, Иванов Иван Иванович" in summary
    async with sessionmaker() as session:
        stored = await session.get(Deal, deal)
    assert stored is not None and stored.last_qualifying_at is None
    assert await nothing_saved(sessionmaker)
    assert t("interaction-saved-qualifying-deal") in (await u.click(tp("btn-save")))[-1]
    async with sessionmaker() as session:
        stored = await session.get(Deal, deal)
    assert stored is not None and stored.last_qualifying_at is not None


async def test_the_saved_summary_opens_the_lead_card(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead)
    await u.click(tp("btn-save"))
    assert tp("interaction-btn-open-lead", id=lead) in u.buttons()
    assert tp("menu-log") not in " ".join(u.replies()), "no extra main-menu message after a save"
    card = (await u.click(tp("interaction-btn-open-lead", id=lead)))[-1]
    assert f"№{lead}" in card and "Иванов Иван Иванович" in card


async def test_dropped_comments_are_asked_again_when_the_outcome_reaches_the_client_again(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u, _ = await to_summary(harness, lead, "через 3 дня")
    await u.click(EDIT_KIND)
    await u.click(NOT_REACHED)
    await u.click(EDIT_KIND)
    assert first_line("interaction-ask-discussed") in (await u.click(REACHED))[-1]
    await u.send(NEW_DISCUSSED)
    summary = (await u.send(NEW_AGREED))[-1]
    assert f"О чём говорили: {NEW_DISCUSSED}" in summary and "Следующий шаг: —" in summary
    assert await nothing_saved(sessionmaker)

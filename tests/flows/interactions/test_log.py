"""/log: recording calls, correspondence and meetings on leads and deals (R1c, R1d, R1e, R2h, R3)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.callbacks import DealCb, LeadCb
from db.base import utcnow
from db.models import AuditEntry, Deal, Interaction, Lead, Task, User
from domain import limits
from tests.factories import make_contact, make_deal, make_lead, make_user
from tests.flows.interactions.helpers import (
    AGREED,
    DISCUSSED,
    LEAD_TG,
    MANAGER,
    NOT_REACHED,
    OTHER,
    REACHED,
    SUMMARY,
    count,
    only_interaction,
    pick,
    reach_kind,
    setup_deal,
    setup_lead,
)
from tests.harness import Harness, TgUser, first_line, t, tp

STOP_PHRASE = first_line("err-comment-stop-phrase", phrase="нд", min_words=3).split("«")[0]


async def to_discussed(harness: Harness, lead_id: int) -> TgUser:
    user = await reach_kind(harness, lead_id)
    assert first_line("interaction-ask-discussed") in (await user.click(REACHED))[-1]
    return user


class Counted:
    """Counts what the manager does: each tap and each typed message is one action (issue item 7)."""

    def __init__(self, user: TgUser) -> None:
        self.user, self.actions = user, 0

    async def send(self, text: str) -> list[str]:
        self.actions += 1
        return await self.user.send(text)

    async def click(self, label: str) -> list[str]:
        self.actions += 1
        return await self.user.click(label)


async def test_a_reached_call_with_both_comment_parts_takes_at_most_six_actions(
    harness: Harness, sessionmaker
) -> None:
    """From the main menu: the menu button, the lead, «📞 Дозвонился», the two parts (R3c), «Сохранить»."""
    manager, lead = await setup_lead(sessionmaker)
    u = Counted(harness.user(MANAGER))
    await u.send(t("menu-log"))
    await u.click(tp("pick-id", id=lead))
    await u.click(REACHED)
    await u.send(DISCUSSED)
    summary = (await u.send(AGREED))[-1]
    assert SUMMARY in summary
    saved = (await u.click(tp("btn-save")))[-1]
    assert u.actions <= 6
    assert t("interaction-saved-qualifying-lead") in saved
    row = await only_interaction(sessionmaker)
    assert (row.kind, row.outcome, row.qualifying, row.lead_id, row.author_id) == (
        "call",
        "reached",
        True,
        lead,
        manager,
    )
    assert (row.discussed, row.agreed) == (DISCUSSED, AGREED)
    assert await count(sessionmaker, Task) == 0, "the next step is optional"


async def test_qualifying_call_with_a_next_step_task_in_vladivostok(harness: Harness, sessionmaker) -> None:
    manager, lead = await setup_lead(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await session.execute(update(User).where(User.id == manager).values(timezone="Asia/Vladivostok"))
    u = await to_discussed(harness, lead)
    assert first_line("interaction-ask-agreed") in (await u.send(DISCUSSED))[-1]
    await u.send(AGREED)
    assert first_line("due-ask") in (await u.click(tp("interaction-btn-next-step")))[-1]
    zone = ZoneInfo("Asia/Vladivostok")
    tomorrow = datetime.now(zone).date() + timedelta(days=1)
    expected = datetime.combine(tomorrow, time(15, 0), tzinfo=zone).astimezone(UTC)
    summary = (await u.send("завтра в 15:00"))[-1]
    assert f"Следующий шаг: {tomorrow:%d.%m.%Y} 15:00" in summary
    assert await count(sessionmaker, Interaction) == 0 and await count(sessionmaker, Task) == 0
    saved = (await u.click(tp("btn-save")))[-1]
    assert t("interaction-saved-qualifying-lead") in saved and f"{tomorrow:%d.%m.%Y} 15:00" in saved
    row = await only_interaction(sessionmaker)
    async with sessionmaker() as session:
        task = await session.scalar(select(Task))
        audit = list(await session.scalars(select(AuditEntry).where(AuditEntry.entity == "lead")))
    assert task is not None and task.due_at == expected and task.due_at.hour == 5
    assert task.title == AGREED and task.assignee_id == manager and task.lead_id == lead
    assert task.interaction_id == row.id
    assert [(a.entity_id, a.action) for a in audit] == [(lead, "interaction")]


async def test_a_next_step_from_the_calendar_then_a_time(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = await to_discussed(harness, lead)
    await u.send(DISCUSSED)
    await u.send(AGREED)
    await u.click(tp("interaction-btn-next-step"))
    await u.click("Январь »")
    ask = (await u.click("15"))[-1]
    year = datetime.now(ZoneInfo("Europe/Moscow")).year + 1
    assert first_line("due-ask-time", day=f"15.01.{year}").split(":")[0] in ask
    assert t("due-err-time") in (await u.send("обед"))[-1]
    summary = (await u.click("12:00"))[-1]
    assert f"Следующий шаг: 15.01.{year} 12:00" in summary
    await u.click(tp("btn-save"))
    async with sessionmaker() as session:
        task = await session.scalar(select(Task))
    assert task is not None and task.due_at.astimezone(ZoneInfo("Europe/Moscow")).hour == 12


@pytest.mark.parametrize(
    "bad", ["НД", "перезвонить", "сбросил", "пообщались", "думает", "ок", "нд, перезвонить"]
)
async def test_r3c_shorthand_discussed_is_refused_and_the_step_stays(
    harness: Harness, sessionmaker, bad: str
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = await to_discussed(harness, lead)
    reply = (await u.send(bad))[-1]
    assert first_line("interaction-ask-discussed") in reply and STOP_PHRASE in reply
    assert await count(sessionmaker, Interaction) == 0
    assert first_line("interaction-ask-agreed") in (await u.send(DISCUSSED))[-1]


@pytest.mark.parametrize("bad", ["НД", "перезвонить", "сбросил", "пообщались", "думает", "ок"])
async def test_r3c_shorthand_agreed_is_refused_and_the_step_stays(
    harness: Harness, sessionmaker, bad: str
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = await to_discussed(harness, lead)
    await u.send(DISCUSSED)
    reply = (await u.send(bad))[-1]
    assert first_line("interaction-ask-agreed") in reply and STOP_PHRASE in reply
    assert await count(sessionmaker, Interaction) == 0
    assert SUMMARY in (await u.send(AGREED))[-1]


async def test_r3c_too_few_words_a_repeat_a_contact_card_and_an_overlong_part_are_refused(
    harness: Harness, sessionmaker
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = await to_discussed(harness, lead)
    assert t("err-comment-too-short", min_words=3, words=1) in (await u.send("цена"))[-1]
    too_long = t("limit-too-long", limit=limits.LOG_PART, length=2399).split("\n")[0]
    assert too_long in (await u.send("слово " * 400))[-1]
    await u.send(DISCUSSED)
    repeats = t("err-comment-repeats", min_words=3)
    assert repeats in (await u.send(DISCUSSED))[-1]
    assert repeats in (await u.send(DISCUSSED + ", ок"))[-1]
    assert t("form-err-text-expected") in (await u.share_contact("+79123456789", "Иван"))[-1]
    assert await count(sessionmaker, Interaction) == 0
    assert SUMMARY in (await u.send(AGREED))[-1]


@pytest.mark.parametrize(
    ("text", "key"), [("вчера", "err-due-format"), ("32.13 25:00", "err-time-impossible")]
)
async def test_bad_next_step_date_is_refused_and_back_saves_without_a_task(
    harness: Harness, sessionmaker, text: str, key: str
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = await to_discussed(harness, lead)
    await u.send(DISCUSSED)
    await u.send(AGREED)
    await u.click(tp("interaction-btn-next-step"))
    reply = (await u.send(text))[-1]
    assert first_line(key) in reply and first_line("due-ask") in reply
    assert await count(sessionmaker, Interaction) == 0 and await count(sessionmaker, Task) == 0
    assert "Следующий шаг: —" in (await u.click(tp("btn-back")))[-1]
    saved = (await u.click(tp("btn-save")))[-1]
    assert t("interaction-saved-qualifying-lead") in saved and "📌" not in saved
    assert (await only_interaction(sessionmaker)).qualifying
    assert await count(sessionmaker, Task) == 0


async def test_r1e_unanswered_call_is_not_qualifying_and_offers_a_call_back_task(
    harness: Harness, sessionmaker
) -> None:
    manager, lead = await setup_lead(sessionmaker)
    u = await reach_kind(harness, lead)
    summary = (await u.click(NOT_REACHED))[-1]
    assert SUMMARY in summary and first_line("interaction-ask-discussed") not in summary
    assert t("interaction-verdict-not-qualifying") in summary
    assert tp("interaction-btn-edit-discussed") not in u.buttons()
    await u.click(tp("interaction-btn-call-back"))
    summary = (await u.send("завтра в 11:00"))[-1]
    assert "11:00" in summary
    saved = (await u.click(tp("btn-save")))[-1]
    assert "не результативный" in saved and "11:00" in saved
    row = await only_interaction(sessionmaker)
    assert not row.qualifying and row.outcome == "not_reached" and row.discussed is None
    async with sessionmaker() as session:
        task = await session.scalar(select(Task))
    assert task is not None and task.title == tp("interaction-task-call-back") and task.assignee_id == manager


async def test_r1e_correspondence_without_reply_is_not_qualifying(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = await reach_kind(harness, lead)
    assert tp("interaction-choice-mail-replied") in u.buttons()
    summary = (await u.click(tp("interaction-choice-mail-no-reply")))[-1]
    assert "не продлит сделку" in summary and tp("interaction-btn-remind") in u.buttons()
    assert "не результативный" in (await u.click(tp("btn-save")))[-1]
    row = await only_interaction(sessionmaker)
    assert (row.kind, row.outcome, row.qualifying) == ("correspondence", "no_reply", False)


async def test_a_meeting_is_one_tap(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = await reach_kind(harness, lead)
    assert (
        first_line("interaction-ask-discussed") in (await u.click(tp("interaction-choice-meeting-held")))[-1]
    )
    await u.send(DISCUSSED)
    await u.send(AGREED)
    await u.click(tp("btn-save"))
    row = await only_interaction(sessionmaker)
    assert (row.kind, row.outcome, row.qualifying) == ("meeting", "held", True)


async def test_back_and_cancel(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = await to_discussed(harness, lead)
    assert first_line("interaction-ask-kind") in (await u.click(tp("btn-back")))[-1].split("\n")[1]
    assert first_line("pick-lead-title") in (await u.click(tp("btn-back")))[-1]
    await pick(u, lead)
    await u.click(REACHED)
    await u.send(DISCUSSED)
    assert first_line("interaction-ask-discussed") in (await u.click(tp("btn-back")))[-1]
    assert t("cancelled") in (await u.click(tp("btn-cancel")))[-1]
    assert await count(sessionmaker, Interaction) == 0


async def test_cancel_in_the_picker_closes_the_form(harness: Harness, sessionmaker) -> None:
    await setup_lead(sessionmaker)
    u = harness.user(MANAGER)
    await u.send("/log")
    assert t("cancelled") in (await u.click(tp("btn-cancel")))[-1]
    assert t("stray-message") in (await u.send(DISCUSSED))[-1]
    assert await count(sessionmaker, Interaction) == 0


async def test_r1c_other_managers_log_buttons_are_refused_and_change_nothing(
    harness: Harness, sessionmaker
) -> None:
    owner, lead = await setup_lead(sessionmaker)
    other_lead = await make_lead(
        sessionmaker,
        await make_contact(sessionmaker, owner, name="Петров Пётр", phone="+79161112233", email="p@mail.ru"),
        owner,
    )
    deal = await make_deal(sessionmaker, other_lead, owner)
    await make_user(sessionmaker, OTHER, team="Продажи Юг")
    u = harness.user(OTHER)
    await u.send("/menu")
    assert (await u.press(LeadCb(action="log", id=lead).pack())) == [tp("access-denied")]
    assert (await u.press(DealCb(action="log", id=deal).pack())) == [tp("access-denied")]
    await u.send(DISCUSSED)
    assert await count(sessionmaker, Interaction) == 0


async def test_r1c_team_lead_may_log_on_a_members_lead_and_the_task_goes_to_the_member(
    harness: Harness, sessionmaker
) -> None:
    member, lead = await setup_lead(sessionmaker)
    tl = await make_user(sessionmaker, LEAD_TG, role="team_lead")
    u = harness.user(LEAD_TG)
    await u.send("/menu")
    assert first_line("interaction-ask-kind") in (await u.press(LeadCb(action="log", id=lead).pack()))[-1]
    await u.click(REACHED)
    await u.send(DISCUSSED)
    await u.send(AGREED)
    await u.click(tp("interaction-btn-next-step"))
    await u.send("через 3 дня")
    await u.click(tp("btn-save"))
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
    assert (await u.press(LeadCb(action="log", id=lead).pack())) == [tp("record-closed")]
    assert await count(sessionmaker, Interaction) == 0


async def test_r2h_qualifying_call_on_a_deal_from_the_picker_moves_last_qualifying_at(
    harness: Harness, sessionmaker
) -> None:
    _, deal = await setup_deal(sessionmaker, utcnow() - timedelta(days=40))
    u = harness.user(MANAGER)
    await u.send("/log")
    assert first_line("pick-deal-title") in (await u.click(tp("pick-btn-deals")))[-1]
    await pick(u, deal)
    await u.click(REACHED)
    await u.send(DISCUSSED)
    summary = (await u.send(AGREED))[-1]
    assert f"Сделка №{deal}, Иванов Иван Иванович" in summary
    async with sessionmaker() as session:
        stored = await session.get(Deal, deal)
    assert stored is not None and stored.last_qualifying_at is not None
    untouched = stored.last_qualifying_at
    before = utcnow()
    assert t("interaction-saved-qualifying-deal") in (await u.click(tp("btn-save")))[-1]
    async with sessionmaker() as session:
        stored = await session.get(Deal, deal)
        audit = await session.scalar(select(AuditEntry.action).where(AuditEntry.entity == "deal"))
    assert stored is not None and stored.last_qualifying_at is not None and untouched < before
    assert stored.last_qualifying_at >= before - timedelta(seconds=1)
    assert audit == "interaction"
    row = await only_interaction(sessionmaker)
    assert row.deal_id == deal and row.lead_id is None and row.qualifying


async def test_r2h_unanswered_call_on_a_deal_does_not_move_last_qualifying_at(
    harness: Harness, sessionmaker
) -> None:
    old = utcnow().replace(microsecond=0) - timedelta(days=40)
    _, deal = await setup_deal(sessionmaker, old)
    u = harness.user(MANAGER)
    await u.send("/menu")
    await u.press(DealCb(action="log", id=deal).pack())
    await u.click(NOT_REACHED)
    assert "не продлевает сделку" in (await u.click(tp("btn-save")))[-1]
    async with sessionmaker() as session:
        stored = await session.get(Deal, deal)
    assert stored is not None and stored.last_qualifying_at == old
    assert not (await only_interaction(sessionmaker)).qualifying


async def test_a_forged_kind_and_outcome_is_refused(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = await reach_kind(harness, lead)
    message = harness.message(MANAGER)
    data = next(
        b.callback_data for row in message.reply_markup.inline_keyboard for b in row if b.text == REACHED
    )
    assert data is not None
    forged = data.rsplit(":", 1)[0] + ":7"
    assert (await u.press(forged)) == [tp("button-stale")]
    assert first_line("interaction-ask-discussed") in (await u.press(data))[-1]
    assert await count(sessionmaker, Interaction) == 0


async def test_another_users_dialog_button_obeys_nothing(harness: Harness, sessionmaker) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = await reach_kind(harness, lead)
    message = harness.message(MANAGER)
    data = next(
        b.callback_data for row in message.reply_markup.inline_keyboard for b in row if b.text == REACHED
    )
    assert data is not None
    await make_user(sessionmaker, OTHER)
    other = harness.user(OTHER)
    await other.send("/menu")
    other_message = harness.message(OTHER)
    replies = await other.press(data, message_id=other_message.message_id)
    assert first_line("interaction-ask-discussed") not in " ".join(replies)
    assert first_line("interaction-ask-discussed") in (await u.press(data))[-1]
    assert await count(sessionmaker, Interaction) == 0


async def test_english_user_sees_english(harness: Harness, sessionmaker) -> None:
    manager, lead = await setup_lead(sessionmaker)
    async with sessionmaker() as session, session.begin():
        await session.execute(update(User).where(User.id == manager).values(language="en"))
    u = harness.user(MANAGER)
    await u.send("/log")
    assert first_line("pick-lead-title", "en") in u.last
    assert any(tp("pick-age", "en", days=0) in label for label in u.buttons())
    await pick(u, lead, "en")
    summary = (await u.click(tp("interaction-choice-call-not-reached", "en")))[-1]
    assert "Check the contact record" in summary and f"Lead #{lead}, Иванов Иван Иванович" in summary
    assert "<b>not a qualifying</b> contact" in summary
    assert tp("interaction-btn-call-back", "en") in u.buttons() and tp("btn-save", "en") in u.buttons()

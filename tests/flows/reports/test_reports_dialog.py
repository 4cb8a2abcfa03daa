"""«📊 Отчёты» (seed 001/003 reports): pick the report, the period and the scope (R1c), get a text summary,
a chart as a photo and «📥 Excel»; a forged scope shows nothing."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.methods import SendDocument, SendPhoto
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import writing
from db.models import Deal, DealStageSpan, Stage, User
from db.repo.directories import display_name
from tests.factories import make_contact, make_user
from tests.flows.deals.helpers import MANAGER, OTHER, TEAM_LEAD, convertible_lead, insert_deal
from tests.harness import Harness, TgUser, t, tp

STRANGER_LEAD = 504


async def _world(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    """The manager: two open deals (150 000 ₽ and 90 000 ₽) and one won this month; a teammate: one open
    deal of 1 000 000 ₽; another team's lead."""
    mine = await convertible_lead(sessionmaker, full_name="Петров Пётр")
    await insert_deal(sessionmaker, mine)
    second = await convertible_lead(sessionmaker, other_contact=True)
    await insert_deal(sessionmaker, second, group="Расходные материалы", amount_minor=9_000_000)
    third = await make_contact(
        sessionmaker, mine.manager_id, name="Кузнецов Олег", phone="+79031112233", email="kuz@yandex.ru"
    )
    won = await convertible_lead(sessionmaker, contact_id=third)
    won_id = await insert_deal(sessionmaker, won, group="Услуги", amount_minor=5_000_000, status="won")
    async with writing(sessionmaker) as session:
        deal = await session.get(Deal, won_id)
        assert deal is not None
        deal.closed_at = datetime.now(UTC) - timedelta(minutes=5)
    mate_id = await make_user(sessionmaker, OTHER, full_name="Сидорова Анна")
    fourth = await make_contact(
        sessionmaker, mate_id, name="Орлова Вера", phone="+79045556677", email="orlova@yandex.ru"
    )
    mate = await convertible_lead(sessionmaker, telegram_id=OTHER, contact_id=fourth)
    await insert_deal(sessionmaker, mate, amount_minor=100_000_000)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead", full_name="Иванова Ирина")
    await make_user(sessionmaker, STRANGER_LEAD, role="team_lead", team="Продажи Юг", full_name="Юг Лид")
    return mate_id


async def _funnel_this_month(user: TgUser) -> list[str]:
    replies = await user.send("/report")
    assert t("report-ask-kind") in replies[-1]
    await user.click(tp("report-name-funnel"))
    return await user.click(tp("report-period-month"))


async def test_a_manager_gets_their_own_funnel_with_a_chart_and_excel(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _world(sessionmaker)
    manager = harness.user(MANAGER)
    replies = await _funnel_this_month(manager)  # one scope: no scope step
    text = replies[-1]
    assert tp("report-scope-me") in text
    assert t("report-funnel-open-total", deals=2, amount="240\u00a0000\u00a0₽") in text
    assert "Выиграно: 1 на 50\u00a0000\u00a0₽" in text and "100%" in text
    assert "1\u00a0000\u00a0000" not in text  # the teammate's deal is not the manager's (R1c)
    photos = harness.calls(SendPhoto)
    assert len(photos) == 1 and photos[0].chat_id == MANAGER
    await manager.click(tp("report-btn-excel"))
    [document] = harness.calls(SendDocument)
    book = load_workbook(io.BytesIO(document.document.data))
    sheet = book.active
    assert sheet is not None and sheet.freeze_panes == "A2"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert sum(int(row[1] or 0) for row in rows) == 2
    assert sum(float(row[2] or 0) for row in rows) == 240_000


async def test_a_team_lead_picks_the_team_or_a_member_and_a_forged_scope_shows_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mate_id = await _world(sessionmaker)
    lead = harness.user(TEAM_LEAD)
    replies = await _funnel_this_month(lead)
    assert t("report-ask-scope") in replies[-1]
    labels = lead.buttons()
    assert any("Продажи Север" in label for label in labels)
    assert any("Сидорова Анна" in label for label in labels) and tp("report-scope-me") in labels
    text = (await lead.click("Сидорова Анна"))[-1]
    assert t("report-funnel-open-total", deals=1, amount="1\u00a0000\u00a0000\u00a0₽") in text
    team = (await lead.click(tp("report-btn-scope")))[-1]
    assert t("report-ask-scope") in team
    text = (await lead.click("Продажи Север"))[-1]
    assert t("report-funnel-open-total", deals=3, amount="1\u00a0240\u00a0000\u00a0₽") in text

    # Another team's lead forges their own scope button to point at Anna (R1c): refused, nothing built.
    stranger = harness.user(STRANGER_LEAD)
    await _funnel_this_month(stranger)
    own = _data_of(stranger, "Продажи Юг")
    photos = len(harness.calls(SendPhoto))
    replies = await stranger.press(own[: own.rindex("t:")] + f"u:{mate_id}")
    assert tp("access-denied") in " ".join(replies)
    assert len(harness.calls(SendPhoto)) == photos
    assert "1\u00a0000\u00a0000" not in " ".join(stranger.replies())


async def test_a_custom_period_from_two_calendar_days_and_a_future_day_refused(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _world(sessionmaker)
    manager = harness.user(MANAGER)
    await manager.send("/report")
    await manager.click(tp("report-name-funnel"))
    replies = await manager.click(tp("report-period-custom"))
    assert t("report-ask-first-day") in replies[-1]
    today = datetime.now(ZoneInfo("Europe/Moscow")).date()  # the calendar is on the reader's clock
    if today.day < 28:
        refused = await manager.press(_data_of(manager, f"{today.day + 1:02d}", exact=True))
        assert t("report-err-day-future") in refused[-1]
    replies = await manager.click(f"[ {today:%d} ]")
    assert t("report-ask-last-day", first=f"{today:%d.%m.%Y}") in replies[-1]
    replies = await manager.click(f"[ {today:%d} ]")
    assert f"{today:%d.%m.%Y} – {today:%d.%m.%Y}" in replies[-1]
    assert "Выиграно: 1" in replies[-1]


async def test_typed_text_asks_for_a_button(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _world(sessionmaker)
    manager = harness.user(MANAGER)
    await manager.send("/report")
    replies = await manager.send("воронка")
    assert t("report-use-buttons") in replies[-1]
    assert not harness.calls(SendPhoto)


def _data_of(user: TgUser, label: str, *, exact: bool = False) -> str:
    from aiogram.types import InlineKeyboardMarkup

    for message in reversed(user.harness.messages_to(user.telegram_id)):
        if isinstance(message.reply_markup, InlineKeyboardMarkup):
            for row in message.reply_markup.inline_keyboard:
                for button in row:
                    matches = label == button.text if exact else label in button.text
                    if matches and button.callback_data:
                        return button.callback_data
    raise AssertionError(label)


async def test_stage_to_stage_conversion_from_the_stage_history(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Of the deals created this month: one moved through three stages, one stayed on the first, one was won
    (it reached every stage); so the first two stages convert 3 → 2 and the next 2 → 2."""
    await _world(sessionmaker)
    async with writing(sessionmaker) as session:
        stages = list(
            await session.scalars(select(Stage).where(Stage.kind == "open").order_by(Stage.position))
        )
        mine = list(
            await session.scalars(
                select(Deal)
                .join(User, User.id == Deal.responsible_id)
                .where(User.telegram_id == MANAGER)
                .order_by(Deal.id)
            )
        )
        now = datetime.now(UTC) - timedelta(minutes=30)
        moved, stayed, won = mine
        for index, stage in enumerate(stages[:3]):
            session.add(
                DealStageSpan(
                    deal_id=moved.id, stage_id=stage.id, entered_at=now, left_at=None if index == 2 else now
                )
            )
        session.add(DealStageSpan(deal_id=stayed.id, stage_id=stages[0].id, entered_at=now))
        session.add(DealStageSpan(deal_id=won.id, stage_id=stages[0].id, entered_at=now, left_at=now))
    manager = harness.user(MANAGER)
    text = (await _funnel_this_month(manager))[-1]
    first, second, third = (display_name(stage, "ru") for stage in stages[:3])
    assert t("report-funnel-step", first=first, second=second, share="67%", reached=2, of=3) in text
    assert t("report-funnel-step", first=second, second=third, share="100%", reached=2, of=2) in text

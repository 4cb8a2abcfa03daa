"""«👤 Менеджеры» (seed 001: each manager's effectiveness): per manager the interactions and the qualifying
share (R1d), leads created / converted / refused, deals won and lost with sums, open pipeline, overdue tasks;
sorted by the won sum; a manager sees only their own row (R1c)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from aiogram.methods import SendDocument, SendPhoto
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import writing
from db.models import Deal, Lead, Task
from tests.factories import make_contact, make_interaction, make_lead, make_user
from tests.flows.deals.helpers import MANAGER, OTHER, TEAM_LEAD, convertible_lead, insert_deal
from tests.harness import Harness, TgUser, t, tp

STRANGER_LEAD = 504
NBSP = "\u00a0"


async def _closed_now(sessionmaker: async_sessionmaker[AsyncSession], deal_id: int) -> None:
    async with writing(sessionmaker) as session:
        deal = await session.get(Deal, deal_id)
        assert deal is not None
        deal.closed_at = datetime.now(UTC) - timedelta(minutes=5)


async def _world(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Иван Петров: 3 interactions (2 qualifying), 3 leads (2 converted, 1 rejected), one deal won for
    50 000 ₽ and one open for 150 000 ₽, one overdue task (a done one and a future one do not count).
    Сидорова Анна (same team): 1 qualifying interaction, 1 lead converted, one deal lost for 1 000 000 ₽.
    Ирина Иванова leads the team; «Юг Лид» leads another team and has a lost deal of 7 000 ₽."""
    mine = await convertible_lead(sessionmaker, full_name="Иван Петров")
    await insert_deal(sessionmaker, mine)  # open, 150 000 ₽
    second = await convertible_lead(sessionmaker, other_contact=True)
    await _closed_now(
        sessionmaker, await insert_deal(sessionmaker, second, amount_minor=5_000_000, status="won")
    )
    await make_interaction(sessionmaker, mine.manager_id, lead_id=mine.lead_id, qualifying=False)
    third = await make_contact(
        sessionmaker, mine.manager_id, name="Кузнецов Олег", phone="+79031112233", email="kuz@yandex.ru"
    )
    refused = await make_lead(sessionmaker, third, mine.manager_id)
    now = datetime.now(UTC)
    async with writing(sessionmaker) as session:
        lead = await session.get(Lead, refused)
        assert lead is not None
        lead.status = "rejected"
        for due, done in (
            (now - timedelta(hours=1), None),
            (now - timedelta(hours=2), now),
            (now + timedelta(days=1), None),
        ):
            session.add(
                Task(
                    title="Позвонить",
                    due_at=due,
                    done_at=done,
                    assignee_id=mine.manager_id,
                    created_by_id=mine.manager_id,
                )
            )
    mate_id = await make_user(sessionmaker, OTHER, full_name="Сидорова Анна")
    fourth = await make_contact(
        sessionmaker, mate_id, name="Орлова Вера", phone="+79045556677", email="orlova@yandex.ru"
    )
    mate = await convertible_lead(sessionmaker, telegram_id=OTHER, contact_id=fourth)
    await _closed_now(
        sessionmaker, await insert_deal(sessionmaker, mate, amount_minor=100_000_000, status="lost")
    )
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead", full_name="Ирина Иванова")
    await make_user(sessionmaker, STRANGER_LEAD, role="team_lead", team="Продажи Юг", full_name="Юг Лид")
    fifth = await make_contact(
        sessionmaker, mate_id, name="Зайцев Юрий", phone="+79058887766", email="zaytsev@yandex.ru"
    )
    south = await convertible_lead(sessionmaker, telegram_id=STRANGER_LEAD, contact_id=fifth)
    await _closed_now(
        sessionmaker, await insert_deal(sessionmaker, south, amount_minor=700_000, status="lost")
    )


async def _managers_this_month(user: TgUser) -> list[str]:
    await user.send("/report")
    await user.click(tp("report-name-managers"))
    return await user.click(tp("report-period-month"))


def _row(name: str, **figures: object) -> str:
    values: dict[str, object] = {
        "interactions": 0, "qualifying": 0, "qualifying_share": "—", "leads": 0, "converted": 0, "refused": 0,
        "won": 0, "won_amount": f"0{NBSP}₽", "lost": 0, "lost_amount": f"0{NBSP}₽", "open": 0,
        "open_amount": f"0{NBSP}₽", "overdue": 0,
    }  # fmt: skip
    return t("report-managers-row", name=name, **{**values, **figures})


PETROV = _row(
    "Иван Петров", interactions=3, qualifying=2, qualifying_share="67%", leads=3, converted=2, refused=1,
    won=1, won_amount=f"50{NBSP}000{NBSP}₽", open=1, open_amount=f"150{NBSP}000{NBSP}₽", overdue=1,
)  # fmt: skip
SIDOROVA = _row(
    "Сидорова Анна", interactions=1, qualifying=1, qualifying_share="100%", leads=1, converted=1, lost=1,
    lost_amount=f"1{NBSP}000{NBSP}000{NBSP}₽",
)  # fmt: skip


async def test_a_manager_sees_only_their_own_figures_exactly(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """R1c: a manager's report holds their own row, every figure exact; never a teammate's. (Names are
    the Telegram profile names, which the bot keeps up to date.)"""
    await _world(sessionmaker)
    manager = harness.user(MANAGER)
    text = (await _managers_this_month(manager))[-1]
    assert PETROV.strip() in text
    assert "Сидорова" not in text and "1" + NBSP + "000" + NBSP + "000" not in text
    [photo] = harness.calls(SendPhoto)
    assert photo.chat_id == MANAGER
    await manager.click(tp("report-btn-excel"))
    [document] = harness.calls(SendDocument)
    sheet = load_workbook(io.BytesIO(document.document.data)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows == [["Иван Петров", 3, 2, 2 / 3, 3, 2, 1, 1, 50_000, 0, 0, 1, 150_000, 1]]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert header[0] == tp("report-col-manager") and header[-1] == tp("report-col-overdue-tasks")


async def test_a_team_lead_sees_the_team_sorted_by_won_sum_and_not_another_team(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """The team's managers by the won sum (then by name); the other team's lost deal is not there (R1c)."""
    await _world(sessionmaker)
    lead = harness.user(TEAM_LEAD, first_name="Ирина", last_name="Иванова")
    await _managers_this_month(lead)
    text = (await lead.click("Продажи Север"))[-1]
    assert PETROV.strip() in text and SIDOROVA.strip() in text
    assert text.index("Иван Петров") < text.index("Ирина Иванова") < text.index("Сидорова Анна")
    assert "Юг Лид" not in text and "7" + NBSP + "000" not in text
    await lead.click(tp("report-btn-excel"))
    [document] = harness.calls(SendDocument)
    sheet = load_workbook(io.BytesIO(document.document.data)).active
    assert sheet is not None
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["Иван Петров", "Ирина Иванова", "Сидорова Анна"]
    lost = {row[0].value: row[10].value for row in sheet.iter_rows(min_row=2)}
    assert lost["Сидорова Анна"] == 1_000_000


async def test_the_stranger_lead_sees_only_their_team(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """R1c: another team's lead gets their own team's row (a lost deal of 7 000 ₽), no one of ours."""
    await _world(sessionmaker)
    stranger = harness.user(STRANGER_LEAD, first_name="Юг", last_name="Лид")
    await _managers_this_month(stranger)
    text = (await stranger.click("Продажи Юг"))[-1]
    assert "Юг Лид" in text and f"проиграно: 1 на 7{NBSP}000{NBSP}₽" in text
    assert "Петров" not in text and "Сидорова" not in text

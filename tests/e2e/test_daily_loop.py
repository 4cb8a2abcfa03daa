"""The whole daily loop through the real ``python -m bot`` process and the HTTP fake Bot API server.

An admin invites a manager; the manager creates a contact, a lead on it, logs a qualifying call (with a
``kill -9`` and a restart while the bot waits for «О чём говорили?»; saved from the summary), turns the lead
into a deal, edits the deal's comment and line and reads the edit in the deal's timeline with the call's
comment, sets a task and moves it to tomorrow from the plan's week, moves the deal to the next stage and marks
it won. At the end the SQLite file is read directly (read-only).
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import pytest

from tests.conftest import ADMIN_ID
from tests.e2e.conftest import BotProcess, wait_until
from tests.fakeapi.server import FakeTelegram
from tests.harness import BOT_USERNAME, first_line, t, tp

pytestmark = pytest.mark.e2e

MANAGER_ID = 777_201
LINK_PREFIX = f"https://t.me/{BOT_USERNAME}?start="
TIMEOUT = 20.0

CONTACT_NAME = "Сидоров Пётр Андреевич"
LEAD_DESCRIPTION = "Нужны 5 сканеров штрихкодов для склада, запуск в следующем месяце"
DISCUSSED = "Обсудили потребность склада в 5 сканерах и сроки поставки"
AGREED = "Договорились отправить коммерческое предложение до пятницы"
NEW_COMMENT = "Клиент согласовал бюджет на два сканера, ждём подписанный договор до конца недели"
TASK_TITLE = "Позвонить и уточнить дату подписания договора"


def _last_seq(tg: FakeTelegram) -> int:
    return tg.calls[-1].seq if tg.calls else 0


async def shown(tg: FakeTelegram, expect: str, since: int, user_id: int = MANAGER_ID) -> str:
    """Wait for a message sent, or a dialog window edited in place, in the chat after call ``since`` whose
    text contains ``expect``; its text."""
    found: list[str] = []

    def seen() -> bool:
        for call in tg.calls:
            text = str(call.params.get("text") or "")
            if (
                call.seq > since
                and call.ok
                and call.method in ("sendMessage", "editMessageText")
                and call.params.get("chat_id") == user_id
                and expect in text
            ):
                found.append(text)
                return True
        return False

    await wait_until(seen, TIMEOUT, f"a window with {expect!r}")
    return found[0]


async def say(tg: FakeTelegram, text: str, expect: str) -> str:
    """The manager types ``text``; wait for the bot's window containing ``expect``."""
    since = _last_seq(tg)
    tg.inject_message(MANAGER_ID, text, first_name="Анна", last_name="Смирнова")
    return await shown(tg, expect, since)


async def press(tg: FakeTelegram, label: str, expect: str, user_id: int = MANAGER_ID) -> str:
    """Press the inline button containing ``label``; wait for the window containing ``expect``; its text."""
    since = _last_seq(tg)
    tg.press_button(user_id, label)
    return await shown(tg, expect, since, user_id)


async def invite_manager(tg: FakeTelegram) -> None:
    """The admin makes a manager invite into a new team; the manager joins with the deep link."""
    tg.inject_message(ADMIN_ID, "/invite", first_name="Админ")
    await shown(tg, first_line("invite-pick-role"), 0, ADMIN_ID)
    await press(tg, tp("role-manager"), "В какую команду", ADMIN_ID)
    await press(tg, tp("invite-new-team"), first_line("invite-ask-team-name"), ADMIN_ID)
    since = _last_seq(tg)
    tg.inject_message(ADMIN_ID, "Продажи Урал")
    text = await shown(tg, LINK_PREFIX, since, ADMIN_ID)
    match = re.search(re.escape(LINK_PREFIX) + r"(\S+)", text)
    assert match, text
    await say(tg, f"/start {match.group(1)}", "Добро пожаловать, Анна Смирнова")


def read_db(bot: BotProcess, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{bot.db_path}?mode=ro", uri=True) as conn:
        return list(conn.execute(sql, params))


async def test_manager_daily_loop_survives_kill_9_mid_log(bot: BotProcess, tg: FakeTelegram) -> None:
    await invite_manager(tg)

    # 1. A contact: typed answers, position and client skipped; saving shows the contact's card.
    await say(tg, "/new_contact", first_line("contact-ask-name"))
    await say(tg, CONTACT_NAME, first_line("contact-ask-phone"))
    await say(tg, "8 912 345-67-89", first_line("contact-ask-birth_date"))
    await say(tg, "25.03.1985", first_line("contact-ask-email"))
    await say(tg, "sidorov@mail.ru", first_line("contact-ask-position"))
    await press(tg, tp("btn-skip"), first_line("contact-ask-client"))
    summary = await press(tg, tp("btn-skip"), "<b>Проверьте данные контакта</b>")
    assert CONTACT_NAME in summary and "25.03.1985" in summary
    await press(tg, tp("btn-save"), t("contact-saved-title"))

    # 2. A lead on it, found by typing the name at the contact step.
    await say(tg, "/new_lead", first_line("lead-ask-contact"))
    await say(tg, "Сидоров", "Для какого контакта")
    await press(tg, "Сидоров Пётр", "Откуда пришёл лид")
    await press(tg, "Сайт", "группа продуктов")
    await press(tg, "Оборудование", "Опишите запрос клиента")
    await say(tg, LEAD_DESCRIPTION, LEAD_DESCRIPTION[:20])
    await press(tg, tp("btn-save"), "Контактов с клиентом: 0")

    # 3. /log a qualifying call, with kill -9 and a restart while the bot waits for «О чём говорили?».
    await say(tg, "/log", "Выберите лид")
    await press(tg, "Сидоров Пётр", first_line("interaction-ask-kind"))
    since = _last_seq(tg)
    reached = tg.press_button(MANAGER_ID, tp("interaction-choice-call-reached"))
    await shown(tg, first_line("interaction-ask-discussed"), since)
    await bot.wait_acknowledged(reached)
    killed = await bot.kill9()
    assert killed.returncode == -9
    await bot.restart()

    await say(tg, DISCUSSED, first_line("interaction-ask-agreed"))
    summary_text = await say(tg, AGREED, "результативный")
    assert DISCUSSED in summary_text and AGREED in summary_text
    await press(tg, tp("btn-save"), "Записано")
    await press(tg, "Открыть лид", "Контактов с клиентом: 1")
    # The question was asked once, despite the restart.
    asked = first_line("interaction-ask-discussed")
    windows = [
        str(c.params.get("text") or "")
        for c in tg.calls
        if c.ok and c.method in ("sendMessage", "editMessageText") and c.params.get("chat_id") == MANAGER_ID
    ]
    assert sum(asked in text for text in windows) == 1

    # 4. The lead becomes a deal: the product group, the first stage and the call's comment come pre-filled.
    await say(tg, "/new_deal", "Сделка из лида")
    await press(tg, "Сидоров", "Выберите товар")
    await press(tg, "Сканер штрихкодов", "Введите сумму")
    await say(tg, "150 000", "Проверьте сделку")
    card = await press(tg, tp("btn-save"), t("deal-saved-title"))
    assert "Сделка №" in card and CONTACT_NAME in card
    assert "150 000" in card.replace("\u00a0", " ")

    # 5. The deal is edited: its comment (R3 checked again) and its line, typed as quantity × price.
    await press(tg, tp("deal-btn-edit"), "Что изменить в сделке")
    await press(tg, tp("deal-btn-edit-comment"), first_line("deal-ask-comment"))
    await say(tg, NEW_COMMENT, t("deal-comment-changed"))
    await press(tg, tp("deal-btn-edit"), "Что изменить в сделке")
    await press(tg, "Сканер штрихкодов", "Изменить сумму этого товара")
    await press(tg, tp("deal-btn-line-amount"), "Введите сумму")
    card = await say(tg, "2 × 90 000", t("deal-line-changed"))
    assert "180 000" in card.replace("\u00a0", " ")

    # 6. The deal's timeline: the edit, and the call made on its lead with both comment parts in full.
    timeline = await press(tg, tp("records-btn-history"), DISCUSSED)
    assert AGREED in timeline and t("records-action-edited") in timeline
    await press(tg, tp("records-btn-to-card"), "Сделка №")

    # 7. A task on the deal, moved to tomorrow from the plan, is found in «Неделя».
    await press(tg, tp("deal-btn-task"), "что нужно сделать")
    await say(tg, TASK_TITLE, first_line("due-ask-task"))
    await say(tg, "послезавтра 10:00", TASK_TITLE)
    await press(tg, tp("btn-save"), t("task-added", title=TASK_TITLE, due="").split(" на ")[0])
    await say(tg, "/today", "План на")
    await press(tg, tp("today-tab-week"), "Неделя:")
    await press(tg, tp("today-btn-resched", n=1), first_line("due-ask-task"))
    week = await say(tg, "завтра 11:00", f"11:00 — {TASK_TITLE}")  # still the week, under tomorrow
    assert week.index(t("today-week-title", start="", end="").split(":")[0]) < week.index(
        f"11:00 — {TASK_TITLE}"
    )
    await press(tg, tp("today-btn-open", n=1), "Сделка №")  # the task's deal, opened from the plan

    # 8. From the card: the next stage, then won (confirmed).
    await press(tg, tp("deal-btn-stage"), "Выберите новый этап")
    await press(tg, "Квалификация", "Этап: Квалификация")
    await press(tg, tp("deal-btn-won"), "выигранной")
    won_card = await press(tg, tp("deal-btn-won-confirm"), t("deal-won-saved"))
    assert "Выиграна" in won_card and "Закрыта:" in won_card  # the won stage is checked in the database below

    # 9. What the database holds.
    [(manager_user_id, role)] = read_db(bot, "SELECT id, role FROM users WHERE telegram_id = ?", MANAGER_ID)
    assert role == "manager"
    [(contact_id, phone, birth, email, responsible)] = read_db(
        bot, "SELECT id, phone, birth_date, email, responsible_id FROM contacts"
    )
    assert (phone, str(birth), email, responsible) == (
        "+79123456789",
        "1985-03-25",
        "sidorov@mail.ru",
        manager_user_id,
    )
    [(lead_id, lead_contact, lead_status, lead_responsible)] = read_db(
        bot, "SELECT id, contact_id, status, responsible_id FROM leads"
    )
    assert (lead_contact, lead_status, lead_responsible) == (contact_id, "converted", manager_user_id)
    [(qualifying, kind, outcome, discussed, agreed, i_lead)] = read_db(
        bot, "SELECT qualifying, kind, outcome, discussed, agreed, lead_id FROM interactions"
    )
    assert (qualifying, kind, outcome, discussed, agreed, i_lead) == (
        1,
        "call",
        "reached",
        DISCUSSED,
        AGREED,
        lead_id,
    )
    [(deal_id, deal_status, stage_code, stage_kind, comment, d_lead, closed_at)] = read_db(
        bot,
        "SELECT d.id, d.status, s.code, s.kind, d.comment, d.lead_id, d.closed_at"
        " FROM deals d JOIN stages s ON s.id = d.stage_id",
    )
    assert (deal_status, stage_code, stage_kind) == ("won", "won", "won")
    assert comment == NEW_COMMENT  # the call's comment was offered at the save, then edited
    assert d_lead == lead_id and closed_at is not None
    assert read_db(bot, "SELECT deal_id, amount_minor FROM deal_lines") == [(deal_id, 18_000_000)]
    assert bot.runs == 2
    bot.assert_no_tracebacks()

"""The whole daily loop through the real ``python -m bot`` process and the HTTP fake Bot API server.

An admin invites a manager; the manager creates a contact, a lead on it, logs a qualifying call (with a
``kill -9`` and a restart while the bot waits for «О чём говорили?»; saved from the summary), turns the lead
into a deal, moves the deal to the next stage and marks it won. At the end the SQLite file is read directly
(read-only).
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import pytest

from tests.conftest import ADMIN_ID
from tests.e2e.conftest import BotProcess
from tests.fakeapi.server import Call, FakeTelegram
from tests.harness import BOT_USERNAME

pytestmark = pytest.mark.e2e

MANAGER_ID = 777_201
LINK_PREFIX = f"https://t.me/{BOT_USERNAME}?start="
TIMEOUT = 20.0

CONTACT_NAME = "Сидоров Пётр Андреевич"
LEAD_DESCRIPTION = "Нужны 5 сканеров штрихкодов для склада, запуск в следующем месяце"
DISCUSSED = "Обсудили потребность склада в 5 сканерах и сроки поставки"
AGREED = "Договорились отправить коммерческое предложение до пятницы"
DEAL_COMMENT = "Клиенту нужны 5 сканеров, ждём согласования бюджета до конца месяца"


async def say(tg: FakeTelegram, text: str, expect: str) -> Call:
    """The manager types ``text``; wait for the bot's message containing ``expect``."""
    tg.inject_message(MANAGER_ID, text, first_name="Анна", last_name="Смирнова")
    return await tg.wait_for_message(MANAGER_ID, contains=expect, timeout=TIMEOUT)


async def press(tg: FakeTelegram, label: str, expect: str, user_id: int = MANAGER_ID) -> dict[str, Any]:
    """Press the inline button containing ``label``; wait for the bot's message containing ``expect``.

    Returns the press's update (for ``wait_acknowledged``).
    """
    update = tg.press_button(user_id, label)
    await tg.wait_for_message(user_id, contains=expect, timeout=TIMEOUT)
    return update


async def invite_manager(tg: FakeTelegram) -> None:
    """The admin makes a manager invite into a new team; the manager joins with the deep link."""
    tg.inject_message(ADMIN_ID, "/invite", first_name="Админ")
    await tg.wait_for_message(ADMIN_ID, contains="Кого приглашаем", timeout=TIMEOUT)
    tg.press_button(ADMIN_ID, "Менеджер")
    await tg.wait_for(
        "editMessageText", lambda c: c.ok and "В какую команду" in (c.text or ""), timeout=TIMEOUT
    )
    tg.press_button(ADMIN_ID, "Новая команда")
    await tg.wait_for_message(ADMIN_ID, contains="Напишите название новой команды", timeout=TIMEOUT)
    tg.inject_message(ADMIN_ID, "Продажи Урал")
    call = await tg.wait_for_message(ADMIN_ID, contains=LINK_PREFIX, timeout=TIMEOUT)
    match = re.search(re.escape(LINK_PREFIX) + r"(\S+)", str(call.result["text"]))
    assert match, call.result
    await say(tg, f"/start {match.group(1)}", "Добро пожаловать, Анна Смирнова")


def read_db(bot: BotProcess, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{bot.db_path}?mode=ro", uri=True) as conn:
        return list(conn.execute(sql, params))


async def test_manager_daily_loop_survives_kill_9_mid_log(bot: BotProcess, tg: FakeTelegram) -> None:
    await invite_manager(tg)

    # 1. A contact: typed answers, position and client skipped.
    await say(tg, "/new_contact", "Введите ФИО полностью")
    await say(tg, CONTACT_NAME, "Введите мобильный телефон")
    await say(tg, "8 912 345-67-89", "Введите дату рождения")
    await say(tg, "25.03.1985", "Введите личный e-mail")
    await say(tg, "sidorov@mail.ru", "Должность контакта")
    await press(tg, "Пропустить", "Клиент (организация)")
    await press(tg, "Пропустить", "Проверьте данные контакта")
    summary = tg.last_message(MANAGER_ID)
    assert summary is not None and CONTACT_NAME in summary["text"] and "25.03.1985" in summary["text"]
    await press(tg, "Сохранить", "Контакт сохранён")

    # 2. A lead on it, found by search.
    await say(tg, "/new_lead", "Для какого контакта")
    await press(tg, "Найти", "ФИО или телефона")
    await say(tg, "Сидоров", "Выберите контакт")
    await press(tg, "Сидоров Пётр", "Откуда пришёл лид")
    await press(tg, "Сайт", "группа продуктов")
    await press(tg, "Оборудование", "Опишите запрос")
    await say(tg, LEAD_DESCRIPTION, "Проверьте лид")
    await press(tg, "Сохранить", "Контактов с клиентом: 0")

    # 3. /log a qualifying call, with kill -9 and a restart while the bot waits for «О чём говорили?».
    await say(tg, "/log", "По чему записываем")
    await press(tg, "Мои открытые лиды", "Выберите лид")
    await press(tg, "Сидоров Пётр", "Что это было")
    await press(tg, "Звонок", "чем закончилось")
    reached = await press(tg, "Дозвонился", "О чём говорили")
    await bot.wait_acknowledged(reached)
    killed = await bot.kill9()
    assert killed.returncode == -9
    await bot.restart()

    await say(tg, DISCUSSED, "О чём договорились")
    await say(tg, AGREED, "Когда следующий шаг")
    await press(tg, "Пропустить", "Проверьте запись контакта")
    summary = tg.last_message(MANAGER_ID)
    assert summary is not None and DISCUSSED in summary["text"] and AGREED in summary["text"]
    await press(tg, "Сохранить", "результативный контакт")
    await tg.wait_for_message(MANAGER_ID, contains="Контактов с клиентом: 1", timeout=TIMEOUT)
    # The question was asked once, despite the restart (the summary has «О чём говорили:», no «?»).
    assert sum("О чём говорили?" in m["text"] for m in tg.sent_messages(MANAGER_ID)) == 1

    # 4. The lead becomes a deal.
    await say(tg, "/new_deal", "Шаг 1")
    await press(tg, "Сидоров", "Шаг 2")
    await press(tg, "Оборудование", "Шаг 3")
    await press(tg, "Сканер штрихкодов", "Введите сумму")
    await say(tg, "150 000", "Добавить ещё товар")
    await press(tg, "Готово", "Шаг 4")
    await press(tg, "Пропустить", "Шаг 5")
    await say(tg, DEAL_COMMENT, "Проверьте сделку")
    await press(tg, "Сохранить", "Этап: Выявление потребности")
    card = tg.last_message(MANAGER_ID)
    assert card is not None and "Сделка №" in card["text"] and CONTACT_NAME in card["text"]
    assert "150 000" in card["text"].replace("\u00a0", " ")

    # 5. From the card: the next stage, then won.
    await press(tg, "Сменить этап", "Выберите новый этап")
    await press(tg, "Квалификация", "Этап: Квалификация")
    await press(tg, "Выиграна", "Отметить сделку")
    await press(tg, "Да, выиграна", "Поздравляем")
    won_card = await tg.wait_for_message(MANAGER_ID, contains="Закрыта:", timeout=TIMEOUT)
    assert "Выиграна" in won_card.params["text"] and "Этап: Успешно реализовано" in won_card.params["text"]

    # 6. What the database holds.
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
    assert (comment, d_lead) == (DEAL_COMMENT, lead_id) and closed_at is not None
    assert read_db(bot, "SELECT deal_id, amount_minor FROM deal_lines") == [(deal_id, 15_000_000)]
    assert bot.runs == 2
    bot.assert_no_tracebacks()

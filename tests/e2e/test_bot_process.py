"""The real ``python -m bot`` process: menu, access, invites, a form surviving ``kill -9``, clean SIGTERM."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import ADMIN_ID
from tests.e2e.conftest import BotProcess
from tests.fakeapi.server import FakeTelegram
from tests.harness import BOT_USERNAME, TOKEN

pytestmark = pytest.mark.e2e

LINK_PREFIX = f"https://t.me/{BOT_USERNAME}?start="
TEAM_PROMPT = "Напишите название новой команды"


def reply_keyboard(params: dict[str, object]) -> list[str]:
    markup = params.get("reply_markup")
    assert isinstance(markup, dict), f"no reply keyboard in {params!r}"
    return [b if isinstance(b, str) else b["text"] for row in markup.get("keyboard", []) for b in row]


async def start_invite(tg: FakeTelegram, role: str = "Менеджер") -> dict[str, Any]:
    """The admin opens /invite, picks ``role``, presses «➕ Новая команда»; returns that press's update."""
    tg.inject_message(ADMIN_ID, "/invite", first_name="Админ")
    await tg.wait_for_message(ADMIN_ID, contains="Кого приглашаем")
    tg.press_button(ADMIN_ID, role)
    await tg.wait_for("editMessageText", lambda c: c.ok and "В какую команду" in (c.text or ""))
    return tg.press_button(ADMIN_ID, "Новая команда")


async def finish_invite(tg: FakeTelegram, team: str) -> str:
    """The admin types the team name; returns the invite code from the deep link."""
    tg.inject_message(ADMIN_ID, team)
    call = await tg.wait_for_message(ADMIN_ID, contains=LINK_PREFIX, timeout=15)
    match = re.search(re.escape(LINK_PREFIX) + r"(\S+)", str(call.result["text"]))
    assert match, call.result
    assert team in str(call.result["text"])
    return match.group(1)


async def test_admin_start_gets_the_main_menu(bot: BotProcess, tg: FakeTelegram) -> None:
    tg.inject_message(ADMIN_ID, "/start", first_name="Админ")
    call = await tg.wait_for_message(ADMIN_ID, contains="Главное меню", timeout=15)
    assert "👤 Новый контакт" in reply_keyboard(call.params)
    bot.assert_no_tracebacks()


async def test_stranger_is_refused_with_their_id(bot: BotProcess, tg: FakeTelegram) -> None:
    tg.inject_message(555_001, "/start", first_name="Чужой")
    call = await tg.wait_for_message(555_001, contains="закрытый", timeout=15)
    assert "<code>555001</code>" in call.params["text"]
    tg.inject_message(555_001, "Привет")
    await tg.wait_for_message(555_001, contains="<code>555001</code>", timeout=15)
    assert all("закрытый" in m["text"] for m in tg.sent_messages(555_001))
    bot.assert_no_tracebacks()


async def test_invite_works_once_then_never_again(bot: BotProcess, tg: FakeTelegram) -> None:
    await start_invite(tg)
    await tg.wait_for_message(ADMIN_ID, contains=TEAM_PROMPT)
    code = await finish_invite(tg, "Продажи Север")

    tg.inject_message(777_001, f"/start {code}", first_name="Анна", last_name="Смирнова")
    call = await tg.wait_for_message(777_001, contains="Добро пожаловать, Анна Смирнова", timeout=15)
    assert "Продажи Север" in call.params["text"]
    assert "📅 План на день" in reply_keyboard(call.params)

    tg.inject_message(777_002, f"/start {code}", first_name="Борис")
    call = await tg.wait_for_message(777_002, contains="недействительна", timeout=15)
    assert "777002" in call.params["text"]
    # The second person is still a stranger.
    tg.inject_message(777_002, "/menu")
    await tg.wait_for_message(777_002, contains="закрытый", timeout=15)
    bot.assert_no_tracebacks()


async def test_form_continues_after_kill_9_and_restart(bot: BotProcess, tg: FakeTelegram) -> None:
    pressed = await start_invite(tg)
    # The prompt is sent after the state was committed; once the press is acknowledged, the server will not
    # deliver it again, so the new process can only continue from the database.
    await tg.wait_for_message(ADMIN_ID, contains=TEAM_PROMPT, timeout=15)
    await bot.wait_acknowledged(pressed)

    killed = await bot.kill9()
    assert killed.returncode == -9
    await bot.restart()

    code = await finish_invite(tg, "Продажи Юг")
    assert sum(TEAM_PROMPT in m["text"] for m in tg.sent_messages(ADMIN_ID)) == 1
    # The link really works in the new process.
    tg.inject_message(777_003, f"/start {code}", first_name="Вера")
    await tg.wait_for_message(777_003, contains="Добро пожаловать, Вера", timeout=15)
    bot.assert_no_tracebacks()


async def test_sigterm_exits_cleanly_during_a_long_poll(bot_process: BotProcess, tg: FakeTelegram) -> None:
    # DEBUG: the most verbose logs must still carry no token and no personal data.
    bot_process.extra_env["LOG_LEVEL"] = "DEBUG"
    await bot_process.start()
    phone = "+7 912 345-67-89"
    tg.inject_message(ADMIN_ID, "/start", first_name="Админ")
    await tg.wait_for_message(ADMIN_ID, contains="Главное меню", timeout=15)
    tg.inject_message(ADMIN_ID, f"Мой телефон {phone}, почта ivan@example.com")
    await tg.wait_for("sendMessage", lambda c: c.ok and c.params.get("chat_id") == ADMIN_ID, timeout=15)
    tg.inject_message(555_009, f"Позвоните мне: {phone}", first_name="Чужой")
    await tg.wait_for_message(555_009, contains="закрытый", timeout=15)

    poll = await bot_process.wait_polling(min_age=0.5)
    assert poll.pending and float(poll.params["timeout"]) >= 10

    stopped = await bot_process.terminate(timeout=30)
    assert stopped.returncode == 0, bot_process.describe()
    assert stopped.seconds < 10, f"SIGTERM took {stopped.seconds:.1f}s"

    log = bot_process.output()
    assert "bot stopped" in log
    secret = TOKEN.split(":", 1)[1]
    assert TOKEN not in log and secret not in log
    digits_only = re.sub(r"\D", "", phone)
    for line in log.splitlines():
        assert phone not in line, line
        assert digits_only[1:] not in re.sub(r"\D", "", line), line
        assert re.search(r"\+\d[\d\s()-]{8,}\d", line) is None, line
    assert "ivan@example.com" not in log
    bot_process.assert_no_tracebacks()

"""The real ``python -m bot`` process when the Bot API is not there, or refuses the token, and with no admins.

- unreachable (a closed port): one log line per try, ``Telegram Bot API unreachable (ClientConnectorError);
  retry in 1 s``, then 2 s, …; no traceback; once the server is up, the bot starts polling and answers;
- 5xx answers to ``getUpdates`` while polling: the same line, and polling goes on;
- 401 at ``getMe``, at ``deleteWebhook``, for a revoked token, or while polling: one line,
  ``error: Telegram rejected BOT_TOKEN (401 Unauthorized): …``, a non-zero exit, no traceback;
- no ``ADMIN_IDS``: the bot runs, says at startup how to find one's id, and a stranger's ``/start`` gets it;
  Ctrl+C right after stops the bot.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from tests.conftest import ADMIN_ID
from tests.e2e.conftest import BotProcess, wait_until
from tests.fakeapi.server import FakeTelegram
from tests.firstrun.conftest import launch
from tests.harness import BOT_USERNAME, TOKEN

REJECTED = "error: Telegram rejected BOT_TOKEN (401 Unauthorized): check the token with @BotFather"
UNREACHABLE = re.compile(r"WARNING bot\.reach: Telegram Bot API unreachable \((\w+)\); retry in (\d+) s$")
REVOKED_TOKEN = "7000000001:AAHrevokedrevokedrevokedrevokedrevok"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def unreachable_lines(process: BotProcess) -> list[tuple[str, str]]:
    return [m.groups() for line in process.output().splitlines() if (m := UNREACHABLE.search(line))]


async def test_an_unreachable_bot_api_is_one_line_per_try_until_it_answers(tmp_path: Path) -> None:
    port = free_port()
    tg = FakeTelegram(token=TOKEN, bot_username=BOT_USERNAME)
    tg.port = port  # the bot's TELEGRAM_API_URL: nothing listens there yet
    process = BotProcess(tg=tg, workdir=tmp_path / "bot")
    try:
        launch(process)
        await wait_until(
            lambda: len(unreachable_lines(process)) >= 2, 60, "two retries", describe=process.describe
        )
        assert unreachable_lines(process)[:2] == [
            ("ClientConnectorError", "1"),
            ("ClientConnectorError", "2"),
        ]
        assert "Traceback" not in process.output()
        assert process.running

        await tg.start(port=port)  # the Bot API comes back: the bot goes on by itself
        await process.wait_ready(timeout=60, polls_before=0)
        assert "Telegram Bot API reachable again" in process.output()
        tg.inject_message(ADMIN_ID, "/start", first_name="Админ")
        await tg.wait_for_message(ADMIN_ID, contains="Главное меню", timeout=15)
        exit_info = await process.terminate()
        assert exit_info.returncode == 0
        process.assert_no_tracebacks()
    finally:
        process.cleanup()
        await tg.stop()


async def test_server_errors_while_polling_are_retried(bot_process: BotProcess, tg: FakeTelegram) -> None:
    await bot_process.start()
    tg.fail_next("getUpdates", status=502, times=2)
    tg.inject_message(ADMIN_ID, "/start", first_name="Админ")  # ends the pending long poll
    await tg.wait_for_message(ADMIN_ID, contains="Главное меню", timeout=15)
    await wait_until(
        lambda: len(unreachable_lines(bot_process)) >= 2, 30, "two retries", describe=bot_process.describe
    )
    tg.inject_message(ADMIN_ID, "/help", first_name="Админ")
    await tg.wait_for_message(ADMIN_ID, contains="/new_contact", timeout=15)
    assert unreachable_lines(bot_process) == [("TelegramServerError", "1"), ("TelegramServerError", "2")]
    assert "Telegram Bot API reachable again" in bot_process.output()
    bot_process.assert_no_tracebacks()


@pytest.mark.parametrize("refused", ["getMe", "deleteWebhook", "revoked token"])
async def test_a_rejected_token_at_start_is_one_line_and_a_non_zero_exit(
    bot_process: BotProcess, tg: FakeTelegram, refused: str
) -> None:
    if refused == "revoked token":
        bot_process.token = REVOKED_TOKEN  # the server answers 401 to every method
    else:
        tg.fail_next(refused, status=401, description="Unauthorized")
    launch(bot_process)
    code = await bot_process.wait_exit(timeout=60)
    assert code == 2
    output = bot_process.output()
    assert [line for line in output.splitlines() if "error" in line.lower()] == [REJECTED]
    assert output.rstrip().endswith(REJECTED)
    assert "Traceback" not in output
    if refused != "deleteWebhook":  # nothing else happened: no migration, no polling
        assert output.strip() == REJECTED
    assert not tg.calls_to("getUpdates")
    assert not bot_process.db_path.exists() or refused == "deleteWebhook"


async def test_a_token_revoked_while_polling_stops_the_bot_with_one_line(
    bot_process: BotProcess, tg: FakeTelegram
) -> None:
    await bot_process.start()
    tg.fail_next("getUpdates", status=401, description="Unauthorized")
    tg.inject_message(ADMIN_ID, "/start", first_name="Админ")  # ends the pending long poll
    code = await bot_process.wait_exit(timeout=60)
    assert code == 2
    output = bot_process.output()
    assert output.splitlines().count(REJECTED) == 1
    assert output.rstrip().endswith(REJECTED)
    assert "Traceback" not in output


async def test_without_admin_ids_the_bot_runs_and_tells_how_to_find_the_id(
    bot_process: BotProcess, tg: FakeTelegram
) -> None:
    bot_process.admin_ids = ()
    await bot_process.start()
    startup = bot_process.output()
    assert "ADMIN_IDS is empty" in startup and "/start" in startup
    tg.inject_message(555_201, "/start", first_name="Анна")
    call = await tg.wait_for_message(555_201, contains="ADMIN_IDS=555201", timeout=15)
    assert "<code>555201</code>" in call.params["text"]
    # Ctrl+C right after that answer stops the bot (it once swallowed the stop and kept polling).
    stopped = await bot_process.interrupt(timeout=30)
    assert stopped.returncode == 0
    assert "bot stopped" in bot_process.output()
    bot_process.assert_no_tracebacks()

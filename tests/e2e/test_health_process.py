"""The real process in long polling with ``HEALTH_LISTEN`` and ``LOG_FORMAT=json``: ``/healthz`` and
``/metrics`` answer on their own address, a handled update shows in the metrics, every output line is JSON,
and SIGTERM closes the health server with the bot."""

from __future__ import annotations

import json
import socket

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import ADMIN_ID
from tests.e2e.conftest import BotProcess
from tests.fakeapi.server import FakeTelegram

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_health_and_metrics_of_a_polling_bot(bot_process: BotProcess, tg: FakeTelegram) -> None:
    listen = f"127.0.0.1:{free_port()}"
    bot_process.extra_env.update(HEALTH_LISTEN=listen, LOG_FORMAT="json")
    await bot_process.start()

    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://{listen}/healthz") as response:
            assert (response.status, await response.text()) == (200, "ok\n")

        update = tg.inject_message(ADMIN_ID, "/start", first_name="Админ")
        await tg.wait_for_message(ADMIN_ID, contains="Главное меню", timeout=15)
        await bot_process.wait_acknowledged(update)  # the handler has finished, so it has been counted

        async with http.get(f"http://{listen}/metrics") as response:
            assert response.status == 200
            text = await response.text()
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    assert samples[("crm_updates_total", (("outcome", "ok"), ("type", "message")))] >= 1
    assert samples[("crm_leader", ())] == 1

    exit_info = await bot_process.terminate()
    assert exit_info.returncode == 0
    host, port = listen.split(":")
    with pytest.raises(OSError):
        socket.create_connection((host, int(port)), timeout=1).close()
    lines = [line for line in bot_process.output().splitlines() if line.strip()]
    assert lines and all(json.loads(line)["level"] for line in lines)
    assert not [line for line in lines if json.loads(line)["level"] in ("ERROR", "CRITICAL")]

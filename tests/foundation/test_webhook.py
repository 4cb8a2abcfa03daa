"""Webhook mode: requests without the secret token are refused; with it, updates reach the dispatcher."""

from __future__ import annotations

import asyncio

from aiohttp.test_utils import TestClient, TestServer

from bot.runtime import create_webhook_app
from tests.conftest import ADMIN_ID
from tests.harness import Harness

UPDATE = {
    "update_id": 1,
    "message": {
        "message_id": 1,
        "date": 1700000000,
        "chat": {"id": ADMIN_ID, "type": "private"},
        "from": {"id": ADMIN_ID, "is_bot": False, "first_name": "Admin"},
        "text": "/menu",
        "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
    },
}


async def test_webhook_checks_the_secret_token(harness: Harness) -> None:
    app = create_webhook_app(harness.bot, harness.dispatcher, "s3cret-token")
    async with TestClient(TestServer(app)) as client:
        refused = await client.post("/webhook", json=UPDATE)
        assert refused.status == 401
        wrong = await client.post(
            "/webhook", json=UPDATE, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
        )
        assert wrong.status == 401
        accepted = await client.post(
            "/webhook", json=UPDATE, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
        )
        assert accepted.status == 200
        # The update is handled in the background after the 200, as Telegram expects a quick answer.
        for _ in range(100):
            if harness.user(ADMIN_ID).replies():
                break
            await asyncio.sleep(0.05)
    assert harness.user(ADMIN_ID).replies() == ["Главное меню. Выберите действие."]

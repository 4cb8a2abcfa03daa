"""Webhook mode: requests without the secret token are refused; with it, updates reach the dispatcher."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.__main__ import main
from bot.runtime import create_webhook_app
from bot.settings import ConfigError, Settings, load_settings
from db.models import HandledUpdate, User
from tests.conftest import ADMIN_ID
from tests.factories import make_user
from tests.harness import TOKEN, Harness, TgUser, tp

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
        # The 200 comes once the update is handled: a crash before it makes Telegram send it again.
    assert harness.user(ADMIN_ID).replies() == ["Главное меню. Выберите действие."]


FORGED = 10**9  # update ids far from the harness's own


async def _role_button(boss: TgUser, name: str, role: str) -> str:
    """The admin opens a manager's role window; the button of ``role``, not pressed."""
    await boss.send("/settings")
    await boss.click(tp("admin-btn-team"))
    await boss.click(name)
    await boss.click(tp("team-btn-role"))
    message = boss.harness.message(boss.telegram_id)
    assert message.reply_markup is not None
    buttons = [button for row in message.reply_markup.inline_keyboard for button in row]
    return next(str(button.callback_data) for button in buttons if role in button.text)


def _forged_press(update_id: int, data: str) -> dict[str, Any]:
    """A «make admin» press as Telegram would post it, from an admin's id, on a bot message."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"forged-{update_id}",
            "chat_instance": "ci",
            "from": {"id": ADMIN_ID, "is_bot": False, "first_name": "Admin"},
            "data": data,
            "message": {
                "message_id": 7,
                "date": 1700000000,
                "chat": {"id": ADMIN_ID, "type": "private"},
                "from": {"id": 42, "is_bot": True, "first_name": "Bot"},
                "text": "card",
            },
        },
    }


async def test_a_forged_make_admin_press_without_the_secret_changes_no_role(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Issue 9, finding 3: a POST without the header, or with a wrong one, is refused with 401 and handled not
    at all; the same press with the secret does make the admin (so the refusal is what kept the role)."""
    manager_id = await make_user(sessionmaker, 500_301, full_name="Пётр Менеджеров")
    with pytest.raises(ValueError, match="secret"):
        create_webhook_app(harness.bot, harness.dispatcher, "")
    app = create_webhook_app(harness.bot, harness.dispatcher, "s3cret-token")
    async with TestClient(TestServer(app)) as client:
        press = await _role_button(harness.user(ADMIN_ID), "Пётр Менеджеров", "Администратор")
        harness.session.calls.clear()
        for n, headers in enumerate(
            ({}, {"X-Telegram-Bot-Api-Secret-Token": "nope"}, {"X-Telegram-Bot-Api-Secret-Token": ""}), 1
        ):
            response = await client.post("/webhook", json=_forged_press(FORGED + n, press), headers=headers)
            assert response.status == 401
        assert harness.session.calls == []
        async with sessionmaker() as session:
            assert (await session.get(User, manager_id)).role == "manager"  # type: ignore[union-attr]
            handled = select(func.count()).select_from(HandledUpdate).where(HandledUpdate.update_id > FORGED)
            assert await session.scalar(handled) == 0

        genuine = await client.post(
            "/webhook",
            json=_forged_press(FORGED + 10, press),
            headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"},
        )
        assert genuine.status == 200
    async with sessionmaker() as session:
        assert (await session.get(User, manager_id)).role == "admin"  # type: ignore[union-attr]


async def test_a_retried_webhook_update_is_applied_once(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """The 200 comes after the handler; Telegram retries what got none, and a retry of a handled update is
    skipped (``bot.delivery``)."""
    manager_id = await make_user(sessionmaker, 500_302, full_name="Ольга Ролева")
    app = create_webhook_app(harness.bot, harness.dispatcher, "s3cret-token")
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
    async with TestClient(TestServer(app)) as client:
        press = await _role_button(harness.user(ADMIN_ID), "Ольга Ролева", "Руководитель")
        first = await client.post("/webhook", json=_forged_press(FORGED + 20, press), headers=headers)
        assert first.status == 200
        answered = len(harness.session.calls)
        assert answered > 0, "handled before the 200"
        again = await client.post("/webhook", json=_forged_press(FORGED + 20, press), headers=headers)
        assert again.status == 200
        assert len(harness.session.calls) == answered
    async with sessionmaker() as session:
        assert (await session.get(User, manager_id)).role == "team_lead"  # type: ignore[union-attr]


def test_webhook_url_without_a_secret_is_refused_at_start_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'crm.sqlite3'}")
    monkeypatch.setenv("WEBHOOK_URL", "https://crm.example.com")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "WEBHOOK_SECRET" in err and "Traceback" not in err


def test_the_webhook_listens_on_loopback_unless_told_otherwise() -> None:
    base = {"webhook_url": "https://crm.example.com", "webhook_secret": "s3cret"}
    assert load_settings(_env_file=None, **base).webhook_listen == "127.0.0.1:8080"
    open_to_all = load_settings(_env_file=None, webhook_listen="0.0.0.0:8443", **base)
    assert open_to_all.webhook_listen == "0.0.0.0:8443"
    with pytest.raises(ConfigError, match="WEBHOOK_LISTEN"):
        load_settings(_env_file=None, webhook_listen="8080", **base)

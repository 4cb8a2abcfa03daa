"""``/healthz`` answers 200 while the database (and Redis, when configured) answer, and 503 naming what failed
otherwise, in webhook mode on the webhook's app and on ``HEALTH_LISTEN`` in any mode."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import health
from bot.runtime import create_webhook_app
from bot.settings import ConfigError, load_settings
from db.engine import create_engine, create_sessionmaker
from tests.harness import Harness

UNREACHABLE_REDIS = "redis://:hunter2@127.0.0.1:1/0"  # nothing listens on port 1


async def get(app: health.web.Application, path: str) -> tuple[int, str]:
    async with TestClient(TestServer(app)) as client:
        response = await client.get(path)
        return response.status, await response.text()


async def test_the_webhook_app_answers_healthz_without_the_secret(harness: Harness) -> None:
    app = create_webhook_app(harness.bot, harness.dispatcher, "s3cret-token")
    assert await get(app, "/healthz") == (200, "ok\n")


async def test_healthz_is_503_and_names_the_database_once_it_is_gone(
    tmp_path: Path, migrated_template: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(migrated_template, folder / "crm.sqlite3")
    engine = create_engine(f"sqlite+aiosqlite:///{folder / 'crm.sqlite3'}")
    app = health.create_health_app(create_sessionmaker(engine), None)
    async with TestClient(TestServer(app)) as client:
        response = await client.get("/healthz")
        assert (response.status, await response.text()) == (200, "ok\n")

        await engine.dispose()  # no open connection keeps the deleted file alive
        shutil.rmtree(folder)
        response = await client.get("/healthz")
        body = await response.text()
        assert response.status == 503
        assert body == "database: failed\n"
        assert str(tmp_path) not in body
    await engine.dispose()


async def test_an_unreachable_postgresql_server_is_503(tmp_path: Path) -> None:
    engine = create_engine("postgresql+asyncpg://crm:pa55word@127.0.0.1:1/crm")
    try:
        status, body = await get(health.create_health_app(create_sessionmaker(engine), None), "/healthz")
    finally:
        await engine.dispose()
    assert status == 503 and body == "database: failed\n"
    assert "pa55word" not in body and "127.0.0.1" not in body


async def test_an_unreachable_redis_is_503_and_the_database_is_still_ok(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    status, body = await get(health.create_health_app(sessionmaker, UNREACHABLE_REDIS), "/healthz")
    assert status == 503
    assert body == "database: ok\nredis: failed\n"
    assert "hunter2" not in body


async def test_a_reachable_redis_is_200(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set")
    assert await get(health.create_health_app(sessionmaker, url), "/healthz") == (200, "ok\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_health_listen_serves_healthz_and_metrics_on_its_own_address(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    listen = f"127.0.0.1:{free_port()}"
    runner = await health.serve(listen, sessionmaker, None)
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://{listen}/healthz") as response:
                assert (response.status, await response.text()) == (200, "ok\n")
            async with http.get(f"http://{listen}/metrics") as response:
                assert response.status == 200
                assert "crm_updates_total" in await response.text()
    finally:
        await runner.cleanup()


def test_health_listen_is_unset_by_default_and_must_be_host_and_port() -> None:
    assert load_settings(_env_file=None).health_listen is None
    assert load_settings(_env_file=None, health_listen="").health_listen is None
    assert load_settings(_env_file=None, health_listen="127.0.0.1:8081").health_listen == "127.0.0.1:8081"
    for wrong in ("8081", "localhost", "127.0.0.1:99999"):
        with pytest.raises(ConfigError, match="HEALTH_LISTEN"):
            load_settings(_env_file=None, health_listen=wrong)

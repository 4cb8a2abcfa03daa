from __future__ import annotations

import asyncio
import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import create_bot, create_dispatcher
from bot.settings import Settings
from db import user_cache
from db.engine import create_engine, create_sessionmaker
from db.migrate import upgrade
from tests.harness import TOKEN, Harness, RecordingSession

ADMIN_ID = 111_000_111

# Tests never read the developer's own .env file.
os.environ.setdefault("CRM_TESTS", "1")
# A catalog message that fails to render raises instead of showing «{???}» (issue 9, finding 8).
os.environ.setdefault("CRM_STRICT_I18N", "1")


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


class _RenderFailures(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.failures.append(record.getMessage())


@pytest.fixture(autouse=True)
def no_render_failures() -> Iterator[_RenderFailures]:
    """Every test fails when a catalog message failed to render, even if the handler swallowed the error.
    A test that provokes a failure on purpose reads and clears ``failures`` itself."""
    handler = _RenderFailures()
    logger = logging.getLogger("bot.i18n")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
    assert not handler.failures, handler.failures


@pytest.fixture(autouse=True)
def fresh_user_cache() -> Iterator[None]:
    """Each test has its own database: users cached by an earlier test (same Telegram ids) must not leak."""
    user_cache.clear()
    yield
    user_cache.clear()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated to head; every test gets its own copy of the file."""
    path = tmp_path_factory.mktemp("template") / "crm.sqlite3"

    async def build() -> None:
        engine = create_engine(sqlite_url(path))
        await upgrade(engine)
        await engine.dispose()

    asyncio.run(build())
    return path


@pytest.fixture
def db_path(tmp_path: Path, migrated_template: Path) -> Path:
    path = tmp_path / "crm.sqlite3"
    shutil.copy(migrated_template, path)
    return path


def settings_for(database_url: str) -> Settings:
    """The bot's settings in tests, on ``database_url``."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        database_url=database_url,
        admin_ids=[ADMIN_ID],
        company_email_domains=["fieldcrm.ru"],
    )


@pytest.fixture
def settings(db_path: Path) -> Settings:
    return settings_for(sqlite_url(db_path))


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings.database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


@pytest.fixture
async def harness(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[Harness]:
    session = RecordingSession()
    bot = create_bot(settings, session=session)
    dispatcher = create_dispatcher(settings, sessionmaker, single_instance=True)
    yield Harness(bot=bot, dispatcher=dispatcher, session=session)
    await dispatcher.storage.close()


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """A fresh PostgreSQL database migrated to head, dropped afterwards; skips without TEST_POSTGRES_URL."""
    if not os.environ.get("TEST_POSTGRES_URL"):
        pytest.skip("TEST_POSTGRES_URL is not set")
    base = make_url(os.environ["TEST_POSTGRES_URL"])
    name = f"crm_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    try:
        await upgrade(engine)
        await engine.dispose()
        yield url
    finally:
        await engine.dispose()
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture
async def pg_sessionmaker() -> AsyncIterator[tuple[str, async_sessionmaker[AsyncSession]]]:
    """A fresh PostgreSQL database migrated to head, dropped afterwards; skips without TEST_POSTGRES_URL."""
    async with postgres_database() as url:
        engine = create_engine(url)
        try:
            yield url, create_sessionmaker(engine)
        finally:
            await engine.dispose()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Figures a test measured (``record_property("figures", ...)``), shown at the end of every run."""
    lines = [
        f"{report.nodeid}: {value}"
        for report in terminalreporter.stats.get("passed", [])
        for name, value in getattr(report, "user_properties", [])
        if name == "figures"
    ]
    if lines:
        terminalreporter.section("measured figures")
        for line in lines:
            terminalreporter.write_line(line)

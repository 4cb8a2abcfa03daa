from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import create_bot, create_dispatcher
from bot.settings import Settings
from db.engine import create_engine, create_sessionmaker
from db.migrate import upgrade
from tests.harness import TOKEN, Harness, RecordingSession

ADMIN_ID = 111_000_111

# Tests never read the developer's own .env file.
os.environ.setdefault("CRM_TESTS", "1")


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


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


@pytest.fixture
def settings(db_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        database_url=sqlite_url(db_path),
        admin_ids=[ADMIN_ID],
        company_email_domains=["fieldcrm.ru"],
    )


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
    dispatcher = create_dispatcher(settings, sessionmaker)
    yield Harness(bot=bot, dispatcher=dispatcher, session=session)
    await dispatcher.storage.close()

"""Every report test runs twice: on SQLite and on PostgreSQL (issue 12: the same query runs on both). The
PostgreSQL run skips where ``TEST_POSTGRES_URL`` is unset; ``.ci/run`` sets it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.conftest import postgres_database, settings_for, sqlite_url


@pytest.fixture(params=["sqlite", "postgresql"])
async def settings(request: pytest.FixtureRequest, db_path: Path) -> AsyncIterator[Settings]:
    if request.param == "sqlite":
        yield settings_for(sqlite_url(db_path))
        return
    async with postgres_database() as url:
        yield settings_for(url)

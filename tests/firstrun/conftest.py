"""Fixtures of the first-run tests: a dispatcher with no ``ADMIN_IDS``, and the end-to-end process harness."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_bot, create_dispatcher
from bot.settings import Settings
from tests.e2e.conftest import BotProcess, bot_process, tg
from tests.harness import Harness, RecordingSession

__all__ = ["bot_process", "launch", "tg"]


@pytest.fixture
async def harness_without_admins(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[Harness]:
    """The production dispatcher as on a first setup: ``ADMIN_IDS`` left empty."""
    first_setup = settings.model_copy(update={"admin_ids": []})
    session = RecordingSession()
    dispatcher = create_dispatcher(first_setup, sessionmaker)
    yield Harness(bot=create_bot(first_setup, session=session), dispatcher=dispatcher, session=session)
    await dispatcher.storage.close()


def launch(process: BotProcess) -> None:
    """Start ``python -m bot run`` like ``BotProcess.start`` does, without waiting for it to poll."""
    process.runs += 1
    log_path = process.workdir / f"bot-run{process.runs}.log"
    process.log_paths.append(log_path)
    with log_path.open("wb") as log_file:
        process.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=process.workdir,
            env=process.environment(),
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

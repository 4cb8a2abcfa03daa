"""The exports' files as the bot sent them: the temporary file is deleted after sending, so its bytes are
kept when the fake Bot API receives it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.methods import SendDocument, TelegramMethod
from aiogram.types import FSInputFile

from tests.harness import RecordingSession


@pytest.fixture
def sent_files(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bytes]]:
    """(file name, bytes) of every document sent from a file on disk."""
    files: list[tuple[str, bytes]] = []
    original = RecordingSession.make_request

    async def keeping(
        self: RecordingSession, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        if isinstance(method, SendDocument) and isinstance(method.document, FSInputFile):
            files.append((str(method.document.filename), Path(method.document.path).read_bytes()))
        return await original(self, bot, method, timeout)

    monkeypatch.setattr(RecordingSession, "make_request", keeping)
    return files

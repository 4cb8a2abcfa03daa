"""A failing handler: the user is told nothing was saved, and the log carries no personal data."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import ADMIN_ID
from tests.harness import Harness


async def test_a_failure_is_reported_to_the_user_and_logged_without_its_message(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import handlers.common

    personal = "Иванов Иван +79123456789 ivanov@mail.ru"  # what a driver error could quote

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(personal)

    monkeypatch.setattr(handlers.common, "close_open_card", broken)
    admin = harness.user(ADMIN_ID)
    with caplog.at_level(logging.ERROR):
        replies = await admin.send("/menu")
    assert len(replies) == 1 and replies[0].startswith("Что-то пошло не так")
    assert "ничего не сохранено" in replies[0]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "RuntimeError" in logged
    assert "Иванов" not in logged and "79123456789" not in logged and "ivanov@" not in logged

"""Routing costs no thread hops: aiogram runs every synchronous filter and handler in a worker thread
(``asyncio.to_thread``), so a form step, a menu button and a dialog button must meet none on their way."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from tests.factories import make_user
from tests.flows.contacts.helpers import VALID
from tests.harness import Harness, t, tp


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    seen: list[str] = []
    real = asyncio.to_thread

    async def counting(func: Any, /, *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(func, "__qualname__", repr(func)))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", counting)
    yield seen


async def test_a_form_step_a_menu_button_and_a_dialog_button_hop_to_no_thread(  # type: ignore[no-untyped-def]
    harness: Harness, sessionmaker, hops: list[str]
) -> None:
    await make_user(sessionmaker, 560_001)
    manager = harness.user(560_001)
    await manager.send("/new_contact")
    await manager.send(VALID["name"])
    await manager.send(VALID["phone"])
    await manager.click(tp("btn-back"))
    await manager.send(t("menu-today"))
    await manager.send(t("menu-more"))
    await manager.send("просто текст")
    assert hops == []

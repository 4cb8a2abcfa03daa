"""Length limits on the other free-text steps, counted as the text is shown (issue 9, finding 8): the reply
gives the limit and the current length, nothing is saved, and a text within the limit goes through."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Contact, Industry
from domain import limits
from tests.admin.helpers import admin
from tests.factories import make_user
from tests.flows.contacts.helpers import reach
from tests.harness import Harness, t, tp

MANAGER = 711


async def rows(sessionmaker: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_contact_position_is_limited_by_its_escaped_length(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, MANAGER)
    u = harness.user(MANAGER)
    await reach(u, "position")
    replies = await u.send("Инженер " + "&" * 40)  # 48 typed, 208 shown
    assert (
        "Слишком длинно: сейчас 208" in replies[-1] and f"не больше {limits.CONTACT_POSITION}" in replies[-1]
    )
    assert "Должность контакта" in replies[-1], "the step is asked again"
    replies = await u.send("Инженер R&D")
    assert "Клиент (организация)" in replies[-1]
    assert await rows(sessionmaker, Contact) == 0


async def test_directory_name_is_limited_by_its_escaped_length(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    await boss.send("/settings")
    await boss.click(tp("admin-btn-directories"))
    await boss.click(tp("dir-kind-ind"))
    await boss.click(tp("dir-btn-add"))
    before = await rows(sessionmaker, Industry)
    replies = await boss.send("Связь " + "<" * 30)  # 36 typed, 126 shown
    assert "Слишком длинно: сейчас 126" in replies[-1] and f"не больше {limits.DIRECTORY_NAME}" in replies[-1]
    assert await rows(sessionmaker, Industry) == before
    replies = await boss.send("Связь <телеком>")
    assert t("dir-saved", name="Связь <телеком>") in replies[-1]
    assert await rows(sessionmaker, Industry) == before + 1

"""The SQL form-state storage caches reads only when told it is the only instance (``read_cache``)."""

from __future__ import annotations

from aiogram.fsm.storage.base import StorageKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.fsm_storage import SQLAlchemyStorage

KEY = StorageKey(bot_id=1, chat_id=42, user_id=42)


async def test_without_the_cache_a_second_instance_sees_the_other_ones_step(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    first, second = SQLAlchemyStorage(sessionmaker), SQLAlchemyStorage(sessionmaker)
    await first.set_state(KEY, "ContactForm:name")
    assert await second.get_state(KEY) == "ContactForm:name"
    await first.set_state(KEY, "ContactForm:phone")  # the next step, handled by the other instance
    assert await second.get_state(KEY) == "ContactForm:phone"


async def test_the_single_instance_cache_serves_reads_from_memory(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Why the runtime turns it on only for a single instance: another writer's step would not be seen."""
    only, other = SQLAlchemyStorage(sessionmaker, read_cache=True), SQLAlchemyStorage(sessionmaker)
    await only.set_state(KEY, "ContactForm:name")
    await other.set_state(KEY, "ContactForm:phone")
    assert await only.get_state(KEY) == "ContactForm:name"
    assert await SQLAlchemyStorage(sessionmaker).get_state(KEY) == "ContactForm:phone"

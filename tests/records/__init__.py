"""History and documents on every card, through the real dispatcher; shared helpers below."""

from __future__ import annotations

import itertools
from typing import Any

from aiogram.types import PhotoSize, Update, Voice
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import writing
from db.models import Document
from db.repo import audit
from tests.harness import TgUser

Sessionmaker = async_sessionmaker[AsyncSession]
DENIED = "Нет доступа: эта запись закреплена за другим сотрудником. Ничего не изменено."

_updates = itertools.count(9_000_000)
_files = itertools.count(1)


async def count(sessionmaker: Sessionmaker, model: type, *where: Any) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def documents(sessionmaker: Sessionmaker) -> list[Document]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Document).order_by(Document.id)))


async def add_audit(
    sessionmaker: Sessionmaker,
    actor_id: int | None,
    entity: str,
    entity_id: int,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    async with writing(sessionmaker) as session:
        audit.record(
            session, actor_id=actor_id, entity=entity, entity_id=entity_id, action=action,
            before=before, after=after,
        )  # fmt: skip


async def send_photo(u: TgUser, size: int = 204_800) -> list[str]:
    n = next(_files)
    photo = [
        PhotoSize(file_id=f"photo-small-{n}", file_unique_id=f"ps{n}", width=90, height=90, file_size=900),
        PhotoSize(file_id=f"photo-{n}", file_unique_id=f"p{n}", width=1280, height=960, file_size=size),
    ]
    return await u.feed(Update(update_id=next(_updates), message=u._message(photo=photo)))


async def send_voice(u: TgUser) -> list[str]:
    n = next(_files)
    voice = Voice(
        file_id=f"voice-{n}", file_unique_id=f"v{n}", duration=7, mime_type="audio/ogg", file_size=2_300_000
    )
    return await u.feed(Update(update_id=next(_updates), message=u._message(voice=voice)))

"""Declarative base with a naming convention, so that migrations name every constraint the same way."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime, MetaData, Table, TypeDecorator, func
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend: SQLite stores naive text, so the zone is put back on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


#: The language of the person a message is being rendered for (set per update by ``bot.middlewares.Access``).
READER_LANGUAGE: ContextVar[str] = ContextVar("crm_reader_language", default="ru")


class Localized:
    """A directory value (stage, source, product group, product, industry, region): ``label`` is what the
    current reader sees — the English name of a seeded value for an English reader, else the name as typed."""

    if TYPE_CHECKING:
        name: Mapped[str]
        name_en: Mapped[str | None]

    @property
    def label(self) -> str:
        return self.name_en if READER_LANGUAGE.get() == "en" and self.name_en else self.name


def label_of(model: Any) -> Any:
    """``label`` as a column expression, for queries that select a directory value's name for display."""
    if READER_LANGUAGE.get() == "en":
        return func.coalesce(model.name_en, model.name)
    return model.name


def table_of(model: type[Base]) -> Table:
    """A model's Core table, for bulk ``insert``/``update`` executemany without the ORM's per-row work."""
    table = model.__table__
    assert isinstance(table, Table)
    return table

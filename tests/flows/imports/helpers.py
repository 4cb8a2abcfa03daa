"""Import jobs in tests: rows as the column mapper hands them over, users and their actors."""

from __future__ import annotations

from itertools import product

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Contact, User
from db.repo.imports import SourceRow, create_job
from domain.access import Actor, Role

HEADERS = ["ФИО", "Мобильный", "Дата рождения", "E-mail", "Клиент", "Отрасль", "Регион", "Ответственный"]
KEYS = ["full_name", "mobile", "birth_date", "email", "client", "industry", "region", "responsible"]


def row(
    name: str,
    phone: str,
    birth: str = "25.03.1985",
    email: str = "client@mail.ru",
    client: str = "",
    industry: str = "",
    region: str = "",
    responsible: str = "",
) -> SourceRow:
    cells = [name, phone, birth, email, client, industry, region, responsible]
    return SourceRow(
        cells=cells, fields={key: value for key, value in zip(KEYS, cells, strict=True) if value}
    )


SURNAMES = [
    "Иванов",
    "Петров",
    "Сидоров",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Соколов",
    "Михайлов",
    "Новиков",
]
GIVEN = ["Иван", "Пётр", "Сергей", "Андрей", "Алексей", "Дмитрий", "Максим", "Никита", "Олег", "Павел"]
PATRONYMICS = ["Иванович", "Петрович", "Сергеевич", "Андреевич", "Олегович"]
GIVEN2 = ["Роман", "Егор", "Глеб", "Лев"]


def many_rows(count: int) -> list[SourceRow]:
    """``count`` valid rows, no two sharing a pair of fields."""
    names = [" ".join(parts) for parts in product(SURNAMES, GIVEN, PATRONYMICS, GIVEN2)]
    rows = []
    for index in range(count):
        year, day = 1960 + index % 40, index // 40
        rows.append(
            row(
                names[index],
                f"+7912{index:07d}",
                f"{1 + day % 28:02d}.{1 + (day // 28) % 12:02d}.{year}",
                f"client{index}@mail.ru",
            )
        )
    return rows


def actor(user_id: int, role: str = "manager", team_id: int | None = None) -> Actor:
    return Actor(user_id=user_id, role=Role(role), team_id=team_id)


async def actor_of(sessionmaker: async_sessionmaker[AsyncSession], user_id: int) -> Actor:
    async with sessionmaker() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return actor(user.id, user.role, user.team_id)


async def new_job(
    sessionmaker: async_sessionmaker[AsyncSession], who: Actor, rows: list[SourceRow], source: str = "csv"
) -> int:
    async with sessionmaker() as session:
        return await create_job(
            session, who, filename=f"base.{source}", source=source, headers=HEADERS, rows=rows
        )


async def contact_count(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(Contact)) or 0

"""Rows for tests, made through the same models the bot uses."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.engine import writing
from db.models import DUPLICATE_KEY_COLUMNS, Contact, Interaction, Lead, LeadSource, Team, User
from domain.duplicates import ContactIdentity, match_keys
from domain.values import FullName


async def make_team(sessionmaker: async_sessionmaker[AsyncSession], name: str) -> int:
    async with writing(sessionmaker) as session:
        team = await session.scalar(select(Team).where(Team.name == name))
        if team is None:
            team = Team(name=name)
            session.add(team)
            await session.flush()
        return team.id


async def make_user(
    sessionmaker: async_sessionmaker[AsyncSession],
    telegram_id: int,
    role: str = "manager",
    team: str | None = "Продажи Север",
    full_name: str = "Менеджер Тестовый",
) -> int:
    team_id = await make_team(sessionmaker, team) if team else None
    async with writing(sessionmaker) as session:
        user = User(telegram_id=telegram_id, role=role, team_id=team_id, full_name=full_name)
        session.add(user)
        await session.flush()
        return user.id


async def make_contact(
    sessionmaker: async_sessionmaker[AsyncSession],
    responsible_id: int,
    *,
    name: str = "Иванов Иван Иванович",
    phone: str = "+79123456789",
    birth: date = date(1985, 3, 25),
    email: str = "ivanov@mail.ru",
) -> int:
    parsed = FullName.parse(name)
    keys = match_keys(ContactIdentity(parsed.key(), phone, birth, email))
    async with writing(sessionmaker) as session:
        contact = Contact(
            surname=parsed.surname,
            given_name=parsed.given,
            patronymic=parsed.patronymic,
            name_key=parsed.key(),
            phone=phone,
            birth_date=birth,
            email=email,
            responsible_id=responsible_id,
            created_by_id=responsible_id,
            **{DUPLICATE_KEY_COLUMNS[pair]: key for pair, key in keys.items()},
        )
        session.add(contact)
        await session.flush()
        return contact.id


async def make_lead(
    sessionmaker: async_sessionmaker[AsyncSession],
    contact_id: int,
    responsible_id: int,
    *,
    description: str = "Интересуется сканерами для склада",
) -> int:
    async with writing(sessionmaker) as session:
        source_id = await session.scalar(select(LeadSource.id).order_by(LeadSource.id))
        assert source_id is not None
        lead = Lead(
            contact_id=contact_id,
            source_id=source_id,
            description=description,
            responsible_id=responsible_id,
            created_by_id=responsible_id,
        )
        session.add(lead)
        await session.flush()
        return lead.id


async def make_interaction(
    sessionmaker: async_sessionmaker[AsyncSession],
    author_id: int,
    *,
    lead_id: int | None = None,
    deal_id: int | None = None,
    kind: str = "call",
    outcome: str = "reached",
    discussed: str | None = "Обсудили потребность склада в сканерах",
    agreed: str | None = "Отправляем коммерческое предложение до пятницы",
    qualifying: bool = True,
    occurred_at: datetime | None = None,
) -> int:
    async with writing(sessionmaker) as session:
        row = Interaction(
            lead_id=lead_id,
            deal_id=deal_id,
            kind=kind,
            outcome=outcome,
            discussed=discussed,
            agreed=agreed,
            qualifying=qualifying,
            author_id=author_id,
            occurred_at=occurred_at or utcnow(),
        )
        session.add(row)
        await session.flush()
        return row.id

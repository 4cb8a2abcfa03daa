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


async def make_client(
    sessionmaker: async_sessionmaker[AsyncSession],
    responsible_id: int | None,
    name: str = "ООО Ромашка",
    *,
    contact_ids: tuple[int, ...] = (),
    marked_lost: bool = False,
) -> int:
    """A client (industry and region 1) with these contacts as its contact persons."""
    from sqlalchemy import update

    from db.models import Client
    from domain.registry import client_search_key

    async with writing(sessionmaker) as session:
        client = Client(
            name=name,
            name_search=client_search_key(name),
            responsible_id=responsible_id,
            created_by_id=responsible_id,
            industry_id=1,
            region_id=1,
            marked_lost=marked_lost,
        )
        session.add(client)
        await session.flush()
        if contact_ids:
            linked = update(Contact).where(Contact.id.in_(contact_ids)).values(client_id=client.id)
            await session.execute(linked)
        return client.id


async def make_deal(
    sessionmaker: async_sessionmaker[AsyncSession],
    lead_id: int,
    responsible_id: int,
    *,
    last_qualifying_at: datetime | None = None,
    product_group_id: int = 1,
    stage_id: int = 1,
    comment: str = "Клиент выбирает сканеры, ждёт КП до пятницы",
) -> int:
    """An open deal made from ``lead_id`` (the lead becomes converted), on the lead's contact."""
    from db.models import Deal

    async with writing(sessionmaker) as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        lead.status = "converted"
        deal = Deal(
            lead_id=lead_id,
            contact_id=lead.contact_id,
            party_key=f"contact:{lead.contact_id}",
            product_group_id=product_group_id,
            stage_id=stage_id,
            comment=comment,
            responsible_id=responsible_id,
            created_by_id=responsible_id,
            last_qualifying_at=last_qualifying_at,
        )
        session.add(deal)
        await session.flush()
        return deal.id


async def reason_id(sessionmaker: async_sessionmaker[AsyncSession], model: type, code: str) -> int:
    """The id of a seeded reason of «Причины проигрыша» (``LostReason``) or «Причины отказа»
    (``RefusalReason``) by its code."""
    async with sessionmaker() as session:
        found = await session.scalar(select(model.id).where(model.code == code))  # type: ignore[attr-defined]
        assert found is not None
        return int(found)


async def switch_reason(
    sessionmaker: async_sessionmaker[AsyncSession], model: type, code: str, active: bool
) -> None:
    """An admin switched a reason off (or on) meanwhile."""
    async with writing(sessionmaker) as session:
        reason = await session.scalar(select(model).where(model.code == code))  # type: ignore[attr-defined]
        assert reason is not None
        reason.is_active = active

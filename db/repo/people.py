"""Users, teams and invites."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import utcnow
from db.engine import write_tx
from db.models import Invite, InviteFailure, Team, User
from db.repo import outbox


def hash_code(code: str) -> str:
    """Invite codes are 128-bit random tokens, so a plain SHA-256 is enough to keep them unusable at rest."""
    return hashlib.sha256(code.encode()).hexdigest()


async def get_user_by_telegram_id(session: AsyncSession, telegram_id: int) -> User | None:
    return await session.scalar(select(User).where(User.telegram_id == telegram_id))


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def ensure_admin(session: AsyncSession, telegram_id: int, full_name: str, username: str | None) -> User:
    """``ADMIN_IDS`` bootstraps admins: the row is created, or promoted and re-activated, on first contact."""
    user = await get_user_by_telegram_id(session, telegram_id)
    if user is not None and user.role == "admin" and user.is_active and user.full_name:
        return user
    async with write_tx(session):
        user = await get_user_by_telegram_id(session, telegram_id)
        if user is None:
            user = User(telegram_id=telegram_id, full_name=full_name, username=username, role="admin")
            session.add(user)
        else:
            user.role = "admin"
            user.is_active = True
            user.full_name = user.full_name or full_name
        await session.flush()
    return user


async def refresh_profile(session: AsyncSession, user: User, full_name: str, username: str | None) -> None:
    """Keep the Telegram name current; a user who writes to the bot can be reached again (after a 403)."""
    if user.full_name == full_name and user.username == username and user.is_reachable:
        return
    async with write_tx(session):
        await session.execute(
            update(User)
            .where(User.id == user.id)
            .values(full_name=full_name, username=username, is_reachable=True)
        )
    user.full_name, user.username, user.is_reachable = full_name, username, True


async def set_user_preferences(
    session: AsyncSession, user_id: int, *, timezone: str | None = None, language: str | None = None
) -> None:
    values: dict[str, str] = {}
    if timezone is not None:
        values["timezone"] = timezone
    if language is not None:
        values["language"] = language
    async with write_tx(session):
        await session.execute(update(User).where(User.id == user_id).values(**values))


async def list_teams(session: AsyncSession) -> list[Team]:
    return list(await session.scalars(select(Team).order_by(Team.name)))


async def get_team(session: AsyncSession, team_id: int) -> Team | None:
    return await session.get(Team, team_id)


async def get_or_create_team(session: AsyncSession, name: str) -> Team:
    """The team of that name, compared case-insensitively in Python: SQLite's ``lower()`` folds ASCII only,
    so «ПРОДАЖИ ВОСТОК» would miss «Продажи Восток» (or itself) and hit the unique index. Teams are few."""
    wanted = name.casefold()
    async with write_tx(session):
        teams = await session.scalars(select(Team))
        team = next((existing for existing in teams if existing.name.casefold() == wanted), None)
        if team is None:
            team = Team(name=name)
            session.add(team)
            await session.flush()
    return team


async def team_leads_of(session: AsyncSession, team_id: int | None) -> list[User]:
    if team_id is None:
        return []
    return list(
        await session.scalars(
            select(User).where(User.team_id == team_id, User.role == "team_lead", User.is_active.is_(True))
        )
    )


async def admin_telegram_ids(session: AsyncSession) -> list[int]:
    return list(
        await session.scalars(select(User.telegram_id).where(User.role == "admin", User.is_active.is_(True)))
    )


async def create_invite(
    session: AsyncSession, *, role: str, team_id: int | None, created_by_id: int, ttl: timedelta
) -> tuple[str, Invite]:
    """A new single-use invite; the plain code is returned once and never stored."""
    code = secrets.token_urlsafe(16)
    invite = Invite(
        code_hash=hash_code(code),
        role=role,
        team_id=team_id,
        created_by_id=created_by_id,
        expires_at=utcnow() + ttl,
    )
    async with write_tx(session):
        session.add(invite)
    return code, invite


@dataclass(frozen=True)
class Redeemed:
    user: User
    team: Team | None


class InviteRateLimited(Exception):
    pass


class InviteInvalid(Exception):
    pass


async def redeem_invite(
    session: AsyncSession,
    *,
    code: str,
    telegram_id: int,
    full_name: str,
    username: str | None,
    max_failures: int,
    window: timedelta,
    now: datetime | None = None,
) -> Redeemed:
    """Join with an invite: single use, not expired. Wrong codes are counted per Telegram id and, past
    ``max_failures`` within ``window``, refused without being checked."""
    now = now or utcnow()
    async with write_tx(session):
        failures = await session.scalar(
            select(func.count())
            .select_from(InviteFailure)
            .where(InviteFailure.telegram_id == telegram_id, InviteFailure.at > now - window)
        )
        if (failures or 0) >= max_failures:
            raise InviteRateLimited
        invite = await session.scalar(
            select(Invite).where(Invite.code_hash == hash_code(code)).with_for_update()
        )
        if invite is None or invite.used_at is not None or invite.expires_at <= now:
            session.add(InviteFailure(telegram_id=telegram_id, at=now))
            await session.commit()
            raise InviteInvalid
        user = await get_user_by_telegram_id(session, telegram_id)
        if user is None:
            user = User(telegram_id=telegram_id, full_name=full_name, username=username)
            session.add(user)
        user.role = invite.role
        user.team_id = invite.team_id
        user.is_active = True
        await session.flush()
        invite.used_at = now
        invite.used_by_id = user.id
        if invite.created_by_id != user.id:
            await outbox.queue_notice(
                session,
                kind=outbox.INVITE_JOINED,
                recipient_id=invite.created_by_id,
                payload={"user_id": user.id},
                key=str(invite.id),
                now=now,
            )
        team = await session.get(Team, invite.team_id) if invite.team_id else None
    return Redeemed(user=user, team=team)

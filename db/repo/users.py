"""Users, teams and invites; admins changing a user's role, team and conversion permission.

Every administrative change re-checks its author inside the write transaction (an active admin) and is
audited (entity ``user``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import utcnow
from db.engine import write_tx
from db.models import Invite, InviteFailure, Team, User
from db.repo import audit, outbox
from db.repo.paging import PAGE_SIZE, offset, trim
from domain import limits
from domain.access import Role


def hash_code(code: str) -> str:
    """Invite codes are 128-bit random tokens, so a plain SHA-256 is enough to keep them unusable at rest."""
    return hashlib.sha256(code.encode()).hexdigest()


async def get_user_by_telegram_id(session: AsyncSession, telegram_id: int) -> User | None:
    return await session.scalar(select(User).where(User.telegram_id == telegram_id))


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    """The user as stored now: a row already in the session is refreshed, so a role just changed shows."""
    return await session.scalar(
        select(User).where(User.id == user_id).execution_options(populate_existing=True)
    )


async def users_by_ids(session: AsyncSession, user_ids: Iterable[int]) -> dict[int, User]:
    wanted = set(user_ids)
    if not wanted:
        return {}
    return {u.id: u for u in await session.scalars(select(User).where(User.id.in_(wanted)))}


async def user_names(session: AsyncSession, user_ids: Iterable[int | None]) -> dict[int, str]:
    """Display names by id; a user who has no name yet shows as their Telegram id."""
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(User.id, User.full_name, User.telegram_id).where(User.id.in_(wanted)))
    return {uid: name or str(tg) for uid, name, tg in rows}


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


WorkContact = Literal["work_phone", "work_email"]


async def set_work_contact(
    session: AsyncSession, user_id: int, field: WorkContact, value: str | None
) -> None:
    """R4b: the user's own work phone (E.164) or work e-mail (lower-case); ``None`` removes it."""
    async with write_tx(session):
        await session.execute(update(User).where(User.id == user_id).values({field: value}))


async def set_weekly_report(session: AsyncSession, user_id: int, on: bool) -> None:
    """A team lead's or an admin's Monday report, on or off (``domain.reminders.weekly_report_key``)."""
    async with write_tx(session):
        await session.execute(update(User).where(User.id == user_id).values(weekly_report=on))


async def employee_value(session: AsyncSession, *, phone: str | None, email: str | None) -> str | None:
    """R4b: ``"phone"`` or ``"email"`` when that value of a client's contact is a user's own work phone or
    work e-mail (any user's, active or not), else ``None``."""
    if phone:
        found = await session.scalar(select(User.id).where(User.work_phone == phone).limit(1))
        if found is not None:
            return "phone"
    if email:
        found = await session.scalar(select(User.id).where(User.work_email == email.lower()).limit(1))
        if found is not None:
            return "email"
    return None


async def company_is_new(session: AsyncSession) -> bool:
    """No team yet and nobody but admins: the company is still being set up."""
    team = await session.scalar(select(Team.id).limit(1))
    member = await session.scalar(select(User.id).where(User.role != "admin").limit(1))
    return team is None and member is None


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


# ---------------------------------------------------------------------------------------------
# Administering users and teams (admins)
# ---------------------------------------------------------------------------------------------

TEAM_NAME = (limits.TEAM_NAME_MIN, limits.TEAM_NAME)


class Refused(Exception):
    """A change refused; ``key`` is the Fluent id of the reason."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class Conversion(StrEnum):
    """``User.can_convert_clients``: the role's default, allowed, or forbidden."""

    DEFAULT = "default"
    ALLOWED = "allowed"
    FORBIDDEN = "forbidden"

    @property
    def value_of(self) -> bool | None:
        return {"default": None, "allowed": True, "forbidden": False}[self.value]

    @classmethod
    def of(cls, value: bool | None) -> Conversion:
        return cls.DEFAULT if value is None else cls.ALLOWED if value else cls.FORBIDDEN


@dataclass(frozen=True)
class Listed:
    user: User
    team_name: str | None


async def users_page(session: AsyncSession, page: int) -> tuple[list[Listed], bool]:
    """Everyone: active first, then by name."""
    rows = (
        await session.execute(
            select(User, Team.name)
            .outerjoin(Team, Team.id == User.team_id)
            .order_by(User.is_active.desc(), User.full_name, User.id)
            .limit(PAGE_SIZE + 1)
            .offset(offset(page))
        )
    ).all()
    items = [Listed(row[0], row[1]) for row in rows]
    return trim(items)


async def team_name(session: AsyncSession, team_id: int | None) -> str | None:
    if team_id is None:
        return None
    return await session.scalar(select(Team.name).where(Team.id == team_id))


async def admin_actor(session: AsyncSession, actor_id: int) -> User:
    actor = await get_user(session, actor_id)
    if actor is None or not actor.is_active or actor.role != Role.ADMIN.value:
        raise Refused("admin-only")
    return actor


async def target_user(session: AsyncSession, user_id: int) -> User:
    user = await get_user(session, user_id)
    if user is None:
        raise Refused("button-stale")
    return user


async def other_active_admins(session: AsyncSession, user_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == Role.ADMIN.value, User.is_active.is_(True), User.id != user_id)
        )
        or 0
    )


async def change_role(
    session: AsyncSession, actor_id: int, user_id: int, role: Role, admin_ids: Collection[int]
) -> bool:
    """Returns False when nothing changed. ``ADMIN_IDS`` people stay admins: they would be promoted back."""
    async with write_tx(session):
        await admin_actor(session, actor_id)
        user = await target_user(session, user_id)
        if user.role == role.value:
            return False
        if user.role == Role.ADMIN.value:
            if user.telegram_id in admin_ids:
                raise Refused("team-admin-id-locked")
            if user.is_active and not await other_active_admins(session, user.id):
                raise Refused("team-last-admin")
        before = user.role
        user.role = role.value
        audit.record(
            session,
            actor_id=actor_id,
            entity="user",
            entity_id=user.id,
            action="role_changed",
            before={"role": before},
            after={"role": role.value},
        )
    return True


async def change_team(session: AsyncSession, actor_id: int, user_id: int, team_id: int | None) -> bool:
    async with write_tx(session):
        await admin_actor(session, actor_id)
        user = await target_user(session, user_id)
        if team_id is not None and await session.get(Team, team_id) is None:
            raise Refused("button-stale")
        return _move(session, actor_id, user, team_id)


def _move(session: AsyncSession, actor_id: int, user: User, team_id: int | None) -> bool:
    if user.team_id == team_id:
        return False
    before = user.team_id
    user.team_id = team_id
    audit.record(
        session,
        actor_id=actor_id,
        entity="user",
        entity_id=user.id,
        action="team_changed",
        before={"team_id": before},
        after={"team_id": team_id},
    )
    return True


def check_team_name(text: str) -> str:
    name = " ".join(text.split())
    if not TEAM_NAME[0] <= len(name) <= TEAM_NAME[1]:
        raise Refused("team-name-invalid")
    return name


async def move_to_team_named(session: AsyncSession, actor_id: int, user_id: int, text: str) -> str:
    """Move the user into the team of that name (case-insensitive), creating it; returns the team's name."""
    name = check_team_name(text)
    try:
        async with write_tx(session):
            await admin_actor(session, actor_id)
            user = await target_user(session, user_id)
            wanted = name.casefold()
            team = next((t for t in await list_teams(session) if t.name.casefold() == wanted), None)
            if team is None:
                team = Team(name=name)
                session.add(team)
                await session.flush()
                audit.record(
                    session, actor_id=actor_id, entity="team", entity_id=team.id, action="created",
                    after={"name": name},
                )  # fmt: skip
            _move(session, actor_id, user, team.id)
            return team.name
    except IntegrityError:
        raise Refused("team-name-invalid") from None


async def set_conversion(session: AsyncSession, actor_id: int, user_id: int, value: Conversion) -> bool:
    async with write_tx(session):
        await admin_actor(session, actor_id)
        user = await target_user(session, user_id)
        if user.can_convert_clients is value.value_of:
            return False
        before = Conversion.of(user.can_convert_clients)
        user.can_convert_clients = value.value_of
        audit.record(
            session,
            actor_id=actor_id,
            entity="user",
            entity_id=user.id,
            action="permission_changed",
            before={"can_convert_clients": before.value},
            after={"can_convert_clients": value.value},
        )
    return True

"""A report's scope in SQL, the scopes a reader may pick, and the people a scope covers (R1c).

A record belongs to a scope by its responsible user: the company is everyone, a team is its members (as they
are now), a user is that user. Work of a manager who moved to another team is counted where they are now:
reports answer "how is my team doing", not an archive of past org charts.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from db.models import Team, User
from domain.access import Actor, Role
from domain.errors import NotAllowed
from domain.report_scope import Scope, ScopeKind, may_view


def in_scope(
    scope: Scope, responsible: InstrumentedAttribute[int] | ColumnElement[int]
) -> ColumnElement[bool]:
    """SQL condition: the record's responsible user is in ``scope``."""
    if scope.kind is ScopeKind.COMPANY:
        return true()
    if scope.kind is ScopeKind.TEAM:
        return responsible.in_(select(User.id).where(User.team_id == scope.id).scalar_subquery())
    return responsible == scope.id


async def authorise(session: AsyncSession, actor: Actor, scope: Scope) -> None:
    """R1c, again on every build: the scope exists and the reader may see it; ``NotAllowed`` otherwise."""
    user_team: int | None = None
    if scope.kind is ScopeKind.USER:
        user = await session.get(User, scope.id)
        if user is None:
            raise NotAllowed("no such user")
        user_team = user.team_id
    elif scope.kind is ScopeKind.TEAM and await session.get(Team, scope.id) is None:
        raise NotAllowed("no such team")
    if not may_view(actor, scope, user_team):
        raise NotAllowed("the scope is not the reader's")


async def members(session: AsyncSession, scope: Scope) -> list[User]:
    """The people whose work the scope covers, by name: the user, the team's members, or everyone."""
    query = select(User).order_by(User.full_name, User.id)
    if scope.kind is ScopeKind.TEAM:
        query = query.where(User.team_id == scope.id)
    elif scope.kind is ScopeKind.USER:
        query = query.where(User.id == scope.id)
    return list(await session.scalars(query))


async def member_of(session: AsyncSession, scope: Scope, user_id: int) -> User:
    """R1c for a list behind a figure: the user whose list it is belongs to the (authorised) scope and is
    not an admin; ``NotAllowed`` otherwise, so a forged user id opens nothing."""
    user = await session.get(User, user_id)
    inside = user is not None and (
        scope.kind is ScopeKind.COMPANY
        or (scope.kind is ScopeKind.TEAM and user.team_id == scope.id)
        or (scope.kind is ScopeKind.USER and user.id == scope.id)
    )
    if user is None or not inside or user.role == "admin":
        raise NotAllowed("the list's user is not in the scope")
    return user


async def choices(session: AsyncSession, actor: Actor) -> list[tuple[Scope, str | None]]:
    """The scopes the reader may pick, broadest first, with the team's or person's name (``None`` for the
    company and for the reader themself, which the window names from the catalog)."""
    me = Scope(ScopeKind.USER, actor.user_id)
    if actor.role is Role.ADMIN:
        teams = await session.scalars(select(Team).order_by(Team.name))
        people = await members(session, Scope(ScopeKind.COMPANY))
        return [
            (Scope(ScopeKind.COMPANY), None),
            *((Scope(ScopeKind.TEAM, team.id), team.name) for team in teams),
            *((Scope(ScopeKind.USER, user.id), _name(user)) for user in people if user.role != "admin"),
        ]
    if actor.role is Role.TEAM_LEAD and actor.team_id is not None:
        team = await session.get(Team, actor.team_id)
        people = await members(session, Scope(ScopeKind.TEAM, actor.team_id))
        return [
            (Scope(ScopeKind.TEAM, actor.team_id), team.name if team else None),
            *((Scope(ScopeKind.USER, user.id), _name(user)) for user in people if user.id != actor.user_id),
            (me, None),
        ]
    return [(me, None)]


def _name(user: User) -> str:
    return user.full_name or str(user.telegram_id)


async def scope_name(session: AsyncSession, scope: Scope) -> str | None:
    """The team's or the person's name; ``None`` for the company."""
    if scope.kind is ScopeKind.TEAM:
        team = await session.get(Team, scope.id)
        return team.name if team else None
    if scope.kind is ScopeKind.USER:
        user = await session.get(User, scope.id)
        return _name(user) if user else None
    return None

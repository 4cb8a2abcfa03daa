"""Whose work a report covers (seed 001/003 reports, SPEC "Access", R1c).

- A manager sees their own work.
- A team lead sees the team, and each member in turn.
- An admin sees the company, each team and each manager.

A scope travels in dialog data as a short code (``c``, ``t:3``, ``u:17``) and is authorised again every time
a report is built from it (:func:`may_view`): a forged or stale code shows nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.access import Actor, Role


class ScopeKind(StrEnum):
    COMPANY = "c"
    TEAM = "t"
    USER = "u"


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    id: int | None = None

    def code(self) -> str:
        return self.kind.value if self.id is None else f"{self.kind.value}:{self.id}"

    @classmethod
    def parse(cls, code: str) -> Scope:
        """The scope of ``code``; ``ValueError`` for anything that is not one."""
        kind, _, number = code.partition(":")
        scope_kind = ScopeKind(kind)
        if scope_kind is ScopeKind.COMPANY:
            if number:
                raise ValueError("the company scope has no id")
            return cls(scope_kind)
        if not number.isdigit():
            raise ValueError("a team or user scope needs an id")
        return cls(scope_kind, int(number))


def own_scope(actor: Actor) -> Scope:
    """Where a report starts: the company for an admin, the team for a team lead, oneself for a manager."""
    if actor.role is Role.ADMIN:
        return Scope(ScopeKind.COMPANY)
    if actor.role is Role.TEAM_LEAD and actor.team_id is not None:
        return Scope(ScopeKind.TEAM, actor.team_id)
    return Scope(ScopeKind.USER, actor.user_id)


def may_view(actor: Actor, scope: Scope, user_team_id: int | None = None) -> bool:
    """R1c for reports. ``user_team_id`` is the team of the scope's user (a ``u:`` scope)."""
    if actor.role is Role.ADMIN:
        return True
    if scope.kind is ScopeKind.USER and scope.id == actor.user_id:
        return True
    if actor.role is not Role.TEAM_LEAD or actor.team_id is None:
        return False
    if scope.kind is ScopeKind.TEAM:
        return scope.id == actor.team_id
    return scope.kind is ScopeKind.USER and user_team_id == actor.team_id

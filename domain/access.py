"""Who may see and act on what (R1c and SPEC "Access").

R1c: only a lead's responsible manager, that manager's team lead, or an admin may log interactions
on it, convert it or reject it. Visibility follows the same shape: a manager sees their own work, a
team lead the whole team's, an admin everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    MANAGER = "manager"
    TEAM_LEAD = "team_lead"
    ADMIN = "admin"


@dataclass(frozen=True)
class Actor:
    """The user doing something: their id, role and team (``None`` when not in a team)."""

    user_id: int
    role: Role
    team_id: int | None


def _leads_team_of(actor: Actor, owner_team_id: int | None) -> bool:
    return actor.role is Role.TEAM_LEAD and actor.team_id is not None and actor.team_id == owner_team_id


def may_act_on(actor: Actor, owner_id: int, owner_team_id: int | None) -> bool:
    """R1c: the responsible manager (``owner_id``), that manager's team lead, or an admin."""
    return actor.role is Role.ADMIN or actor.user_id == owner_id or _leads_team_of(actor, owner_team_id)


def can_see(actor: Actor, owner_id: int, owner_team_id: int | None) -> bool:
    """Access: a manager sees their own records, a team lead the team's, an admin everything.

    Contacts and clients are visible through the leads and deals linked to them: a caller checks
    each linked record's owner. R5b uses this to decide whether to mask a duplicate's phone and
    e-mail.
    """
    return may_act_on(actor, owner_id, owner_team_id)


def can_convert_client(actor: Actor) -> bool:
    """Access: turning a Client into a Counterparty needs a team lead or an admin by default.

    Anyone else sends the document along a route to an approver instead.
    """
    return actor.role in {Role.TEAM_LEAD, Role.ADMIN}

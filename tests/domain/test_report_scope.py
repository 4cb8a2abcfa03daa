"""Report scopes follow R1c: a manager sees their own work, a team lead the team and its members, an admin
everything; a scope code that is not one is refused."""

from __future__ import annotations

import pytest

from domain.access import Actor, Role
from domain.report_scope import Scope, ScopeKind, may_view, own_scope

ADMIN = Actor(1, Role.ADMIN, None)
LEAD = Actor(2, Role.TEAM_LEAD, 10)
MANAGER = Actor(3, Role.MANAGER, 10)


def test_codes_round_trip_and_forged_codes_are_refused() -> None:
    for scope in (Scope(ScopeKind.COMPANY), Scope(ScopeKind.TEAM, 4), Scope(ScopeKind.USER, 17)):
        assert Scope.parse(scope.code()) == scope
    for bad in ("", "x", "t", "t:", "u:abc", "c:1", "u:-1"):
        with pytest.raises(ValueError):
            Scope.parse(bad)


def test_where_each_role_starts() -> None:
    assert own_scope(ADMIN) == Scope(ScopeKind.COMPANY)
    assert own_scope(LEAD) == Scope(ScopeKind.TEAM, 10)
    assert own_scope(MANAGER) == Scope(ScopeKind.USER, 3)
    assert own_scope(Actor(5, Role.TEAM_LEAD, None)) == Scope(ScopeKind.USER, 5)


def test_r1c_for_reports() -> None:
    company, team, other_team = Scope(ScopeKind.COMPANY), Scope(ScopeKind.TEAM, 10), Scope(ScopeKind.TEAM, 11)
    assert all(may_view(ADMIN, scope) for scope in (company, team, other_team, Scope(ScopeKind.USER, 99)))
    assert may_view(LEAD, team) and not may_view(LEAD, other_team) and not may_view(LEAD, company)
    assert may_view(LEAD, Scope(ScopeKind.USER, 3), user_team_id=10)
    assert not may_view(LEAD, Scope(ScopeKind.USER, 8), user_team_id=11)
    assert may_view(MANAGER, Scope(ScopeKind.USER, 3))
    assert not may_view(MANAGER, Scope(ScopeKind.USER, 4), user_team_id=10)
    assert not may_view(MANAGER, team) and not may_view(MANAGER, company)

"""R1c and SPEC "Access": who may act on and see a lead, a deal, a contact."""

from __future__ import annotations

import pytest

from domain.access import Actor, Role, can_convert_client, can_see, may_act_on

OWNER_ID = 10
TEAM = 1
OWNER = Actor(OWNER_ID, Role.MANAGER, TEAM)
COLLEAGUE = Actor(11, Role.MANAGER, TEAM)
OWN_LEAD = Actor(20, Role.TEAM_LEAD, TEAM)
OTHER_LEAD = Actor(21, Role.TEAM_LEAD, 2)
LEAD_WITHOUT_TEAM = Actor(22, Role.TEAM_LEAD, None)
ADMIN = Actor(1, Role.ADMIN, None)
STRANGER = Actor(30, Role.MANAGER, 2)


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        (OWNER, True),
        (OWN_LEAD, True),
        (ADMIN, True),
        (COLLEAGUE, False),
        (OTHER_LEAD, False),
        (STRANGER, False),
    ],
    ids=["responsible-manager", "their-team-lead", "admin", "colleague", "other-team-lead", "stranger"],
)
def test_r1c_only_owner_their_team_lead_or_admin_may_act(actor: Actor, allowed: bool) -> None:
    assert may_act_on(actor, OWNER_ID, TEAM) is allowed
    assert can_see(actor, OWNER_ID, TEAM) is allowed


def test_r1c_team_lead_without_a_team_leads_nobody() -> None:
    assert not may_act_on(LEAD_WITHOUT_TEAM, OWNER_ID, None)
    assert not can_see(LEAD_WITHOUT_TEAM, OWNER_ID, None)


def test_r1c_manager_without_a_team_still_owns_their_leads() -> None:
    loner = Actor(40, Role.MANAGER, None)
    assert may_act_on(loner, 40, None)


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [(OWNER, False), (OWN_LEAD, True), (ADMIN, True)],
    ids=["manager-routes-to-approver", "team-lead", "admin"],
)
def test_access_converting_client_into_counterparty(actor: Actor, allowed: bool) -> None:
    assert can_convert_client(actor) is allowed


def test_roles_are_stored_as_plain_strings() -> None:
    assert [role.value for role in Role] == ["manager", "team_lead", "admin"]

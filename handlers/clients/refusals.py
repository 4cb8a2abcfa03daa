"""The registry's refusals: domain errors with their own catalog key (a plain alert for a button, a message
for text, answered in ``bot.errors``). Nothing was changed when one is raised."""

from __future__ import annotations

from domain.errors import Closed, Conflict, NotAllowed


class ConvertDenied(NotAllowed):
    """SPEC "Access": converting needs the permission to convert."""

    key = "clients-convert-denied"


class RouteNotNeeded(NotAllowed):
    """A user with the permission converts the client themselves."""

    key = "clients-route-not-needed"


class ApproverInvalid(NotAllowed):
    """The chosen approver lacks the permission, or is the requester."""

    key = "clients-approver-invalid"


class HasCounterparty(Conflict):
    key = "clients-refused-has-counterparty"


class RouteExists(Conflict):
    """One pending route per client."""

    key = "clients-refused-route-pending"


class InnInUse(Conflict):
    key = "clients-refused-inn-taken"


class RouteDecided(Closed):
    """The route is decided or withdrawn, or it is not addressed to (or sent by) this user."""

    key = "clients-route-decided"

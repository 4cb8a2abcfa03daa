"""R1: leads and their conversion into deals.

R1a: a contact may have many leads. R1b: leads may have different responsible managers.
R1c: who may act on a lead is decided in :mod:`domain.access`.
R1d: a lead converts into a deal only with at least one qualifying interaction (a call that reached
the client, correspondence with the client's reply, or a meeting that took place) carrying an
expanded comment (R3). R2d: a deal is made only from a lead, and takes the lead's contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from domain.comments import DEFAULT_COMMENT_POLICY, CommentPolicy
from domain.interactions import Interaction, is_qualifying


class LeadStatus(StrEnum):
    OPEN = "open"
    CONVERTED = "converted"
    REJECTED = "rejected"


@dataclass
class Lead:
    """A lead: an inquiry, an interest, a "hook" on one contact (R1a)."""

    id: int | None
    contact_id: int
    responsible_id: int
    status: LeadStatus
    interactions: Sequence[Interaction] = ()


@dataclass(frozen=True)
class Decision:
    """Whether something is allowed; when not, the Fluent keys of the reasons."""

    ok: bool
    reasons: tuple[str, ...] = ()

    @classmethod
    def of(cls, reasons: Sequence[str]) -> Decision:
        return cls(ok=not reasons, reasons=tuple(reasons))


def can_convert(lead: Lead, policy: CommentPolicy = DEFAULT_COMMENT_POLICY) -> Decision:
    """R1d: an open lead with at least one qualifying interaction (R3 expanded comment included)."""
    reasons: list[str] = []
    if lead.status is not LeadStatus.OPEN:
        reasons.append("err-lead-not-open")
    if not any(is_qualifying(interaction, policy) for interaction in lead.interactions):
        reasons.append("err-lead-no-qualifying-interaction")
    return Decision.of(reasons)


def can_reject(lead: Lead) -> Decision:
    """R2a: a refusal is recorded as a rejected lead; only an open lead can be rejected."""
    return Decision.of([] if lead.status is LeadStatus.OPEN else ["err-lead-not-open"])

"""R1: interactions with the client, and which of them qualify.

R1d: a qualifying interaction is a call that reached the client, correspondence in which the client
replied, or a meeting that took place, AND it carries an expanded comment (R3).
R1e: a message the manager sent and the client never answered is not correspondence.
R2h: only qualifying interactions move a deal's inactivity deadline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.comments import DEFAULT_COMMENT_POLICY, CommentPolicy, is_expanded_comment
from domain.errors import ValidationError


class InteractionKind(StrEnum):
    CALL = "call"
    CORRESPONDENCE = "correspondence"
    MEETING = "meeting"


class Outcome(StrEnum):
    REACHED = "reached"
    NOT_REACHED = "not_reached"
    REPLIED = "replied"
    NO_REPLY = "no_reply"
    HELD = "held"
    NOT_HELD = "not_held"


# For each kind: (the outcome that reaches the client, the one that does not).
_OUTCOMES: dict[InteractionKind, tuple[Outcome, Outcome]] = {
    InteractionKind.CALL: (Outcome.REACHED, Outcome.NOT_REACHED),
    InteractionKind.CORRESPONDENCE: (Outcome.REPLIED, Outcome.NO_REPLY),
    InteractionKind.MEETING: (Outcome.HELD, Outcome.NOT_HELD),
}


def outcomes_for(kind: InteractionKind) -> tuple[Outcome, Outcome]:
    """The outcomes a manager may pick for a kind, the one that reaches the client first."""
    return _OUTCOMES[kind]


def reaches_client(kind: InteractionKind, outcome: Outcome) -> bool:
    """R1d/R1e: the call got through, the client replied, or the meeting took place."""
    return _OUTCOMES[kind][0] is outcome


@dataclass(frozen=True)
class Interaction:
    """A logged call, correspondence or meeting with its two-part comment (R3c)."""

    kind: InteractionKind
    outcome: Outcome
    occurred_at: datetime
    author_id: int
    discussed: str | None = None
    agreed: str | None = None

    def __post_init__(self) -> None:
        if self.outcome not in _OUTCOMES[self.kind]:
            raise ValidationError(
                "err-interaction-outcome-mismatch", "outcome does not belong to the interaction kind"
            )

    @property
    def reaches_client(self) -> bool:
        return reaches_client(self.kind, self.outcome)


def qualifies(
    kind: str,
    outcome: str,
    discussed: str | None,
    agreed: str | None,
    policy: CommentPolicy = DEFAULT_COMMENT_POLICY,
) -> bool:
    """R1d, R1e, R3: whether an interaction qualifies a lead (and moves a deal's R2h deadline).

    The one place the rule is decided: ``/log`` (before and at saving), the lead card and the lead's
    conversion into a deal all come here, with the same comment policy, so they cannot disagree. It
    qualifies when it reached the client (a call that got through, correspondence the client answered,
    a meeting that took place; R1e: an unanswered message is not correspondence) AND its two-part comment
    is expanded (R3). Values as stored are accepted: an unknown kind or an outcome of another kind never
    qualifies.
    """
    try:
        known_kind, known_outcome = InteractionKind(kind), Outcome(outcome)
    except ValueError:
        return False
    if known_outcome not in _OUTCOMES[known_kind]:
        return False
    return reaches_client(known_kind, known_outcome) and is_expanded_comment(discussed, agreed, policy)


def is_qualifying(interaction: Interaction, policy: CommentPolicy = DEFAULT_COMMENT_POLICY) -> bool:
    """R1d: :func:`qualifies` for a domain interaction."""
    return qualifies(interaction.kind, interaction.outcome, interaction.discussed, interaction.agreed, policy)


def from_stored(
    kind: str,
    outcome: str,
    occurred_at: datetime,
    author_id: int,
    discussed: str | None,
    agreed: str | None,
) -> Interaction | None:
    """The domain view of a stored interaction, or ``None`` for an impossible kind or outcome."""
    try:
        return Interaction(InteractionKind(kind), Outcome(outcome), occurred_at, author_id, discussed, agreed)
    except ValueError:
        return None


def qualifying_interactions(
    interactions: Iterable[Interaction], policy: CommentPolicy = DEFAULT_COMMENT_POLICY
) -> list[Interaction]:
    """The interactions that count for R1d and R2h, in the given order."""
    return [interaction for interaction in interactions if is_qualifying(interaction, policy)]


def last_qualifying_at(
    interactions: Iterable[Interaction],
    policy: CommentPolicy = DEFAULT_COMMENT_POLICY,
    *,
    author_id: int | None = None,
) -> datetime | None:
    """R2h: when the latest qualifying interaction happened, or ``None``.

    Unanswered calls and comments that are not expanded do not count. ``author_id`` narrows it to
    one author, for a reading of R2h that counts only the responsible manager's own interactions;
    by default anyone allowed to act on the record (R1c) counts.
    """
    moments = [
        interaction.occurred_at
        for interaction in qualifying_interactions(interactions, policy)
        if author_id is None or interaction.author_id == author_id
    ]
    return max(moments, default=None)

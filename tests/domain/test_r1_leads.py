"""R1: qualifying interactions and converting a lead into a deal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import ValidationError
from domain.interactions import (
    Interaction,
    InteractionKind,
    Outcome,
    is_qualifying,
    last_qualifying_at,
    outcomes_for,
    qualifying_interactions,
    reaches_client,
)
from domain.leads import Lead, LeadStatus, can_convert, can_reject

DISCUSSED = "Обсудили поставку 20 труб на объект, клиенту важна цена"
AGREED = "Отправляю КП со скидкой до пятницы, созвон в понедельник"
AT = datetime(2026, 5, 13, 12, 0, tzinfo=UTC)

Kind = InteractionKind


def interaction(
    kind: InteractionKind,
    outcome: Outcome,
    discussed: str | None = DISCUSSED,
    agreed: str | None = AGREED,
    at: datetime = AT,
    author_id: int = 10,
) -> Interaction:
    return Interaction(kind, outcome, at, author_id, discussed, agreed)


@pytest.mark.parametrize(
    ("kind", "outcome", "reaches"),
    [
        (Kind.CALL, Outcome.REACHED, True),
        (Kind.CALL, Outcome.NOT_REACHED, False),
        (Kind.CORRESPONDENCE, Outcome.REPLIED, True),
        (Kind.CORRESPONDENCE, Outcome.NO_REPLY, False),
        (Kind.MEETING, Outcome.HELD, True),
        (Kind.MEETING, Outcome.NOT_HELD, False),
    ],
    ids=[
        "call-got-through",
        "unanswered-call",
        "client-replied",
        "r1e-message-without-reply-is-not-correspondence",
        "meeting-took-place",
        "meeting-did-not-happen",
    ],
)
def test_r1d_what_reaches_the_client(kind: InteractionKind, outcome: Outcome, reaches: bool) -> None:
    assert reaches_client(kind, outcome) is reaches
    assert is_qualifying(interaction(kind, outcome)) is reaches


def test_r1d_outcomes_offered_per_kind() -> None:
    assert outcomes_for(Kind.CALL) == (Outcome.REACHED, Outcome.NOT_REACHED)
    assert outcomes_for(Kind.CORRESPONDENCE) == (Outcome.REPLIED, Outcome.NO_REPLY)
    assert outcomes_for(Kind.MEETING) == (Outcome.HELD, Outcome.NOT_HELD)


def test_r1d_outcome_must_fit_the_kind() -> None:
    with pytest.raises(ValidationError) as caught:
        interaction(Kind.CALL, Outcome.REPLIED)
    assert caught.value.key == "err-interaction-outcome-mismatch"
    assert not reaches_client(Kind.MEETING, Outcome.REACHED)


@pytest.mark.parametrize(
    ("discussed", "agreed"),
    [("пообщались", "думает"), ("НД", "перезвонить"), (None, None), (DISCUSSED, DISCUSSED)],
    ids=["filler", "shorthand", "no-comment", "repeated-part"],
)
def test_r1d_reached_client_without_expanded_comment_does_not_qualify(
    discussed: str | None, agreed: str | None
) -> None:
    assert not is_qualifying(interaction(Kind.CALL, Outcome.REACHED, discussed, agreed))


def open_lead(*interactions: Interaction, status: LeadStatus = LeadStatus.OPEN) -> Lead:
    return Lead(id=1, contact_id=7, responsible_id=10, status=status, interactions=interactions)


@pytest.mark.parametrize(
    "history",
    [
        (interaction(Kind.CALL, Outcome.REACHED),),
        (interaction(Kind.CORRESPONDENCE, Outcome.REPLIED),),
        (interaction(Kind.MEETING, Outcome.HELD),),
        (
            interaction(Kind.CALL, Outcome.NOT_REACHED, "НД", "перезвонить"),
            interaction(Kind.CALL, Outcome.REACHED),
        ),
    ],
    ids=["call", "correspondence", "meeting", "after-unanswered-calls"],
)
def test_r1d_lead_converts_after_a_qualifying_interaction(history: tuple[Interaction, ...]) -> None:
    decision = can_convert(open_lead(*history))
    assert decision.ok
    assert decision.reasons == ()


@pytest.mark.parametrize(
    "history",
    [
        (),
        (interaction(Kind.CALL, Outcome.NOT_REACHED),),
        (interaction(Kind.CORRESPONDENCE, Outcome.NO_REPLY),),
        (interaction(Kind.MEETING, Outcome.NOT_HELD),),
        (interaction(Kind.CALL, Outcome.REACHED, "пообщались", "думает"),),
    ],
    ids=[
        "no-interaction",
        "unanswered-call",
        "r1e-sent-message-without-reply",
        "meeting-not-held",
        "call-with-shorthand-comment",
    ],
)
def test_r1d_lead_does_not_convert_without_one(history: tuple[Interaction, ...]) -> None:
    decision = can_convert(open_lead(*history))
    assert not decision.ok
    assert decision.reasons == ("err-lead-no-qualifying-interaction",)


@pytest.mark.parametrize("status", [LeadStatus.CONVERTED, LeadStatus.REJECTED])
def test_r1_closed_lead_neither_converts_nor_rejects(status: LeadStatus) -> None:
    lead = open_lead(interaction(Kind.CALL, Outcome.REACHED), status=status)
    assert can_convert(lead).reasons == ("err-lead-not-open",)
    assert can_reject(lead).reasons == ("err-lead-not-open",)


def test_r2a_open_lead_can_be_rejected() -> None:
    assert can_reject(open_lead()).ok


def test_r2h_only_qualifying_interactions_count_for_the_deadline() -> None:
    earlier = datetime(2026, 3, 1, tzinfo=UTC)
    later = datetime(2026, 4, 1, tzinfo=UTC)
    latest = datetime(2026, 5, 1, tzinfo=UTC)
    history = [
        interaction(Kind.CALL, Outcome.REACHED, at=earlier, author_id=10),
        interaction(Kind.MEETING, Outcome.HELD, at=later, author_id=20),
        interaction(Kind.CALL, Outcome.NOT_REACHED, at=latest),
        interaction(Kind.CALL, Outcome.REACHED, "ок", "ок", at=latest),
    ]
    assert len(qualifying_interactions(history)) == 2
    assert last_qualifying_at(history) == later
    assert last_qualifying_at(history, author_id=10) == earlier
    assert last_qualifying_at(history[2:]) is None

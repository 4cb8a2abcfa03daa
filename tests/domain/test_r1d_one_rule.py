"""R1d, R1e, R3: whether an interaction qualifies a lead is one function, ``domain.interactions.qualifies``.

Three places ask: ``/log`` (its summary and the saved verdict, through ``is_qualifying`` on the form's
interaction), the lead card (its «last qualifying contact», from the stored rows) and the lead's conversion
into a deal (``can_convert`` over the stored rows). One table of cases, under two comment policies, proves
they give the same answer. The stored ``qualifying`` flag is written by ``/log`` under the policy of its day;
the card and the conversion do not read it, so a flag written under another policy cannot split them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.repo import deals as deals_repo
from db.repo import leads as leads_repo
from domain.comments import DEFAULT_COMMENT_POLICY, CommentPolicy
from domain.interactions import (
    Interaction,
    InteractionKind,
    Outcome,
    from_stored,
    is_qualifying,
    last_qualifying_at,
    qualifies,
)
from domain.leads import Lead, LeadStatus, can_convert
from tests.factories import make_contact, make_interaction, make_lead, make_user

AT = datetime(2026, 5, 13, 12, 0, tzinfo=UTC)
# Expanded under the default policy (3 words per part), not under a stricter one asking for 5.
DISCUSSED = "Обсудили потребность склада в сканерах"
AGREED = "Отправляем коммерческое предложение до пятницы"
STRICT = CommentPolicy.from_config(None, 5)

# (case id, kind, outcome, discussed, agreed, qualifies under the default policy)
CASES: list[tuple[str, str, str, str | None, str | None, bool]] = [
    ("call-reached-expanded", "call", "reached", DISCUSSED, AGREED, True),
    ("call-not-reached-expanded", "call", "not_reached", DISCUSSED, AGREED, False),
    ("reply-expanded", "correspondence", "replied", DISCUSSED, AGREED, True),
    ("r1e-no-reply-expanded", "correspondence", "no_reply", DISCUSSED, AGREED, False),
    ("meeting-held-expanded", "meeting", "held", DISCUSSED, AGREED, True),
    ("meeting-not-held-expanded", "meeting", "not_held", DISCUSSED, AGREED, False),
    ("r3b-call-reached-shorthand", "call", "reached", "ок", "ок", False),
    ("r3c-agreed-missing", "call", "reached", DISCUSSED, None, False),
    ("r3c-discussed-missing", "meeting", "held", None, AGREED, False),
    ("r3b-filler", "correspondence", "replied", "созвонились", "всё норм", False),
]
POLICIES = [("default", DEFAULT_COMMENT_POLICY), ("strict", STRICT)]


def _expected(default_answer: bool, policy_name: str) -> bool:
    # The stricter policy refuses the expanded texts of the table, so nothing qualifies under it.
    return default_answer and policy_name == "default"


def _log_verdict(
    kind: str, outcome: str, discussed: str | None, agreed: str | None, policy: CommentPolicy
) -> bool:
    """What ``/log`` shows and stores: ``is_qualifying`` on the interaction its form built."""
    interaction = Interaction(InteractionKind(kind), Outcome(outcome), AT, 1, discussed, agreed)
    return is_qualifying(interaction, policy)


def _conversion_verdict(interaction: Interaction | None, policy: CommentPolicy) -> bool:
    """What conversion decides: ``can_convert`` over the lead's stored interactions."""
    interactions = [] if interaction is None else [interaction]
    return can_convert(Lead(1, 1, 1, LeadStatus.OPEN, interactions), policy).ok


@pytest.mark.parametrize("policy_name,policy", POLICIES, ids=[name for name, _ in POLICIES])
@pytest.mark.parametrize(
    "kind,outcome,discussed,agreed,default_answer",
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_r1d_log_card_and_conversion_agree_in_the_domain(
    kind: str,
    outcome: str,
    discussed: str | None,
    agreed: str | None,
    default_answer: bool,
    policy_name: str,
    policy: CommentPolicy,
) -> None:
    expected = _expected(default_answer, policy_name)
    stored = from_stored(kind, outcome, AT, 1, discussed, agreed)
    assert stored is not None
    answers = {
        "rule": qualifies(kind, outcome, discussed, agreed, policy),
        "/log": _log_verdict(kind, outcome, discussed, agreed, policy),
        "conversion": _conversion_verdict(stored, policy),
        "R2h deadline": last_qualifying_at([stored], policy) is not None,
    }
    assert answers == dict.fromkeys(answers, expected)


@pytest.mark.parametrize(
    "kind,outcome",
    [("call", "held"), ("meeting", "replied"), ("fax", "reached"), ("call", "")],
    ids=["call-with-meeting-outcome", "meeting-with-reply-outcome", "unknown-kind", "empty-outcome"],
)
def test_r1d_an_impossible_stored_row_never_qualifies(kind: str, outcome: str) -> None:
    assert qualifies(kind, outcome, DISCUSSED, AGREED) is False
    assert from_stored(kind, outcome, AT, 1, DISCUSSED, AGREED) is None
    assert _conversion_verdict(None, DEFAULT_COMMENT_POLICY) is False


@pytest.mark.parametrize("policy_name,policy", POLICIES, ids=[name for name, _ in POLICIES])
@pytest.mark.parametrize(
    "kind,outcome,discussed,agreed,default_answer",
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
async def test_r1d_stored_row_card_and_conversion_agree_with_log(
    sessionmaker: async_sessionmaker[AsyncSession],
    kind: str,
    outcome: str,
    discussed: str | None,
    agreed: str | None,
    default_answer: bool,
    policy_name: str,
    policy: CommentPolicy,
) -> None:
    """The same table through the repositories: the card and the conversion decide from the row itself.

    The stored flag is set to the opposite answer, as if written under another policy: neither reads it.
    """
    expected = _expected(default_answer, policy_name)
    manager = await make_user(sessionmaker, 701)
    contact = await make_contact(sessionmaker, manager)
    lead_id = await make_lead(sessionmaker, contact, manager)
    await make_interaction(
        sessionmaker,
        manager,
        lead_id=lead_id,
        kind=kind,
        outcome=outcome,
        discussed=discussed,
        agreed=agreed,
        qualifying=not expected,
    )
    async with sessionmaker() as session:
        card = await leads_repo.lead_card(session, lead_id, policy)
        lead = await deals_repo.get_lead(session, lead_id)
        assert card is not None and lead is not None
        decision = await deals_repo.conversion_decision(session, lead, policy)
    answers = {
        "/log": _log_verdict(kind, outcome, discussed, agreed, policy),
        "lead card": card.last_qualifying is not None,
        "conversion": decision.ok,
    }
    assert answers == dict.fromkeys(answers, expected)
    if not expected:
        assert "err-lead-no-qualifying-interaction" in decision.reasons


async def test_r1d_the_card_shows_the_latest_qualifying_interaction(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """A later interaction that does not qualify does not hide the earlier one that does."""
    manager = await make_user(sessionmaker, 702)
    contact = await make_contact(sessionmaker, manager)
    lead_id = await make_lead(sessionmaker, contact, manager)
    first = await make_interaction(
        sessionmaker, manager, lead_id=lead_id, occurred_at=datetime(2026, 5, 1, 10, tzinfo=UTC)
    )
    await make_interaction(
        sessionmaker,
        manager,
        lead_id=lead_id,
        outcome="not_reached",
        qualifying=True,  # a wrong flag: the rule, not the flag, decides
        occurred_at=datetime(2026, 5, 2, 10, tzinfo=UTC),
    )
    async with sessionmaker() as session:
        card = await leads_repo.lead_card(session, lead_id, DEFAULT_COMMENT_POLICY)
    assert card is not None and card.last_qualifying is not None
    assert card.last_qualifying.id == first

"""Answers a form refused by a rule (seed 003 discipline): R3, a comment that is not expanded, and R5, a
duplicate contact. Only who and when are kept, never the refused text (no personal data)."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import write_tx
from db.models import RuleRefusal

log = logging.getLogger(__name__)

#: The rules whose refusals the discipline report counts.
RULES = ("R3", "R5")


async def record_refusal(
    session_or_sessionmaker: AsyncSession | async_sessionmaker[AsyncSession], user_id: int, rule: str
) -> None:
    """Record that ``user_id`` had an answer refused by ``rule``.

    Given a sessionmaker (what the forms pass): in a fresh session's own short transaction, apart from the
    update's (which neither waits for it nor is marked handled by it). Given a session: in its ``write_tx``.
    A failure is logged, never shown: the refusal the user sees does not depend on the count."""
    assert rule in RULES, rule
    try:
        if isinstance(session_or_sessionmaker, AsyncSession):
            async with write_tx(session_or_sessionmaker) as session:
                session.add(RuleRefusal(user_id=user_id, rule=rule))
        else:
            async with session_or_sessionmaker() as session, session.begin():
                session.add(RuleRefusal(user_id=user_id, rule=rule))
    except Exception:
        log.exception("could not record a %s refusal of user %s", rule, user_id)

"""Why a deal was lost or a lead refused (R2a): a reason chosen from an admin directory («Причины
проигрыша», «Причины отказа»: ``Kind.LOST`` and ``Kind.REFUSAL`` of :mod:`db.repo.directories`), so that the
reasons can be counted, with an optional typed text next to it.

Only active reasons are offered, and the write takes the chosen one again (:func:`chosen_reason`), so a
reason switched off meanwhile, or an id from a forged button, is refused and nothing is saved.
Every screen that shows a record's reason calls :func:`reason_text` with the reader's language.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.repo.directories import MODELS, Kind, Named, display_name
from domain import errors

REASON_KINDS = (Kind.LOST, Kind.REFUSAL)


class ReasonGone(errors.Gone):
    """The chosen reason does not exist or was switched off: the user chooses another."""

    key = "outcome-reason-gone"


def _model(kind: Kind) -> Any:
    if kind not in REASON_KINDS:
        raise ValueError("not a directory of reasons")
    return MODELS[kind]


async def active_reasons(session: AsyncSession, kind: Kind) -> list[Any]:
    """The reasons offered as buttons, in the admins' order."""
    model = _model(kind)
    query = select(model).where(model.is_active.is_(True)).order_by(model.position, model.id)
    return list(await session.scalars(query))


async def chosen_reason(session: AsyncSession, kind: Kind, reason_id: int) -> Any:
    """The active reason ``reason_id`` (read again, also inside a write); :class:`ReasonGone` otherwise."""
    reason = await session.get(_model(kind), reason_id, populate_existing=True)
    if reason is None or not reason.is_active:
        raise ReasonGone("reason missing or switched off")
    return reason


def reason_text(reason: Named | None, text: str | None, language: str) -> str:
    """A record's reason as shown: «<reason> — <text>», the reason alone, or the text alone (a record closed
    before the reasons became a directory); empty when there is neither. The reason is in the reader's
    language; a caller that clips the text passes it clipped."""
    name = display_name(reason, language) if reason is not None else ""
    return " — ".join(part for part in (name, text or "") if part)

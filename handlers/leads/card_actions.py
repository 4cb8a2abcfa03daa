"""What the lead card's buttons do (R1c: each re-checks the presser's right on the lead when pressed).

The repository decides every write again inside its transaction; these checks only keep a stale card from
opening a form for a lead that can no longer take it.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cards import send_full_text
from db.repo import leads as repo
from db.repo.directories import Kind
from db.repo.outcome_reasons import ReasonGone
from db.repo.visibility import may_act
from domain import limits
from domain.access import Actor
from domain.errors import Closed, Gone, NotAllowed, ValidationError
from domain.leads import LeadStatus
from handlers.deals.states import DealForm
from handlers.interactions.states import LogForm
from handlers.kit import reasons
from handlers.kit.cards import track_card
from handlers.kit.context import actor_of, i18n_of, session_of
from handlers.leads.actions import chooses_responsible, chosen_id, start_of
from handlers.leads.getters import visible_card
from handlers.leads.states import LeadCard, LeadForm, LeadRefusal
from handlers.tasks.states import TaskForm

log = logging.getLogger(__name__)

NOTICE = "notice"
#: Set once the user did something on the card: «Лид создан» is not repeated after that.
SEEN = "seen"


def lead_id_of(manager: DialogManager) -> int:
    return int(start_of(manager)["lead_id"])


async def acting_card(manager: DialogManager) -> repo.LeadCard:
    """The card's lead, open, and the presser may act on it (R1c)."""
    card = await visible_card(manager, lead_id_of(manager))
    if not await may_act(session_of(manager), actor_of(manager), card.lead.responsible_id):
        raise NotAllowed("may not act on the lead")
    if card.lead.status != LeadStatus.OPEN.value:
        raise Closed("the lead is closed")
    return card


def raise_refusal(outcome: repo.Change) -> None:
    """A repository's answer other than done, as the refusal the error handler answers."""
    if outcome is repo.Change.DENIED:
        raise NotAllowed("refused by the repository")
    if outcome is repo.Change.NOT_OPEN:
        raise Closed("the lead is closed")
    if outcome is repo.Change.GONE:
        raise Gone("the lead is gone")


def _start(state: State, data: Any) -> Any:
    async def on_click(event: Any, widget: Any, manager: DialogManager) -> None:
        await acting_card(manager)
        await manager.start(state, data=data(lead_id_of(manager)))

    return on_click


on_log = _start(LogForm.subject, lambda lead_id: {"lead_id": lead_id})
on_deal = _start(DealForm.lead, lambda lead_id: {"lead_id": lead_id})
on_task = _start(TaskForm.title, lambda lead_id: {"entity": "lead", "entity_id": lead_id})
on_refuse = _start(LeadRefusal.reason, lambda lead_id: {"lead_id": lead_id})
on_edit = _start(LeadForm.summary, lambda lead_id: {"edit": lead_id})  # «✏️ Изменить»


async def on_reassign_open(event: Any, widget: Any, manager: DialogManager) -> None:
    await acting_card(manager)
    if not chooses_responsible(actor_of(manager)):
        raise NotAllowed("only a team lead or an admin reassigns")
    manager.dialog_data.pop(NOTICE, None)
    manager.dialog_data[SEEN] = True
    await manager.switch_to(LeadCard.reassign)


async def reassign(session: AsyncSession, actor: Actor, lead_id: int, user_id: int) -> dict[str, Any]:
    """R1c: the lead to ``user_id``; their notice goes through the outbox in the same transaction."""
    outcome = await repo.reassign_lead(session, actor=actor, lead_id=lead_id, user_id=user_id)
    raise_refusal(outcome)
    member = await repo.assignable_user(session, actor, user_id)
    log.info("lead %s reassigned to user %s by user %s", lead_id, user_id, actor.user_id)
    name = (member.full_name or str(member.telegram_id)) if member else "—"
    return {"key": "lead-reassigned", "params": {"name": name}}


async def on_reassign(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    notice = await reassign(session_of(manager), actor_of(manager), lead_id_of(manager), chosen_id(item_id))
    manager.dialog_data[NOTICE] = notice
    await manager.switch_to(LeadCard.main)


async def on_show_full(event: Any, widget: Any, manager: DialogManager) -> None:
    """«Показать полностью»: the whole description, after the same R1c check as the card."""
    card = await visible_card(manager, lead_id_of(manager))
    message = event.message if isinstance(event, CallbackQuery) else None
    if not isinstance(message, Message):
        raise Gone("no message to answer")
    i18n = i18n_of(manager)
    await send_full_text(message, i18n, i18n("lead-full-description", id=card.lead.id), card.lead.description)


async def on_result(start_data: Any, result: Any, manager: DialogManager) -> None:
    """A dialog started from the card came back: its notice («Лид отклонён») shows on the card."""
    manager.dialog_data.pop(NOTICE, None)
    manager.dialog_data[SEEN] = True
    if isinstance(result, dict) and isinstance(result.get(NOTICE), dict):
        manager.dialog_data[NOTICE] = result[NOTICE]


async def on_card_start(start_data: Any, manager: DialogManager) -> None:
    """Only a lead the user may see opens (then it is the card a file sent next is attached to)."""
    await visible_card(manager, lead_id_of(manager))
    start = start_of(manager)
    if isinstance(start.get(NOTICE), dict):
        manager.dialog_data[NOTICE] = start[NOTICE]
    await track_card("lead", "lead_id")(start_data, manager)


# --- the refusal (R2a): a reason from the directory, an optional text, then a confirmation ------------


def parse_reason(text: str, manager: DialogManager) -> str:
    """The text next to a refusal's reason: 3–500 characters as they will be shown (``domain.limits``)."""
    cleaned = " ".join(text.split())
    if too_long := limits.check_length(cleaned, limits.REASON):
        raise ValidationError(
            "limit-too-long", "reason too long", limit=too_long.limit, length=too_long.length
        )
    if len(cleaned) < limits.REASON_MIN:
        raise ValidationError(
            "lead-reject-reason-invalid", "reason too short", min=limits.REASON_MIN, max=limits.REASON
        )
    return cleaned


async def on_reason_pick(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """The reason first (required); a forged or switched-off one is refused on the window."""
    await acting_card(manager)
    if await reasons.choose_reason(manager, Kind.REFUSAL, item_id):
        await manager.switch_to(LeadRefusal.text)


async def on_reason(message: Message, widget: Any, manager: DialogManager, text: str) -> None:
    manager.dialog_data[reasons.REASON_TEXT] = text
    await manager.switch_to(LeadRefusal.confirm)


async def skip_text(event: Any, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data.pop(reasons.REASON_TEXT, None)
    await manager.switch_to(LeadRefusal.confirm)


async def on_refusal_start(start_data: Any, manager: DialogManager) -> None:
    await acting_card(manager)


async def on_reject(event: Any, widget: Any, manager: DialogManager) -> None:
    """Confirmed: the lead is rejected with its reason and text (R1c, its status and the reason checked again
    in the write; a reason switched off meanwhile is asked again)."""
    reason_id = reasons.chosen_id(manager)
    if reason_id is None:
        await manager.switch_to(LeadRefusal.reason)
        return
    actor, lead_id = actor_of(manager), lead_id_of(manager)
    try:
        outcome = await repo.reject_lead(
            session_of(manager),
            actor=actor,
            lead_id=lead_id,
            reason_id=reason_id,
            text=reasons.chosen_text(manager),
        )
    except ReasonGone as gone:
        await manager.switch_to(LeadRefusal.reason)
        reasons.refuse(manager, gone)
        return
    raise_refusal(outcome)
    log.info("lead %s rejected by user %s", lead_id, actor.user_id)
    await manager.done(result={NOTICE: {"key": "lead-rejected", "params": {}}})

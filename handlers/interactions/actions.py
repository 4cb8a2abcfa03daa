"""What the /log form does with an answer: the domain judges it (R1d, R1e, R3), the repository saves it.

The form keeps its answers in ``dialog_data["log"]``: ``subject`` and ``id`` (the lead or deal), ``picked``
(chosen in the picker, so «Назад» from the first step goes back to it), ``choice`` (the kind and outcome, one
tap), ``discussed`` and ``agreed`` (R3c, asked only when the outcome reached the client), ``due`` (the next
step, optional, set from the summary: ISO UTC) and ``editing`` (a step opened from the summary returns to it).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from aiogram.types import Message
from aiogram_dialog import DialogManager, StartMode

from db.base import utcnow
from db.repo import interactions as repo
from db.repo.interactions import Access, NextStep, Subject
from db.repo.refusals import record_refusal
from domain import limits
from domain.comments import check_expanded_comment
from domain.errors import Closed, Gone, NotAllowed, ValidationError
from domain.interactions import InteractionKind, Outcome, qualifies, reaches_client
from handlers.interactions.states import LogForm, LogSaved
from handlers.kit.context import actor_of, i18n_of, session_of, settings_of, writer_of
from handlers.kit.inputs import input_error, set_error
from handlers.kit.pickers import DuePick, LeadPick

log = logging.getLogger(__name__)

FORM = "log"
#: The one-tap kinds and outcomes, in the order of the buttons.
CHOICES: tuple[tuple[InteractionKind, Outcome], ...] = (
    (InteractionKind.CALL, Outcome.REACHED),
    (InteractionKind.CALL, Outcome.NOT_REACHED),
    (InteractionKind.CORRESPONDENCE, Outcome.REPLIED),
    (InteractionKind.CORRESPONDENCE, Outcome.NO_REPLY),
    (InteractionKind.MEETING, Outcome.HELD),
)
COMMENT_PARTS = ("discussed", "agreed")


def form_of(manager: DialogManager) -> dict[str, Any]:
    form = manager.dialog_data.setdefault(FORM, {})
    assert isinstance(form, dict)
    return form


def chosen(form: dict[str, Any]) -> tuple[InteractionKind, Outcome] | None:
    index = form.get("choice")
    return CHOICES[index] if isinstance(index, int) and 0 <= index < len(CHOICES) else None


def reaches(form: dict[str, Any]) -> bool:
    choice = chosen(form)
    return choice is not None and reaches_client(*choice)


def is_qualifying(manager: DialogManager, form: dict[str, Any]) -> bool:
    """R1d/R1e/R3: the one domain rule, with the company's comment policy."""
    choice = chosen(form)
    if choice is None:
        return False
    kind, outcome = choice
    policy = settings_of(manager).comment_policy
    return qualifies(kind, outcome, form.get("discussed"), form.get("agreed"), policy)


# --- parsing: each comment part through the domain (R3c) ------------------------------------------------


def _part(text: str) -> str:
    cleaned = text.strip()
    if too_long := limits.check_length(cleaned, limits.LOG_PART):
        raise ValidationError("limit-too-long", "part too long", limit=too_long.limit, length=too_long.length)
    return cleaned


class CommentRefused(ValidationError):
    """R3: a comment part that is not expanded (counted by the discipline report), not a too-long text."""


def _refusal(field: str, discussed: str, agreed: str, manager: DialogManager) -> None:
    check = check_expanded_comment(discussed, agreed, settings_of(manager).comment_policy)
    reason = next((r for r in check.reasons if r.field == field), None)
    if reason is not None:
        raise CommentRefused(reason.key, f"{field} is not an expanded comment part", **reason.params)


async def on_comment_error(message: Message, widget: Any, manager: DialogManager, error: ValueError) -> None:
    """A refused comment part: shown above the question; an R3 refusal is also counted (seed 003)."""
    if isinstance(error, CommentRefused):
        await record_refusal(writer_of(manager), actor_of(manager).user_id, "R3")
    await input_error(message, widget, manager, error)


def parse_discussed(text: str, manager: DialogManager) -> str:
    """R3c, first part: «О чём говорили?», judged on its own."""
    discussed = _part(text)
    _refusal("discussed", discussed, "", manager)
    return discussed


def parse_agreed(text: str, manager: DialogManager) -> str:
    """R3c, second part: «О чём договорились / следующий шаг?»; it must not repeat the first."""
    agreed = _part(text)
    _refusal("agreed", str(form_of(manager).get("discussed") or ""), agreed, manager)
    return agreed


# --- moving through the form ------------------------------------------------------------------------------


async def next_step(manager: DialogManager) -> None:
    """The first part still missing, else the summary (also when a step was opened from the summary)."""
    form = form_of(manager)
    form["editing"] = False
    if chosen(form) is None:
        await manager.switch_to(LogForm.kind)
    elif reaches(form) and not form.get("discussed"):
        await manager.switch_to(LogForm.discussed)
    elif reaches(form) and not form.get("agreed"):
        await manager.switch_to(LogForm.agreed)
    else:
        await manager.switch_to(LogForm.summary)


async def _set_subject(manager: DialogManager, subject: Subject, subject_id: int, *, picked: bool) -> None:
    await repo.require_subject(session_of(manager), actor_of(manager), subject, subject_id)
    form = form_of(manager)
    form.update(subject=subject.value, id=subject_id, picked=picked, editing=False)
    await manager.switch_to(LogForm.kind)


async def on_start(start_data: Any, manager: DialogManager) -> None:
    """From a card the subject is known (R1c checked here); from the menu the picker opens."""
    start = start_data if isinstance(start_data, dict) else {}
    if start.get("lead_id"):
        await _set_subject(manager, Subject.LEAD, int(start["lead_id"]), picked=False)
    elif start.get("deal_id"):
        await _set_subject(manager, Subject.DEAL, int(start["deal_id"]), picked=False)
    else:
        await pick_subject(manager)


async def pick_subject(manager: DialogManager) -> None:
    await manager.switch_to(LogForm.subject)
    await manager.start(LeadPick.main, data={"purpose": "log", "deals": True})


async def on_pick_again(event: Any, widget: Any, manager: DialogManager) -> None:
    await pick_subject(manager)


async def on_process_result(start_data: Any, result: Any, manager: DialogManager) -> None:
    """A sub-dialog came back: the picker (a lead or a deal) or the due picker (a moment, or none)."""
    state = manager.current_context().state
    if state == LogForm.subject:
        picked = result if isinstance(result, dict) else {}
        if picked.get("lead_id"):
            await _set_subject(manager, Subject.LEAD, int(picked["lead_id"]), picked=True)
        elif picked.get("deal_id"):
            await _set_subject(manager, Subject.DEAL, int(picked["deal_id"]), picked=True)
        # Nothing picked (the picker's «Отмена» closes this form too): the subject window offers it again.
        return
    if isinstance(result, dict) and "due" in result:
        form_of(manager)["due"] = result["due"]


async def on_choice(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """Kind and outcome in one tap. R1e/R3b: an outcome that did not reach the client has no comment; a
    change between reached and not reached drops the comment parts and the next step."""
    if not (item_id.isascii() and item_id.isdigit()) or int(item_id) >= len(CHOICES):
        raise Gone("forged kind and outcome")
    form = form_of(manager)
    was_reaching = reaches(form) if chosen(form) is not None else None
    form["choice"] = int(item_id)
    if was_reaching is not None and was_reaching != reaches(form):
        form.pop("due", None)
    if not reaches(form):
        for part in COMMENT_PARTS:
            form.pop(part, None)
    await next_step(manager)


async def on_discussed(message: Message, widget: Any, manager: DialogManager, value: str) -> None:
    form = form_of(manager)
    form["discussed"] = value
    agreed = str(form.get("agreed") or "")
    if agreed:
        # R3c: the agreed part given before must not repeat the new discussed part: ask it again if it does.
        check = check_expanded_comment(value, agreed, settings_of(manager).comment_policy)
        clash = next((r for r in check.reasons if r.field == "agreed"), None)
        if clash is not None:
            await record_refusal(writer_of(manager), actor_of(manager).user_id, "R3")
            form.pop("agreed", None)
            await manager.switch_to(LogForm.agreed)
            set_error(manager, clash.key, **clash.params)
            return
    await next_step(manager)


async def on_agreed(message: Message, widget: Any, manager: DialogManager, value: str) -> None:
    form_of(manager)["agreed"] = value
    await next_step(manager)


async def on_back(event: Any, widget: Any, manager: DialogManager) -> None:
    """Back: from a step opened on the summary, the summary as it was; else the step before."""
    form, state = form_of(manager), manager.current_context().state
    if form.get("editing") and state != LogForm.summary:
        form["editing"] = False
        await manager.switch_to(LogForm.summary)
    elif state == LogForm.summary:
        await manager.switch_to(LogForm.agreed if reaches(form) else LogForm.kind)
    elif state == LogForm.agreed:
        await manager.switch_to(LogForm.discussed)
    elif state == LogForm.discussed:
        await manager.switch_to(LogForm.kind)
    elif form.get("picked"):
        await pick_subject(manager)


async def on_edit(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """«✏️» on the summary: that step, then the summary again."""
    form = form_of(manager)
    steps = {"kind": LogForm.kind}
    if reaches(form):
        steps.update(discussed=LogForm.discussed, agreed=LogForm.agreed)
    if item_id not in steps:
        raise Gone("not an editable field")
    form["editing"] = True
    await manager.switch_to(steps[item_id])


async def on_next_step(event: Any, widget: Any, manager: DialogManager) -> None:
    """The next step (or «Перезвонить…» after an unreached call) becomes a task: the due picker."""
    due = form_of(manager).get("due")
    await manager.start(DuePick.date, data={"purpose": "log", "current": due, "removable": bool(due)})


def _task_title(manager: DialogManager, form: dict[str, Any]) -> str:
    """The agreed next step; after an unreached contact, «Перезвонить» or «Напомнить о себе»."""
    if reaches(form):
        return str(form["agreed"])
    choice = chosen(form)
    key = (
        "interaction-task-call-back"
        if choice and choice[0] is InteractionKind.CALL
        else "interaction-task-remind"
    )
    return i18n_of(manager).plain(key)


async def on_save(event: Any, widget: Any, manager: DialogManager) -> None:
    """«💾 Сохранить» on the summary: the only place the interaction is written; R1d is the domain's."""
    form = form_of(manager)
    choice = chosen(form)
    if choice is None or "subject" not in form or (reaches(form) and not form.get("agreed")):
        await next_step(manager)
        return
    due = datetime.fromisoformat(form["due"]) if form.get("due") else None
    if due is not None and due <= utcnow():
        # The summary waited past the next step's time: it is dropped and asked again.
        form.pop("due", None)
        set_error(manager, "err-due-in-past")
        return
    kind, outcome = choice
    subject, subject_id = Subject(form["subject"]), int(form["id"])
    qualifying = is_qualifying(manager, form)
    saved = await repo.save_interaction(
        session_of(manager),
        actor=actor_of(manager),
        subject=subject,
        subject_id=subject_id,
        kind=kind.value,
        outcome=outcome.value,
        discussed=form.get("discussed") if reaches(form) else None,
        agreed=form.get("agreed") if reaches(form) else None,
        qualifying=qualifying,
        occurred_at=utcnow(),
        next_step=NextStep(_task_title(manager, form), due) if due is not None else None,
    )
    if saved.access is Access.GONE:
        raise Gone(f"{subject.value} is gone")
    if saved.access is Access.DENIED:
        raise NotAllowed(f"{subject.value} not actionable")
    if saved.access is Access.NOT_OPEN:
        raise Closed(f"{subject.value} is closed")
    log.info(
        "interaction %s saved on %s %s, qualifying=%s",
        saved.interaction.id if saved.interaction else None,
        subject.value,
        subject_id,
        qualifying,
    )
    result = {
        "subject": subject.value,
        "id": subject_id,
        "qualifying": qualifying,
        "kind": kind.value,
        "outcome": outcome.value,
        "due": form.get("due"),
    }
    await manager.start(LogSaved.main, data=result, mode=StartMode.RESET_STACK)

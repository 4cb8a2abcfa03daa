"""Read-only data of the /log windows. User data goes in as it is: ``Tr`` escapes it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram_dialog import DialogManager

from bot.i18n import Html
from db.repo import interactions as repo
from db.repo.interactions import Subject
from domain import limits
from domain.due import DueAt
from domain.errors import Gone
from domain.interactions import InteractionKind
from handlers.interactions.actions import chosen, form_of, is_qualifying, reaches
from handlers.kit.context import i18n_of, session_of
from handlers.kit.pickers import zone_of

CHOICE_KEYS = ("call-reached", "call-not-reached", "mail-replied", "mail-no-reply", "meeting-held")


async def _subject_line(dialog_manager: DialogManager, subject: str, subject_id: int) -> str:
    name = await repo.subject_contact_name(session_of(dialog_manager), Subject(subject), subject_id)
    if name is None:
        raise Gone(f"{subject} is gone")
    return i18n_of(dialog_manager)(f"interaction-summary-{subject}", id=subject_id, name=name)


async def subject_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    form, i18n = form_of(dialog_manager), i18n_of(dialog_manager)
    line = ""
    if form.get("subject"):
        line = await _subject_line(dialog_manager, str(form["subject"]), int(form["id"]))
    return {
        "subject": Html(line),
        "picked": bool(form.get("picked")),
        "editing": bool(form.get("editing")),
        "choices": [
            (index, i18n.plain(f"interaction-choice-{key}")) for index, key in enumerate(CHOICE_KEYS)
        ],
    }


def _due_text(dialog_manager: DialogManager, due: str | None) -> str:
    if not due:
        return i18n_of(dialog_manager)("interaction-value-none")
    return DueAt(datetime.fromisoformat(due)).display(zone_of(dialog_manager))


def next_step_label(form: dict[str, Any]) -> str:
    """The summary's next-step button: change it, or set one (after an unreached call, «Перезвонить…»)."""
    if form.get("due"):
        return "interaction-btn-edit-due"
    if reaches(form):
        return "interaction-btn-next-step"
    choice = chosen(form)
    return (
        "interaction-btn-call-back"
        if choice and choice[0] is InteractionKind.CALL
        else "interaction-btn-remind"
    )


async def summary_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    form = form_of(dialog_manager)
    choice = chosen(form)
    if choice is None or not form.get("subject"):
        raise Gone("the form lost its answers")
    i18n = i18n_of(dialog_manager)
    none = i18n("interaction-value-none")
    reached = reaches(form)
    if is_qualifying(dialog_manager, form):
        verdict = i18n(f"interaction-verdict-qualifying-{form['subject']}")
    else:
        verdict = i18n("interaction-verdict-not-qualifying")
    fields = ["kind", *(("discussed", "agreed") if reached else ())]
    discussed = form.get("discussed") if reached else None
    agreed = form.get("agreed") if reached else None
    return {
        "subject": Html(await _subject_line(dialog_manager, str(form["subject"]), int(form["id"]))),
        "kind": i18n(f"kind-{choice[0]}"),
        "outcome": i18n(f"outcome-{choice[1]}"),
        "discussed": limits.clip(discussed, limits.LOG_PART) if discussed else none,
        "agreed": limits.clip(agreed, limits.LOG_PART) if agreed else none,
        "due": _due_text(dialog_manager, form.get("due")),
        "verdict": Html(verdict),
        "fields": [(field, i18n.plain(f"interaction-btn-edit-{field}")) for field in fields],
        "next_step": i18n.plain(next_step_label(form)),
    }


async def saved_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    start = dialog_manager.start_data if isinstance(dialog_manager.start_data, dict) else {}
    i18n = i18n_of(dialog_manager)
    subject = str(start.get("subject"))
    if start.get("qualifying"):
        text = i18n(f"interaction-saved-qualifying-{subject}")
    else:
        text = i18n(
            "interaction-saved-not-qualifying",
            kind=i18n(f"kind-{start.get('kind')}"),
            outcome=i18n(f"outcome-{start.get('outcome')}"),
        )
    due = start.get("due")
    return {
        "saved": Html(text),
        "due": _due_text(dialog_manager, due) if due else "",
        "open": i18n.plain(f"interaction-btn-open-{subject}", id=int(start.get("id") or 0)),
    }

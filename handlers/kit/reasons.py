"""The reason a deal is lost or a lead refused (R2a), in the steps the deal card and the lead refusal share:
a reason from the admins' directory (one button each, required), an optional text (typed, or «Пропустить»),
and a confirmation that shows both.

The chosen reason is kept in the dialog data by id; the press is re-checked here (the reason exists and is
on), and the write takes it again (``db.repo.outcome_reasons.chosen_reason``), so a forged id or a reason
switched off meanwhile is refused with its own message and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from db.repo.directories import MODELS, Kind, display_name
from db.repo.outcome_reasons import ReasonGone, active_reasons, chosen_reason, reason_text
from handlers.kit.context import i18n_of, record_id, session_of
from handlers.kit.inputs import clear_error, set_error

REASON_ID, REASON_TEXT = "reason_id", "reason"


async def reason_buttons(manager: DialogManager, kind: Kind) -> list[tuple[int, str]]:
    """The active reasons, in the admins' order, named in the reader's language."""
    language = i18n_of(manager).language
    return [(row.id, display_name(row, language)) for row in await active_reasons(session_of(manager), kind)]


async def choose_reason(manager: DialogManager, kind: Kind, item_id: str) -> bool:
    """Keep the pressed reason when it exists and is on (any text typed for an earlier one is dropped);
    otherwise the window says why and nothing is kept."""
    try:
        reason = await chosen_reason(session_of(manager), kind, record_id(item_id))
    except ReasonGone as gone:
        refuse(manager, gone)
        return False
    clear_error(manager)
    manager.dialog_data[REASON_ID] = reason.id
    manager.dialog_data.pop(REASON_TEXT, None)
    return True


def refuse(manager: DialogManager, gone: ReasonGone) -> None:
    """The chosen reason is no longer offered: forget it and say so on the current window."""
    manager.dialog_data.pop(REASON_ID, None)
    set_error(manager, gone.key)


def chosen_id(manager: DialogManager) -> int | None:
    value = manager.dialog_data.get(REASON_ID)
    return int(value) if value else None


def chosen_text(manager: DialogManager) -> str | None:
    return str(manager.dialog_data.get(REASON_TEXT) or "") or None


async def shown_reason(manager: DialogManager, kind: Kind) -> dict[str, str]:
    """For the text step and the confirmation: ``chosen``, the chosen reason; ``reason``, it with the text."""
    reason_id = chosen_id(manager)
    reason: Any = await session_of(manager).get(MODELS[kind], reason_id) if reason_id else None
    language = i18n_of(manager).language
    return {
        "chosen": reason_text(reason, None, language),
        "reason": reason_text(reason, chosen_text(manager), language),
    }

"""The new-deal form's fields, in the order the summary shows them (R2f: what a deal needs).

One entry per field: the window that asks it, whether a missing value is asked as a step on the way to
the summary (``asked``) or is only changed from the summary, who may change it, and how the summary shows
its value. Fields with a default (the first stage, the lead's manager, the call's comment) are pre-filled
when the form begins, so they are asked only when there is no default.

The form's flow (``actions``), its summary (``getters``) and the summary's «✏️» buttons are all driven by
this list, so a new field is one entry here, one window in ``form.py`` and its value in the save; an optional
detail (``DETAILS``) is one line here and nothing else in the code.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram.fsm.state import State
from aiogram_dialog import DialogManager

from bot.cards import clipped, first_lines
from bot.i18n import Html, Translator
from db.models import Stage
from db.repo import directories, users
from domain import limits
from domain.access import Actor, Role
from domain.money import Money, from_minor
from handlers.deals.states import DealForm
from handlers.kit.context import actor_of, i18n_of, session_of
from handlers.kit.details import DAY, Detail

Form = dict[str, Any]
Show = Callable[[DialogManager, Form], Awaitable[str]]


def may_assign(actor: Actor) -> bool:
    """A team lead or an admin may make someone else responsible (R1c, R2c); a manager keeps the lead's."""
    return actor.role in (Role.TEAM_LEAD, Role.ADMIN)


def money(minor: int) -> str:
    return Money(from_minor(minor)).display()


def stage_label(i18n: Translator, stage: Stage | None) -> str:
    """A stage's name in the reader's language: seeded stages have a catalog name, renamed ones their own."""
    if stage is None:
        return ""
    if i18n.language != "ru" and stage.code and i18n.has(f"stage-{stage.code}"):
        return i18n.plain(f"stage-{stage.code}")
    return stage.label


async def lines_text(manager: DialogManager, lines: list[list[int]]) -> Html:
    """Product lines as a card shows them: «• Сканер — 150 000 ₽», the first ten, then «…и ещё K»."""
    i18n = i18n_of(manager)
    names = await directories.product_names(session_of(manager), [pid for pid, _ in lines])
    rows = [
        i18n("deal-line", product=clipped(names.get(pid, "?"), limits.LINE_TEXT), amount=money(minor))
        for pid, minor in lines
    ]
    return Html("\n".join(first_lines(i18n, rows)) if rows else i18n("deal-no-lines"))


async def _group(manager: DialogManager, form: Form) -> str:
    group = (
        await directories.get_group(session_of(manager), int(form["group_id"]))
        if form.get("group_id")
        else None
    )
    return i18n_of(manager)("deal-value", value=clipped(group.label if group else "", limits.CARD_NAME))


async def _lines(manager: DialogManager, form: Form) -> str:
    lines = form.get("lines") or []
    total = money(sum(minor for _, minor in lines))
    return i18n_of(manager)("deal-value-lines", lines=await lines_text(manager, lines), total=total)


async def _stage(manager: DialogManager, form: Form) -> str:
    stage = (
        await directories.get_stage(session_of(manager), int(form["stage_id"]))
        if form.get("stage_id")
        else None
    )
    return i18n_of(manager)(
        "deal-value", value=clipped(stage_label(i18n_of(manager), stage), limits.CARD_NAME)
    )


async def _comment(manager: DialogManager, form: Form) -> str:
    i18n = i18n_of(manager)
    text = i18n("deal-value", value=clipped(form.get("comment") or "", limits.DEAL_COMMENT))
    if form.get("comment_offered"):
        text += "\n" + i18n("deal-comment-offered")
    return text


async def _responsible(manager: DialogManager, form: Form) -> str:
    user_id = form.get("responsible_id")
    names = await users.user_names(session_of(manager), [int(user_id)] if user_id else [])
    name = names.get(int(user_id), "") if user_id else ""
    return i18n_of(manager)("deal-value", value=clipped(name, limits.CARD_NAME))


def _everyone(manager: DialogManager) -> bool:
    return True


def _assigners(manager: DialogManager) -> bool:
    return may_assign(actor_of(manager))


@dataclass(frozen=True)
class FormField:
    """``name`` is the catalog suffix (``deal-field-<name>``, ``deal-btn-edit-<name>``); ``filled`` says
    whether the form has its value."""

    name: str
    state: State
    show: Show
    filled: Callable[[Form], bool]
    asked: bool = True
    editable: Callable[[DialogManager], bool] = _everyone
    detail: Detail | None = None


#: The deal's optional details (``handlers.kit.details``): changed from the summary, shown on the card, one
#: line each here.
DETAILS: tuple[Detail, ...] = (Detail("close_date", "expected_close", DAY),)


def _detail_field(detail: Detail) -> FormField:
    async def show(manager: DialogManager, form: Form) -> str:
        return detail.summary_value(i18n_of(manager), "deal", form.get(detail.name))

    return FormField(detail.name, DealForm.detail, show, lambda form: True, asked=False, detail=detail)


FIELDS: tuple[FormField, ...] = (
    FormField("group", DealForm.group, _group, lambda form: bool(form.get("group_id"))),
    FormField("lines", DealForm.product, _lines, lambda form: bool(form.get("lines"))),
    # The first stage is the default (pre-filled), so the step is asked only when no stage is open at all.
    FormField("stage", DealForm.stage, _stage, lambda form: bool(form.get("stage_id"))),
    FormField("comment", DealForm.comment, _comment, lambda form: bool(form.get("comment"))),
    FormField(
        "responsible",
        DealForm.responsible,
        _responsible,
        lambda form: bool(form.get("responsible_id")),
        asked=False,
        editable=_assigners,
    ),
    *(_detail_field(detail) for detail in DETAILS),
)
BY_NAME = {field.name: field for field in FIELDS}

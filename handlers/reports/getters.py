"""Read-only data of the reports windows."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram_dialog import DialogManager

from bot.i18n import Html
from db.repo.reports import scope as scopes
from domain.periods import PeriodKind
from handlers.kit.context import actor_of, i18n_of, session_of
from handlers.reports.actions import FIRST_DAY, LINKS, TEXT, drill_links, scope_label
from handlers.reports.registry import ORDER, REPORTS


async def kind_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    codes = sorted(REPORTS, key=lambda code: ORDER.index(code) if code in ORDER else len(ORDER))
    return {"reports": [(code, i18n.plain(f"report-name-{code}")) for code in codes]}


async def period_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    return {"periods": [(kind.value, i18n.plain(f"report-period-{kind.value}")) for kind in PeriodKind]}


async def custom_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    first = dialog_manager.dialog_data.get(FIRST_DAY)
    return {"first": f"{date.fromisoformat(first):%d.%m.%Y}" if first else None}


async def scope_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    choices = await scopes.choices(session_of(dialog_manager), actor_of(dialog_manager))
    return {"scopes": [(scope.code(), scope_label(dialog_manager, scope, name)) for scope, name in choices]}


async def result_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    links = data.get(LINKS) or []
    many = len(await scopes.choices(session_of(dialog_manager), actor_of(dialog_manager))) > 1
    return {
        "text": Html(str(data.get(TEXT, ""))),
        "links": [(str(index), label) for index, (label, _target) in enumerate(links)],
        "many_scopes": many,
    }


async def drill_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    title, links = await drill_links(dialog_manager)
    dialog_manager.dialog_data["drill_links"] = [[link.label, link.target] for link in links]
    return {
        "title": title,
        "empty": not links,
        "items": [(str(index), link.label) for index, link in enumerate(links)],
    }

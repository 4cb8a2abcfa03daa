"""Read-only data of the directories windows: names in the reader's language (``display_name``)."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.i18n import Translator
from db.repo import directories as repo
from db.repo import stage_probability
from db.repo.directories import Item, Kind, display_name, require_admin
from domain.errors import Gone
from domain.pipeline import PROBABILITY_MAX, PROBABILITY_MIN
from handlers.directories.actions import GROUP, KIND, KIND_ORDER, NOTICE, current_item, kind_of
from handlers.kit.context import i18n_of, session_of, settings_of, user_of
from handlers.kit.paging import page_of

LABEL_MAX = 40


def label(i18n: Translator, item: Item) -> str:
    """A value's button: its name (shortened), «(откл.)» when off, ✅ / ❌ on the deal outcomes."""
    name = display_name(item, i18n.language)
    text = name if len(name) <= LABEL_MAX else name[: LABEL_MAX - 1] + "…"
    if not item.is_active:
        text += " " + i18n.plain("dir-off-mark")
    if item.stage_kind in {"won", "lost"}:
        text = i18n.plain(f"dir-stage-kind-{item.stage_kind}") + " " + text
    return text


def _notice(dialog_manager: DialogManager) -> dict[str, Any]:
    return {
        "notice": dialog_manager.dialog_data.get(NOTICE),
        "notice_params": dialog_manager.dialog_data.get(f"{NOTICE}_params") or {},
    }


async def kinds_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    require_admin(user_of(dialog_manager))
    i18n = i18n_of(dialog_manager)
    return {"kinds": [(kind.value, i18n.plain(f"dir-kind-{kind.value}")) for kind in KIND_ORDER]}


async def groups_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    require_admin(user_of(dialog_manager))
    i18n = i18n_of(dialog_manager)
    groups = await repo.all_groups(session_of(dialog_manager))
    return {"groups": [(group.id, label(i18n, group)) for group in groups]}


async def items_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    require_admin(user_of(dialog_manager))
    i18n, session = i18n_of(dialog_manager), session_of(dialog_manager)
    kind = kind_of(dialog_manager.dialog_data.get(KIND))
    group_id = dialog_manager.dialog_data.get(GROUP)
    group = None
    if kind is Kind.PRODUCT:
        group = await repo.get_item(session, Kind.GROUP, int(group_id or 0))
        if group is None:
            raise Gone("the product group is gone")
    page = page_of(dialog_manager)
    items, has_next = await repo.list_page(session, kind, page, group_id)
    return {
        **_notice(dialog_manager),
        "kind": i18n.plain(f"dir-kind-{kind.value}"),
        "group": display_name(group, i18n.language) if group is not None else None,
        "is_products": group is not None,
        "empty": not items,
        "is_stages": kind is Kind.STAGE and bool(items),
        "is_ordered": kind in (Kind.LOST, Kind.REFUSAL) and bool(items),
        "items": [(item.id, label(i18n, item)) for item in items],
        "has_prev": page > 0,
        "has_next": has_next,
    }


async def item_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    require_admin(user_of(dialog_manager))
    i18n, settings = i18n_of(dialog_manager), settings_of(dialog_manager)
    kind, item = await current_item(dialog_manager)
    is_stage = kind is Kind.STAGE
    outcome = is_stage and item.stage_kind != "open"
    percent, own = None, False
    if is_stage:
        found = await stage_probability.probability_of(session_of(dialog_manager), item.id)
        percent, own = found if found is not None else (None, False)
    return {
        "percent": percent,
        "own_probability": is_stage and not outcome and own,
        "default_probability": is_stage and not outcome and not own,
        **_notice(dialog_manager),
        "kind": kind.value,
        "name": display_name(item, i18n.language),
        "is_active": item.is_active,
        "status": "dir-status-on" if item.is_active else "dir-status-off",
        "outcome": outcome,
        "may_switch": not outcome,
        "is_open_stage": is_stage and not outcome,
        "may_move": kind in repo.ORDERED and not outcome and item.is_active,
        "own_period": item.period_months is not None,
        "months": item.period_months or settings.inactivity_period,
    }


async def period_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    data = await item_getter(dialog_manager)
    _kind, item = await current_item(dialog_manager)
    limit = settings_of(dialog_manager).inactivity_period
    i18n = i18n_of(dialog_manager)
    months = [
        (n, ("✓ " if item.period_months == n else "") + i18n.plain("dir-period-months", months=n))
        for n in range(1, limit + 1)
    ]
    return {**data, "max": limit, "default_months": limit, "periods": months}


async def probability_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    data = await item_getter(dialog_manager)
    return {**data, "min": PROBABILITY_MIN, "max": PROBABILITY_MAX}


async def name_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The prompt names the directory grammatically (``$kind`` selects the wording in the catalog)."""
    require_admin(user_of(dialog_manager))
    i18n = i18n_of(dialog_manager)
    start = dialog_manager.start_data if isinstance(dialog_manager.start_data, dict) else {}
    kind = kind_of(start.get("kind"))
    current = None
    if start.get("item_id"):
        item = await repo.get_item(session_of(dialog_manager), kind, int(start["item_id"]))
        if item is None:
            raise Gone("the directory value is gone")
        current = display_name(item, i18n.language)
    return {
        "kind": kind.value,
        "current": current,
        "renaming": current is not None,
        "adding": current is None,
        "min": repo.NAME_MIN,
        "max": repo.NAME_MAX,
    }

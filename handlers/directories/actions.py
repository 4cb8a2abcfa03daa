"""What the directories dialog does: navigate, and add, rename, switch off and on, reorder, time (R2h) and
weigh (the forecast's probability) directory values. The repository re-checks inside every write that the
presser is an active admin."""

from __future__ import annotations

import logging
from typing import Any

from aiogram.types import Message
from aiogram_dialog import Data, DialogManager

from bot.callbacks import parse_id
from db.repo import directories as repo
from db.repo import directory_order, stage_probability
from db.repo.directories import DirectoryError, Item, Kind, require_admin
from domain.errors import Gone
from domain.pipeline import parse_probability as parse_percent
from handlers.directories.states import Directories, DirectoryName
from handlers.kit.context import record_id, session_of, settings_of, user_of
from handlers.kit.inputs import clear_error, set_error
from handlers.kit.paging import PAGE

log = logging.getLogger(__name__)

KIND_ORDER = (
    *(Kind.INDUSTRY, Kind.REGION, Kind.GROUP, Kind.PRODUCT, Kind.SOURCE, Kind.STAGE),
    *(Kind.LOST, Kind.REFUSAL),
)
KIND, GROUP, ITEM, NOTICE = "kind", "group_id", "item_id", "notice"


def kind_of(code: Any) -> Kind:
    """A directory code from a button or the dialog data; an unknown one is out of date."""
    try:
        return Kind(str(code))
    except ValueError:
        raise Gone("not a directory") from None


def set_notice(manager: DialogManager, key: str | None, **params: Any) -> None:
    """A line above the next window (what the last press did); ``None`` clears it. Either way the refusal of
    a name typed at the list is no longer shown."""
    clear_error(manager)
    if key is None:
        manager.dialog_data.pop(NOTICE, None)
        manager.dialog_data.pop(f"{NOTICE}_params", None)
    else:
        manager.dialog_data[NOTICE] = key
        manager.dialog_data[f"{NOTICE}_params"] = params


async def current_item(manager: DialogManager) -> tuple[Kind, Item]:
    kind = kind_of(manager.dialog_data.get(KIND))
    item = await repo.get_item(session_of(manager), kind, int(manager.dialog_data.get(ITEM, 0)))
    if item is None:
        raise Gone("the directory value is gone")
    return kind, item


# --- navigation -----------------------------------------------------------------------------------------


async def on_kind(event: Any, widget: Any, manager: DialogManager, code: str) -> None:
    require_admin(user_of(manager))
    kind = kind_of(code)
    set_notice(manager, None)
    manager.dialog_data.update({KIND: kind.value, GROUP: None, PAGE: 0})
    await manager.switch_to(Directories.groups if kind is Kind.PRODUCT else Directories.items)


async def on_group(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """Products are listed per group."""
    group = await repo.get_item(session_of(manager), Kind.GROUP, record_id(item_id))
    if group is None:
        raise Gone("the product group is gone")
    manager.dialog_data.update({KIND: Kind.PRODUCT.value, GROUP: group.id, PAGE: 0})
    await manager.switch_to(Directories.items)


async def on_item(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    kind = kind_of(manager.dialog_data.get(KIND))
    item = await repo.get_item(session_of(manager), kind, record_id(item_id))
    if item is None or (kind is Kind.PRODUCT and item.group_id != manager.dialog_data.get(GROUP)):
        raise Gone("the directory value is gone")
    set_notice(manager, None)
    manager.dialog_data[ITEM] = item.id
    await manager.switch_to(Directories.item)


async def on_search(message: Message, widget: Any, manager: DialogManager, text: str) -> None:
    """A name typed at the list opens that value (either language, any case, or a part of one name)."""
    require_admin(user_of(manager))
    kind = kind_of(manager.dialog_data.get(KIND))
    group_id = manager.dialog_data.get(GROUP)
    item = await repo.find_item(session_of(manager), kind, text, int(group_id) if group_id else None)
    if item is None:
        set_error(manager, "dir-search-none")
        return
    set_notice(manager, None)
    manager.dialog_data[ITEM] = item.id
    await manager.switch_to(Directories.item)


async def back_from_items(event: Any, widget: Any, manager: DialogManager) -> None:
    set_notice(manager, None)
    kind = kind_of(manager.dialog_data.get(KIND))
    await manager.switch_to(Directories.groups if kind is Kind.PRODUCT else Directories.kinds)


async def to_items(event: Any, widget: Any, manager: DialogManager) -> None:
    set_notice(manager, None)
    await manager.switch_to(Directories.items)


async def to_item(event: Any, widget: Any, manager: DialogManager) -> None:
    set_notice(manager, None)
    await manager.switch_to(Directories.item)


# --- changes by buttons ---------------------------------------------------------------------------------


async def on_switch(event: Any, widget: Any, manager: DialogManager) -> None:
    """Switch the value off or on (the button shows the opposite of its state)."""
    kind, item = await current_item(manager)
    user = user_of(manager)
    active = not item.is_active
    await repo.set_active(session_of(manager), user.id, kind, item.id, active)
    log.info("directory %s item %s active=%s by user %s", kind.value, item.id, active, user.id)
    set_notice(manager, "dir-activated" if active else "dir-deactivated")


async def _move(manager: DialogManager, step: int) -> None:
    kind, item = await current_item(manager)
    if kind not in repo.ORDERED:
        raise Gone("this directory is not ordered")
    user = user_of(manager)
    moved = await directory_order.move_item(session_of(manager), user.id, kind, item.id, step)
    stage = kind is Kind.STAGE
    if not moved:
        set_notice(manager, "dir-stage-edge" if stage else "dir-value-edge")
        return
    log.info("directory %s item %s moved by %s by user %s", kind.value, item.id, step, user.id)
    set_notice(manager, "dir-reordered" if stage else "dir-value-reordered")
    manager.dialog_data[PAGE] = 0
    await manager.switch_to(Directories.items)


async def on_up(event: Any, widget: Any, manager: DialogManager) -> None:
    await _move(manager, -1)


async def on_down(event: Any, widget: Any, manager: DialogManager) -> None:
    await _move(manager, 1)


async def to_period(event: Any, widget: Any, manager: DialogManager) -> None:
    kind, item = await current_item(manager)
    if kind is not Kind.STAGE or item.stage_kind != "open":
        raise DirectoryError("dir-stage-outcome-fixed")
    set_notice(manager, None)
    await manager.switch_to(Directories.period)


async def _set_period(manager: DialogManager, months: int | None) -> None:
    """R2h: whole months from 1 up to the default period, or the default (``None``)."""
    kind, item = await current_item(manager)
    limit = settings_of(manager).inactivity_period
    if kind is not Kind.STAGE or (months is not None and not 1 <= months <= limit):
        raise Gone("not a period of this stage")
    user = user_of(manager)
    await directory_order.set_stage_period(session_of(manager), user.id, item.id, months, limit)
    log.info("stage %s period set to %s by user %s", item.id, months, user.id)
    set_notice(manager, "dir-period-saved")
    await manager.switch_to(Directories.item)


async def on_period(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await _set_period(manager, parse_id(item_id) or -1)


async def on_period_default(event: Any, widget: Any, manager: DialogManager) -> None:
    await _set_period(manager, None)


async def to_probability(event: Any, widget: Any, manager: DialogManager) -> None:
    kind, item = await current_item(manager)
    if kind is not Kind.STAGE or item.stage_kind != "open":
        raise DirectoryError("dir-stage-outcome-fixed")
    set_notice(manager, None)
    await manager.switch_to(Directories.probability)


def parse_probability(text: str, manager: DialogManager) -> int:
    return parse_percent(text)


async def _set_probability(manager: DialogManager, percent: int | None) -> None:
    """The forecast's chance for the stage, 0–100 %, or the default from its place (``None``)."""
    kind, item = await current_item(manager)
    if kind is not Kind.STAGE:
        raise Gone("not a stage")
    user = user_of(manager)
    await stage_probability.set_stage_probability(session_of(manager), user.id, item.id, percent)
    log.info("stage %s probability set to %s by user %s", item.id, percent, user.id)
    set_notice(manager, "dir-probability-saved")
    await manager.switch_to(Directories.item)


async def on_probability(message: Message, widget: Any, manager: DialogManager, percent: int) -> None:
    await _set_probability(manager, percent)


async def on_probability_default(event: Any, widget: Any, manager: DialogManager) -> None:
    await _set_probability(manager, None)


# --- typing a name: add or rename -------------------------------------------------------------------------


async def to_add(event: Any, widget: Any, manager: DialogManager) -> None:
    require_admin(user_of(manager))
    kind = kind_of(manager.dialog_data.get(KIND))
    set_notice(manager, None)
    await manager.start(
        DirectoryName.name, data={"kind": kind.value, "group_id": manager.dialog_data.get(GROUP)}
    )


async def to_rename(event: Any, widget: Any, manager: DialogManager) -> None:
    kind, item = await current_item(manager)
    set_notice(manager, None)
    await manager.start(DirectoryName.name, data={"kind": kind.value, "item_id": item.id})


def parse_name(text: str, manager: DialogManager) -> str:
    return repo.check_name(text)


async def on_name(message: Message, widget: Any, manager: DialogManager, name: str) -> None:
    """Save the typed name; a name already taken re-asks with the reason, nothing saved."""
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    kind, user = kind_of(start.get("kind")), user_of(manager)
    session = session_of(manager)
    try:
        if start.get("item_id"):
            item_id = int(start["item_id"])
            await repo.rename_item(session, user.id, kind, item_id, name)
        else:
            group_id = start.get("group_id")
            item_id = await repo.add_item(session, user.id, kind, name, int(group_id) if group_id else None)
    except DirectoryError as refusal:
        set_error(manager, refusal.key, **refusal.params)
        return
    log.info("directory %s item %s saved by user %s", kind.value, item_id, user.id)
    await manager.done(result={"item_id": item_id, "name": name})


async def on_name_saved(start_data: Data, result: Any, manager: DialogManager) -> None:
    """Back from typing a name: the value saved, or where the user was."""
    if isinstance(result, dict) and result.get("item_id"):
        manager.dialog_data[ITEM] = int(result["item_id"])
        set_notice(manager, "dir-saved", name=str(result.get("name") or ""))
        await manager.switch_to(Directories.item)

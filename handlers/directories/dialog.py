"""The directories dialogs: the directories, a directory a page at a time, one value, a stage's period
(R2h) and probability (the forecast), and typing a value's name (a sub-dialog that returns the saved
value)."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import TextInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Column, Group, Row, Select, SwitchTo
from aiogram_dialog.widgets.text import Format

from handlers.directories import actions, getters
from handlers.directories.states import Directories, DirectoryName
from handlers.kit.inputs import ERROR_LINE, DomainInput
from handlers.kit.paging import pager
from handlers.kit.steps import NOT_TEXT, use_buttons
from handlers.kit.text import Key, Tr, TrPlain


def _id(item: tuple[Any, str]) -> Any:
    return item[0]


def _select(widget_id: str, items: str, on_click: Any) -> Select[Any]:
    return Select(Format("{item[1]}"), id=widget_id, item_id_getter=_id, items=items, on_click=on_click)


def _not(field: str) -> Any:
    return lambda data, *_: not data.get(field)


def directories_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("dir-title"),
            Group(_select("kind", "kinds", actions.on_kind), width=2),
            Cancel(TrPlain("btn-back")),
            getter=getters.kinds_getter,
            state=Directories.kinds,
        ),
        Window(
            Tr("dir-pick-group"),
            Column(_select("group", "groups", actions.on_group)),
            SwitchTo(TrPlain("btn-back"), id="back", state=Directories.kinds),
            getter=getters.groups_getter,
            state=Directories.groups,
        ),
        Window(
            ERROR_LINE,
            Key("notice"),
            Tr("dir-list-title", "kind", when=_not("is_products")),
            Tr("dir-list-products", "group", when="is_products"),
            Tr("dir-list-empty", when="empty"),
            Tr("dir-stage-hint", when="is_stages"),
            Tr("dir-order-hint", when="is_ordered"),
            Tr("dir-search-hint", when=_not("empty")),
            Column(_select("item", "items", actions.on_item)),
            pager(),
            TextInput("search", on_success=actions.on_search),
            NOT_TEXT,
            Row(
                Button(TrPlain("dir-btn-add"), id="add", on_click=actions.to_add),
                Button(TrPlain("btn-back"), id="back", on_click=actions.back_from_items),
            ),
            getter=getters.items_getter,
            state=Directories.items,
        ),
        Window(
            Key("notice"),
            Tr("dir-item-title", "kind", "name"),
            Key("status"),
            Tr("dir-stage-outcome-note", when="outcome"),
            Tr("dir-period-default", "months", when=lambda d, *_: d["is_open_stage"] and not d["own_period"]),
            Tr("dir-period-own", "months", when=lambda d, *_: d["is_open_stage"] and d["own_period"]),
            Tr("dir-probability-default", "percent", when="default_probability"),
            Tr("dir-probability-own", "percent", when="own_probability"),
            Column(
                Button(TrPlain("dir-btn-rename"), id="rename", on_click=actions.to_rename),
                Button(
                    TrPlain("dir-btn-off"),
                    id="off",
                    on_click=actions.on_switch,
                    when=lambda d, *_: d["may_switch"] and d["is_active"],
                ),
                Button(
                    TrPlain("dir-btn-on"),
                    id="on",
                    on_click=actions.on_switch,
                    when=lambda d, *_: d["may_switch"] and not d["is_active"],
                ),
                Button(TrPlain("dir-btn-up"), id="up", on_click=actions.on_up, when="may_move"),
                Button(TrPlain("dir-btn-down"), id="down", on_click=actions.on_down, when="may_move"),
                Button(
                    TrPlain("dir-btn-period"), id="period", on_click=actions.to_period, when="is_open_stage"
                ),
                Button(
                    TrPlain("dir-btn-probability"),
                    id="probability",
                    on_click=actions.to_probability,
                    when="is_open_stage",
                ),
                Button(TrPlain("dir-btn-to-list"), id="to_list", on_click=actions.to_items),
            ),
            getter=getters.item_getter,
            state=Directories.item,
        ),
        Window(
            Tr("dir-ask-period", "name", "max"),
            Tr("dir-period-default", "months", when=_not("own_period")),
            Tr("dir-period-own", "months", when="own_period"),
            Group(_select("months", "periods", actions.on_period), width=4),
            Button(
                TrPlain("dir-btn-period-default", months="default_months"),
                id="default",
                on_click=actions.on_period_default,
            ),
            Button(TrPlain("btn-back"), id="back", on_click=actions.to_item),
            getter=getters.period_getter,
            state=Directories.period,
        ),
        Window(
            ERROR_LINE,
            Tr("dir-ask-probability", "name", "min", "max"),
            Tr("dir-probability-default", "percent", when="default_probability"),
            Tr("dir-probability-own", "percent", when="own_probability"),
            DomainInput("probability", actions.parse_probability, on_success=actions.on_probability),
            NOT_TEXT,
            Button(
                TrPlain("dir-btn-probability-default"),
                id="default",
                on_click=actions.on_probability_default,
                when="own_probability",
            ),
            Button(TrPlain("btn-back"), id="back", on_click=actions.to_item),
            getter=getters.probability_getter,
            state=Directories.probability,
        ),
        on_process_result=actions.on_name_saved,
    )


def name_dialog() -> Dialog:
    return Dialog(
        Window(
            ERROR_LINE,
            Tr("dir-ask-new-name", "kind", "min", "max", when="adding"),
            Tr("dir-ask-rename", "kind", "current", "min", "max", when="renaming"),
            DomainInput("name", actions.parse_name, on_success=actions.on_name),
            use_buttons("dir-name-need-text"),
            Cancel(TrPlain("btn-back")),
            getter=getters.name_getter,
            state=DirectoryName.name,
        ),
    )


def dialogs() -> list[Dialog]:
    return [directories_dialog(), name_dialog()]

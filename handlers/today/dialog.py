"""The day plan, as «Сегодня», «Неделя» (the next seven days by day) or «Просрочено»: tasks with «✅ n»
(done), «🕒 n» (move: the calendar or a typed moment) and «📂 n» (its deal or lead card), deals at risk with
«📂 n», routes waiting for the user's decision; and the admins' outbox."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Button, Column, Group, Row, Select
from aiogram_dialog.widgets.text import Format

from handlers.kit.inputs import ERROR_LINE
from handlers.kit.nav import cancel_button
from handlers.kit.paging import RowGroup
from handlers.kit.steps import use_buttons
from handlers.kit.text import Key, Raw, TrPlain
from handlers.today import actions, getters
from handlers.today.states import Outbox, Today


def _has_opener(data: dict[str, Any], *_: Any) -> bool:
    item = data["item"]
    return bool(item["deal_id"] or item["lead_id"])


def plan_dialog() -> Dialog:
    return Dialog(
        Window(
            ERROR_LINE,
            Key("notice"),
            Raw("plan"),
            Column(
                Select(
                    Format("{item[1]}"),
                    id="route",
                    item_id_getter=lambda item: item[0],
                    items="routes",
                    on_click=actions.on_open_route,
                )
            ),
            RowGroup(
                Row(
                    Button(TrPlain("today-btn-done", n="item.n"), id="done", on_click=actions.on_done),
                    Button(
                        TrPlain("today-btn-resched", n="item.n"), id="resched", on_click=actions.on_reschedule
                    ),
                    Button(
                        TrPlain("today-btn-open", n="item.n"),
                        id="open",
                        on_click=actions.on_open_task,
                        when=_has_opener,
                    ),
                ),
                id="tasks",
                item_id_getter=lambda item: item["id"],
                items="tasks",
            ),
            Group(
                Select(
                    TrPlain("today-btn-open", n="item.1"),
                    id="deal",
                    item_id_getter=lambda item: item[0],
                    items="deals",
                    on_click=actions.on_open_deal,
                ),
                width=4,
            ),
            Button(TrPlain("today-btn-new-task"), id="new_task", on_click=actions.on_new_task),
            Group(  # the views, at the bottom under the thumb
                Select(
                    Format("{item[1]}"),
                    id="view",
                    item_id_getter=lambda item: item[0],
                    items="tabs",
                    on_click=actions.on_tab,
                ),
                width=3,
            ),
            use_buttons("today-use-buttons"),
            getter=getters.plan_getter,
            state=Today.plan,
        ),
        on_process_result=actions.on_result,
    )


def outbox_dialog() -> Dialog:
    return Dialog(
        Window(
            Key("notice"),
            Raw("outbox"),
            Button(TrPlain("today-outbox-btn-retry"), id="retry", on_click=actions.on_retry, when="failed"),
            cancel_button(),
            getter=getters.outbox_getter,
            state=Outbox.main,
        )
    )


def dialogs() -> list[Dialog]:
    return [plan_dialog(), outbox_dialog()]

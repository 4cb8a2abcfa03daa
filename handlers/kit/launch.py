"""Starting a dialog from an entry point (a command, a menu button, a button on a message outside dialogs).

A form in progress is never dropped silently: a command or a menu button pressed in the middle of a form
asks «Выйти без сохранения?» first (``LeaveForm``), naming the form and its step; «Вернуться» shows the
form again where it was.
"""

from __future__ import annotations

from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Button, Column

from handlers.kit.text import Tr, TrPlain

#: Forms (states group name → catalog key of the form's title): leaving one asks first.
FORMS: dict[str, str] = {}


def form(group: type[StatesGroup], title_key: str) -> type[StatesGroup]:
    """Mark ``group``'s dialog as a form: its answers are lost if the user leaves it."""
    FORMS[group.__full_group_name__] = title_key
    return group


def _all_groups(root: type[StatesGroup] = StatesGroup) -> list[type[StatesGroup]]:
    groups = []
    for sub in root.__subclasses__():
        groups.append(sub)
        groups.extend(_all_groups(sub))
    return groups


def find_state(name: str) -> State | None:
    for group in _all_groups():
        for state in group.__all_states__:
            if state.state == name:
                return state
    return None


def form_in_progress(manager: DialogManager) -> tuple[str, int] | None:
    """The title key and the step number of the form on top of the user's dialog stack, if any."""
    if not manager.has_context():
        return None
    state = manager.current_context().state
    group = state.group
    title = FORMS.get(group.__full_group_name__) if group is not None else None
    if title is None or group is None:
        return None
    return title, list(group.__all_states__).index(state) + 1


async def open_dialog(
    manager: DialogManager, state: State, data: dict[str, Any] | None = None, *, confirm: bool = True
) -> None:
    """Start ``state``'s dialog as the user's only one; ask first when a form would be lost."""
    fsm = manager.middleware_data.get("state")
    if isinstance(fsm, FSMContext):
        await fsm.clear()  # a form of the plain routers, if one was open
    pending = form_in_progress(manager) if confirm else None
    if pending is not None:
        title, step = pending
        await manager.start(
            LeaveForm.confirm,
            data={"target": state.state, "target_data": data or {}, "title": title, "step": step},
        )
        return
    await manager.start(state, data=data or {}, mode=StartMode.RESET_STACK)


class LeaveForm(StatesGroup):
    confirm = State()


async def _return(event: Any, widget: Any, manager: DialogManager) -> None:
    await manager.done()


async def _leave(event: Any, widget: Any, manager: DialogManager) -> None:
    start = manager.start_data
    assert isinstance(start, dict)
    target = find_state(str(start.get("target")))
    if target is None:
        await manager.reset_stack()
        return
    await manager.start(target, data=dict(start.get("target_data") or {}), mode=StartMode.RESET_STACK)


async def _leave_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    start = dialog_manager.start_data
    assert isinstance(start, dict)
    i18n = dialog_manager.middleware_data["i18n"]
    return {"form": i18n.plain(str(start["title"])), "step": int(start["step"])}


def leave_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("leave-form-ask", form="form", step="step"),
            Column(
                Button(TrPlain("leave-form-return", form="form", step="step"), id="return", on_click=_return),
                Button(TrPlain("leave-form-leave"), id="leave", on_click=_leave),
            ),
            getter=_leave_getter,
            state=LeaveForm.confirm,
        )
    )

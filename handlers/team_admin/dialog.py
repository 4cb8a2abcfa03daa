"""The team administration dialogs: the users list and a user's card (role, team, conversion permission,
deactivation with a confirmation), a new team typed, and the handover of a deactivated user's open work."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Column, Group, Select
from aiogram_dialog.widgets.text import Format

from handlers.kit.inputs import ERROR_LINE, DomainInput
from handlers.kit.paging import pager
from handlers.kit.steps import NOT_TEXT
from handlers.kit.text import Key, Raw, Tr, TrPlain
from handlers.team_admin import actions, getters
from handlers.team_admin.states import Handover, TeamAdmin, TeamName


def _id(item: tuple[Any, str]) -> Any:
    return item[0]


def _select(widget_id: str, items: str, on_click: Any) -> Select[Any]:
    return Select(Format("{item[1]}"), id=widget_id, item_id_getter=_id, items=items, on_click=on_click)


def _to_card() -> Button:
    return Button(TrPlain("btn-back"), id="to_card", on_click=actions.to_card)


def _card() -> Window:
    return Window(
        Key("notice"),
        Tr("team-card-title", "name"),
        Tr("team-card-username", "username", when="username"),
        Tr("team-card-role", "role"),
        Tr("team-card-team", "team"),
        Tr("team-card-status", "status"),
        Tr("team-card-conversion", value="conversion"),
        Tr("team-card-work", "leads", "deals"),
        Tr("team-card-admin-id-note", when="admin_id"),
        Group(
            Button(TrPlain("team-btn-role"), id="role", on_click=actions.to_role),
            Button(TrPlain("team-btn-team"), id="team", on_click=actions.to_team),
            width=2,
        ),
        Button(TrPlain("team-btn-conversion"), id="conversion", on_click=actions.to_conversion),
        Button(TrPlain("team-btn-off"), id="off", on_click=actions.to_deactivate, when="is_active"),
        Button(
            TrPlain("team-btn-on"),
            id="on",
            on_click=actions.on_reactivate,
            when=lambda d, *_: not d["is_active"],
        ),
        Button(
            TrPlain("team-btn-reassign", count="work"),
            id="reassign",
            on_click=actions.to_handover,
            when="has_work",
        ),
        Button(TrPlain("team-btn-to-list"), id="to_list", on_click=actions.to_users),
        getter=getters.card_getter,
        state=TeamAdmin.card,
    )


def team_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("team-users-title"),
            Raw("lines"),
            Group(_select("user", "users", actions.on_user), width=2),
            pager(),
            Cancel(TrPlain("btn-back")),
            getter=getters.users_getter,
            state=TeamAdmin.users,
        ),
        _card(),
        Window(
            Tr("team-ask-role", "name"),
            Column(_select("set_role", "roles", actions.on_role)),
            _to_card(),
            getter=getters.role_getter,
            state=TeamAdmin.role,
        ),
        Window(
            Tr("team-ask-team", "name"),
            Column(_select("set_team", "teams", actions.on_team)),
            Button(TrPlain("team-btn-new-team"), id="new_team", on_click=actions.to_new_team),
            _to_card(),
            getter=getters.team_getter,
            state=TeamAdmin.team,
        ),
        Window(
            Tr("team-ask-conversion", "name"),
            Column(_select("set_conversion", "values", actions.on_conversion)),
            _to_card(),
            getter=getters.conversion_getter,
            state=TeamAdmin.conversion,
        ),
        Window(
            Tr("team-ask-deactivate", "name", "leads", "deals"),
            Button(TrPlain("team-btn-off-confirm"), id="off_confirm", on_click=actions.on_deactivate),
            _to_card(),
            getter=getters.deactivate_getter,
            state=TeamAdmin.deactivate,
        ),
        on_start=actions.on_start,
        on_process_result=actions.on_team_named,
    )


def team_name_dialog() -> Dialog:
    return Dialog(
        Window(
            ERROR_LINE,
            Tr("team-ask-team-name"),
            DomainInput("team_name", actions.parse_team_name, on_success=actions.on_team_name),
            NOT_TEXT,
            Cancel(TrPlain("btn-back")),
            state=TeamName.name,
        ),
    )


def handover_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("team-reassign-pick-owner", when=lambda d, *_: not d["nothing"]),
            Tr("team-reassign-nothing", when="nothing"),
            Column(_select("owner", "owners", actions.on_owner)),
            getter=getters.owners_getter,
            state=Handover.owners,
        ),
        Window(
            Key("notice"),
            Tr("team-work-title", "name", "leads", "deals", when="pending"),
            Raw("lines", when="pending"),
            Tr("team-reassign-done", "name", when="done"),
            Column(_select("item", "items", actions.on_work_item)),
            pager(),
            Button(TrPlain("team-btn-all-to-one"), id="all", on_click=actions.to_all, when="pending"),
            Cancel(TrPlain("btn-back"), when="from_card"),
            getter=getters.work_getter,
            state=Handover.work,
        ),
        Window(
            Tr("team-ask-who-one", "kind", "id", when="one"),
            Tr("team-ask-who-all", "name", when="all"),
            Tr("team-reassign-nobody", when="nobody"),
            Column(_select("target", "targets", actions.on_target)),
            Button(TrPlain("btn-back"), id="to_work", on_click=actions.to_work),
            getter=getters.target_getter,
            state=Handover.target,
        ),
        Window(
            Tr("team-confirm-one", "kind", "id", "owner", "target", when="one"),
            Tr("team-confirm-all", "owner", "target", "leads", "deals", when="all"),
            Button(TrPlain("team-btn-confirm-reassign"), id="confirm", on_click=actions.on_confirm),
            Button(TrPlain("btn-back"), id="to_targets", on_click=actions.to_targets),
            getter=getters.confirm_getter,
            state=Handover.confirm,
        ),
        on_start=actions.on_handover_start,
    )


def dialogs() -> list[Dialog]:
    return [team_dialog(), team_name_dialog(), handover_dialog()]

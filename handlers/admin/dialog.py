"""The invite dialog: a role, a team (a button, or a name typed), then the link in a message of its own."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Back, Button, Column, Row, Select
from aiogram_dialog.widgets.text import Format

from handlers.admin import actions, getters
from handlers.admin.states import InviteForm
from handlers.kit.inputs import ERROR_LINE, DomainInput
from handlers.kit.nav import cancel_button
from handlers.kit.steps import NOT_TEXT, use_buttons
from handlers.kit.text import Tr, TrPlain


def _id(item: tuple[Any, str]) -> Any:
    return item[0]


def _team_input(widget_id: str) -> DomainInput[str]:
    return DomainInput(widget_id, actions.parse_team_name, on_success=actions.on_team_name)


def invite_dialog() -> Dialog:
    return Dialog(
        Window(
            ERROR_LINE,
            Tr("invite-pick-role"),
            Column(
                Select(
                    Format("{item[1]}"),
                    id="role",
                    item_id_getter=_id,
                    items="roles",
                    on_click=actions.on_role,
                )
            ),
            cancel_button(),
            use_buttons("invite-use-buttons"),
            getter=getters.roles_getter,
            state=InviteForm.role,
        ),
        Window(
            ERROR_LINE,
            Tr("invite-pick-team", "role"),
            Tr("invite-team-or-type"),
            Column(
                Select(
                    Format("{item[1]}"),
                    id="team",
                    item_id_getter=_id,
                    items="teams",
                    on_click=actions.on_team,
                ),
                Button(TrPlain("invite-new-team"), id="new_team", on_click=actions.to_new_team),
            ),
            _team_input("team_search"),
            NOT_TEXT,
            Row(Back(TrPlain("btn-back")), cancel_button()),
            getter=getters.teams_getter,
            state=InviteForm.team,
        ),
        Window(
            ERROR_LINE,
            Tr("invite-ask-team-name"),
            _team_input("team_name"),
            NOT_TEXT,
            Row(Back(TrPlain("btn-back")), cancel_button()),
            state=InviteForm.team_name,
        ),
    )


def dialogs() -> list[Dialog]:
    return [invite_dialog()]

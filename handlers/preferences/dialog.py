"""The settings dialog: the summary, the time zone (a button or a typed IANA name) and the language."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Button, Column, Group, Radio, Select, Start, SwitchTo
from aiogram_dialog.widgets.text import Format

from handlers.directories.states import Directories
from handlers.kit.inputs import ERROR_LINE, DomainInput
from handlers.kit.nav import cancel_button
from handlers.kit.steps import NOT_TEXT
from handlers.kit.text import Tr, TrPlain
from handlers.preferences import actions, getters
from handlers.preferences.states import SettingsMenu
from handlers.team_admin.states import TeamAdmin


def _first(item: tuple[str, str]) -> str:
    return item[0]


def _back() -> SwitchTo:
    return SwitchTo(TrPlain("btn-back"), id="back", state=SettingsMenu.main)


def _typed_zone(widget_id: str) -> DomainInput[str]:
    return DomainInput(widget_id, actions.parse_zone, on_success=actions.on_zone_typed)


def settings_dialog() -> Dialog:
    is_admin: Any = "is_admin"
    return Dialog(
        Window(
            Tr("settings-summary", "timezone", "language"),
            Column(
                SwitchTo(TrPlain("settings-btn-timezone"), id="timezone", state=SettingsMenu.timezone),
                Button(TrPlain("settings-btn-language"), id="language_open", on_click=actions.to_language),
                Start(TrPlain("admin-btn-directories"), id="dirs", state=Directories.kinds, when=is_admin),
                Start(TrPlain("admin-btn-team"), id="team", state=TeamAdmin.users, when=is_admin),
            ),
            getter=getters.main_getter,
            state=SettingsMenu.main,
        ),
        Window(
            ERROR_LINE,
            Tr("settings-pick-timezone"),
            Tr("settings-zone-or-type"),
            Group(
                Select(
                    Format("{item[1]}"),
                    id="zone",
                    item_id_getter=_first,
                    items="zones",
                    on_click=actions.on_zone,
                ),
                width=2,
            ),
            SwitchTo(TrPlain("settings-tz-other"), id="zone_other", state=SettingsMenu.timezone_typed),
            _typed_zone("zone_search"),
            NOT_TEXT,
            _back(),
            getter=getters.zones_getter,
            state=SettingsMenu.timezone,
        ),
        Window(
            ERROR_LINE,
            Tr("settings-ask-timezone"),
            _typed_zone("zone_typed"),
            NOT_TEXT,
            SwitchTo(TrPlain("btn-back"), id="back_zones", state=SettingsMenu.timezone),
            cancel_button(),
            state=SettingsMenu.timezone_typed,
        ),
        Window(
            Tr("settings-pick-language"),
            Column(
                Radio(
                    Format("🔘 {item[1]}"),
                    Format("⚪️ {item[1]}"),
                    id=actions.LANGUAGE,
                    item_id_getter=_first,
                    items="languages",
                    on_click=actions.on_language,
                )
            ),
            _back(),
            getter=getters.languages_getter,
            state=SettingsMenu.language,
        ),
    )


def dialogs() -> list[Dialog]:
    return [settings_dialog()]

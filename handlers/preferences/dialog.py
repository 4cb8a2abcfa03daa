"""The settings dialog: the summary, the time zone (a button or a typed IANA name), the language, and the
user's work phone (typed, or their own contact card) and work e-mail (R4b)."""

from __future__ import annotations

from typing import Any

from aiogram.types import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Group, Radio, Select, Start, SwitchTo
from aiogram_dialog.widgets.text import Format

from handlers.directories.states import Directories
from handlers.imports.states import ImportFlow
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
            Tr("settings-summary", "timezone", "language", "work_phone", "work_email"),
            Tr("settings-weekly", "weekly", when="reports_weekly"),
            Column(
                SwitchTo(TrPlain("settings-btn-timezone"), id="timezone", state=SettingsMenu.timezone),
                Button(TrPlain("settings-btn-language"), id="language_open", on_click=actions.to_language),
                SwitchTo(TrPlain("settings-btn-work-phone"), id="work_phone", state=SettingsMenu.work_phone),
                SwitchTo(TrPlain("settings-btn-work-email"), id="work_email", state=SettingsMenu.work_email),
                Button(
                    TrPlain("settings-btn-weekly"),
                    id="weekly",
                    on_click=actions.toggle_weekly,
                    when="reports_weekly",
                ),
                Start(
                    TrPlain("settings-btn-import"), id="import", state=ImportFlow.upload, when="may_import"
                ),
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
        Window(
            ERROR_LINE,
            Tr("settings-ask-work-phone"),
            DomainInput("work_phone_typed", actions.parse_work_phone, on_success=actions.on_work_phone),
            MessageInput(actions.on_own_card, content_types=ContentType.CONTACT),
            Button(TrPlain("settings-btn-remove"), id="remove_phone", on_click=actions.remove_work_phone),
            NOT_TEXT,
            _back(),
            state=SettingsMenu.work_phone,
        ),
        Window(
            ERROR_LINE,
            Tr("settings-ask-work-email"),
            DomainInput("work_email_typed", actions.parse_work_email, on_success=actions.on_work_email),
            Button(TrPlain("settings-btn-remove"), id="remove_email", on_click=actions.remove_work_email),
            NOT_TEXT,
            _back(),
            state=SettingsMenu.work_email,
        ),
    )


def dialogs() -> list[Dialog]:
    return [settings_dialog()]

"""Read-only data of the settings windows."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.i18n import SUPPORTED
from domain.values import MobilePhone
from handlers.kit.context import i18n_of, settings_of, user_of
from handlers.preferences.actions import COMMON_ZONES


def zone_label(zone: str) -> str:
    """«Asia/Vladivostok» → «Vladivostok»: the city is what people look for."""
    return zone.split("/")[-1].replace("_", " ")


async def main_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    user, settings, i18n = user_of(dialog_manager), settings_of(dialog_manager), i18n_of(dialog_manager)
    unset = i18n.plain("settings-not-set")
    return {
        "timezone": user.timezone or settings.default_timezone,
        "language": i18n.plain(f"language-{user.language or i18n.language}"),
        "work_phone": MobilePhone(user.work_phone).display() if user.work_phone else unset,
        "work_email": user.work_email or unset,
        "is_admin": user.is_active and user.role == "admin",
        "reports_weekly": user.role in {"team_lead", "admin"},
        "may_import": user.is_active and user.role in {"team_lead", "admin"},
        "weekly": i18n.plain("settings-weekly-on" if user.weekly_report else "settings-weekly-off"),
    }


async def zones_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    user, settings = user_of(dialog_manager), settings_of(dialog_manager)
    current = user.timezone or settings.default_timezone
    return {"zones": [(zone, ("✓ " if zone == current else "") + zone_label(zone)) for zone in COMMON_ZONES]}


async def languages_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    return {"languages": [(code, i18n.plain(f"language-{code}")) for code in SUPPORTED]}

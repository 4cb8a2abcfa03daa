"""``/settings``: each user's own time zone and language."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import NavCb, SettingsCb
from bot.commands import set_user_commands
from bot.i18n import SUPPORTED, Translator, TranslatorHub
from bot.menu import MenuButton, main_menu
from bot.settings import Settings
from db.models import User
from db.repo import people
from handlers.guards import message_of_button

# Russia's zones west to east, then a few neighbours; any other IANA name can be typed.
COMMON_ZONES = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
    "Europe/Minsk",
    "Asia/Almaty",
)


class SettingsForm(StatesGroup):
    timezone = State()


def settings_keyboard(i18n: Translator, user: User | None = None) -> InlineKeyboardMarkup:
    """The user's own settings; an active admin also gets the directories and the team administration."""
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("settings-btn-timezone"), callback_data=SettingsCb(action="tz"))
    builder.button(text=i18n("settings-btn-language"), callback_data=SettingsCb(action="lang"))
    if user is not None and user.is_active and user.role == "admin":
        builder.button(text=i18n("admin-btn-directories"), callback_data=SettingsCb(action="dirs"))
        builder.button(text=i18n("admin-btn-team"), callback_data=SettingsCb(action="team"))
    builder.adjust(1)
    return builder.as_markup()


def _summary(user: User, settings: Settings, i18n: Translator) -> str:
    return i18n(
        "settings-summary",
        timezone=user.timezone or settings.default_timezone,
        language=i18n(f"language-{user.language or i18n.language}"),
    )


async def show_settings(
    message: Message, state: FSMContext, user: User, settings: Settings, i18n: Translator
) -> None:
    await state.clear()
    await message.answer(_summary(user, settings, i18n), reply_markup=settings_keyboard(i18n, user))


async def pick_timezone(query: CallbackQuery, i18n: Translator) -> None:
    await query.answer()
    builder = InlineKeyboardBuilder()
    for zone in COMMON_ZONES:
        builder.button(
            text=zone.split("/")[-1].replace("_", " "), callback_data=SettingsCb(action="tzset", value=zone)
        )
    builder.button(text=i18n("settings-tz-other"), callback_data=SettingsCb(action="tztype"))
    builder.adjust(2)
    message = message_of_button(query)
    await message.edit_text(i18n("settings-pick-timezone"), reply_markup=builder.as_markup())


async def type_timezone(query: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    await query.answer()
    await state.set_state(SettingsForm.timezone)
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("btn-cancel"), callback_data=NavCb(action="cancel"))
    message = message_of_button(query)
    await message.answer(i18n("settings-ask-timezone"), reply_markup=builder.as_markup())


def _valid_zone(name: str) -> str | None:
    name = name.strip()
    if name not in available_timezones():
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


async def set_timezone_button(
    query: CallbackQuery,
    callback_data: SettingsCb,
    user: User,
    session: AsyncSession,
    settings: Settings,
    i18n: Translator,
) -> None:
    zone = _valid_zone(callback_data.value)
    if zone is None:
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await people.set_user_preferences(session, user.id, timezone=zone)
    user.timezone = zone
    await query.answer(i18n("settings-saved"))
    message = message_of_button(query)
    await message.edit_text(_summary(user, settings, i18n), reply_markup=settings_keyboard(i18n, user))


async def set_timezone_text(
    message: Message,
    state: FSMContext,
    user: User,
    session: AsyncSession,
    settings: Settings,
    i18n: Translator,
) -> None:
    assert message.text is not None
    zone = _valid_zone(message.text)
    if zone is None:
        await message.answer(i18n("settings-timezone-invalid"))
        return
    await people.set_user_preferences(session, user.id, timezone=zone)
    user.timezone = zone
    await state.clear()
    await message.answer(_summary(user, settings, i18n), reply_markup=settings_keyboard(i18n, user))


async def set_timezone_not_text(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("settings-timezone-invalid"))


async def pick_language(query: CallbackQuery, i18n: Translator) -> None:
    await query.answer()
    builder = InlineKeyboardBuilder()
    for lang in SUPPORTED:
        builder.button(text=i18n(f"language-{lang}"), callback_data=SettingsCb(action="langset", value=lang))
    builder.adjust(2)
    message = message_of_button(query)
    await message.edit_text(i18n("settings-pick-language"), reply_markup=builder.as_markup())


async def set_language(
    query: CallbackQuery,
    callback_data: SettingsCb,
    user: User,
    session: AsyncSession,
    settings: Settings,
    i18n_hub: TranslatorHub,
    bot: Bot,
) -> None:
    if callback_data.value not in SUPPORTED:
        await query.answer(i18n_hub.get(user.language)("button-stale"), show_alert=True)
        return
    await people.set_user_preferences(session, user.id, language=callback_data.value)
    user.language = callback_data.value
    i18n = i18n_hub.get(user.language)
    await query.answer(i18n("settings-saved"))
    message = message_of_button(query)
    await message.edit_text(_summary(user, settings, i18n), reply_markup=settings_keyboard(i18n, user))
    await message.answer(i18n("menu-title"), reply_markup=main_menu(i18n))
    await set_user_commands(bot, user, i18n_hub)


def create_router() -> Router:
    router = Router(name="preferences")
    router.message.register(show_settings, Command("settings"))
    router.message.register(show_settings, MenuButton("settings"))
    router.callback_query.register(pick_timezone, SettingsCb.filter(F.action == "tz"))
    router.callback_query.register(type_timezone, SettingsCb.filter(F.action == "tztype"))
    router.callback_query.register(set_timezone_button, SettingsCb.filter(F.action == "tzset"))
    router.message.register(set_timezone_text, SettingsForm.timezone, F.text)
    router.message.register(set_timezone_not_text, SettingsForm.timezone)
    router.callback_query.register(pick_language, SettingsCb.filter(F.action == "lang"))
    router.callback_query.register(set_language, SettingsCb.filter(F.action == "langset"))
    return router

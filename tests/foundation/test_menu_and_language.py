"""Menu, commands, /cancel, /settings, and the two locale catalogs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aiogram.methods import DeleteMyCommands, SetMyCommands
from aiogram.types import BotCommandScopeChat
from fluent.syntax import FluentParser, ast
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import LOCALES_DIR, TranslatorHub, pick_language
from bot.menu import MENU_ACTIONS
from bot.runtime import announce_commands
from db.models import User
from tests.conftest import ADMIN_ID
from tests.foundation.test_access import make_invite
from tests.harness import Harness, first_line, t, tp

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_TITLE = first_line("settings-summary", timezone="", language="", work_phone="", work_email="")


def catalog_keys(language: str) -> dict[str, set[str]]:
    """message id -> the variables it uses, over every .ftl file of a language."""
    keys: dict[str, set[str]] = {}
    for path in sorted((LOCALES_DIR / language).glob("*.ftl")):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        for entry in resource.body:
            assert not isinstance(entry, ast.Junk), f"{path.name}: syntax error near {entry.content[:60]!r}"
            if isinstance(entry, ast.Message):
                assert entry.id.name not in keys, f"{entry.id.name} is defined twice in {language}"
                keys[entry.id.name] = set(
                    re.findall(
                        r"\$([a-z_]+)",
                        path.read_text(encoding="utf-8").split(f"\n{entry.id.name} =")[1].split("\n\n")[0],
                    )
                )
    return keys


def test_both_catalogs_have_the_same_keys_and_variables() -> None:
    ru, en = catalog_keys("ru"), catalog_keys("en")
    assert set(ru) == set(en), f"only in ru: {set(ru) - set(en)}; only in en: {set(en) - set(ru)}"
    for key in ru:
        assert ru[key] == en[key], f"{key}: ru uses {ru[key]}, en uses {en[key]}"


def test_every_literal_key_used_in_code_exists() -> None:
    keys = set(catalog_keys("ru"))
    used: set[str] = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            used |= set(re.findall(r'i18n\(\s*"([a-z0-9-]+)"', path.read_text(encoding="utf-8")))
    missing = used - keys
    assert not missing, f"keys used in code but missing from the catalogs: {sorted(missing)}"


def test_translator_escapes_user_data() -> None:
    i18n = TranslatorHub().get("ru")
    text = i18n("start-welcome-back", name="<b>срочно</b> & Co")
    assert "&lt;b&gt;срочно&lt;/b&gt; &amp; Co" in text


@pytest.mark.parametrize(
    ("setting", "telegram", "expected"),
    [(None, "ru", "ru"), (None, "en-US", "en"), (None, "de", "ru"), ("en", "ru", "en"), ("ru", "en", "ru")],
)
def test_language_comes_from_the_setting_then_telegram(
    setting: str | None, telegram: str, expected: str
) -> None:
    assert pick_language(setting, telegram) == expected


async def test_english_telegram_users_get_english(harness: Harness) -> None:
    admin = harness.user(ADMIN_ID, language_code="en")
    replies = await admin.send("/menu")
    assert replies == ["Main menu. Choose an action."]
    assert "👤 New contact" in admin.reply_keyboard()


async def test_menu_has_eight_buttons_and_the_rest_under_more(harness: Harness) -> None:
    """A field manager's phone: the seven most used actions and «Ещё»; «Ещё» shows every other action and a
    way back. Every action is on one of the two keyboards."""
    admin = harness.user(ADMIN_ID)
    await admin.send("/menu")
    first = admin.reply_keyboard()
    hub = TranslatorHub()
    ru = hub.get("ru")
    assert len(first) <= 8 and first[-1] == ru("menu-more")
    assert first[:3] == [ru("menu-today"), ru("menu-log"), ru("menu-new-contact")]
    replies = await admin.send(ru("menu-more"))
    assert replies == [ru("menu-more-title")]
    second = admin.reply_keyboard()
    assert second[-1] == ru("menu-main")
    assert set(first[:-1]) | set(second[:-1]) == {ru(key) for _action, key in MENU_ACTIONS}
    assert not set(first) & set(second)
    await admin.send(ru("menu-main"))
    assert admin.reply_keyboard() == first


async def test_the_reports_button_and_command_open_the_reports(harness: Harness) -> None:
    admin = harness.user(ADMIN_ID)
    await admin.send("/menu")
    replies = await admin.send("📊 Отчёты")
    assert t("report-ask-kind") in replies[-1] and "ещё в разработке" not in replies[-1]
    replies = await admin.send("/report")
    assert t("report-ask-kind") in replies[-1]


async def test_help_lists_commands_and_admin_extras(harness: Harness) -> None:
    admin = harness.user(ADMIN_ID)
    replies = await admin.send("/help")
    assert "/new_contact" in replies[-1] and "/invite" in replies[-1]
    code = await make_invite(harness)
    manager = harness.user(700_100)
    await manager.send(f"/start {code}")
    replies = await manager.send("/help")
    assert "/new_contact" in replies[-1] and "/invite" not in replies[-1]


async def test_cancel_leaves_any_form(harness: Harness) -> None:
    admin = harness.user(ADMIN_ID)
    await admin.send("/invite")
    await admin.click("Менеджер")
    await admin.click("Новая команда")
    replies = await admin.send("/cancel")
    assert replies[-1] == "Действие отменено. Ничего не сохранено."
    # The form no longer waits for a team name: the text is not taken as one.
    replies = await admin.send("Команда Икс")
    assert "Не понял" in replies[-1]
    replies = await admin.send("/cancel")
    assert "Отменять нечего" in replies[-1]


async def test_an_old_button_says_it_is_out_of_date(harness: Harness) -> None:
    admin = harness.user(ADMIN_ID)
    await admin.send("/menu")
    replies = await admin.press("zz:unknown:1")
    assert replies == ["Эта кнопка устарела. Откройте раздел заново."]


async def test_settings_time_zone_and_language(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    admin = harness.user(ADMIN_ID)
    replies = await admin.send("/settings")
    assert "Europe/Moscow" in replies[-1]
    await admin.click(tp("settings-btn-timezone"))
    replies = await admin.click("Vladivostok")
    assert "Asia/Vladivostok" in replies[-1] and SETTINGS_TITLE in replies[-1]
    await admin.click(tp("settings-btn-timezone"))
    await admin.click(tp("settings-tz-other"))
    replies = await admin.send("Mars/Olympus")
    assert t("settings-timezone-invalid") in replies[-1] and t("settings-ask-timezone") in replies[-1]
    replies = await admin.send("Asia/Tashkent")
    assert "Asia/Tashkent" in replies[-1]
    await admin.click(tp("settings-btn-language"))
    assert "🔘 Русский" in admin.buttons() and "⚪️ English" in admin.buttons()
    replies = await admin.click("English")
    # The settings are shown again in English, with the main menu and the commands in English too.
    assert any("Time zone: Asia/Tashkent" in reply for reply in replies)
    assert t("menu-title", "en") in replies
    assert tp("settings-btn-timezone", "en") in admin.buttons()
    assert admin.reply_keyboard()[0] == t("menu-today", "en")
    assert [c for c in harness.calls(SetMyCommands) if c.language_code is None]  # the admin's chat scope
    replies = await admin.send("/menu")
    assert replies == ["Main menu. Choose an action."]
    async with sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
    assert user is not None and user.timezone == "Asia/Tashkent" and user.language == "en"


async def test_settings_time_zone_typed_at_the_buttons_and_invalid_inputs(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """A zone typed at the zone buttons is taken too; a wrong name or a sticker re-asks, nothing saved."""
    admin = harness.user(ADMIN_ID)
    await admin.send("/settings")
    await admin.click(tp("settings-btn-timezone"))
    replies = await admin.send("Europe/Nowhere")
    assert t("settings-timezone-invalid") in replies[-1] and t("settings-pick-timezone") in replies[-1]
    replies = await admin.send_document("zone.pdf")
    assert t("form-err-text-expected") in replies[-1]
    async with sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
    assert user is not None and user.timezone is None
    replies = await admin.send(" Asia/Yekaterinburg ")
    assert "Asia/Yekaterinburg" in replies[-1] and SETTINGS_TITLE in replies[-1]


async def test_settings_forged_zone_and_language_buttons_change_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    admin = harness.user(ADMIN_ID)
    await admin.send("/settings")
    await admin.click(tp("settings-btn-timezone"))
    zone_button = next(
        b.callback_data
        for row in harness.messages_to(ADMIN_ID)[-1].reply_markup.inline_keyboard  # type: ignore[union-attr]
        for b in row
        if "Vladivostok" in b.text
    )
    assert zone_button is not None
    replies = await admin.press(zone_button.replace("Asia/Vladivostok", "Mars/Olympus"))
    assert replies == [tp("button-stale")]
    await admin.click(tp("btn-back"))
    await admin.click(tp("settings-btn-language"))
    english = next(
        b.callback_data
        for row in harness.messages_to(ADMIN_ID)[-1].reply_markup.inline_keyboard  # type: ignore[union-attr]
        for b in row
        if "English" in b.text
    )
    assert english is not None
    replies = await admin.press(english[: -len("en")] + "de")
    assert replies == [tp("button-stale")]
    # Another user's settings buttons obey nothing.
    stranger_code = await make_invite(harness)
    other = harness.user(700_300)
    await other.send(f"/start {stranger_code}")
    await other.send("/menu")
    replies = await other.press(english)
    assert replies == [tp("button-stale")]
    async with sessionmaker() as session:
        users = list(await session.scalars(select(User)))
    assert all(user.timezone is None and user.language in (None, "ru") for user in users)


async def test_a_manager_sees_only_their_own_settings(harness: Harness) -> None:
    code = await make_invite(harness)
    manager = harness.user(700_400)
    await manager.send(f"/start {code}")
    await manager.send(t("menu-more"))
    await manager.send(t("menu-settings"))
    buttons = manager.buttons()
    assert tp("settings-btn-timezone") in buttons and tp("settings-btn-language") in buttons
    assert tp("admin-btn-directories") not in buttons and tp("admin-btn-team") not in buttons


async def test_commands_are_set_per_language_and_admins_get_a_chat_scope(harness: Harness, settings) -> None:  # type: ignore[no-untyped-def]
    await announce_commands(harness.bot, settings, TranslatorHub())
    calls = harness.calls(SetMyCommands)
    by_language = {c.language_code: c for c in calls if not isinstance(c.scope, BotCommandScopeChat)}
    assert {"ru", "en"} <= set(by_language)
    assert by_language["ru"].commands[0].description == "План на день"
    assert by_language["en"].commands[0].description == "Today's plan"
    admin_scoped = [
        c for c in calls if isinstance(c.scope, BotCommandScopeChat) and c.scope.chat_id == ADMIN_ID
    ]
    assert admin_scoped and "invite" in {cmd.command for cmd in admin_scoped[0].commands}
    assert all("invite" not in {cmd.command for cmd in c.commands} for c in by_language.values())


async def test_a_new_manager_gets_no_admin_commands(harness: Harness) -> None:
    code = await make_invite(harness)
    await harness.user(700_200).send(f"/start {code}")
    deleted = harness.calls(DeleteMyCommands)
    assert deleted and isinstance(deleted[-1].scope, BotCommandScopeChat)


async def test_a_new_team_lead_gets_the_team_lead_commands(harness: Harness) -> None:
    code = await make_invite(harness, role="team_lead")
    await harness.user(700_201).send(f"/start {code}")
    scoped = [call for call in harness.calls(SetMyCommands) if isinstance(call.scope, BotCommandScopeChat)]
    assert scoped and scoped[-1].scope.chat_id == 700_201  # type: ignore[union-attr]
    names = {command.command for command in scoped[-1].commands}
    assert {"reassign", "import", "today"} <= names and "invite" not in names

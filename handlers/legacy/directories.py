"""``/settings`` → «📚 Справочники» (admins only): industries, business regions, product groups, products,
lead sources and pipeline stages.

Values are added, renamed, switched off and on, never deleted: a value in use stays valid on old records,
and the flows offer only active values for new ones. Stages are also reordered and may have their own
(shorter) inactivity period (R2h). Every press re-checks that the presser is an active admin; the repository
checks it again inside the write.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import NavCb, OptionalId, PageNo, SettingsCb, SmallInt
from bot.forms import FormInput, step_keyboard
from bot.i18n import Translator
from bot.settings import Settings
from db.models import User
from db.repo import directories as repo
from db.repo.directories import DirectoryError, Item, Kind, NotAdmin
from domain import limits
from handlers.guards import message_of_button

log = logging.getLogger(__name__)

KIND_ORDER = (Kind.INDUSTRY, Kind.REGION, Kind.GROUP, Kind.PRODUCT, Kind.SOURCE, Kind.STAGE)


class DirCb(CallbackData, prefix="dr"):
    """kinds | list | groups | item | add | ren | off | on | up | down | per | pset.

    ``id`` is the value (for ``list`` / ``add`` of products: the group), ``arg`` the months for ``pset``.
    """

    action: str
    kind: str = ""
    id: OptionalId = 0
    page: PageNo = 0
    arg: SmallInt = 0


class DirForm(StatesGroup):
    name = State()


def is_admin(user: User | None) -> bool:
    return user is not None and user.is_active and user.role == "admin"


def _message(query: CallbackQuery) -> Message:
    """The button's message; the router's ``ButtonGuard`` answers a press without one as out of date."""
    return message_of_button(query)


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


async def _refuse(query: CallbackQuery, i18n: Translator) -> None:
    await query.answer(i18n("admin-only"), show_alert=True)


def _kind(code: str) -> Kind | None:
    try:
        return Kind(code)
    except ValueError:
        return None


def _label(i18n: Translator, item: Item) -> str:
    text = item.name if len(item.name) <= 40 else item.name[:39] + "…"
    if not item.is_active:
        text += " " + i18n("dir-off-mark")
    if item.stage_kind in {"won", "lost"}:
        text = i18n(f"dir-stage-kind-{item.stage_kind}") + " " + text
    return text


# ---------------------------------------------------------------------------------------------
# Screens
# ---------------------------------------------------------------------------------------------


def kinds_keyboard(i18n: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for kind in KIND_ORDER:
        action = "groups" if kind is Kind.PRODUCT else "list"
        builder.button(
            text=i18n(f"dir-kind-{kind.value}"), callback_data=DirCb(action=action, kind=kind.value)
        )
    builder.adjust(2)
    return builder.as_markup()


async def _show(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    await query.answer()
    await _message(query).edit_text(text, reply_markup=markup)


async def open_directories(query: CallbackQuery, user: User, i18n: Translator) -> None:
    if not is_admin(user):
        return await _refuse(query, i18n)
    await _show(query, i18n("dir-title"), kinds_keyboard(i18n))


async def show_kinds(query: CallbackQuery, user: User, i18n: Translator) -> None:
    if not is_admin(user):
        return await _refuse(query, i18n)
    await _show(query, i18n("dir-title"), kinds_keyboard(i18n))


async def show_groups(query: CallbackQuery, session: AsyncSession, user: User, i18n: Translator) -> None:
    """Products are chosen per group: first the group."""
    if not is_admin(user):
        return await _refuse(query, i18n)
    builder = InlineKeyboardBuilder()
    for group in await repo.all_groups(session):
        builder.button(
            text=_label(i18n, group), callback_data=DirCb(action="list", kind=Kind.PRODUCT.value, id=group.id)
        )
    builder.button(text=i18n("btn-back"), callback_data=DirCb(action="kinds"))
    builder.adjust(1)
    await _show(query, i18n("dir-pick-group"), builder.as_markup())


async def _list_screen(
    session: AsyncSession, i18n: Translator, kind: Kind, page: int, group_id: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    items, has_next = await repo.list_page(session, kind, page, group_id or None)
    builder = InlineKeyboardBuilder()
    for item in items:
        builder.button(
            text=_label(i18n, item),
            callback_data=DirCb(action="item", kind=kind.value, id=item.id, page=page),
        )
    builder.adjust(1)
    pager: list[InlineKeyboardButton] = []
    if page > 0:
        pager.append(
            _button(i18n("btn-prev"), DirCb(action="list", kind=kind.value, id=group_id, page=page - 1))
        )
    if has_next:
        pager.append(
            _button(i18n("btn-next"), DirCb(action="list", kind=kind.value, id=group_id, page=page + 1))
        )
    if pager:
        builder.row(*pager)
    back = DirCb(action="groups", kind=Kind.PRODUCT.value) if kind is Kind.PRODUCT else DirCb(action="kinds")
    builder.row(
        _button(i18n("dir-btn-add"), DirCb(action="add", kind=kind.value, id=group_id)),
        _button(i18n("btn-back"), back),
    )
    if kind is Kind.PRODUCT:
        group = await repo.get_item(session, Kind.GROUP, group_id)
        title = i18n("dir-list-products", group=group.name if group else "—")
    else:
        title = i18n("dir-list-title", kind=i18n(f"dir-kind-{kind.value}"))
    if not items:
        title += "\n\n" + i18n("dir-list-empty")
    elif kind is Kind.STAGE:
        title += "\n\n" + i18n("dir-stage-hint")
    return title, builder.as_markup()


async def show_list(
    query: CallbackQuery, callback_data: DirCb, session: AsyncSession, user: User, i18n: Translator
) -> None:
    kind = _kind(callback_data.kind)
    if not is_admin(user):
        return await _refuse(query, i18n)
    if kind is None or (
        kind is Kind.PRODUCT and await repo.get_item(session, Kind.GROUP, callback_data.id) is None
    ):
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    text, markup = await _list_screen(session, i18n, kind, callback_data.page, callback_data.id)
    await _show(query, text, markup)


def _period_text(i18n: Translator, item: Item, settings: Settings) -> str:
    if item.period_months is None:
        return i18n("dir-period-default", months=settings.inactivity_period)
    return i18n("dir-period-own", months=item.period_months)


async def _item_screen(
    i18n: Translator, kind: Kind, item: Item, page: int, settings: Settings
) -> tuple[str, InlineKeyboardMarkup]:
    status = i18n("dir-status-on" if item.is_active else "dir-status-off")
    rows = [i18n("dir-item-title", kind=i18n(f"dir-kind-{kind.value}"), name=item.name), status]
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("dir-btn-rename"), callback_data=DirCb(action="ren", kind=kind.value, id=item.id, page=page)
    )
    outcome = kind is Kind.STAGE and item.stage_kind != "open"
    if outcome:
        rows.append(i18n("dir-stage-outcome-note"))
    else:
        action, key = ("off", "dir-btn-off") if item.is_active else ("on", "dir-btn-on")
        builder.button(
            text=i18n(key), callback_data=DirCb(action=action, kind=kind.value, id=item.id, page=page)
        )
    if kind is Kind.STAGE and not outcome:
        rows.append(_period_text(i18n, item, settings))
        if item.is_active:
            builder.button(
                text=i18n("dir-btn-up"),
                callback_data=DirCb(action="up", kind=kind.value, id=item.id, page=page),
            )
            builder.button(
                text=i18n("dir-btn-down"),
                callback_data=DirCb(action="down", kind=kind.value, id=item.id, page=page),
            )
        builder.button(
            text=i18n("dir-btn-period"),
            callback_data=DirCb(action="per", kind=kind.value, id=item.id, page=page),
        )
    group_id = item.group_id or 0
    builder.button(
        text=i18n("dir-btn-to-list"),
        callback_data=DirCb(action="list", kind=kind.value, id=group_id, page=page),
    )
    builder.adjust(1)
    return "\n".join(rows), builder.as_markup()


async def _item_for(
    query: CallbackQuery, callback_data: DirCb, session: AsyncSession, user: User, i18n: Translator
) -> tuple[Kind, Item] | None:
    if not is_admin(user):
        await _refuse(query, i18n)
        return None
    kind = _kind(callback_data.kind)
    item = await repo.get_item(session, kind, callback_data.id) if kind is not None else None
    if kind is None or item is None:
        await query.answer(i18n("button-stale"), show_alert=True)
        return None
    return kind, item


async def show_item(
    query: CallbackQuery,
    callback_data: DirCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    found = await _item_for(query, callback_data, session, user, i18n)
    if found is None:
        return
    text, markup = await _item_screen(i18n, *found, callback_data.page, settings)
    await _show(query, text, markup)


async def _refresh_item(
    query: CallbackQuery,
    session: AsyncSession,
    kind: Kind,
    item_id: int,
    page: int,
    settings: Settings,
    i18n: Translator,
    notice: str,
) -> None:
    item = await repo.get_item(session, kind, item_id)
    assert item is not None
    text, markup = await _item_screen(i18n, kind, item, page, settings)
    await query.answer(notice)
    await _message(query).edit_text(text, reply_markup=markup)


# ---------------------------------------------------------------------------------------------
# Changes by buttons
# ---------------------------------------------------------------------------------------------


async def _refused(query: CallbackQuery, i18n: Translator, error: Exception) -> None:
    if isinstance(error, NotAdmin):
        return await _refuse(query, i18n)
    assert isinstance(error, DirectoryError)
    await query.answer(i18n(error.key, **error.params), show_alert=True)


async def switch(
    query: CallbackQuery,
    callback_data: DirCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    found = await _item_for(query, callback_data, session, user, i18n)
    if found is None:
        return
    kind, item = found
    active = callback_data.action == "on"
    try:
        await repo.set_active(session, user.id, kind, item.id, active)
    except (DirectoryError, NotAdmin) as error:
        return await _refused(query, i18n, error)
    log.info("directory %s item %s active=%s by user %s", kind.value, item.id, active, user.id)
    notice = i18n("dir-activated" if active else "dir-deactivated")
    await _refresh_item(query, session, kind, item.id, callback_data.page, settings, i18n, notice)


async def move(
    query: CallbackQuery,
    callback_data: DirCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    found = await _item_for(query, callback_data, session, user, i18n)
    if found is None:
        return
    kind, item = found
    if kind is not Kind.STAGE:
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    try:
        moved = await repo.move_stage(session, user.id, item.id, -1 if callback_data.action == "up" else 1)
    except (DirectoryError, NotAdmin) as error:
        return await _refused(query, i18n, error)
    if not moved:
        await query.answer(i18n("dir-stage-edge"), show_alert=True)
        return
    log.info("stage %s moved %s by user %s", item.id, callback_data.action, user.id)
    text, markup = await _list_screen(session, i18n, Kind.STAGE, 0)
    await query.answer(i18n("dir-reordered"))
    await _message(query).edit_text(text, reply_markup=markup)


async def ask_period(
    query: CallbackQuery,
    callback_data: DirCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    found = await _item_for(query, callback_data, session, user, i18n)
    if found is None:
        return
    kind, item = found
    if kind is not Kind.STAGE or item.stage_kind != "open":
        await query.answer(i18n("dir-stage-outcome-fixed"), show_alert=True)
        return
    builder = InlineKeyboardBuilder()
    for months in range(1, settings.inactivity_period + 1):
        label = ("✓ " if item.period_months == months else "") + i18n("dir-period-months", months=months)
        builder.button(
            text=label,
            callback_data=DirCb(
                action="pset", kind=kind.value, id=item.id, page=callback_data.page, arg=months
            ),
        )
    builder.adjust(4)
    builder.row(
        _button(
            i18n("dir-btn-period-default", months=settings.inactivity_period),
            DirCb(action="pset", kind=kind.value, id=item.id, page=callback_data.page, arg=0),
        )
    )
    builder.row(
        _button(i18n("btn-back"), DirCb(action="item", kind=kind.value, id=item.id, page=callback_data.page))
    )
    text = (
        i18n("dir-ask-period", name=item.name, max=settings.inactivity_period)
        + "\n"
        + _period_text(i18n, item, settings)
    )
    await _show(query, text, builder.as_markup())


async def set_period(
    query: CallbackQuery,
    callback_data: DirCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    found = await _item_for(query, callback_data, session, user, i18n)
    if found is None:
        return
    kind, item = found
    if kind is not Kind.STAGE:
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    months = callback_data.arg or None
    try:
        await repo.set_stage_period(session, user.id, item.id, months, settings.inactivity_period)
    except (DirectoryError, NotAdmin) as error:
        return await _refused(query, i18n, error)
    log.info("stage %s period set to %s by user %s", item.id, months, user.id)
    await _refresh_item(
        query, session, kind, item.id, callback_data.page, settings, i18n, i18n("dir-period-saved")
    )


# ---------------------------------------------------------------------------------------------
# Typing a name: add or rename
# ---------------------------------------------------------------------------------------------


def _ask_name_text(i18n: Translator, kind: Kind, current: str | None) -> str:
    if current is None:
        return i18n(
            "dir-ask-new-name", kind=i18n(f"dir-kind-{kind.value}"), example=i18n(f"dir-example-{kind.value}")
        )
    return i18n("dir-ask-rename", name=current, example=i18n(f"dir-example-{kind.value}"))


async def ask_add(
    query: CallbackQuery,
    callback_data: DirCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    kind = _kind(callback_data.kind)
    if not is_admin(user):
        return await _refuse(query, i18n)
    if kind is None or (
        kind is Kind.PRODUCT and await repo.get_item(session, Kind.GROUP, callback_data.id) is None
    ):
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await state.clear()
    await state.set_state(DirForm.name)
    await state.update_data(dir_kind=kind.value, dir_group=callback_data.id, dir_item=0)
    await query.answer()
    await _message(query).answer(_ask_name_text(i18n, kind, None), reply_markup=step_keyboard(i18n))


async def ask_rename(
    query: CallbackQuery,
    callback_data: DirCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    found = await _item_for(query, callback_data, session, user, i18n)
    if found is None:
        return
    kind, item = found
    await state.clear()
    await state.set_state(DirForm.name)
    await state.update_data(dir_kind=kind.value, dir_group=item.group_id or 0, dir_item=item.id)
    await query.answer()
    await _message(query).answer(_ask_name_text(i18n, kind, item.name), reply_markup=step_keyboard(i18n))


async def enter_name(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    data = await state.get_data()
    kind = _kind(str(data.get("dir_kind", "")))
    if not is_admin(user) or kind is None:
        await state.clear()
        await message.answer(i18n("admin-only"))
        return
    assert message.text is not None
    item_id = int(data.get("dir_item", 0))
    group_id = int(data.get("dir_group", 0))
    if too_long := limits.check_length(" ".join(message.text.split()), limits.DIRECTORY_NAME):
        await message.answer(
            i18n("limit-too-long", limit=too_long.limit, length=too_long.length),
            reply_markup=step_keyboard(i18n),
        )
        return
    try:
        if item_id:
            await repo.rename_item(session, user.id, kind, item_id, message.text)
        else:
            item_id = await repo.add_item(session, user.id, kind, message.text, group_id or None)
    except NotAdmin:
        await state.clear()
        await message.answer(i18n("admin-only"))
        return
    except DirectoryError as error:
        if error.key == "button-stale":
            await state.clear()
        await message.answer(i18n(error.key, **error.params), reply_markup=step_keyboard(i18n))
        return
    log.info("directory %s item %s saved by user %s", kind.value, item_id, user.id)
    await state.clear()
    item = await repo.get_item(session, kind, item_id)
    assert item is not None
    await message.answer(i18n("dir-saved", name=item.name))
    text, markup = await _item_screen(i18n, kind, item, 0, settings)
    await message.answer(text, reply_markup=markup)


async def name_not_text(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("dir-name-need-text"))


async def on_back(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, user: User, i18n: Translator
) -> None:
    """ "Back" from typing a name returns to the directory's list."""
    data = await state.get_data()
    await state.clear()
    kind = _kind(str(data.get("dir_kind", "")))
    if not is_admin(user) or kind is None:
        return await _refuse(query, i18n)
    text, markup = await _list_screen(session, i18n, kind, 0, int(data.get("dir_group", 0)))
    await query.answer()
    await _message(query).edit_reply_markup(reply_markup=None)
    await _message(query).answer(text, reply_markup=markup)


def create_router() -> Router:
    router = Router(name="directories")
    form_input = FormInput()
    router.callback_query.register(open_directories, SettingsCb.filter(F.action == "dirs"))
    router.callback_query.register(show_kinds, DirCb.filter(F.action == "kinds"))
    router.callback_query.register(show_groups, DirCb.filter(F.action == "groups"))
    router.callback_query.register(show_list, DirCb.filter(F.action == "list"))
    router.callback_query.register(show_item, DirCb.filter(F.action == "item"))
    router.callback_query.register(switch, DirCb.filter(F.action.in_({"on", "off"})))
    router.callback_query.register(move, DirCb.filter(F.action.in_({"up", "down"})))
    router.callback_query.register(ask_period, DirCb.filter(F.action == "per"))
    router.callback_query.register(set_period, DirCb.filter(F.action == "pset"))
    router.callback_query.register(ask_add, DirCb.filter(F.action == "add"))
    router.callback_query.register(ask_rename, DirCb.filter(F.action == "ren"))
    router.callback_query.register(on_back, NavCb.filter(F.action == "back"), StateFilter(DirForm))
    router.message.register(enter_name, DirForm.name, F.text, form_input)
    router.message.register(name_not_text, DirForm.name, form_input)
    return router

"""``/find <text>``: contacts by a fragment of the name or a phone in any format, with their leads and deals.

Only what the user may see is found (SPEC "Access"). The query is kept in the FSM data, not in the page
buttons, so that any text fits the 64-byte callback limit.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import ContactCb, DealCb, LeadCb, PageCb
from bot.forms import FormInput, nav_rows, pager_row
from bot.i18n import Translator
from bot.menu import MenuButton
from bot.settings import Settings
from db.models import Client
from db.repo import contacts
from db.repo.clients import search_clients
from db.repo.contacts import MIN_QUERY_LENGTH, SearchResult
from domain import limits
from domain.access import Actor
from handlers.legacy.clients import ClientCb

QUERY_KEY = "find_query"


class FindForm(StatesGroup):
    query = State()


def _ask_markup(i18n: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=nav_rows(i18n, back=False))


def _results_markup(i18n: Translator, result: SearchResult, clients: list[Client]) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=i18n.plain("contact-find-btn-client", name=client.name),
                callback_data=ClientCb(action="open", id=client.id).pack(),
            )
        ]
        for client in clients
    ]
    rows += [
        [
            InlineKeyboardButton(
                text=contact.full_name, callback_data=ContactCb(action="open", id=contact.id).pack()
            )
        ]
        for contact in result.page.contacts
    ]
    rows += [
        [
            InlineKeyboardButton(
                text=i18n.plain("contact-find-btn-lead", id=lead.id, name=lead.contact.full_name),
                callback_data=LeadCb(action="open", id=lead.id).pack(),
            )
        ]
        for lead in result.leads
    ]
    rows += [
        [
            InlineKeyboardButton(
                text=i18n.plain("contact-find-btn-deal", id=deal.id, name=deal.contact.full_name),
                callback_data=DealCb(action="open", id=deal.id).pack(),
            )
        ]
        for deal in result.deals
    ]
    pager = pager_row(i18n, "find", result.page.page, result.page.has_next)
    if pager:
        rows.append(pager)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _results_text(i18n: Translator, text: str, result: SearchResult, found_clients: list[Client]) -> str:
    page = result.page
    lines = [i18n("contact-find-results", query=text, total=page.total, page=page.page + 1, pages=page.pages)]
    if found_clients:
        lines.append(i18n("contact-find-clients", count=len(found_clients)))
    return "\n".join(lines)


async def ask_query(message: Message, state: FSMContext, i18n: Translator) -> None:
    await state.clear()
    await state.set_state(FindForm.query)
    await message.answer(i18n("contact-find-ask"), reply_markup=_ask_markup(i18n))


async def _find(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
    text: str,
) -> None:
    text = " ".join(text.split())
    if len(text) < MIN_QUERY_LENGTH:
        await state.set_state(FindForm.query)
        await message.answer(i18n("contact-find-too-short"), reply_markup=_ask_markup(i18n))
        return
    if too_long := limits.check_length(text, limits.SEARCH_TEXT):
        await state.set_state(FindForm.query)
        await message.answer(
            i18n("limit-search-too-long", limit=too_long.limit, length=too_long.length),
            reply_markup=_ask_markup(i18n),
        )
        return
    result = await contacts.search(session, actor, text, default_region=settings.default_phone_region)
    found_clients = await search_clients(session, actor, " ".join(text.split()[: limits.SEARCH_WORDS]))
    if not result.page.total and not found_clients:
        await state.set_state(FindForm.query)
        await message.answer(i18n("contact-find-nothing", query=text), reply_markup=_ask_markup(i18n))
        return
    await state.set_state(None)
    await state.update_data({QUERY_KEY: text})
    await message.answer(
        _results_text(i18n, text, result, found_clients),
        reply_markup=_results_markup(i18n, result, found_clients),
    )


async def find_command(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    if not command.args:
        await ask_query(message, state, i18n)
        return
    await state.clear()
    await _find(message, state, session, actor, settings, i18n, command.args)


async def on_query(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    await _find(message, state, session, actor, settings, i18n, message.text or "")


async def on_not_text(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("contact-find-ask"), reply_markup=_ask_markup(i18n))


async def find_page(
    query: CallbackQuery,
    callback_data: PageCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    text = (await state.get_data()).get(QUERY_KEY)
    if not text or not isinstance(query.message, Message):
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer()
    result = await contacts.search(
        session, actor, text, default_region=settings.default_phone_region, page=callback_data.page
    )
    # Clients are few per query and shown on the first page only.
    found_clients = await search_clients(session, actor, text) if callback_data.page == 0 else []
    await query.message.edit_text(
        _results_text(i18n, text, result, found_clients),
        reply_markup=_results_markup(i18n, result, found_clients),
    )


def create_router() -> Router:
    router = Router(name="search")
    router.message.register(find_command, Command("find"))
    router.message.register(ask_query, MenuButton("find"))
    router.message.register(on_query, StateFilter(FindForm.query), FormInput(), F.text)
    router.message.register(on_not_text, StateFilter(FindForm.query), FormInput())
    router.callback_query.register(find_page, PageCb.filter(F.kind == "find"))
    return router

"""History and documents on every card (seed 002): contact, client, counterparty, lead and deal.

- «🕘 История»: a paginated timeline from the audit table (the single source): creations, edits (field:
  old → new), stage changes, conversions, interactions, route steps, reassignments, tasks, documents; each
  with its author and the time in the reader's zone. Unknown actions show their code and changes.
- «📎 Документы (N)» lists the card's files, newest first, with a button per file that sends it back.
- «📎 Прикрепить» waits for a document, photo or voice note for that card. Without it, a file sent while no
  form is waiting goes to the card the user opened last (``User.open_entity``), tracked by every card.

Every button re-checks from the database that the presser may see the card (and, to attach to a lead or a
deal, may act on it — R1c); callbacks carry ids only.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import ContactCb, DealCb, LeadCb, PageNo, RecordId, SmallInt
from bot.forms import FormInput, deny, message_of, step_keyboard
from bot.i18n import Html, Translator
from bot.menu import main_menu
from bot.settings import Settings
from db.models import AuditEntry, Document, User
from db.repo import records as repo
from domain.access import Actor
from domain.money import from_minor
from domain.values import BirthDate, MobilePhone, Money

log = logging.getLogger(__name__)

ATTACH = "records_attach"
VALUE_MAX = 120
LABEL_MAX = 40
TEXT_MAX = 4000
DETAIL_LEVELS = (8, 3, 0)  # changes shown per entry; fewer when a page would not fit in one message


class AttachForm(StatesGroup):
    file = State()


class HistoryCb(CallbackData, prefix="hs"):
    """A card's history page; ``edit`` 1 when turning pages (the message is edited in place)."""

    entity: str
    id: RecordId
    page: PageNo = 0
    edit: SmallInt = 0


class DocsCb(CallbackData, prefix="dc"):
    """list (a page of the card's documents) | attach (wait for a file for this card)."""

    action: str
    entity: str
    id: RecordId
    page: PageNo = 0
    edit: SmallInt = 0


class DocCb(CallbackData, prefix="df"):
    """Send one document back: the id only; the card and the rights are read from the database."""

    id: RecordId


# ---------------------------------------------------------------------------------------------------------
# Card rows: every card calls these
# ---------------------------------------------------------------------------------------------------------


def card_record_rows(
    i18n: Translator, entity: str, entity_id: int, documents_count: int
) -> list[list[InlineKeyboardButton]]:
    """«🕘 История», «📎 Документы (N)» and «📎 Прикрепить» for a card."""
    return [
        [
            InlineKeyboardButton(
                text=i18n("records-btn-history"), callback_data=HistoryCb(entity=entity, id=entity_id).pack()
            )
        ],
        [
            InlineKeyboardButton(
                text=i18n("records-btn-documents", count=documents_count),
                callback_data=DocsCb(action="list", entity=entity, id=entity_id).pack(),
            ),
            InlineKeyboardButton(
                text=i18n("records-btn-attach"),
                callback_data=DocsCb(action="attach", entity=entity, id=entity_id).pack(),
            ),
        ],
    ]


async def card_rows(
    session: AsyncSession, actor: Actor, i18n: Translator, entity: str, entity_id: int
) -> list[list[InlineKeyboardButton]]:
    """The rows for a card being shown to ``actor``, who now has it open (a file sent next goes to it)."""
    await repo.track_open_card(session, actor.user_id, entity, entity_id)
    return card_record_rows(i18n, entity, entity_id, await repo.documents_count(session, entity, entity_id))


async def with_record_rows(
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    entity: str,
    entity_id: int,
    markup: InlineKeyboardMarkup | None,
) -> InlineKeyboardMarkup:
    """``markup`` (a card's own buttons, if any) followed by :func:`card_rows`."""
    rows = list(markup.inline_keyboard) if markup else []
    rows.extend(await card_rows(session, actor, i18n, entity, entity_id))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _back_to_card(i18n: Translator, entity: str, entity_id: int) -> InlineKeyboardButton:
    data: CallbackData
    if entity == "contact":
        data = ContactCb(action="open", id=entity_id)
    elif entity == "lead":
        data = LeadCb(action="open", id=entity_id)
    elif entity == "deal":
        data = DealCb(action="open", id=entity_id)
    else:
        from handlers.legacy.clients import ClientCb  # the client module imports this one

        data = ClientCb(action="open" if entity == "client" else "party", id=entity_id)
    return InlineKeyboardButton(text=i18n("records-btn-to-card"), callback_data=data.pack())


def _zone(user: User, settings: Settings) -> tzinfo:
    return ZoneInfo(user.timezone or settings.default_timezone)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _card_label(i18n: Translator, entity: str, name: str) -> str:
    return i18n(f"records-card-{entity}", name=name)


async def _card_of(
    query: CallbackQuery, session: AsyncSession, actor: Actor, i18n: Translator, entity: str, entity_id: int
) -> str | None:
    """The card's name when ``actor`` may see it; otherwise an alert has been given and ``None``."""
    if entity not in repo.ENTITIES:
        await query.answer(i18n("button-stale"), show_alert=True)
        return None
    if not await repo.may_see_record(session, actor, entity, entity_id):
        log.info("user %s was refused the %s %s records", actor.user_id, entity, entity_id)
        await deny(query, i18n)
        return None
    name = await repo.record_name(session, entity, entity_id)
    if name is None:
        await query.answer(i18n("button-stale"), show_alert=True)
    return name


def _pager(i18n: Translator, make: Any, page: int, has_next: bool) -> list[InlineKeyboardButton]:
    row: list[InlineKeyboardButton] = []
    if page > 0:
        row.append(InlineKeyboardButton(text=i18n("btn-prev"), callback_data=make(page - 1).pack()))
    if has_next:
        row.append(InlineKeyboardButton(text=i18n("btn-next"), callback_data=make(page + 1).pack()))
    return row


# ---------------------------------------------------------------------------------------------------------
# History: rendering audit entries
# ---------------------------------------------------------------------------------------------------------

USER_KEYS = frozenset({"responsible_id", "approver_id", "requester_id", "author_id", "assignee_id"})
REF_KEYS = {
    "stage_id": "stage",
    "client_id": "client",
    "contact_id": "contact",
    "contact_ids": "contact",
    "source_id": "source",
    "product_group_id": "group",
    "industry_id": "industry",
    "region_id": "region",
    "counterparty_id": "counterparty",
    "task_id": "task",
    "team_id": "team",
    **{key: "user" for key in USER_KEYS},
}
HIDDEN = frozenset({"code", "route_id", "interaction_id", "line_id", "document_id", "mime_type"})
SUBJECT_KEYS = frozenset({"task_id"})  # named even when unchanged: which task was done or moved
NUMBERED = frozenset({"deal_id", "lead_id"})
MISSING = object()


def _values(raw: str | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        loaded = json.loads(raw)
    except ValueError:
        return {"value": raw}
    return loaded if isinstance(loaded, dict) else {"value": loaded}


@dataclass(frozen=True)
class Change:
    key: str
    before: Any  # MISSING: the key only names a value (creation, or a value with nothing before it)
    after: Any


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    has_stage_id = "stage_id" in before or "stage_id" in after
    keys = [*after, *(key for key in before if key not in after)]
    out: list[Change] = []
    for key in keys:
        if key in HIDDEN or (key == "stage" and has_stage_id):
            continue
        old, new = before.get(key, MISSING), after.get(key, MISSING)
        if old == new:
            if key in SUBJECT_KEYS and new is not None:
                out.append(Change(key, MISSING, new))
        elif old is MISSING:
            if new is not None:
                out.append(Change(key, MISSING, new))
        else:
            out.append(Change(key, old, None if new is MISSING else new))
    return out


class Renderer:
    """Turns audit entries into lines of the timeline, in the reader's language and time zone."""

    def __init__(
        self, i18n: Translator, tz: tzinfo, entity: str, looked_up: dict[str, dict[int, str]]
    ) -> None:
        self.i18n = i18n
        self.tz = tz
        self.entity = entity
        self.looked_up = looked_up

    @staticmethod
    def wanted(entries: list[tuple[AuditEntry, str | None]]) -> dict[str, set[int]]:
        wanted: dict[str, set[int]] = {}
        for entry, _author in entries:
            for values in (_values(entry.before), _values(entry.after)):
                for key, value in values.items():
                    kind = REF_KEYS.get(key)
                    items = value if isinstance(value, list) else [value]
                    for item in items:
                        if kind and isinstance(item, int) and not isinstance(item, bool):
                            wanted.setdefault(kind, set()).add(item)
        return wanted

    def action(self, entry: AuditEntry) -> str:
        for key in (f"records-action-{entry.action}-{entry.entity}", f"records-action-{entry.action}"):
            if self.i18n.has(key):
                return self.i18n(key)
        return self.i18n("records-action-unknown", code=entry.action)

    def label(self, key: str) -> str:
        name = f"records-field-{key}"
        return self.i18n(name) if self.i18n.has(name) else key

    def _when(self, value: str) -> str:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        if parsed.tzinfo is None:
            return parsed.strftime("%d.%m.%Y %H:%M")
        return parsed.astimezone(self.tz).strftime("%d.%m.%Y %H:%M")

    def _localized(self, prefix: str, value: Any) -> str:
        key = f"{prefix}-{value}"
        return self.i18n.plain(key) if self.i18n.has(key) else str(value)

    def value(self, key: str, value: Any, values: dict[str, Any]) -> str:
        """A plain-text rendering of one value (the translator escapes it when it goes into a message)."""
        if value is None or value is MISSING:
            return self.i18n.plain("records-value-none")
        if isinstance(value, list):
            return ", ".join(self.value(key, item, values) for item in value) or self.i18n.plain(
                "records-value-none"
            )
        if isinstance(value, bool):
            return self.i18n.plain("records-value-yes" if value else "records-value-no")
        kind = REF_KEYS.get(key)
        if kind and isinstance(value, int):
            name = self.looked_up.get(kind, {}).get(value)
            if name is None and key == "stage_id" and isinstance(values.get("stage"), str):
                name = values["stage"]
            if kind == "task" and name is not None:
                return self.i18n.plain("records-value-task", title=_short(name, VALUE_MAX))
            return name if name is not None else f"#{value}"
        if key in NUMBERED:
            return f"№{value}"
        if key == "status":
            prefix = {"lead": "lead-status", "deal": "deal-status"}.get(self.entity, "records-status")
            return self._localized(prefix, value)
        if key == "kind":
            return self._localized("clients-kind" if self.entity == "counterparty" else "kind", value)
        if key == "outcome":
            return self._localized("outcome", value)
        if key == "media":
            return self._localized("records-media", value)
        if key == "file_size" and isinstance(value, int):
            return size_text(self.i18n, value)
        if key == "amount_minor" and isinstance(value, int):
            return Money(from_minor(value)).display()
        if key == "birth_date" and isinstance(value, str):
            try:
                return BirthDate(date.fromisoformat(value)).display()
            except ValueError:
                return value
        if key == "phone" and isinstance(value, str):
            try:
                return MobilePhone(value).display()
            except Exception:  # an old or odd value still shows as stored
                return value
        if key.endswith("_at") and isinstance(value, str):
            return self._when(value)
        return str(value)

    def entry(self, entry: AuditEntry, author: str | None, details: int) -> str:
        before, after = _values(entry.before), _values(entry.after)
        lines = [
            self.i18n(
                "records-history-entry",
                at=entry.at.astimezone(self.tz).strftime("%d.%m.%Y %H:%M"),
                who=author or self.i18n.plain("records-author-system"),
                action=Html(self.action(entry)),
            )
        ]
        changes = _changes(before, after)
        for change in changes[:details]:
            field = self.label(change.key)
            new = _short(self.value(change.key, change.after, after), VALUE_MAX)
            if change.before is MISSING:
                lines.append(self.i18n("records-history-value", field=field, value=new))
            else:
                old = _short(self.value(change.key, change.before, before), VALUE_MAX)
                lines.append(self.i18n("records-history-change", field=field, before=old, after=new))
        if len(changes) > details:
            lines.append(self.i18n("records-history-more", count=len(changes) - details))
        return "\n".join(lines)


def size_text(i18n: Translator, size: int | None) -> str:
    if size is None:
        return i18n.plain("records-value-none")
    if size < 1024 * 1024:
        return i18n.plain("records-size-kb", size=f"{max(size, 1) / 1024:.1f}".replace(".", ","))
    return i18n.plain("records-size-mb", size=f"{size / (1024 * 1024):.1f}".replace(".", ","))


async def _history_view(
    session: AsyncSession,
    i18n: Translator,
    tz: tzinfo,
    entity: str,
    entity_id: int,
    name: str,
    page: int,
) -> tuple[str, InlineKeyboardMarkup]:
    found = await repo.history_page(session, entity, entity_id, page)
    renderer = Renderer(i18n, tz, entity, await repo.names(session, Renderer.wanted(found.entries)))
    title = i18n(f"records-history-title-{entity}", name=name)
    text = title
    for details in DETAIL_LEVELS:
        if not found.entries:
            text = "\n".join((title, i18n("records-history-empty")))
            break
        items = "\n\n".join(renderer.entry(entry, author, details) for entry, author in found.entries)
        pages = i18n("records-page", page=found.page + 1, pages=found.pages)
        text = "\n".join((title, pages, "", items))
        if len(text) <= TEXT_MAX:
            break
    rows: list[list[InlineKeyboardButton]] = []
    pager = _pager(
        i18n,
        lambda p: HistoryCb(entity=entity, id=entity_id, page=p, edit=1),
        found.page,
        found.has_next,
    )
    if pager:
        rows.append(pager)
    rows.append([_back_to_card(i18n, entity, entity_id)])
    return text[:4096], InlineKeyboardMarkup(inline_keyboard=rows)


async def show_history(
    query: CallbackQuery,
    callback_data: HistoryCb,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    name = await _card_of(query, session, actor, i18n, callback_data.entity, callback_data.id)
    if name is None:
        return
    text, markup = await _history_view(
        session, i18n, _zone(user, settings), callback_data.entity, callback_data.id, name, callback_data.page
    )
    await query.answer()
    if callback_data.edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


# ---------------------------------------------------------------------------------------------------------
# Documents: the list and sending one back
# ---------------------------------------------------------------------------------------------------------

MEDIA_ICONS = {"document": "📄", "photo": "🖼", "voice": "🎤"}


def _document_name(i18n: Translator, document: Document) -> str:
    return document.file_name or i18n.plain(f"records-media-{document.media}")


async def show_documents(
    query: CallbackQuery,
    callback_data: DocsCb,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    entity, entity_id = callback_data.entity, callback_data.id
    name = await _card_of(query, session, actor, i18n, entity, entity_id)
    if name is None:
        return
    tz = _zone(user, settings)
    found = await repo.documents_page(session, entity, entity_id, callback_data.page)
    lines = [i18n("records-documents-title", card=Html(_card_label(i18n, entity, name)))]
    rows: list[list[InlineKeyboardButton]] = []
    if not found.documents:
        lines.append(i18n("records-documents-empty"))
    else:
        lines.append(i18n("records-page", page=found.page + 1, pages=found.pages))
        for n, (document, author) in enumerate(found.documents, start=found.page * repo.PAGE_SIZE + 1):
            label = _document_name(i18n, document)
            lines.append(
                i18n(
                    "records-document-item",
                    n=str(n),
                    icon=MEDIA_ICONS.get(document.media, "📎"),
                    name=_short(label, VALUE_MAX),
                    size=size_text(i18n, document.file_size),
                    author=author or i18n.plain("records-author-system"),
                    at=document.created_at.astimezone(tz).strftime("%d.%m.%Y %H:%M"),
                )
            )
            rows.append(
                [
                    InlineKeyboardButton(
                        text=i18n.plain(
                            "records-btn-document",
                            n=str(n),
                            icon=MEDIA_ICONS.get(document.media, "📎"),
                            name=_short(label, LABEL_MAX),
                        ),
                        callback_data=DocCb(id=document.id).pack(),
                    )
                ]
            )
    pager = _pager(
        i18n,
        lambda p: DocsCb(action="list", entity=entity, id=entity_id, page=p, edit=1),
        found.page,
        found.has_next,
    )
    if pager:
        rows.append(pager)
    rows.append(
        [
            InlineKeyboardButton(
                text=i18n("records-btn-attach"),
                callback_data=DocsCb(action="attach", entity=entity, id=entity_id).pack(),
            ),
            _back_to_card(i18n, entity, entity_id),
        ]
    )
    await query.answer()
    text = "\n".join(lines)
    markup = InlineKeyboardMarkup(inline_keyboard=rows)
    if callback_data.edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


async def send_document_back(
    query: CallbackQuery,
    callback_data: DocCb,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
    bot: Bot,
) -> None:
    """The file again, re-checking on every press that the presser may see its card."""
    document = await repo.get_document(session, callback_data.id)
    if document is None:
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    name = await _card_of(query, session, actor, i18n, document.entity, document.entity_id)
    if name is None:
        return
    authors = await repo.user_names(session, [document.author_id])
    caption = i18n(
        "records-document-caption",
        name=_short(_document_name(i18n, document), VALUE_MAX),
        card=Html(_card_label(i18n, document.entity, name)),
        author=authors.get(document.author_id, ""),
        at=document.created_at.astimezone(_zone(user, settings)).strftime("%d.%m.%Y %H:%M"),
    )
    await query.answer()
    chat_id = user.telegram_id
    log.info("document %s sent back to user %s", document.id, actor.user_id)
    if document.media == "photo":
        await bot.send_photo(chat_id, document.file_id, caption=caption)
    elif document.media == "voice":
        await bot.send_voice(chat_id, document.file_id, caption=caption)
    else:
        await bot.send_document(chat_id, document.file_id, caption=caption)


# ---------------------------------------------------------------------------------------------------------
# Attaching
# ---------------------------------------------------------------------------------------------------------


def _incoming(message: Message) -> repo.NewDocument | None:
    if message.document is not None:
        doc = message.document
        return repo.NewDocument(
            "document", doc.file_id, doc.file_unique_id, doc.file_name, doc.mime_type, doc.file_size
        )
    if message.photo:
        photo = message.photo[-1]  # the largest size
        return repo.NewDocument("photo", photo.file_id, photo.file_unique_id, None, None, photo.file_size)
    if message.voice is not None:
        voice = message.voice
        return repo.NewDocument(
            "voice", voice.file_id, voice.file_unique_id, None, voice.mime_type, voice.file_size
        )
    return None


async def _attach(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, entity: str, entity_id: int
) -> bool:
    """Store the file of ``message`` on the card and answer; ``False`` when refused (nothing stored)."""
    new = _incoming(message)
    if new is None:
        return False
    name = await repo.record_name(session, entity, entity_id)
    outcome, document = await repo.attach_document(session, actor, entity, entity_id, new)
    if outcome is not repo.Attached.DONE or document is None or name is None:
        log.info("user %s was refused attaching to the %s %s", actor.user_id, entity, entity_id)
        key = "records-attach-denied-act" if entity in ("lead", "deal") else "records-attach-denied-see"
        await message.answer(i18n(key), reply_markup=main_menu(i18n))
        return False
    log.info("document %s attached to the %s %s by user %s", document.id, entity, entity_id, actor.user_id)
    count = await repo.documents_count(session, entity, entity_id)
    await message.answer(
        i18n(
            "records-attached",
            name=_short(_document_name(i18n, document), VALUE_MAX),
            card=Html(_card_label(i18n, entity, name)),
        ),
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=card_record_rows(i18n, entity, entity_id, count)[1:]
        ),
    )
    return True


async def on_file_for_open_card(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    """A file sent while no form waits: it goes to the card the user has open."""
    opened = await repo.open_card(session, actor.user_id)
    if opened is None or await repo.record_name(session, *opened) is None:
        await message.answer(i18n("records-no-open-card"), reply_markup=main_menu(i18n))
        return
    await _attach(message, session, actor, i18n, *opened)


async def ask_file(
    query: CallbackQuery,
    callback_data: DocsCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    """«📎 Прикрепить»: the next document, photo or voice note goes to this card."""
    message = message_of(query)
    entity, entity_id = callback_data.entity, callback_data.id
    if message is None or entity not in repo.ENTITIES:
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    name = await repo.record_name(session, entity, entity_id)
    if name is None:
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    if not await repo.may_attach(session, actor, entity, entity_id):
        log.info("user %s was refused attaching to the %s %s", actor.user_id, entity, entity_id)
        await deny(query, i18n)
        return
    await query.answer()
    await state.set_state(AttachForm.file)
    await state.update_data({ATTACH: {"entity": entity, "id": entity_id}})
    await message.answer(
        i18n("records-ask-file", card=Html(_card_label(i18n, entity, name))),
        reply_markup=step_keyboard(i18n, back=False),
    )


async def on_file_for_form(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    waiting = (await state.get_data()).get(ATTACH) or {}
    entity, entity_id = str(waiting.get("entity", "")), int(waiting.get("id") or 0)
    await state.clear()
    if entity not in repo.ENTITIES or await repo.record_name(session, entity, entity_id) is None:
        await message.answer(i18n("button-stale"), reply_markup=main_menu(i18n))
        return
    await _attach(message, session, actor, i18n, entity, entity_id)


async def file_expected(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("records-file-expected"), reply_markup=step_keyboard(i18n, back=False))


def create_router() -> Router:
    router = Router(name="records")
    files = F.document | F.photo | F.voice
    router.callback_query.register(show_history, HistoryCb.filter())
    router.callback_query.register(show_documents, DocsCb.filter(F.action == "list"))
    router.callback_query.register(ask_file, DocsCb.filter(F.action == "attach"))
    router.callback_query.register(send_document_back, DocCb.filter())
    router.message.register(on_file_for_form, AttachForm.file, files)
    router.message.register(file_expected, AttachForm.file, FormInput())
    router.message.register(on_file_for_open_card, StateFilter(None), files)
    return router


__all__ = [
    "DocCb",
    "DocsCb",
    "HistoryCb",
    "card_record_rows",
    "card_rows",
    "create_router",
    "with_record_rows",
]

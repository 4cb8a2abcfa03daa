"""Read-only data of the history and documents windows. Every window re-reads from the database that the
user may see the record (its history and files are as private as the card itself)."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from aiogram_dialog import DialogManager

from bot.i18n import Html, Translator
from db.models import Document
from db.repo import audit, paging, timeline
from db.repo import documents as repo
from domain.errors import Gone, NotAllowed
from handlers.kit.cards import entity_name
from handlers.kit.context import actor_of, i18n_of, session_of, settings_of, user_of
from handlers.kit.paging import PAGE, page_of
from handlers.records.timeline import LABEL_MAX, VALUE_MAX, Renderer, short, size_text, wanted_names
from handlers.records.timeline_page import InteractionView, items_of, page_text

STARTS = "history_starts"  # where each page of the history seen so far starts (pages are not all full)
MEDIA_ICONS = {"document": "📄", "photo": "🖼", "voice": "🎤"}


def record_of(manager: DialogManager) -> tuple[str, int]:
    """The record of this dialog, from its start data (server-side)."""
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    return entity_name(str(start.get("entity", ""))), int(start.get("entity_id") or 0)


def zone_of(manager: DialogManager) -> tzinfo:
    return ZoneInfo(user_of(manager).timezone or settings_of(manager).default_timezone)


async def visible_name(manager: DialogManager, entity: str, entity_id: int) -> str:
    """The record's name when the user may see it; refuses an unknown kind, a hidden or a missing record."""
    session = session_of(manager)
    if entity not in repo.ENTITIES:
        raise Gone("not a kind of record")
    if not await repo.may_see_record(session, actor_of(manager), entity, entity_id):
        raise NotAllowed("the record is not visible")
    name = await repo.record_name(session, entity, entity_id)
    if name is None:
        raise Gone("the record is gone")
    return name


def card_label(i18n: Translator, entity: str, name: str) -> str:
    return i18n(f"records-card-{entity}", name=name)


def document_name(i18n: Translator, document: Document) -> str:
    return document.file_name or i18n.plain(f"records-media-{document.media}")


async def history_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """A page of the record's timeline. Pages hold as many entries as fit one message, so where each page
    starts is remembered as the reader turns them (``history_starts``)."""
    session, i18n, actor = session_of(dialog_manager), i18n_of(dialog_manager), actor_of(dialog_manager)
    entity, entity_id = record_of(dialog_manager)
    name = await visible_name(dialog_manager, entity, entity_id)
    data = dialog_manager.dialog_data
    starts = [int(start) for start in data.get(STARTS) or [0]] or [0]
    page = min(page_of(dialog_manager), len(starts) - 1)
    found = await timeline.timeline_page(session, actor, entity, entity_id, starts[page], paging.PAGE_SIZE)
    if not found.lines and page > 0:  # entries gone meanwhile: the last page that still has some
        page = max((n for n, start in enumerate(starts[:page]) if start < found.total), default=0)
        found = await timeline.timeline_page(
            session, actor, entity, entity_id, starts[page], paging.PAGE_SIZE
        )
    audit_lines = [(line.audit, line.author) for line in found.lines if line.audit is not None]
    looked_up = await audit.names(session, wanted_names(audit_lines))
    renderer = Renderer(i18n, zone_of(dialog_manager), entity, looked_up, entity_id)
    view = InteractionView(renderer, settings_of(dialog_manager).comment_policy)
    title = i18n(f"records-history-title-{entity}", name=name)
    shown = page_text(i18n, title, page, found, items_of(found, renderer, view), paging.PAGE_SIZE)
    following = found.start + shown.shown
    data[PAGE] = page
    data[STARTS] = [*starts[:page], found.start, following]
    return {"history": Html(shown.text), "has_prev": page > 0, "has_next": following < found.total}


async def documents_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    session, i18n = session_of(dialog_manager), i18n_of(dialog_manager)
    entity, entity_id = record_of(dialog_manager)
    name = await visible_name(dialog_manager, entity, entity_id)
    zone = zone_of(dialog_manager)
    found = await repo.documents_page(session, entity, entity_id, page_of(dialog_manager))
    lines: list[str] = []
    buttons: list[tuple[int, str]] = []
    for n, (document, author) in enumerate(found.documents, start=found.page * paging.PAGE_SIZE + 1):
        label = document_name(i18n, document)
        icon = MEDIA_ICONS.get(document.media, "📎")
        lines.append(
            i18n(
                "records-document-item",
                n=str(n),
                icon=icon,
                name=short(label, VALUE_MAX),
                size=size_text(i18n, document.file_size),
                author=author or i18n.plain("records-author-system"),
                at=document.created_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
            )
        )
        buttons.append(
            (
                document.id,
                i18n.plain("records-btn-document", n=str(n), icon=icon, name=short(label, LABEL_MAX)),
            )
        )
    return {
        "card": Html(card_label(i18n, entity, name)),
        "total": found.total,
        "page": found.page + 1,
        "pages": found.pages,
        "items": Html("\n".join(lines)),
        "documents": buttons,
        "has_prev": found.page > 0,
        "has_next": found.has_next,
    }


async def attach_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    entity, entity_id = record_of(dialog_manager)
    name = await visible_name(dialog_manager, entity, entity_id)
    return {"card": Html(card_label(i18n_of(dialog_manager), entity, name))}

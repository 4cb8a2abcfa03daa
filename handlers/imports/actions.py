"""The import dialog's steps (seed 002: a team's existing base moved in; issue «Import and export»).

1. The file: sent to the bot, or in the upload window. Admins and team leads only. Its size is checked
   before it is downloaded; it is read through once in a worker thread (``bot.import_files.scan_table``),
   within ``IMPORT_MAX_MB`` and ``IMPORT_MAX_ROWS``, keeping only its headers, samples and row count.
2. The columns: recognised by their headers (``domain.import_columns``); each can be assigned a field or
   left out. Only the file's id, headers and choices are kept in the dialog, never its rows.
3. The preview: the file is read again as a stream and its rows stored as a job a batch at a time (never
   all held at once: ``store_file``), then each is checked by the form's rules
   (``db.repo.imports.preview``: R4, R4b, R5 against the database and within the file). Nothing is written
   before «✅ Загрузить».
4. The run: in the background (``bot.import_delivery``), with the result sent as a file.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator
from typing import Any

from aiogram import Bot
from aiogram.types import Document, Message
from aiogram_dialog import DialogManager, StartMode
from sqlalchemy.ext.asyncio import AsyncSession

from bot import import_delivery
from bot.i18n import TranslatorHub
from bot.import_files import FileRow, TableReader, TableSummary, is_table_file, open_table, scan_table
from bot.settings import Settings
from db.repo import imports as repo
from domain.access import Actor, Role
from domain.errors import Gone, NotAllowed, ValidationError
from domain.import_columns import Field, pick, recognise
from domain.imports import CELL_ERROR
from handlers.imports.states import ImportFlow
from handlers.kit.context import actor_of, i18n_of, session_of, settings_of
from handlers.kit.inputs import clear_error, set_error
from handlers.kit.steps import chat_id_of

log = logging.getLogger(__name__)

FILE, FIELDS, COLUMN, JOB, PREVIEW = "file", "fields", "column", "job", "preview"
SAMPLE_MAX = 30
#: R4a: the contact's required fields, each satisfied by any of these columns.
REQUIRED: dict[str, tuple[Field, ...]] = {
    "full_name": (Field.FULL_NAME, Field.SURNAME),
    "phone": (Field.MOBILE, Field.PHONE),
    "birth_date": (Field.BIRTH_DATE,),
    "email": (Field.EMAIL, Field.WORK_EMAIL),
}


def may_import(actor: Actor) -> bool:
    return actor.role in {Role.ADMIN, Role.TEAM_LEAD}


def is_table(document: Document | None) -> bool:
    return document is not None and is_table_file(document.file_name)


async def download(manager: DialogManager, file_id: str, size: int | None) -> bytes:
    """The file's bytes, its size checked (``IMPORT_MAX_MB``) before it is downloaded."""
    settings = settings_of(manager)
    if size is not None and size > settings.import_max_mb * 1024 * 1024:
        raise ValidationError("import-err-too-large", "file too large", limit=settings.import_max_mb)
    bot = manager.middleware_data["bot"]
    assert isinstance(bot, Bot)
    out = io.BytesIO()
    await bot.download(file_id, destination=out)
    return out.getvalue()


def _limits(settings: Settings) -> dict[str, int]:
    return {"max_rows": settings.import_max_rows, "max_bytes": settings.import_max_mb * 1024 * 1024}


async def scan_file(data: bytes, filename: str, settings: Settings) -> TableSummary:
    """The whole file read once in a worker thread, its rows dropped as they are read: its headers, samples
    and row count; ``ValidationError`` (with its catalog key) for anything the import refuses."""
    return await asyncio.to_thread(scan_table, data, filename, **_limits(settings))


def file_info(document: Document, table: TableSummary) -> dict[str, Any]:
    samples = [
        value if len(value) <= SAMPLE_MAX else value[: SAMPLE_MAX - 1] + "…" for value in table.samples
    ]
    return {
        "id": document.file_id,
        "name": document.file_name or "import",
        "size": document.file_size,
        "headers": table.headers,
        "samples": samples,
        "rows": table.rows,
        "fields": [field.value if field else None for field in recognise(table.headers)],
    }


async def take_file(message: Message, manager: DialogManager) -> dict[str, Any] | None:
    """A file for import, read; ``None`` when it was refused (the reason is said)."""
    i18n, actor = i18n_of(manager), actor_of(manager)
    document = message.document
    if not may_import(actor):
        await message.answer(i18n("import-only-leads"))
        return None
    if document is None or not is_table(document):
        await message.answer(i18n("import-err-format"))
        return None
    try:
        data = await download(manager, document.file_id, document.file_size)
        table = await scan_file(data, document.file_name or "", settings_of(manager))
    except ValidationError as refusal:
        await message.answer(i18n(refusal.key, **refusal.params))
        return None
    log.info("user %s sent a file for import: %d rows, %d columns", actor.user_id, table.rows,
             len(table.headers))  # fmt: skip
    return file_info(document, table)


async def on_upload(message: Message, widget: Any, manager: DialogManager) -> None:
    info = await take_file(message, manager)
    if info is not None:
        await manager.start(ImportFlow.mapping, data={FILE: info}, mode=StartMode.RESET_STACK)


async def on_start(start_data: Any, manager: DialogManager) -> None:
    if not may_import(actor_of(manager)):
        raise NotAllowed("import is for team leads and admins")
    if isinstance(start_data, dict) and isinstance(start_data.get(FILE), dict):
        manager.dialog_data[FILE] = start_data[FILE]
        manager.dialog_data[FIELDS] = list(start_data[FILE]["fields"])


def fields_of(manager: DialogManager) -> list[Field | None]:
    return [Field(value) if value else None for value in manager.dialog_data.get(FIELDS) or []]


def missing(fields: list[Field | None]) -> list[str]:
    """R4a: the required fields no column gives."""
    chosen = set(fields)
    return [name for name, options in REQUIRED.items() if not chosen & set(options)]


async def on_column(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    fields = fields_of(manager)
    if not item_id.isdigit() or int(item_id) >= len(fields):
        raise Gone("no such column")
    manager.dialog_data[COLUMN] = int(item_id)
    await manager.switch_to(ImportFlow.column)


async def on_field(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    fields = manager.dialog_data.get(FIELDS) or []
    column = manager.dialog_data.get(COLUMN)
    if not isinstance(column, int) or not 0 <= column < len(fields):
        raise Gone("no such column")
    if item_id != "none" and item_id not in {field.value for field in Field}:
        raise Gone("no such field")
    fields[column] = None if item_id == "none" else item_id
    manager.dialog_data[FIELDS] = fields
    clear_error(manager)
    await manager.switch_to(ImportFlow.mapping)


async def to_mapping(event: Any, widget: Any, manager: DialogManager) -> None:
    await manager.switch_to(ImportFlow.mapping)


def source_row(row: FileRow, fields: list[Field | None]) -> repo.SourceRow:
    """A row of the file as the job stores it: the cells as they stood, and field → value as the columns are
    mapped (``pick``), with the reason a mapped cell cannot be taken (``CELL_ERROR``)."""
    values = {field.value: value for field, value in pick(fields, row.cells).items()}
    if unreadable := next((key for column, key in row.errors.items() if fields[column] is not None), None):
        values[CELL_ERROR] = unreadable
    return repo.SourceRow(row.cells, values, row.number)


async def source_rows(reader: TableReader, fields: list[Field | None]) -> AsyncIterator[repo.SourceRow]:
    """The file's rows as the job stores them, read a batch at a time in a worker thread as they are stored:
    never all held at once."""
    batches = reader.batches(repo.STORE_CHUNK)
    while batch := await asyncio.to_thread(next, batches, None):
        for row in batch:
            yield source_row(row, fields)


async def store_file(
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    *,
    data: bytes,
    filename: str,
    fields: list[Field | None],
    chat_id: int | None,
) -> int:
    """The file read again as a stream and its rows stored as a job in ``preview`` (nothing is checked yet);
    ``ValidationError`` for anything the import refuses, and then no job is left."""
    reader = await asyncio.to_thread(open_table, data, filename, **_limits(settings))
    return await repo.create_job(
        session,
        actor,
        filename=filename,
        source=reader.source,
        headers=reader.headers,
        rows=source_rows(reader, fields),
        chat_id=chat_id,
    )


async def tell_plain(manager: DialogManager, text: str) -> None:
    """A line of its own in the chat, outside the dialog's message."""
    bot, chat_id = manager.middleware_data.get("bot"), chat_id_of(manager.event)
    if isinstance(bot, Bot) and chat_id is not None:
        await bot.send_message(chat_id, text)


async def on_check(event: Any, widget: Any, manager: DialogManager) -> None:
    """Read the file again, store its rows as a job and check each by the form's rules (none is written)."""
    fields = fields_of(manager)
    if lacking := missing(fields):
        i18n = i18n_of(manager)
        names = ", ".join(i18n.plain(f"import-required-{name}") for name in lacking)
        set_error(manager, "import-err-missing-columns", fields=names)
        return
    info = manager.dialog_data.get(FILE) or {}
    rows = int(info.get("rows") or 0)
    if rows > import_delivery.PROGRESS_FROM:  # the check of a long file takes a while: say so first
        await tell_plain(manager, i18n_of(manager)("import-checking", rows=rows))
    session, actor, settings = session_of(manager), actor_of(manager), settings_of(manager)
    try:
        data = await download(manager, str(info.get("id")), info.get("size"))
        job_id = await store_file(
            session,
            actor,
            settings,
            data=data,
            filename=str(info.get("name")),
            fields=fields,
            chat_id=chat_id_of(manager.event),
        )
    except ValidationError as refusal:
        set_error(manager, refusal.key, **refusal.params)
        return
    del data  # the file's rows are stored: the preview reads them back a chunk at a time
    manager.dialog_data[JOB] = job_id
    preview = await repo.preview(session, job_id, settings=settings, actor=actor)
    manager.dialog_data[PREVIEW] = {
        "new": preview.new,
        "duplicates": preview.duplicates,
        "invalid": preview.invalid,
        "samples": {
            kind: [[s.row_no, s.name, s.key, s.params] for s in samples]
            for kind, samples in preview.samples.items()
        },
    }
    clear_error(manager)
    await manager.switch_to(ImportFlow.preview)


async def on_confirm(event: Any, widget: Any, manager: DialogManager) -> None:
    """«✅ Загрузить»: the job runs in the background; the dialog closes, the result comes as a file."""
    job_id = manager.dialog_data.get(JOB)
    summary = manager.dialog_data.get(PREVIEW) or {}
    if not isinstance(job_id, int):
        raise Gone("no import to run")
    await repo.job_of(session_of(manager), actor_of(manager), job_id)  # R1c, again
    bot, hub = manager.middleware_data["bot"], manager.middleware_data["i18n_hub"]
    sessionmaker = manager.middleware_data["sessionmaker"]
    assert isinstance(bot, Bot) and isinstance(hub, TranslatorHub)
    chat_id = chat_id_of(manager.event)
    assert chat_id is not None
    i18n = i18n_of(manager)
    await bot.send_message(chat_id, i18n("import-started", rows=int(summary.get("new") or 0)))
    import_delivery.start(
        bot, sessionmaker, hub, settings_of(manager), job_id, chat_id, i18n, int(summary.get("new") or 0)
    )
    await manager.done()


async def on_cancel(event: Any, widget: Any, manager: DialogManager) -> None:
    await tell_plain(manager, i18n_of(manager)("import-cancelled"))
    await manager.done()

"""The import dialog's steps (seed 002: a team's existing base moved in; issue «Import and export»).

1. The file: sent to the bot, or in the upload window. Admins and team leads only. Its size is checked
   before it is downloaded; it is read in a worker thread (``bot.import_files``), within ``IMPORT_MAX_MB``
   and ``IMPORT_MAX_ROWS``.
2. The columns: recognised by their headers (``domain.import_columns``); each can be assigned a field or
   left out. Only the file's id, headers and choices are kept in the dialog, never its rows.
3. The preview: the file is read again and its rows stored as a job, each checked by the form's rules
   (``db.repo.imports.preview``: R4, R4b, R5 against the database and within the file). Nothing is written
   before «✅ Загрузить».
4. The run: in the background (``bot.import_delivery``), with the result sent as a file.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator
from typing import Any

from aiogram import Bot
from aiogram.types import Document, Message
from aiogram_dialog import DialogManager, StartMode

from bot import import_delivery
from bot.i18n import TranslatorHub
from bot.import_files import RawTable, is_table_file, read_table
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


async def _download(manager: DialogManager, file_id: str) -> bytes:
    bot = manager.middleware_data["bot"]
    assert isinstance(bot, Bot)
    out = io.BytesIO()
    await bot.download(file_id, destination=out)
    return out.getvalue()


async def read_file(manager: DialogManager, file_id: str, filename: str, size: int | None) -> RawTable:
    """The file as a table; ``ValidationError`` (with its catalog key) for anything the import refuses."""
    settings = settings_of(manager)
    limit = settings.import_max_mb * 1024 * 1024
    if size is not None and size > limit:
        raise ValidationError("import-err-too-large", "file too large", limit=settings.import_max_mb)
    data = await _download(manager, file_id)
    return await asyncio.to_thread(
        read_table, data, filename, max_rows=settings.import_max_rows, max_bytes=limit
    )


def file_info(document: Document, table: RawTable) -> dict[str, Any]:
    samples = []
    for index in range(len(table.headers)):
        value = next((row[index] for row in table.rows if row[index]), "")
        samples.append(value if len(value) <= SAMPLE_MAX else value[: SAMPLE_MAX - 1] + "…")
    return {
        "id": document.file_id,
        "name": document.file_name or "import",
        "size": document.file_size,
        "headers": table.headers,
        "samples": samples,
        "rows": len(table.rows),
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
        table = await read_file(manager, document.file_id, document.file_name or "", document.file_size)
    except ValidationError as refusal:
        await message.answer(i18n(refusal.key, **refusal.params))
        return None
    log.info("user %s sent a file for import: %d rows, %d columns", actor.user_id, len(table.rows),
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


def source_rows(table: RawTable, fields: list[Field | None]) -> Iterator[repo.SourceRow]:
    """The file's rows as the job stores them: the cells as they stood, and field → value as the columns are
    mapped (``pick``), with the reason a mapped cell cannot be taken (``CELL_ERROR``). A generator: the rows
    are mapped a chunk at a time as ``create_job`` stores them, never all at once."""
    errors: dict[int, str] = {}
    for (row, column), key in table.cell_errors.items():
        if fields[column] is not None:
            errors.setdefault(row, key)
    for index, cells in enumerate(table.rows):
        values = {field.value: value for field, value in pick(fields, cells).items()}
        if index in errors:
            values[CELL_ERROR] = errors[index]
        yield repo.SourceRow(cells, values)


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
    try:
        table = await read_file(manager, str(info.get("id")), str(info.get("name")), info.get("size"))
    except ValidationError as refusal:
        set_error(manager, refusal.key, **refusal.params)
        return
    session, actor, settings = session_of(manager), actor_of(manager), settings_of(manager)
    job_id = await repo.create_job(
        session,
        actor,
        filename=str(info.get("name")),
        source=table.source,
        headers=table.headers,
        rows=source_rows(table, fields),
        chat_id=chat_id_of(manager.event),
        numbers=table.row_numbers,
    )
    del table  # the file's rows are stored: the preview reads them back a chunk at a time
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

"""The export's steps: the list (``/export``) or a list's own button, then the format; then the file is
written into a temporary file, a batch of rows at a time, sent as a document and deleted.

The rows are read again with the reader's visibility (R1c) on every export: the kind and the deals' filter
come from the start data or a button, and are checked against the known ones. Only counts are logged.
"""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import datetime
from typing import Any, BinaryIO

from aiogram import Bot
from aiogram.types import FSInputFile
from aiogram_dialog import DialogManager

from bot.spreadsheets import CsvStream, TableStream, XlsxStream
from db.repo.deal_lists import DEAL_FILTERS
from domain.errors import Gone
from handlers.exports.states import Export
from handlers.exports.tables import KINDS, Sheet, sheet_of
from handlers.kit.context import actor_of, i18n_of, session_of, settings_of
from handlers.kit.pickers import zone_of
from handlers.kit.steps import chat_id_of, tell

log = logging.getLogger(__name__)

KIND, FILTER = "kind", "filter"
FORMATS = ("xlsx", "csv")
#: Telegram's limit on a file a bot uploads.
UPLOAD_LIMIT = 50 * 1024 * 1024


async def on_start(start_data: Any, manager: DialogManager) -> None:
    data = start_data if isinstance(start_data, dict) else {}
    if data.get(KIND) is not None:
        _remember(manager, str(data[KIND]), data.get(FILTER))


def _remember(manager: DialogManager, kind: str, flt: Any) -> None:
    if kind not in KINDS:
        raise Gone("no such export")
    flt = str(flt or "all")
    if kind == "deals" and flt not in DEAL_FILTERS:
        raise Gone("no such filter")
    manager.dialog_data[KIND], manager.dialog_data[FILTER] = kind, flt


async def on_kind(event: Any, widget: Any, manager: DialogManager, kind: str) -> None:
    _remember(manager, kind, None)
    await manager.switch_to(Export.format)


async def on_format(event: Any, widget: Any, manager: DialogManager, fmt: str) -> None:
    if fmt not in FORMATS:
        raise Gone("no such format")
    kind, flt = str(manager.dialog_data.get(KIND, "")), manager.dialog_data.get(FILTER)
    _remember(manager, kind, flt)  # checked again: dialog data is ours, but never trusted blindly
    bot, chat_id = manager.middleware_data.get("bot"), chat_id_of(manager.event)
    if not isinstance(bot, Bot) or chat_id is None:
        return
    sheet = sheet_of(
        kind,
        str(flt or "all"),
        session=session_of(manager),
        actor=actor_of(manager),
        i18n=i18n_of(manager),
        tz=zone_of(manager),
        settings=settings_of(manager),
    )
    handle, name = tempfile.mkstemp(prefix="export-", suffix=f".{fmt}")
    try:
        with os.fdopen(handle, "wb") as out:
            count = await write(sheet, out, fmt)
            size = out.tell()
        log.info(
            "user %s exported %s rows of %s as %s, %s bytes",
            actor_of(manager).user_id,
            count,
            kind,
            fmt,
            size,
        )
        await manager.done()
        if size > UPLOAD_LIMIT:
            await tell(
                manager,
                "export-too-large",
                size=round(size / 1024 / 1024),
                limit=UPLOAD_LIMIT // 1024 // 1024,
            )
            return
        today = datetime.now(zone_of(manager)).strftime("%Y-%m-%d")
        label = kind if kind != "deals" else f"deals-{flt or 'all'}"
        document = FSInputFile(name, filename=f"{label}-{today}.{fmt}")
        await bot.send_document(chat_id, document, caption=i18n_of(manager)("export-done", count=count))
    finally:
        os.unlink(name)


async def write(sheet: Sheet, out: BinaryIO, fmt: str) -> int:
    """Write the sheet's rows as they are read, a batch at a time; how many rows were written."""
    stream: TableStream = (
        XlsxStream(out, sheet.title, sheet.columns) if fmt == "xlsx" else CsvStream(out, sheet.columns)
    )
    count = 0
    async for batch in sheet.batches:
        for row in batch:
            stream.append(row)
        count += len(batch)
    stream.close()
    return count

"""The file an import sends back (issue 13): the original columns and one more, «Результат», for every row —
«создан», «дубликат: …» naming the pair of fields that matched and the row or contact, or «ошибка: …» with the
reason the contact form would give, in the reader's language.

The file keeps the source's format: an XLSX through :class:`bot.spreadsheets.XlsxStream` (cells stored as
text, never as formulas), or a CSV in UTF-8 with a BOM and «;» (what Excel opens in a Russian locale), where a
cell that starts like a formula is prefixed with «'» (CSV injection).
"""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from pathlib import PurePath
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.spreadsheets import Column, CsvStream, TableStream, XlsxStream, safe_text
from db.models.imports import ImportJob, ImportRow
from domain.errors import Gone
from domain.imports import Verdict

_CHUNK = 1000


def pair_label(tr: Translator, pair: str) -> str:
    """«name+phone» → «ФИО + телефон»."""
    return " + ".join(tr.alert("import-pair-" + name.replace("_", "-")) for name in pair.split("+"))


def result_text(tr: Translator, verdict: str, note: dict[str, Any] | None) -> str:
    """The «Результат» cell of one row."""
    params = dict((note or {}).get("params") or {})
    if verdict == Verdict.CREATED:
        return tr.alert("import-result-created")
    if verdict == Verdict.REMOVED:
        return tr.alert("import-result-removed")
    if verdict == Verdict.DUPLICATE and note is not None:
        pair = pair_label(tr, str(params.get("pair", "")))
        if note.get("key") == "import-duplicate-row":
            return tr.alert("import-result-duplicate-row", pair=pair, row=params.get("row"))
        return tr.alert("import-result-duplicate-contact", pair=pair, contact=params.get("contact"))
    if verdict in (Verdict.INVALID, Verdict.FAILED) and note is not None:
        return tr.alert("import-result-error", reason=tr.alert(str(note.get("key")), **params))
    return tr.alert("import-result-not-written")


async def _chunks(
    session: AsyncSession, job_id: int, tr: Translator, width: int
) -> AsyncIterator[list[list[str]]]:
    """The rows with their «Результат», :data:`_CHUNK` at a time, in the file's order."""
    last = 0
    while True:
        chunk = (
            await session.execute(
                select(ImportRow.id, ImportRow.cells, ImportRow.verdict, ImportRow.note)
                .where(ImportRow.job_id == job_id, ImportRow.id > last)
                .order_by(ImportRow.id)  # the file's order (rows are stored in it): the job_id index's
                .limit(_CHUNK)
            )
        ).all()
        if not chunk:
            return
        last = chunk[-1].id
        rows = []
        for _, cells, verdict, note in chunk:
            original = [str(cell) for cell in json.loads(cells)]
            padded = (original + [""] * width)[:width]
            rows.append([*padded, result_text(tr, verdict, json.loads(note) if note else None)])
        yield rows


def _report_name(filename: str, suffix: str) -> str:
    stem = PurePath(filename).stem or "import"
    return f"{stem}-result.{suffix}"


async def write_report(session: AsyncSession, job_id: int, tr: Translator, out: BinaryIO) -> str:
    """The job's file with the «Результат» column written into ``out``, in the source's format, a chunk of
    rows at a time (never every row at once); the file's name."""
    job = await session.get(ImportJob, job_id)
    if job is None:
        raise Gone("import job")
    headers = [str(header) for header in json.loads(job.headers)]
    titles = [*headers, tr.alert("import-result-column")]
    columns = [Column(safe_text(title) or " ", width=20) for title in titles]
    csv_file = job.source == "csv"
    stream: TableStream = (
        CsvStream(out, columns) if csv_file else XlsxStream(out, tr.alert("import-result-sheet"), columns)
    )
    async for chunk in _chunks(session, job_id, tr, len(headers)):
        for row in chunk:
            stream.append(row)
    stream.close()
    return _report_name(job.filename, "csv" if csv_file else "xlsx")


async def report_file(session: AsyncSession, job_id: int, tr: Translator) -> tuple[bytes, str]:
    """The job's file with the «Результат» column, in the source's format, and its file name."""
    out = io.BytesIO()
    name = await write_report(session, job_id, tr, out)
    return out.getvalue(), name

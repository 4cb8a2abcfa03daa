"""An import's run in the background, its progress message, and its result: the summary with the report file
(the original rows with a «Результат» column) and «↩️ Отменить импорт».

The run is an asyncio task apart from the update that started it, so the importer may press other buttons
meanwhile. Its rows are marked in the database as they are written (``db.repo.import_runs``): after a stop,
``resume`` (a job at start-up) runs every job left running again and sends its result, so an import is never
left half done in silence. An import of more than ``PROGRESS_FROM`` rows keeps one progress message and edits
it at most every ``PROGRESS_EVERY`` seconds: rows done, per cent, time left; it never floods the chat.
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import time
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import FSInputFile, InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import ImportCb
from bot.i18n import Translator, TranslatorHub
from bot.import_report import write_report
from bot.settings import Settings
from db.models import ImportJob, User
from db.repo.import_runs import Summary, resume_all, run, summary_of

log = logging.getLogger(__name__)

PROGRESS_FROM = 1000
PROGRESS_EVERY = 2.0

_RUNNING: set[asyncio.Task[None]] = set()


class Progress:
    """One message, edited as the rows are written: «⏳ Импорт: 2 400 из 10 000 (24%), осталось ≈ 1 мин»."""

    def __init__(self, bot: Bot, chat_id: int, i18n: Translator) -> None:
        self.bot, self.chat_id, self.i18n = bot, chat_id, i18n
        self.message_id: int | None = None
        self.started = time.monotonic()
        self.shown = 0.0

    def text(self, done: int, total: int) -> str:
        elapsed = time.monotonic() - self.started
        left = round(elapsed / done * (total - done) / 60) if done else None
        return self.i18n(
            "import-progress",
            done=f"{done:,}".replace(",", "\u00a0"),
            total=f"{total:,}".replace(",", "\u00a0"),
            percent=round(100 * done / total) if total else 100,
            minutes=max(left, 1) if left is not None else "—",
        )

    async def start(self, total: int) -> None:
        message = await self.bot.send_message(self.chat_id, self.text(0, total))
        self.message_id, self.shown = message.message_id, time.monotonic()

    async def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.message_id is None or (done < total and now - self.shown < PROGRESS_EVERY):
            return
        self.shown = now
        try:
            await self.bot.edit_message_text(
                self.text(done, total), chat_id=self.chat_id, message_id=self.message_id
            )
        except TelegramAPIError as exc:  # a progress line is not worth stopping the import for
            log.warning("import progress not shown: %s", type(exc).__name__)


async def send_result(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    hub: TranslatorHub,
    settings: Settings,
    job_id: int,
) -> Summary:
    """The import's summary with its report file, to the chat it came from; «↩️ Отменить импорт» when it
    created contacts."""
    async with sessionmaker() as session:
        job = await session.get(ImportJob, job_id)
        assert job is not None
        user = await session.get(User, job.user_id)
        i18n = hub.get((user.language if user else None) or settings.default_language)
        summary = await summary_of(session, job_id)
        chat_id = job.chat_id or (user.telegram_id if user else None)
        if chat_id is None:
            return summary
        handle, path = tempfile.mkstemp(prefix="import-result-")
        try:
            with os.fdopen(handle, "wb") as out:  # a chunk of rows at a time: never the whole file in memory
                name = await write_report(session, job_id, i18n, out)
        except BaseException:
            os.unlink(path)
            raise
    key = "import-done" if not summary.pending else "import-stopped"
    text = i18n(
        key,
        created=summary.created,
        duplicates=summary.duplicates,
        invalid=summary.invalid + summary.failed,
        pending=summary.pending,
    )
    markup = None
    if summary.created:
        undo = InlineKeyboardButton(
            text=i18n.plain("import-btn-undo"), callback_data=ImportCb(action="undo", id=job_id).pack()
        )
        markup = InlineKeyboardMarkup(inline_keyboard=[[undo]])
    try:
        await bot.send_document(chat_id, FSInputFile(path, filename=name), caption=text, reply_markup=markup)
    finally:
        os.unlink(path)
    log.info("import %s: %d created, %d duplicates, %d refused", job_id, summary.created, summary.duplicates,
             summary.invalid + summary.failed)  # fmt: skip
    return summary


def start(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    hub: TranslatorHub,
    settings: Settings,
    job_id: int,
    chat_id: int,
    i18n: Translator,
    new_rows: int,
) -> None:
    """Write the job's rows in a task of its own, then send the result."""

    async def work() -> None:
        progress = Progress(bot, chat_id, i18n) if new_rows > PROGRESS_FROM else None
        try:
            if progress is not None:
                await progress.start(new_rows)
            await run(
                sessionmaker, job_id, settings=settings, on_progress=progress.update if progress else None
            )
        except Exception:
            log.exception("import %s stopped", job_id)
        await send_result(bot, sessionmaker, hub, settings, job_id)

    task = asyncio.create_task(work(), name=f"import-{job_id}")
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)


async def wait_all() -> None:
    """Until every import started here has ended (shutdown, tests)."""
    while _RUNNING:
        await asyncio.gather(*list(_RUNNING), return_exceptions=True)


def resumer(
    bot: Bot, sessionmaker: async_sessionmaker[AsyncSession], hub: TranslatorHub, settings: Settings
) -> Callable[[], Awaitable[None]]:
    """The start-up job: every import a stop left running goes on, and its importer gets the result."""

    async def resume() -> None:
        async def notify(job: ImportJob, _summary: Summary) -> None:
            await send_result(bot, sessionmaker, hub, settings, job.id)

        await resume_all(sessionmaker, settings, notify)

    return resume

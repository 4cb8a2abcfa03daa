"""Long polling that acknowledges an update only after its handler has finished (issue 9, findings 1 and 4).

``getUpdates`` confirms every update below the ``offset`` it is called with, and Telegram never sends a
confirmed update again. aiogram's own loop moves the offset past an update as soon as it has *started* it
(``handle_as_tasks``), so a crash before the handler commits loses the answer. Here:

- the offset is a **watermark**: the lowest update id not yet finished (``Watermark``). Whatever is at or
  above it, Telegram returns again; ids already in flight or finished are skipped in memory;
- at most ``POLLING_CONCURRENCY`` updates run at once, started in order of arrival, so a backlog of
  thousands at start is served oldest first, not all at once;
- after a crash, the unfinished updates come back. One whose effects were committed before the crash has its
  id in ``handled_updates`` (``bot.delivery``) and is skipped, so nothing is applied twice;
- an unreachable Bot API is one log line per try and a retry after 1, 2, 4 … 60 s (``bot.reach``); a token
  Telegram rejects (401) stops the bot with one line;
- on SIGTERM/SIGINT intake stops at once, the updates in flight get ``SHUTDOWN_TIMEOUT`` seconds, and a last
  ``getUpdates`` acknowledges what finished.

While an update is in flight Telegram keeps returning it at once instead of holding the long poll, so when a
poll brings nothing new the loop waits for the watermark to move (or ``RECHECK_SECONDS``) before asking again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramUnauthorizedError
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.types import Update

from bot.reach import TRANSIENT, Backoff, TokenRejected, delay_for, report_unreachable

log = logging.getLogger(__name__)

#: How long a poll that brought only updates still in flight waits before asking again, at most.
RECHECK_SECONDS = 0.25


class Watermark:
    """Which received updates are unfinished; ``offset`` acknowledges only what lies below all of them."""

    def __init__(self) -> None:
        self._unfinished: set[int] = set()
        self._finished: set[int] = set()  # finished, but at or above the offset: Telegram may return them
        self._next: int | None = None  # one above the last update received

    @property
    def offset(self) -> int | None:
        """The ``getUpdates`` offset: the lowest unfinished id, else one above the last received."""
        return min(self._unfinished) if self._unfinished else self._next

    @property
    def in_flight(self) -> int:
        return len(self._unfinished)

    def receive(self, update_id: int) -> bool:
        """Record an update Telegram returned; ``False`` when it is already in flight or finished."""
        if update_id in self._unfinished or update_id in self._finished:
            return False
        self._unfinished.add(update_id)
        # The last one received, not the highest: Telegram restarts its ids at random after a silent week.
        self._next = update_id + 1
        return True

    def finish(self, update_id: int) -> None:
        self._unfinished.discard(update_id)
        self._finished.add(update_id)

    def confirmed(self, offset: int | None) -> None:
        """Telegram answered a poll sent with ``offset``: it will never return an id below it again.

        Finished ids are forgotten only then, not when the offset moves: a poll sent earlier, with a lower
        offset, may still bring them back.
        """
        if offset is not None:
            self._finished = {done for done in self._finished if done >= offset}


class Poller:
    """The polling loop: ``run()`` until ``stop`` is set, then drain and acknowledge."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        *,
        concurrency: int,
        polling_timeout: int = 20,
        allowed_updates: list[str] | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.bot = bot
        self.concurrency = concurrency
        self.polling_timeout = polling_timeout
        self.allowed_updates = allowed_updates
        self.backoff = backoff or Backoff()
        self.watermark = Watermark()
        self.acknowledged: int | None = None  # the last offset Telegram was sent
        self._slots = asyncio.Semaphore(concurrency)
        self._progress = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()

    async def run(self, stop: asyncio.Event, shutdown_timeout: float, **data: Any) -> None:
        """Poll and handle until ``stop``; then let the updates in flight finish and acknowledge them."""
        intake = asyncio.create_task(self._intake(data))
        stopped = asyncio.create_task(stop.wait())
        try:
            done, _pending = await asyncio.wait({intake, stopped}, return_when=asyncio.FIRST_COMPLETED)
            if intake in done:
                intake.result()  # an unexpected error in the loop itself
        finally:
            for task in (intake, stopped):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await self.drain(shutdown_timeout)

    async def drain(self, timeout: float) -> None:  # noqa: ASYNC109 - a bounded wait at shutdown
        """Wait for the updates in flight (up to ``timeout``), then acknowledge the finished ones."""
        if self._tasks:
            log.info("polling stopped: %d update(s) in flight", len(self._tasks))
            _done, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
            if pending:
                log.warning(
                    "%d update(s) unfinished at shutdown: Telegram will send them again", len(pending)
                )
        offset = self.watermark.offset
        if offset is not None and offset != self.acknowledged:
            try:
                await self.bot(GetUpdates(offset=offset, limit=1, timeout=0), request_timeout=5)
                self.acknowledged = offset
            except Exception as exc:  # the next start acknowledges them instead
                log.warning("could not acknowledge the last updates at shutdown: %s", type(exc).__name__)

    async def _intake(self, data: dict[str, Any]) -> None:
        backoff = self.backoff
        failed = False
        kwargs: dict[str, Any] = {}
        if self.bot.session.timeout:
            # The request must outlive the long poll itself.
            kwargs["request_timeout"] = int(self.bot.session.timeout + self.polling_timeout)
        while True:
            offset = self.watermark.offset
            request = GetUpdates(
                offset=offset, timeout=self.polling_timeout, allowed_updates=self.allowed_updates
            )
            try:
                updates = await self.bot(request, **kwargs)
            except TelegramUnauthorizedError:
                raise TokenRejected from None
            except TRANSIENT as exc:  # an unreachable Bot API must not stop polling
                failed = True
                delay = delay_for(exc, backoff)
                report_unreachable(exc, delay)
                await asyncio.sleep(delay)
                continue
            except Exception as exc:  # e.g. 409, another instance polling: retried the same way
                failed = True
                delay = backoff.take()
                log.warning("getUpdates failed (%s); retry in %g s", type(exc).__name__, delay)
                await asyncio.sleep(delay)
                continue
            self.acknowledged = offset
            self.watermark.confirmed(offset)
            if failed:
                log.info("Telegram Bot API reachable again")
                backoff.reset()
                failed = False
            fresh = 0
            for update in updates:
                if not self.watermark.receive(update.update_id):
                    continue
                fresh += 1
                await self._slots.acquire()
                self._start(update, data)
            if updates and not fresh:
                await self._wait_for_progress(offset)

    async def _wait_for_progress(self, offset: int | None) -> None:
        """Only updates in flight came back: ask again when the watermark moves, or after a short while."""
        if self.watermark.offset != offset:
            return
        self._progress.clear()
        # Not ``asyncio.wait_for``: on Python 3.11 it swallows a cancellation that arrives just as the event
        # is set, and a SIGTERM or Ctrl+C right after an update then left polling running for good.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(RECHECK_SECONDS):
                await self._progress.wait()

    def _start(self, update: Update, data: dict[str, Any]) -> None:
        task = asyncio.create_task(self._handle(update, data))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, update: Update, data: dict[str, Any]) -> None:
        try:
            response = await self.dispatcher.feed_update(self.bot, update, **data)
            if isinstance(response, TelegramMethod):
                await self.dispatcher.silent_call_request(self.bot, response)
        except Exception:
            # The error handler answered what it could; the update counts as handled, as in aiogram.
            log.exception("update %s failed", update.update_id)
        finally:
            self._slots.release()
            before = self.watermark.offset
            self.watermark.finish(update.update_id)
            if self.watermark.offset != before:
                self._progress.set()


async def run_polling(
    dispatcher: Dispatcher,
    bot: Bot,
    *,
    concurrency: int,
    shutdown_timeout: float,
    polling_timeout: int = 20,
) -> None:
    """``Dispatcher.start_polling`` with ``Poller``: startup hooks, signals, polling, shutdown hooks."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    data: dict[str, Any] = {"dispatcher": dispatcher, "bots": (bot,), **dispatcher.workflow_data}
    data.pop("bot", None)
    poller = Poller(
        dispatcher,
        bot,
        concurrency=concurrency,
        polling_timeout=polling_timeout,
        allowed_updates=dispatcher.resolve_used_update_types(),
    )
    try:
        await dispatcher.emit_startup(bot=bot, **data)
        me = await bot.me()
        log.info("polling as @%s, %d update(s) at a time", me.username, concurrency)
        await poller.run(stop, shutdown_timeout, **data)
    finally:
        try:
            await dispatcher.emit_shutdown(bot=bot, **data)
        finally:
            await bot.session.close()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(sig)

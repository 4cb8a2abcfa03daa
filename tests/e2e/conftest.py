"""Harness 2, end to end: the real ``python -m bot`` process against the fake Bot API server.

``BotProcess`` starts the bot as a subprocess (the same command line as production) pointed at a
``FakeTelegram`` server that runs in the test's event loop, with its own SQLite file, and captures all the
process writes to a log file per run. Tests drive it through the fake server (``tg.inject_message``,
``tg.press_button``, ``tg.wait_for_message``...) and through the process itself (``kill9``, ``terminate``,
``restart``).

Typical use::

    async def test_something(bot: BotProcess, tg: FakeTelegram) -> None:
        tg.inject_message(ADMIN_ID, "/start")
        await tg.wait_for_message(ADMIN_ID, contains="Главное меню")
        update = tg.press_button(ADMIN_ID, "Менеджер")
        await bot.wait_acknowledged(update)  # the server will not deliver it again
        await bot.kill9()
        await bot.restart()

Fixtures: ``tg`` (a started ``FakeTelegram``), ``bot_process`` (a ``BotProcess``, not started, so a test can
change its environment first) and ``bot`` (the same, started and polling). The process is always killed at
teardown; when a test fails, the bot's output is attached to the report.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings
from tests.conftest import ADMIN_ID
from tests.fakeapi.server import FakeTelegram
from tests.harness import BOT_USERNAME, TOKEN

ROOT = Path(__file__).resolve().parents[2]

#: Lines in the bot's output that mean something went wrong (used by ``BotProcess.assert_no_tracebacks``).
TRACEBACK_PATTERNS = (
    re.compile(r"Traceback \(most recent call last\)"),
    re.compile(r"^\S.* (ERROR|CRITICAL) ", re.MULTILINE),
    re.compile(r"Task exception was never retrieved|Unclosed client session|Unclosed connector"),
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: end-to-end tests that run the real bot process against the fake Bot API server"
    )


@dataclass
class Poll:
    """One getUpdates request, seen when it *arrives* at the fake server."""

    params: dict[str, Any]
    arrived_at: float
    answered_at: float | None = None

    @property
    def pending(self) -> bool:
        return self.answered_at is None

    @property
    def offset(self) -> int:
        return int(self.params.get("offset") or 0)


class GetUpdatesProbe:
    """Watches getUpdates requests as they arrive.

    ``FakeTelegram`` logs a call only once it has been answered, and a long poll is answered after up to
    20 s, so its call log cannot tell "the bot is polling now". The probe wraps the server's getUpdates method
    instead.
    """

    def __init__(self, tg: FakeTelegram) -> None:
        self.polls: list[Poll] = []
        original = tg._handlers["getUpdates"]

        async def get_updates(params: dict[str, Any], files: dict[str, Any]) -> Any:
            poll = Poll(params=dict(params), arrived_at=time.monotonic())
            self.polls.append(poll)
            try:
                return await original(params, files)
            finally:
                poll.answered_at = time.monotonic()

        tg._handlers["getUpdates"] = get_updates

    @property
    def acknowledged_below(self) -> int:
        """Every update id below this was acknowledged by a getUpdates offset (and dropped by the server)."""
        return max((p.offset for p in self.polls), default=0)


async def wait_until(
    predicate: Callable[[], object],
    timeout: float,
    what: str,
    *,
    interval: float = 0.01,
    describe: Callable[[], str] | None = None,
) -> None:
    """Poll ``predicate`` (without blocking the event loop, so the fake server keeps serving) until true."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            details = f"\n{describe()}" if describe else ""
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}{details}")
        await asyncio.sleep(interval)


def _settings_env_names() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


@dataclass
class ExitInfo:
    """How a process ended: its return code (negative: killed by that signal) and how long it took."""

    returncode: int
    seconds: float


@dataclass
class BotProcess:
    """The real bot (``python -m bot run``) as a subprocess talking to ``tg``, its SQLite file in ``workdir``.

    The process runs with ``cwd=workdir`` (so no developer ``.env`` is read), ``PYTHONPATH`` set to the
    project root, and an environment from which every variable the bot's settings read has been removed, then
    set from ``BOT_TOKEN``/``DATABASE_URL``/``TELEGRAM_API_URL``/``ADMIN_IDS`` plus ``extra_env``. Each run
    writes stdout and stderr to ``workdir/bot-run<N>.log``. The database file survives restarts.
    """

    tg: FakeTelegram
    workdir: Path
    admin_ids: Iterable[int] = (ADMIN_ID,)
    extra_env: dict[str, str] = field(default_factory=dict)
    token: str = TOKEN
    proc: subprocess.Popen[bytes] | None = field(default=None, init=False)
    runs: int = field(default=0, init=False)
    log_paths: list[Path] = field(default_factory=list, init=False)
    probe: GetUpdatesProbe = field(init=False)

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.probe = GetUpdatesProbe(self.tg)

    # ------------------------------------------------------------------ facts

    @property
    def db_path(self) -> Path:
        """The SQLite file (created and migrated by the bot at its first start)."""
        return self.workdir / "crm.sqlite3"

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.db_path}"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def log_path(self) -> Path:
        """The current (latest) run's log file."""
        if not self.log_paths:
            raise RuntimeError("the bot was never started")
        return self.log_paths[-1]

    def environment(self) -> dict[str, str]:
        """The environment the bot process gets (see the class docstring)."""
        own = _settings_env_names()
        env = {k: v for k, v in os.environ.items() if k.upper() not in own}
        env.update(
            PYTHONPATH=str(ROOT),
            PYTHONUNBUFFERED="1",
            PYTHONDONTWRITEBYTECODE="1",
            BOT_TOKEN=self.token,
            DATABASE_URL=self.database_url,
            TELEGRAM_API_URL=self.tg.base_url,
            ADMIN_IDS=",".join(str(i) for i in self.admin_ids),
            LOG_LEVEL="INFO",
        )
        env.update(self.extra_env)
        return env

    def output(self, run: int | None = None) -> str:
        """What the process wrote: of one run (1-based; negative counts from the last), or of all runs."""
        paths = self.log_paths if run is None else [self.log_paths[run - 1 if run > 0 else run]]
        return "".join(p.read_text(encoding="utf-8", errors="replace") for p in paths if p.exists())

    def describe(self, tail: int = 60) -> str:
        """A failure report: process state, the end of its output and the fake server's recent calls."""
        state = "not started" if self.proc is None else f"pid {self.proc.pid}, returncode {self.proc.poll()}"
        lines = self.output().splitlines()[-tail:] if self.log_paths else []
        return (
            f"bot process: {state}, run {self.runs}\n--- bot output (last {tail} lines) ---\n"
            + "\n".join(lines)
            + f"\n--- fake server ---\n{self.tg.dump_calls()}"
        )

    # ------------------------------------------------------------------ lifecycle

    async def start(self, ready_timeout: float = 30.0) -> None:
        """Start a new run and wait until it is ready: migrated, started, and its first getUpdates arrived."""
        if self.running:
            raise RuntimeError("the bot is already running")
        self.runs += 1
        log_path = self.workdir / f"bot-run{self.runs}.log"
        self.log_paths.append(log_path)
        polls_before = len(self.probe.polls)
        with log_path.open("wb") as log_file:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=self.workdir,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C in the terminal reaches pytest only
            )
        await self.wait_ready(ready_timeout, polls_before=polls_before)

    async def wait_ready(self, timeout: float = 30.0, *, polls_before: int | None = None) -> None:
        """Wait for a getUpdates request that arrived after ``polls_before`` (default: any so far).

        Fails at once if the process exits in the meantime.
        """
        start = len(self.probe.polls) if polls_before is None else polls_before

        def ready() -> bool:
            if not self.running:
                raise RuntimeError(f"the bot exited before it was ready\n{self.describe()}")
            return len(self.probe.polls) > start

        await wait_until(ready, timeout, "the bot's first getUpdates", describe=self.describe)

    async def restart(self, ready_timeout: float = 30.0) -> None:
        """Start again with the same database, environment and fake server (the previous run must be over)."""
        if self.running:
            raise RuntimeError("restart() needs a stopped process: call kill9() or terminate() first")
        await self.start(ready_timeout)

    async def wait_exit(self, timeout: float = 30.0) -> int:
        """Wait (without blocking the event loop) for the process to exit; return its return code."""
        proc = self._require_proc()
        await wait_until(lambda: proc.poll() is not None, timeout, "the bot to exit", describe=self.describe)
        assert proc.returncode is not None
        return proc.returncode

    async def kill9(self, timeout: float = 10.0) -> ExitInfo:
        """``kill -9``: no cleanup at all in the bot. Returns the exit (return code ``-9``)."""
        return await self._signal(signal.SIGKILL, timeout)

    async def terminate(self, timeout: float = 30.0) -> ExitInfo:
        """SIGTERM, as systemd or docker stop sends; returns the return code and the seconds until exit."""
        return await self._signal(signal.SIGTERM, timeout)

    async def interrupt(self, timeout: float = 30.0) -> ExitInfo:
        """SIGINT (Ctrl-C); returns the return code and the seconds until exit."""
        return await self._signal(signal.SIGINT, timeout)

    async def _signal(self, sig: signal.Signals, timeout: float) -> ExitInfo:
        proc = self._require_proc()
        if proc.poll() is not None:
            raise RuntimeError(f"the bot already exited with {proc.returncode}\n{self.describe()}")
        started = time.monotonic()
        proc.send_signal(sig)
        code = await self.wait_exit(timeout)
        return ExitInfo(returncode=code, seconds=time.monotonic() - started)

    def cleanup(self) -> None:
        """Kill the process if it still runs (the fixtures call this at teardown)."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)

    def _require_proc(self) -> subprocess.Popen[bytes]:
        if self.proc is None:
            raise RuntimeError("the bot was never started")
        return self.proc

    # ------------------------------------------------------------------ polling

    async def wait_acknowledged(self, update: Mapping[str, Any], timeout: float = 10.0) -> None:
        """Wait until the bot confirmed ``update`` (an ``inject_*`` result) with a getUpdates offset above it.

        After that the fake server never delivers it again, like Telegram: a restart will not replay it. Call
        it before ``kill9()`` when the test means "this step was received and handled".
        """
        update_id = int(update["update_id"])
        await wait_until(
            lambda: self.probe.acknowledged_below > update_id,
            timeout,
            f"the bot to acknowledge update {update_id}",
            describe=self.describe,
        )

    async def wait_polling(self, min_age: float = 0.0, timeout: float = 30.0) -> Poll:
        """Wait until a long poll (getUpdates with a timeout) is pending for at least ``min_age`` seconds."""
        found: list[Poll] = []

        def pending() -> bool:
            if not self.running:
                raise RuntimeError(f"the bot is not running\n{self.describe()}")
            now = time.monotonic()
            for poll in reversed(self.probe.polls):
                long_poll = float(poll.params.get("timeout") or 0) > 0
                if poll.pending and long_poll and now - poll.arrived_at >= min_age:
                    found.append(poll)
                    return True
            return False

        await wait_until(pending, timeout, "a pending long poll", describe=self.describe)
        return found[0]

    # ------------------------------------------------------------------ checks

    def assert_no_tracebacks(self) -> None:
        """Fail if any run's output has a traceback, an ERROR/CRITICAL log line or an asyncio leak warning."""
        text = self.output()
        for pattern in TRACEBACK_PATTERNS:
            match = pattern.search(text)
            assert match is None, f"the bot's output has {match.group(0)!r}:\n{self.describe()}"


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    """A started fake Bot API server with the bot's token and username."""
    async with FakeTelegram(token=TOKEN, bot_username=BOT_USERNAME) as server:
        yield server


@pytest.fixture
async def bot_process(tg: FakeTelegram, tmp_path: Path) -> AsyncIterator[BotProcess]:
    """A ``BotProcess``, not started yet: set ``extra_env`` or ``admin_ids``, then ``await start()``."""
    process = BotProcess(tg=tg, workdir=tmp_path / "bot")
    try:
        yield process
    finally:
        process.cleanup()


@pytest.fixture
async def bot(bot_process: BotProcess) -> BotProcess:
    """The bot process, started and polling."""
    await bot_process.start()
    return bot_process


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    process = getattr(item, "funcargs", {}).get("bot_process")
    if report.failed and isinstance(process, BotProcess) and process.log_paths:
        report.sections.append(("bot process output", process.output()[-20_000:]))
    return report

"""Several real ``python -m bot`` processes behind a round-robin proxy, on PostgreSQL and Redis.

Used by ``tests/scale/test_three_instances.py`` and ``bench/instances.py``:

- ``scale_database()``: a fresh PostgreSQL database ``crm_scale_<random>`` migrated to head, dropped after;
- ``RoundRobinProxy``: the load balancer. Each webhook request goes to the next instance in turn; one that
  does not answer (killed) is skipped, as a load balancer's health check would;
- ``Instance``: one bot process in webhook mode, its own listening port, journal and log file.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.engine import make_url

from db.engine import create_engine
from db.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]
SECRET = "scale-test-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def scale_database(base_url: str) -> AsyncIterator[str]:
    """A fresh database ``crm_scale_<random>`` on the server of ``base_url``, migrated; dropped afterwards."""
    base = make_url(base_url)
    name = f"crm_scale_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        engine = create_engine(url)
        await upgrade(engine)
        await engine.dispose()
        yield url
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


class RoundRobinProxy:
    """Forwards every request to the next backend in turn; a backend that cannot be reached is skipped."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self.handled: dict[str, int] = dict.fromkeys(backends, 0)
        self._turn = itertools.count()
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> RoundRobinProxy:
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        self.port = free_port()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._http is not None:
            await self._http.close()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._http is not None
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
        first = next(self._turn)
        for step in range(len(self.backends)):
            backend = self.backends[(first + step) % len(self.backends)]
            try:
                async with self._http.request(
                    request.method, backend + request.path_qs, data=body, headers=headers
                ) as answer:
                    payload = await answer.read()
                    self.handled[backend] += 1
                    return web.Response(body=payload, status=answer.status, content_type=answer.content_type)
            except (aiohttp.ClientConnectionError, OSError):
                continue  # down: the next one
        return web.Response(status=502)


@dataclass
class Instance:
    """One ``python -m bot run`` in webhook mode behind the proxy."""

    name: str
    workdir: Path
    env: Mapping[str, str]
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    runs: int = 0

    @property
    def backend(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"{self.name}-run{self.runs}.log"

    def output(self) -> str:
        return "".join(
            (self.workdir / f"{self.name}-run{run}.log").read_text(errors="replace")
            for run in range(1, self.runs + 1)
        )

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.runs += 1
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST"))}
        env.update(self.env)
        env.update(
            PYTHONPATH=str(ROOT),
            PYTHONUNBUFFERED="1",
            WEBHOOK_LISTEN=f"127.0.0.1:{self.port}",
            OUTBOX_JOURNAL=str(self.workdir / f"{self.name}.journal"),
        )
        with self.log_path.open("wb") as log_file:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=self.workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    async def wait_started(self, timeout: float = 60.0) -> None:
        """Until the webhook endpoint listens (the bot has migrated, registered and started by then)."""
        deadline = time.monotonic() + timeout
        while not self._listening():
            if not self.running:
                raise RuntimeError(f"{self.name} exited:\n{self.output()[-3000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name} did not start:\n{self.output()[-3000:]}")
            await asyncio.sleep(0.1)

    def _listening(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def sends_in_flight(self) -> set[int]:
        """Rows whose send this instance started and Telegram has not confirmed yet (its journal)."""
        started, confirmed = set(), set()
        lines = (self.workdir / f"{self.name}.journal").read_text(errors="replace").splitlines()[1:]
        for line in lines:
            parts = line.split()
            if len(parts) >= 2 and parts[0] in ("S", "D") and parts[1].isdigit():
                (started if parts[0] == "S" else confirmed).add(int(parts[1]))
        return started - confirmed

    async def kill9_between_sends(self, attempts: int = 500) -> None:
        """``kill -9`` at a moment when no send is in flight.

        A message that Telegram took in the last milliseconds before a crash, before the process read the
        answer, is the one window no sender can close (``bot.sender``): it may go out again. To test that
        nothing else repeats, the process is frozen (SIGSTOP), its journal checked, and killed only when
        every send it started is confirmed; otherwise it goes on for a moment and is tried again.
        """
        assert self.proc is not None
        for _ in range(attempts):
            self.proc.send_signal(signal.SIGSTOP)
            if not self.sends_in_flight():
                break
            self.proc.send_signal(signal.SIGCONT)
            await asyncio.sleep(0.01)
        self.kill9()

    async def stop(self, timeout: float = 20.0) -> None:
        if not self.running:
            return
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def cluster_env(
    database_url: str, redis_url: str, api_url: str, token: str, proxy_url: str
) -> dict[str, str]:
    """What every instance shares: one database, one Redis, one bot, one public webhook URL."""
    return {
        "BOT_TOKEN": token,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "TELEGRAM_API_URL": api_url,
        "WEBHOOK_URL": proxy_url,
        "WEBHOOK_SECRET": SECRET,
        "LOG_LEVEL": "INFO",
    }

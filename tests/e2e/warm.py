"""``WarmBotProcess``: ``BotProcess`` whose runs are forked from ``tests.e2e.forkserver`` (imports done once).

Same command (``bot.__main__.main(["run"])``), same environment, same log files, a real process per run that
``kill9()`` ends with SIGKILL; only the interpreter start-up and the imports are paid once per test instead of
once per run. For tests that restart the bot many times.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

from tests.e2e.conftest import BotProcess, ExitInfo, wait_until


@dataclass
class WarmBotProcess(BotProcess):
    server: subprocess.Popen[str] | None = field(default=None, init=False)
    child: int | None = field(default=None, init=False)
    exit_code: int | None = field(default=None, init=False)

    def _ask(self, line: str) -> str:
        assert self.server is not None and self.server.stdin is not None and self.server.stdout is not None
        self.server.stdin.write(line + "\n")
        self.server.stdin.flush()
        return self.server.stdout.readline().strip()

    def _serve(self) -> None:
        if self.server is not None:
            return
        self.server = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.forkserver"],
            cwd=self.workdir,
            env=self.environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        assert self.server.stdout is not None
        ready = self.server.stdout.readline().strip()
        assert ready == "ready", f"the fork server did not start: {ready!r}"

    @property
    def pid(self) -> int | None:
        return self.child

    @property
    def running(self) -> bool:
        if self.child is None or self.exit_code is not None:
            return False
        answer = self._ask(f"poll {self.child}")
        if answer.startswith("exit "):
            self.exit_code = int(answer.split()[1])
            return False
        return True

    async def start(self, ready_timeout: float = 30.0) -> None:
        if self.running:
            raise RuntimeError("the bot is already running")
        self._serve()
        self.runs += 1
        log_path = self.workdir / f"bot-run{self.runs}.log"
        self.log_paths.append(log_path)
        polls_before = len(self.probe.polls)
        answer = self._ask(f"start {log_path}")
        assert answer.startswith("pid "), answer
        self.child, self.exit_code = int(answer.split()[1]), None
        await self.wait_ready(ready_timeout, polls_before=polls_before)

    async def wait_exit(self, timeout: float = 30.0) -> int:
        await wait_until(lambda: not self.running, timeout, "the bot to exit", describe=self.describe)
        assert self.exit_code is not None
        return self.exit_code

    async def _signal(self, sig: signal.Signals, timeout: float) -> ExitInfo:
        if not self.running or self.child is None:
            raise RuntimeError(f"the bot is not running\n{self.describe()}")
        started = time.monotonic()
        os.kill(self.child, sig)
        code = await self.wait_exit(timeout)
        return ExitInfo(returncode=code, seconds=time.monotonic() - started)

    def cleanup(self) -> None:
        if self.child is not None and self.exit_code is None and self.server is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.child, signal.SIGKILL)
        if self.server is not None:
            if self.server.stdin is not None:
                self.server.stdin.close()
            try:
                self.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.server.kill()
            self.server = None

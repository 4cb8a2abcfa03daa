"""A warm start for the bot process: ``python -m tests.e2e.forkserver`` imports the bot once, then forks.

Importing aiogram (its pydantic types) is most of the bot's start-up: about 3 s of CPU here. A test that
restarts the bot twenty times (``kill -9`` at random moments) would spend a minute on imports alone. This
server imports everything once; each ``start`` forks a child that runs exactly what ``python -m bot run``
runs (``bot.__main__.main(["run"])``) in its own session, with its output in a log file. The child is a real
process: ``kill -9`` ends it with no cleanup at all, as in production.

Protocol, one line each way on stdin/stdout: ``start <log path>`` → ``pid <pid>``; ``poll <pid>`` →
``running`` or ``exit <code>`` (negative: killed by that signal, like ``subprocess.Popen``). EOF ends it.
"""

from __future__ import annotations

import importlib
import os
import sys

PRELOAD = (
    "aiogram.types",
    "bot.__main__",
    "bot.runtime",
    "bot.reminders",
    "bot.sender",
    "db.migrate",
    "handlers",
)


def _child(log_path: str) -> None:
    os.setsid()
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    code = 1
    try:
        from bot.__main__ import main

        code = main(["run"])
    except BaseException:  # the exit code and the traceback in the log tell the test
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve() -> None:
    # Everything the bot imports at start, so that a child only runs.
    for module in PRELOAD:
        importlib.import_module(module)

    exits: dict[int, int] = {}
    print("ready", flush=True)
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "start":
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                _child(arg)
            print(f"pid {pid}", flush=True)
        elif command == "poll":
            pid = int(arg)
            if pid not in exits:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    exits[pid] = os.waitstatus_to_exitcode(status)
            print(f"exit {exits[pid]}" if pid in exits else "running", flush=True)


if __name__ == "__main__":
    serve()

"""Duplicates per crash: ``kill -9`` the real bot at random moments while it drains the outbox.

The long version of ``tests/e2e/test_sender_crash.py`` (issue 9, finding 5): ``--rows`` due alerts, each with
a text of its own, for ``--recipients`` chats; the real ``python -m bot run`` process sends them to the HTTP
fake Bot API at 25 msg/s (1 msg/s per chat). ``--kills`` times: start, wait until it is sending, wait a
random time (seeded, up to ``--max-delay`` seconds), ``kill -9``. Then one last start delivers the rest, and
every row that reached its chat twice counts as a duplicate. ``--held-writes N`` makes the first N rounds
kill while another connection holds the database's write lock (messages confirmed but not marked ``sent``).

    python -m bench.sender_crash                       # 40 random kills, 600 rows, 40 chats
    python -m bench.sender_crash --kills 20 --rows 300

The goal is under 0.05 duplicates per kill; the 95% upper bound printed is the exact Poisson one.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.fill import migrate
from tests.e2e.conftest import BotProcess
from tests.e2e.test_sender_crash import crash_during_drains
from tests.fakeapi.server import FakeTelegram
from tests.harness import BOT_USERNAME, TOKEN


def poisson_upper(count: int, confidence: float = 0.95) -> float:
    """The exact one-sided upper confidence bound of a Poisson mean after observing ``count`` events."""
    low, high = 0.0, 10.0 + 10.0 * count
    for _ in range(100):
        mean = (low + high) / 2
        cdf = sum(math.exp(-mean) * mean**k / math.factorial(k) for k in range(count + 1))
        low, high = (mean, high) if cdf > 1 - confidence else (low, mean)
    return high


async def run(args: argparse.Namespace, workdir: Path) -> None:
    template = workdir / "template.sqlite3"
    await asyncio.to_thread(migrate, template)
    async with FakeTelegram(token=TOKEN, bot_username=BOT_USERNAME) as tg:
        process = BotProcess(tg=tg, workdir=workdir / "bot")
        try:
            result = await crash_during_drains(
                process,
                tg,
                template,
                kills=args.kills,
                rows=args.rows,
                recipients=args.recipients,
                seed=args.seed,
                max_delay=args.max_delay,
                held_writes=args.held_writes,
                killer=args.killer,
                warmup=args.warmup,
            )
        finally:
            process.cleanup()
    print(result.summary())
    upper = poisson_upper(result.duplicates) / result.kills
    print(f"95% upper bound: {upper:.3f} duplicates per kill")
    goal = result.delivered == result.rows and result.per_kill < 0.05
    print("goal (every row delivered, under 0.05 duplicates per kill): " + ("met" if goal else "NOT met"))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--rows", type=int, default=600)
    parser.add_argument("--recipients", type=int, default=40)
    parser.add_argument("--max-delay", type=float, default=1.0)
    parser.add_argument("--held-writes", type=int, default=0)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--killer", choices=("process", "loop"), default="process")
    parser.add_argument(
        "--warmup", type=int, default=50, help="messages a fresh process sends before the wait"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="crm-crash-") as tmp:
        asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    main()

"""Graceful shutdown waits for in-flight updates, within the configured timeout.

Handlers and jobs here "work" until the test sets an ``asyncio.Event``, so the test decides exactly when the
work ends: while shutdown is already waiting for it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.middlewares import InFlight

#: A bound for waits that should end at once; reaching it is a failure, not a pass.
PATIENCE = 5.0


async def test_shutdown_waits_for_an_in_flight_handler() -> None:
    in_flight = InFlight()
    started, release = asyncio.Event(), asyncio.Event()
    finished: list[str] = []

    async def slow_handler(event: Any, data: dict[str, Any]) -> None:
        started.set()
        await release.wait()
        finished.append("saved")

    task = asyncio.create_task(in_flight(slow_handler, object(), {}))  # type: ignore[arg-type]
    await asyncio.wait_for(started.wait(), PATIENCE)
    assert in_flight.count == 1
    waiting = asyncio.create_task(in_flight.wait_idle(PATIENCE))
    await asyncio.sleep(0)  # shutdown is now waiting
    assert not waiting.done(), "shutdown did not wait for the handler"
    release.set()
    assert await waiting is True
    assert finished == ["saved"]
    await task


async def test_shutdown_gives_up_after_the_timeout() -> None:
    in_flight = InFlight()
    started, release = asyncio.Event(), asyncio.Event()

    async def stuck_handler(event: Any, data: dict[str, Any]) -> None:
        started.set()
        await release.wait()

    task = asyncio.create_task(in_flight(stuck_handler, object(), {}))  # type: ignore[arg-type]
    await asyncio.wait_for(started.wait(), PATIENCE)
    assert await in_flight.wait_idle(0.05) is False
    release.set()
    await task
    assert in_flight.count == 0


async def test_shutdown_lets_a_running_scheduler_job_finish_and_stops_a_stuck_one_quietly() -> None:
    from bot.runtime import Jobs

    jobs = Jobs()
    release = asyncio.Event()
    finished: list[str] = []

    async def drain() -> None:
        await release.wait()
        finished.append("drained")

    async def stuck() -> None:
        await asyncio.Event().wait()

    running = asyncio.ensure_future(jobs.tracked("outbox", drain)())
    hanging = asyncio.ensure_future(jobs.tracked("sweep", stuck)())
    await asyncio.sleep(0)  # both jobs start
    assert jobs.running == {running, hanging}
    finishing = asyncio.create_task(jobs.finish(within=0.5))
    await asyncio.sleep(0)  # shutdown is now waiting
    assert not finishing.done(), "shutdown did not wait for the running jobs"
    release.set()
    await finishing
    assert finished == ["drained"] and running.done()
    hanging.cancel()  # what the scheduler's executor does at shutdown
    await hanging  # the cancellation is logged, not raised into the executor
    assert jobs.running == set()

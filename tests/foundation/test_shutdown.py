"""Graceful shutdown waits for in-flight updates, within the configured timeout."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.middlewares import InFlight


async def test_shutdown_waits_for_an_in_flight_handler() -> None:
    in_flight = InFlight()
    finished: list[str] = []

    async def slow_handler(event: Any, data: dict[str, Any]) -> None:
        await asyncio.sleep(0.2)
        finished.append("saved")

    task = asyncio.create_task(in_flight(slow_handler, object(), {}))  # type: ignore[arg-type]
    await asyncio.sleep(0.01)
    assert in_flight.count == 1
    assert await in_flight.wait_idle(2.0) is True
    assert finished == ["saved"]
    await task


async def test_shutdown_gives_up_after_the_timeout() -> None:
    in_flight = InFlight()
    release = asyncio.Event()

    async def stuck_handler(event: Any, data: dict[str, Any]) -> None:
        await release.wait()

    task = asyncio.create_task(in_flight(stuck_handler, object(), {}))  # type: ignore[arg-type]
    await asyncio.sleep(0.01)
    assert await in_flight.wait_idle(0.05) is False
    release.set()
    await task
    assert in_flight.count == 0


async def test_shutdown_lets_a_running_scheduler_job_finish_and_stops_a_stuck_one_quietly() -> None:
    from bot.runtime import Jobs

    jobs = Jobs()
    finished: list[str] = []

    async def drain() -> None:
        await asyncio.sleep(0.1)
        finished.append("drained")

    async def stuck() -> None:
        await asyncio.Event().wait()

    running = asyncio.create_task(jobs.tracked("outbox", drain)())
    hanging = asyncio.create_task(jobs.tracked("sweep", stuck)())
    await asyncio.sleep(0.01)
    await jobs.finish(within=0.5)
    assert finished == ["drained"] and running.done()
    hanging.cancel()  # what the scheduler's executor does at shutdown
    await hanging  # the cancellation is logged, not raised into the executor
    assert jobs.running == set()

"""``/healthz`` and ``/metrics``: one set of aiohttp routes for both modes.

- Webhook mode: on the webhook's own app (``bot.runtime.create_webhook_app``), next to ``/webhook``.
- Any mode, when ``HEALTH_LISTEN`` is set (``host:port``): on a small server of their own, e.g. loopback for a
  local Prometheus and the load balancer's health check while polling.

``/healthz`` answers ``200 ok`` when the database answers ``SELECT 1`` and, with ``REDIS_URL``, Redis answers
``PING``; otherwise ``503`` and a line per check (``database: failed``), never a URL or an error text. Each
check gives up after ``CHECK_TIMEOUT`` seconds, so a hung server makes the endpoint fail, not hang.
``/metrics`` is the Prometheus text of ``bot.metrics``; the outbox gauge is counted by a query at each scrape.

Neither endpoint needs the webhook secret: keep them off the public side of the reverse proxy (the proxy in
``deploy/`` forwards ``/webhook`` only).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics

log = logging.getLogger(__name__)

CHECK_TIMEOUT = 3.0
_CHECKS: web.AppKey[HealthChecks] = web.AppKey("crm_health_checks")


@dataclass
class HealthChecks:
    sessionmaker: async_sessionmaker[AsyncSession]
    redis: Redis | None = None

    async def _database(self) -> None:
        async with self.sessionmaker() as session:
            await session.execute(text("SELECT 1"))

    async def _redis(self) -> None:
        assert self.redis is not None
        await self.redis.ping()

    async def results(self) -> dict[str, bool]:
        """Each check by name (``database``, ``redis``), True when it answered in time."""
        checks: dict[str, Callable[[], Awaitable[None]]] = {"database": self._database}
        if self.redis is not None:
            checks["redis"] = self._redis
        outcomes = await asyncio.gather(*(_passes(name, check) for name, check in checks.items()))
        return dict(zip(checks, outcomes, strict=True))


async def _passes(name: str, check: Callable[[], Awaitable[None]]) -> bool:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            await check()
    except Exception as exc:  # any failure is "unhealthy"; the type alone is logged (no URLs, no data)
        log.warning("health check %s failed: %s", name, type(exc).__name__)
        return False
    return True


async def healthz(request: web.Request) -> web.Response:
    results = await request.app[_CHECKS].results()
    if all(results.values()):
        return web.Response(text="ok\n")
    body = "".join(f"{name}: {'ok' if passed else 'failed'}\n" for name, passed in results.items())
    return web.Response(status=503, text=body)


async def metrics_page(request: web.Request) -> web.Response:
    try:
        await metrics.refresh_outbox_rows(request.app[_CHECKS].sessionmaker)
    except Exception as exc:  # the other metrics are still worth serving when the database is down
        log.warning("outbox metrics not refreshed: %s", type(exc).__name__)
    body, content_type = metrics.exposition()
    return web.Response(body=body, headers={"Content-Type": content_type})


def add_routes(
    app: web.Application, sessionmaker: async_sessionmaker[AsyncSession], redis_url: str | None
) -> None:
    """Serve ``/healthz`` and ``/metrics`` on ``app``; a Redis client is opened for it and closed with it."""
    checks = HealthChecks(sessionmaker)
    app[_CHECKS] = checks
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)
    if redis_url:
        # No connection is made until the first check; the client is closed with the app.
        redis = Redis.from_url(redis_url, socket_connect_timeout=CHECK_TIMEOUT, socket_timeout=CHECK_TIMEOUT)
        checks.redis = redis

        async def close_redis(_app: web.Application) -> None:
            await redis.aclose()

        app.on_cleanup.append(close_redis)


def create_health_app(
    sessionmaker: async_sessionmaker[AsyncSession], redis_url: str | None
) -> web.Application:
    app = web.Application()
    add_routes(app, sessionmaker, redis_url)
    return app


async def serve(
    listen: str, sessionmaker: async_sessionmaker[AsyncSession], redis_url: str | None
) -> web.AppRunner:
    """Start the health server on ``listen`` (``host:port``); ``await runner.cleanup()`` stops it."""
    runner = web.AppRunner(create_health_app(sessionmaker, redis_url), access_log=None)
    await runner.setup()
    host, _, port = listen.rpartition(":")
    await web.TCPSite(runner, host, int(port)).start()
    log.info("health and metrics on %s", listen)
    return runner

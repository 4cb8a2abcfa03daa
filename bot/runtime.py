"""Running the bot: migrations, scheduler, long polling (or webhook) and a graceful shutdown.

On SIGTERM or SIGINT, polling stops at once, in-flight handlers get ``SHUTDOWN_TIMEOUT`` seconds to
finish, the scheduler stops, and the engine is disposed.

Delivery (issue 9, finding 4): polling (``bot.polling``) acknowledges an update only after its handler has
finished; the webhook answers Telegram only after the handler has finished, so a crash means a retry. A
retried or redelivered update whose effects were committed is skipped (``bot.delivery``).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import signal
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommandScopeChat
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot import health, import_delivery, metrics
from bot.app import create_bot, create_dispatcher
from bot.commands import ADMIN_COMMANDS, USER_COMMANDS, command_list, set_default_commands
from bot.i18n import TranslatorHub
from bot.leader import REFUSAL, Lease
from bot.middlewares import InFlight
from bot.polling import run_polling
from bot.reach import until_reached
from bot.send_limits import close_limiter
from bot.settings import ConfigError, Settings
from db.base import utcnow
from db.engine import create_engine, create_sessionmaker, writing
from db.migrate import upgrade
from db.models import HandledUpdate, InviteFailure

log = logging.getLogger(__name__)


#: How long a handled update id is kept: Telegram gives up on an unacknowledged update within 24 hours.
HANDLED_UPDATES_KEPT = timedelta(days=2)


async def purge_invite_failures(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Wrong-code counters are only needed for the rate-limit window."""
    async with writing(sessionmaker) as session:
        await session.execute(delete(InviteFailure).where(InviteFailure.at < utcnow() - timedelta(days=1)))


async def housekeeping(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Hourly: old wrong-code counters and old handled-update marks (``bot.delivery``)."""
    await purge_invite_failures(sessionmaker)
    async with writing(sessionmaker) as session:
        await session.execute(
            delete(HandledUpdate).where(HandledUpdate.handled_at < utcnow() - HANDLED_UPDATES_KEPT)
        )


async def drain_outbox_job(
    bot: Bot, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, hub: TranslatorHub
) -> None:
    """The outbox drain (``bot.sender``), imported when it first runs."""
    from bot.sender import drain_outbox

    await drain_outbox(bot, sessionmaker, settings, hub)


def leader_only(lease: Lease | None, func: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """A job that starts a run only while this instance holds the leader lease (``bot.leader``)."""
    if lease is None:
        return func

    @functools.wraps(func)
    async def run(*args: Any) -> None:
        if lease.is_leader:
            await func(*args)

    return run


class Jobs:
    """The scheduler's running jobs, so that shutdown lets them finish instead of cutting them off.

    APScheduler's asyncio executor cancels running jobs when it shuts down; a drain cut off mid-send is safe
    (its unsent rows go back to the queue) but noisy, so shutdown first pauses the scheduler and waits.
    """

    def __init__(self) -> None:
        self.running: set[asyncio.Task[Any]] = set()

    def tracked(self, name: str, func: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
        @functools.wraps(func)
        async def run(*args: Any) -> None:
            task = asyncio.current_task()
            assert task is not None
            self.running.add(task)
            try:
                await func(*args)
            except asyncio.CancelledError:
                log.info("job %s stopped at shutdown", name)
            finally:
                self.running.discard(task)

        return run

    async def finish(self, within: float) -> None:
        if self.running:
            await asyncio.wait(set(self.running), timeout=within)


def create_scheduler(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    bot: Bot | None = None,
    hub: TranslatorHub | None = None,
    jobs: Jobs | None = None,
    lease: Lease | None = None,
) -> AsyncIOScheduler:
    """Jobs keep no state of their own: the database is the truth, so ids are stable and misfires coalesce.

    - ``sweep`` every ``SWEEP_INTERVAL_MINUTES``: queues due reminders, alerts, task reminders and the
      morning digests (``bot.reminders``; a digest is due from 09:00 on each user's clock, so no job of its
      own); ``sweep-startup`` once at start, which also re-checks every open deal for R2f;
    - ``outbox`` every ``OUTBOX_INTERVAL_SECONDS`` (when a bot is given): sends what is due;
    - ``housekeeping`` hourly;
    - ``imports-resume`` once at start (when a bot is given): imports a stop left running go on, and their
      importers get the result (``bot.import_delivery``).

    With several instances (a ``lease``, ``bot.leader``), the sweeps, housekeeping and imports-resume run
    only on the leader: a periodic job skips its run elsewhere, and the start-up jobs run when this instance
    becomes the leader (at start, or on taking over from a dead one). The outbox runs on every instance: each
    row is claimed by one drain only. ``lease`` renews the lease every third of its period.
    """
    from bot.reminders import run_startup_sweep, run_sweep

    jobs = jobs or Jobs()
    scheduler = AsyncIOScheduler(
        timezone="UTC", job_defaults={"coalesce": True, "misfire_grace_time": 3600, "max_instances": 1}
    )
    scheduler.add_job(
        jobs.tracked("housekeeping", leader_only(lease, housekeeping)),
        "interval",
        hours=1,
        id="housekeeping",
        args=[sessionmaker],
        replace_existing=True,
    )
    scheduler.add_job(
        jobs.tracked("sweep", leader_only(lease, run_sweep)),
        "interval",
        minutes=settings.sweep_interval_minutes,
        id="sweep",
        args=[sessionmaker, settings],
        replace_existing=True,
    )

    def startup_jobs() -> None:
        scheduler.add_job(
            jobs.tracked("sweep-startup", leader_only(lease, run_startup_sweep)),
            "date",
            id="sweep-startup",
            args=[sessionmaker, settings],
            replace_existing=True,
        )
        if bot is not None and hub is not None:
            scheduler.add_job(
                jobs.tracked(
                    "imports-resume",
                    leader_only(lease, import_delivery.resumer(bot, sessionmaker, hub, settings)),
                ),
                "date",
                id="imports-resume",
                replace_existing=True,
            )

    if lease is None or lease.is_leader:
        startup_jobs()
    if lease is not None:
        lease.on_change(lambda leading: startup_jobs() if leading else None)
        scheduler.add_job(
            jobs.tracked("lease", lease.beat),
            "interval",
            seconds=lease.heartbeat_seconds,
            id="lease",
            replace_existing=True,
        )
    if bot is not None and hub is not None:
        scheduler.add_job(
            jobs.tracked("outbox", drain_outbox_job),
            "interval",
            seconds=settings.outbox_interval_seconds,
            id="outbox",
            args=[bot, sessionmaker, settings, hub],
            replace_existing=True,
        )
    return scheduler


async def announce_commands(bot: Bot, settings: Settings, hub: TranslatorHub) -> None:
    """The command lists; an unreachable Bot API is waited for (``bot.reach``), a refusal only logged."""
    try:
        await until_reached(functools.partial(set_default_commands, bot, hub))
        for admin_id in settings.admin_ids:
            await until_reached(
                functools.partial(
                    bot.set_my_commands,
                    command_list(hub, hub.default, USER_COMMANDS + ADMIN_COMMANDS),
                    scope=BotCommandScopeChat(chat_id=admin_id),
                )
            )
    except TelegramAPIError as exc:
        log.warning("could not set the command list: %s", type(exc).__name__)


async def join_instances(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> Lease:
    """Register this instance and try for the lease; without Redis, refuse to run beside another instance."""
    lease = Lease(sessionmaker, lease_seconds=settings.leader_lease_seconds)
    metrics.follow_leader(lambda: lease.is_leader)
    if not settings.redis_url:
        await lease.check_alone()
    await lease.register()
    if not settings.redis_url and await lease.others():  # two started at the same moment: neither runs
        await lease.unregister()
        raise ConfigError(REFUSAL)
    await lease.heartbeat()
    return lease


def log_missing_admins(settings: Settings) -> None:
    """With no ``ADMIN_IDS`` nobody can manage the bot: say how to find one's Telegram id."""
    if not settings.admin_ids:
        log.warning(
            "ADMIN_IDS is empty, so the bot has no administrator yet: send /start to the bot from your "
            "Telegram account, it answers with your numeric id and the line for .env "
            "(ADMIN_IDS=<your id>); then restart the bot"
        )


async def reach_telegram(bot: Bot, settings: Settings) -> None:
    """Check the token and, for polling, remove a webhook; wait while the Bot API is unreachable.

    A token Telegram rejects stops the bot here with one line (``bot.reach.TokenRejected``).
    """
    try:
        me = await until_reached(bot.me)
        log.info("connected to the Bot API as @%s", me.username)
        if not settings.webhook_url:
            await until_reached(functools.partial(bot.delete_webhook, drop_pending_updates=False))
    except BaseException:
        await bot.session.close()
        raise


async def run(settings: Settings) -> None:
    log_missing_admins(settings)
    bot = create_bot(settings)
    await reach_telegram(bot, settings)
    engine: AsyncEngine = create_engine(settings.database_url, **settings.pool_options)
    await upgrade(engine)
    sessionmaker = create_sessionmaker(engine)
    lease = await join_instances(settings, sessionmaker)
    hub = TranslatorHub()
    dispatcher: Dispatcher = create_dispatcher(
        settings, sessionmaker, hub=hub, single_instance=not settings.redis_url
    )
    jobs = Jobs()
    scheduler = create_scheduler(settings, sessionmaker, bot=bot, hub=hub, jobs=jobs, lease=lease)
    in_flight: InFlight = dispatcher["in_flight"]
    health_server = (
        await health.serve(settings.health_listen, sessionmaker, settings.redis_url)
        if settings.health_listen
        else None
    )

    async def on_startup() -> None:
        scheduler.start()
        await announce_commands(bot, settings, hub)
        log.info("bot started")

    async def on_shutdown() -> None:
        log.info("shutting down: %d update(s) in flight", in_flight.count)
        if not await in_flight.wait_idle(settings.shutdown_timeout):
            log.warning("shutdown timeout: %d update(s) still in flight", in_flight.count)
        scheduler.pause()
        await jobs.finish(within=settings.shutdown_timeout)
        scheduler.shutdown(wait=False)
        await lease.unregister()
        await close_limiter(bot)
        await dispatcher.storage.close()
        if health_server is not None:
            await health_server.cleanup()
        await engine.dispose()
        log.info("bot stopped")

    dispatcher.startup.register(on_startup)
    dispatcher.shutdown.register(on_shutdown)
    if settings.webhook_url:
        await _run_webhook(bot, dispatcher, settings)
    else:
        await run_polling(
            dispatcher,
            bot,
            concurrency=settings.polling_concurrency,
            shutdown_timeout=settings.shutdown_timeout,
            polling_timeout=20,
        )


def create_webhook_app(bot: Bot, dispatcher: Dispatcher, secret: str) -> web.Application:
    """The webhook endpoint at ``/webhook``, with ``/healthz`` and ``/metrics`` (``bot.health``).

    - Telegram's secret token header is checked on every request: without it, or with a wrong one, 401 and
      nothing is handled (issue 9, finding 3). There is no endpoint without a secret.
    - Telegram gets its 200 only once the handler has finished (``handle_in_background=False``), so an update
      cut off by a crash is retried by Telegram, and ``bot.delivery`` skips a retry whose effects were
      committed.
    """
    if not secret:
        raise ValueError("the webhook needs a secret token")
    app = web.Application()
    SimpleRequestHandler(
        dispatcher=dispatcher, bot=bot, secret_token=secret, handle_in_background=False
    ).register(app, path="/webhook")
    setup_application(app, dispatcher, bot=bot)
    health.add_routes(app, dispatcher["sessionmaker"], dispatcher["settings"].redis_url)
    return app


async def _run_webhook(bot: Bot, dispatcher: Dispatcher, settings: Settings) -> None:
    """Webhook mode behind a reverse proxy or load balancer (``WEBHOOK_LISTEN``, loopback by default)."""
    assert settings.webhook_url is not None
    # Settings refuse WEBHOOK_URL without WEBHOOK_SECRET; this guards code that builds Settings otherwise.
    if settings.webhook_secret is None:
        raise ConfigError("WEBHOOK_URL is set without WEBHOOK_SECRET")
    secret = settings.webhook_secret.get_secret_value()
    runner = web.AppRunner(create_webhook_app(bot, dispatcher, secret))
    await runner.setup()
    host, _, port = settings.webhook_listen.rpartition(":")
    await web.TCPSite(runner, host, int(port)).start()
    await until_reached(
        functools.partial(
            bot.set_webhook,
            settings.webhook_url.rstrip("/") + "/webhook",
            secret_token=secret,
            max_connections=settings.polling_concurrency,
        )
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()

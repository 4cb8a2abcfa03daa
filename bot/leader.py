"""Several instances on one database: each registers itself, and one of them (the leader) runs the schedule.

Registration. At start an instance writes its row in ``bot_instances`` (``db.models.instances``) and renews
it with every heartbeat (every ``LEADER_LEASE_SECONDS / 3``); the row expires ``LEADER_LEASE_SECONDS`` after
the last heartbeat. On a clean shutdown the row is deleted, so a restart finds the database free.

Safe configurations only (``Lease.check_alone``). Without ``REDIS_URL`` the form state is kept by the SQL
storage with a read cache in the process and the send budget is counted in the process: both are right only
for a single instance. So an instance without Redis that finds another live instance on its database refuses
to start. A row left by an instance killed with ``-9`` is not a live instance: a row of this host whose
process no longer runs (or whose pid is ours: a container restarted in place) is ignored at once; any other
row is watched for up to one lease period, and counts as live only if its heartbeat moves on.

The leader (``Lease.heartbeat``). One row of ``leader_lease`` names the holder and until when it holds. Each
heartbeat runs ``UPDATE leader_lease SET holder = me, expires_at = now + lease WHERE holder = me OR holder IS
NULL OR expires_at < now``: the holder renews, anyone takes over an expired lease, and the database makes the
update atomic (a row lock on PostgreSQL, the single writer on SQLite). When the leader dies, another instance
takes over within one lease period plus one heartbeat. A heartbeat that fails (the database is unreachable)
gives the leadership up in this process at once: the lease may expire before the next one succeeds.
Clocks: expiry times are written with each instance's clock, so the instances' clocks must agree to well
within a lease period (NTP does).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import ConfigError
from db.base import UtcDateTime, utcnow
from db.engine import writing
from db.models import BotInstance, LeaderLease

log = logging.getLogger(__name__)

SCHEDULER_LEASE = "scheduler"
REFUSAL = (
    "another bot instance is running on this database; several instances need REDIS_URL "
    "(shared form state and send budget)"
)


@dataclass(frozen=True)
class OtherInstance:
    id: str
    host: str
    pid: int
    heartbeat_at: datetime


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # a process of another user has this pid
        return False
    return False


class Lease:
    """This instance's registration and its claim on the leader lease.

    ``is_leader`` says whether this instance runs the leader-only jobs now; ``on_change`` callbacks get the
    new value when it changes. Every method takes ``now`` so that tests move time instead of waiting.
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        lease_seconds: float,
        instance_id: str | None = None,
        host: str | None = None,
        pid: int | None = None,
        name: str = SCHEDULER_LEASE,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.lease = timedelta(seconds=lease_seconds)
        self.id = instance_id or uuid.uuid4().hex
        self.host = (host or socket.gethostname())[:255]
        self.pid = os.getpid() if pid is None else pid
        self.name = name
        self._leading = False
        self._valid_until = 0.0  # monotonic: a leader whose renewals stall stops leading when its lease ends
        self._callbacks: list[Callable[[bool], None]] = []

    @property
    def is_leader(self) -> bool:
        """Whether this instance leads now: its last renewal succeeded and its lease has not run out since."""
        return self._leading and time.monotonic() < self._valid_until

    @property
    def heartbeat_seconds(self) -> float:
        return self.lease.total_seconds() / 3

    def on_change(self, callback: Callable[[bool], None]) -> None:
        self._callbacks.append(callback)

    def _set_leader(self, leading: bool) -> None:
        if leading:
            self._valid_until = time.monotonic() + self.lease.total_seconds()
        if leading == self._leading:
            return
        self._leading = leading
        log.info(
            "instance %s %s the leader (scheduled work)", self.id[:8], "became" if leading else "is no longer"
        )
        for callback in self._callbacks:
            callback(leading)

    # --- registration

    async def register(self, now: datetime | None = None) -> None:
        now = now or utcnow()
        async with writing(self.sessionmaker) as session:
            await session.execute(delete(BotInstance).where(BotInstance.id == self.id))
            session.add(
                BotInstance(
                    id=self.id,
                    host=self.host,
                    pid=self.pid,
                    started_at=now,
                    heartbeat_at=now,
                    expires_at=now + self.lease,
                )
            )

    async def others(self, now: datetime | None = None) -> list[OtherInstance]:
        """Other instances whose registration has not expired, less those known dead on this host."""
        now = now or utcnow()
        async with self.sessionmaker() as session:
            rows = (
                await session.execute(
                    select(BotInstance).where(BotInstance.id != self.id, BotInstance.expires_at > now)
                )
            ).scalars()
            found = [OtherInstance(r.id, r.host, r.pid, r.heartbeat_at) for r in rows]
        return [
            other
            for other in found
            if not (other.host == self.host and (other.pid == self.pid or _process_gone(other.pid)))
        ]

    async def check_alone(self, *, poll: float = 0.5, clock: Callable[[], datetime] = utcnow) -> None:
        """Refuse to run beside another live instance (``ConfigError``): the caller checks ``REDIS_URL``.

        A registration that does not move on within one lease period was left by a killed instance.
        """
        others = await self.others(clock())
        deadline = clock() + self.lease
        if others:
            log.info(
                "another instance is registered on this database: waiting up to %d s to see whether it runs",
                self.lease.total_seconds(),
            )
        while others:
            if clock() >= deadline:
                return
            await asyncio.sleep(poll)
            seen = {other.id: other.heartbeat_at for other in others}
            others = await self.others(clock())
            if any(other.id in seen and other.heartbeat_at > seen[other.id] for other in others):
                raise ConfigError(REFUSAL)
            if any(other.id not in seen for other in others):
                raise ConfigError(REFUSAL)  # one more has started meanwhile

    async def unregister(self, now: datetime | None = None) -> None:
        """A clean shutdown: the registration goes, and the lease is handed back for another to take now."""
        now = now or utcnow()
        try:
            async with writing(self.sessionmaker) as session:
                await session.execute(delete(BotInstance).where(BotInstance.id == self.id))
                await session.execute(
                    update(LeaderLease)
                    .where(LeaderLease.name == self.name, LeaderLease.holder == self.id)
                    .values(holder=None, expires_at=now)
                )
        except (SQLAlchemyError, OSError) as exc:  # the registration then expires on its own
            log.warning("could not unregister this instance (%s)", type(exc).__name__)
        self._set_leader(False)

    # --- the lease

    async def _claim(self, session: AsyncSession, now: datetime) -> bool:
        lease = LeaderLease
        result = await session.execute(
            update(lease)
            .where(
                lease.name == self.name,
                or_(lease.holder == self.id, lease.holder.is_(None), lease.expires_at < now),
            )
            .values(
                holder=self.id,
                expires_at=now + self.lease,
                acquired_at=case(
                    (lease.holder == self.id, lease.acquired_at), else_=literal(now, UtcDateTime())
                ),
            )
        )
        return bool(getattr(result, "rowcount", 0))

    async def heartbeat(self, now: datetime | None = None) -> bool:
        """Renew the registration and take or keep the lease; return whether this instance leads."""
        now = now or utcnow()
        try:
            async with writing(self.sessionmaker) as session:
                await session.execute(
                    update(BotInstance)
                    .where(BotInstance.id == self.id)
                    .values(heartbeat_at=now, expires_at=now + self.lease)
                )
                leading = await self._claim(session, now)
                if not leading and await session.get(LeaderLease, self.name) is None:
                    session.add(LeaderLease(name=self.name))
                    await session.flush()
                    leading = await self._claim(session, now)
        except IntegrityError:  # another instance created the lease row at the same moment
            leading = False
        except (SQLAlchemyError, OSError) as exc:
            log.warning("lease heartbeat failed (%s): not leading until it succeeds", type(exc).__name__)
            leading = False
        self._set_leader(leading)
        return leading

    async def beat(self) -> None:
        """The scheduler's heartbeat job."""
        await self.heartbeat()

    async def holder(self) -> str | None:
        """The instance holding the lease now, if it has not expired."""
        async with self.sessionmaker() as session:
            row = await session.get(LeaderLease, self.name)
            if row is None or row.expires_at is None or row.expires_at <= utcnow():
                return None
            return row.holder


__all__ = ["REFUSAL", "Lease", "OtherInstance"]

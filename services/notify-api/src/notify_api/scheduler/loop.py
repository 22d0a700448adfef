"""The scheduler: each tick re-plans flagged issues, fires due timers and folds digests, one transaction
per batch; several replicas may run it against one database."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy import select

from notify_api.calendar import service as calendar_service
from notify_api.delivery.service import fold_digests
from notify_api.directory.models import User
from notify_api.directory.repository import users_with_role
from notify_api.metrics import WorkMetrics, work_metrics
from notify_api.notifications.service import Outgoing, QuietHours, dispatch
from notify_api.policies.service import policies_by_campaign
from notify_api.scheduler import repository
from notify_api.scheduler.service import fire_due, replan_many
from rectify_kit.clock import Clock, business_today, pause
from rectify_kit.db import Database

log = logging.getLogger("notify.scheduler")


@dataclass(frozen=True)
class TickResult:
    replanned: int
    fired: int
    digests: int


class Scheduler:
    def __init__(
        self,
        *,
        database: Database,
        clock: Clock,
        quiet: QuietHours,
        fire_hour: int,
        batch_size: int = 500,
        metrics: WorkMetrics | None = None,
    ) -> None:
        self.database = database
        self.clock = clock
        self.quiet = quiet
        self.fire_hour = fire_hour
        self.batch_size = batch_size
        self.metrics = metrics or work_metrics()

    async def replan_flagged(self) -> int:
        """Re-plan one batch of issues flagged after a calendar or policy change."""
        async with self.database.session() as session:
            issues = await repository.issues_to_replan(session, limit=self.batch_size)
            if not issues:
                return 0
            calendar = await calendar_service.load(session)
            policies = await policies_by_campaign(session)
            now = self.clock.now()
            await replan_many(
                session, issues=issues, policies=policies, calendar=calendar, now=now, fire_hour=self.fire_hour
            )
        return len(issues)

    async def fire_batch(self) -> int:
        async with self.database.session() as session:
            calendar = await calendar_service.load(session)
            taken = await fire_due(
                session, now=self.clock.now(), limit=self.batch_size, calendar=calendar, quiet=self.quiet
            )
        self.metrics.timers.inc(taken)  # only once the batch has committed
        return taken

    async def fold(self) -> int:
        async with self.database.session() as session:
            locales = {u.id: u.locale for u in (await session.execute(select(User))).scalars()}
            return await fold_digests(session, now=self.clock.now(), locales=locales)

    async def warn_calendar(self) -> None:
        """From 1 December, tell the admins (once) that next year's official calendar is missing."""
        today = business_today(self.clock)
        if today.month != 12:
            return
        async with self.database.session() as session:
            calendar = await calendar_service.load(session)
            year = today.year + 1
            if year in calendar.official_years:
                return
            admins = [(u, "admin") for u in await users_with_role(session, "admin")]
            message = Outgoing(
                kind="calendar_missing",
                key=f"calendar-missing:{year}",
                event_type="notification.created",
                channels=frozenset({"inbox", "email"}),
                context={"year": year},
                webhook_data={"kind": "calendar_missing", "year": year},
            )
            await dispatch(
                session, message=message, users=admins, now=self.clock.now(), calendar=calendar, quiet=self.quiet
            )

    async def tick(self) -> TickResult:
        """Re-plan everything flagged, then fire until nothing is due, then fold digests."""
        replanned = fired = 0
        while batch := await self.replan_flagged():
            replanned += batch
        while True:
            batch = await self.fire_batch()
            fired += batch
            more = await self.replan_flagged()
            replanned += more
            if not batch and not more:
                break
        await self.warn_calendar()
        return TickResult(replanned=replanned, fired=fired, digests=await self.fold())

    async def run_forever(self, *, interval: float, stop: asyncio.Event | None = None) -> None:
        """Tick every `interval` seconds; an error (database down) is logged and retried with backoff."""
        delay = interval
        while stop is None or not stop.is_set():
            try:
                await self.tick()
                delay = interval
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduler tick failed; retrying in %.0fs", delay)
                delay = min(delay * 2, 60.0)
            await pause(delay, stop=stop)

"""The scheduler: each tick re-plans flagged issues, fires due timers and folds digests, one transaction per
batch; several replicas may run it against one database.

A batch of due timers reads top to bottom: escalations decide (`fire_due`), notifications turn their messages
into inbox rows and deliveries (`Batch`), and the escalations' events go to notify-api's feed (`outbox`); the
delivery worker sends the deliveries afterwards.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.calendar import service as calendar_service
from notify_api.calendar.quiet import QuietHours
from notify_api.delivery import repository as deliveries
from notify_api.directory import repository as directory
from notify_api.directory.service import Addressbook
from notify_api.escalations import firing, plans
from notify_api.escalations import repository as timers
from notify_api.issues import repository as issues
from notify_api.metrics import WorkMetrics, work_metrics
from notify_api.notifications import digest
from notify_api.notifications.batch import Batch, routes
from notify_api.notifications.broker import InboxBroker
from notify_api.notifications.messages import Message
from notify_api.outbox import events
from notify_api.policies.service import policies_by_campaign
from notify_api.submitters import repository as submitter_rows
from notify_api.submitters import service as submitters
from rectify_kit.clock import Clock, business_today
from rectify_kit.db import Database
from rectify_kit.outbox import append_events

# How often December's missing-calendar warning is sent again (to admins added since; see `warn_calendar`).
CALENDAR_WARNING_RECHECK_SECONDS = 600.0


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
        inbox: InboxBroker | None = None,
        public_url: str = "http://127.0.0.1:8000",
    ) -> None:
        self.database = database
        self.clock = clock
        self.quiet = quiet
        self.fire_hour = fire_hour
        self.batch_size = batch_size
        self.metrics = metrics or work_metrics()
        self.inbox = inbox or InboxBroker()
        self.public_url = public_url
        self._calendar_checked: float | None = None  # when `warn_calendar` last sent its message (monotonic)

    async def replan_flagged(self) -> int:
        """Re-plan one batch of issues flagged after a calendar, policy or notice change."""
        async with self.database.session() as session:
            flagged = await issues.to_replan(session, limit=self.batch_size)
            if not flagged:
                return 0
            await plans.replan_many(
                session,
                issues=flagged,
                policies=await policies_by_campaign(session),
                calendar=await calendar_service.load(session),
                now=self.clock.now(),
                fire_hour=self.fire_hour,
            )
        return len(flagged)

    async def fire_batch(self) -> int:
        """Fire one batch of due timers: escalations → notifications → deliveries queued → notify-api's feed."""
        now = self.clock.now()
        async with self.database.session() as session:
            calendar = calendar_service.LazyCalendar(session)
            fired = await firing.fire_due(session, now=now, limit=self.batch_size, calendar=calendar)
            await self._send(session, fired.messages, calendar=calendar)
            await append_events(session, events, fired.events)
        self.metrics.timers.inc(fired.taken)  # only once the batch has committed
        return fired.taken

    async def ask_feedback(self) -> int:
        """Ask the submitters of issues closed a working day ago for their feedback (回访), once; one batch."""
        now = self.clock.now()
        async with self.database.session() as session:
            asks = await submitters.due_feedback(session, now=now, limit=self.batch_size, public_url=self.public_url)
            await self._send(session, asks, calendar=calendar_service.LazyCalendar(session))
        return len(asks)

    async def fold(self) -> int:
        async with self.database.session() as session:
            return await digest.fold(session, now=self.clock.now(), locales=directory.locales)

    async def warn_calendar(self) -> None:
        """From 1 December, tell the admins (once) that next year's official calendar is missing.

        Asked again every CALENDAR_WARNING_RECHECK_SECONDS, not at every tick: the message is sent once per
        admin (its keys), so a recheck only reaches an admin added since, and every tick of December cost four
        reads and a write transaction for nothing.
        """
        today = business_today(self.clock)
        if today.month != 12:
            return
        now = time.monotonic()
        if self._calendar_checked is not None and now - self._calendar_checked < CALENDAR_WARNING_RECHECK_SECONDS:
            return
        async with self.database.session() as session:
            calendar = calendar_service.LazyCalendar(session)
            year = today.year + 1
            if year in (await calendar.get()).official_years:
                return
            admins = await Addressbook(session).recipients(kinds=("admins",), lead_unit_id=None, co_unit_ids=())
            message = Message(
                kind="calendar_missing",
                key=f"calendar-missing:{year}",
                recipients=admins,
                context={"year": year},
                channels=frozenset({"inbox", "email"}),
                webhook_data={"kind": "calendar_missing", "year": year},
            )
            await self._send(session, [message], calendar=calendar)
        self._calendar_checked = now  # once sent (committed): a failed send is tried again at the next tick

    async def _send(
        self, session: AsyncSession, messages: list[Message], *, calendar: calendar_service.LazyCalendar
    ) -> None:
        if not messages:
            return
        batch = Batch(
            routes=await routes(session), now=self.clock.now(), calendar=await calendar.get(), quiet=self.quiet
        )
        for message in messages:
            batch.add(message)
        await batch.flush(session, inbox=self.inbox)

    async def has_work(self) -> bool:
        """Whether a tick would find anything to re-plan, fire, ask or fold: one read, where a tick that finds
        nothing costs a writing transaction for each (most ticks of a system at rest find nothing). A row
        another replica holds counts (the tick then skips it as before)."""
        now = self.clock.now()
        query = select(
            exists().where(issues.flagged()),
            exists().where(timers.due(now)),
            exists().where(submitter_rows.asking_due(now)),
            exists().where(deliveries.held_until(now)),
        )
        async with self.database.read_connection() as connection:
            return any((await connection.execute(query)).one())

    async def tick(self) -> TickResult:
        """Re-plan everything flagged, then fire until nothing is due, then fold digests."""
        if not await self.has_work():
            await self.warn_calendar()
            return TickResult(replanned=0, fired=0, digests=0)
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
        while await self.ask_feedback():
            pass
        return TickResult(replanned=replanned, fired=fired, digests=await self.fold())

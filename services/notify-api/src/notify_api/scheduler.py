"""The scheduler: each tick re-plans flagged issues, fires due timers and folds digests, one transaction per
batch; several replicas may run it against one database.

A batch of due timers reads top to bottom: escalations decide (`fire_due`), notifications turn their messages
into inbox rows and deliveries (`Batch`), and the escalations' events go to notify-api's feed (`outbox`); the
delivery worker sends the deliveries afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.calendar import service as calendar_service
from notify_api.calendar.quiet import QuietHours
from notify_api.directory import repository as directory
from notify_api.directory.service import Addressbook
from notify_api.escalations import firing, plans
from notify_api.issues import repository as issues
from notify_api.metrics import WorkMetrics, work_metrics
from notify_api.notifications import digest
from notify_api.notifications.batch import Batch, routes
from notify_api.notifications.broker import InboxBroker
from notify_api.notifications.messages import Message
from notify_api.outbox import events
from notify_api.policies.service import policies_by_campaign
from notify_api.submitters import service as submitters
from rectify_kit.clock import Clock, business_today
from rectify_kit.db import Database
from rectify_kit.outbox import append_events
from rectify_kit.workdays import WorkCalendar


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
            calendar = await calendar_service.load(session)
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
            await self._send(session, asks, calendar=await calendar_service.load(session))
        return len(asks)

    async def fold(self) -> int:
        async with self.database.session() as session:
            locales = await directory.locales(session)
            return await digest.fold(session, now=self.clock.now(), locales=locales)

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

    async def _send(self, session: AsyncSession, messages: list[Message], *, calendar: WorkCalendar) -> None:
        if not messages:
            return
        batch = Batch(routes=await routes(session), now=self.clock.now(), calendar=calendar, quiet=self.quiet)
        for message in messages:
            batch.add(message)
        await batch.flush(session, inbox=self.inbox)

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
        while await self.ask_feedback():
            pass
        return TickResult(replanned=replanned, fired=fired, digests=await self.fold())

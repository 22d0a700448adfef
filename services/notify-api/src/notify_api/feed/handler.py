"""The issues feed handler: routes each event to the domain that keeps its state, re-plans the issue's
escalation timers and sends what the event tells at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.calendar import service as calendar_service
from notify_api.calendar.quiet import QuietHours
from notify_api.directory import service as directory
from notify_api.directory.service import Addressbook
from notify_api.escalations import plans
from notify_api.feed import notices, people
from notify_api.issues import repository as issues_repository
from notify_api.issues import service as issues
from notify_api.notifications.batch import Batch, Routes, routes
from notify_api.notifications.broker import InboxBroker
from notify_api.notifications.messages import Event, Message
from notify_api.policies import service as policy_service
from notify_api.submitters import service as submitters
from rectify_kit.clock import Clock
from rectify_kit.feed import FeedEvent
from rectify_kit.workdays import WorkCalendar


@dataclass
class PageContext:
    """What applying a page of events (one transaction) reads once: the calendar, where messages may go, and
    who is who (looked up anew after a directory event)."""

    session: AsyncSession
    calendar: WorkCalendar
    routes: Routes
    book: Addressbook


class IssuesFeedHandler:
    """Called by FeedConsumer once per event, inside the transaction that moves the cursor."""

    def __init__(self, *, clock: Clock, quiet: QuietHours, fire_hour: int, inbox: InboxBroker, public_url: str) -> None:
        self.clock = clock
        self.quiet = quiet
        self.fire_hour = fire_hour
        self.inbox = inbox
        self.public_url = public_url
        self._page: PageContext | None = None

    async def _context(self, session: AsyncSession) -> PageContext:
        if self._page is None or self._page.session is not session:
            calendar = await calendar_service.load(session)
            self._page = PageContext(session, calendar, await routes(session), Addressbook(session))
        return self._page

    async def __call__(self, session: AsyncSession, item: FeedEvent) -> None:
        kind = item.type.split(".", 1)[0]
        if kind in ("unit", "user") and kind in item.data:
            await self._directory(session, item)
        elif kind == "client" and isinstance(item.data.get("client"), dict):
            await directory.apply_client(session, data=item.data["client"])
            self._page = None  # the next event of this page reads the subscriptions' owners anew
        elif kind == "issue" and "issue" in item.data:
            await self._issue(session, item)
        elif kind == "campaign" and isinstance(item.data.get("campaign"), dict):
            await policy_service.apply_campaign(
                session, campaign=item.data["campaign"], occurred_at=self._occurred_at(item), clock=self.clock
            )
        elif kind == "intake" and isinstance(item.data.get("intake"), dict):
            await self._intake(session, item)

    async def _directory(self, session: AsyncSession, item: FeedEvent) -> None:
        if item.type.startswith("unit."):
            await directory.apply_unit(session, data=item.data["unit"])
        else:
            await directory.apply_user(session, data=item.data["user"])
        if self._page is not None and self._page.session is session:
            self._page.book = Addressbook(session)

    async def _issue(self, session: AsyncSession, item: FeedEvent) -> None:
        """Keep the issue's state, re-plan its timers and notify whoever must act now; an event older than the
        state already applied (a replay from 0) changes nothing."""
        state = await issues.apply_event(session, event_type=item.type, seq=item.seq, data=item.data)
        if state is None:
            return
        page = await self._context(session)
        policy = await policy_service.policy_for(session, state.campaign_id)
        await plans.replan(
            session, issue=state, policy=policy, calendar=page.calendar, now=self.clock.now(), fire_hour=self.fire_hour
        )
        notice = await notices.issue_notice(
            page.book, state=state, event_type=item.type, event_id=item.id, data=item.data
        )
        personal = await people.person_notices(page.book, state=state, item=item, app_url=self.public_url)
        told = await submitters.on_issue_event(
            session,
            issue=state,
            event_type=item.type,
            event_id=item.id,
            data=item.data,
            calendar=page.calendar,
            fire_hour=self.fire_hour,
            now=self.clock.now(),
            public_url=self.public_url,
        )
        named = [m for m in (notice, *personal) if m is not None]
        await self._send(page, [*named, *told], notices.hook_event(item, state=state))

    async def _intake(self, session: AsyncSession, item: FeedEvent) -> None:
        """A new submission waits for the office; every intake event goes to the subscriptions that take it,
        about the issue it was accepted or merged into."""
        page = await self._context(session)
        messages = await submitters.on_intake_event(
            session, event_type=item.type, event_id=item.id, data=item.data, public_url=self.public_url
        )
        if item.type == "intake.submitted":
            messages.append(await notices.intake_notice(page.book, event_id=item.id, data=item.data))
        issue_id = item.data["intake"].get("issue_id")
        state = await issues_repository.get(session, str(issue_id)) if issue_id else None
        await self._send(page, messages, notices.hook_event(item, state=state))

    async def _send(self, page: PageContext, messages: list[Message], event: Event) -> None:
        batch = Batch(routes=page.routes, now=self.clock.now(), calendar=page.calendar, quiet=self.quiet)
        for message in messages:
            batch.add(message)
        batch.add_event(event)
        await batch.flush(page.session, inbox=self.inbox)

    def _occurred_at(self, item: FeedEvent) -> datetime:
        try:
            at = datetime.fromisoformat(item.occurred_at)
        except ValueError:
            return self.clock.now()
        return at if at.tzinfo else at.replace(tzinfo=UTC)

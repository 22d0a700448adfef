"""The issues feed handler: routes each event to the domain that keeps its state, re-plans the issue's
escalation timers and sends what the event tells at once; a page of events at a time, so that what the page
needs is read in a few statements and what it tells written in a few more."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
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
from notify_api.issues.models import IssueRow
from notify_api.notifications.batch import Batch, Routes, routes
from notify_api.notifications.broker import InboxBroker
from notify_api.notifications.messages import Message
from notify_api.policies import service as policy_service
from notify_api.policies.schemas import EscalationPolicy
from notify_api.submitters import repository as submitters_repository
from notify_api.submitters import service as submitters
from rectify_kit.clock import Clock
from rectify_kit.feed import FeedEvent
from rectify_kit.workdays import WorkCalendar


@dataclass
class PageContext:
    """What applying a page of events (one transaction) reads once: the webhook subscriptions, who is who (looked
    up anew after a directory event), the page's issues with their timers and notices; when first needed, the
    calendar (to plan or time a message), the channels' settings (to send a message) and the campaigns' policies
    (anew after a campaign event); and the batch of the page's messages and the issues it changed, written when
    the page is done (the issues before a campaign event too). A page that tells no one and plans nothing (of
    unassigned items' creates, say) reads neither the calendar nor the channels."""

    session: AsyncSession
    routes: Routes
    book: Addressbook
    batch: Batch
    # Each issue of the page as read when the page began (None: not stored yet), and as applied since: plain rows,
    # written in a few Core statements by `write`.
    states: dict[str, IssueRow | None]
    planning: plans.Planning
    # The page's issues that submitters of public complaints follow, as read when the page began, and those an
    # intake event of the page went into: only their events read the submitters (most issues have none).
    followed: set[str]
    policies: dict[str, EscalationPolicy] = field(default_factory=dict)
    # The issues changed since the page last wrote them, and the re-planning flag each stored one has as stored.
    changed: set[str] = field(default_factory=set)
    stored: dict[str, bool] = field(default_factory=dict)
    calendar: WorkCalendar | None = None

    def __post_init__(self) -> None:
        self.stored = {i: row.needs_replan for i, row in self.states.items() if row is not None}

    async def work_calendar(self) -> WorkCalendar:
        if self.calendar is None:
            self.calendar = await calendar_service.load(self.session)
        return self.calendar

    async def for_messages(self) -> Batch:
        """The batch, with the calendar its messages are timed by and the channels they may go to read."""
        if not self.routes.channels_read:
            self.routes = await routes(self.session)
        self.batch.routes, self.batch.calendar = self.routes, await self.work_calendar()
        return self.batch

    async def policy(self, campaign_id: str) -> EscalationPolicy:
        if campaign_id not in self.policies:
            self.policies[campaign_id] = await policy_service.policy_for(self.session, campaign_id)
        return self.policies[campaign_id]

    async def state(self, issue_id: str) -> IssueRow | None:
        if issue_id not in self.states:
            row = (await issues_repository.rows_by_id(self.session, {issue_id})).get(issue_id)
            self.states[issue_id] = row
            if row is not None:
                self.stored[issue_id] = row.needs_replan
        return self.states[issue_id]

    async def write(self) -> None:
        """Write the issues changed since the last write: the new ones whole, what the feed carries of the others,
        and a re-planning flag only where it moved (`issues.repository.write_rows`)."""
        rows = [row for i in sorted(self.changed) if (row := self.states[i]) is not None]
        if not rows:
            return
        new = [row for row in rows if row.id not in self.stored]
        moved = [row for row in rows if row.id in self.stored]
        flags = {row.id: row.needs_replan for row in moved if row.needs_replan != self.stored[row.id]}
        await issues_repository.write_rows(self.session, new=new, changed=moved, flags=flags)
        self.stored.update((row.id, row.needs_replan) for row in rows)
        self.changed.clear()

    async def read_again(self) -> None:
        """Read the stored issues anew (a campaign's policy changed: its issues are flagged for re-planning)."""
        self.states.update(await issues_repository.rows_by_id(self.session, set(self.stored)))
        self.stored = {i: row.needs_replan for i, row in self.states.items() if row is not None}


def _issue_id(item: FeedEvent) -> str | None:
    """The issue an event of the issues feed is about (an intake's once it is accepted or merged), if any."""
    if item.type.startswith("issue.") and isinstance(item.data.get("issue"), dict):
        return str(item.data["issue"]["id"])
    intake = item.data.get("intake")
    if item.type.startswith("intake.") and isinstance(intake, dict) and intake.get("issue_id"):
        return str(intake["issue_id"])
    return None


class IssuesFeedHandler:
    """Applies the issues feed's events inside the transaction that moves the cursor, a page at a time
    (`apply_page`, the kit's `FeedConsumer`'s page handler)."""

    def __init__(self, *, clock: Clock, quiet: QuietHours, fire_hour: int, inbox: InboxBroker, public_url: str) -> None:
        self.clock = clock
        self.quiet = quiet
        self.fire_hour = fire_hour
        self.inbox = inbox
        self.public_url = public_url
        self._page: PageContext | None = None
        self._events: Sequence[FeedEvent] = ()

    async def apply_page(self, session: AsyncSession, events: Sequence[FeedEvent]) -> None:
        """Apply `events` in order, their messages and webhook deliveries written together at the end."""
        self._page, self._events = None, events
        try:
            for item in events:
                await self._apply(session, item)
            if self._page is not None:
                await self._page.write()
                await self._page.batch.flush(session, inbox=self.inbox)
        finally:
            self._page, self._events = None, ()

    async def _context(self, session: AsyncSession) -> PageContext:
        """Read when the page's first issue or intake event needs it (after the directory events before it): the
        webhook subscriptions, and the page's issues, their timers and open notices, and which of them submitters
        follow, a query each."""
        if self._page is None:
            found = await issues_repository.rows_by_id(session, {i for e in self._events if (i := _issue_id(e))})
            mentioned = {i for e in self._events if e.type.startswith("issue.") and (i := _issue_id(e))}
            states: dict[str, IssueRow | None] = {i: found.get(i) for i in mentioned | set(found)}
            planning = await plans.Planning.read(
                session, [i for i in mentioned if i in found], new=[i for i in mentioned if i not in found]
            )
            concerned = {i for e in self._events if submitters.concerns(e.type) and (i := _issue_id(e))}
            followed = await submitters_repository.followed(session, sorted(concerned))
            page_routes = await routes(session, channels=False)
            batch = Batch(routes=page_routes, now=self.clock.now(), quiet=self.quiet)
            self._page = PageContext(session, page_routes, Addressbook(session), batch, states, planning, followed)
        return self._page

    async def _apply(self, session: AsyncSession, item: FeedEvent) -> None:
        kind = item.type.split(".", 1)[0]
        if kind in ("unit", "user") and kind in item.data:
            await self._directory(session, item)
        elif kind == "client" and isinstance(item.data.get("client"), dict):
            await directory.apply_client(session, data=item.data["client"])
            if self._page is not None:  # the next event of this page reads the subscriptions' owners anew
                self._page.routes, self._page.book = await routes(session), Addressbook(session)
        elif kind == "issue" and "issue" in item.data:
            await self._issue(session, item)
        elif kind == "campaign" and isinstance(item.data.get("campaign"), dict):
            await session.flush()
            if self._page is not None:  # issues new in this page are flagged too when the policy changes
                await self._page.write()
            await policy_service.apply_campaign(
                session, campaign=item.data["campaign"], occurred_at=self._occurred_at(item), clock=self.clock
            )
            if self._page is not None:
                self._page.policies.clear()
                await self._page.read_again()
        elif kind == "intake" and isinstance(item.data.get("intake"), dict):
            await self._intake(session, item)

    async def _directory(self, session: AsyncSession, item: FeedEvent) -> None:
        if item.type.startswith("unit."):
            await directory.apply_unit(session, data=item.data["unit"])
        else:
            await directory.apply_user(session, data=item.data["user"])
        if self._page is not None:
            self._page.book = Addressbook(session)

    async def _issue(self, session: AsyncSession, item: FeedEvent) -> None:
        """Keep the issue's state, re-plan its timers and notify whoever must act now; an event older than the
        state already applied (a replay from 0) changes nothing.

        The timers are a function of the plan's facts (`plans.facts_of`), the policy, the calendar and the open
        notices; a change of the last three flags the issue (`needs_replan`), so an event that leaves the facts
        as they were and finds no flag would re-plan to the same timers, and is not re-planned; nor is an issue
        whose status plans no timer and which has none pending (`plans.unplanned`: an unassigned item's
        `issue.created`), nor its policy read."""
        page = await self._context(session)
        issue_id = str(item.data["issue"]["id"])
        known = await page.state(issue_id)
        before = plans.facts_of(known) if known is not None else None
        state = issues.apply_event(known, event_type=item.type, seq=item.seq, data=item.data)
        if state is None:
            return
        page.states[issue_id] = state
        page.changed.add(issue_id)
        moved = before is None or state.needs_replan or plans.facts_of(state) != before
        if moved and not plans.unplanned(state, page.planning):
            await plans.replan(
                session,
                issue=state,
                policy=await page.policy(state.campaign_id),
                calendar=await page.work_calendar(),
                now=self.clock.now(),
                fire_hour=self.fire_hour,
                known=page.planning,
            )
        notice = await notices.issue_notice(
            page.book, state=state, event_type=item.type, event_id=item.id, data=item.data
        )
        personal = await people.person_notices(page.book, state=state, item=item, app_url=self.public_url)
        told = []
        if submitters.concerns(item.type) and issue_id in page.followed:
            told = await submitters.on_issue_event(
                session,
                issue=state,
                event_type=item.type,
                event_id=item.id,
                data=item.data,
                calendar=await page.work_calendar(),
                fire_hour=self.fire_hour,
                now=self.clock.now(),
                public_url=self.public_url,
            )
        named = [m for m in (notice, *personal) if m is not None]
        await self._send(page, [*named, *told], item, state)

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
        if issue_id:  # its submitter, if any, now follows the issue
            page.followed.add(str(issue_id))
        state = await page.state(str(issue_id)) if issue_id else None
        await self._send(page, messages, item, state)

    async def _send(self, page: PageContext, messages: list[Message], item: FeedEvent, state: IssueRow | None) -> None:
        """Add the event's messages to the page's batch, timed and routed as of this event, and the event itself
        for the webhook subscriptions (not built when there are none)."""
        batch = await page.for_messages() if messages else page.batch
        batch.routes, batch.now = page.routes, self.clock.now()
        for message in messages:
            batch.add(message)
        if page.routes.subscriptions:
            batch.add_event(notices.hook_event(item, state=state))

    def _occurred_at(self, item: FeedEvent) -> datetime:
        try:
            at = datetime.fromisoformat(item.occurred_at)
        except ValueError:
            return self.clock.now()
        return at if at.tzinfo else at.replace(tzinfo=UTC)

"""The issues feed handler: routes each event to the domain that keeps its state."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.calendar import service as calendar_service
from notify_api.calendar.workdays import WorkCalendar
from notify_api.directory import service as directory
from notify_api.issues.service import ApplyContext, apply_issue_event, notify_intake
from notify_api.notifications.service import QuietHours
from notify_api.policies import service as policy_service
from rectify_kit.clock import Clock
from rectify_kit.consumer import FeedItem


class IssuesFeedHandler:
    """Called by FeedConsumer once per event, inside the transaction that moves the cursor.

    The calendar is read once per transaction (a page of events), not once per event.
    """

    def __init__(self, *, clock: Clock, quiet: QuietHours, fire_hour: int) -> None:
        self.clock = clock
        self.quiet = quiet
        self.fire_hour = fire_hour
        self._session: AsyncSession | None = None
        self._calendar: WorkCalendar | None = None

    async def _context(self, session: AsyncSession) -> ApplyContext:
        if session is not self._session or self._calendar is None:
            self._session, self._calendar = session, await calendar_service.load(session)
        return ApplyContext(now=self.clock.now(), calendar=self._calendar, quiet=self.quiet, fire_hour=self.fire_hour)

    async def __call__(self, session: AsyncSession, item: FeedItem) -> None:
        kind = item.type.split(".", 1)[0]
        if kind == "unit" and "unit" in item.data:
            await directory.apply_unit(session, data=item.data["unit"])
        elif kind == "user" and "user" in item.data:
            await directory.apply_user(session, data=item.data["user"])
        elif kind == "issue" and "issue" in item.data:
            await apply_issue_event(
                session,
                event_type=item.type,
                event_id=item.id,
                seq=item.seq,
                data=item.data,
                ctx=await self._context(session),
            )
        elif kind == "campaign" and isinstance(item.data.get("campaign"), dict):
            await policy_service.apply_campaign(
                session, campaign=item.data["campaign"], occurred_at=self._occurred_at(item), clock=self.clock
            )
        elif item.type == "intake.submitted":
            await notify_intake(session, event_id=item.id, data=item.data, ctx=await self._context(session))

    def _occurred_at(self, item: FeedItem) -> datetime:
        try:
            at = datetime.fromisoformat(item.occurred_at)
        except ValueError:
            return self.clock.now()
        return at if at.tzinfo else at.replace(tzinfo=UTC)

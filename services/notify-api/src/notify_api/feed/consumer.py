"""The kit's feed consumer, handing the handler each page whole (`IssuesFeedHandler.apply_page`)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Table

from notify_api.feed.handler import IssuesFeedHandler
from rectify_kit.consumer import FeedConsumer, FeedSource, FetchedPage
from rectify_kit.db import Database


class IssuesFeedConsumer(FeedConsumer):
    """As `FeedConsumer`: a page per transaction, cursor included, events already applied (by an earlier run or
    another replica) left out; but the handler gets the page's events at once."""

    def __init__(
        self, *, name: str, database: Database, cursor_table: Table, source: FeedSource, handler: IssuesFeedHandler
    ) -> None:
        super().__init__(name=name, database=database, cursor_table=cursor_table, source=source, handler=handler)
        self.pages = handler

    async def apply(self, page: FetchedPage) -> int:
        async with self.database.session(write=True) as session:
            current = await self._locked_position(session)
            events = [item for item in page.events if item.seq > current]
            await self.pages.apply_page(session, events)
            current = max(current, *(item.seq for item in events[-1:]), page.next)
            await self._store(session, current, page.head, page.asked_at or datetime.now(UTC))
        return len(events)

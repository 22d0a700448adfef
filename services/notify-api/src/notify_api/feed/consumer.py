"""The kit's feed consumer, handing the handler each page whole (`IssuesFeedHandler.apply_page`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.feed.handler import IssuesFeedHandler
from rectify_kit.consumer import FeedConsumer, FeedSource
from rectify_kit.db import Database
from rectify_kit.feed import FeedEvent


class IssuesFeedConsumer(FeedConsumer):
    """As `FeedConsumer`: a page per transaction, cursor included, events already applied (by an earlier run or
    another replica) left out; but the handler gets the page's events at once."""

    def __init__(
        self, *, name: str, database: Database, cursor_table: Table, source: FeedSource, handler: IssuesFeedHandler
    ) -> None:
        super().__init__(name=name, database=database, cursor_table=cursor_table, source=source, handler=handler)
        self.pages = handler

    async def apply_events(self, session: AsyncSession, events: Sequence[FeedEvent]) -> None:
        await self.pages.apply_page(session, events)

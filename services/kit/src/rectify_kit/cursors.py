"""A feed consumer's cursor: its table, and how far behind its feed it is.

Apart from consumer.py so that a service's models (and `migrate`, which imports them) do not import the consumer's
HTTP client and the feed's router.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import BigInteger, Column, MetaData, String, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit.db import UTCDateTime


def make_cursor_table(metadata: MetaData, name: str = "feed_cursors") -> Table:
    return Table(
        name,
        metadata,
        Column("name", String(100), primary_key=True),
        Column("position", BigInteger(), nullable=False, default=0),
        Column("head", BigInteger(), nullable=False, default=0),
        Column("updated_at", UTCDateTime(), nullable=True),
    )


class CursorState(NamedTuple):
    """Where a consumer is: the last sequence applied, the feed's head and when that head was known."""

    position: int
    head: int
    checked_at: datetime | None

    def lag(self, *, max_age_seconds: float) -> int | None:
        """Events the feed held at `checked_at` that are not applied yet; None (unknown) when the head was never
        read or not confirmed for `max_age_seconds` (the consumer is stuck, or its feed out of reach). Events
        committed after `checked_at` are not counted: a lag of 0 means up to date as of `checked_at`, not now."""
        if self.checked_at is None or (datetime.now(UTC) - self.checked_at).total_seconds() > max_age_seconds:
            return None
        return max(self.head - self.position, 0)


async def cursor_state(session: AsyncSession, table: Table, name: str) -> CursorState:
    """The freshness of what this service shows from the feed `name`."""
    query = select(table.c.position, table.c.head, table.c.updated_at).where(table.c.name == name)
    row = (await session.execute(query)).first()
    if row is None:
        return CursorState(0, 0, None)
    return CursorState(int(row.position), int(row.head), row.updated_at)

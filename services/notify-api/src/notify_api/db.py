"""This service's tables live on one metadata; its migrations are generated against it. Bulk helpers for the
batches of a tick: rows are written with plain INSERTs, never as thousands of ORM objects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, InstrumentedAttribute

from rectify_kit.db import make_metadata

metadata = make_metadata()
CHUNK = 500


class Base(DeclarativeBase):
    metadata = metadata


async def insert_rows(session: AsyncSession, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows` of `model`, a chunk per statement."""
    for i in range(0, len(rows), CHUNK):
        await session.execute(insert(model), list(rows[i : i + CHUNK]))


async def present(
    session: AsyncSession, column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None], values: Sequence[str]
) -> set[str]:
    """Which of `values` `column` already holds: a statement per 500 values, none for none."""
    found: set[str] = set()
    for i in range(0, len(values), CHUNK):
        query = select(column).where(column.in_(list(values[i : i + CHUNK])))
        found.update(value for value in (await session.execute(query)).scalars() if value is not None)
    return found

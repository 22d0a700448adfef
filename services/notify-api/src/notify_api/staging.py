"""Rows staged in a transaction and written with one INSERT per table: a batch of 500 firings writes its
inbox rows and deliveries in a few statements instead of building thousands of ORM objects."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.db import Base

STAGED_KEY = "notify_staged_rows"
CHUNK = 1000


def stage(session: AsyncSession, model: type[Base], row: dict[str, Any]) -> None:
    staged: dict[type[Base], list[dict[str, Any]]] = session.info.setdefault(STAGED_KEY, {})
    staged.setdefault(model, []).append(row)


async def write_staged(session: AsyncSession) -> None:
    """Insert everything staged in this session (call before the transaction ends)."""
    staged: dict[type[Base], list[dict[str, Any]]] = session.info.pop(STAGED_KEY, {})
    for model, rows in staged.items():
        for i in range(0, len(rows), CHUNK):
            await session.execute(insert(model), rows[i : i + CHUNK])

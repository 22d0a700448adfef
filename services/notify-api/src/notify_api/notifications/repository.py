"""Queries of the inbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.db import insert_rows, present
from notify_api.notifications.models import Notification


async def existing_keys(session: AsyncSession, dedupe_keys: list[str]) -> set[str]:
    return await present(session, Notification.dedupe_key, dedupe_keys)


async def insert(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    await insert_rows(session, Notification, rows)


def _filters(user_id: str, unread: bool | None) -> list[ColumnElement[bool]]:
    found = [Notification.user_id == user_id]
    if unread is True:
        found.append(Notification.read_at.is_(None))
    elif unread is False:
        found.append(Notification.read_at.is_not(None))
    return found


async def count(session: AsyncSession, *, user_id: str, unread: bool | None) -> int:
    query = select(func.count()).select_from(Notification).where(*_filters(user_id, unread))
    return int((await session.execute(query)).scalar_one())


async def page(
    session: AsyncSession, *, user_id: str, unread: bool | None, after: tuple[datetime, str] | None, limit: int
) -> list[Notification]:
    query = select(Notification).where(*_filters(user_id, unread))
    if after is not None:
        query = query.where(
            or_(
                Notification.created_at < after[0],
                (Notification.created_at == after[0]) & (Notification.id < after[1]),
            )
        )
    query = query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    return list((await session.execute(query)).scalars())


async def unread_count(session: AsyncSession, *, user_id: str) -> int:
    query = select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    return int((await session.execute(query)).scalar_one())


async def get_for_user(session: AsyncSession, *, notification_id: str, user_id: str) -> Notification | None:
    query = select(Notification).where(Notification.id == notification_id, Notification.user_id == user_id)
    return (await session.execute(query)).scalar_one_or_none()


async def mark_all_read(session: AsyncSession, *, user_id: str, now: datetime) -> int:
    query = (
        update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None)).values(read_at=now)
    )
    result = await session.execute(query)
    return int(getattr(result, "rowcount", 0) or 0)

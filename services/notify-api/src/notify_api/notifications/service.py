"""The user's own inbox: marking messages read, one or all."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.notifications import repository
from notify_api.notifications.errors import NotificationNotFound
from notify_api.notifications.models import Notification


async def mark_read(session: AsyncSession, *, notification_id: str, user_id: str, now: datetime) -> Notification:
    """Mark one of the user's own notifications read (another user's is not found)."""
    notification = await repository.get_for_user(session, notification_id=notification_id, user_id=user_id)
    if notification is None:
        raise NotificationNotFound(notification_id)
    if notification.read_at is None:
        notification.read_at = now
        await session.flush()
    return notification


async def mark_all_read(session: AsyncSession, *, user_id: str, now: datetime) -> int:
    """Mark every unread notification of the user read (never another user's); returns how many."""
    return await repository.mark_all_read(session, user_id=user_id, now=now)

"""The daily digest: each user's held reminders folded into one e-mail on the working morning."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.delivery import repository as deliveries
from notify_api.delivery.models import Delivery, queued
from notify_api.notifications.templates import render


async def fold(
    session: AsyncSession, *, now: datetime, locales: Callable[[AsyncSession], Awaitable[dict[str, str]]]
) -> int:
    """Fold each user's held reminders that are due into one digest e-mail; returns how many digests were
    queued. `locales` reads the users' locales, only when there is something to fold (most ticks have not)."""
    held = await deliveries.held_due(session, now=now)
    if not held:
        return 0
    user_locales = await locales(session)
    by_user: dict[tuple[str | None, str], list[Delivery]] = defaultdict(list)
    for d in held:
        by_user[(d.user_id, d.target)].append(d)
    digests = []
    for (user_id, target), items in by_user.items():
        title, body = render(
            "digest", user_locales.get(user_id or ""), {"count": len(items), "lines": [i.subject for i in items]}
        )
        digests.append(
            queued(
                dedupe_key=f"digest:{items[0].id}",
                channel="email",
                target=target,
                event_type="digest",
                subject=title,
                body=body,
                user_id=user_id,
                at=now,
            )
        )
        for item in items:
            item.status = "folded"
    await session.flush()
    written = await deliveries.existing_keys(session, [d["dedupe_key"] for d in digests])
    await deliveries.insert(session, [d for d in digests if d["dedupe_key"] not in written])
    return len(by_user)

"""Sending a message: one inbox row per user at once, and the deliveries of every other channel queued in
the same transaction (quiet hours and the digest decide when they may go out)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.calendar.workdays import WorkCalendar
from notify_api.delivery import repository as delivery_repository
from notify_api.delivery.channels import dingtalk_message, wecom_message
from notify_api.delivery.quiet import digest_at, release_at
from notify_api.delivery.service import enqueue
from notify_api.directory.models import User
from notify_api.notifications import repository
from notify_api.notifications.broker import PENDING_KEY
from notify_api.notifications.errors import NotificationNotFound
from notify_api.notifications.models import Notification
from notify_api.notifications.templates import render
from notify_api.staging import stage
from notify_api.webhooks import repository as webhook_repository

ROBOTS = ("wecom", "dingtalk")
T = TypeVar("T")


@dataclass(frozen=True)
class QuietHours:
    start_hour: int = 20
    end_hour: int = 8


@dataclass(frozen=True)
class Outgoing:
    """One message to several users; `key` makes it idempotent (event id or escalation dedupe key)."""

    kind: str
    key: str
    event_type: str
    channels: frozenset[str]
    context: dict[str, Any]
    level: int | None = None
    issue_id: str | None = None
    escalation_id: str | None = None
    webhook_data: dict[str, Any] = field(default_factory=dict)


async def dispatch(
    session: AsyncSession,
    *,
    message: Outgoing,
    users: list[tuple[User, str]],
    now: datetime,
    calendar: WorkCalendar,
    quiet: QuietHours,
    fresh: bool = False,
) -> None:
    """Write the inbox rows and queue e-mail, SMS, robot and webhook deliveries for `message`.

    Every row is keyed by `message.key`, so a second dispatch of one message adds nothing; `fresh` says the
    key was just created in this transaction (a new escalation), so those look-ups are skipped and the rows
    are staged for the caller's `write_staged`.
    """
    channel_rows = await _cached(session, "channels", delivery_repository.channel_settings)
    enabled = {c: row.enabled for c, row in channel_rows.items()}

    def wait(channel: str) -> datetime:
        return release_at(
            now,
            channel=channel,
            level=message.level,
            calendar=calendar,
            start_hour=quiet.start_hour,
            end_hour=quiet.end_hour,
        )

    for user, role in users:
        title, body = render(message.kind, user.locale, {**message.context, "role": role})
        await _inbox(session, message=message, user=user, title=title, body=body, now=now, fresh=fresh)
        # Reminders (level 0) to a user who opted in wait for the daily digest.
        digest = user.digest_opt_in and message.level == 0
        if "email" in message.channels and user.email and enabled.get("email", True):
            await enqueue(
                session,
                dedupe_key=f"{message.key}:{user.id}:email",
                channel="email",
                target=user.email,
                user_id=user.id,
                event_type=message.event_type,
                level=message.level,
                subject=title,
                body=body,
                now=now,
                not_before=digest_at(now, calendar=calendar, hour=quiet.end_hour) if digest else wait("email"),
                check=not fresh,
                bulk=fresh,
                held=digest,
            )
        if "sms" in message.channels and user.phone and enabled.get("sms") and channel_rows["sms"].config.get("url"):
            await enqueue(
                session,
                dedupe_key=f"{message.key}:{user.id}:sms",
                channel="sms",
                target=str(channel_rows["sms"].config["url"]),
                user_id=user.id,
                event_type=message.event_type,
                level=message.level,
                subject=title,
                body=body,
                now=now,
                not_before=wait("sms"),
                check=not fresh,
                bulk=fresh,
                payload={"phone": user.phone, "text": f"{title} {body}"},
            )
    robots = [
        r for r in ROBOTS if r in message.channels and enabled.get(r) and channel_rows[r].config.get("webhook_url")
    ]
    title, body = render(message.kind, "zh-CN", {**message.context, "role": "group"}) if robots else ("", "")
    for robot in robots:
        url = channel_rows[robot].config["webhook_url"]
        payload = wecom_message(title, body) if robot == "wecom" else dingtalk_message(title, body)
        await enqueue(
            session,
            dedupe_key=f"{message.key}:{robot}",
            channel=robot,
            target=str(url),
            event_type=message.event_type,
            level=message.level,
            subject=title,
            body=body,
            payload=payload,
            now=now,
            not_before=wait(robot),
            check=not fresh,
            bulk=fresh,
        )
    await _webhooks(session, message=message, now=now, fresh=fresh)


async def _inbox(
    session: AsyncSession, *, message: Outgoing, user: User, title: str, body: str, now: datetime, fresh: bool
) -> None:
    key = f"{message.key}:{user.id}"
    if not fresh and await repository.exists(session, key):
        return None
    row: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "dedupe_key": key,
        "user_id": user.id,
        "kind": message.kind,
        "level": message.level,
        "issue_id": message.issue_id,
        "escalation_id": message.escalation_id,
        "title": title,
        "body": body,
        "created_at": now,
        "read_at": None,
    }
    if fresh:
        stage(session, Notification, row)
    else:
        session.add(Notification(**row))
    live = {"id": row["id"], "kind": message.kind, "title": title, "level": message.level}
    session.info.setdefault(PENDING_KEY, []).append((user.id, live))


async def _cached(session: AsyncSession, name: str, load: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Settings read once per transaction: a batch of firings reads channels and subscriptions once."""
    cache: dict[str, Any] = session.info.setdefault("notify_dispatch_cache", {})
    if name not in cache:
        cache[name] = await load(session)
    value: T = cache[name]
    return value


async def _webhooks(session: AsyncSession, *, message: Outgoing, now: datetime, fresh: bool) -> None:
    subscriptions = await _cached(session, "webhooks", webhook_repository.all_subscriptions)
    for sub in subscriptions:
        if not sub.active or (message.event_type not in sub.event_types and "*" not in sub.event_types):
            continue
        payload = {
            "id": f"{message.key}:{sub.id}",
            "type": message.event_type,
            "occurred_at": now.isoformat(),
            "data": message.webhook_data or {"kind": message.kind, "issue_id": message.issue_id},
        }
        await enqueue(
            session,
            dedupe_key=f"{message.key}:webhook:{sub.id}",
            channel="webhook",
            target=sub.url,
            event_type=message.event_type,
            level=message.level,
            subject=message.event_type,
            body="",
            payload=payload,
            subscription_id=sub.id,
            now=now,
            not_before=now,
            check=not fresh,
            bulk=fresh,
        )


async def mark_read(session: AsyncSession, *, notification_id: str, user_id: str, now: datetime) -> Notification:
    """Mark one of the user's own notifications read (another user's is not found)."""
    notification = await repository.get_for_user(session, notification_id=notification_id, user_id=user_id)
    if notification is None:
        raise NotificationNotFound(notification_id)
    if notification.read_at is None:
        notification.read_at = now
        await session.flush()
    return notification

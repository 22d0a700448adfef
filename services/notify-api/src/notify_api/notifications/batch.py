"""Turning messages into rows: one inbox row per user at once, and the deliveries of every other channel
(quiet hours and the digest decide when they may go out), all written when the batch's caller flushes it
before its transaction ends."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.calendar.quiet import QuietHours, digest_at, release_at
from notify_api.delivery import repository as deliveries
from notify_api.delivery.channels import dingtalk_message, wecom_message
from notify_api.delivery.models import ChannelSetting, queued
from notify_api.directory import repository as directory
from notify_api.directory.models import User
from notify_api.notifications import repository
from notify_api.notifications.broker import InboxBroker
from notify_api.notifications.messages import Event, Message
from notify_api.notifications.templates import render
from notify_api.webhooks import repository as webhooks
from notify_api.webhooks.models import WebhookSubscription
from notify_api.webhooks.schemas import Grant
from notify_api.webhooks.service import wants
from rectify_kit.workdays import WorkCalendar

ROBOTS = ("wecom", "dingtalk")
# The setting that holds each channel's address (PUT /api/v1/channels).
URL_SETTING = {"sms": "url", "wecom": "webhook_url", "dingtalk": "webhook_url"}


@dataclass(frozen=True)
class Routes:
    """Where messages may go besides the inbox: the channels' settings, the webhook subscriptions and what the
    clients owning some of them may read now, read once for a batch."""

    channels: dict[str, ChannelSetting]
    subscriptions: list[WebhookSubscription]
    owners: dict[str, Grant] = field(default_factory=dict)
    # False: the channels were not read (`routes(channels=False)`), for events only: no message may use these.
    channels_read: bool = True

    def enabled(self, channel: str) -> bool:
        row = self.channels.get(channel)
        return row.enabled if row is not None else channel == "email"

    def url(self, channel: str) -> str | None:
        """The channel's address, when it is enabled and has one."""
        row = self.channels.get(channel)
        value = row.config.get(URL_SETTING[channel]) if row is not None else None
        return str(value) if value and self.enabled(channel) else None


async def routes(session: AsyncSession, *, channels: bool = True) -> Routes:
    """The routes; without `channels`, those of webhook events only (`Batch.add_event`), not of messages."""
    subscriptions = await webhooks.all_subscriptions(session)
    owner_ids = {s.owner_client_id for s in subscriptions if s.owner_client_id}
    owners = {
        c.id: Grant(scopes=frozenset(c.scopes), unit_ids=frozenset(c.unit_ids), active=c.active)
        for c in await directory.clients(session, owner_ids)
    }
    if not channels:
        return Routes(channels={}, subscriptions=subscriptions, owners=owners, channels_read=False)
    return Routes(channels=await deliveries.channel_settings(session), subscriptions=subscriptions, owners=owners)


class Batch:
    """The rows of the messages added to it. Nothing is written until `flush`, which drops what an earlier
    flush wrote (a replayed event or a second firing adds nothing) and writes the rest in a few INSERTs."""

    def __init__(
        self, *, routes: Routes, now: datetime, calendar: WorkCalendar | None = None, quiet: QuietHours | None = None
    ) -> None:
        """`calendar` and `quiet` time messages to people (events alone need neither)."""
        self.routes = routes
        self.now = now
        self.calendar = calendar or WorkCalendar()
        self.quiet = quiet or QuietHours()
        self.inbox: dict[str, dict[str, Any]] = {}
        self.deliveries: dict[str, dict[str, Any]] = {}

    def add(self, message: Message) -> None:
        if not self.routes.channels_read:
            raise RuntimeError("a message added to a batch whose routes were read for events only")
        for user, role in message.recipients:
            title, body = render(message.kind, user.locale, {**message.context, "role": role})
            if "inbox" in message.channels:
                self._to_inbox(message, user=user, title=title, body=body)
            self._to_person(message, user=user, title=title, body=body)
        self._to_robots(message)
        event = message.as_event()
        if event is not None:
            self.add_event(event)

    def _to_inbox(self, message: Message, *, user: User, title: str, body: str) -> None:
        key = f"{message.key}:{user.id}"
        self.inbox[key] = {
            "id": str(uuid.uuid4()),
            "dedupe_key": key,
            "user_id": user.id,
            "kind": message.kind,
            "level": message.level,
            "issue_id": message.issue_id,
            "intake_id": message.intake_id,
            "escalation_id": message.escalation_id,
            "title": title,
            "body": body,
            "created_at": self.now,
            "read_at": None,
        }

    def _to_person(self, message: Message, *, user: User, title: str, body: str) -> None:
        """E-mail and SMS; reminders (level 0) to a user who opted in wait for the daily digest."""
        if "email" in message.channels and user.email and self.routes.enabled("email"):
            digest = user.digest_opt_in and message.level == 0
            self._queue(
                message,
                key=f"{message.key}:{user.id}:email",
                channel="email",
                target=user.email,
                user_id=user.id,
                subject=title,
                body=body,
                not_before=digest_at(self.now, calendar=self.calendar, hour=self.quiet.end_hour)
                if digest
                else self._release("email", message.level),
                status="held" if digest else "pending",
            )
        gateway = self.routes.url("sms")
        if "sms" in message.channels and user.phone and gateway:
            self._queue(
                message,
                key=f"{message.key}:{user.id}:sms",
                channel="sms",
                target=gateway,
                user_id=user.id,
                subject=title,
                body=body,
                payload={"phone": user.phone, "text": f"{title} {body}"},
                not_before=self._release("sms", message.level),
            )

    def _to_robots(self, message: Message) -> None:
        robots = [(r, self.routes.url(r)) for r in ROBOTS if r in message.channels]
        robots = [(r, url) for r, url in robots if url]
        if not robots:
            return
        title, body = render(message.kind, "zh-CN", {**message.context, "role": "group"})
        for robot, url in robots:
            payload = wecom_message(title, body) if robot == "wecom" else dingtalk_message(title, body)
            self._queue(
                message,
                key=f"{message.key}:{robot}",
                channel=robot,
                target=str(url),
                subject=title,
                body=body,
                payload=payload,
                not_before=self._release(robot, message.level),
            )

    def add_event(self, event: Event) -> None:
        """Queue a delivery of `event` to every subscription that takes it."""
        for sub in self.routes.subscriptions:
            owner = self.routes.owners.get(sub.owner_client_id) if sub.owner_client_id else None
            if not wants(sub, event.audience, owner=owner):
                continue
            event_type = event.audience.event_type
            payload = {
                "id": f"{event.key}:{sub.id}",
                "type": event_type,
                "occurred_at": (event.occurred_at or self.now).isoformat(),
                "data": dict(event.data),
            }
            self.deliveries[f"{event.key}:webhook:{sub.id}"] = queued(
                dedupe_key=f"{event.key}:webhook:{sub.id}",
                channel="webhook",
                target=sub.url,
                event_type=event_type,
                subject=event_type,
                payload=payload,
                subscription_id=sub.id,
                at=self.now,
            )

    def _release(self, channel: str, level: int | None) -> datetime:
        return release_at(
            self.now,
            channel=channel,
            level=level,
            calendar=self.calendar,
            start_hour=self.quiet.start_hour,
            end_hour=self.quiet.end_hour,
        )

    def _queue(self, message: Message, *, key: str, not_before: datetime, **fields: Any) -> None:
        self.deliveries[key] = queued(
            dedupe_key=key,
            event_type=message.event_type or message.kind,
            level=message.level,
            at=self.now,
            next_attempt_at=max(self.now, not_before),
            **fields,
        )

    async def flush(self, session: AsyncSession, *, inbox: InboxBroker | None = None) -> None:
        """Write the rows (those an earlier flush wrote are left out); each new inbox row is published to its
        user's live stream once the transaction commits. The batch is empty afterwards."""
        written_inbox = await repository.existing_keys(session, list(self.inbox))
        new_inbox = [row for key, row in self.inbox.items() if key not in written_inbox]
        written = await deliveries.existing_keys(session, list(self.deliveries))
        await repository.insert(session, new_inbox)
        await deliveries.insert(session, [row for key, row in self.deliveries.items() if key not in written])
        if inbox is not None:
            inbox.publish_on_commit(session, [(row["user_id"], live(row)) for row in new_inbox])
        self.inbox, self.deliveries = {}, {}


def live(row: dict[str, Any]) -> dict[str, Any]:
    """What the live inbox stream says of a new notification."""
    fields = ("id", "kind", "title", "level", "issue_id", "intake_id", "escalation_id")
    return {name: row[name] for name in fields}


async def send_events(session: AsyncSession, events: list[Event], *, now: datetime) -> None:
    """Queue the webhook deliveries of events that tell no one in person."""
    batch = Batch(routes=await routes(session), now=now)
    for event in events:
        batch.add_event(event)
    await batch.flush(session)

"""A message: what is said, to whom and on which channels; the decisions above (escalations, the issues
feed, the scheduler) make messages, and a `Batch` turns them into rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from notify_api.directory.models import User
from notify_api.webhooks.schemas import Audience

NOTIFICATION_CREATED = "notification.created"


@dataclass(frozen=True)
class Message:
    """One message to several users (each with their role in it), and to the webhook subscriptions of its
    `event_type`. `key` makes it idempotent: an event id, or an escalation's dedupe key."""

    kind: str
    key: str
    recipients: Sequence[tuple[User, str]]
    context: Mapping[str, Any]
    channels: frozenset[str] = frozenset({"inbox"})
    # The webhook event that tells it; None: a message to someone outside (a submitter), told to no system.
    event_type: str | None = NOTIFICATION_CREATED
    level: int | None = None
    issue_id: str | None = None
    intake_id: str | None = None
    escalation_id: str | None = None
    webhook_data: Mapping[str, Any] = field(default_factory=dict)
    # What the message is about, for the webhook subscriptions' campaign and unit filters.
    campaign_id: str | None = None
    unit_ids: frozenset[str] = frozenset()

    def as_event(self) -> Event | None:
        if self.event_type is None:
            return None
        data = dict(self.webhook_data) or {"kind": self.kind, "issue_id": self.issue_id}
        return Event(key=self.key, audience=Audience(self.event_type, self.campaign_id, self.unit_ids), data=data)


@dataclass(frozen=True)
class Event:
    """An event for the webhook subscriptions that take it (`issue.assigned` as the feed carried it, a message's
    `notification.created`, …); `key` makes it idempotent, `occurred_at` is when it happened (default: now)."""

    key: str
    audience: Audience
    data: Mapping[str, Any]
    occurred_at: datetime | None = None

"""Imports every table of notify-api, so that Alembic and tests see the whole metadata."""

from __future__ import annotations

from notify_api.calendar.models import CalendarDay, CalendarYear
from notify_api.db import metadata
from notify_api.delivery.models import ChannelSetting, Delivery, DeliveryAttempt
from notify_api.directory.models import Unit, User
from notify_api.escalations.models import Escalation, NoticeSequence, events
from notify_api.feed.models import feed_cursors
from notify_api.issues.models import IssueState
from notify_api.notifications.models import Notification
from notify_api.policies.models import EscalationPolicyRow
from notify_api.scheduler.models import Timer
from notify_api.webhooks.models import WebhookSubscription

__all__ = [
    "CalendarDay",
    "CalendarYear",
    "ChannelSetting",
    "Delivery",
    "DeliveryAttempt",
    "Escalation",
    "EscalationPolicyRow",
    "IssueState",
    "NoticeSequence",
    "Notification",
    "Timer",
    "Unit",
    "User",
    "WebhookSubscription",
    "events",
    "feed_cursors",
    "metadata",
]

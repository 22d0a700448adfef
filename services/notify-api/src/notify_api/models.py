"""Imports every table of notify-api, so that Alembic and tests see the whole metadata."""

from __future__ import annotations

from notify_api.calendar.models import CalendarDay, CalendarYear
from notify_api.db import metadata
from notify_api.delivery.models import ChannelSetting, Delivery, DeliveryAttempt
from notify_api.directory.models import Client, Unit, User
from notify_api.escalations.models import Escalation, NoticeSequence, Timer
from notify_api.feed.models import feed_cursors
from notify_api.issues.models import IssueState
from notify_api.notifications.models import Notification
from notify_api.outbox import events
from notify_api.policies.models import CampaignPolicyFile, EscalationPolicyRow
from notify_api.submitters.models import Submitter
from notify_api.webhooks.models import WebhookSubscription

__all__ = [
    "CalendarDay",
    "CalendarYear",
    "CampaignPolicyFile",
    "ChannelSetting",
    "Client",
    "Delivery",
    "DeliveryAttempt",
    "Escalation",
    "EscalationPolicyRow",
    "IssueState",
    "NoticeSequence",
    "Notification",
    "Submitter",
    "Timer",
    "Unit",
    "User",
    "WebhookSubscription",
    "events",
    "feed_cursors",
    "metadata",
]

"""The /api/v1 routers of notify-api."""

from __future__ import annotations

from fastapi import APIRouter

from notify_api.calendar.router import router as calendar_router
from notify_api.delivery.router import router as delivery_router
from notify_api.escalations.router import escalation_feed_router
from notify_api.escalations.router import router as escalations_router
from notify_api.notifications.router import router as notifications_router
from notify_api.policies.router import router as policies_router
from notify_api.webhooks.router import router as webhooks_router
from rectify_kit.feed import FeedNotifier


def api_routers(notifier: FeedNotifier) -> list[APIRouter]:
    # The feed comes before /escalations/{id}/… so its path is matched first.
    return [
        escalation_feed_router(notifier),
        escalations_router,
        notifications_router,
        policies_router,
        calendar_router,
        webhooks_router,
        delivery_router,
    ]

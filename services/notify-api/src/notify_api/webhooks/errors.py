"""Errors of the webhook domain."""

from __future__ import annotations

from rectify_kit.errors import NotFound


class WebhookNotFound(NotFound):
    code, title_zh, title_en = "webhook-not-found", "Webhook 订阅不存在", "Webhook subscription not found"

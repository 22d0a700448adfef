"""Errors of the inbox."""

from __future__ import annotations

from rectify_kit.errors import NotFound


class NotificationNotFound(NotFound):
    code, title_zh, title_en = "notification-not-found", "通知不存在", "Notification not found"

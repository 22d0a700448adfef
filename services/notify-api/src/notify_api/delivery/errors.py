"""Errors of the delivery domain."""

from __future__ import annotations

from rectify_kit.errors import Conflict, NotFound


class DeliveryNotFound(NotFound):
    code, title_zh, title_en = "delivery-not-found", "投递记录不存在", "Delivery not found"


class DeliveryNotRetryable(Conflict):
    code, title_zh, title_en = "delivery-not-retryable", "仅死信可手动重试", "Only dead deliveries can be retried"

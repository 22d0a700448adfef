"""Errors of Open311: each rendered in the spec's `[{code, description}]` form (see router.py)."""

from __future__ import annotations

from rectify_kit.errors import BadRequest, Forbidden, NotFound


class BadOpen311Request(BadRequest):
    code, title_zh, title_en = "open311-bad-request", "请求参数有误", "Bad request"


class InvalidApiKey(Forbidden):
    code, title_zh, title_en = "invalid-api-key", "api_key 无效", "Invalid api_key"


class UnknownService(NotFound):
    code, title_zh, title_en = "service-not-found", "服务类型不存在", "Service not found"


class UnknownRequest(NotFound):
    code, title_zh, title_en = "service-request-not-found", "服务请求不存在", "Service request not found"

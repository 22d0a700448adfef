"""The gateway's own problems (RFC 9457 via rectify_kit.errors)."""

from __future__ import annotations

from rectify_kit.errors import ProblemError, ServiceUnavailable


class UpstreamUnavailable(ServiceUnavailable):
    code = "upstream-unavailable"
    title_zh, title_en = "服务暂不可用，请稍后重试", "Service unavailable, try again later"


class UpstreamTimeout(ProblemError):
    status, code, title_zh, title_en = 504, "upstream-timeout", "上游服务超时", "Gateway timeout"


class BadGateway(ProblemError):
    status, code, title_zh, title_en = 502, "bad-gateway", "上游服务错误", "Bad gateway"


class RouteNotFound(ProblemError):
    status, code, title_zh, title_en = 404, "not-found", "未找到", "Not found"

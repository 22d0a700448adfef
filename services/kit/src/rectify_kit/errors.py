"""RFC 9457 problem details: typed errors with a status and a stable code, one renderer for all."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from rectify_kit.db import database_unavailable, lost_a_lock_race
from rectify_kit.field_messages import localize, zh_message
from rectify_kit.openapi import PROBLEM_CONTENT_TYPE, allowed_methods
from rectify_kit.openapi import problem_response as problem_response_doc

TYPE_BASE = "https://rectify.example/problems/"
# How long a client is told to wait while the database is away (a restart, a failover takes seconds).
DATABASE_RETRY_AFTER_SECONDS = 5
log = logging.getLogger("rectify_kit.errors")

# Titles for plain HTTP statuses raised by the framework (404 route, 405, …).
_STATUS_TITLES: dict[int, tuple[str, str]] = {
    400: ("请求有误", "Bad request"),
    401: ("未登录或凭证无效", "Not authenticated"),
    403: ("无权操作", "Forbidden"),
    404: ("未找到", "Not found"),
    405: ("不支持该方法", "Method not allowed"),
    409: ("状态冲突", "Conflict"),
    412: ("版本已变更", "Precondition failed"),
    413: ("请求体过大", "Payload too large"),
    415: ("不支持的媒体类型", "Unsupported media type"),
    422: ("请求参数无效", "Unprocessable content"),
    428: ("缺少前置条件", "Precondition required"),
    429: ("请求过于频繁", "Too many requests"),
    500: ("服务器内部错误", "Internal server error"),
    502: ("上游服务错误", "Bad gateway"),
    503: ("服务暂不可用", "Service unavailable"),
    504: ("上游服务超时", "Gateway timeout"),
}


class ProblemError(Exception):
    """A domain error that knows its HTTP status, a stable code and a bilingual title."""

    status: int = 400
    code: str = "bad-request"
    title_zh: str = "请求有误"
    title_en: str = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        status: int | None = None,
        code: str | None = None,
        title_zh: str | None = None,
        title_en: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or code or self.code)
        self.detail = detail
        self.status = status or self.status
        self.code = code or self.code
        self.title_zh = title_zh or self.title_zh
        self.title_en = title_en or self.title_en
        self.headers = headers or {}
        self.extra = extra


class BadRequest(ProblemError):
    pass


class Unauthorized(ProblemError):
    status, code, title_zh, title_en = 401, "unauthorized", "未登录或凭证无效", "Not authenticated"


class Forbidden(ProblemError):
    status, code, title_zh, title_en = 403, "forbidden", "无权操作", "Forbidden"


class NotFound(ProblemError):
    status, code, title_zh, title_en = 404, "not-found", "未找到", "Not found"


class Conflict(ProblemError):
    status, code, title_zh, title_en = 409, "conflict", "状态冲突", "Conflict"


class PreconditionFailed(ProblemError):
    status, code, title_zh, title_en = 412, "precondition-failed", "版本已变更，请刷新后重试", "Precondition failed"


class PreconditionRequired(ProblemError):
    status, code, title_zh, title_en = 428, "precondition-required", "缺少 If-Match 请求头", "If-Match required"


class Unprocessable(ProblemError):
    status, code, title_zh, title_en = 422, "validation-error", "请求参数无效", "Unprocessable content"


class PayloadTooLarge(ProblemError):
    status, code, title_zh, title_en = 413, "payload-too-large", "内容过大", "Payload too large"


class TooManyRequests(ProblemError):
    status, code, title_zh, title_en = 429, "too-many-requests", "请求过于频繁", "Too many requests"


class ServiceUnavailable(ProblemError):
    status, code, title_zh, title_en = 503, "service-unavailable", "服务暂不可用", "Service unavailable"


def prefers_english(accept_language: str | None) -> bool:
    """True when the client ranks English above Chinese; Chinese is the default."""
    if not accept_language:
        return False
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return False
        if tag.startswith("en"):
            return True
    return False


def problem_body(
    *,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    instance: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": TYPE_BASE + code, "title": title, "status": status, "code": code}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def problem_response(
    request: Request | None,
    *,
    status: int,
    code: str,
    title_zh: str,
    title_en: str,
    detail: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    english = prefers_english(request.headers.get("accept-language") if request else None)
    if isinstance(extra.get("errors"), list):
        extra["errors"] = localize(extra["errors"], english=english)
    body = problem_body(
        status=status,
        code=code,
        title=title_en if english else title_zh,
        detail=detail,
        instance=request.url.path if request else None,
        **extra,
    )
    request_id = getattr(request.state, "request_id", None) if request else None
    if request_id:
        body["request_id"] = request_id
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_CONTENT_TYPE)


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


def problem_error_response(request: Request | None, exc: ProblemError) -> JSONResponse:
    """The problem answer a raised `ProblemError` stands for."""
    return problem_response(
        request,
        status=exc.status,
        code=exc.code,
        title_zh=exc.title_zh,
        title_en=exc.title_en,
        detail=exc.detail,
        headers=exc.headers,
        **exc.extra,
    )


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)  # noqa: S101 - registered for ProblemError only
    return problem_error_response(request, exc)


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    errors = [
        {"field": _field_name(e.get("loc", ())), "message_zh": zh_message(e), "message_en": e.get("msg", "")}
        for e in exc.errors()
    ]
    errors = localize(errors, english=prefers_english(request.headers.get("accept-language")))
    return problem_response(
        request,
        status=422,
        code="validation-error",
        title_zh="请求参数无效",
        title_en="Unprocessable content",
        detail="; ".join(f"{e['field']}: {e['message']}" for e in errors),
        errors=errors,
    )


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    zh, en = _STATUS_TITLES.get(exc.status_code, ("请求失败", "Request failed"))
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail not in (zh, en) else None
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Starlette names the methods of the first route that matched the path only; a path served by several
        # routes (GET and POST /items) allows the methods of all of them.
        allowed = allowed_methods(request.app.openapi(), request.url.path)
        if allowed:
            headers["Allow"] = ", ".join(allowed)
    return problem_response(
        request,
        status=exc.status_code,
        code=en.lower().replace(" ", "-"),
        title_zh=zh,
        title_en=en,
        detail=detail,
        headers=headers,
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(
        request, status=500, code="internal-error", title_zh="服务器内部错误", title_en="Internal server error"
    )


async def _on_database_error(request: Request, exc: Exception) -> JSONResponse:
    """The database away (stopped, restarting, refusing connections, a cut connection): 503 with Retry-After,
    which clients and the gateway's breaker understand; a deadlock's victim a 503 `try-again` with Retry-After: 1
    (nothing of it was written); any other database error is the 500 it always was."""
    if lost_a_lock_race(exc):
        log.warning("lost a lock race: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return problem_response(
            request,
            status=503,
            code="try-again",
            title_zh="与同时进行的其他操作冲突，请重试",
            title_en="Conflicted with a change made at the same time; try again",
            detail="nothing was written; send the same request again",
            headers={"Retry-After": "1"},
            retry_after=1,
        )
    if not database_unavailable(exc):
        log.error("database error", exc_info=exc)
        return await _on_unexpected(request, exc)
    log.warning("database unavailable: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    return problem_response(
        request,
        status=503,
        code="database-unavailable",
        title_zh="数据库暂不可用，请稍后重试",
        title_en="The database is unavailable; try again shortly",
        detail="the database cannot be reached now; retry later (a create under the same Idempotency-Key)",
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
        retry_after=DATABASE_RETRY_AFTER_SECONDS,
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Render every error the app can raise as application/problem+json."""
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(DBAPIError, _on_database_error)
    app.add_exception_handler(PoolTimeout, _on_database_error)
    app.add_exception_handler(ConnectionError, _on_database_error)
    app.add_exception_handler(Exception, _on_unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route, so the OpenAPI document lists its problem answers."""
    return {s: problem_response_doc(s) for s in statuses}

"""Errors of authentication: the token endpoint's RFC 6749 errors, and the 401 of a token whose account left.

A token error carries both RFC 6749's members (`error`, `error_description`), which OAuth clients read, and the
problem's (`type`, `title`, `status`, `code`), which the SPA shows: one body for every failed sign-in, whatever
the reason (wrong password, unknown user, inactive account). An account waiting after wrong passwords is told so
(`LoginThrottled`, 429 with `Retry-After`).
"""

from __future__ import annotations

from rectify_kit.errors import ProblemError, TooManyRequests, Unauthorized


class InvalidCredentials(Unauthorized):
    """A bearer token whose account is no longer active (on /auth/me)."""

    code, title_zh, title_en = "invalid-credentials", "用户名或密码错误", "Invalid credentials"


class TokenError(ProblemError):
    """An error of the token endpoint (RFC 6749 section 5.2)."""

    error: str = "invalid_request"
    status, code, title_zh, title_en = 400, "invalid-request", "请求缺少参数或格式有误", "Invalid token request"


class InvalidGrant(TokenError):
    error = "invalid_grant"
    code, title_zh, title_en = "invalid-credentials", "用户名或密码错误", "Invalid credentials"


class InvalidClient(TokenError):
    error = "invalid_client"
    status, code, title_zh, title_en = 401, "invalid-client", "接入系统凭证无效", "Invalid client credentials"


class UnsupportedGrant(TokenError):
    error = "unsupported_grant_type"
    code, title_zh, title_en = "unsupported-grant-type", "不支持的授权方式", "Unsupported grant type"


class InvalidScope(TokenError):
    error = "invalid_scope"
    code, title_zh, title_en = "invalid-scope", "申请的权限超出范围", "Scope not granted to this client"


class LoginThrottled(TooManyRequests):
    """Too many wrong passwords in a row: the account waits (`Retry-After`), whatever password comes next."""

    code, title_zh, title_en = (
        "login-throttled",
        "密码错误次数过多，请稍后再试",
        "Too many failed sign-ins, try again later",
    )


class RefreshRefused(Unauthorized):
    """The refresh cookie is missing, expired, revoked or reused: sign in again."""

    code, title_zh, title_en = "session-ended", "登录已失效，请重新登录", "The session ended, sign in again"

"""Errors of authentication: one body for every failed login, whatever the reason."""

from __future__ import annotations

from rectify_kit.errors import BadRequest, Unauthorized


class InvalidCredentials(Unauthorized):
    """Wrong password, unknown user, inactive or locked account: the same answer for all of them."""

    code, title_zh, title_en = "invalid-credentials", "用户名或密码错误", "Invalid credentials"


class InvalidClient(Unauthorized):
    code, title_zh, title_en = "invalid-client", "接入系统凭证无效", "Invalid client credentials"


class UnsupportedGrant(BadRequest):
    code, title_zh, title_en = "unsupported-grant-type", "不支持的授权方式", "Unsupported grant type"


class InvalidScope(BadRequest):
    code, title_zh, title_en = "invalid-scope", "申请的权限超出范围", "Scope not granted to this client"

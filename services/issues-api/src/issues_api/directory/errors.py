"""Errors of the directory."""

from __future__ import annotations

from rectify_kit.errors import Conflict, NotFound, Unprocessable


class UnitNotFound(NotFound):
    code, title_zh, title_en = "unit-not-found", "单位不存在", "Unit not found"


class UserNotFound(NotFound):
    code, title_zh, title_en = "user-not-found", "用户不存在", "User not found"


class ClientNotFound(NotFound):
    code, title_zh, title_en = "client-not-found", "接入系统不存在", "Integration client not found"


class UnitCodeTaken(Conflict):
    code, title_zh, title_en = "unit-code-taken", "单位编码已存在", "Unit code already exists"


class UsernameTaken(Conflict):
    code, title_zh, title_en = "username-taken", "用户名已存在", "Username already exists"


class ClientIdTaken(Conflict):
    code, title_zh, title_en = "client-id-taken", "接入系统编号已存在", "Client id already exists"


class InvalidDirectoryData(Unprocessable):
    """A field refers to something that does not fit (a unit user without a unit, an unknown parent…)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", errors=[{"field": field, "message": message}])

"""Request and response bodies of the directory (units, users, integration clients)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

UnitKind = Literal["department", "centre", "company", "city"]
UserRole = Literal["admin", "office", "leader", "unit"]

_CODE = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class UnitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        min_length=1, max_length=40, pattern=_CODE, description="单位编码 / unit code", examples=["KJT-ZCFG"]
    )
    name: str = Field(min_length=1, max_length=200, description="单位名称 / name", examples=["政策法规与监督处"])
    kind: UnitKind = Field(description="类型 / kind")
    parent_id: str | None = Field(default=None, description="上级单位 / parent unit id")


class UnitUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "石家庄市人民政府", "active": True}]}
    )

    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: UnitKind | None = None
    parent_id: str | None = None
    active: StrictBool | None = None


class UnitOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "9c2e4b10-1f3a-4d5e-8b7c-6a5f4e3d2c1b",
                    "code": "SJZ",
                    "name": "石家庄市",
                    "kind": "city",
                    "parent_id": None,
                    "active": True,
                    "version": 1,
                }
            ]
        },
    )

    id: str
    code: str
    name: str
    kind: str
    parent_id: str | None
    active: bool
    version: int = Field(description="版本（ETag）/ version, the ETag for If-Match")


class UserCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "username": "KJT-GX-2",
                    "display_name": "高新处经办人二",
                    "role": "unit",
                    "unit_id": "9c2e4b10-1f3a-4d5e-8b7c-6a5f4e3d2c1b",
                    "password": "initial-pass-2026",
                }
            ]
        },
    )

    username: str = Field(min_length=1, max_length=80, pattern=_CODE, description="登录名 / login name")
    display_name: str = Field(min_length=1, max_length=200, description="姓名 / display name")
    role: UserRole
    unit_id: str | None = Field(default=None, description="所属单位（unit 角色必填）/ unit (required for role unit)")
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    password: str = Field(min_length=8, max_length=200, description="初始密码 / initial password")
    locale: Literal["zh-CN", "en"] = "zh-CN"
    digest_opt_in: StrictBool = False


class UserUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"display_name": "高新处经办人（新）", "phone": "0311-85000000"}]},
    )

    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    role: UserRole | None = None
    unit_id: str | None = None
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    password: str | None = Field(default=None, min_length=8, max_length=200)
    active: StrictBool | None = None
    locale: Literal["zh-CN", "en"] | None = None
    digest_opt_in: StrictBool | None = None


class UserOut(BaseModel):
    """A user; `phone` and `email` are shown to admin and office only (null for others)."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "5f1e2d3c-4b5a-4968-8776-655443322110",
                    "username": "KJT-GX",
                    "display_name": "高新处经办人",
                    "role": "unit",
                    "unit_id": "9c2e4b10-1f3a-4d5e-8b7c-6a5f4e3d2c1b",
                    "email": None,
                    "phone": None,
                    "active": True,
                    "digest_opt_in": False,
                    "locale": "zh-CN",
                    "version": 3,
                }
            ]
        },
    )

    id: str
    username: str
    display_name: str
    role: str
    unit_id: str | None
    email: str | None
    phone: str | None
    active: bool
    digest_opt_in: bool
    locale: str
    version: int = Field(description="版本（ETag）/ version, the ETag for If-Match")


class ClientCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id": "sjz-gov",
                    "name": "石家庄市政务服务平台",
                    "scopes": ["issues:read", "issues:act", "events:read"],
                    "unit_ids": ["9c2e4b10-1f3a-4d5e-8b7c-6a5f4e3d2c1b"],
                }
            ]
        },
    )

    id: str = Field(min_length=1, max_length=80, pattern=_CODE, description="client_id")
    name: str = Field(min_length=1, max_length=200, description="系统名称 / name")
    scopes: list[str] = Field(
        default_factory=list, max_length=20, description="权限范围 / scopes", examples=[["events:read", "issues:read"]]
    )
    unit_ids: list[str] = Field(
        default_factory=list,
        max_length=200,
        description="绑定单位：以这些单位身份办理（需 issues:act）/ units it works the ledger for (with issues:act)",
    )


class ClientUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"unit_ids": ["9c2e4b10-1f3a-4d5e-8b7c-6a5f4e3d2c1b"], "rotate_secret": False}]
        },
    )

    name: str | None = Field(default=None, min_length=1, max_length=200)
    scopes: list[str] | None = Field(default=None, max_length=20)
    unit_ids: list[str] | None = Field(default=None, max_length=200, description="绑定单位 / bound units")
    active: StrictBool | None = None
    rotate_secret: StrictBool = Field(default=False, description="生成新密钥 / issue a new secret")


class ClientOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "sjz-gov",
                    "name": "石家庄市政务服务平台",
                    "scopes": ["events:read", "issues:act", "issues:read"],
                    "unit_ids": ["9c2e4b10-1f3a-4d5e-8b7c-6a5f4e3d2c1b"],
                    "active": True,
                }
            ]
        },
    )

    id: str
    name: str
    scopes: list[str]
    unit_ids: list[str] = Field(description="绑定单位 / units it works the ledger for")
    active: bool


class ClientWithSecret(ClientOut):
    """The answer of a create or a secret rotation: the only time the secret is shown."""

    client_secret: str

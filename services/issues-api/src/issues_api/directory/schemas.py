"""Request and response bodies of the directory (units, users, integration clients)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: UnitKind | None = None
    parent_id: str | None = None
    active: bool | None = None


class UnitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    code: str
    name: str
    kind: str
    parent_id: str | None
    active: bool
    version: int = Field(description="版本（ETag）/ version, the ETag for If-Match")


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=80, pattern=_CODE, description="登录名 / login name")
    display_name: str = Field(min_length=1, max_length=200, description="姓名 / display name")
    role: UserRole
    unit_id: str | None = Field(default=None, description="所属单位（unit 角色必填）/ unit (required for role unit)")
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    password: str = Field(min_length=8, max_length=200, description="初始密码 / initial password")
    locale: Literal["zh-CN", "en"] = "zh-CN"
    digest_opt_in: bool = False


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    role: UserRole | None = None
    unit_id: str | None = None
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    password: str | None = Field(default=None, min_length=8, max_length=200)
    active: bool | None = None
    locale: Literal["zh-CN", "en"] | None = None
    digest_opt_in: bool | None = None


class UserOut(BaseModel):
    """A user; `phone` and `email` are shown to admin and office only (null for others)."""

    model_config = ConfigDict(from_attributes=True)

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
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=80, pattern=_CODE, description="client_id")
    name: str = Field(min_length=1, max_length=200, description="系统名称 / name")
    scopes: list[str] = Field(
        default_factory=list, max_length=20, description="权限范围 / scopes", examples=[["events:read", "issues:read"]]
    )


class ClientUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    scopes: list[str] | None = Field(default=None, max_length=20)
    active: bool | None = None
    rotate_secret: bool = Field(default=False, description="生成新密钥 / issue a new secret")


class ClientOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    scopes: list[str]
    active: bool


class ClientWithSecret(ClientOut):
    """The answer of a create or a secret rotation: the only time the secret is shown."""

    client_secret: str

"""The directory: units (责任单位), users and integration clients."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from issues_api.db import Base
from rectify_kit.db import JSONType, UTCDateTime


def new_id() -> str:
    return str(uuid.uuid4())


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # department | centre | company | city
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # the ETag of If-Match updates
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # admin | office | leader | unit
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), default=None, index=True)
    phone: Mapped[str | None] = mapped_column(String(40), default=None)
    email: Mapped[str | None] = mapped_column(String(200), default=None)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str] = mapped_column(String(10), default="zh-CN")
    digest_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # the ETag of If-Match updates
    # Tokens issued before the last password change are void (see auth/accounts.py).
    credentials_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Client(Base):
    """An integration client (another provincial system): client id, hashed secret, scopes."""

    __tablename__ = "clients"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # the client_id
    name: Mapped[str] = mapped_column(String(200))
    secret_hash: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # The units it works the ledger for (scope issues:act); in its tokens as the claim `unit_ids`.
    unit_ids: Mapped[list[str]] = mapped_column(JSONType, default=list, server_default="[]")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Tokens issued before the last secret rotation are void: a rotation usually means the old one leaked.
    credentials_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

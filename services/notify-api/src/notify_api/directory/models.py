"""What notify-api knows of issues-api's directory: units and users with their contacts, and integration
clients with what they may read (all from the feed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from notify_api.db import Base
from rectify_kit.db import JSONType, UTCDateTime


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), default="")
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), index=True)
    unit_id: Mapped[str | None] = mapped_column(String(36), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    digest_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str] = mapped_column(String(10), default="zh-CN")
    # Tokens issued before it are void (a changed password, a deactivation), when the event carries it.
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Client(Base):
    """An integration client as the last `client.created|updated` event described it: the scopes and bound
    units its webhook subscriptions receive by, and whether its tokens still hold (the kit's AccountCheck)."""

    __tablename__ = "clients"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    scopes: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    unit_ids: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Tokens issued before it are void (a rotated secret), when the event carries it.
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime())

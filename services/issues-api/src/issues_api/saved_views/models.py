"""A saved view: a user's named set of the ledger's filters (and sort), theirs alone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from issues_api.db import Base
from rectify_kit.db import JSONType, UTCDateTime


class SavedView(Base):
    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("owner", "name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # The token's subject: a user id, or `<issuer>#<sub>` for a trusted OIDC issuer's user (so no foreign key).
    owner: Mapped[str] = mapped_column(String(300), index=True)
    name: Mapped[str] = mapped_column(String(60))
    # The list's query parameters as `GET /api/v1/issues` takes them (checked by `schemas.ViewFilters`).
    filters: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

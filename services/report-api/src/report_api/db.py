"""This service's tables live on one metadata; its migrations are generated against it."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from rectify_kit.db import make_metadata

metadata = make_metadata()


class Base(DeclarativeBase):
    metadata = metadata

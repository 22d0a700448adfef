"""Imports every table of notify-api, so that Alembic and tests see the whole metadata."""

from __future__ import annotations

from notify_api.db import metadata

__all__ = ["metadata"]

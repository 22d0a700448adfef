"""Imports every table of issues-api, so that Alembic and tests see the whole metadata."""

from __future__ import annotations

from issues_api.db import metadata

__all__ = ["metadata"]

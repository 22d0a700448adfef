"""Imports every table of report-api, so that Alembic and tests see the whole metadata."""

from __future__ import annotations

from report_api.db import metadata

__all__ = ["metadata"]

"""Imports every table of issues-api, so that Alembic and tests see the whole metadata."""

from __future__ import annotations

from issues_api.accountability import models as accountability  # noqa: F401
from issues_api.assignees import models as assignees  # noqa: F401
from issues_api.attachments import models as attachments  # noqa: F401
from issues_api.auth import models as auth  # noqa: F401
from issues_api.campaigns import models as campaigns
from issues_api.db import metadata
from issues_api.directory import models as directory
from issues_api.events import models as events
from issues_api.imports import models as imports  # noqa: F401
from issues_api.intake import models as intake  # noqa: F401
from issues_api.ledger import models as ledger  # noqa: F401
from issues_api.saved_views import models as saved_views  # noqa: F401
from issues_api.self_inspection import models as self_inspection  # noqa: F401

__all__ = ["campaigns", "directory", "events", "metadata"]

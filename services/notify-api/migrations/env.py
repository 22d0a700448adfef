"""Alembic environment of notify-api."""

import notify_api.models  # noqa: F401  (registers every table on the metadata)
from notify_api.db import metadata
from rectify_kit.migrations import run_env

run_env(metadata)

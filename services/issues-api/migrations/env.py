"""Alembic environment of issues-api."""

import issues_api.models  # noqa: F401  (registers every table on the metadata)
from issues_api.db import metadata
from rectify_kit.migrations import run_env

run_env(metadata)

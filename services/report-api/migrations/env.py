"""Alembic environment of report-api."""

import report_api.models  # noqa: F401  (registers every table on the metadata)
from rectify_kit.migrations import run_env
from report_api.db import metadata

run_env(metadata)

"""Loads the shared fixtures of issues-api's tests (the ledger's folders override them with their own)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_NAME = "issues_api_test_harness"
if _NAME not in sys.modules:
    _spec = importlib.util.spec_from_file_location(_NAME, Path(__file__).resolve().parent / "app" / "harness.py")
    assert _spec is not None
    assert _spec.loader is not None
    sys.modules[_NAME] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[_NAME])

from issues_api_test_harness import (  # noqa: E402
    app,
    backend,
    client,
    database_url,
    key_file,
    pg_module_url,
    settings,
    sqlite_template,
    tokens,
)

__all__ = [
    "app",
    "backend",
    "client",
    "database_url",
    "key_file",
    "pg_module_url",
    "settings",
    "sqlite_template",
    "tokens",
]

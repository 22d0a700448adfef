"""The cursor of the issues feed, moved in the same transaction as the effects of its events."""

from __future__ import annotations

from notify_api.db import metadata
from rectify_kit.cursors import make_cursor_table

feed_cursors = make_cursor_table(metadata)

"""The outbox (which is also the audit log) and the stored answers of idempotent creates."""

from __future__ import annotations

from issues_api.db import metadata
from rectify_kit.idempotency import make_idempotency_table
from rectify_kit.outbox import make_event_table

events = make_event_table(metadata)
idempotency_keys = make_idempotency_table(metadata)

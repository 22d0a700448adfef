"""The outbox (which is also the audit log) and the stored answers of idempotent creates."""

from __future__ import annotations

from issues_api.db import metadata
from rectify_kit.idempotency import make_idempotency_table
from rectify_kit.outbox import make_event_table
from rectify_kit.relay import Outbox, make_staging_table

events = make_event_table(metadata)
events_staged = make_staging_table(metadata, events)
# Where every change stages its event; on PostgreSQL the relay numbers and chains them after the commit.
outbox = Outbox(events, events_staged)
idempotency_keys = make_idempotency_table(metadata)

"""issues-api's feed relayed into NATS JetStream when `ISSUES_JETSTREAM__URL` is set (kit jetstream.py): what a feed
client with `events:read` and `directory:read` reads, without personal contact data, on `rectify.issues.<type>`."""

from __future__ import annotations

from fastapi import FastAPI

from issues_api.events.models import events
from issues_api.events.redaction import redact
from issues_api.events.router import SCOPE_TYPES
from rectify_kit.auth import Principal
from rectify_kit.feed import FeedEvent
from rectify_kit.jetstream import JetStreamRelay

# The reader the stream is written for: another system's client, never granted contacts.
STREAM_READER = Principal(sub="jetstream", kind="client", scopes=frozenset(SCOPE_TYPES))
STREAM_TYPES = tuple(prefix for prefixes in SCOPE_TYPES.values() for prefix in prefixes)


def for_stream(event: FeedEvent) -> FeedEvent:
    return redact(STREAM_READER, event)


async def start_jetstream(app: FastAPI) -> None:
    """Startup hook: relay the feed while the app runs, when a JetStream URL is set."""
    settings = app.state.settings.jetstream
    relay = None
    if settings.url:
        relay = JetStreamRelay(app.state.database, events, settings, types=STREAM_TYPES, redact=for_stream)
        relay.start()
    app.state.jetstream = relay


async def stop_jetstream(app: FastAPI) -> None:
    relay: JetStreamRelay | None = getattr(app.state, "jetstream", None)
    if relay is not None:
        await relay.stop()

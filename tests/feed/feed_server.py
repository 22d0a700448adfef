"""A tiny service that serves an outbox as a feed, for the cross-process tests.

`python feed_server.py DATABASE_URL PORT`: the database is migrated (its events written) beforehand.
"""

from __future__ import annotations

import sys
from typing import Any

import uvicorn
from fastapi import APIRouter, FastAPI, Request

from rectify_kit.app import create_service_app
from rectify_kit.auth import Principal
from rectify_kit.db import make_metadata
from rectify_kit.errors import Unauthorized
from rectify_kit.feed import FeedNotifier, feed_router
from rectify_kit.outbox import make_event_table
from rectify_kit.settings import ServiceSettings

TOKEN = "feed-test-token"  # a stand-in for a real token issuer: this test is about the feed, not auth
metadata = make_metadata()
events = make_event_table(metadata)
token_router = APIRouter()


@token_router.post("/token")
async def issue_token() -> dict[str, Any]:
    return {"access_token": TOKEN, "token_type": "bearer", "expires_in": 300}


async def reader(request: Request) -> Principal:
    if request.headers.get("authorization") != f"Bearer {TOKEN}":
        raise Unauthorized("bearer token required")
    return Principal(sub="feed-consumer", kind="client")


def create_app(database_url: str) -> FastAPI:
    settings = ServiceSettings(service_name="feed-server", database_url=database_url, log_level="WARNING")
    notifier = FeedNotifier()
    feed = feed_router(
        path="/events", table=events, principal_dependency=reader, visible_types=lambda _: None, notifier=notifier
    )
    app = create_service_app(settings, title="feed server", routers=[token_router, feed])
    notifier.watch(app.state.database)
    return app


if __name__ == "__main__":
    uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")

"""The notify-api app factory."""

from __future__ import annotations

from fastapi import FastAPI

from notify_api import outbox
from notify_api import runtime as background
from notify_api.api import api_routers
from notify_api.config import Settings, get_settings
from notify_api.directory.accounts import account_lookup
from notify_api.metrics import stream_gauge, work_metrics
from notify_api.notifications.broker import InboxBroker
from notify_api.outbound import guard_from
from notify_api.webhooks.openapi import webhook_documents
from rectify_kit.app import create_service_app
from rectify_kit.auth import verifier_from_settings
from rectify_kit.clock import Clock, SystemClock
from rectify_kit.consumer import FeedSource
from rectify_kit.db import Database
from rectify_kit.feed import FeedNotifier
from rectify_kit.jetstream import JetStreamRelay
from rectify_kit.revocation import AccountCheck
from rectify_kit.serving import draining_event


def create_app(
    settings: Settings | None = None, *, clock: Clock | None = None, feed_source: FeedSource | None = None
) -> FastAPI:
    """The app; with `settings.background` its lifespan runs the consumer, scheduler and delivery loops."""
    settings = settings or get_settings()
    clock = clock or SystemClock()
    database = Database(settings.resolved_database_url(), **settings.engine_options())
    notifier = FeedNotifier()
    notifier.watch(database)
    broker = InboxBroker(settings.redis_url)
    jetstream = JetStreamRelay(database, outbox.events, settings.jetstream) if settings.jetstream.url else None
    guard = guard_from(settings.outbound)

    async def on_startup(app: FastAPI) -> None:
        await broker.start()
        if jetstream is not None:
            jetstream.start()
        await background.seed_calendar(database, clock)
        if settings.background:
            background.start(runtime, settings)

    async def on_shutdown(app: FastAPI) -> None:
        await background.stop(runtime)
        await broker.stop()
        if jetstream is not None:
            await jetstream.stop()

    app = create_service_app(
        settings,
        title="Rectify notify-api",
        database=database,
        routers=api_routers(notifier),
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
    )
    # Built after the app so that its counters land in the app's registry; the hooks above run later still.
    runtime = background.build_runtime(
        settings,
        database=database,
        clock=clock,
        metrics=work_metrics(app.state.metrics.registry),
        inbox=broker,
        guard=guard,
        source=feed_source,
        stop=draining_event(app),
    )
    stream_gauge(app.state.metrics.registry, broker.open_streams)
    for document in webhook_documents():
        app.webhooks.include_router(document)
    app.state.clock = clock
    accounts = AccountCheck(account_lookup(database), ttl_seconds=settings.auth.account_recheck_seconds)
    app.state.token_verifier = verifier_from_settings(settings.auth, account_check=accounts)
    app.state.inbox_broker = broker
    app.state.outbound_guard = guard
    app.state.runtime = runtime
    return app

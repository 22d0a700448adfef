"""The issues-api app factory."""

from __future__ import annotations

from fastapi import FastAPI

from issues_api.api import root_routers
from issues_api.auth.keys import load_keys
from issues_api.config import Settings, get_settings
from rectify_kit.app import create_service_app
from rectify_kit.auth import JWKSKeySet, verifier_from_settings
from rectify_kit.clock import SystemClock
from rectify_kit.feed import FeedNotifier


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app on `settings`' database (migrated beforehand) with its signing key, verifier and clock."""
    settings = settings or get_settings()
    keys = load_keys(settings)
    app = create_service_app(settings, title="Rectify issues-api", routers=root_routers)
    app.state.keys = keys
    app.state.clock = SystemClock()
    # Tokens of this issuer are checked against its own key, without fetching its own JWKS over HTTP.
    app.state.token_verifier = verifier_from_settings(settings.auth, own_keys=JWKSKeySet(keys=[keys.jwk()]))
    app.state.feed_notifier = FeedNotifier()
    app.state.feed_notifier.watch(app.state.database)
    return app

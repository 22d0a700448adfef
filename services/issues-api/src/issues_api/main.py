"""The issues-api app factory."""

from __future__ import annotations

from fastapi import FastAPI

from issues_api.api import root_routers
from issues_api.auth.accounts import account_lookup
from issues_api.auth.keys import load_keys
from issues_api.config import Settings, get_settings
from issues_api.events.anchor import start_anchoring, stop_anchoring
from issues_api.events.router import feed_notifier
from rectify_kit.app import create_service_app
from rectify_kit.auth import JWKSKeySet, verifier_from_settings
from rectify_kit.clock import SystemClock
from rectify_kit.revocation import AccountCheck


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app on `settings`' database (migrated beforehand) with its signing key, verifier and clock.

    `app.state.clock` is what `ClockDep` hands to routes: tests replace it with a `FixedClock`.
    """
    settings = settings or get_settings()
    keys = load_keys(settings)
    app = create_service_app(
        settings,
        title="Rectify issues-api",
        routers=root_routers,
        on_startup=[start_anchoring],
        on_shutdown=[stop_anchoring],
    )
    app.state.keys = keys
    app.state.clock = SystemClock()
    # Tokens of this issuer are checked against its own key, without fetching its own JWKS over HTTP, and
    # against the directory, so that deactivating or moving an account takes effect within seconds.
    accounts = AccountCheck(account_lookup(app.state.database), ttl_seconds=settings.auth.account_recheck_seconds)
    app.state.token_verifier = verifier_from_settings(
        settings.auth, own_keys=JWKSKeySet(keys=[keys.jwk()]), account_check=accounts
    )
    feed_notifier.watch(app.state.database)
    return app

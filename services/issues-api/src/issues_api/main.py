"""The issues-api app factory."""

from __future__ import annotations

from fastapi import FastAPI

from issues_api.api import root_routers
from issues_api.auth.accounts import account_lookup
from issues_api.auth.keys import known_public_keys, load_keys, remember_public_key
from issues_api.config import Settings, get_settings
from issues_api.events.anchor import start_anchoring, stop_anchoring
from issues_api.events.jetstream import start_jetstream, stop_jetstream
from issues_api.events.relaying import start_relaying, stop_relaying
from issues_api.events.router import feed_notifier
from issues_api.housekeeping.loop import start_retention, stop_retention
from issues_api.intake.guard import origin_key
from rectify_kit.app import create_service_app
from rectify_kit.auth import JWKSKeySet, public_jwk, verifier_from_settings
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
        on_startup=[start_relaying, start_anchoring, start_jetstream, start_retention],
        on_shutdown=[stop_retention, stop_jetstream, stop_anchoring, stop_relaying],
    )
    app.state.keys = keys
    remember_public_key(keys, settings)
    # Every key ever used: tokens of a rotated-out key verify until they expire, its anchors for good.
    app.state.public_keys = known_public_keys(settings) | {keys.kid: keys.public_pem}
    app.state.intake_key = origin_key(keys.private_pem)
    app.state.clock = SystemClock()
    # Tokens of this issuer are checked against its own key, without fetching its own JWKS over HTTP, and
    # against the directory, so that deactivating or moving an account takes effect within seconds.
    accounts = AccountCheck(account_lookup(app.state.database), ttl_seconds=settings.auth.account_recheck_seconds)
    app.state.token_verifier = verifier_from_settings(
        settings.auth,
        own_keys=JWKSKeySet(keys=[public_jwk(pem, kid) for kid, pem in app.state.public_keys.items()]),
        account_check=accounts,
    )
    feed_notifier.watch(app.state.database)
    return app

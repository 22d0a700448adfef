"""Request dependencies of the intake: the public caller's origin (its keyed address)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from issues_api.config import IntakeSettings
from issues_api.intake.guard import Origin, origin_of


def intake_settings(request: Request) -> IntakeSettings:
    settings: IntakeSettings = request.app.state.settings.intake
    return settings


def client_address(request: Request, trusted_proxies: list[str]) -> str:
    """The submitter's address: the peer, or behind a trusted proxy (the gateway) the last untrusted hop of
    X-Forwarded-For, as the gateway itself reckons it."""
    peer = request.client.host if request.client else "unknown"
    if peer not in trusted_proxies:
        return peer
    hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in trusted_proxies:
            return hop
    return hops[0] if hops else peer


def get_origin(request: Request) -> Origin:
    key: bytes = request.app.state.intake_key
    return origin_of(client_address(request, intake_settings(request).trusted_proxies), key)


OriginDep = Annotated[Origin, Depends(get_origin)]
IntakeSettingsDep = Annotated[IntakeSettings, Depends(intake_settings)]

"""Every router of issues-api: the /api/v1 domains and the JWKS at the root."""

from __future__ import annotations

from fastapi import APIRouter

from issues_api.attachments.router import router as attachments_router
from issues_api.auth.router import jwks_router
from issues_api.auth.router import router as auth_router
from issues_api.campaigns.router import router as campaigns_router
from issues_api.directory.router import router as directory_router
from issues_api.events.router import router as events_router
from issues_api.intake.router import office_router as intake_router
from issues_api.intake.router import public_router as public_intake_router
from issues_api.ledger.router import router as ledger_router

# Routers of this package declare paths relative to /api/v1.
api_router = APIRouter(prefix="/api/v1")
api_router.include_router(auth_router)
api_router.include_router(directory_router)
api_router.include_router(campaigns_router)
api_router.include_router(public_intake_router)
api_router.include_router(intake_router)

# The ledger's, the feed's and the attachments' routers carry their full /api/v1/... paths.
root_routers = [api_router, ledger_router, attachments_router, events_router, jwks_router]

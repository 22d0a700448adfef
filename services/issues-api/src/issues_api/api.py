"""Every router of issues-api: the /api/v1 domains and the JWKS at the root."""

from __future__ import annotations

from fastapi import APIRouter

from issues_api.accountability.router import router as accountability_router
from issues_api.assignees.router import router as assignees_router
from issues_api.attachments.router import router as attachments_router
from issues_api.auth.router import jwks_router
from issues_api.auth.router import router as auth_router
from issues_api.auth.session_router import router as session_router
from issues_api.campaigns.router import router as campaigns_router
from issues_api.directory.router import router as directory_router
from issues_api.events.router import router as events_router
from issues_api.imports.router import router as imports_router
from issues_api.intake.issue_router import router as issue_public_router
from issues_api.intake.public_router import public_router as public_intake_router
from issues_api.intake.router import office_router as intake_router
from issues_api.ledger.batch_router import router as batch_router
from issues_api.ledger.router import router as ledger_router
from issues_api.open311.router import router as open311_router
from issues_api.saved_views.router import router as saved_views_router
from issues_api.self_inspection.router import router as self_inspection_router

# Routers of this package declare paths relative to /api/v1.
api_router = APIRouter(prefix="/api/v1")
api_router.include_router(auth_router)
api_router.include_router(session_router)
api_router.include_router(directory_router)
api_router.include_router(campaigns_router)
api_router.include_router(public_intake_router)
api_router.include_router(intake_router)

# The ledger's, the feed's, the attachments' and the issues' public replies routers carry their full /api/v1/... paths;
# Open311 its own.
root_routers = [
    # The routes under /api/v1/issues first: a request is matched against every route before its own, and the
    # ledger's reads (GET /api/v1/issues, GET /api/v1/issues/{issue_id}) are the busiest; behind the 36 routes of
    # api_router their matching cost more than their query. No route of api_router is under /api/v1/issues
    # (tests/app/test_app.py checks that every route is the first to match its own paths).
    # Before the ledger's, whose /api/v1/issues/{issue_id} would otherwise take /api/v1/issues/import-jobs.
    imports_router,
    # Before the ledger's too: /api/v1/issues/{issue_id}/assign would take /api/v1/issues/batch/assign.
    batch_router,
    saved_views_router,
    self_inspection_router,
    ledger_router,
    api_router,
    assignees_router,
    attachments_router,
    issue_public_router,
    events_router,
    accountability_router,
    jwks_router,
    open311_router,
]

"""The /api/v1 router of issues-api: every domain's routes, plus the JWKS at the root."""

from __future__ import annotations

from fastapi import APIRouter

from issues_api.auth.router import jwks_router
from issues_api.auth.router import router as auth_router
from issues_api.directory.router import router as directory_router

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(auth_router)
api_router.include_router(directory_router)

root_routers = [api_router, jwks_router]

"""The /api/v1 routers of report-api."""

from __future__ import annotations

from fastapi import APIRouter

from report_api.exports.router import router as exports_router
from report_api.figures.router import router as figures_router
from report_api.meetings.router import router as meetings_router
from report_api.readmodel.router import router as admin_router

routers: list[APIRouter] = [figures_router, exports_router, meetings_router, admin_router]

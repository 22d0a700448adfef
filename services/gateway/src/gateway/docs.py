"""`/api/v1/openapi.json`: the merged document of all services; `/docs`: Swagger UI over it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from gateway.openapi_merge import merge_documents
from gateway.probes import OpenApiSource

OPENAPI_PATH = "/api/v1/openapi.json"

router = APIRouter(tags=["gateway"])


@router.get(OPENAPI_PATH, summary="合并的 OpenAPI 文档 / The merged OpenAPI document", include_in_schema=False)
async def openapi(request: Request) -> JSONResponse:
    source: OpenApiSource = request.app.state.openapi_source
    documents, missing = await source.documents()
    own: dict[str, Any] = request.app.openapi()
    merged = merge_documents(own, documents)
    merged["info"] = {
        "title": "Rectify 整改台账 API",
        "version": own.get("info", {}).get("version", "0.1.0"),
        "description": "整改台账与督查督办平台的全部接口（经网关）。All Rectify endpoints, through the gateway.",
    }
    if missing:
        merged["info"]["x-unavailable-services"] = missing
    return JSONResponse(merged, headers={"Cache-Control": "no-cache"})


@router.get("/docs", include_in_schema=False)
async def docs() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url=OPENAPI_PATH, title="Rectify 整改台账 API")

"""`/api/v1/openapi.json`: the merged document of all services; `/docs`: Swagger UI over it, served from here.

Swagger UI's files come from npm's `swagger-ui-dist`, copied into the built web app (`<spa_dir>/swagger-ui/`) by
the frontend build, and are served under `/docs/`; the page starts them with a script of its own file, so the
page runs under a policy without inline scripts and loads nothing from another origin.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from gateway.csp import docs_policy
from gateway.openapi_gateway import add_gateway_answers
from gateway.openapi_merge import merge_documents
from gateway.probes import OpenApiSource
from rectify_kit.errors import NotFound

OPENAPI_PATH = "/api/v1/openapi.json"
TITLE = "Rectify 整改台账 API"
SWAGGER_FILES = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"})
_START = f"""window.addEventListener("load", function () {{
  window.ui = SwaggerUIBundle({{
    url: "{OPENAPI_PATH}",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  }});
}});
"""
_PAGE = f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{escape(TITLE)}</title>
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/start.js"></script>
</body>
</html>
"""

router = APIRouter(tags=["gateway"])


@router.get(OPENAPI_PATH, summary="合并的 OpenAPI 文档 / The merged OpenAPI document", include_in_schema=False)
async def openapi(request: Request) -> JSONResponse:
    source: OpenApiSource = request.app.state.openapi_source
    documents, missing = await source.documents()
    merged = gateway_document(
        request.app.openapi(), documents, missing=missing, max_body_bytes=request.app.state.settings.max_body_bytes
    )
    return JSONResponse(merged, headers={"Cache-Control": "no-cache"})


def gateway_document(
    own: dict[str, Any], documents: Mapping[str, Mapping[str, Any]], *, missing: list[str], max_body_bytes: int
) -> dict[str, Any]:
    """The gateway's published document: its `own` paths, the services' `documents`, the unavailable ones named.

    `scripts/openapi_document.py` builds the same document offline, for the SPA's generated types.
    """
    merged = add_gateway_answers(merge_documents(own, documents), max_body_bytes=max_body_bytes)
    merged["info"] = {
        "title": TITLE,
        "version": own.get("info", {}).get("version", "0.1.0"),
        "description": "整改台账与督查督办平台的全部接口（经网关）。All Rectify endpoints, through the gateway.",
    }
    if missing:
        merged["info"]["x-unavailable-services"] = missing
    return merged


@router.get("/docs", include_in_schema=False)
async def docs() -> HTMLResponse:
    return HTMLResponse(_PAGE, headers={"Content-Security-Policy": docs_policy(), "Cache-Control": "no-cache"})


@router.get("/docs/start.js", include_in_schema=False)
async def start() -> Response:
    return Response(_START, media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "no-cache"})


@router.get("/docs/{name}", include_in_schema=False)
async def swagger_file(request: Request, name: str) -> FileResponse:
    path = Path(request.app.state.settings.spa_dir) / "swagger-ui" / name
    if name not in SWAGGER_FILES or not path.is_file():
        raise NotFound(f"no file {name} (the web app's build copies Swagger UI: run `make frontend`)")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=3600"})

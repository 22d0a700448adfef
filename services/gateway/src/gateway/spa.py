"""The built SPA (frontend/dist): hashed assets cached for a year, index.html for every SPA route."""

from __future__ import annotations

from pathlib import Path

from starlette.responses import FileResponse
from starlette.types import Receive, Scope, Send

from rectify_kit.errors import NotFound, ProblemError, ServiceUnavailable

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
_OTHER_FILES = "public, max-age=3600"


class MethodNotAllowed(ProblemError):
    status, code, title_zh, title_en = 405, "method-not-allowed", "不支持该方法", "Method not allowed"


class Spa:
    """Serves files under `root`; a path that is no file gets index.html (the SPA's history fallback)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in ("GET", "HEAD"):
            raise MethodNotAllowed(headers={"Allow": "GET, HEAD"})
        index = self.root / "index.html"
        if not index.is_file():
            raise ServiceUnavailable(
                f"the web app is not built: {self.root} has no index.html (run `make frontend`)",
                code="spa-not-built",
                title_zh="前端页面尚未构建",
                title_en="The web app is not built",
            )
        path: str = scope["path"]
        found = self._file(path)
        if found is not None:
            cache = IMMUTABLE if path.startswith("/assets/") else _OTHER_FILES
            if found == index:
                cache = REVALIDATE
            response = FileResponse(found, headers={"Cache-Control": cache})
        elif path.startswith("/assets/"):
            # A missing hashed asset is a stale page asking for an old build: index.html would be wrong here.
            raise NotFound(f"no asset {path}")
        else:
            response = FileResponse(index, headers={"Cache-Control": REVALIDATE})
        await response(scope, receive, send)

    def _file(self, path: str) -> Path | None:
        relative = path.lstrip("/")
        if not relative:
            return None
        candidate = (self.root / relative).resolve()
        if not candidate.is_relative_to(self.root) or not candidate.is_file():
            return None
        return candidate

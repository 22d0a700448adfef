"""The built web apps (frontend/dist): the staff SPA (index.html) and the light public pages (public.html).

Hashed assets are cached for a year, the HTML pages revalidated. Every file built with a `.br`/`.gz` sibling
is answered in the best coding the client accepts, with `Vary: Accept-Encoding` — except the HTML pages: each
answer of one carries a nonce of its own in its Content-Security-Policy and its tags (csp.py), so they are sent
as built, with the nonce filled in.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.types import Receive, Scope, Send

from gateway.csp import new_nonce, page_policy, with_nonce
from gateway.encodings import FILE_CODINGS, accepted_codings
from rectify_kit.errors import NotFound, ProblemError, ServiceUnavailable

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
_OTHER_FILES = "public, max-age=3600"
# The citizen's pages: a separate light build (no staff code), so a phone on a slow network loads little.
PUBLIC_PAGES = ("/submit", "/track")
PUBLIC_HTML = "public.html"


class MethodNotAllowed(ProblemError):
    status, code, title_zh, title_en = 405, "method-not-allowed", "不支持该方法", "Method not allowed"


def is_public_page(path: str) -> bool:
    return any(path == page or path.startswith(page + "/") for page in PUBLIC_PAGES)


class Spa:
    """Serves files under `root`; a path that is no file gets its app's HTML page (history fallback)."""

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
            if found.suffix == ".html":
                cache = REVALIDATE
        elif path.startswith("/assets/"):
            # A missing hashed asset is a stale page asking for an old build: index.html would be wrong here.
            raise NotFound(f"no asset {path}")
        else:
            public = self.root / PUBLIC_HTML
            found, cache = (public if is_public_page(path) and public.is_file() else index), REVALIDATE
        await self._respond(found, cache, scope, receive, send)

    async def _respond(self, found: Path, cache: str, scope: Scope, receive: Receive, send: Send) -> None:
        if found.suffix == ".html":
            await _page(found)(scope, receive, send)
            return
        media_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        headers = {"Cache-Control": cache}
        variants = [(coding, found.with_name(found.name + suffix)) for coding, suffix in FILE_CODINGS]
        variants = [(coding, file) for coding, file in variants if file.is_file()]
        served = found
        if variants:
            headers["Vary"] = "Accept-Encoding"
            accepted = accepted_codings(Headers(scope=scope).get("accept-encoding"))
            for coding, file in variants:
                if coding in accepted:
                    served, headers["Content-Encoding"] = file, coding
                    break
        await FileResponse(served, headers=headers, media_type=media_type)(scope, receive, send)

    def _file(self, path: str) -> Path | None:
        relative = path.lstrip("/")
        if not relative:
            return None
        candidate = (self.root / relative).resolve()
        if not candidate.is_relative_to(self.root) or not candidate.is_file():
            return None
        return candidate


def _page(found: Path) -> Response:
    """An HTML page with a fresh nonce in its tags and its policy (revalidated, without validators: never reused)."""
    nonce = new_nonce()
    headers = {"Cache-Control": REVALIDATE, "Content-Security-Policy": page_policy(nonce)}
    return Response(with_nonce(found.read_bytes(), nonce), headers=headers, media_type="text/html; charset=utf-8")

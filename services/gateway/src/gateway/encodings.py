"""Content codings: which precompressed file answers a request's `Accept-Encoding`, and the JSON compression.

Files are compressed once at build time (`frontend/scripts/precompress.mjs` writes `X.br` and `X.gz` beside
every asset `X`); answers of the services and the gateway's own JSON are compressed on the fly when over 1 KB.
"""

from __future__ import annotations

from starlette.types import ASGIApp
from starlette_compress import CompressMiddleware, add_compress_type, remove_compress_type

# Best first: brotli is about a fifth smaller than gzip on our scripts.
FILE_CODINGS: tuple[tuple[str, str], ...] = (("br", ".br"), ("gzip", ".gz"))
COMPRESS_OVER_BYTES = 1024


def accepted_codings(header: str | None) -> frozenset[str]:
    """The codings a client accepts (RFC 9110 §12.5.3): listed without `q=0`, or covered by `*`."""
    if not header:
        return frozenset()
    accepted: set[str] = set()
    refused: set[str] = set()
    wildcard = False
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if name == "*":
            wildcard = quality > 0
        elif quality > 0:
            accepted.add(name)
        else:
            refused.add(name)
    if wildcard:
        accepted |= {coding for coding, _ in FILE_CODINGS} - refused
    return frozenset(accepted)


def configure_compressible_types() -> None:
    """Never server-sent events: each event must reach the browser the moment it is sent, and the proxy's
    disconnect watch must see the stream as it is. Problems are JSON too. Downloads (xlsx, docx, zip,
    octet-stream) are not text and pass untouched; answers that already carry a `Content-Encoding` (the
    precompressed files) too.
    """
    remove_compress_type("text/event-stream")
    add_compress_type("application/problem+json")


class Compression(CompressMiddleware):
    """JSON (and other text) answers over 1 KB go out brotli- or gzip-compressed, as the client accepts."""

    def __init__(self, app: ASGIApp) -> None:
        configure_compressible_types()
        super().__init__(app, minimum_size=COMPRESS_OVER_BYTES, zstd=False, brotli_quality=4, gzip_level=6)

"""The Content-Security-Policy of the pages the gateway serves, each answer with a nonce of its own.

The web apps are built with the placeholder `NONCE_PLACEHOLDER` in their HTML (Vite's `html.cspNonce`: on their
`<script>`, `<link>`, `<style>` tags and in `<meta property="csp-nonce">`, from which antd's CSS-in-JS takes it);
each answer replaces it with a fresh random nonce named in its policy. Scripts come only from this origin, never
inline; styles from this origin or carrying the nonce; nothing may frame the pages.
"""

from __future__ import annotations

import base64
import os

NONCE_PLACEHOLDER = "__CSP_NONCE__"


def new_nonce() -> str:
    return base64.b64encode(os.urandom(18)).decode()


def page_policy(nonce: str) -> str:
    """The policy of an HTML page of the SPA or the public app."""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def docs_policy() -> str:
    """The API documentation page: Swagger UI's files from this origin (it sets element styles through the DOM)."""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def with_nonce(html: bytes, nonce: str) -> bytes:
    return html.replace(NONCE_PLACEHOLDER.encode(), nonce.encode())

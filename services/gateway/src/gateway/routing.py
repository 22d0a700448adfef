"""Which upstream owns a path (docs/api.md's prefix table), which paths are public, how long each may take."""

from __future__ import annotations

from enum import StrEnum

PREFIXES: dict[str, tuple[str, ...]] = {
    "issues-api": (
        "/api/v1/auth",
        "/api/v1/units",
        "/api/v1/users",
        "/api/v1/clients",
        "/api/v1/campaigns",
        "/api/v1/issues",
        "/api/v1/intake",
        "/api/v1/public",
        "/api/v1/events",
        "/api/v1/audit",
        "/api/v1/accountability-records",
        "/.well-known",
        "/open311",
    ),
    "notify-api": (
        "/api/v1/notifications",
        "/api/v1/escalation-policies",
        "/api/v1/escalations",
        "/api/v1/webhooks",
        "/api/v1/channels",
        "/api/v1/calendar",
        "/api/v1/deliveries",
    ),
    "report-api": ("/api/v1/reports",),
}

# Matched on whole path segments, longest first, so `/api/v1/escalations` never swallows
# `/api/v1/escalation-policies` and `/api/v1/issuesX` belongs to nobody: a path's first segments are looked up, as
# many as the prefixes have (three for `/api/v1/issues`, one for `/open311`), the most first.
_BY_PREFIX: dict[str, tuple[str, str]] = {
    prefix: (service, prefix) for service, prefixes in PREFIXES.items() for prefix in prefixes
}
_SEGMENT_COUNTS = sorted({prefix.count("/") for prefix in _BY_PREFIX}, reverse=True)

# Open311 GeoReport v2 is read anonymously; its POST carries an integration client's api_key in the body.
PUBLIC_PREFIXES = ("/api/v1/public/", "/.well-known/", "/open311/")
LOGIN_PATH = "/api/v1/auth/token"
# Signing in, and the web app's session cookie exchanged for a token or ended: no bearer token, limited per IP.
SIGN_IN_PATHS = frozenset({LOGIN_PATH, "/api/v1/auth/refresh", "/api/v1/auth/logout"})
# Public submissions and the feedback on them: limited per client IP.
PUBLIC_WRITE_PREFIX = "/api/v1/public/submissions"
# Open311 requests are posted with a client's secret (api_key): limited per client IP like sign-ins.
OPEN311_PREFIX = "/open311/"

_LONG_SUFFIXES = (".xlsx", ".docx", ".zip", ".csv")
_LONG_PATHS = ("/api/v1/events", "/api/v1/escalations/feed", "/api/v1/issues/import", "/api/v1/campaigns/import")
_STREAM_PATHS = ("/api/v1/notifications/stream",)


class TimeoutKind(StrEnum):
    default = "default"
    long = "long"
    stream = "stream"


def upstream_for(path: str) -> tuple[str, str] | None:
    """(service, matched prefix) for a path, or None when no upstream owns it."""
    segments = path.split("/", _SEGMENT_COUNTS[0] + 1)
    for count in _SEGMENT_COUNTS:
        routed = _BY_PREFIX.get("/".join(segments[: count + 1]))
        if routed is not None:
            return routed
    return None


def is_public(path: str) -> bool:
    """Routes that pass the gateway without a token (the services still decide what they answer)."""
    return path in SIGN_IN_PATHS or path.startswith(PUBLIC_PREFIXES)


def timeout_kind(path: str, query: bytes, *, event_stream: bool = False) -> TimeoutKind:
    """`event_stream`: the client asked for `text/event-stream` (as a browser's EventSource does)."""
    if event_stream or path.startswith(_STREAM_PATHS):
        return TimeoutKind.stream
    if path.endswith(_LONG_SUFFIXES) or path.startswith(_LONG_PATHS) or b"wait=" in query:
        return TimeoutKind.long
    return TimeoutKind.default

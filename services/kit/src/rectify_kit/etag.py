"""ETags from a row's version, and the If-Match check that makes updates safe against lost writes."""

from __future__ import annotations

from fastapi import Request

from rectify_kit.errors import PreconditionFailed, PreconditionRequired


def etag_for(version: int) -> str:
    return f'"{version}"'


def parse_etag(value: str) -> str:
    value = value.strip()
    return value[2:] if value.startswith("W/") else value


def require_if_match(request: Request, current_version: int) -> None:
    """No If-Match is 428; one that names another version is 412 (someone changed it meanwhile)."""
    header = request.headers.get("if-match")
    if header is None:
        raise PreconditionRequired("If-Match header with the ETag from GET is required")
    tags = {parse_etag(t) for t in header.split(",")}
    if "*" not in tags and etag_for(current_version) not in tags:
        raise PreconditionFailed("the resource changed since it was read", current_etag=etag_for(current_version))

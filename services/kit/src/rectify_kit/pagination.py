"""Cursor pagination: opaque cursors that carry the sort key of the last item seen."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from rectify_kit.errors import Unprocessable

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(default=None, description="pass as `cursor` for the next page / 下一页游标")
    total: int = Field(description="items matching the filters / 符合条件的总数")


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *, length: int | None = None) -> list[Any]:
    """The values of a cursor; a cursor that was not made by `encode_cursor` is a 422."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise Unprocessable("invalid cursor", errors=[{"field": "cursor", "message": "invalid cursor"}]) from exc
    if not isinstance(values, list) or (length is not None and len(values) != length):
        raise Unprocessable("invalid cursor", errors=[{"field": "cursor", "message": "invalid cursor"}])
    return values

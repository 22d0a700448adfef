"""Types of query parameters that mean the same in every service."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")


def _iso_date(value: Any) -> Any:
    """Only `YYYY-MM-DD`: pydantic alone would also take `0` as a Unix time (1970-01-01)."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def _iso_datetime(value: Any) -> Any:
    """Only ISO 8601 / W3C date-times (`2026-11-01T08:00:00+08:00`): never a bare number as a Unix time."""
    if isinstance(value, str) and not _ISO_DATETIME.fullmatch(value):
        raise ValueError("expected a date-time as YYYY-MM-DDThh:mm:ss with an optional offset")
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]

"""An issue as the hot reads load it: plain column values, no ORM objects.

`GET /api/v1/issues/{id}` and the ledger's list on SQLite read issues with SQLAlchemy Core
(repository.read_issue_record, repository.list_issue_items): an ORM instance costs more CPU to build than the rest of
such a read. A record has what the access rules (access.py) look at, under the same names as `Issue`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class CoUnitRecord:
    unit_id: str
    status: str


@dataclass(frozen=True, slots=True)
class IssueRecord:
    """The issue's columns by name (every column of `issues`), its co-units in order, its deadline history in
    order as (deadline, kind, at), and (read by the list) each unit's responsible person as unit id -> (user id,
    display name)."""

    values: Mapping[str, Any]
    co_units: list[CoUnitRecord]
    deadlines: list[tuple[date, str, datetime]]
    people: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.values["id"])

    @property
    def status(self) -> str:
        return str(self.values["status"])

    @property
    def lead_unit_id(self) -> str | None:
        value = self.values["lead_unit_id"]
        return None if value is None else str(value)

    @property
    def deadline(self) -> date | None:
        value: date | None = self.values["deadline"]
        return value

    @property
    def version(self) -> int:
        return int(self.values["version"])

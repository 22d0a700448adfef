"""Reading a ledger spreadsheet (Excel .xlsx or CSV) into rows keyed by field name.

Headers may be Chinese or English (问题/title, 责任单位/lead_unit, 整改时限/deadline, …); unknown columns are
ignored. Values stay text here; the import service validates them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

HEADERS: dict[str, str] = {
    "问题": "title",
    "标题": "title",
    "title": "title",
    "问题描述": "description",
    "描述": "description",
    "description": "description",
    "原因": "cause",
    "cause": "cause",
    "措施": "measures",
    "measures": "measures",
    "要求": "requirements",
    "requirements": "requirements",
    "责任单位": "lead_unit",
    "牵头单位": "lead_unit",
    "lead_unit": "lead_unit",
    "配合单位": "co_units",
    "协办单位": "co_units",
    "co_units": "co_units",
    "整改时限": "deadline",
    "deadline": "deadline",
    "分类": "category",
    "category": "category",
    "来源": "source",
    "source": "source",
    "类型": "kind",
    "kind": "kind",
    "地区": "city",
    "city": "city",
}


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number a user sees in the sheet (header is row 1)
    values: dict[str, str]


class UnreadableSheet(ValueError):
    pass


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _rows(table: list[list[Any]]) -> list[SheetRow]:
    if not table:
        raise UnreadableSheet("the sheet is empty")
    fields = [HEADERS.get(_cell_text(h).lower(), HEADERS.get(_cell_text(h), "")) for h in table[0]]
    if "title" not in fields:
        raise UnreadableSheet("no 问题/title column")
    rows = []
    for offset, raw in enumerate(table[1:], start=2):
        values = {f: _cell_text(v) for f, v in zip(fields, raw, strict=False) if f}
        if any(values.values()):
            rows.append(SheetRow(number=offset, values=values))
    return rows


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableSheet("CSV must be UTF-8 or GB18030")


def read_sheet(data: bytes) -> list[SheetRow]:
    """The rows of an .xlsx (first sheet) or a CSV file, judged on the content."""
    if data[:2] == b"PK":
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise UnreadableSheet("not a readable .xlsx workbook") from exc
        sheet = workbook.worksheets[0]
        return _rows([list(r) for r in sheet.iter_rows(values_only=True)])
    return _rows([list(r) for r in csv.reader(io.StringIO(_decode(data)))])

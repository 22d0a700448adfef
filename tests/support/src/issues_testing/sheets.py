"""Building ledger files (.xlsx) for the import tests."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook, load_workbook


def xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fill_template(template: bytes, rows: list[dict[str, Any]]) -> bytes:
    """The template with `rows` written under its sample row, by header (as a clerk fills it in)."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(str(h), None) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


LARGE_HEADER = ["序号", "问题", "原因", "措施", "责任单位", "配合单位", "整改时限", "分类"]
# Every 250th row is spoilt, each in one field, so that a 5,000-row file has exactly 20 bad rows.
BAD_EVERY = 250
_SPOILERS: list[tuple[int, Any, str]] = [
    (4, "无此单位", "lead_unit"),
    (6, "明年三月", "deadline"),
    (1, "", "title"),
    (7, "无此分类", "category"),
]


def large_ledger(count: int, *, tag: str, spoil: bool) -> tuple[bytes, dict[int, str]]:
    """A ledger of `count` rows (titles tagged); with `spoil`, every BAD_EVERY-th row has one error. Returns the
    file and the spoilt rows' sheet numbers with the field each got wrong."""
    units = ["单位A", "单位B", "单位C"]
    rows: list[list[Any]] = [LARGE_HEADER]
    bad: dict[int, str] = {}
    for n in range(count):
        row: list[Any] = [
            n + 1,
            f"{tag} 问题 {n:05d}",
            "原因",
            "措施",
            units[n % 3],
            units[(n + 1) % 3],
            "2027-06-30",
            "C1",
        ]
        if spoil and n % BAD_EVERY == BAD_EVERY - 1:
            column, value, field = _SPOILERS[(n // BAD_EVERY) % len(_SPOILERS)]
            row[column] = value
            bad[n + 2] = field
        rows.append(row)
    return xlsx(rows), bad

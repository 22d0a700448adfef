"""The ledger workbook (columns of DESIGN.md), written row by row in openpyxl's write-only mode."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from rectify_kit.clock import BUSINESS_TZ
from report_api.labels import LEDGER_COLUMNS, STATUS, TEXTS, Lang

WIDTHS = (7, 16, 40, 30, 30, 20, 24, 12, 30, 10, 18)
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "yyyy-mm-dd hh:mm"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class LedgerWriter:
    """One workbook; with `split`, a sheet per status or per lead unit (rows must come grouped)."""

    def __init__(self, *, lang: Lang, units: dict[str, str]) -> None:
        self.lang = lang
        self.units = units
        self.workbook = Workbook(write_only=True)
        self._sheet: Any = None
        self._sheet_key: object = object()
        self._number = 0
        self._names: set[str] = set()
        self._bold = Font(bold=True)
        self._wrap = Alignment(wrap_text=True, vertical="top")

    def _open_sheet(self, title: str) -> None:
        name = _SHEET_FORBIDDEN.sub("_", title)[:31] or "-"
        while name in self._names:
            name = f"{name[:28]}~{len(self._names)}"
        self._names.add(name)
        sheet = self.workbook.create_sheet(name)
        sheet.freeze_panes = "A2"
        for index, width in enumerate(WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        header = []
        for text in LEDGER_COLUMNS[self.lang]:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = self._bold
            header.append(cell)
        sheet.append(header)
        self._sheet, self._number = sheet, 0

    def _sheet_title(self, split: str | None, row: Any) -> tuple[object, str]:
        if split == "status":
            return row.status, STATUS[self.lang].get(row.status, row.status)
        if split == "unit":
            return row.lead_unit_id, self.units.get(row.lead_unit_id or "", TEXTS[self.lang]["no_unit"])
        return None, TEXTS[self.lang]["ledger"]

    def add(self, row: Any, *, split: str | None) -> None:
        key, title = self._sheet_title(split, row)
        if self._sheet is None or key != self._sheet_key:
            self._open_sheet(title)
            self._sheet_key = key
        self._number += 1
        sheet = self._sheet
        deadline = WriteOnlyCell(sheet, value=row.deadline)
        deadline.number_format = DATE_FORMAT
        closed = WriteOnlyCell(sheet, value=_local(row.closed_at))
        closed.number_format = TIME_FORMAT
        progress = f"{row.progress_percent}%" + (f" {row.latest_progress}" if row.latest_progress else "")
        co_units = "、".join(self.units.get(u, u) for u in row.co_unit_ids or [])
        sheet.append(
            [
                self._number,
                row.code,
                row.title,
                row.cause,
                row.measures,
                self.units.get(row.lead_unit_id or "", ""),
                co_units,
                deadline,
                progress,
                STATUS[self.lang].get(row.status, row.status),
                closed,
            ]
        )

    def add_many(self, rows: list[Any], *, split: str | None) -> None:
        for row in rows:
            self.add(row, split=split)

    def save(self, path: Path) -> None:
        if self._sheet is None:
            self._open_sheet(TEXTS[self.lang]["ledger"])
        self.workbook.save(path)


def _local(moment: datetime | None) -> datetime | None:
    # Excel has no time zones: closure times are written as Beijing wall-clock time.
    return moment.astimezone(BUSINESS_TZ).replace(tzinfo=None) if moment else None


async def write_ledger(
    batches: AsyncIterator[list[Any]], path: Path, *, lang: Lang, units: dict[str, str], split: str | None
) -> int:
    """Write every row to `path`; returns how many rows were written.

    Rows are formatted in a worker thread, batch by batch, so the event loop keeps serving other requests.
    """
    writer = LedgerWriter(lang=lang, units=units)
    count = 0
    async for batch in batches:
        await asyncio.to_thread(writer.add_many, batch, split=split)
        count += len(batch)
    await asyncio.to_thread(writer.save, path)
    return count

"""The ledger workbook (columns of docs/architecture.md, "Reports"), streamed row by row into the XLSX file."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

from rectify_kit.clock import BUSINESS_TZ
from report_api.exports.xlsx_stream import StreamingWorkbook
from report_api.labels import LEDGER_COLUMNS, STATUS, TEXTS, Lang

WIDTHS = (7, 16, 40, 30, 30, 20, 24, 12, 12, 30, 10, 18)
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class LedgerWriter:
    """One workbook; with `split`, a sheet per status or per lead unit (rows must come grouped)."""

    def __init__(self, path: Path, *, lang: Lang, units: dict[str, str]) -> None:
        self.lang = lang
        self.units = units
        self.workbook = StreamingWorkbook(path)
        self._sheet_key: object = object()
        self._opened = False
        self._number = 0
        self._names: set[str] = set()

    def _open_sheet(self, title: str) -> None:
        name = _SHEET_FORBIDDEN.sub("_", title)[:31] or "-"
        while name in self._names:
            name = f"{name[:28]}~{len(self._names)}"
        self._names.add(name)
        self.workbook.add_sheet(name, widths=WIDTHS, header=LEDGER_COLUMNS[self.lang])
        self._opened, self._number = True, 0

    def _sheet_title(self, split: str | None, row: Any) -> tuple[object, str]:
        if split == "status":
            return row.status, STATUS[self.lang].get(row.status, row.status)
        if split == "unit":
            return row.lead_unit_id, self.units.get(row.lead_unit_id or "", TEXTS[self.lang]["no_unit"])
        return None, TEXTS[self.lang]["ledger"]

    def add(self, row: Any, *, split: str | None) -> None:
        key, title = self._sheet_title(split, row)
        if not self._opened or key != self._sheet_key:
            self._open_sheet(title)
            self._sheet_key = key
        self._number += 1
        progress = f"{row.progress_percent}%" + (f" {row.latest_progress}" if row.latest_progress else "")
        self.workbook.append(
            [
                self._number,
                row.code,
                row.title,
                row.cause,
                row.measures,
                self.units.get(row.lead_unit_id or "", ""),
                "、".join(self.units.get(u, u) for u in row.co_unit_ids or []),
                row.responsible_name or "",
                row.deadline,
                progress,
                STATUS[self.lang].get(row.status, row.status),
                _local(row.closed_at),
            ]
        )

    def add_many(self, rows: list[Any], *, split: str | None) -> None:
        for row in rows:
            self.add(row, split=split)

    def close(self) -> None:
        if not self._opened:
            self._open_sheet(TEXTS[self.lang]["ledger"])
        self.workbook.close()


def _local(moment: datetime | None) -> datetime | None:
    # Excel has no time zones: closure times are written as Beijing wall-clock time.
    return moment.astimezone(BUSINESS_TZ).replace(tzinfo=None) if moment else None


async def write_ledger(
    batches: AsyncIterator[list[Any]], path: Path, *, lang: Lang, units: dict[str, str], split: str | None
) -> int:
    """Write every row to `path`; returns how many rows were written.

    Rows are formatted in a worker thread, batch by batch, so the event loop keeps serving other requests.
    """
    writer = await asyncio.to_thread(LedgerWriter, path, lang=lang, units=units)
    count = 0
    async for batch in batches:
        await asyncio.to_thread(writer.add_many, batch, split=split)
        count += len(batch)
    await asyncio.to_thread(writer.close)
    return count

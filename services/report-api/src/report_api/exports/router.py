"""GET /api/v1/reports/ledger.xlsx: the filtered ledger as a workbook, streamed from a temporary file."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from rectify_kit.db import SnapshotSessionDep
from rectify_kit.errors import problem_responses
from report_api.access import ReaderDep
from report_api.exports.ledger import write_ledger
from report_api.exports.repository import ledger_rows
from report_api.figures.filters import FiltersDep, scoped
from report_api.figures.repository import unit_names
from report_api.labels import TEXTS, LangDep

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 256 * 1024


def file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''{quote(filename)}"}


@router.get(
    "/ledger.xlsx",
    summary="导出整改台账 / Export the ledger (Excel)",
    response_class=StreamingResponse,
    responses={200: {"content": {XLSX: {}}}, **problem_responses(401, 403, 422)},
)
async def export_ledger(
    session: SnapshotSessionDep,
    reader: ReaderDep,
    filters: FiltersDep,
    lang: LangDep,
    split: Annotated[
        Literal["status", "unit"] | None, Query(description="每状态/每单位一个工作表 / a sheet per")
    ] = None,
) -> StreamingResponse:
    f = scoped(filters, reader)
    names = {unit_id: name for unit_id, (_code, name) in (await unit_names(session)).items()}
    handle, raw_path = tempfile.mkstemp(suffix=".xlsx", prefix="ledger-")
    os.close(handle)
    path = Path(raw_path)
    try:
        await write_ledger(ledger_rows(session, f, split=split), path, lang=lang, units=names, split=split)
    except BaseException:
        await asyncio.to_thread(path.unlink, missing_ok=True)
        raise
    return StreamingResponse(
        file_chunks(path),
        media_type=XLSX,
        headers=attachment(f"{TEXTS[lang]['ledger']}.xlsx"),
        background=BackgroundTask(path.unlink, missing_ok=True),
    )

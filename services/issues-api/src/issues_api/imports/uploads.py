"""An uploaded sheet, read within the import's limits: 10 MB, and an .xlsx bounded before it is opened."""

from __future__ import annotations

from fastapi import Request

from issues_api.imports.errors import UnreadableFile
from issues_api.imports.sheet import Sheet, UnreadableSheet, read_sheet
from rectify_kit.field_messages import field_error
from rectify_kit.uploads import Upload, multipart_body, read_upload

MAX_SHEET_BYTES = 10 * 1024 * 1024
SHEET_BODY = multipart_body("file", ".xlsx or .csv with a header row (问题, 责任单位, 整改时限, …)")


async def read_sheet_upload(request: Request) -> tuple[Sheet, Upload]:
    """The multipart `file` as a sheet (413 over the limit, 422 `unreadable-ledger` when it is not one)."""
    upload = await read_upload(request, limit=MAX_SHEET_BYTES)
    try:
        return read_sheet(upload.data), upload
    except UnreadableSheet as exc:
        raise UnreadableFile(str(exc), errors=[field_error("file", f"无法读取：{exc}", str(exc))]) from exc

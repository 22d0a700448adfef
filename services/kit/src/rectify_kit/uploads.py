"""Uploads read by the route itself, after the caller's rights are checked, and archives bounded before opening.

FastAPI parses a declared `UploadFile`/`Form` body *before* it runs the route's dependencies, so anyone with a
token could make a service spool and parse a large multipart body that the role check then refuses. A route
that takes uploads therefore declares no form parameter: its dependencies (the role, the scoping) run first,
then it calls `read_upload`. `multipart_body` documents the body in OpenAPI all the same.

`check_archive` refuses a zip (an .xlsx is one) whose members would expand beyond a bound, judged on the sizes
the archive declares — Python's zipfile never inflates a member past its declared size — before any parser
opens it.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from rectify_kit.errors import PayloadTooLarge, Unprocessable

_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Upload:
    filename: str | None
    content_type: str | None
    data: bytes


class ArchiveTooLarge(PayloadTooLarge):
    code, title_zh, title_en = "archive-too-large", "压缩文件解压后过大", "The archive expands too much"


def multipart_body(field: str = "file", description: str = "") -> dict[str, Any]:
    """`openapi_extra` for a route that reads a multipart file itself (see `read_upload`)."""
    schema = {"type": "string", "format": "binary", "description": description}
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": {field: schema}, "required": [field]}
                }
            },
        }
    }


async def read_upload(
    request: Request, *, limit: int, field: str = "file", too_large: type[PayloadTooLarge] = PayloadTooLarge
) -> Upload:
    """The multipart file `field` of the request, at most `limit` bytes (`too_large` beyond, 422 when missing)."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Unprocessable("a multipart/form-data body is required", errors=[{"field": field, "message": "required"}])
    async with request.form(max_files=1, max_fields=10) as form:
        upload = form.get(field)
        if not isinstance(upload, UploadFile):
            raise Unprocessable(f"multipart field `{field}` missing", errors=[{"field": field, "message": "required"}])
        chunks, size = [], 0
        while chunk := await upload.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise too_large(f"the limit is {limit} bytes", max_bytes=limit)
            chunks.append(chunk)
        return Upload(filename=upload.filename, content_type=upload.content_type, data=b"".join(chunks))


def check_archive(data: bytes, *, max_expanded: int, max_members: int = 1000) -> None:
    """Refuse a zip whose members would expand to more than `max_expanded` bytes in all, or that has more than
    `max_members` members (`ArchiveTooLarge`); a damaged zip is left for the parser to refuse."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if len(members) > max_members:
        raise ArchiveTooLarge(f"the archive has {len(members)} members, at most {max_members} are read")
    expanded = sum(member.file_size for member in members)
    if expanded > max_expanded:
        raise ArchiveTooLarge(
            f"the archive expands to {expanded} bytes, at most {max_expanded} are read", max_bytes=max_expanded
        )

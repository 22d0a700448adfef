"""Uploads read by the route itself, after the caller's rights are checked, and archives bounded before opening.

FastAPI parses a declared `UploadFile`/`Form` body *before* it runs the route's dependencies, so anyone with a
token could make a service spool and parse a large multipart body that the role check then refuses. A route
that takes uploads therefore declares no form parameter: its dependencies (the role, the scoping) run first,
then it calls `read_upload`. `multipart_body` documents the body in OpenAPI all the same.

`read_upload` reads a form of at most one file and ten fields (Starlette's parser limits), and answers a form
past them as 413 `form-too-large` rather than Starlette's bare 400.

`check_archive` refuses a zip (an .xlsx is one) whose members would expand beyond a bound, judged on the sizes
the archive declares — Python's zipfile never inflates a member past its declared size — before any parser
opens it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from rectify_kit.errors import PayloadTooLarge, Unprocessable
from rectify_kit.openapi import problem_response

_CHUNK = 1024 * 1024
MAX_FORM_FILES = 1
MAX_FORM_FIELDS = 10
# How Starlette's multipart parser says a form passed its limits (max_files, max_fields, max_part_size); its
# other refusals (no boundary, a part without a name, bytes that are no multipart) stay a 400.
_LIMIT_MESSAGES = ("Too many files", "Too many fields", "exceeded maximum size")


@dataclass(frozen=True)
class Upload:
    filename: str | None
    content_type: str | None
    data: bytes


class ArchiveTooLarge(PayloadTooLarge):
    code, title_zh, title_en = "archive-too-large", "压缩文件解压后过大", "The archive expands too much"


class FormTooLarge(PayloadTooLarge):
    code, title_zh, title_en = "form-too-large", "表单的文件或字段过多", "The form has too many files or fields"


def too_large_response() -> dict[str, Any]:
    """The 413 of a route that calls `read_upload`, for its `responses=`: both ways an upload is too large."""
    return {
        **problem_response(413),
        "description": (
            f"内容过大：文件超过大小限制，或表单多于 {MAX_FORM_FILES} 个文件、{MAX_FORM_FIELDS} 个字段"
            f"（`form-too-large`）/ Payload too large: a file past its size limit, or a form of more than "
            f"{MAX_FORM_FILES} file or {MAX_FORM_FIELDS} fields (`form-too-large`)"
        ),
    }


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
    async with _form(request) as form:
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


@asynccontextmanager
async def _form(request: Request) -> AsyncIterator[FormData]:
    """The multipart form within its limits (`FormTooLarge` past them), closed on leaving."""
    try:
        form = await request.form(max_files=MAX_FORM_FILES, max_fields=MAX_FORM_FIELDS)
    except HTTPException as exc:
        said = str(exc.detail)
        if exc.status_code == 400 and any(limit in said for limit in _LIMIT_MESSAGES):
            raise FormTooLarge(
                f"{said} A form of at most {MAX_FORM_FILES} file and {MAX_FORM_FIELDS} fields is read.",
                max_files=MAX_FORM_FILES,
                max_fields=MAX_FORM_FIELDS,
            ) from exc
        raise
    try:
        yield form
    finally:
        await form.close()


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

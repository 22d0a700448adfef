"""Uploads: type judged on content, size limit, storage by sha256, download under the issue's scoping."""

from __future__ import annotations

import hashlib
import io
import zipfile

import httpx
import pytest
from docx import Document

from issues_testing.ledger import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 16


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("a.txt", "hello")
    return buffer.getvalue()


async def upload(
    world: LedgerWorld, issue_id: str, name: str, data: bytes, unit: str = "A", mime: str = "x/y"
) -> httpx.Response:
    return await world.client.post(
        f"/api/v1/issues/{issue_id}/attachments",
        files={"file": (name, data, mime)},
        headers=world.headers("unit", unit),
    )


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("报告.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("整改说明.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("evidence.zip", zip_bytes(), "application/zip"),
    ],
)
async def test_allowed_content_is_stored_by_sha256(
    world: LedgerWorld, name: str, data: bytes, content_type: str
) -> None:
    issue = await world.issue_in("in_progress")
    response = await upload(world, issue["id"], name, data)
    assert response.status_code == 201, response.text
    body = response.json()
    digest = hashlib.sha256(data).hexdigest()
    assert (body["filename"], body["content_type"], body["size"], body["sha256"]) == (
        name,
        content_type,
        len(data),
        digest,
    )
    assert (world.settings.var_dir / "files" / digest[:2] / digest).read_bytes() == data
    download = await world.client.get(
        f"/api/v1/issues/{issue['id']}/attachments/{body['id']}", headers=world.headers("unit", "B")
    )
    assert download.content == data
    assert download.headers["content-type"].startswith(content_type)


async def test_type_is_judged_on_content_not_on_the_name(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress")
    script = b"#!/bin/sh\nrm -rf /\n"
    response = await upload(world, issue["id"], "report.pdf", script, mime="application/pdf")
    assert (response.status_code, response.json()["code"]) == (415, "attachment-type-refused")
    exe = await upload(world, issue["id"], "photo.png", b"MZ" + b"\x00" * 200)
    assert exe.status_code == 415


async def test_upload_over_the_limit_is_413(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress")
    too_big = PDF + b"\x00" * (20 * 1024 * 1024)
    response = await upload(world, issue["id"], "big.pdf", too_big)
    assert (response.status_code, response.json()["code"]) == (413, "attachment-too-large")


async def test_upload_writes_an_attachment_event(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress")
    await upload(world, issue["id"], "证据.pdf", PDF)
    timeline = await world.client.get(f"/api/v1/issues/{issue['id']}/timeline", headers=world.headers("office"))
    last = timeline.json()["items"][-1]
    assert last["type"] == "issue.attachment_added"
    assert last["data"]["attachment"]["filename"] == "证据.pdf"


async def test_units_cannot_attach_to_a_closed_issue_and_leaders_never(world: LedgerWorld) -> None:
    issue = await world.issue_in("closed")
    closed = await upload(world, issue["id"], "late.pdf", PDF)
    leader = await world.client.post(
        f"/api/v1/issues/{issue['id']}/attachments",
        files={"file": ("x.pdf", PDF, "application/pdf")},
        headers=world.headers("leader"),
    )
    assert closed.status_code == 409
    assert leader.status_code == 403


async def test_path_in_the_filename_is_dropped(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress")
    response = await upload(world, issue["id"], "../../etc/passwd.pdf", PDF)
    assert response.json()["filename"] == "passwd.pdf"


async def test_attachment_of_another_issue_is_not_found(world: LedgerWorld) -> None:
    first = await world.issue_in("in_progress")
    second = await world.issue_in("in_progress")
    attachment = (await upload(world, first["id"], "a.pdf", PDF)).json()
    response = await world.client.get(
        f"/api/v1/issues/{second['id']}/attachments/{attachment['id']}", headers=world.headers("office")
    )
    assert response.status_code == 404

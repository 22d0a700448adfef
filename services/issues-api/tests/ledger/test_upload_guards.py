"""Uploads are read only after the caller's rights are checked, and an archive is bounded before it is opened."""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator

import openpyxl
import pytest
from openpyxl.xml import DEFUSEDXML

from issues_api.imports import sheet as importing
from issues_testing.ledger import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")

BOUNDARY = "rectify-boundary"
CHUNK = 64 * 1024


class CountedBody:
    """A multipart body of `chunks` pieces that counts how many of them the server pulled."""

    def __init__(self, chunks: int) -> None:
        self.chunks = chunks
        self.pulled = 0

    async def stream(self) -> AsyncIterator[bytes]:
        head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\n\r\n'
        self.pulled += 1
        yield head.encode()
        for _ in range(self.chunks):
            self.pulled += 1
            yield b"\0" * CHUNK
        yield f"\r\n--{BOUNDARY}--\r\n".encode()


async def post_counted(world: LedgerWorld, path: str, headers: dict[str, str], **params: str) -> tuple[int, int]:
    body = CountedBody(chunks=64)
    response = await world.client.post(
        path,
        params=params,
        content=body.stream(),
        headers={**headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    return response.status_code, body.pulled


def bomb(expanded_mib: int) -> bytes:
    """A valid zip (like an .xlsx) whose one member inflates to `expanded_mib` MiB of zeros."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(expanded_mib):
            member.write(b"\0" * (1024 * 1024))
    return buffer.getvalue()


class TestRoleBeforeBody:
    async def test_a_unit_users_ledger_import_is_refused_before_its_body_is_read(self, world: LedgerWorld) -> None:
        status, pulled = await post_counted(
            world, "/api/v1/issues/import", dict(world.headers("unit", "A")), campaign_id=world.campaign_id
        )
        assert status == 403
        assert pulled <= 1

    async def test_the_office_import_does_read_the_body(self, world: LedgerWorld) -> None:
        status, pulled = await post_counted(
            world, "/api/v1/issues/import", dict(world.headers("office")), campaign_id=world.campaign_id
        )
        assert status == 422  # zeros are no spreadsheet
        assert pulled == 65

    async def test_an_attachment_to_another_units_issue_is_refused_before_its_body_is_read(
        self, world: LedgerWorld
    ) -> None:
        issue = await world.issue_in("in_progress", co_units=())
        status, pulled = await post_counted(
            world, f"/api/v1/issues/{issue['id']}/attachments", dict(world.headers("unit", "C"))
        )
        assert status == 404
        assert pulled <= 1

    async def test_a_leaders_attachment_is_refused_before_its_body_is_read(self, world: LedgerWorld) -> None:
        issue = await world.issue_in("in_progress", co_units=())
        status, pulled = await post_counted(
            world, f"/api/v1/issues/{issue['id']}/attachments", dict(world.headers("leader"))
        )
        assert status == 403
        assert pulled <= 1


class TestBoundedArchives:
    async def test_a_workbook_that_expands_past_the_bound_is_refused_unopened(
        self, world: LedgerWorld, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(importing, "MAX_EXPANDED_BYTES", 8 * 1024 * 1024)

        def never(*args: object, **kwargs: object) -> None:
            raise AssertionError("openpyxl must not open an archive over the bound")

        monkeypatch.setattr(openpyxl, "load_workbook", never)  # read_sheet imports it from there when it reads
        data = bomb(expanded_mib=9)
        assert len(data) < 100 * 1024  # a few kilobytes on the wire
        response = await world.client.post(
            "/api/v1/issues/import",
            params={"campaign_id": world.campaign_id, "dry_run": "true"},
            files={"file": ("台账.xlsx", data, "application/octet-stream")},
            headers=world.headers("office"),
        )
        assert response.status_code == 413, response.text
        assert response.json()["code"] == "archive-too-large"

    async def test_the_default_bound_refuses_a_real_bomb(self) -> None:
        data = bomb(expanded_mib=importing.MAX_EXPANDED_BYTES // (1024 * 1024) + 1)
        with pytest.raises(Exception, match="expands to") as raised:
            importing.read_sheet(data)
        assert getattr(raised.value, "status", None) == 413

    async def test_openpyxl_parses_with_defusedxml(self) -> None:
        # XML entity expansion inside a workbook part is refused by defusedxml, which openpyxl uses when present.
        assert DEFUSEDXML

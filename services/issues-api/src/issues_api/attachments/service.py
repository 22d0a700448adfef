"""Attachments: checked on their content (not their name), stored by sha256, recorded as an issue event."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

import filetype
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.attachments.errors import AttachmentNotFound, AttachmentTypeRefused
from issues_api.attachments.models import Attachment
from issues_api.attachments.storage import FileStore
from issues_api.directory.models import User
from issues_api.events.service import record_event
from issues_api.ledger.access import Viewer
from issues_api.ledger.models import Issue
from issues_api.ledger.state import issue_state
from issues_api.ledger.workflow import OPEN_STATUSES
from rectify_kit.clock import Clock
from rectify_kit.errors import Conflict, Forbidden

# Detected type (by magic bytes) -> the content type we store and serve.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "heic": "image/heic",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "zip": "application/zip",
}
UPLOADERS = frozenset({"admin", "office", "unit"})


def detect_type(data: bytes) -> str:
    """The content type of an allowed file, judged on its bytes; 415 for anything else."""
    kind = filetype.guess(data)
    if kind is None or kind.extension not in ALLOWED_TYPES:
        raise AttachmentTypeRefused(
            f"detected type: {kind.mime if kind else 'unknown'}", allowed=sorted(set(ALLOWED_TYPES))
        )
    return ALLOWED_TYPES[kind.extension]


def safe_filename(name: str | None) -> str:
    base = PurePath((name or "").replace("\\", "/")).name.strip()
    return base[:255] or "attachment"


def check_may_attach(issue: Issue, viewer: Viewer) -> None:
    """The office and admins at any time, the issue's units while it is open; nobody else."""
    if viewer.role not in UPLOADERS:
        raise Forbidden("only the office and the issue's units may attach files")
    if viewer.role == "unit" and issue.status not in OPEN_STATUSES:
        raise Conflict("files can be attached only while the issue is open", current_status=issue.status)


async def add_attachment(
    session: AsyncSession,
    *,
    issue: Issue,
    filename: str | None,
    data: bytes,
    store: FileStore,
    viewer: Viewer,
    clock: Clock,
    step: str = "other",
) -> Attachment:
    """Store the file and record it on the issue as proof of `step` (`issue.attachment_added`)."""
    check_may_attach(issue, viewer)
    content_type = detect_type(data)
    digest = await store.put(data)
    attachment = Attachment(
        issue_id=issue.id,
        filename=safe_filename(filename),
        content_type=content_type,
        size=len(data),
        sha256=digest,
        step=step,
        uploaded_by=viewer.sub,
        created_at=clock.now(),
    )
    session.add(attachment)
    await session.flush()
    summary = {k: getattr(attachment, k) for k in ("id", "filename", "content_type", "size", "sha256", "step")}
    await record_event(
        session,
        type="issue.attachment_added",
        subject_id=issue.id,
        actor=viewer.actor,
        data={"issue": issue_state(issue), "attachment": summary},
        clock=clock,
    )
    return attachment


async def list_attachments(session: AsyncSession, *, issue_id: str) -> Sequence[Attachment]:
    query = select(Attachment).where(Attachment.issue_id == issue_id).order_by(Attachment.created_at, Attachment.id)
    return (await session.execute(query)).scalars().all()


async def get_attachment(session: AsyncSession, *, issue_id: str, attachment_id: str) -> Attachment:
    query = select(Attachment).where(Attachment.issue_id == issue_id, Attachment.id == attachment_id)
    attachment = (await session.execute(query)).scalar_one_or_none()
    if attachment is None:
        raise AttachmentNotFound(f"attachment {attachment_id} not found")
    return attachment


async def uploader_names(session: AsyncSession, attachments: Sequence[Attachment]) -> dict[str, str]:
    """The display names of the users who uploaded `attachments` (clients and unknown accounts are left out)."""
    subs = {a.uploaded_by for a in attachments}
    if not subs:
        return {}
    query = select(User.id, User.display_name).where(User.id.in_(sorted(subs)))
    return {row.id: row.display_name for row in await session.execute(query)}

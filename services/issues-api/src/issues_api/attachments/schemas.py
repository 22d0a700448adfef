"""Bodies of the attachments API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class AttachmentOut(BaseModel):
    id: str
    issue_id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime

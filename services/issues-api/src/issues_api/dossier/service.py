"""The dossier (案卷) of an issue: one zip with a Word summary and every attachment, for archives and inspections.

The Word summary holds the fields, the deadline history, the progress reports, the extension decisions and
the whole timeline; `timeline.json` carries the same events with their hashes, so the bundle can be checked
against the audit chain later.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.attachments.models import Attachment
from issues_api.attachments.service import list_attachments
from issues_api.attachments.storage import FileStore
from issues_api.ledger import lookups
from issues_api.ledger.models import Extension, Issue, ProgressReport

FIELDS = [
    ("编号 Code", "code"),
    ("标题 Title", "title"),
    ("状态 Status", "status"),
    ("类型 Kind", "kind"),
    ("来源 Source", "source"),
    ("问题描述 Description", "description"),
    ("原因 Cause", "cause"),
    ("措施 Measures", "measures"),
    ("要求 Requirements", "requirements"),
    ("主办单位 Lead unit", "lead_unit_id"),
    ("地区 City", "city"),
    ("整改时限 Deadline", "deadline"),
    ("原定时限 Original deadline", "original_deadline"),
    ("进度 Progress %", "progress_percent"),
    ("重新打开次数 Reopened", "reopen_count"),
    ("登记时间 Created", "created_at"),
    ("交办时间 Assigned", "assigned_at"),
    ("销号时间 Closed", "closed_at"),
]


@dataclass(frozen=True)
class DossierContent:
    issue: Issue
    events: Sequence[Any]
    progress: Sequence[ProgressReport]
    extensions: Sequence[Extension]
    attachments: Sequence[Attachment]


async def gather(session: AsyncSession, *, issue: Issue) -> DossierContent:
    return DossierContent(
        issue=issue,
        events=await lookups.issue_events(session, issue.id),
        progress=await lookups.list_progress(session, issue.id),
        extensions=await lookups.list_extensions(session, issue.id),
        attachments=await list_attachments(session, issue_id=issue.id),
    )


def _text(value: object) -> str:
    if value is None:
        return "—"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _table(document: Any, header: list[str], rows: list[list[object]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = title
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = _text(value)


def _event_note(data: dict[str, Any]) -> str:
    rest = {k: v for k, v in data.items() if k != "issue"}
    return json.dumps(rest, ensure_ascii=False) if rest else ""


def summary_docx(content: DossierContent) -> bytes:
    """The Word summary of the dossier."""
    from docx import Document  # python-docx only when a dossier is built, not at every start of the service

    issue = content.issue
    document = Document()
    document.add_heading(f"整改事项案卷 Dossier {issue.code}", level=0)
    _table(document, ["项目 Field", "内容 Value"], [[label, getattr(issue, name)] for label, name in FIELDS])
    document.add_heading("协办单位 Co-units", level=1)
    _table(
        document,
        ["单位 Unit", "状态 Status", "报送 Contribution"],
        [[c.unit_id, c.status, c.contribution] for c in issue.co_units],
    )
    document.add_heading("时限记录 Deadline history", level=1)
    _table(document, ["时限 Deadline", "类型 Kind", "时间 At"], [[d.deadline, d.kind, d.at] for d in issue.deadlines])
    document.add_heading("进展报告 Progress reports", level=1)
    _table(
        document,
        ["时间 At", "单位 Unit", "进度 %", "内容 Content"],
        [[p.created_at, p.unit_id, p.percent, p.content] for p in content.progress],
    )
    document.add_heading("延期申请 Extension requests", level=1)
    _table(
        document,
        ["申请延至 New deadline", "理由 Reason", "结果 Decision", "意见 Comment"],
        [[e.new_deadline, e.reason, e.status, e.comment] for e in content.extensions],
    )
    document.add_heading("办理过程 Timeline", level=1)
    _table(
        document,
        ["序号 Seq", "时间 At", "事件 Event", "操作人 Actor", "说明 Details"],
        [[e.seq, e.occurred_at, e.type, e.actor.get("username"), _event_note(e.data)] for e in content.events],
    )
    document.add_heading("附件 Attachments", level=1)
    _table(
        document,
        ["文件 File", "类型 Type", "大小 Bytes", "SHA-256"],
        [[a.filename, a.content_type, a.size, a.sha256] for a in content.attachments],
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _timeline_json(content: DossierContent) -> bytes:
    events = [
        {
            "seq": e.seq,
            "id": e.id,
            "type": e.type,
            "occurred_at": _text(e.occurred_at),
            "actor": e.actor,
            "data": e.data,
            "hash": e.hash,
        }
        for e in content.events
    ]
    return json.dumps(events, ensure_ascii=False, indent=2).encode()


async def build_dossier(content: DossierContent, *, store: FileStore) -> bytes:
    """The zip: `summary.docx`, `timeline.json` and `attachments/<n>-<filename>`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("summary.docx", summary_docx(content))
        bundle.writestr("timeline.json", _timeline_json(content))
        for number, attachment in enumerate(content.attachments, start=1):
            bundle.writestr(f"attachments/{number:02d}-{attachment.filename}", await store.get(attachment.sha256))
    return buffer.getvalue()

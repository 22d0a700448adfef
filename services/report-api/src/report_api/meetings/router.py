"""Meeting reports: create a snapshot, list them, download one as Word or Excel."""

from __future__ import annotations

import asyncio
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Response, status

from rectify_kit.auth import Principal, require_roles
from rectify_kit.clock import ClockDep, business_today
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses
from report_api.figures.filters import ID_PATTERN
from report_api.labels import LangDep
from report_api.meetings import service
from report_api.meetings.models import Meeting
from report_api.meetings.schemas import MeetingCreate, MeetingList, MeetingOut
from report_api.meetings.word import render_docx
from report_api.meetings.workbook import render_xlsx

router = APIRouter(prefix="/api/v1/reports/meetings", tags=["meetings"])
Writer = Annotated[Principal, Depends(require_roles("office", "admin"))]
Reader = Annotated[Principal, Depends(require_roles("leader", "office", "admin"))]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREFIX = "/api/v1/reports/meetings"


def meeting_out(meeting: Meeting) -> MeetingOut:
    return MeetingOut(
        id=meeting.id,
        campaign_id=meeting.campaign_id,
        period=meeting.period,
        created_at=meeting.created_at,
        created_by=meeting.created_by,
        as_of_seq=meeting.as_of_seq,
        figures=meeting.snapshot["figures"],
        changes=meeting.snapshot["changes"],
        phases=meeting.snapshot.get("phases") or [],
        docx_url=f"{PREFIX}/{meeting.id}.docx",
        xlsx_url=f"{PREFIX}/{meeting.id}.xlsx",
    )


def download(content: bytes, media_type: str, meeting: Meeting, extension: str) -> Response:
    name = f"例会材料-{meeting.period}.{extension}"
    disposition = f"attachment; filename=\"meeting.{extension}\"; filename*=UTF-8''{quote(name)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=MeetingOut,
    summary="生成例会材料快照 / Create a meeting report snapshot",
    responses=problem_responses(401, 403, 422),
)
async def create_meeting(session: SessionDep, writer: Writer, body: MeetingCreate, clock: ClockDep) -> MeetingOut:
    now = clock.now()
    meeting = await service.create(
        session,
        campaign_id=body.campaign_id,
        period=body.period,
        # the name people know (display name), not the account's username
        actor=writer.name or writer.username or writer.sub,
        now=now,
        today=business_today(clock),
    )
    return meeting_out(meeting)


@router.get(
    "", response_model=MeetingList, summary="例会材料列表 / Meeting reports", responses=problem_responses(401, 403, 422)
)
async def list_meetings(
    session: SessionDep,
    _reader: Reader,
    campaign_id: Annotated[str | None, Query(pattern=ID_PATTERN, description="专项行动 / campaign")] = None,
) -> MeetingList:
    return MeetingList(items=[meeting_out(m) for m in await service.listing(session, campaign_id=campaign_id)])


@router.get(
    "/{meeting_id}.docx",
    summary="下载例会材料（Word）/ Download as Word",
    response_class=Response,
    responses={200: {"content": {DOCX: {}}}, **problem_responses(401, 403, 404)},
)
async def meeting_docx(session: SessionDep, _reader: Reader, meeting_id: str, lang: LangDep) -> Response:
    meeting = await service.get(session, meeting_id)
    return download(await asyncio.to_thread(render_docx, meeting.snapshot, lang), DOCX, meeting, "docx")


@router.get(
    "/{meeting_id}.xlsx",
    summary="下载例会材料（Excel）/ Download as Excel",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}, **problem_responses(401, 403, 404)},
)
async def meeting_xlsx(session: SessionDep, _reader: Reader, meeting_id: str, lang: LangDep) -> Response:
    meeting = await service.get(session, meeting_id)
    return download(await asyncio.to_thread(render_xlsx, meeting.snapshot, lang), XLSX, meeting, "xlsx")


@router.get(
    "/{meeting_id}",
    response_model=MeetingOut,
    summary="例会材料 / One meeting report",
    responses=problem_responses(401, 403, 404),
)
async def get_meeting(session: SessionDep, _reader: Reader, meeting_id: str) -> MeetingOut:
    return meeting_out(await service.get(session, meeting_id))

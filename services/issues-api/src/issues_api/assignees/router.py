"""HTTP for 责任落实到人: each unit's responsible person on an item, its sub-tasks, and a unit's staff to choose from.

`GET /api/v1/units/{unit_id}/staff`, `GET /api/v1/issues/{id}/assignees`, `PUT …/assignees/{unit_id}`,
`GET|POST …/subtasks`, `PATCH …/subtasks/{subtask_id}`, `POST …/subtasks/{subtask_id}/progress`.
"""

from __future__ import annotations

from fastapi import APIRouter

from issues_api.assignees import service
from issues_api.assignees.schemas import (
    AssigneeOut,
    NameBody,
    StaffOut,
    SubtaskCreate,
    SubtaskOut,
    SubtaskPatch,
    SubtaskProgressBody,
)
from issues_api.ledger.deps import ViewerDep
from issues_api.ledger.service import get_visible_issue
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses

router = APIRouter(prefix="/api/v1", tags=["assignees"])


@router.get(
    "/units/{unit_id}/staff",
    response_model=list[StaffOut],
    summary="单位在职人员 / A unit's active staff (to name a responsible person)",
    description=(
        "按姓名列出，只有 id 和姓名。办公室、管理员、领导可看任一单位，单位用户只看本单位（否则 403）。"
        " / By name, id and display name only; a unit user reads only its own unit."
    ),
    responses=problem_responses(401, 403),
)
async def unit_staff(unit_id: str, session: SessionDep, viewer: ViewerDep) -> list[StaffOut]:
    return await service.unit_staff(session, unit_id=unit_id, viewer=viewer)


@router.get(
    "/issues/{issue_id}/assignees",
    response_model=list[AssigneeOut],
    summary="各单位责任人 / Each unit's responsible person on the item",
    responses=problem_responses(401, 403, 404),
)
async def list_assignees(issue_id: str, session: SessionDep, viewer: ViewerDep) -> list[AssigneeOut]:
    return await service.list_assignees(session, issue_id=issue_id, viewer=viewer)


@router.put(
    "/issues/{issue_id}/assignees/{unit_id}",
    response_model=list[AssigneeOut],
    summary="指定责任人 / Name the unit's responsible person (null clears it)",
    description=(
        "单位为本单位承担的部分（主办或协办）指定本单位在职人员；办公室、管理员可为任一单位指定。"
        "非本单位在职人员为 422 not-unit-staff，为其他单位指定为 403 not-own-unit，"
        "已销号或撤销的事项为 409 issue-settled。"
        " / A unit names one of its active staff for its own part; the office and admins for any unit."
    ),
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def name_responsible(
    issue_id: str, unit_id: str, body: NameBody, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> list[AssigneeOut]:
    await service.name_responsible(
        session, issue_id=issue_id, unit_id=unit_id, user_id=body.user_id, viewer=viewer, clock=clock
    )
    return await service.list_assignees(session, issue_id=issue_id, viewer=viewer)


@router.get(
    "/issues/{issue_id}/subtasks",
    response_model=list[SubtaskOut],
    summary="子任务 / The item's sub-tasks",
    responses=problem_responses(401, 403, 404),
)
async def list_subtasks(issue_id: str, session: SessionDep, viewer: ViewerDep) -> list[SubtaskOut]:
    return await service.list_subtasks(session, issue_id=issue_id, viewer=viewer)


async def _one(session: SessionDep, *, issue_id: str, subtask_id: str, viewer: ViewerDep) -> SubtaskOut:
    issue = await get_visible_issue(session, issue_id, viewer)
    return (await service.subtasks_out(session, issue=issue, viewer=viewer, only=subtask_id))[0]


@router.post(
    "/issues/{issue_id}/subtasks",
    status_code=201,
    response_model=SubtaskOut,
    summary="分解子任务 / Split off a sub-task for one of the unit's people",
    description=(
        "完成时限不得晚于事项现行整改时限（422 subtask-deadline-after-issue）；承办人须为该单位在职人员"
        "（422 not-unit-staff）。 / Due no later than the item; the assignee is an active staff member of the unit."
    ),
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def add_subtask(
    issue_id: str, body: SubtaskCreate, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> SubtaskOut:
    subtask = await service.add_subtask(session, issue_id=issue_id, body=body, viewer=viewer, clock=clock)
    return await _one(session, issue_id=issue_id, subtask_id=subtask.id, viewer=viewer)


@router.patch(
    "/issues/{issue_id}/subtasks/{subtask_id}",
    response_model=SubtaskOut,
    summary="修改子任务 / Change a sub-task's title, assignee or deadline",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def update_subtask(
    issue_id: str, subtask_id: str, body: SubtaskPatch, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> SubtaskOut:
    await service.update_subtask(
        session, issue_id=issue_id, subtask_id=subtask_id, body=body, viewer=viewer, clock=clock
    )
    return await _one(session, issue_id=issue_id, subtask_id=subtask_id, viewer=viewer)


@router.post(
    "/issues/{issue_id}/subtasks/{subtask_id}/progress",
    response_model=SubtaskOut,
    summary="报送子任务进展 / Report a sub-task's progress (percent, note, done)",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def subtask_progress(
    issue_id: str,
    subtask_id: str,
    body: SubtaskProgressBody,
    session: SessionDep,
    viewer: ViewerDep,
    clock: ClockDep,
) -> SubtaskOut:
    await service.report_subtask_progress(
        session, issue_id=issue_id, subtask_id=subtask_id, body=body, viewer=viewer, clock=clock
    )
    return await _one(session, issue_id=issue_id, subtask_id=subtask_id, viewer=viewer)

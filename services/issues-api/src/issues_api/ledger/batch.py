"""成批交办与催办: the office takes one step on many items at once (rows selected in the ledger).

Each item goes through the very step a single request takes (`steps.assign`, `steps.urge`: the same checks,
scoping and event), in a savepoint of its own: an item the step refuses is rolled back alone and reported with
the problem a single request would have answered, the others stand. What is wrong with the request itself (a
unit that does not exist, a role that may not take the step at all, a duplicate id) is a 422/403 problem before
any item is touched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Literal

from pydantic import BaseModel, Field, field_validator
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.ledger import lookups, steps
from issues_api.ledger.access import Viewer
from issues_api.ledger.models import Issue
from issues_api.ledger.schemas import AssignBody, Body, ContentBody
from issues_api.ledger.workflow import TRANSITIONS, Status
from rectify_kit.clock import Clock
from rectify_kit.errors import Forbidden, ProblemError

MAX_ITEMS = 200


class BatchTarget(Body):
    issue_ids: list[str] = Field(min_length=1, max_length=MAX_ITEMS, description="所选事项 / the items, each once")

    @field_validator("issue_ids")
    @classmethod
    def _once_each(cls, ids: list[str]) -> list[str]:
        if len(set(ids)) != len(ids):
            raise ValueError("each item once / 事项不能重复")
        return ids


class BatchAssignBody(BatchTarget, AssignBody):
    """交办 every item to the same units with the same deadline."""


class BatchUrgeBody(BatchTarget, ContentBody):
    """催办 every item with the same words."""


class ItemProblem(BaseModel):
    status: int
    code: str
    title: str
    detail: str | None = None


class BatchItemResult(BaseModel):
    issue_id: str
    ok: bool
    code: str | None = Field(default=None, description="编号 / the item's code, when the caller may see it")
    status: Status | None = Field(default=None, description="the item's status after the step (when ok)")
    problem: ItemProblem | None = Field(default=None, description="why the step was refused for this item")


class BatchResult(BaseModel):
    action: Literal["assign", "urge"]
    succeeded: int
    failed: int
    results: list[BatchItemResult] = Field(description="one per item, in the order sent")


Step = Callable[[str], Awaitable[Issue]]


def _check_role(action: str, viewer: Viewer) -> None:
    roles = sorted({role for (_, name), step in TRANSITIONS.items() if name == action for role in step.roles})
    if viewer.role not in roles:
        raise Forbidden(f"role may not take '{action}'", code="action-forbidden", required_roles=roles)


async def _run(
    session: AsyncSession, action: Literal["assign", "urge"], ids: Sequence[str], step: Step, *, english: bool
) -> BatchResult:
    results: list[BatchItemResult] = []
    for issue_id in ids:
        try:
            async with session.begin_nested():
                issue = await step(issue_id)
            results.append(BatchItemResult(issue_id=issue_id, ok=True, code=issue.code, status=issue.status))
        except ProblemError as refused:
            # The code only when the caller may see the item (a refusal after the visibility check).
            visible = refused.status != 404
            found = await lookups.get_issue(session, issue_id) if visible else None
            problem = ItemProblem(
                status=refused.status,
                code=refused.code,
                title=refused.title_en if english else refused.title_zh,
                detail=refused.detail,
            )
            results.append(
                BatchItemResult(issue_id=issue_id, ok=False, code=found.code if found else None, problem=problem)
            )
    succeeded = sum(1 for r in results if r.ok)
    return BatchResult(action=action, succeeded=succeeded, failed=len(results) - succeeded, results=results)


async def assign_many(
    session: AsyncSession, *, body: BatchAssignBody, viewer: Viewer, clock: Clock, english: bool
) -> BatchResult:
    _check_role("assign", viewer)
    await steps.check_units(session, body.lead_unit_id, body.co_unit_ids)
    assign = AssignBody(
        lead_unit_id=body.lead_unit_id, co_unit_ids=body.co_unit_ids, deadline=body.deadline,
        requirements=body.requirements,
    )  # fmt: skip

    async def step(issue_id: str) -> Issue:
        return await steps.assign(session, issue_id=issue_id, body=assign, viewer=viewer, clock=clock)

    return await _run(session, "assign", body.issue_ids, step, english=english)


async def urge_many(
    session: AsyncSession, *, body: BatchUrgeBody, viewer: Viewer, clock: Clock, english: bool
) -> BatchResult:
    _check_role("urge", viewer)
    content = ContentBody(content=body.content)

    async def step(issue_id: str) -> Issue:
        return await steps.urge(session, issue_id=issue_id, body=content, viewer=viewer, clock=clock)

    return await _run(session, "urge", body.issue_ids, step, english=english)

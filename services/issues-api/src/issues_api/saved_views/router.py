"""HTTP for saved views: `GET|POST /api/v1/issues/saved-views`, `DELETE /api/v1/issues/saved-views/{id}`.

A view is its owner's alone: nobody else lists, reads or deletes it (another's id is a 404, as a missing one).
Included before the ledger's router, whose `/api/v1/issues/{issue_id}` would otherwise take `saved-views`.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response
from sqlalchemy import func, select

from issues_api.ledger.deps import ViewerDep
from issues_api.saved_views.models import SavedView
from issues_api.saved_views.schemas import SavedViewCreate, SavedViewOut
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import Conflict, NotFound, Unprocessable, problem_responses
from rectify_kit.field_messages import field_error

router = APIRouter(prefix="/api/v1/issues/saved-views", tags=["issues"])
MAX_VIEWS = 50


def _out(view: SavedView) -> SavedViewOut:
    return SavedViewOut.model_validate(
        {"id": view.id, "name": view.name, "filters": view.filters, "created_at": view.created_at}
    )


@router.get(
    "",
    response_model=list[SavedViewOut],
    response_model_exclude_none=True,
    summary="我的常用筛选 / My saved views",
    responses=problem_responses(401, 403),
)
async def list_views(session: SessionDep, viewer: ViewerDep) -> list[SavedViewOut]:
    query = select(SavedView).where(SavedView.owner == viewer.sub).order_by(SavedView.created_at, SavedView.name)
    return [_out(v) for v in (await session.execute(query)).scalars()]


@router.post(
    "",
    status_code=201,
    response_model=SavedViewOut,
    response_model_exclude_none=True,
    summary="保存筛选 / Save a view",
    responses=problem_responses(401, 403, 409, 422),
)
async def create_view(body: SavedViewCreate, session: SessionDep, viewer: ViewerDep, clock: ClockDep) -> SavedViewOut:
    owned = select(func.count()).select_from(SavedView).where(SavedView.owner == viewer.sub)
    if (await session.execute(owned)).scalar_one() >= MAX_VIEWS:
        raise Unprocessable(
            f"at most {MAX_VIEWS} saved views",
            code="too-many-views",
            errors=[field_error("name", f"最多保存 {MAX_VIEWS} 个常用筛选", f"at most {MAX_VIEWS} saved views")],
        )
    same_name = select(SavedView.id).where(SavedView.owner == viewer.sub, SavedView.name == body.name)
    if (await session.execute(same_name)).first() is not None:
        raise Conflict(
            f"a view named {body.name} exists",
            code="view-name-taken",
            errors=[field_error("name", "已有同名的常用筛选", "a view of this name exists")],
        )
    view = SavedView(
        id=str(uuid.uuid4()),
        owner=viewer.sub,
        name=body.name,
        filters=body.filters.model_dump(mode="json", exclude_none=True),
        created_at=clock.now(),
    )
    session.add(view)
    await session.flush()
    return _out(view)


@router.delete(
    "/{view_id}", status_code=204, summary="删除常用筛选 / Delete a view", responses=problem_responses(401, 403, 404)
)
async def delete_view(view_id: str, session: SessionDep, viewer: ViewerDep) -> Response:
    view = await session.get(SavedView, view_id)
    if view is None or view.owner != viewer.sub:
        raise NotFound(f"saved view {view_id} not found", code="view-not-found")
    await session.delete(view)
    return Response(status_code=204)

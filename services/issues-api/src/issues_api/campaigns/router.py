"""HTTP routes of campaigns: list, read, import a definition file (YAML; `?dry_run=true` previews it), export it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse

from issues_api.auth.dependencies import StaffDep
from issues_api.campaigns import preview, repository, service
from issues_api.campaigns.definition import DefinitionError, load_definition
from issues_api.campaigns.errors import CampaignNotFound, InvalidDefinition
from issues_api.campaigns.schemas import CampaignImportPreview, CampaignImportResult, CampaignOut
from issues_api.events.service import actor_of
from rectify_kit.auth import CurrentPrincipal
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import PayloadTooLarge, problem_responses
from rectify_kit.pagination import Page
from rectify_kit.uploads import read_upload, too_large_response

router = APIRouter(prefix="/campaigns", tags=["campaigns"])

MAX_DEFINITION_BYTES = 2 * 1024 * 1024
# A small definition the import accepts (campaigns/hebei-2017.yaml is a whole one, commented).
DEFINITION_EXAMPLE = """campaign:
  code: ZF
  name: 作风纪律专项整治行动
  starts_on: 2026-03-01
  ends_on: 2026-12-31
  escalation_policy: default
phases:
  - code: rectify
    name: 集中整治阶段
    starts_on: 2026-03-01
    ends_on: 2026-10-31
categories:
  - code: ZF1
    name: 服务态度
units:
  - code: SJZ
    name: 石家庄市
    kind: city
"""
_IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/yaml": {"schema": {"type": "string"}, "example": DEFINITION_EXAMPLE},
            "multipart/form-data": {
                "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
            },
        },
    }
}


@router.get(
    "", response_model=Page[CampaignOut], summary="专项行动列表 / List campaigns", responses=problem_responses(401)
)
async def list_campaigns(session: SessionDep, _: CurrentPrincipal) -> Page[CampaignOut]:
    items = [await service.campaign_out(session, c) for c in await repository.list_all(session)]
    return Page(items=items, next_cursor=None, total=len(items))


@router.get(
    "/{campaign_id}",
    summary="专项行动详情（含阶段与分类）/ A campaign with its phases and categories",
    responses=problem_responses(401, 404),
)
async def get_campaign(session: SessionDep, _: CurrentPrincipal, campaign_id: str) -> CampaignOut:
    campaign = await repository.get(session, campaign_id)
    if campaign is None:
        raise CampaignNotFound()
    return await service.campaign_out(session, campaign)


async def _definition_bytes(request: Request) -> bytes:
    """The uploaded file (multipart field `file`) or the raw YAML body, at most 2 MB."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        return (await read_upload(request, limit=MAX_DEFINITION_BYTES)).data
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_DEFINITION_BYTES:
            raise PayloadTooLarge("a campaign definition file is at most 2 MB", max_bytes=MAX_DEFINITION_BYTES)
    return data


@router.post(
    "/import",
    status_code=status.HTTP_201_CREATED,
    response_model=CampaignImportResult,
    summary="导入专项行动定义文件（YAML）/ Import a campaign definition file (YAML)",
    description=(
        "Creates the campaign, its missing units (matched by code) and its tasks as assigned items, all or nothing: "
        "a file with problems is a 422 naming every field, a campaign code already taken a 409. With "
        "`dry_run=true` answers 200 with what the import would change (units to create or match, phases, "
        "categories, tasks) and every problem, and writes nothing. 试导入：预览将新建和匹配的内容及全部问题，不写入。"
    ),
    responses={
        200: {"model": CampaignImportPreview, "description": "试导入预览 / dry run: what the import would change"},
        **problem_responses(401, 403, 409, 422),
        413: too_large_response(),
    },
    openapi_extra=_IMPORT_BODY,
)
async def import_campaign(
    request: Request,
    session: SessionDep,
    principal: StaffDep,
    clock: ClockDep,
    dry_run: Annotated[bool, Query(description="只预览，不写入 / preview only, write nothing")] = False,
) -> CampaignImportResult | JSONResponse:
    data = await _definition_bytes(request)
    if dry_run:
        report = await preview.preview_import(session, data=data)
        return JSONResponse(report.model_dump(mode="json"), status_code=status.HTTP_200_OK)
    try:
        definition = load_definition(data)
    except DefinitionError as exc:
        raise InvalidDefinition.of(exc) from exc
    return await service.import_definition(session, definition=definition, actor=actor_of(principal), clock=clock)


@router.get(
    "/{campaign_id}/export",
    summary="导出专项行动定义文件（YAML）/ Export the campaign definition file (YAML)",
    response_class=Response,
    responses={200: {"content": {"application/yaml": {}}}, **problem_responses(401, 404)},
)
async def export_campaign(session: SessionDep, _: CurrentPrincipal, campaign_id: str) -> Response:
    campaign = await repository.get(session, campaign_id)
    if campaign is None:
        raise CampaignNotFound()
    filename = f"campaign-{campaign.code}.yaml"
    return Response(
        service.export_definition(campaign),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

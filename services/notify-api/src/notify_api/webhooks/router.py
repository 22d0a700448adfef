"""GET|POST /api/v1/webhooks, GET|PATCH|DELETE /api/v1/webhooks/{id}: the office and admins manage every
subscription, an integration client with `webhooks:manage` its own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from notify_api.outbound import GuardDep
from notify_api.webhooks import service
from notify_api.webhooks.models import WebhookSubscription
from notify_api.webhooks.schemas import WebhookIn, WebhookOut, WebhookPatch
from rectify_kit.auth import Principal, require_scope
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])
ManagerDep = Annotated[Principal, Depends(require_scope("webhooks:manage", roles=("admin", "office")))]

PATCH_DESCRIPTION = (
    "只修改给出的字段。暂停（active=false）后不再产生新的投递，已排队的投递保留等待，恢复（active=true）后照常发出；"
    "暂停期间发生的事件不会补发。每次投递尝试都读取订阅的当前设置：新地址对尚未送达的投递生效（含死信的重试）；"
    "新密钥用于此后每一次签名，密钥从不回显。\n\n"
    "Changes only the fields given. Pausing (`active=false`) stops new deliveries; the ones already queued wait "
    "and go out after resuming (`active=true`); events during the pause are not sent later. Every attempt reads "
    "the subscription as it is then: a new `url` applies to every delivery not yet delivered (a retried dead "
    "letter included); a new `secret` signs every later attempt and is never shown."
)
CREATE_DESCRIPTION = (
    "须为公网地址：回环、链路本地、内网和本系统自身的地址会被拒绝（422），除非管理员在 NOTIFY_OUTBOUND__ALLOW 中放行。"
    "对接系统（webhooks:manage）的订阅归其自己，只收到它有权读取的事件。\n\n"
    "The URL must reach a public address: loopback, link-local, private and this deployment's own addresses are "
    "refused (422) unless an admin allows them in NOTIFY_OUTBOUND__ALLOW. An integration client's subscription "
    "(scope webhooks:manage) is its own and receives only what the client may read."
)
DELETE_DESCRIPTION = (
    "删除订阅：不再产生新的投递，排队及等待重试的投递由投递进程下一轮转为死信（last_error 说明订阅已删除），永不发出；"
    "投递记录仍可在 /api/v1/deliveries?subscription_id= 查看。\n\n"
    "Deletes the subscription: no new deliveries, and the delivery worker's next round turns its queued and "
    "retrying ones into dead letters (`last_error` says the subscription was deleted) that never go out. Its "
    "delivery log stays readable at "
    "`/api/v1/deliveries?subscription_id=`."
)


def out(s: WebhookSubscription) -> WebhookOut:
    return WebhookOut(
        id=s.id,
        url=s.url,
        event_types=s.event_types,
        campaign_ids=s.campaign_ids,
        unit_ids=s.unit_ids,
        description=s.description,
        active=s.active,
        created_at=s.created_at,
        owner_client_id=s.owner_client_id,
        previous_secret_valid_until=s.previous_secret_until if s.previous_secret else None,
    )


@router.get(
    "", response_model=list[WebhookOut], summary="Webhook 订阅 / Subscriptions", responses=problem_responses(401, 403)
)
async def list_webhooks(session: SessionDep, manager: ManagerDep) -> list[WebhookOut]:
    return [out(s) for s in await service.list_for(session, principal=manager)]


@router.post(
    "",
    response_model=WebhookOut,
    status_code=status.HTTP_201_CREATED,
    summary="新增 Webhook 订阅 / Subscribe",
    responses=problem_responses(401, 403, 422),
    description=CREATE_DESCRIPTION,
)
async def create_webhook(
    session: SessionDep, clock: ClockDep, manager: ManagerDep, guard: GuardDep, body: WebhookIn
) -> WebhookOut:
    return out(await service.subscribe(session, data=body, owner=manager, guard=guard, now=clock.now()))


@router.get(
    "/{subscription_id}",
    response_model=WebhookOut,
    summary="Webhook 订阅详情 / A subscription",
    responses=problem_responses(401, 403, 404),
)
async def read_webhook(session: SessionDep, manager: ManagerDep, subscription_id: str) -> WebhookOut:
    return out(await service.get(session, subscription_id=subscription_id, principal=manager))


@router.patch(
    "/{subscription_id}",
    response_model=WebhookOut,
    summary="修改、暂停或恢复 Webhook 订阅 / Change, pause or resume a subscription",
    description=PATCH_DESCRIPTION,
    responses=problem_responses(401, 403, 404, 422),
)
async def change_webhook(
    session: SessionDep,
    clock: ClockDep,
    manager: ManagerDep,
    guard: GuardDep,
    subscription_id: str,
    body: WebhookPatch,
) -> WebhookOut:
    changed = await service.change(
        session, subscription_id=subscription_id, data=body, principal=manager, guard=guard, now=clock.now()
    )
    return out(changed)


@router.delete(
    "/{subscription_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="删除 Webhook 订阅 / Unsubscribe",
    description=DELETE_DESCRIPTION,
    responses=problem_responses(401, 403, 404),
)
async def delete_webhook(session: SessionDep, manager: ManagerDep, subscription_id: str) -> Response:
    await service.unsubscribe(session, subscription_id=subscription_id, principal=manager)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

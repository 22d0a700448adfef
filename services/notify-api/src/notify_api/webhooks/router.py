"""GET|POST /api/v1/webhooks, GET|PATCH|DELETE /api/v1/webhooks/{id} (admin and office)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from notify_api.deps import StaffDep
from notify_api.webhooks import service
from notify_api.webhooks.models import WebhookSubscription
from notify_api.webhooks.schemas import WebhookIn, WebhookOut, WebhookPatch
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])

PATCH_DESCRIPTION = (
    "只修改给出的字段。暂停（active=false）后不再产生新的投递，已排队的投递保留等待，恢复（active=true）后照常发出；"
    "暂停期间发生的事件不会补发。新地址对尚未送达的投递生效（含死信的重试）；新密钥用于此后每一次签名，密钥从不回显。\n\n"
    "Changes only the fields given. Pausing (`active=false`) stops new deliveries; the ones already queued wait "
    "and go out after resuming (`active=true`); events during the pause are not sent later. A new `url` applies "
    "to every delivery not yet delivered (a retried dead letter included); a new `secret` signs every later "
    "attempt and is never shown."
)
DELETE_DESCRIPTION = (
    "删除订阅：不再产生新的投递，排队及等待重试的投递转为死信（last_error 说明订阅已删除），永不发出；"
    "投递记录仍可在 /api/v1/deliveries?subscription_id= 查看。\n\n"
    "Deletes the subscription: no new deliveries, and its queued and retrying ones become dead letters "
    "(`last_error` says the subscription was deleted) that never go out. Its delivery log stays readable at "
    "`/api/v1/deliveries?subscription_id=`."
)


def out(s: WebhookSubscription) -> WebhookOut:
    return WebhookOut(
        id=s.id,
        url=s.url,
        event_types=s.event_types,
        description=s.description,
        active=s.active,
        created_at=s.created_at,
    )


@router.get(
    "", response_model=list[WebhookOut], summary="Webhook 订阅 / Subscriptions", responses=problem_responses(401, 403)
)
async def list_webhooks(session: SessionDep, _staff: StaffDep) -> list[WebhookOut]:
    return [out(s) for s in await service.list_all(session)]


@router.post(
    "",
    response_model=WebhookOut,
    status_code=status.HTTP_201_CREATED,
    summary="新增 Webhook 订阅 / Subscribe",
    responses=problem_responses(401, 403, 422),
)
async def create_webhook(session: SessionDep, clock: ClockDep, _staff: StaffDep, body: WebhookIn) -> WebhookOut:
    return out(await service.subscribe(session, data=body, now=clock.now()))


@router.get(
    "/{subscription_id}",
    response_model=WebhookOut,
    summary="Webhook 订阅详情 / A subscription",
    responses=problem_responses(401, 403, 404),
)
async def read_webhook(session: SessionDep, _staff: StaffDep, subscription_id: str) -> WebhookOut:
    return out(await service.get(session, subscription_id=subscription_id))


@router.patch(
    "/{subscription_id}",
    response_model=WebhookOut,
    summary="修改、暂停或恢复 Webhook 订阅 / Change, pause or resume a subscription",
    description=PATCH_DESCRIPTION,
    responses=problem_responses(401, 403, 404, 422),
)
async def change_webhook(session: SessionDep, _staff: StaffDep, subscription_id: str, body: WebhookPatch) -> WebhookOut:
    return out(await service.change(session, subscription_id=subscription_id, data=body))


@router.delete(
    "/{subscription_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="删除 Webhook 订阅 / Unsubscribe",
    description=DELETE_DESCRIPTION,
    responses=problem_responses(401, 403, 404),
)
async def delete_webhook(session: SessionDep, _staff: StaffDep, subscription_id: str) -> Response:
    await service.unsubscribe(session, subscription_id=subscription_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

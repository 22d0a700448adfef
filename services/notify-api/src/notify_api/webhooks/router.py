"""GET|POST /api/v1/webhooks (admin and office)."""

from __future__ import annotations

from fastapi import APIRouter, status

from notify_api.deps import StaffDep
from notify_api.webhooks import service
from notify_api.webhooks.models import WebhookSubscription
from notify_api.webhooks.schemas import WebhookIn, WebhookOut
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])


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

"""Rules of Open311 GeoReport v2: services from the campaign's categories, requests from public submissions.

Reading is anonymous, so a request shows only what is public: its status, the public reply, the category, the
ledger title once the office accepted it, the lead unit and the deadline in force — never the submitter's
name, phone, email or text. A request posted with an integration client's `api_key` enters the intake queue
exactly as one from the public page does (`intake.service.submit`, event `intake.submitted`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.auth.service import authenticate_client
from issues_api.intake import service as intake
from issues_api.intake.errors import SubmissionNotFound
from issues_api.intake.schemas import SubmissionCreate
from issues_api.open311 import repository
from issues_api.open311.errors import BadOpen311Request, InvalidApiKey, UnknownRequest, UnknownService
from issues_api.open311.repository import RequestFilters, RequestRow
from issues_api.open311.schemas import RequestCreated, RequestToken, Service, ServiceDefinition, ServiceRequest
from rectify_kit.clock import BUSINESS_TZ, Clock

POST_SCOPE = "issues:write"
MAX_REQUESTS = 1000
DEFAULT_DAYS = 90
NOTICE = "已收到，受理后将交办责任单位办理 / received; once accepted it is assigned to the responsible unit"


async def services(session: AsyncSession) -> list[Service]:
    """The active campaign's categories, each a service (its code the service_code)."""
    campaign = await repository.active_campaign(session)
    if campaign is None:
        return []
    found = await repository.categories(session, campaign.id)
    names = {c.id: c.name for c in found}
    return [
        Service(
            service_code=c.code,
            service_name=c.name,
            description=f"{c.name} / {campaign.name}",
            metadata=False,
            keywords=campaign.name,
            group=names.get(c.parent_id or "", campaign.name),
        )
        for c in found
    ]


async def definition(session: AsyncSession, *, code: str) -> ServiceDefinition:
    campaign = await repository.active_campaign(session)
    if campaign is None or await repository.category_by_code(session, campaign.id, code) is None:
        raise UnknownService(f"service_code {code} not found")
    return ServiceDefinition(service_code=code, attributes=[])


def _w3c(moment: datetime) -> str:
    return moment.astimezone(BUSINESS_TZ).isoformat(timespec="seconds")


def _end_of(day: date) -> str:
    """A deadline is met when the item is closed by the end of that day (Asia/Shanghai)."""
    return _w3c(datetime.combine(day, time(23, 59, 59), tzinfo=BUSINESS_TZ))


def request_view(row: RequestRow) -> ServiceRequest:
    submission, issue = row.submission, row.issue
    closed = submission.status == "rejected" or (issue is not None and issue.status in repository.CLOSED_ISSUE)
    moments = [submission.submitted_at, submission.decided_at, issue.updated_at if issue else None]
    return ServiceRequest(
        service_request_id=submission.id,
        status="closed" if closed else "open",
        status_notes=row.last_reply,
        service_name=row.category.name if row.category else None,
        service_code=row.category.code if row.category else None,
        description=issue.title if issue else None,
        agency_responsible=row.unit_name,
        service_notice=NOTICE,
        requested_datetime=_w3c(submission.submitted_at),
        updated_datetime=_w3c(max(m for m in moments if m is not None)),
        expected_datetime=_end_of(issue.deadline) if issue and issue.deadline else None,
        address=None,
        address_id=None,
        zipcode=None,
        lat=None,
        long=None,
        media_url=None,
    )


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


async def _category_ids(session: AsyncSession, codes: Sequence[str]) -> list[str] | None:
    if not codes:
        return None
    campaign = await repository.active_campaign(session)
    found = [await repository.category_by_code(session, campaign.id, c) for c in codes] if campaign else []
    return [c.id for c in found if c is not None]


def _window(start: datetime | None, end: datetime | None, clock: Clock) -> tuple[datetime | None, datetime | None]:
    """The spec's default: the last 90 days; a range may not span more than 90 days."""
    if start is None and end is None:
        return clock.now() - timedelta(days=DEFAULT_DAYS), None
    if start is not None and end is not None:
        if end < start:
            raise BadOpen311Request("end_date is before start_date")
        if end - start > timedelta(days=DEFAULT_DAYS):
            raise BadOpen311Request("start_date and end_date may not span more than 90 days")
    return start, end


async def find_requests(
    session: AsyncSession,
    *,
    service_request_id: str | None,
    service_code: str | None,
    start_date: datetime | None,
    end_date: datetime | None,
    status: str | None,
    clock: Clock,
) -> list[ServiceRequest]:
    """The requests matching the spec's filters (ids override the rest), newest first, at most 1000."""
    statuses = _split(status)
    if unknown := [s for s in statuses if s not in ("open", "closed")]:
        raise BadOpen311Request(f"status must be open or closed, not {', '.join(unknown)}")
    ids = _split(service_request_id)
    start, end = (start_date, end_date) if ids else _window(start_date, end_date, clock)
    filters = RequestFilters(
        ids=ids,
        category_ids=await _category_ids(session, _split(service_code)),
        start=start,
        end=end,
        status=statuses,
    )
    return [request_view(row) for row in await repository.requests(session, filters, limit=MAX_REQUESTS)]


async def get_request(session: AsyncSession, *, request_id: str) -> ServiceRequest:
    rows = await repository.requests(session, RequestFilters(ids=[request_id]), limit=1)
    if not rows:
        raise UnknownRequest(f"service request {request_id} not found")
    return request_view(rows[0])


def _api_key(api_key: str) -> tuple[str, str]:
    client_id, sep, secret = api_key.partition(":")
    if not sep or not client_id or not secret:
        raise InvalidApiKey("api_key must be client_id:client_secret of an integration client")
    return client_id, secret


def _submission(*, description: str, category_id: str | None, fields: dict[str, str | None]) -> SubmissionCreate:
    name = " ".join(p for p in (fields.get("first_name"), fields.get("last_name")) if p) or None
    address = fields.get("address_string")
    content = description if not address else f"{description}\n地址 / address: {address}"
    first_line = description.strip().splitlines()[0] if description.strip() else description
    try:
        return SubmissionCreate(
            title=first_line[:60],
            content=content[:5000],
            category_id=category_id,
            contact_name=name,
            contact_phone=fields.get("phone"),
            contact_email=fields.get("email"),
        )
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise BadOpen311Request(problems) from exc


async def post_request(
    session: AsyncSession,
    *,
    api_key: str,
    service_code: str,
    description: str,
    fields: dict[str, str | None],
    clock: Clock,
) -> RequestCreated:
    """Enter a request as a public submission; the answer names it and its tracking code (the token).

    `api_key` is `client_id:client_secret` of an active integration client holding `issues:write`.
    """
    client_id, secret = _api_key(api_key)
    client = await authenticate_client(session, client_id=client_id, client_secret=secret)
    if client is None or POST_SCOPE not in client.scopes:
        raise InvalidApiKey("api_key is not that of an active integration client with issues:write")
    campaign = await repository.active_campaign(session)
    category = await repository.category_by_code(session, campaign.id, service_code) if campaign else None
    if category is None:
        raise UnknownService(f"service_code {service_code} not found")
    data = _submission(description=description, category_id=category.id, fields=fields)
    submission, code = await intake.submit(session, data=data, clock=clock)
    return RequestCreated(service_request_id=submission.id, token=code, service_notice=NOTICE)


async def request_for_token(session: AsyncSession, *, token: str) -> RequestToken:
    """The request a token (the tracking code handed out by the POST) stands for."""
    try:
        submission = await intake.find_by_code(session, token)
    except SubmissionNotFound as exc:
        raise UnknownRequest("token not found") from exc
    return RequestToken(service_request_id=submission.id, token=token)

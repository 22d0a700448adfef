"""HTTP of Open311 GeoReport v2 at /open311/v2: `.json` or `.xml` by the path, errors as `[{code, description}]`.

Reading needs no account (the gateway lets `/open311` through without a token); posting a request needs an
integration client's `api_key` (`client_id:client_secret`). Every refusal, a malformed parameter included, is
answered in the spec's error form in the format asked for, never as a problem document.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute

from issues_api.open311 import render, service
from issues_api.open311.render import REQUESTS, SERVICES
from issues_api.open311.schemas import (
    Open311Error,
    RequestCreated,
    RequestToken,
    Service,
    ServiceDefinition,
    ServiceRequest,
)
from rectify_kit.clock import BUSINESS_TZ, ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import ProblemError
from rectify_kit.params import IsoDateTime

Fmt = Literal["json", "xml"]


class Open311Route(APIRoute):
    """Renders every refusal of its route in the spec's error form, in the path's format."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            fmt = render.format_of(request.url.path)
            try:
                return await handler(request)
            except RequestValidationError as exc:
                text = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in exc.errors())
                return render.error_answer(fmt, 400, text)
            except ProblemError as exc:
                return render.error_answer(fmt, exc.status, exc.detail or exc.title_en)

        return route


def _content(model: type[Any], example: Any) -> dict[str, Any]:
    return {
        "application/json": {"schema": {"type": "array", "items": {"$ref": f"#/components/schemas/{model.__name__}"}}},
        "application/xml": {"schema": {"type": "string"}, "example": example},
    }


_ERROR = {
    "description": "[{code, description}] (GeoReport v2 errors), in the format of the path",
    "content": {
        "application/json": {"schema": {"type": "array", "items": Open311Error.model_json_schema()}},
        "application/xml": {
            "schema": {"type": "string"},
            "example": "<errors><error><code>404</code><description>…</description></error></errors>",
        },
    },
}
ERRORS: dict[int | str, dict[str, Any]] = {400: _ERROR, 404: _ERROR}
_REQUESTS_XML = "<service_requests><request>…</request></service_requests>"

router = APIRouter(prefix="/open311/v2", tags=["open311"], route_class=Open311Route)


def _when(value: datetime | None) -> datetime | None:
    """A date without an offset is Asia/Shanghai's, the business time zone."""
    return value.replace(tzinfo=BUSINESS_TZ) if value is not None and value.tzinfo is None else value


@router.get(
    "/services.{fmt}",
    summary="服务类型列表 / GeoReport v2: list services (the campaign's categories)",
    response_model=list[Service],
    responses={200: {"content": _content(Service, "<services><service>…</service></services>")}, **ERRORS},
)
async def list_services(fmt: Fmt, session: SessionDep) -> Response:
    return render.answer(fmt, SERVICES, await service.services(session))


@router.get(
    "/services/{service_code}.{fmt}",
    summary="服务类型定义 / GeoReport v2: a service definition",
    response_model=ServiceDefinition,
    responses={
        200: {
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ServiceDefinition"}},
                "application/xml": {
                    "schema": {"type": "string"},
                    "example": "<service_definition>…</service_definition>",
                },
            }
        },
        **ERRORS,
    },
)
async def get_service(service_code: str, fmt: Fmt, session: SessionDep) -> Response:
    found = await service.definition(session, code=service_code)
    return render.answer(fmt, ("service_definition", None), [found], single=True)


@router.get(
    "/requests.{fmt}",
    summary="查询服务请求 / GeoReport v2: find service requests (public data only)",
    description=(
        "Filters as GeoReport v2: `service_request_id` (comma-separated; overrides the others), `service_code` "
        "(comma-separated), `start_date`/`end_date` (W3C date-time on `requested_datetime`; without either, the "
        "last 90 days; at most 90 days apart), `status` (`open`, `closed`, comma-separated). Newest first, at "
        "most 1000. 不含任何个人信息 / never any personal data."
    ),
    response_model=list[ServiceRequest],
    responses={
        200: {"content": _content(ServiceRequest, _REQUESTS_XML)},
        **ERRORS,
    },
)
async def list_requests(
    fmt: Fmt,
    session: SessionDep,
    clock: ClockDep,
    service_request_id: Annotated[str | None, Query(max_length=4000)] = None,
    service_code: Annotated[str | None, Query(max_length=1000)] = None,
    start_date: IsoDateTime | None = None,
    end_date: IsoDateTime | None = None,
    status: Annotated[str | None, Query(max_length=20, pattern=r"^(open|closed)(,(open|closed))?$")] = None,
    jurisdiction_id: Annotated[str | None, Query(max_length=200, description="accepted and ignored")] = None,
) -> Response:
    found = await service.find_requests(
        session,
        service_request_id=service_request_id,
        service_code=service_code,
        start_date=_when(start_date),
        end_date=_when(end_date),
        status=status,
        clock=clock,
    )
    return render.answer(fmt, REQUESTS, found)


FORM = "application/x-www-form-urlencoded"
POST_EXAMPLE = {
    "api_key": "gov-portal:client-secret-of-gov-portal",
    "service_code": "JZFQ-1",
    "description": "企业开办需重复提交营业执照复印件",
}


@router.post(
    "/requests.{fmt}",
    status_code=201,
    summary="提交服务请求 / GeoReport v2: post a service request (api_key of an integration client)",
    description=(
        "Form-encoded as GeoReport v2. `api_key` is `client_id:client_secret` of an integration client with "
        "`issues:write`; the request enters the intake queue as a public submission does. The answer names the "
        "request and its `token` (the tracking code, for the public tracking page). 提交后进入诉求受理队列。"
    ),
    response_model=list[RequestCreated],
    responses={201: {"content": _content(RequestCreated, _REQUESTS_XML)}, 403: _ERROR, **ERRORS},
    openapi_extra={"requestBody": {"content": {FORM: {"example": POST_EXAMPLE}}}},
)
async def post_request(
    fmt: Fmt,
    session: SessionDep,
    clock: ClockDep,
    api_key: Annotated[str, Form(min_length=3, max_length=500)],
    service_code: Annotated[str, Form(min_length=1, max_length=40)],
    description: Annotated[str, Form(min_length=1, max_length=4000)],
    address_string: Annotated[str | None, Form(max_length=300)] = None,
    email: Annotated[str | None, Form(max_length=200)] = None,
    first_name: Annotated[str | None, Form(max_length=50)] = None,
    last_name: Annotated[str | None, Form(max_length=50)] = None,
    phone: Annotated[str | None, Form(max_length=40)] = None,
    jurisdiction_id: Annotated[str | None, Form(max_length=200, description="accepted and ignored")] = None,
) -> Response:
    fields = {"address_string": address_string, "email": email, "phone": phone}
    created = await service.post_request(
        session,
        api_key=api_key,
        service_code=service_code,
        description=description,
        fields={**fields, "first_name": first_name, "last_name": last_name},
        clock=clock,
    )
    return render.answer(fmt, REQUESTS, [created], status=201)


@router.get(
    "/requests/{service_request_id}.{fmt}",
    summary="查询单个服务请求 / GeoReport v2: one service request",
    response_model=list[ServiceRequest],
    responses={200: {"content": _content(ServiceRequest, _REQUESTS_XML)}, **ERRORS},
)
async def get_request(service_request_id: str, fmt: Fmt, session: SessionDep) -> Response:
    return render.answer(fmt, REQUESTS, [await service.get_request(session, request_id=service_request_id)])


@router.get(
    "/tokens/{token}.{fmt}",
    summary="由令牌查询请求编号 / GeoReport v2: the request id of a token",
    response_model=list[RequestToken],
    responses={200: {"content": _content(RequestToken, _REQUESTS_XML)}, **ERRORS},
)
async def get_token(token: str, fmt: Fmt, session: SessionDep) -> Response:
    return render.answer(fmt, REQUESTS, [await service.request_for_token(session, token=token)])

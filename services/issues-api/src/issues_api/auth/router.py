"""HTTP routes of authentication: the token endpoint, /auth/me and the JWKS."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any
from urllib.parse import unquote_plus

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse

from issues_api.auth import service
from issues_api.auth.errors import InvalidClient, InvalidCredentials, InvalidScope, UnsupportedGrant
from issues_api.auth.keys import ServiceKeys
from issues_api.auth.schemas import MeOut, TokenOut
from issues_api.config import Settings
from issues_api.directory import repository
from rectify_kit.auth import CurrentPrincipal
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import ProblemError, problem_response, problem_responses

router = APIRouter(tags=["auth"])
jwks_router = APIRouter(tags=["auth"])

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _failure(request: Request, error: ProblemError) -> JSONResponse:
    # Answered, not raised: a raised error rolls the transaction back, and the failure count must stay.
    headers = {"WWW-Authenticate": 'Bearer error="invalid_grant"', **_NO_STORE}
    return problem_response(
        request,
        status=error.status,
        code=error.code,
        title_zh=error.title_zh,
        title_en=error.title_en,
        headers=headers,
    )


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    """client_id and client_secret from `Authorization: Basic` (RFC 6749 2.3.1), if sent that way."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (unquote_plus(client_id), unquote_plus(secret)) if sep else None


@router.post(
    "/auth/token",
    response_model=TokenOut,
    summary="获取访问令牌（密码或客户端凭证）/ Get an access token (password or client credentials)",
    responses=problem_responses(400, 401, 422),
)
async def token(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    grant_type: Annotated[str, Form()] = "password",
    username: Annotated[str | None, Form(max_length=200)] = None,
    password: Annotated[str | None, Form(max_length=200)] = None,
    client_id: Annotated[str | None, Form(max_length=200)] = None,
    client_secret: Annotated[str | None, Form(max_length=200)] = None,
    scope: Annotated[str | None, Form(max_length=500)] = None,
) -> Any:
    settings: Settings = request.app.state.settings
    keys: ServiceKeys = request.app.state.keys
    if grant_type == "password":
        user = await service.authenticate_user(
            session, username=username or "", password=password or "", settings=settings, clock=clock
        )
        if user is None:
            return _failure(request, InvalidCredentials())
        claims = service.user_claims(user)
    elif grant_type == "client_credentials":
        if client_id is None and (basic := _basic_credentials(request)) is not None:
            client_id, client_secret = basic
        client = await service.authenticate_client(
            session, client_id=client_id or "", client_secret=client_secret or ""
        )
        if client is None:
            return _failure(request, InvalidClient())
        scopes = service.granted_scopes(client, scope)
        if scopes is None:
            raise InvalidScope(f"requested {scope}")
        claims = service.client_claims(client, scopes)
    else:
        raise UnsupportedGrant(f"grant_type {grant_type} is not supported")
    issued = service.issue_token(claims, keys=keys, settings=settings, clock=clock)
    body = TokenOut(access_token=issued.access_token, expires_in=issued.expires_in)
    return JSONResponse(body.model_dump(), headers=_NO_STORE)


@router.get("/auth/me", summary="当前用户 / Who am I", responses=problem_responses(401))
async def me(session: SessionDep, principal: CurrentPrincipal) -> MeOut:
    if principal.kind == "client":
        client = await repository.get_client(session, principal.sub)
        name = client.name if client else principal.sub
        return MeOut(id=principal.sub, username=principal.sub, display_name=name, role="integration", unit_id=None)
    user = await repository.get_user(session, principal.sub)
    if user is None or not user.active:
        raise InvalidCredentials("account no longer active")
    return MeOut(
        id=user.id, username=user.username, display_name=user.display_name, role=user.role, unit_id=user.unit_id
    )


@jwks_router.get("/.well-known/jwks.json", summary="签名公钥 / Token signing keys (JWKS)")
async def jwks(request: Request) -> dict[str, list[dict[str, Any]]]:
    keys: ServiceKeys = request.app.state.keys
    return {"keys": [keys.jwk()]}

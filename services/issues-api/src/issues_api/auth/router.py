"""HTTP routes of authentication: the token endpoint, /auth/me and the JWKS."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any
from urllib.parse import unquote_plus

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse

from issues_api.auth import service, sessions
from issues_api.auth.errors import (
    InvalidClient,
    InvalidCredentials,
    InvalidGrant,
    InvalidScope,
    TokenError,
    UnsupportedGrant,
)
from issues_api.auth.keys import ServiceKeys
from issues_api.auth.schemas import MeOut, TokenErrorOut, TokenOut
from issues_api.auth.session_router import set_refresh_cookie
from issues_api.config import Settings
from issues_api.directory import repository
from rectify_kit.auth import CurrentPrincipal, public_jwk
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import prefers_english, problem_body, problem_responses

router = APIRouter(tags=["auth"])
jwks_router = APIRouter(tags=["auth"])

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_FIELD_MAX = {"username": 200, "password": 200, "client_id": 200, "client_secret": 200, "scope": 500}
GRANT_TYPES = ("password", "client_credentials")
_TOKEN_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {
        "model": TokenErrorOut,
        "description": "invalid_request, invalid_grant, unsupported_grant_type, invalid_scope",
    },
    401: {"model": TokenErrorOut, "description": "invalid_client"},
    **problem_responses(429),  # login-throttled: the account waits after wrong passwords (Retry-After)
}


def _token_error(request: Request, error: TokenError) -> JSONResponse:
    """RFC 6749's error body (as JSON) with the problem's members beside it; never cached.

    Answered, not raised: a raised error rolls the transaction back, and a failed login's count must stay.
    """
    english = prefers_english(request.headers.get("accept-language"))
    body = problem_body(
        status=error.status,
        code=error.code,
        title=error.title_en if english else error.title_zh,
        instance=request.url.path,
        error=error.error,
        error_description=error.detail or error.title_en,
    )
    if request_id := getattr(request.state, "request_id", None):
        body["request_id"] = request_id
    headers = dict(_NO_STORE)
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="rectify", error="invalid_client"'
    return JSONResponse(body, status_code=error.status, headers=headers)


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


_FORM_EXAMPLES = {
    "username": "office",
    "password": "demo12345",
    "client_id": "sjz-gov",
    "client_secret": "k3J9…",
    "scope": "issues:read events:read",
}


def _form_field(description: str, name: str) -> Any:
    # The bound is documented and checked in `_check_lengths`, so that a long value is RFC 6749's
    # invalid_request rather than FastAPI's 422.
    return Form(
        description=description, json_schema_extra={"maxLength": _FIELD_MAX[name], "examples": [_FORM_EXAMPLES[name]]}
    )


def _check_lengths(**fields: str | None) -> None:
    for name, value in fields.items():
        if value is not None and len(value) > _FIELD_MAX[name]:
            raise TokenError(f"{name} is longer than {_FIELD_MAX[name]} characters")


async def _grant(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    *,
    grant_type: str,
    username: str | None,
    password: str | None,
    client_id: str | None,
    client_secret: str | None,
    scope: str | None,
) -> dict[str, Any]:
    """The claims of the token to issue, or the TokenError that refuses it."""
    settings: Settings = request.app.state.settings
    _check_lengths(username=username, password=password, client_id=client_id, client_secret=client_secret, scope=scope)
    if grant_type == "password":
        if not username or password is None:
            raise TokenError("username and password are required")
        user = await service.authenticate_user(
            session, username=username, password=password, settings=settings, clock=clock
        )
        if user is None:
            raise InvalidGrant("wrong username or password, or the account is inactive")
        return service.user_claims(user)
    if grant_type == "client_credentials":
        if client_id is None and (basic := _basic_credentials(request)) is not None:
            client_id, client_secret = basic
        client = await service.authenticate_client(
            session, client_id=client_id or "", client_secret=client_secret or ""
        )
        if client is None:
            raise InvalidClient("unknown client, wrong secret or inactive client")
        scopes = service.granted_scopes(client, scope)
        if scopes is None:
            raise InvalidScope(f"scope {scope} is not granted to this client")
        return service.client_claims(client, scopes)
    raise UnsupportedGrant(f"grant_type {grant_type} is not supported; use password or client_credentials")


@router.post(
    "/auth/token",
    response_model=TokenOut,
    summary="获取访问令牌（密码或客户端凭证）/ Get an access token (password or client credentials)",
    description=(
        "OAuth2 token endpoint (RFC 6749): `grant_type=password` with `username` and `password` for users, "
        "`grant_type=client_credentials` with `client_id` and `client_secret` (form fields or HTTP Basic) for "
        "integration clients. Errors follow RFC 6749 section 5.2 (`error`, `error_description`) and carry the "
        "problem members too. 错误按 RFC 6749 返回 `error`，同时带有 problem 字段。"
    ),
    responses=_TOKEN_ERRORS,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "example": {
                        "grant_type": "client_credentials",
                        "client_id": "sjz-gov",
                        "client_secret": "the-secret-shown-once-at-registration",
                    }
                }
            }
        }
    },
)
async def token(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    grant_type: Annotated[
        str,
        Form(
            description="password | client_credentials",
            json_schema_extra={"enum": list(GRANT_TYPES), "examples": ["client_credentials"]},
        ),
    ] = "password",
    username: Annotated[str | None, _form_field("登录名 / login name (password grant)", "username")] = None,
    password: Annotated[str | None, _form_field("密码 / password (password grant)", "password")] = None,
    client_id: Annotated[str | None, _form_field("client_id (client credentials)", "client_id")] = None,
    client_secret: Annotated[str | None, _form_field("client_secret (client credentials)", "client_secret")] = None,
    scope: Annotated[str | None, _form_field("space-separated subset of the client's scopes", "scope")] = None,
) -> Any:
    try:
        claims = await _grant(
            request,
            session,
            clock,
            grant_type=grant_type,
            username=username,
            password=password,
            client_id=client_id,
            client_secret=client_secret,
            scope=scope,
        )
    except TokenError as error:
        return _token_error(request, error)
    settings: Settings = request.app.state.settings
    issued = service.issue_token(claims, keys=request.app.state.keys, settings=settings, clock=clock)
    body = TokenOut(access_token=issued.access_token, expires_in=issued.expires_in)
    response = JSONResponse(body.model_dump(), headers=_NO_STORE)
    if claims.get("kind") == "user":  # a web app's sign-in: its session cookie (session_router.py)
        refresh_token = await sessions.start(session, user_id=str(claims["sub"]), settings=settings.tokens, clock=clock)
        set_refresh_cookie(response, refresh_token, settings)
    return response


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
    public: dict[str, str] = request.app.state.public_keys
    rotated_out = [public_jwk(pem, kid) for kid, pem in sorted(public.items()) if kid != keys.kid]
    return {"keys": [keys.jwk(), *rotated_out]}

"""HTTP of the web app's sessions: the refresh cookie, `POST /auth/refresh` and `POST /auth/logout`.

The cookie is HttpOnly (no script reads it), Secure, SameSite=Strict (no other site's page sends it) and
scoped to the auth paths, so it travels with nothing but a refresh or a sign-out.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from issues_api.auth import service, sessions
from issues_api.auth.errors import RefreshRefused
from issues_api.auth.schemas import TokenOut
from issues_api.config import Settings
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_response, problem_responses

COOKIE = "rectify_refresh"
COOKIE_PATH = "/api/v1/auth"
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

router = APIRouter(tags=["auth"])


def set_refresh_cookie(response: Response, token: str, settings: Settings) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=settings.tokens.refresh_ttl_seconds,
        path=COOKIE_PATH,
        secure=True,
        httponly=True,
        samesite="strict",
    )


def _clear_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH, secure=True, httponly=True, samesite="strict")


def _refused(request: Request, error: RefreshRefused) -> JSONResponse:
    # Answered, not raised: the request's transaction commits, so a family ended for reuse stays ended.
    response = problem_response(
        request,
        status=error.status,
        code=error.code,
        title_zh=error.title_zh,
        title_en=error.title_en,
        detail=error.detail,
        headers=dict(_NO_STORE),
    )
    _clear_cookie(response)
    return response


@router.post(
    "/auth/refresh",
    response_model=TokenOut,
    summary="用会话 Cookie 换取新的访问令牌 / A new access token for the session cookie",
    description=(
        "For the web app: the HttpOnly `rectify_refresh` cookie set at sign-in is exchanged for a new access "
        "token and a new cookie (the old one is spent). 网页端：以登录时设置的 Cookie 换取新的访问令牌。"
    ),
    responses=problem_responses(401),
)
async def refresh(request: Request, session: SessionDep, clock: ClockDep) -> Response:
    settings: Settings = request.app.state.settings
    presented = request.cookies.get(COOKIE)
    try:
        if not presented:
            raise RefreshRefused("no session cookie; sign in")
        renewal = await sessions.renew(session, presented=presented, settings=settings.tokens, clock=clock)
    except RefreshRefused as error:
        return _refused(request, error)
    issued = service.issue_token(
        service.user_claims(renewal.user), keys=request.app.state.keys, settings=settings, clock=clock
    )
    response = JSONResponse(
        TokenOut(access_token=issued.access_token, expires_in=issued.expires_in).model_dump(), headers=_NO_STORE
    )
    if renewal.refresh_token is not None:
        set_refresh_cookie(response, renewal.refresh_token, settings)
    return response


@router.post(
    "/auth/logout",
    status_code=204,
    summary="退出登录（结束会话）/ Sign out (end the session)",
    responses=problem_responses(),
)
async def logout(request: Request, session: SessionDep, clock: ClockDep) -> Response:
    if presented := request.cookies.get(COOKIE):
        await sessions.end(session, presented=presented, clock=clock)
    response = Response(status_code=204, headers=_NO_STORE)
    _clear_cookie(response)
    return response

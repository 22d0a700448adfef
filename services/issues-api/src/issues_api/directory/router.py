"""HTTP routes of the directory: /api/v1/units, /api/v1/users, /api/v1/clients."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse

from issues_api.auth.dependencies import AdminDep, DirectoryReaderDep, sees_contacts
from issues_api.directory import repository, service
from issues_api.directory.errors import ClientNotFound, UnitNotFound, UserNotFound
from issues_api.directory.models import User
from issues_api.directory.schemas import (
    ClientCreate,
    ClientOut,
    ClientUpdate,
    ClientWithSecret,
    UnitCreate,
    UnitOut,
    UnitUpdate,
    UserCreate,
    UserOut,
    UserUpdate,
)
from issues_api.events.service import actor_of
from issues_api.ledger.deps import IdempotencyDep
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses
from rectify_kit.etag import etag_for, require_if_match
from rectify_kit.pagination import Page, decode_cursor, encode_cursor

router = APIRouter()

Limit = Annotated[int, Query(ge=1, le=1000)]


@router.get(
    "/units",
    tags=["units"],
    response_model=Page[UnitOut],
    summary="单位列表 / List units",
    responses=problem_responses(401, 403, 422),
)
async def list_units(
    session: SessionDep, _: DirectoryReaderDep, cursor: str | None = None, limit: Limit = 500
) -> Page[UnitOut]:
    after = str(decode_cursor(cursor, length=1)[0]) if cursor else None
    units = await repository.list_units(session, after_code=after, limit=limit)
    items = [UnitOut.model_validate(u) for u in units]
    next_cursor = encode_cursor([items[-1].code]) if len(items) == limit else None
    return Page(items=items, next_cursor=next_cursor, total=await repository.count_units(session))


@router.get(
    "/units/{unit_id}", tags=["units"], summary="单位详情 / Get a unit", responses=problem_responses(401, 403, 404)
)
async def get_unit(session: SessionDep, _: DirectoryReaderDep, response: Response, unit_id: str) -> UnitOut:
    unit = await repository.get_unit(session, unit_id)
    if unit is None:
        raise UnitNotFound()
    response.headers["ETag"] = etag_for(unit.version)
    return UnitOut.model_validate(unit)


@router.post(
    "/units",
    tags=["units"],
    status_code=status.HTTP_201_CREATED,
    response_model=UnitOut,
    summary="新增单位 / Create a unit",
    responses=problem_responses(401, 403, 409, 422),
)
async def create_unit(
    session: SessionDep, principal: AdminDep, clock: ClockDep, idempotency: IdempotencyDep, body: UnitCreate
) -> JSONResponse:
    async def produce() -> UnitOut:
        unit = await service.create_unit(session, data=body, actor=actor_of(principal), clock=clock)
        return UnitOut.model_validate(unit)

    return await idempotency.run(
        session, owner=principal.sub, produce=produce, location=lambda u: f"/api/v1/units/{u.id}"
    )


@router.patch(
    "/units/{unit_id}",
    tags=["units"],
    summary="修改单位（需 If-Match）/ Update a unit (If-Match)",
    responses=problem_responses(401, 403, 404, 412, 422, 428),
)
async def update_unit(
    request: Request,
    response: Response,
    session: SessionDep,
    principal: AdminDep,
    clock: ClockDep,
    unit_id: str,
    body: UnitUpdate,
) -> UnitOut:
    unit = await service.update_unit(
        session,
        unit_id=unit_id,
        data=body,
        actor=actor_of(principal),
        clock=clock,
        check_version=lambda version: require_if_match(request, version),
    )
    response.headers["ETag"] = etag_for(unit.version)
    return UnitOut.model_validate(unit)


def _user_out(user: User, *, contacts: bool) -> UserOut:
    out = UserOut.model_validate(user)
    return out if contacts else out.model_copy(update={"phone": None, "email": None})


@router.get(
    "/users",
    tags=["users"],
    response_model=Page[UserOut],
    summary="用户列表 / List users",
    responses=problem_responses(401, 403, 422),
)
async def list_users(
    session: SessionDep,
    principal: DirectoryReaderDep,
    unit_id: str | None = None,
    cursor: str | None = None,
    limit: Limit = 500,
) -> Page[UserOut]:
    after = str(decode_cursor(cursor, length=1)[0]) if cursor else None
    users = await repository.list_users(session, unit_id=unit_id, after_username=after, limit=limit)
    contacts = sees_contacts(principal)
    items = [_user_out(u, contacts=contacts) for u in users]
    next_cursor = encode_cursor([items[-1].username]) if len(items) == limit else None
    total = await repository.count_users(session, unit_id=unit_id)
    return Page(items=items, next_cursor=next_cursor, total=total)


@router.get(
    "/users/{user_id}", tags=["users"], summary="用户详情 / Get a user", responses=problem_responses(401, 403, 404)
)
async def get_user(session: SessionDep, principal: DirectoryReaderDep, response: Response, user_id: str) -> UserOut:
    user = await repository.get_user(session, user_id)
    if user is None:
        raise UserNotFound()
    response.headers["ETag"] = etag_for(user.version)
    return _user_out(user, contacts=sees_contacts(principal) or principal.sub == user.id)


@router.post(
    "/users",
    tags=["users"],
    status_code=status.HTTP_201_CREATED,
    summary="新增用户 / Create a user",
    response_model=UserOut,
    responses=problem_responses(401, 403, 409, 422),
)
async def create_user(
    session: SessionDep, principal: AdminDep, clock: ClockDep, idempotency: IdempotencyDep, body: UserCreate
) -> JSONResponse:
    async def produce() -> UserOut:
        user = await service.create_user(session, data=body, actor=actor_of(principal), clock=clock)
        return UserOut.model_validate(user)

    return await idempotency.run(
        session, owner=principal.sub, produce=produce, location=lambda u: f"/api/v1/users/{u.id}"
    )


@router.patch(
    "/users/{user_id}",
    tags=["users"],
    summary="修改用户（需 If-Match）/ Update a user (If-Match)",
    responses=problem_responses(401, 403, 404, 412, 422, 428),
)
async def update_user(
    request: Request,
    response: Response,
    session: SessionDep,
    principal: AdminDep,
    clock: ClockDep,
    user_id: str,
    body: UserUpdate,
) -> UserOut:
    user = await service.update_user(
        session,
        user_id=user_id,
        data=body,
        actor=actor_of(principal),
        clock=clock,
        check_version=lambda version: require_if_match(request, version),
    )
    response.headers["ETag"] = etag_for(user.version)
    return UserOut.model_validate(user)


@router.post(
    "/users/{user_id}/unlock",
    tags=["users"],
    summary="解除登录限制 / End a user's wait after wrong passwords",
    responses=problem_responses(401, 403, 404),
)
async def unlock_user(session: SessionDep, principal: AdminDep, clock: ClockDep, user_id: str) -> UserOut:
    user = await service.unlock_user(session, user_id=user_id, actor=actor_of(principal), clock=clock)
    return UserOut.model_validate(user)


@router.get(
    "/clients",
    tags=["clients"],
    summary="接入系统列表 / List integration clients",
    responses=problem_responses(401, 403),
)
async def list_clients(session: SessionDep, _: AdminDep) -> list[ClientOut]:
    return [ClientOut.model_validate(c) for c in await repository.list_clients(session)]


@router.get(
    "/clients/{client_id}",
    tags=["clients"],
    summary="接入系统详情 / Get a client",
    responses=problem_responses(401, 403, 404),
)
async def get_client(session: SessionDep, _: AdminDep, client_id: str) -> ClientOut:
    client = await repository.get_client(session, client_id)
    if client is None:
        raise ClientNotFound()
    return ClientOut.model_validate(client)


@router.post(
    "/clients",
    tags=["clients"],
    status_code=status.HTTP_201_CREATED,
    summary="注册接入系统（密钥仅显示一次）/ Register a client (secret shown once)",
    responses=problem_responses(401, 403, 409, 422),
)
async def create_client(
    session: SessionDep, principal: AdminDep, clock: ClockDep, body: ClientCreate
) -> ClientWithSecret:
    client, secret = await service.create_client(session, data=body, actor=actor_of(principal), clock=clock)
    return ClientWithSecret(**ClientOut.model_validate(client).model_dump(), client_secret=secret)


@router.patch(
    "/clients/{client_id}",
    tags=["clients"],
    summary="修改接入系统或轮换密钥 / Update a client or rotate its secret",
    responses=problem_responses(401, 403, 404, 422),
)
async def update_client(
    session: SessionDep, principal: AdminDep, clock: ClockDep, client_id: str, body: ClientUpdate
) -> ClientOut | ClientWithSecret:
    client, secret = await service.update_client(
        session, client_id=client_id, data=body, actor=actor_of(principal), clock=clock
    )
    out = ClientOut.model_validate(client)
    return out if secret is None else ClientWithSecret(**out.model_dump(), client_secret=secret)

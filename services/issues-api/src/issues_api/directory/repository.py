"""Queries of the directory."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.directory.models import Client, Unit, User


async def get_unit(session: AsyncSession, unit_id: str) -> Unit | None:
    return await session.get(Unit, unit_id)


async def get_unit_by_code(session: AsyncSession, code: str) -> Unit | None:
    return (await session.execute(select(Unit).where(Unit.code == code))).scalar_one_or_none()


async def units_by_code(session: AsyncSession, codes: Sequence[str]) -> dict[str, Unit]:
    """The units of these codes that exist, by code (queried a thousand codes at a time)."""
    wanted = sorted(set(codes))
    found: dict[str, Unit] = {}
    for start in range(0, len(wanted), 1000):
        query = select(Unit).where(Unit.code.in_(wanted[start : start + 1000]))
        found.update((unit.code, unit) for unit in (await session.execute(query)).scalars())
    return found


async def list_units(session: AsyncSession, *, after_code: str | None, limit: int) -> Sequence[Unit]:
    query = select(Unit).order_by(Unit.code).limit(limit)
    if after_code is not None:
        query = query.where(Unit.code > after_code)
    return (await session.execute(query)).scalars().all()


async def count_units(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(Unit))).scalar_one())


async def get_user(session: AsyncSession, user_id: str) -> User | None:
    return await session.get(User, user_id)


async def get_user_by_username(session: AsyncSession, username: str) -> User | None:
    return (await session.execute(select(User).where(User.username == username))).scalar_one_or_none()


async def list_users(
    session: AsyncSession, *, unit_id: str | None, after_username: str | None, limit: int
) -> Sequence[User]:
    query = select(User).order_by(User.username).limit(limit)
    if unit_id is not None:
        query = query.where(User.unit_id == unit_id)
    if after_username is not None:
        query = query.where(User.username > after_username)
    return (await session.execute(query)).scalars().all()


async def count_users(session: AsyncSession, *, unit_id: str | None) -> int:
    query = select(func.count()).select_from(User)
    if unit_id is not None:
        query = query.where(User.unit_id == unit_id)
    return int((await session.execute(query)).scalar_one())


async def get_client(session: AsyncSession, client_id: str) -> Client | None:
    return await session.get(Client, client_id)


async def list_clients(session: AsyncSession) -> Sequence[Client]:
    return (await session.execute(select(Client).order_by(Client.id))).scalars().all()

"""Queries of units, users and integration clients."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.directory.models import Client, Unit, User


async def users_of_units(session: AsyncSession, unit_ids: Collection[str]) -> list[User]:
    if not unit_ids:
        return []
    query = select(User).where(User.unit_id.in_(list(unit_ids)), User.role == "unit", User.active.is_(True))
    return list((await session.execute(query.order_by(User.username))).scalars())


async def users_with_role(session: AsyncSession, role: str) -> list[User]:
    query = select(User).where(User.role == role, User.active.is_(True)).order_by(User.username)
    return list((await session.execute(query)).scalars())


async def get_user(session: AsyncSession, user_id: str) -> User | None:
    return await session.get(User, user_id)


async def get_unit(session: AsyncSession, unit_id: str) -> Unit | None:
    return await session.get(Unit, unit_id)


async def locales(session: AsyncSession) -> dict[str, str]:
    """Each user's locale, by user id."""
    return {row.id: row.locale for row in await session.execute(select(User.id, User.locale))}


async def get_client(session: AsyncSession, client_id: str) -> Client | None:
    return await session.get(Client, client_id)


async def clients(session: AsyncSession, client_ids: Collection[str]) -> list[Client]:
    if not client_ids:
        return []
    return list((await session.execute(select(Client).where(Client.id.in_(list(client_ids))))).scalars())

"""The directory as notify-api knows it: units and users (contacts, locale, digest) from the feed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.directory import repository
from notify_api.directory.models import Unit, User


async def apply_unit(session: AsyncSession, *, data: dict[str, Any]) -> None:
    """Upsert a unit from a `unit.created|updated` event."""
    unit_id = str(data["id"])
    unit = await repository.get_unit(session, unit_id) or Unit(id=unit_id)
    unit.code, unit.name = str(data.get("code") or ""), str(data.get("name") or "")
    unit.active = bool(data.get("active", True))
    session.add(unit)
    await session.flush()


async def apply_user(session: AsyncSession, *, data: dict[str, Any]) -> None:
    """Upsert a user from a `user.created|updated` event (contacts, role, unit, digest opt-in, locale)."""
    user_id = str(data["id"])
    user = await repository.get_user(session, user_id) or User(id=user_id)
    user.username = str(data.get("username") or "")
    user.display_name = str(data.get("display_name") or user.username)
    user.role = str(data.get("role") or "unit")
    user.unit_id = data.get("unit_id")
    user.email = data.get("email") or None
    user.phone = data.get("phone") or None
    user.active = bool(data.get("active", True))
    user.digest_opt_in = bool(data.get("digest_opt_in", False))
    user.locale = str(data.get("locale") or "zh-CN")
    session.add(user)
    session.info.pop("notify_directory_cache", None)
    await session.flush()


async def recipients(
    session: AsyncSession, *, kinds: Iterable[str], lead_unit_id: str | None, co_unit_ids: Iterable[str]
) -> list[tuple[User, str]]:
    """Users to address for recipient kinds (`lead_unit`, `co_units`, `office`, `leaders`), with their role
    in the message; each user once, in the first role that named them."""
    found: dict[str, tuple[User, str]] = {}
    for kind in kinds:
        if kind == "lead_unit":
            users = await _unit_users(session, [lead_unit_id] if lead_unit_id else [])
            role = "lead_unit"
        elif kind == "co_units":
            users = await _unit_users(session, [u for u in co_unit_ids if u != lead_unit_id])
            role = "co_unit"
        else:
            users = await _role_users(session, "office" if kind == "office" else "leader")
            role = kind
        for user in users:
            found.setdefault(user.id, (user, role))
    return list(found.values())


def _cache(session: AsyncSession) -> dict[str, list[User]]:
    """Users looked up once per transaction: a batch of firings addresses the same units many times."""
    cache: dict[str, list[User]] = session.info.setdefault("notify_directory_cache", {})
    return cache


async def _unit_users(session: AsyncSession, unit_ids: list[str]) -> list[User]:
    cache = _cache(session)
    missing = [u for u in unit_ids if f"unit:{u}" not in cache]
    if missing:
        for unit_id in missing:
            cache[f"unit:{unit_id}"] = []
        for user in await repository.users_of_units(session, missing):
            cache[f"unit:{user.unit_id}"].append(user)
    return [user for unit_id in unit_ids for user in cache[f"unit:{unit_id}"]]


async def _role_users(session: AsyncSession, role: str) -> list[User]:
    cache = _cache(session)
    if f"role:{role}" not in cache:
        cache[f"role:{role}"] = await repository.users_with_role(session, role)
    return cache[f"role:{role}"]

"""The directory as notify-api knows it: units, users (contacts, locale, digest) and integration clients (scopes,
bound units, active) from the feed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.directory import repository
from notify_api.directory.models import Client, Unit, User

# The directory role behind each recipient kind that is not a unit.
ROLE_OF = {"office": "office", "leaders": "leader", "admins": "admin"}


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


async def apply_unit(session: AsyncSession, *, data: dict[str, Any]) -> None:
    """Upsert a unit from a `unit.created|updated` event."""
    unit_id = str(data["id"])
    unit = await repository.get_unit(session, unit_id) or Unit(id=unit_id)
    unit.code, unit.name = str(data.get("code") or ""), str(data.get("name") or "")
    unit.active = bool(data.get("active", True))
    session.add(unit)
    await session.flush()


async def apply_user(session: AsyncSession, *, data: dict[str, Any]) -> None:
    """Upsert a user from a `user.created|updated` event (contacts, role, unit, digest opt-in, locale, and
    `not_before`: tokens issued before it are void)."""
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
    user.not_before = _moment(data.get("not_before"))
    session.add(user)
    await session.flush()


async def apply_client(session: AsyncSession, *, data: dict[str, Any]) -> None:
    """Upsert an integration client from a `client.created|updated` event: its scopes and bound units take effect
    on the next event its webhook subscriptions are offered (`webhooks.service.wants`)."""
    client_id = str(data["id"])
    client = await repository.get_client(session, client_id) or Client(id=client_id)
    client.name = str(data.get("name") or "")
    client.scopes = sorted(str(s) for s in data.get("scopes") or [])
    client.unit_ids = sorted(str(u) for u in data.get("unit_ids") or [])
    client.active = bool(data.get("active", True))
    client.not_before = _moment(data.get("not_before"))
    session.add(client)
    await session.flush()


class Addressbook:
    """Who to address, looked up once per unit and role for the transaction it was made for: a batch of
    firings addresses the same units many times. Make a new one for each transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._units: dict[str, list[User]] = {}
        self._roles: dict[str, list[User]] = {}

    async def recipients(
        self, *, kinds: Iterable[str], lead_unit_id: str | None, co_unit_ids: Iterable[str]
    ) -> list[tuple[User, str]]:
        """Users to address for recipient kinds (`lead_unit`, `co_units`, `office`, `leaders`, `admins`), with
        their role in the message; each user once, in the first role that named them."""
        found: dict[str, tuple[User, str]] = {}
        for kind in kinds:
            if kind == "lead_unit":
                users = await self._unit_users([lead_unit_id] if lead_unit_id else [])
                role = "lead_unit"
            elif kind == "co_units":
                users = await self._unit_users([u for u in co_unit_ids if u != lead_unit_id])
                role = "co_unit"
            else:
                users = await self._role_users(ROLE_OF[kind])
                role = kind
            for user in users:
                found.setdefault(user.id, (user, role))
        return list(found.values())

    async def person(self, user_id: str) -> User | None:
        """The active user of that id, or None (unknown here, or deactivated)."""
        user = await repository.get_user(self.session, user_id)
        return user if user is not None and user.active else None

    async def _unit_users(self, unit_ids: list[str]) -> list[User]:
        missing = [u for u in unit_ids if u not in self._units]
        if missing:
            for unit_id in missing:
                self._units[unit_id] = []
            for user in await repository.users_of_units(self.session, missing):
                self._units[str(user.unit_id)].append(user)
        return [user for unit_id in unit_ids for user in self._units[unit_id]]

    async def _role_users(self, role: str) -> list[User]:
        if role not in self._roles:
            self._roles[role] = await repository.users_with_role(self.session, role)
        return self._roles[role]

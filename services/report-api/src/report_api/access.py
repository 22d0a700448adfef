"""Who may read reports, and the unit a reader is confined to."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from rectify_kit.auth import CurrentPrincipal, Principal
from rectify_kit.errors import Forbidden

READ_ROLES = frozenset({"admin", "office", "leader", "unit"})
READ_SCOPE = "reports:read"


async def reader_of(principal: Principal) -> Principal:
    """The caller, when they may read reports."""
    if principal.role in READ_ROLES or principal.has_scope(READ_SCOPE):
        return principal
    raise Forbidden("reports are for admin, office, leader and unit users", required_roles=sorted(READ_ROLES))


async def _reader(principal: CurrentPrincipal) -> Principal:
    return await reader_of(principal)


ReaderDep = Annotated[Principal, Depends(_reader)]


def confined_unit(principal: Principal) -> str | None:
    """The unit a `unit` user is confined to; None for readers who see everything."""
    if principal.role == "unit":
        if not principal.unit_id:
            raise Forbidden("unit user without a unit")
        return principal.unit_id
    return None


class OtherUnitForbidden(Forbidden):
    code = "other-unit-forbidden"
    title_zh = "无权查看其他单位的数据"
    title_en = "Another unit's figures are not visible to you"

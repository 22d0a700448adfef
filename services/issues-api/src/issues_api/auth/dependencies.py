"""Request dependencies of issues-api: the clock and who is calling.

`ClockDep` reads `app.state.clock` (a `SystemClock` unless a test sets a `FixedClock`, or overrides
`clock_dependency` in `app.dependency_overrides`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from rectify_kit.auth import CurrentPrincipal, Principal, require_roles
from rectify_kit.errors import Forbidden

AdminDep = Annotated[Principal, Depends(require_roles("admin"))]
StaffDep = Annotated[Principal, Depends(require_roles("admin", "office"))]


async def _directory_reader(principal: CurrentPrincipal) -> Principal:
    """Any signed-in user, or an integration client with `directory:read`."""
    if principal.kind == "client" and not principal.has_scope("directory:read"):
        raise Forbidden("scope directory:read required", required_scope="directory:read")
    return principal


DirectoryReaderDep = Annotated[Principal, Depends(_directory_reader)]


def sees_contacts(principal: Principal) -> bool:
    """Phones and emails are for admin and office users and for clients holding `contacts:read` only."""
    if principal.kind == "client":
        return principal.has_scope("contacts:read")
    return principal.role in ("admin", "office")

"""Dependencies shared by the routers: the clock and the roles that may manage notify-api."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from rectify_kit.auth import Principal, require_roles

StaffDep = Annotated[Principal, Depends(require_roles("admin", "office"))]
AdminDep = Annotated[Principal, Depends(require_roles("admin"))]

"""Dependencies shared by the routers: the clock and the roles that may manage notify-api."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from rectify_kit.auth import Principal, require_roles
from rectify_kit.clock import Clock


def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


ClockDep = Annotated[Clock, Depends(get_clock)]
StaffDep = Annotated[Principal, Depends(require_roles("admin", "office"))]
AdminDep = Annotated[Principal, Depends(require_roles("admin"))]

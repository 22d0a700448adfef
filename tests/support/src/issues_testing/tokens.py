"""Bearer headers for made-up principals signed with issues-api's own key, and a POST that must succeed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from rectify_kit.testing import TokenFactory


class Tokens:
    """Bearer headers for made-up principals, signed with the app's key."""

    def __init__(self, factory: TokenFactory) -> None:
        self.factory = factory

    def user(self, role: str, *, sub: str | None = None, unit_id: str | None = None) -> Mapping[str, str]:
        return self.factory.headers(
            sub or f"{role}-id", kind="user", role=role, unit_id=unit_id, username=role, name=role, scope=""
        )

    def client(self, scopes: str, *, sub: str = "some-system") -> Mapping[str, str]:
        return self.factory.headers(sub, kind="client", role="integration", username=sub, scope=scopes)

    def admin(self) -> Mapping[str, str]:
        return self.user("admin")

    def office(self) -> Mapping[str, str]:
        return self.user("office")


async def post_ok(client: httpx.AsyncClient, path: str, body: Mapping[str, Any], headers: Mapping[str, str]) -> Any:
    response = await client.post(path, json=dict(body), headers=dict(headers))
    assert response.status_code in (200, 201), response.text
    return response.json()

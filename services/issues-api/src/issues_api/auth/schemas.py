"""Bodies of the token endpoint and of /auth/me."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int = Field(description="有效期（秒）/ lifetime in seconds")


class MeOut(BaseModel):
    id: str
    username: str
    display_name: str
    role: str
    unit_id: str | None

"""Bodies of the token endpoint and of /auth/me."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class TokenOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"access_token": "eyJhbGciOiJSUzI1NiIsImtpZCI6ImlzcyJ9…", "token_type": "bearer", "expires_in": 3600}
            ]
        }
    )

    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int = Field(description="有效期（秒）/ lifetime in seconds")


class MeOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "sjz-gov",
                    "username": "sjz-gov",
                    "display_name": "石家庄市政务服务平台",
                    "role": "integration",
                    "unit_id": None,
                }
            ]
        }
    )

    id: str
    username: str
    display_name: str
    role: Literal["admin", "office", "leader", "unit", "integration"]
    unit_id: str | None


class TokenErrorOut(BaseModel):
    """RFC 6749 section 5.2 error, with the members of an RFC 9457 problem beside them."""

    error: Literal["invalid_request", "invalid_grant", "invalid_client", "unsupported_grant_type", "invalid_scope"]
    error_description: str
    type: str
    title: str = Field(description="中文或英文（按 Accept-Language）/ zh-CN or English by Accept-Language")
    status: int
    code: str
    instance: str | None = None
    request_id: str | None = None

"""A campaign definition upload is read only after the role check; YAML aliases and deep nesting are refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx

from issues_api.campaigns.definition import MAX_YAML_DEPTH, read_yaml
from issues_testing.tokens import Tokens

BOUNDARY = "rectify-boundary"


def nest(levels: int) -> Any:
    """An empty list inside `levels` - 1 lists."""
    inner: list[Any] = []
    for _ in range(levels - 1):
        inner = [inner]
    return inner


class CountedBody:
    """A multipart body of many pieces that counts how many of them the server pulled."""

    def __init__(self) -> None:
        self.pulled = 0

    async def stream(self) -> AsyncIterator[bytes]:
        self.pulled += 1
        yield f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="c.yaml"\r\n\r\n'.encode()
        for _ in range(32):
            self.pulled += 1
            yield b"x" * 65536
        yield f"\r\n--{BOUNDARY}--\r\n".encode()


class TestCampaignUploadGuards:
    async def test_a_unit_users_definition_upload_is_refused_before_its_body_is_read(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        body = CountedBody()
        response = await client.post(
            "/api/v1/campaigns/import",
            content=body.stream(),
            headers={**tokens.user("unit", unit_id="u-1"), "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
        )
        assert response.status_code == 403
        assert body.pulled <= 1

    async def test_a_definition_file_with_aliases_is_refused(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
        laughs += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(8)]
        response = await client.post(
            "/api/v1/campaigns/import",
            content="\n".join(laughs).encode(),
            headers={**tokens.office(), "Content-Type": "application/yaml"},
        )
        assert response.status_code == 422, response.text
        assert "aliases" in response.text

    async def test_a_raw_definition_over_the_limit_is_413(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        response = await client.post(
            "/api/v1/campaigns/import",
            content=b"# " + b"x" * (2 * 1024 * 1024),
            headers={**tokens.office(), "Content-Type": "application/yaml"},
        )
        assert response.status_code == 413

    async def test_a_definition_nested_too_deep_for_the_parser_is_a_422(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        response = await client.post(
            "/api/v1/campaigns/import",
            content=b"[" * 5000,
            headers={**tokens.office(), "Content-Type": "application/yaml"},
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["message"].startswith("YAML 嵌套层级过深")

    async def test_a_definition_nested_past_the_limit_is_refused_before_it_is_parsed_whole(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        """One level past MAX_YAML_DEPTH is refused as too deep (well within what the parser could compose, so it is
        the limit that refuses it), and what follows the deep part is never read: its syntax error goes unreported."""
        deep = b"[" * (MAX_YAML_DEPTH + 1) + b"]" * (MAX_YAML_DEPTH + 1)
        response = await client.post(
            "/api/v1/campaigns/import",
            content=deep + b" : : : ]]]",
            headers={**tokens.office(), "Content-Type": "application/yaml"},
        )
        assert response.status_code == 422, response.text
        assert [e["message"] for e in response.json()["errors"]] == ["YAML 嵌套层级过深 (YAML nested too deep)"]
        within = b"a: " + b"[" * (MAX_YAML_DEPTH - 1) + b"]" * (MAX_YAML_DEPTH - 1)
        assert read_yaml(within) == {"a": nest(MAX_YAML_DEPTH - 1)}

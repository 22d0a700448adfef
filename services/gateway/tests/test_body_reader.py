"""The client's request body as the proxy reads it whole (`_BodyReader.read_all`): the same bytes and the same
failures as reading it chunk by chunk (`stream`)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.proxy import _BodyAborted, _BodyReader

MESSAGES: list[list[dict[str, Any]]] = [
    [{"type": "http.request", "body": b'{"title": "t"}', "more_body": False}],
    [{"type": "http.request", "body": b"", "more_body": False}],
    [{"type": "http.request"}],
    [{"type": "http.request", "body": bytearray(b"ab"), "more_body": False}],
    [
        {"type": "http.request", "body": b"ab", "more_body": True},
        {"type": "http.request", "body": b"", "more_body": True},
        {"type": "http.request", "body": b"cd", "more_body": False},
    ],
    [{"type": "http.request", "body": b"x" * 10, "more_body": True}, {"type": "http.disconnect"}],
    [{"type": "http.request", "body": b"x" * 60, "more_body": True}, {"type": "http.request", "body": b"x" * 41}],
    [{"type": "http.request", "body": b"x" * 101, "more_body": False}],
]


def _reader(messages: list[dict[str, Any]]) -> _BodyReader:
    given = iter(messages)

    async def receive() -> dict[str, Any]:
        return next(given)

    return _BodyReader(receive, 100)


async def _outcome(reader: _BodyReader, *, whole: bool) -> tuple[Any, ...]:
    try:
        body = await reader.read_all() if whole else b"".join([chunk async for chunk in reader.stream()])
    except _BodyAborted as exc:
        body = str(exc)
    return body, type(body), reader.received, reader.done, reader.too_large, reader.client_gone


@pytest.mark.parametrize("messages", MESSAGES)
async def test_read_whole_as_streamed(messages: list[dict[str, Any]]) -> None:
    assert await _outcome(_reader(messages), whole=True) == await _outcome(_reader(messages), whole=False)

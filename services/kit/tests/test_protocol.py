"""The kit's HTTP protocol writes an answer's head with its body: one write per small answer, and a head whose body
is late still reaches the client at once."""

from __future__ import annotations

import asyncio
from typing import Any

from rectify_kit.protocol import HeadWithBody


class RecordingTransport(asyncio.Transport):
    """What the server wrote, one entry per write call (writelines is one call: one system call)."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: Any) -> None:
        self.writes.append(bytes(data))

    def writelines(self, list_of_data: Any) -> None:
        self.writes.append(b"".join(list_of_data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_write_buffer_size(self) -> int:
        return 0


def _held(transport: RecordingTransport) -> HeadWithBody:
    held = HeadWithBody(transport, asyncio.get_running_loop())
    held.expecting_head = True
    return held


class TestHeadWithBody:
    async def test_a_head_and_the_body_after_it_leave_in_one_write(self) -> None:
        transport = RecordingTransport()
        connection = _held(transport)
        connection.write(b"HTTP/1.1 200 OK\r\n\r\n")
        assert transport.writes == []
        connection.write(b"{}")
        assert transport.writes == [b"HTTP/1.1 200 OK\r\n\r\n{}"]
        await asyncio.sleep(0)
        assert transport.writes == [b"HTTP/1.1 200 OK\r\n\r\n{}"]

    async def test_a_head_whose_body_is_late_leaves_at_the_loops_next_turn(self) -> None:
        transport = RecordingTransport()
        connection = _held(transport)
        connection.write(b"HTTP/1.1 200 OK\r\n\r\n")
        await asyncio.sleep(0)
        assert transport.writes == [b"HTTP/1.1 200 OK\r\n\r\n"]
        connection.write(b"data: first\n\n")
        assert transport.writes == [b"HTTP/1.1 200 OK\r\n\r\n", b"data: first\n\n"]

    async def test_only_the_head_waits_the_rest_of_a_stream_goes_straight(self) -> None:
        transport = RecordingTransport()
        connection = _held(transport)
        for part in (b"head", b"one", b"two", b"three"):
            connection.write(part)
        assert transport.writes == [b"headone", b"two", b"three"]

    async def test_closing_writes_a_held_head_first(self) -> None:
        transport = RecordingTransport()
        connection = _held(transport)
        connection.write(b"HTTP/1.1 500 Internal Server Error\r\n\r\n")
        connection.close()
        assert transport.writes == [b"HTTP/1.1 500 Internal Server Error\r\n\r\n"]
        assert transport.closed

    async def test_a_connection_closed_meanwhile_is_not_written_to(self) -> None:
        transport = RecordingTransport()
        connection = _held(transport)
        connection.write(b"HTTP/1.1 200 OK\r\n\r\n")
        transport.closed = True
        await asyncio.sleep(0)
        assert transport.writes == []

    async def test_a_write_outside_an_answers_head_is_not_held(self) -> None:
        transport = RecordingTransport()
        connection = HeadWithBody(transport, asyncio.get_running_loop())
        connection.write(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        assert transport.writes == [b"HTTP/1.1 400 Bad Request\r\n\r\n"]

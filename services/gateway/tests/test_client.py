"""The proxy's own HTTP/1.1 client (client.py) against scripted replicas: what it sends, reads, and fails on."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
import uvloop

from gateway.client import ConnectFailed, Disconnected, Origin, Pool, ReadTimeout, Timeouts, UpstreamError

TIMEOUTS = Timeouts(pool_wait=1.0, connect=1.0, read=1.0)
Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        (int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0
    )
    return head + (await reader.readexactly(length) if length else b"")


def _answer(body: bytes, *extra: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n%s\r\n%s" % (len(body), b"".join(extra), body)


@asynccontextmanager
async def replica(handler: Handler) -> AsyncIterator[tuple[Origin, list[int]]]:
    """A scripted replica on loopback; yields its origin and how many connections it was given."""
    connections: list[int] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        try:
            await handler(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    origin = Origin.of(f"http://127.0.0.1:{port}")
    assert origin is not None
    try:
        yield origin, connections
    finally:
        server.close()


async def echo_forever(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while True:
        request = await _read_request(reader)
        writer.write(_answer(request))
        await writer.drain()


class TestOrigin:
    def test_plain_http_replicas_only(self) -> None:
        assert Origin.of("https://issues:8001") is None
        origin = Origin.of("http://issues-1:8001/base/")
        assert origin == Origin("issues-1", 8001, b"issues-1:8001", "/base")
        assert Origin.of("http://issues") == Origin("issues", 80, b"issues", "")


class TestRequests:
    async def test_the_request_carries_host_headers_and_body_length(self) -> None:
        pool = Pool(limit=10, keepalive=4)
        async with replica(echo_forever) as (origin, _):
            answer = await pool.request(origin, "POST", "/api/v1/x?a=1", [(b"X-Test", b"\xfc")], b"{}", TIMEOUTS)
            sent = await answer.read()
            answer.release()
            empty = await pool.request(origin, "POST", "/api/v1/y", [], None, TIMEOUTS)
            sent_empty = await empty.read()
            empty.release()
        pool.close()
        assert answer.status == 200
        assert sent.startswith(b"POST /api/v1/x?a=1 HTTP/1.1\r\nHost: 127.0.0.1:")
        assert b"\r\nX-Test: \xfc\r\n" in sent
        assert sent.endswith(b"\r\nContent-Length: 2\r\n\r\n{}")
        assert sent_empty.endswith(b"\r\nContent-Length: 0\r\n\r\n")

    async def test_a_connection_is_kept_alive_and_reused(self) -> None:
        pool = Pool(limit=10, keepalive=4)
        async with replica(echo_forever) as (origin, connections):
            for _ in range(3):
                answer = await pool.request(origin, "GET", "/", [], None, TIMEOUTS)
                await answer.read()
                answer.release()
        pool.close()
        assert len(connections) == 1

    async def test_releasing_an_answer_twice_leaves_the_next_request_on_its_connection_alone(self) -> None:
        async def body_late(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            while True:
                request = await _read_request(reader)
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % len(request))
                await writer.drain()
                await asyncio.sleep(0.1)
                writer.write(request)
                await writer.drain()

        pool = Pool(limit=10, keepalive=4)
        async with replica(body_late) as (origin, connections):
            first = await pool.request(origin, "GET", "/1", [], None, TIMEOUTS)
            await first.read()
            first.release()
            second = await pool.request(origin, "GET", "/2", [], None, TIMEOUTS)
            first.release()
            first.close()
            assert (await asyncio.wait_for(second.read(), 2)).startswith(b"GET /2 ")
            second.release()
        pool.close()
        assert len(connections) == 1

    async def test_an_idle_connection_past_its_keepalive_is_not_reused(self) -> None:
        pool = Pool(limit=10, keepalive=0.05)
        async with replica(echo_forever) as (origin, connections):
            for _ in range(2):
                answer = await pool.request(origin, "GET", "/", [], None, TIMEOUTS)
                await answer.read()
                answer.release()
                await asyncio.sleep(0.1)
        pool.close()
        assert len(connections) == 2

    async def test_an_answer_not_read_whole_closes_its_connection(self) -> None:
        pool = Pool(limit=10, keepalive=4)

        async def endless(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await _read_request(reader)
            writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n")
            await writer.drain()
            await reader.read()  # until the client closes

        async with replica(endless) as (origin, connections):
            answer = await pool.request(origin, "GET", "/", [], None, TIMEOUTS)
            chunks = answer.iter_any()
            assert await chunks.__anext__() == b"first"
            answer.close()
            await chunks.aclose()
            answer = await pool.request(origin, "GET", "/", [], None, TIMEOUTS)
            answer.close()
        pool.close()
        assert len(connections) == 2


class TestBodies:
    async def test_a_large_answer_streams_whole_with_reading_paused_and_resumed(self) -> None:
        body = bytes(range(256)) * 8192  # 2 MiB: past the pause mark many times

        async def large(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await _read_request(reader)
            writer.write(_answer(body))
            await writer.drain()

        pool = Pool(limit=10, keepalive=4)
        async with replica(large) as (origin, _):
            answer = await pool.request(origin, "GET", "/", [], None, TIMEOUTS)
            received = bytearray()
            async for chunk in answer.iter_any():
                received += chunk
                await asyncio.sleep(0)  # a slow client
            answer.release()
        pool.close()
        assert answer.content_length == len(body)
        assert bytes(received) == body

    @pytest.mark.parametrize(
        "raw",
        [
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nabcdef",
        ],
        ids=["chunked", "until-close"],
    )
    async def test_chunked_and_close_delimited_answers_are_read_whole(self, raw: bytes) -> None:
        async def scripted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await _read_request(reader)
            writer.write(raw)
            await writer.drain()

        pool = Pool(limit=10, keepalive=4)
        async with replica(scripted) as (origin, _):
            answer = await pool.request(origin, "GET", "/", [], None, TIMEOUTS)
            assert await answer.read() == b"abcdef"
            answer.release()
        pool.close()


class TestFailures:
    async def test_nothing_listening_is_a_connect_failure(self) -> None:
        origin = Origin.of("http://127.0.0.1:9")
        assert origin is not None
        with pytest.raises(ConnectFailed):
            await Pool(limit=10, keepalive=4).request(origin, "GET", "/", [], None, TIMEOUTS)

    async def test_no_free_connection_in_time_is_a_connect_failure(self) -> None:
        async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await _read_request(reader)
            await asyncio.sleep(2)

        pool = Pool(limit=1, keepalive=4)
        async with replica(hold) as (origin, _):
            first = asyncio.ensure_future(pool.request(origin, "GET", "/", [], None, TIMEOUTS))
            await asyncio.sleep(0.05)
            with pytest.raises(ConnectFailed):
                await pool.request(origin, "GET", "/", [], None, Timeouts(pool_wait=0.1, connect=1, read=1))
            first.cancel()
        pool.close()

    async def test_a_request_cancelled_while_connecting_gives_its_place_back(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        pool = Pool(limit=1, keepalive=4)
        loop = asyncio.get_running_loop()
        async with replica(echo_forever) as (origin, _):

            async def never(*args: object, **kwargs: object) -> None:
                await asyncio.sleep(10)

            monkeypatch.setattr(loop, "create_connection", never)
            connecting = asyncio.ensure_future(pool.request(origin, "GET", "/", [], None, TIMEOUTS))
            await asyncio.sleep(0.05)
            connecting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await connecting
            monkeypatch.undo()
            answer = await pool.request(origin, "GET", "/", [], None, Timeouts(pool_wait=0.2, connect=1, read=1))
            assert answer.status == 200
            answer.release()
        pool.close()

    async def test_a_silent_replica_is_a_read_timeout(self) -> None:
        async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await _read_request(reader)
            await asyncio.sleep(2)

        pool = Pool(limit=10, keepalive=4)
        async with replica(silent) as (origin, _):
            with pytest.raises(ReadTimeout):
                await pool.request(origin, "GET", "/", [], None, Timeouts(pool_wait=1, connect=1, read=0.2))
        pool.close()

    async def test_each_request_on_a_kept_connection_has_its_own_read_timeout(self) -> None:
        """The read timer is kept from one request to the next: a later request with a shorter timeout, or one
        asked just before the timer an earlier request armed would fire, still times out when it should."""
        asked: list[int] = []

        async def answer_then_fall_silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            while True:
                request = await _read_request(reader)
                asked.append(1)
                if len(asked) <= 2:
                    writer.write(_answer(request))
                    await writer.drain()

        pool = Pool(limit=1, keepalive=10)
        loop = asyncio.get_running_loop()
        async with replica(answer_then_fall_silent) as (origin, connections):
            for read in (5.0, 0.3):
                answer = await pool.request(origin, "GET", "/", [], None, Timeouts(pool_wait=1, connect=1, read=read))
                await answer.read()
                answer.release()
            await asyncio.sleep(0.2)  # the timer the second request armed would fire 0.1 s into the third
            started = loop.time()
            with pytest.raises(ReadTimeout):
                await pool.request(origin, "GET", "/", [], None, Timeouts(pool_wait=1, connect=1, read=0.3))
            waited = loop.time() - started
        pool.close()
        assert connections == [1]
        assert 0.25 <= waited < 1.0

    async def test_an_answer_read_whole_is_not_timed_out_while_its_reader_takes_its_time(self) -> None:
        pool = Pool(limit=1, keepalive=10)
        async with replica(echo_forever) as (origin, _):
            answer = await pool.request(origin, "GET", "/", [], None, Timeouts(pool_wait=1, connect=1, read=0.1))
            await asyncio.sleep(0.3)
            assert (await answer.read()).startswith(b"GET / HTTP/1.1")
            answer.release()
            await asyncio.sleep(0.3)  # idle past the read timeout: the kept timer lapses, the connection stays
            again = await pool.request(origin, "GET", "/", [], None, Timeouts(pool_wait=1, connect=1, read=0.1))
            assert again.status == 200
            again.release()
        pool.close()

    async def test_a_dropped_read_is_asked_again_once_on_a_new_connection(self) -> None:
        calls: list[int] = []

        async def drop_first(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            request = await _read_request(reader)
            calls.append(1)
            if len(calls) > 1:
                writer.write(_answer(request))
                await writer.drain()

        pool = Pool(limit=10, keepalive=4)
        async with replica(drop_first) as (origin, connections):
            answer = await pool.request(origin, "GET", "/", [], None, TIMEOUTS)
            assert (await answer.read()).startswith(b"GET / HTTP/1.1")
            answer.release()
        pool.close()
        assert len(connections) == 2

    async def test_a_dropped_post_is_not_sent_twice(self) -> None:
        async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await _read_request(reader)

        pool = Pool(limit=10, keepalive=4)
        async with replica(drop) as (origin, connections):
            with pytest.raises(Disconnected):
                await pool.request(origin, "POST", "/", [], b"{}", TIMEOUTS)
        pool.close()
        assert len(connections) == 1


def test_it_runs_on_uvloop_as_the_served_gateway_does() -> None:
    async def scenario() -> bytes:
        pool = Pool(limit=10, keepalive=4)
        async with replica(echo_forever) as (origin, _):
            answer = await pool.request(origin, "GET", "/uv", [], None, TIMEOUTS)
            body = await answer.read()
            answer.release()
        pool.close()
        return body

    assert uvloop.run(scenario()).startswith(b"GET /uv HTTP/1.1")


def test_a_connection_reset_as_it_opens_fails_as_an_upstream_error_on_uvloop() -> None:
    """A replica killed with connections in its accept queue resets them just after they opened: a request on
    such a connection failed with uvloop's RuntimeError (a 500 from the gateway) instead of an upstream error the
    proxy sends to another replica. The reset races the request: most of the tries below meet it before writing."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=512)

    def reset_each() -> None:
        with contextlib.suppress(OSError):  # the listener closed: the test is over
            while True:
                accepted, _ = listener.accept()
                accepted.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                accepted.close()

    threading.Thread(target=reset_each, daemon=True).start()
    origin = Origin.of(f"http://127.0.0.1:{listener.getsockname()[1]}")
    assert origin is not None

    async def scenario() -> list[BaseException]:
        failures: list[BaseException] = []
        for _ in range(200):
            pool = Pool(limit=10, keepalive=4)
            try:
                (await pool.request(origin, "POST", "/", [], b"{}", TIMEOUTS)).close()
            except Exception as exc:  # what it raises is the point
                failures.append(exc)
            pool.close()
        return failures

    try:
        failures = uvloop.run(scenario())
    finally:
        listener.close()
    assert len(failures) == 200
    assert [f for f in failures if not isinstance(f, UpstreamError)] == []

"""The gateway served by the kit's protocol (`rectify_kit.protocol`): answers on a kept-alive connection whole and in
order, and its keep-alive timer."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

import httpx
from fastapi import FastAPI

from rectify_kit.protocol import HttpProtocol
from rectify_kit.testing import TokenFactory

from .conftest import ServerThread


def _raw_exchange(url: str, requests: bytes, *, answers: int) -> bytes:
    """Send `requests` on one connection and read until `answers` answers have ended (each has a length)."""
    host, port = url.removeprefix("http://").split(":")
    received = b""
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(requests)
        while received.count(b"HTTP/1.1 ") < answers or not _complete(received, answers):
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    return received


def _complete(received: bytes, answers: int) -> bool:
    rest = received
    for _ in range(answers):
        head, separator, rest = rest.partition(b"\r\n\r\n")
        if not separator:
            return False
        length = next(
            (int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")),
            0,
        )
        if len(rest) < length:
            return False
        rest = rest[length:]
    return True


class TestServedGateway:
    def test_answers_on_one_kept_alive_connection_arrive_whole_and_in_order(
        self, served_gateway: Callable[..., str], tokens: TokenFactory
    ) -> None:
        url = served_gateway()
        token = tokens.token()
        request = (
            f"GET /api/v1/issues/{{n}} HTTP/1.1\r\nHost: gw.test\r\nAuthorization: Bearer {token}\r\n\r\n"
        ).encode()
        received = _raw_exchange(url, b"".join(request.replace(b"{n}", str(n).encode()) for n in range(3)), answers=3)
        paths = [part.split(b'"path":"')[1].split(b'"')[0] for part in received.split(b"HTTP/1.1 200 OK")[1:]]
        assert paths == [b"/api/v1/issues/0", b"/api/v1/issues/1", b"/api/v1/issues/2"]
        assert received.count(b"x-request-id: ") == 3

    def test_a_head_request_gets_the_head_alone_and_the_connection_goes_on(
        self, served_gateway: Callable[..., str], tokens: TokenFactory
    ) -> None:
        url = served_gateway()
        with httpx.Client(base_url=url, headers=tokens.headers()) as client:
            head = client.head("/api/v1/issues/1")
            after = client.get("/api/v1/issues/2")
        assert head.content == b""
        assert head.headers["x-request-id"]
        assert after.json()["path"] == "/api/v1/issues/2"


class TestKeepAlive:
    """The served protocol keeps one keep-alive timer per connection instead of one per request: a connection idle
    for the keep-alive timeout is closed, one in use is not."""

    def _served(self, make_gateway: Callable[..., FastAPI], timeout: float) -> ServerThread:
        server = ServerThread(make_gateway(), http=HttpProtocol)
        server.server.config.timeout_keep_alive = timeout  # type: ignore[assignment]  # each new connection reads it
        return server.start()

    def _ask(self, sock: socket.socket, token: str, n: int) -> bytes:
        request = f"GET /api/v1/issues/{n} HTTP/1.1\r\nHost: gw.test\r\nAuthorization: Bearer {token}\r\n\r\n"
        sock.sendall(request.encode())
        received = b""
        while not _complete(received, 1):
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
        return received

    def test_an_idle_connection_is_closed_after_the_timeout(
        self, make_gateway: Callable[..., FastAPI], tokens: TokenFactory
    ) -> None:
        server = self._served(make_gateway, 0.6)
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
                assert self._ask(sock, tokens.token(), 1).startswith(b"HTTP/1.1 200 OK")
                answered = time.monotonic()
                assert sock.recv(65536) == b""  # closed by the server
                idle = time.monotonic() - answered
        finally:
            server.stop()
        assert 0.5 <= idle < 3

    def test_a_connection_in_use_stays_open_past_the_timeout(
        self, make_gateway: Callable[..., FastAPI], tokens: TokenFactory
    ) -> None:
        server = self._served(make_gateway, 0.6)
        token = tokens.token()
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
                for n in range(8):  # 2 s of requests 0.25 s apart, on one connection
                    assert self._ask(sock, token, n).startswith(b"HTTP/1.1 200 OK")
                    time.sleep(0.25)
                assert self._ask(sock, token, 9).startswith(b"HTTP/1.1 200 OK")
        finally:
            server.stop()

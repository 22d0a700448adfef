"""What the proxy passes on of an answer's headers."""

from __future__ import annotations

from gateway.headers import downstream_response_headers


class TestDownstreamHeaders:
    def test_hop_by_hop_headers_and_those_named_in_connection_are_dropped_the_rest_kept_in_order(self) -> None:
        raw = [
            (b"Date", b"Thu, 03 Dec 2026 17:00:00 GMT"),
            (b"Content-Type", b"application/json"),
            (b"Connection", b"close, X-Secret"),
            (b"X-Secret", b"1"),
            (b"Keep-Alive", b"timeout=5"),
            (b"Server", b"uvicorn"),
            (b"X-Request-ID", b"upstream's"),
            (b"ETag", b'"abc"'),
            (b"Set-Cookie", b"a=1"),
            (b"Set-Cookie", b"b=2"),
        ]
        assert downstream_response_headers(raw) == [
            (b"content-type", b"application/json"),
            (b"etag", b'"abc"'),
            (b"set-cookie", b"a=1"),
            (b"set-cookie", b"b=2"),
        ]

"""The floor of a hop, for bench_stack.py: a byte relay between each client connection and a connection of its
own to the upstream, nothing read or changed.

What one more process and two more sockets on the way cost with no proxy's work in them: beside the gateway in the
same run, it tells the cost of the gateway's own work from the cost of the hop (and from the machine's mood).
`python bench/hop_relay.py UPSTREAM_HOST UPSTREAM_PORT PORT`.
"""

from __future__ import annotations

import asyncio
import sys
from typing import cast

import uvloop


class _Side(asyncio.Protocol):
    """One end of a pair: what it receives is written to the other end; each stops reading while the other's
    buffer is full, and closes when the other does."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.peer: _Side | None = None
        self.waiting: list[bytes] = []  # what came before the peer was connected

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's TCP transport, not asyncio's class

    def data_received(self, data: bytes) -> None:
        peer = self.peer.transport if self.peer is not None else None
        if peer is None:
            self.waiting.append(data)
        else:
            peer.write(data)

    def pause_writing(self) -> None:
        if self.peer is not None and self.peer.transport is not None:
            self.peer.transport.pause_reading()

    def resume_writing(self) -> None:
        if self.peer is not None and self.peer.transport is not None:
            self.peer.transport.resume_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.peer is not None and self.peer.transport is not None:
            self.peer.transport.close()


def _client_side(host: str, port: int) -> _Side:
    client = _Side()

    async def connect() -> None:
        try:
            _, upstream = await asyncio.get_running_loop().create_connection(_Side, host, port)
        except OSError:
            if client.transport is not None:
                client.transport.close()
            return
        assert upstream.transport is not None  # set on connection
        if client.transport is None or client.transport.is_closing():  # the client went while this connected
            upstream.transport.close()
            return
        upstream.peer, client.peer = client, upstream
        for data in client.waiting:
            upstream.transport.write(data)
        client.waiting.clear()

    task = asyncio.get_running_loop().create_task(connect())
    _CONNECTING.add(task)  # the loop keeps only a weak reference to a task
    task.add_done_callback(_CONNECTING.discard)
    return client


_CONNECTING: set[asyncio.Task[None]] = set()


async def serve(host: str, port: int, listen: int) -> None:
    server = await asyncio.get_running_loop().create_server(lambda: _client_side(host, port), "127.0.0.1", listen)
    await server.serve_forever()


if __name__ == "__main__":
    uvloop.run(serve(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))

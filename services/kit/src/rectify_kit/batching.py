"""Concurrent calls gathered into batches: one run of a statement for what arrived while the last one ran.

A write that many requests make at once (each the same statement with its own values) costs the database a round
trip, a commit and a flush each, and where the writes take one row's lock (a counter), they pass it one at a
time. `Batcher.submit` runs the first call of a key at once and gathers those that arrive while it runs into the
next batch of that key: under load batches grow by themselves, alone a call waits for nothing. Batches of one
key run one after another in a task of their own; different keys do not wait for each other.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
R = TypeVar("R")

Run = Callable[[K, list[T]], Awaitable[list[R | Exception]]]


@dataclass
class _Queue(Generic[T, R]):
    items: list[T] = field(default_factory=list)
    waiters: list[asyncio.Future[R]] = field(default_factory=list)


class Batcher(Generic[K, T, R]):
    """`submit(key, item)` → `run(key, items)`'s outcome for the item: what it returned in the item's place, or
    the exception it put there (raised to that caller alone). An exception `run` raises goes to every caller of
    the batch. `run` gets at most `max_size` items."""

    def __init__(self, run: Run[K, T, R], *, max_size: int) -> None:
        self._run = run
        self._max_size = max_size
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queues: dict[K, _Queue[T, R]] = {}
        self._tasks: dict[K, asyncio.Task[None]] = {}

    async def submit(self, key: K, item: T) -> R:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # another event loop (tests): nothing of the last one's can be awaited here
            self._loop, self._queues, self._tasks = loop, {}, {}
        queue = self._queues.setdefault(key, _Queue())
        waiter: asyncio.Future[R] = loop.create_future()
        queue.items.append(item)
        queue.waiters.append(waiter)
        if key not in self._tasks:
            # In a context of its own: a batch serves several requests, and its log lines would otherwise carry the
            # request id of whichever started it.
            self._tasks[key] = loop.create_task(self._drain(key), context=contextvars.Context())
        # Shielded: a caller cancelled (its client gone) does not cancel the batch the others wait for.
        return await asyncio.shield(waiter)

    async def _drain(self, key: K) -> None:
        """Batches of `key` while calls wait for one."""
        waiters: list[asyncio.Future[R]] = []
        try:
            while queue := self._queues.pop(key, None):
                items, waiters = queue.items[: self._max_size], queue.waiters[: self._max_size]
                if len(queue.items) > self._max_size:  # the rest first in the next batch
                    self._queues[key] = _Queue(queue.items[self._max_size :], queue.waiters[self._max_size :])
                try:
                    outcomes = await self._run(key, items)
                except Exception as error:
                    outcomes = [error] * len(items)
                for waiter, outcome in zip(waiters, outcomes, strict=True):
                    if isinstance(outcome, Exception):
                        _fail(waiter, outcome)
                    elif not waiter.done():
                        waiter.set_result(outcome)
                waiters = []
        finally:
            left: _Queue[T, R] = _Queue()
            if self._tasks.get(key) is asyncio.current_task():  # not a later event loop's (tests)
                del self._tasks[key]
                left = self._queues.pop(key, left)
            for waiter in (*waiters, *left.waiters):  # cancelled (the loop is closing): no caller is left waiting
                _fail(waiter, RuntimeError("the batch was stopped"))


def _fail(waiter: asyncio.Future[R], error: BaseException) -> None:
    if not waiter.done():
        waiter.set_exception(error)
        waiter.exception()  # marked as read: a caller cancelled meanwhile never reads it, and asyncio would log it

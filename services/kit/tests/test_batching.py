"""Batcher: calls gathered into the next batch of their key while one runs, each caller given its own outcome."""

from __future__ import annotations

import asyncio
import contextvars

import pytest

from rectify_kit.batching import Batcher


class Recorder:
    """A run that records its batches and waits for `release` before it answers each item doubled."""

    def __init__(self) -> None:
        self.batches: list[tuple[str, list[int]]] = []
        self.release = asyncio.Event()
        self.release.set()

    async def run(self, key: str, items: list[int]) -> list[int | Exception]:
        self.batches.append((key, items))
        await self.release.wait()
        return [ValueError(f"no {item}") if item < 0 else item * 2 for item in items]


async def test_calls_made_while_a_batch_runs_share_the_next_and_keys_do_not_wait_for_each_other() -> None:
    recorder = Recorder()
    batcher: Batcher[str, int, int] = Batcher(recorder.run, max_size=10)
    recorder.release.clear()
    first = asyncio.ensure_future(batcher.submit("a", 1))
    await asyncio.sleep(0)  # the first batch runs, waiting for `release`
    later = [asyncio.ensure_future(batcher.submit("a", n)) for n in (2, 3, 4)]
    other = asyncio.ensure_future(batcher.submit("b", 5))
    await asyncio.sleep(0.01)
    assert recorder.batches == [("a", [1]), ("b", [5])]
    recorder.release.set()
    assert await first == 2
    assert await asyncio.gather(*later) == [4, 6, 8]
    assert await other == 10
    assert recorder.batches == [("a", [1]), ("b", [5]), ("a", [2, 3, 4])]


async def test_a_batch_holds_at_most_max_size_and_the_rest_goes_first_in_the_next() -> None:
    recorder = Recorder()
    batcher: Batcher[str, int, int] = Batcher(recorder.run, max_size=2)
    recorder.release.clear()
    calls = [asyncio.ensure_future(batcher.submit("a", n)) for n in range(5)]
    await asyncio.sleep(0)
    recorder.release.set()
    assert await asyncio.gather(*calls) == [0, 2, 4, 6, 8]
    assert [items for _, items in recorder.batches] == [[0, 1], [2, 3], [4]]


async def test_an_items_exception_goes_to_its_caller_alone_a_runs_to_all_of_its_batch() -> None:
    recorder = Recorder()
    batcher: Batcher[str, int, int] = Batcher(recorder.run, max_size=10)
    recorder.release.clear()
    calls = [asyncio.ensure_future(batcher.submit("a", n)) for n in (1, -1, 2)]
    await asyncio.sleep(0)
    recorder.release.set()
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    assert outcomes[0] == 2
    assert isinstance(outcomes[1], ValueError)
    assert outcomes[2] == 4

    async def broken(key: str, items: list[int]) -> list[int | Exception]:
        raise ConnectionError("the database went away")

    failing: Batcher[str, int, int] = Batcher(broken, max_size=10)
    together = await asyncio.gather(*(failing.submit("a", n) for n in range(3)), return_exceptions=True)
    assert [type(outcome) for outcome in together] == [ConnectionError] * 3


async def test_a_caller_cancelled_leaves_the_batch_running_for_the_others() -> None:
    recorder = Recorder()
    batcher: Batcher[str, int, int] = Batcher(recorder.run, max_size=10)
    recorder.release.clear()
    calls = [asyncio.ensure_future(batcher.submit("a", n)) for n in (1, 2)]
    await asyncio.sleep(0)
    calls[0].cancel()
    recorder.release.set()
    assert await calls[1] == 4
    with pytest.raises(asyncio.CancelledError):
        await calls[0]
    assert recorder.batches == [("a", [1, 2])]


async def test_a_batch_runs_in_a_context_of_its_own_not_its_first_callers() -> None:
    request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
    seen: list[str | None] = []

    async def run(key: str, items: list[int]) -> list[int | Exception]:
        seen.append(request_id.get())
        return list(items)

    batcher: Batcher[str, int, int] = Batcher(run, max_size=8)

    async def call(rid: str, item: int) -> int:
        request_id.set(rid)
        return await batcher.submit("k", item)

    assert list(await asyncio.gather(call("first", 1), call("second", 2))) == [1, 2]
    assert seen == [None]  # one batch, which the first call started

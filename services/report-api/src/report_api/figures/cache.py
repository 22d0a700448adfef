"""Answers computed at one position of the read model, reused until the read model moves.

The read model changes only when a consumer applies a page, in the transaction that moves its feed's cursor; a
rebuild empties it with the cursors and replays to the same state at each position (rebuilt equals incremental).
So an answer is a function of the question (report, filters, today, reader's confinement) and of both feeds'
positions: it is stored under them, and only when both positions read before and after computing it are equal
(no page was applied in between: on PostgreSQL, where a read runs each statement on what has committed when it
starts, every statement then saw the same read model). The freshness (`lag_events`, `checked_at`), which moves
without the position, is read again for every answer.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from report_api.figures import repository as repo
from report_api.figures.schemas import Freshness

SIZE = 128  # questions kept; an answer is a few kB (a ranking of a few hundred units: some 100 kB)
Answer = TypeVar("Answer", bound=Freshness)


class FiguresCache:
    """The last `size` answers by (question, positions), least recently used dropped first."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, Freshness] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Freshness | None:
        answer = self._answers.get(key)
        if answer is None:
            self.misses += 1
            return None
        self._answers.move_to_end(key)
        self.hits += 1
        return answer

    def put(self, key: Hashable, answer: Freshness) -> None:
        self._answers[key] = answer
        self._answers.move_to_end(key)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)


async def answered(
    reader: repo.Reader,
    cache: FiguresCache | None,
    question: Hashable,
    compute: Callable[[], Awaitable[dict[str, Any]]],
    model: type[Answer],
) -> Answer:
    """`model` of what `compute` returns and the freshness, from `cache` when it holds the question at the read
    model's position. An answer computed while a page landed claims the position read before computing it: its
    statements saw at least that, some perhaps more, so it is never given as of a position it may not hold."""
    before = await repo.read_position(reader)
    key = (question, before.positions)
    hit = cache.get(key) if cache is not None else None
    if isinstance(hit, model):
        return hit.model_copy(update=before.fields)
    body = await compute()
    after = await repo.read_position(reader)
    if after.positions != before.positions:
        return model(**body, **before.fields)
    answer = model(**body, **after.fields)
    if cache is not None:
        cache.put(key, answer)
    return answer


def figures_cache(request: Request) -> FiguresCache | None:
    """The app's kept answers (none in an app that keeps none)."""
    return getattr(request.app.state, "figures_cache", None)


async def _cache(request: Request) -> FiguresCache | None:
    # `async`: a `def` dependency costs every request a hop to a worker thread.
    return figures_cache(request)


CacheDep = Annotated[FiguresCache | None, Depends(_cache)]

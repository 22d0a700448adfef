"""The anchor of bench_stack.py: a bare FastAPI app with an asyncpg pool reading one `issues` row by id.

What the framework and the driver cost with nothing of ours on top: no auth, no scoping, no ORM, no
middleware. `python bench/anchor_app.py DSN PORT` (DSN as asyncpg takes it, e.g. postgresql://postgres@host/db).
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import uvicorn
from fastapi import FastAPI, HTTPException


def create_app(dsn: str) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(dsn, min_size=10, max_size=10)
        yield
        await app.state.pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/issues/{issue_id}")
    async def read_issue(issue_id: str) -> dict[str, Any]:
        row = await app.state.pool.fetchrow("SELECT * FROM issues WHERE id = $1", issue_id)
        if row is None:
            raise HTTPException(404)
        return dict(row)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


if __name__ == "__main__":
    uvicorn.run(
        create_app(sys.argv[1]),
        host="127.0.0.1",
        port=int(sys.argv[2]),
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
    )

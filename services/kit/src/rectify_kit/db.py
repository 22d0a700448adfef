"""Async database access: one engine per service, one session and one transaction per request."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy import JSON, DateTime, MetaData, event, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.expression import Executable
from sqlalchemy.types import TypeDecorator

log = logging.getLogger("rectify_kit.db")
_AFTER_COMMIT = "rectify_after_commit"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_metadata() -> MetaData:
    """Metadata with a naming convention, so migrations name constraints the same on every database."""
    return MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes, stored as UTC; SQLite hands back naive values, which are UTC by construction."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store aware datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own BEGIN is turned off: `_sqlite_begin` emits it, IMMEDIATE for writers, so two
    # writers queue on the lock instead of failing on a stale snapshot.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Writers queue rather than fail: a background batch on a starved machine held the lock for over 10 s. Under
    # the gateway's 30 s read timeout, so a request that still cannot write gets its 503 before the gateway gives up.
    cursor.execute("PRAGMA busy_timeout=25000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get("rectify_write") else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    if is_sqlite(url):
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    # Enough kept connections for a loaded process (32 requests at once): a connection opened beyond the pool
    # is closed again when returned, and opening one costs more than the query it serves.
    kwargs.setdefault("pool_size", 32)
    kwargs.setdefault("max_overflow", 8)
    # No pre-ping (on asyncpg three round trips per checkout: BEGIN, ping, ROLLBACK). A connection the driver
    # already knows closed is replaced at checkout instead, and every connection after `pool_recycle` seconds.
    kwargs.setdefault("pool_recycle", 1800)
    # A server that does not answer is given 5 s to, not asyncpg's 60: requests fail fast (503) while the
    # database is away rather than piling up behind the connect.
    kwargs.setdefault("connect_args", {"timeout": 5})
    engine = create_async_engine(url, **kwargs)
    event.listen(engine.sync_engine, "checkout", _replace_closed)
    return engine


def _replace_closed(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    # The server closed it (restart, idle timeout, pg_terminate_backend): the pool drops it and checks out
    # another, up to three times, before the session ever sees it.
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("connection closed by the server")


# SQLSTATEs of a database that cannot be reached now (not of a statement that is wrong): class 08 (connection
# exception), 57P01-57P03 (shut down by the administrator, crashed, starting up), 53300 (too many connections).
_UNAVAILABLE_SQLSTATES = ("57P01", "57P02", "57P03", "53300")


# SQLSTATEs of a transaction PostgreSQL aborted so that others could go on: a deadlock's victim, a serialization
# failure. Running the same work again is the remedy PostgreSQL documents for both.
_LOST_RACE_SQLSTATES = ("40P01", "40001")
_T = TypeVar("_T")


def _causes(exc: BaseException) -> list[BaseException]:
    """The error, the driver's, the driver's own cause."""
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and len(chain) < 5:
        chain.append(seen)
        seen = getattr(seen, "orig", None) or seen.__cause__
    return chain


def _sqlstate(exc: BaseException) -> str:
    return str(getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None) or "")


def lost_a_lock_race(exc: BaseException) -> bool:
    """Whether PostgreSQL aborted the statement as a deadlock's victim or for a serialization failure."""
    return any(_sqlstate(seen) in _LOST_RACE_SQLSTATES for seen in _causes(exc))


async def retry_lock_races(session: AsyncSession, work: Callable[[], Awaitable[_T]], *, attempts: int = 4) -> _T:
    """Run `work` in a savepoint of the session's transaction, again when PostgreSQL aborts it as a deadlock's
    victim: rolling back to the savepoint releases the row locks it took, so the other side finishes, and the work
    runs anew after a short random pause (up to `attempts` times).

    For work that locks many rows which other writers lock in another order (e.g. flagging every open row while a
    feed consumer updates some of them and takes the outbox lock), where PostgreSQL may pick either side.
    """
    for attempt in range(1, attempts + 1):
        try:
            async with session.begin_nested():
                return await work()
        except DBAPIError as exc:
            if attempt == attempts or not lost_a_lock_race(exc):
                raise
            log.info("lost a lock race (attempt %d of %d): %s", attempt, attempts, str(exc).splitlines()[0])
        await asyncio.sleep(random.uniform(0.05, 0.25) * attempt)  # noqa: S311 - jitter, not a secret
    raise AssertionError("unreachable")  # pragma: no cover


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database cannot be reached right now (it was stopped, restarted, refuses
    connections, its connection was cut, or SQLite's write lock stayed taken), as opposed to a statement it
    refused: the first is a 503 to retry later, the second a bug."""
    if isinstance(exc, PoolTimeout):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    for seen in _causes(exc):
        state = _sqlstate(seen)
        if state.startswith("08") or state in _UNAVAILABLE_SQLSTATES:
            return True
        # ALLOW_CONNECTIONS false: 55000, a class shared with errors that are not about connections.
        if isinstance(seen, ConnectionError | TimeoutError) or "not currently accepting connections" in str(seen):
            return True
        # SQLite's one write lock held by another writer past the busy timeout: busy, not broken.
        if getattr(seen, "sqlite_errorname", None) in ("SQLITE_BUSY", "SQLITE_LOCKED"):
            return True
    return False


class Database:
    """The service's database: an engine and a session factory."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = create_engine(url, **engine_kwargs)
        # A Session subclass of our own, so session events can be scoped to this database.
        self.sync_session_class: type[Session] = type("RectifySession", (Session,), {})
        options: dict[str, Any] = {
            "expire_on_commit": False,
            "autoflush": False,
            "sync_session_class": self.sync_session_class,
        }
        self.sessionmaker = async_sessionmaker(self.engine, **options)
        self.write_sessionmaker = async_sessionmaker(self.engine.execution_options(rectify_write=True), **options)
        # PostgreSQL reads run without BEGIN and COMMIT (two round trips of three for a one-query read); each
        # statement sees what has committed when it starts. SQLite keeps its deferred transaction.
        reads = self.engine if is_sqlite(url) else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.read_sessionmaker = async_sessionmaker(reads, **options)
        self.read_engine = reads
        # PostgreSQL reads take their connection in the order they asked for one, at most the pool's kept
        # connections at once (the overflow stays for sessions). SQLAlchemy's asyncio pool is not fair: a connection
        # returned goes to whichever checkout runs first, and a waiter woken for it that finds it taken waits again at
        # the back of the queue. With more reads in flight than connections, some waited many turns: a GET's p99 was
        # 4 times its median, a ledger page's 8. SQLite keeps its own pool's order.
        pool = self.engine.pool
        self._read_turns = (
            _Turns(pool.size()) if isinstance(pool, QueuePool) and not is_sqlite(url) and pool.size() > 0 else None
        )

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @asynccontextmanager
    async def session(self, *, write: bool = True) -> AsyncIterator[AsyncSession]:
        """A session whose transaction commits when the block ends without error, else rolls back.

        `write=False` is for reads only: on SQLite it does not take the write lock; on PostgreSQL it runs without
        a transaction, so statements in it may see different commits (a read that needs one snapshot across
        statements, or streams rows through a server-side cursor, uses `snapshot()`).
        """
        async with self._session(self.write_sessionmaker if write else self.read_sessionmaker) as session:
            yield session

    @asynccontextmanager
    async def read_connection(self) -> AsyncIterator[AsyncConnection]:
        """A connection for a read of Core statements only: no session (its transaction bookkeeping, commit and
        close cost a hot read more CPU than its query). As `session(write=False)`: on PostgreSQL no transaction,
        on SQLite a deferred one, rolled back at the end (nothing to commit). On PostgreSQL reads are given their
        connections in the order they asked (`_Turns`)."""
        if self._read_turns is None:
            async with connected(self.read_engine) as connection:
                yield connection
            return
        async with self._read_turns.semaphore(), connected(self.read_engine) as connection:
            yield connection

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[AsyncSession]:
        """A read in one transaction: every statement sees the same commits, and rows may be streamed."""
        async with self._session(self.sessionmaker) as session:
            yield session

    @asynccontextmanager
    async def _session(self, maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
        async with maker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
            await self._after_commit(session)

    async def _after_commit(self, session: AsyncSession) -> None:
        hooks: dict[str, AfterCommit] = session.info.pop(_AFTER_COMMIT, {})
        for key, hook in hooks.items():
            try:
                await hook(self)
            except Exception:  # the commit stands; the hook's owner has its own way to catch up
                log.exception("after-commit hook %s failed", key)

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


class _Turns:
    """A first-come, first-served limit of `size` at once (asyncio's semaphore, which is fair since 3.11.1), one per
    event loop: a `Database` may outlive the loop of a test that used it."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._loop: asyncio.AbstractEventLoop | None = None
        self._semaphore = asyncio.Semaphore(size)

    def semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._loop, self._semaphore = loop, asyncio.Semaphore(self._size)
        return self._semaphore


_NO_DEFAULT = object()


@dataclass(frozen=True, slots=True)
class _DriverStatement:
    """A prebuilt statement compiled once for asyncpg: its SQL, and per positional parameter its name, the bind
    processor SQLAlchemy would apply, and its value when the statement holds one (a literal in it)."""

    statement: Executable  # held, so the id it is cached under is never reused
    sql: str
    binds: tuple[tuple[str, Callable[[Any], Any] | None, Any], ...]


_DRIVER_STATEMENTS: dict[int, _DriverStatement] = {}


def _driver_statement(statement: Executable, dialect: Dialect) -> _DriverStatement | None:
    found = _DRIVER_STATEMENTS.get(id(statement))
    if found is None:
        if not isinstance(statement, ClauseElement):
            return None
        compiled = statement.compile(dialect=dialect)
        if not isinstance(compiled, SQLCompiler):
            return None
        if compiled.positiontup is None:
            return None
        binds: list[tuple[str, Callable[[Any], Any] | None, Any]] = []
        for name in compiled.positiontup:
            bind = compiled.binds[name]
            if bind.expanding or bind.literal_execute or bind.callable is not None:
                return None  # rendered or valued per call: not for this path
            process: Any = compiled._bind_processors.get(name)
            value = _NO_DEFAULT if bind.required else bind.value if process is None else process(bind.value)
            binds.append((name, process, value))
        found = _DRIVER_STATEMENTS[id(statement)] = _DriverStatement(statement, compiled.string, tuple(binds))
    return found


def forget_statement(statement: Executable) -> None:
    """Drop what `fetch_rows` keeps for `statement`: for statements built and kept per shape of a request (a list's
    filters), once given up, so that what is kept stays bounded."""
    _DRIVER_STATEMENTS.pop(id(statement), None)


def _autocommit_asyncpg(connection: AsyncConnection) -> bool:
    """A PostgreSQL connection of `read_connection` (no transaction of SQLAlchemy's to keep the statement in)."""
    options = connection.sync_connection.get_execution_options() if connection.sync_connection else {}
    return connection.dialect.driver == "asyncpg" and options.get("isolation_level") == "AUTOCOMMIT"


@asynccontextmanager
async def connected(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """`engine.connect()`, its connection back in the pool as soon as the block ends.

    SQLAlchemy's `async with` closes a connection in a task of its own, so that a cancellation cannot interrupt
    the close: a turn of the event loop before the connection is back in the pool and another before the caller
    goes on, under load milliseconds held on every read's and every create's connection. A PostgreSQL connection
    in autocommit has no transaction to roll back: its close awaits nothing, so nothing can interrupt it, and it
    is closed in place. Any other, or one whose block raised, is closed as SQLAlchemy closes it.
    """
    connection = await engine.connect()
    try:
        yield connection
    except BaseException as error:
        await connection.__aexit__(type(error), error, error.__traceback__)
        raise
    if _autocommit_asyncpg(connection):
        await connection.close()
    else:
        await connection.__aexit__(None, None, None)


async def fetch_rows(
    connection: AsyncConnection, statement: Executable, params: Mapping[str, Any]
) -> Sequence[Sequence[Any]]:
    """The rows of a statement built once at import (a module constant, never one built per call: each is compiled
    and kept; one built per shape of a request is kept by its builder and given up with `forget_statement`), read
    on `connection`.

    On PostgreSQL the statement runs straight on the asyncpg connection, compiled once, its parameters bound as
    SQLAlchemy would: SQLAlchemy's execution (events, cache key, execution context, result, a greenlet hop each
    way) cost a hot read more CPU than asyncpg and the server together. Values are the driver's (JSON decoded by
    the codec SQLAlchemy installed, timestamps aware in UTC): for strings, numbers, dates, booleans, JSON and
    `UTCDateTime` what SQLAlchemy gives, no result processor of another type is applied.
    A statement that fails runs again through SQLAlchemy, so its errors are SQLAlchemy's (a dropped connection
    invalidated and a 503, not a bare driver error). Elsewhere (SQLite, a session's connection in its transaction)
    it is `connection.execute`.
    """
    if _autocommit_asyncpg(connection):
        prepared = _driver_statement(statement, connection.dialect)
        if prepared is not None:
            raw = await connection.get_raw_connection()
            args = []
            for name, process, value in prepared.binds:
                if value is _NO_DEFAULT or name in params:
                    value = params[name] if process is None else process(params[name])
                args.append(value)
            driver: Any = raw.driver_connection
            # A failure runs the statement again below, to raise what SQLAlchemy raises.
            with contextlib.suppress(Exception):
                rows: Sequence[Sequence[Any]] = await driver.fetch(prepared.sql, *args)
                return rows
    return (await connection.execute(statement, dict(params))).all()


AfterCommit = Callable[[Database], Awaitable[None]]


def after_commit(session: AsyncSession, key: str, hook: AfterCommit) -> None:
    """Run `hook(database)` once when the `Database.session()` block of `session` has committed, before the
    block returns (for a request: before the answer is sent). Never on rollback; one hook per `key`.

    A failing hook is logged, not raised: the commit has happened and stands.
    """
    session.info.setdefault(_AFTER_COMMIT, {})[key] = hook


def get_database(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


async def _request_session(request: Request) -> AsyncIterator[AsyncSession]:
    # scope="function" runs the commit before the response is sent: a failed commit is an error (503 when the
    # database is away), never a success the client saw and the database lost.
    write = request.method not in ("GET", "HEAD", "OPTIONS")
    async with get_database(request).session(write=write) as session:
        yield session


async def _write_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with get_database(request).session(write=True) as session:
        yield session


async def _read_connection(request: Request) -> AsyncIterator[AsyncConnection]:
    async with get_database(request).read_connection() as connection:
        yield connection


async def _snapshot_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with get_database(request).snapshot() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(_request_session, scope="function")]
# For a GET that needs one snapshot across its statements or streams rows (a server-side cursor needs a
# transaction, which a PostgreSQL read session does not open).
SnapshotSessionDep = Annotated[AsyncSession, Depends(_snapshot_session, scope="function")]
# For the hottest reads, written with Core statements only: a connection, no session (`Database.read_connection`).
# It takes its connection at once (a session only at its first statement): declare it after the caller's
# dependency, whose token check may read the account in a session of the same pool. Before it, a read held a
# connection while waiting for that look-up; with more reads in flight than the pool holds, all waited on each other.
ReadConnectionDep = Annotated[AsyncConnection, Depends(_read_connection, scope="function")]
# For a read that must leave a trace (an audited read of personal data): a writing transaction on any method.
WriteSessionDep = Annotated[AsyncSession, Depends(_write_session, scope="function")]


async def database_dependency(request: Request) -> Database:
    """`get_database` for `Depends`: a `def` dependency would cost every request a hop to a worker thread."""
    return get_database(request)


DatabaseDep = Annotated[Database, Depends(database_dependency)]

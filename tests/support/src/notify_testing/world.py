"""Helpers of notify-api's tests: issue events shaped exactly like docs/events.md, a world of units and
users fed through the real consumer, and a mailbox for a loopback SMTP server."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.message
import email.policy
import itertools
import threading
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from fastapi import FastAPI

from notify_api.config import OutboundSettings
from notify_api.runtime import Runtime
from rectify_kit.clock import BUSINESS_TZ, FixedClock
from rectify_kit.consumer import FetchedPage
from rectify_kit.feed import FeedEvent
from rectify_kit.testing import TokenFactory, free_port


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in Asia/Shanghai, as an aware datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=BUSINESS_TZ)


# Receivers in tests listen on loopback, which notify-api's outbound guard allows only when told.
LOOPBACK_ALLOWED = OutboundSettings(allow=["127.0.0.0/8", "::1/128"])
UNIT_A, UNIT_B, UNIT_C = "unit-a", "unit-b", "unit-c"
CAMPAIGN = "campaign-1"
ACTOR = {"kind": "user", "id": "u-office", "username": "office", "role": "office", "unit_id": None}


def actor_of(user_id: str, *, role: str = "unit", unit_id: str | None = None) -> dict[str, Any]:
    """The `actor` of an event taken by a user of the world (a unit's user by default)."""
    return {"kind": "user", "id": user_id, "username": user_id, "role": role, "unit_id": unit_id}


class World:
    """Feeds events to the app's consumer exactly as they would arrive from issues-api's feed."""

    def __init__(self, app: FastAPI, clock: FixedClock, tokens: TokenFactory) -> None:
        self.app = app
        self.clock = clock
        self.tokens = tokens
        self.seq = itertools.count(1)

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    def event(
        self, type_: str, subject_id: str, data: dict[str, Any], *, actor: dict[str, Any] | None = None
    ) -> FeedEvent:
        """The feed's next event, by the office unless `actor` says who (`actor_of("u-a")`)."""
        return FeedEvent(
            seq=next(self.seq),
            id=str(uuid.uuid4()),
            type=type_,
            occurred_at=self.clock.now().isoformat(),
            actor=actor or ACTOR,
            subject_id=subject_id,
            data=data,
            hash="0" * 64,
        )

    async def feed(
        self, type_: str, subject_id: str, data: dict[str, Any], *, actor: dict[str, Any] | None = None
    ) -> FeedEvent:
        """Apply one event, by the office unless `actor` says who (`actor_of("u-a")`)."""
        item = self.event(type_, subject_id, data, actor=actor)
        await self.feed_page([item])
        return item

    async def feed_page(self, events: list[FeedEvent]) -> None:
        """Apply `events` as one page (one transaction), as a consumer that was behind gets them."""
        await self.runtime.consumer.apply(FetchedPage(events=events, next=events[-1].seq, head=events[-1].seq))

    async def directory(self) -> None:
        """Units A (lead), B (co-unit), C (bystander); a user in each; office, leader and admin."""
        for uid, code in ((UNIT_A, "A"), (UNIT_B, "B"), (UNIT_C, "C")):
            body = {"id": uid, "code": code, "name": f"处室{code}", "kind": "department", "parent_id": None}
            await self.feed("unit.created", uid, {"unit": {**body, "active": True}})
        for uid, role, unit, locale in (
            ("u-a", "unit", UNIT_A, "zh-CN"),
            ("u-b", "unit", UNIT_B, "en"),
            ("u-c", "unit", UNIT_C, "zh-CN"),
            ("u-office", "office", None, "zh-CN"),
            ("u-leader", "leader", None, "zh-CN"),
            ("u-admin", "admin", None, "zh-CN"),
        ):
            await self.feed("user.created", uid, {"user": user(uid, role, unit, locale=locale)})

    def headers(self, user_id: str) -> dict[str, str]:
        role, unit = {
            "u-a": ("unit", UNIT_A),
            "u-b": ("unit", UNIT_B),
            "u-c": ("unit", UNIT_C),
            "u-office": ("office", None),
            "u-leader": ("leader", None),
            "u-admin": ("admin", None),
        }[user_id]
        return dict(self.tokens.headers(user_id, role=role, unit_id=unit, username=user_id))

    async def tick(self) -> None:
        await self.runtime.scheduler.tick()


def user(uid: str, role: str, unit_id: str | None, *, locale: str = "zh-CN", digest: bool = False) -> dict[str, Any]:
    return {
        "id": uid,
        "username": uid,
        "display_name": uid.upper(),
        "role": role,
        "unit_id": unit_id,
        "email": f"{uid}@example.gov.cn",
        "phone": "13800000000",
        "active": True,
        "digest_opt_in": digest,
        "locale": locale,
    }


def issue(
    issue_id: str = "issue-1",
    *,
    status: str = "assigned",
    deadline: date | None = None,
    assigned_at: datetime | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The Issue of docs/events.md (the fields notify-api reads, and the rest as issues-api sends them)."""
    body: dict[str, Any] = {
        "id": issue_id,
        "code": "YS-2026-0001",
        "campaign_id": CAMPAIGN,
        "category_id": None,
        "kind": "problem",
        "source": "inspection",
        "title": "审批超时",
        "description": "",
        "cause": "",
        "measures": "",
        "requirements": "",
        "lead_unit_id": UNIT_A,
        "co_unit_ids": [UNIT_B],
        "co_units": [{"unit_id": UNIT_B, "status": "pending"}],
        "city": None,
        "deadline": deadline.isoformat() if deadline else None,
        "original_deadline": deadline.isoformat() if deadline else None,
        "deadline_history": [],
        "status": status,
        "progress_percent": 0,
        "reopen_count": 0,
        "return_count": 0,
        "flagged": False,
        "satisfaction": None,
        "rating": None,
        "created_at": "2026-09-01T00:00:00+00:00",
        "assigned_at": assigned_at.astimezone(UTC).isoformat() if assigned_at else None,
        "accepted_at": None,
        "submitted_at": None,
        "closed_at": None,
        "cancelled_at": None,
        "last_progress_at": None,
        "version": 1,
    }
    body.update(extra)
    return body


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str, str]] = []
        self.bodies: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), str(parsed["Subject"]), str(parsed["Message-ID"])))
        body = parsed.get_body(preferencelist=("plain",)) if isinstance(parsed, email.message.EmailMessage) else None
        self.bodies.append(body.get_content() if body is not None else "")
        return "250 OK"


async def wait_until(condition: Callable[[], Awaitable[bool]], *, within: float = 30.0) -> None:
    """Poll `condition` (another engine's or process's state) until it holds; fail after `within` seconds."""
    async with asyncio.timeout(within):
        while not await condition():  # noqa: ASYNC110 - polling state that no event here announces
            await asyncio.sleep(0.05)


@contextlib.contextmanager
def smtp_on_loopback(handler: Mailbox) -> Iterator[int]:
    """A real SMTP server on a free loopback port, handing every message to `handler`; yields the port."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HttpReceiver:
    """A real HTTP server on loopback that keeps every POST it receives and answers `status` (and `body`)."""

    port: int
    status: int = 204
    answer: bytes = b""
    received: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"


@contextlib.contextmanager
def http_receiver(status: int = 204) -> Iterator[HttpReceiver]:
    """Serve an HttpReceiver in a thread until the block ends."""
    receiver = HttpReceiver(port=free_port(), status=status)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            receiver.received.append(Received(self.path, dict(self.headers.items()), body))
            self.send_response(receiver.status)
            self.send_header("Content-Length", str(len(receiver.answer)))
            self.end_headers()
            self.wfile.write(receiver.answer)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", receiver.port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()

"""The chain-head anchor: the audit chain's last (seq, hash), signed and published outside the database.

A rewrite of the whole event table recomputes a valid chain, but cannot match the heads published earlier
(in the log and in `var/audit/anchors.jsonl`, signed with the service key), so `audit/verify` catches it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.auth.keys import verify
from issues_api.events.models import events
from rectify_kit.clock import Clock, SystemClock
from rectify_kit.db import Database
from rectify_kit.outbox import canonical, head

log = logging.getLogger("issues_api.audit")
DEFAULT_INTERVAL_SECONDS = 300.0


class Signer(Protocol):
    """What the anchor needs of the service key (issues_api.auth.keys.ServiceKeys fits)."""

    @property
    def kid(self) -> str: ...

    def sign(self, data: bytes) -> str: ...

    def verify(self, data: bytes, signature: str) -> bool: ...


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str
    kid: str
    signature: str

    def payload(self) -> bytes:
        return anchor_payload(self.seq, self.hash, self.at)


def anchor_payload(seq: int, hash_: str, at: str) -> bytes:
    return canonical({"seq": seq, "hash": hash_, "at": at}).encode()


def anchors_path(var_dir: Path) -> Path:
    return var_dir / "audit" / "anchors.jsonl"


async def publish_anchor(session: AsyncSession, *, signer: Signer, path: Path, clock: Clock) -> Anchor | None:
    """Sign the current chain head and append it to `path` and to the log; None while the chain is empty."""
    seq, digest = await head(session, events)
    if seq == 0:
        return None
    at = clock.now().isoformat()
    anchor = Anchor(seq=seq, hash=digest, at=at, kid=signer.kid, signature=signer.sign(anchor_payload(seq, digest, at)))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(anchor)) + "\n")
    log.info("audit chain head anchored", extra={"anchor": asdict(anchor)})
    return anchor


def read_anchors(path: Path) -> list[Anchor]:
    if not path.exists():
        return []
    anchors = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            anchors.append(Anchor(**json.loads(line)))
    return anchors


@dataclass(frozen=True)
class AnchorReport:
    checked: int
    first_bad_seq: int | None


async def check_anchors(session: AsyncSession, *, path: Path, public_keys: Mapping[str, str]) -> AnchorReport:
    """Each anchor must verify with the public key of its `kid` — the current key or one rotated out, kept in
    the keyring (auth/keys.py) — and still match the stored event at its seq; name the first that does not.

    An anchor that does not verify (an unknown key, a forged line) counts as bad: skipping it would let a key
    rotation, or a line added by hand, erase the evidence.
    """
    checked = 0
    for anchor in sorted(read_anchors(path), key=lambda a: a.seq):
        public_pem = public_keys.get(anchor.kid)
        if public_pem is None or not verify(anchor.payload(), anchor.signature, public_pem=public_pem):
            return AnchorReport(checked=checked, first_bad_seq=anchor.seq)
        stored = (await session.execute(select(events.c.hash).where(events.c.seq == anchor.seq))).scalar()
        if stored != anchor.hash:
            return AnchorReport(checked=checked, first_bad_seq=anchor.seq)
        checked += 1
    return AnchorReport(checked=checked, first_bad_seq=None)


async def _anchor_forever(database: Database, *, signer: Signer, path: Path, interval: float) -> None:
    last_seq = -1
    clock = SystemClock()
    while True:
        try:
            async with database.session(write=False) as session:
                seq, _ = await head(session, events)
                if seq != last_seq:
                    await publish_anchor(session, signer=signer, path=path, clock=clock)
                    last_seq = seq
        except Exception:  # a failed round is retried at the next interval; the service goes on
            log.exception("publishing the audit chain head failed")
        await asyncio.sleep(interval)


async def start_anchoring(app: FastAPI) -> None:
    """Startup hook: publish the chain head every `ISSUES_AUDIT_ANCHOR_SECONDS` (default 300) when it moved."""
    settings = app.state.settings
    interval = float(getattr(settings, "audit_anchor_seconds", DEFAULT_INTERVAL_SECONDS))
    app.state.anchor_task = asyncio.create_task(
        _anchor_forever(
            app.state.database, signer=app.state.keys, path=anchors_path(settings.var_dir), interval=interval
        )
    )


async def stop_anchoring(app: FastAPI) -> None:
    task: asyncio.Task[None] | None = getattr(app.state, "anchor_task", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

"""Abuse without friction: one address's repeats folded, its volume capped, its identity never stored.

An address and a text are kept only as keyed hashes (HMAC-SHA256 with a key derived from the service's signing
key, which lives outside the database). A submission's tracking code is kept sealed with a pad only the same
address and the same text open again, so that an identical repeat within the window gets the same code back,
and a leaked table opens nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.intake import repository, tracking
from issues_api.intake.models import Submission
from rectify_kit.clock import Clock
from rectify_kit.errors import TooManyRequests

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Origin:
    """Where a public submission comes from, as far as we keep it."""

    address_hash: str
    key: bytes


def origin_key(private_pem: str) -> bytes:
    """The intake's keyed-hash key, derived from (and rotating with) the service's signing key."""
    return hashlib.sha256(b"rectify-intake|" + private_pem.encode()).digest()


def origin_of(address: str, key: bytes) -> Origin:
    return Origin(address_hash=hmac.new(key, b"address|" + address.encode(), hashlib.sha256).hexdigest(), key=key)


def content_hash(title: str, content: str) -> str:
    """The text as a repeat would send it: Unicode-normalised, case and runs of white space ignored."""
    text = unicodedata.normalize("NFKC", f"{title}\n{content}").casefold()
    return hashlib.sha256(_SPACE.sub(" ", text).strip().encode()).hexdigest()


def _pad(origin: Origin, text_hash: str) -> bytes:
    return hmac.new(origin.key, f"seal|{origin.address_hash}|{text_hash}".encode(), hashlib.sha256).digest()


def seal(raw_code: str, origin: Origin, text_hash: str) -> str:
    pad = _pad(origin, text_hash)
    return bytes(a ^ b for a, b in zip(raw_code.encode(), pad, strict=False)).hex()


def unseal(sealed: str, origin: Origin, text_hash: str) -> str | None:
    pad = _pad(origin, text_hash)
    raw = bytes(a ^ b for a, b in zip(bytes.fromhex(sealed), pad, strict=False)).decode(errors="replace")
    return raw if tracking.normalize(raw) == raw else None


async def repeat_of(
    session: AsyncSession, *, origin: Origin, text_hash: str, hours: int, clock: Clock
) -> tuple[Submission, str] | None:
    """The first submission of the same text from the same address within `hours`, with its code."""
    since = clock.now() - timedelta(hours=hours)
    first = await repository.first_repeat(
        session, address_hash=origin.address_hash, content_hash=text_hash, since=since
    )
    if first is None or first.sealed_code is None:
        return None
    raw = unseal(first.sealed_code, origin, text_hash)
    if raw is None or tracking.code_hash(raw) != first.tracking_hash:
        return None  # sealed under an earlier signing key
    return first, tracking.display(raw)


async def check_volume(session: AsyncSession, *, origin: Origin, per_day: int, clock: Clock) -> None:
    """429 once an address has sent `per_day` new submissions in the last 24 hours (0: no limit)."""
    if per_day <= 0:
        return
    since = clock.now() - timedelta(hours=24)
    if await repository.count_from(session, address_hash=origin.address_hash, since=since) >= per_day:
        raise TooManyRequests(
            f"at most {per_day} submissions a day from one address / 同一地址每天最多提交 {per_day} 件",
            headers={"Retry-After": "3600"},
            code="too-many-submissions",
        )

"""Tracking codes of public submissions: 80 random bits in four readable groups, e.g. `K7QM-2XPD-9HTR-W4NB`.

The alphabet is Crockford's base32 (no I, L, O, U), so a code read over the phone survives; lookups forgive
case, spaces, missing dashes and the usual confusions (O→0, I/L→1).
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP_SIZE = 4, 4
LENGTH = GROUPS * GROUP_SIZE  # 16 characters x 5 bits = 80 bits of randomness
_CONFUSED = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _grouped(raw: str) -> str:
    return "-".join(raw[i : i + GROUP_SIZE] for i in range(0, len(raw), GROUP_SIZE))


def new_code() -> str:
    return _grouped("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def display(code: str) -> str:
    """A code as typed, shown in its canonical grouped form."""
    return _grouped(normalize(code) or code)


def normalize(code: str) -> str | None:
    """The code's 16 characters, or None when it cannot be a tracking code."""
    raw = "".join(code.split()).replace("-", "").upper().translate(_CONFUSED)
    if len(raw) != LENGTH or any(c not in ALPHABET for c in raw):
        return None
    return raw


def code_hash(normalized: str) -> str:
    return hashlib.sha256(normalized.encode()).hexdigest()

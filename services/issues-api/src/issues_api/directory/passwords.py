"""Password and client-secret hashing with argon2id.

argon2 is slow on purpose (~0.2 s here) and would stall every request of the service if it ran on the event
loop: request handlers use the `_in_thread` forms, which run it on a small pool of its own (argon2-cffi
releases the GIL), so a burst of logins queues there instead. The plain forms are for the command line.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# argon2id at the OWASP baseline (19 MiB, 2 passes, 1 lane): ~0.2 s on the 2-core target machine.
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
# Verified against when the account does not exist, so an unknown name costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash("rectify-no-such-account")
# One thread per core of the target machine: more would only add 19 MiB each and slow every hash down.
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="argon2")


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    """Always runs one argon2 verification, whether or not there is a stored hash."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, secret) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def hash_secret_in_thread(secret: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_POOL, hash_secret, secret)


async def verify_secret_in_thread(stored_hash: str | None, secret: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(_POOL, verify_secret, stored_hash, secret)

"""Where attachment bytes live: a content-addressed store (by sha256). An S3 store can implement the protocol."""

from __future__ import annotations

import asyncio
import hashlib
import os
from pathlib import Path
from typing import Protocol

from fastapi import Request


class FileStore(Protocol):
    async def put(self, data: bytes) -> str:
        """Store `data` (once per content) and return its sha256 hex digest."""
        ...

    async def get(self, sha256: str) -> bytes:
        """The bytes stored under `sha256`; FileNotFoundError when absent."""
        ...


class LocalFileStore:
    """Files under `root/<first two hex digits>/<sha256>`, written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise FileNotFoundError(sha256)
        return self.root / sha256[:2] / sha256

    def _write(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{digest}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        return digest

    async def put(self, data: bytes) -> str:
        return await asyncio.to_thread(self._write, data)

    async def get(self, sha256: str) -> bytes:
        return await asyncio.to_thread(self._path(sha256).read_bytes)


def file_store(request: Request) -> FileStore:
    """`app.state.file_store` when set (another backend), else files under `<var_dir>/files`."""
    store: FileStore | None = getattr(request.app.state, "file_store", None)
    return store or LocalFileStore(request.app.state.settings.var_dir / "files")

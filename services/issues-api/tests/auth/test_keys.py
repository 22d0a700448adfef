"""The service key: generated once into var/keys, reused, and signing verifiably."""

from __future__ import annotations

import stat
from pathlib import Path

from issues_api.auth import keys
from issues_api.config import Settings


class TestServiceKeys:
    def test_first_use_generates_a_private_key_file_readable_only_by_the_owner(self, tmp_path: Path) -> None:
        settings = Settings(var_dir=tmp_path)
        loaded = keys.load_keys(settings)
        path = tmp_path / "keys" / "issues-api.pem"
        assert path.read_text() == loaded.private_pem
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    def test_second_load_reuses_the_same_key(self, tmp_path: Path) -> None:
        first = keys.load_keys(Settings(var_dir=tmp_path))
        keys._load.cache_clear()
        second = keys.load_keys(Settings(var_dir=tmp_path))
        assert second.kid == first.kid
        assert second.public_pem == first.public_pem

    def test_signature_verifies_and_fails_on_other_data(self, tmp_path: Path) -> None:
        settings = Settings(var_dir=tmp_path)
        signature = keys.sign(b"head 42 abc", settings=settings)
        public_pem = keys.load_keys(settings).public_pem
        assert keys.verify(b"head 42 abc", signature, public_pem=public_pem)
        assert not keys.verify(b"head 43 abc", signature, public_pem=public_pem)
        assert not keys.verify(b"head 42 abc", "bm90IGEgc2lnbmF0dXJl", public_pem=public_pem)

    def test_configured_pem_file_is_used(self, tmp_path: Path) -> None:
        pem = tmp_path / "given.pem"
        pem.write_text(keys._generate_pem())
        loaded = keys.load_keys(Settings(var_dir=tmp_path / "var", tokens={"private_key_file": pem}))
        assert loaded.private_pem == pem.read_text()
        assert not (tmp_path / "var" / "keys").exists()

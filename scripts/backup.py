"""`make backup` and `make restore`: every service's database, issues-api's files, audit anchors, key and
client secrets, in one archive.

    python scripts/backup.py backup [FOLDER]     # writes FOLDER/rectify-<UTC time>.tar.gz (default: backups/)
    python scripts/backup.py restore ARCHIVE     # the services must be stopped

Each service's settings come from the environment as the service reads them (`*_DATABASE_URL`, `*_VAR_DIR`, …),
so the same command serves `make run`, `make run-pg` and a host running the images. A SQLite database is copied
with SQLite's online backup, a PostgreSQL one with `pg_dump` (custom format) and put back with `pg_restore`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from issues_api.config import Settings as IssuesSettings
from notify_api.config import Settings as NotifySettings
from rectify_kit.settings import ServiceSettings
from report_api.config import Settings as ReportSettings

# Consumers before their feeds, the audit anchors before the chain they vouch for, files after the rows that name
# them: a restored set never has a cursor past its feed's head, an anchor past the chain's head, or a row whose
# file is missing.
DATABASE_ORDER = ("report-api", "notify-api", "issues-api")
FORMAT = 1


def settings() -> tuple[IssuesSettings, dict[str, ServiceSettings]]:
    """issues-api's settings, and every service's by name."""
    issues = IssuesSettings()
    return issues, {"issues-api": issues, "notify-api": NotifySettings(), "report-api": ReportSettings()}


def issues_paths(issues: IssuesSettings) -> dict[str, Path]:
    """What issues-api keeps outside its database, by its name in the archive."""
    return {
        "anchors": issues.var_dir / "audit" / "anchors.jsonl",
        "files": issues.var_dir / "files",
        "key": issues.key_file(),
        "secrets": issues.secrets_dir(),
    }


# --- databases ---------------------------------------------------------------------------------------------


def _postgres(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and the environment that carries it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return plain, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SystemExit(f"{name} not found: install the PostgreSQL client (Debian: postgresql-client)")
    return path


def dump_database(url_text: str, target: Path) -> str:
    """Copy one database into `target` (without suffix); returns the kind, `sqlite` or `postgresql`."""
    url = make_url(url_text)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(str(url.database))
        copy = sqlite3.connect(target.with_suffix(".sqlite"))
        with source, copy:
            source.backup(copy)
        source.close()
        copy.close()
        return "sqlite"
    plain, env = _postgres(url)
    dump = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}.pgdump", plain]
    subprocess.run(dump, env=env, check=True)
    return "postgresql"


def restore_database(url_text: str, kind: str, source: Path) -> None:
    url = make_url(url_text)
    backend = "sqlite" if url.get_backend_name() == "sqlite" else "postgresql"
    if backend != kind:
        raise SystemExit(f"{source.name}: a {kind} backup cannot be restored into a {backend} database")
    if kind == "sqlite":
        database = Path(str(url.database))
        for stale in (Path(f"{database}-wal"), Path(f"{database}-shm")):
            stale.unlink(missing_ok=True)
        database.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source.with_suffix(".sqlite"), database)
        return
    plain, env = _postgres(url)
    restore = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
    subprocess.run([*restore, f"--dbname={plain}", f"{source}.pgdump"], env=env, check=True)


# --- files -------------------------------------------------------------------------------------------------


def copy_path(source: Path, target: Path) -> bool:
    """Copy a file or a folder; False when there is nothing at `source`."""
    if source.is_dir():
        shutil.copytree(source, target)
    elif source.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    else:
        return False
    return True


def replace_path(source: Path, target: Path) -> None:
    """Make `target` what `source` is (a file or a folder), or remove it when the backup had none."""
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.unlink(missing_ok=True)
    if source.exists():
        copy_path(source, target)


# --- commands ----------------------------------------------------------------------------------------------


def backup(folder: Path) -> Path:
    issues, services = settings()
    paths = issues_paths(issues)
    with tempfile.TemporaryDirectory() as staging_dir:
        staging = Path(staging_dir)
        (staging / "databases").mkdir()
        manifest: dict[str, object] = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat()}
        databases: dict[str, str] = {}
        for name in DATABASE_ORDER:
            if name == "issues-api":
                copy_path(paths["anchors"], staging / "anchors")
            url = services[name].resolved_database_url()
            databases[name] = dump_database(url, staging / "databases" / name)
        manifest["databases"] = databases
        manifest["paths"] = [name for name in ("files", "key", "secrets") if copy_path(paths[name], staging / name)]
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        archive = folder / f"rectify-{stamp}.tar.gz"
        partial = archive.with_name(f".{archive.name}.partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(staging, arcname="rectify")
        partial.chmod(0o600)
        partial.replace(archive)
    return archive


def restore(archive: Path) -> None:
    issues, services = settings()
    with tempfile.TemporaryDirectory() as unpacked_dir:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(unpacked_dir, filter="data")
        unpacked = Path(unpacked_dir) / "rectify"
        manifest = json.loads((unpacked / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise SystemExit(f"{archive}: unknown backup format {manifest.get('format')!r}")
        for name, kind in manifest["databases"].items():
            restore_database(services[name].resolved_database_url(), kind, unpacked / "databases" / name)
        for name, target in issues_paths(issues).items():
            replace_path(unpacked / name, target)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="backup.py", description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("backup").add_argument("folder", nargs="?", default="backups", type=Path)
    sub.add_parser("restore").add_argument("archive", type=Path)
    args = parser.parse_args(argv)
    if args.command == "backup":
        print(f"backup written: {backup(args.folder)}")
    else:
        restore(args.archive)
        print(f"restored from {args.archive}: start the services again")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

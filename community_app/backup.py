"""Consistent backups: ``VACUUM INTO`` for SQLite, ``pg_dump`` for PostgreSQL."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from community_app.db import get_engine, sqlite_path
from community_app.settings import DATA_DIR


class BackupError(RuntimeError):
    """The backup could not be written; the message says why."""


def default_backup_path(database_url: str, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    suffix = "db" if sqlite_path(database_url) else "sql"
    return DATA_DIR / "backups" / f"community-{stamp}.{suffix}"


def backup(database_url: str, output: Path) -> Path:
    """Write a consistent copy of the database to ``output`` (which must not exist)."""
    if output.exists():
        raise BackupError(f"{output} already exists; choose another --output")
    output.parent.mkdir(parents=True, exist_ok=True)
    if sqlite_path(database_url) is not None:
        # VACUUM cannot run inside a transaction: use the DBAPI connection, which our
        # engine keeps in autocommit mode (isolation_level=None).
        raw = get_engine().raw_connection()
        try:
            raw.driver_connection.execute("VACUUM INTO ?", (str(output),))
        finally:
            raw.close()
        return output
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump is not installed; install the PostgreSQL client tools")
    url = make_url(database_url).set(drivername="postgresql")
    result = subprocess.run(
        ["pg_dump", "--no-owner", "--file", str(output), url.render_as_string(hide_password=False)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        output.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip().splitlines()[-1]}")
    return output

"""Throw-away databases for tests: a SQLite file, or a private PostgreSQL schema.

Every name here is private to the test (a file under ``tmp_path``, a schema named by a
fresh UUID), so tests may run in parallel (pytest-xdist) and beside other runs.
Building the tables is the costly part, so it is done once a process: SQLite copies a
file that already has them; PostgreSQL replays the ``CREATE`` statements as one batch.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Dialect, Engine, create_engine, create_mock_engine, text
from sqlmodel import SQLModel

import community_app.domain.models  # noqa: F401  (registers the tables)
from community_app.db import make_engine
from community_app.settings import normalise_database_url

BACKENDS = ("sqlite", "postgresql")


def postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url:
        pytest.skip("TEST_DATABASE_URL is not set: the PostgreSQL variant was skipped")
    return normalise_database_url(url)


@contextmanager
def temporary_database(
    backend: str, tmp_path: Path, *, tables: bool = False
) -> Iterator[tuple[str, Engine]]:
    """Yield ``(url, engine)`` for a database that is dropped afterwards: empty, or with
    every table of the models when ``tables`` (the same as ``create_all``, cheaper).

    PostgreSQL tests get their own schema (selected through ``search_path``), so
    several runs can share the server's ``test`` database.
    """
    if backend == "sqlite":
        path = tmp_path / "test.db"
        if tables:
            shutil.copyfile(_sqlite_with_tables(), path)
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        try:
            yield url, engine
        finally:
            engine.dispose()
        return
    base_url = postgres_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base_url else "?"
    # A throw-away schema needs no wait for the disk at each commit (nothing here tests
    # durability across a crash); every other guarantee of PostgreSQL holds.
    url = f"{base_url}{separator}options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
    engine = make_engine(url)
    try:
        if tables:
            with engine.begin() as connection:
                connection.exec_driver_sql(schema_ddl(engine.dialect))
        yield url, engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def schema_ddl(dialect: Dialect) -> str:
    """Every ``CREATE`` statement of ``SQLModel.metadata.create_all`` for ``dialect``,
    as one script (one round trip instead of one a table and index)."""
    return _ddl(dialect.name, dialect)


@cache
def _ddl(name: str, dialect: Dialect) -> str:
    statements: list[str] = []

    def record(sql: Any, *_: Any, **__: Any) -> None:
        statements.append(str(sql.compile(dialect=dialect)).strip())

    mock = create_mock_engine(f"{name}://", record)  # type: ignore[arg-type]
    SQLModel.metadata.create_all(mock, checkfirst=False)
    return ";\n".join(statements)


@cache
def _sqlite_with_tables() -> Path:
    """A SQLite file with every table, made once a process and copied for each test."""
    folder = Path(tempfile.mkdtemp(prefix="tsudoi-tables-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "tables.db"
    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    # Nothing may be left in a write-ahead log beside it: the copy takes the file alone.
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def in_memory_sqlite_with_tables() -> sqlite3.Connection:
    """A private in-memory SQLite database with every table (copied, not built)."""
    source = sqlite3.connect(_sqlite_with_tables())
    target = sqlite3.connect(":memory:", check_same_thread=False)
    try:
        source.backup(target)
    finally:
        source.close()
    return target

"""The one engine and session factory shared by the UI, the feeds and the CLI.

SQLite gets WAL, foreign keys, a busy timeout and ``BEGIN IMMEDIATE`` for write
transactions, so two writers queue instead of failing half-way with "database is
locked". PostgreSQL is reached through psycopg 3.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from community_app.settings import get_settings

SQLITE_BUSY_TIMEOUT_MS = 10_000
_IMMEDIATE = "tsudoi_begin_immediate"


def sqlite_path(database_url: str) -> Path | None:
    """The file behind a SQLite URL, or None for PostgreSQL and in-memory databases."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's own
        # transaction handling would defer it and ignore IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(database_url: str) -> Engine:
    """Build an engine for ``database_url`` with the project's connection settings."""
    if database_url.startswith("sqlite"):
        path = sqlite_path(database_url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            database_url, connect_args={"check_same_thread": False, "timeout": 30}
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(database_url, pool_pre_ping=True, pool_size=10, max_overflow=20)


_commits = 0
_commits_lock = threading.Lock()


@event.listens_for(OrmSession, "after_commit")
def _count_commit(session: OrmSession) -> None:
    global _commits
    with _commits_lock:
        _commits += 1


def commits_so_far() -> int:
    """How many transactions this process has committed: what was read before a change
    made here can be told from what is read after it (``feeds.rendered.ValidatorMemo``)."""
    return _commits


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@contextmanager
def read_session(engine: Engine | None = None) -> Iterator[Session]:
    """A session for queries; objects stay readable after it closes."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        yield session


@contextmanager
def write_session(engine: Engine | None = None) -> Iterator[Session]:
    """A session whose transaction takes the write lock up front and commits on success."""
    bound = (engine or get_engine()).execution_options(**{_IMMEDIATE: True})
    with Session(bound, expire_on_commit=False) as session:
        yield session
        session.commit()

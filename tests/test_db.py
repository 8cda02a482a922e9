"""The one engine: SQLite pragmas, write transactions that lock up front, PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from community_app.db import make_engine, read_session, write_session
from community_app.preflight import check_database, check_redis
from tests.databases import postgres_url

pytestmark = pytest.mark.integration


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() >= 5000


def _try_to_take_the_write_lock(path: Path) -> bool:
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        other.close()


def test_a_write_session_holds_the_write_lock_before_its_first_write(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))

    with write_session(engine) as session:
        session.execute(text("SELECT count(*) FROM t"))  # only a read so far
        assert not _try_to_take_the_write_lock(path)
    assert _try_to_take_the_write_lock(path)


def test_a_read_session_leaves_the_write_lock_free(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    with read_session(engine) as session:
        session.execute(text("SELECT count(*) FROM t"))
        assert _try_to_take_the_write_lock(path)


def test_a_write_session_commits_on_success_and_rolls_back_on_error(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    with write_session(engine) as session:
        session.execute(text("INSERT INTO t VALUES (1)"))
    with pytest.raises(RuntimeError), write_session(engine) as session:
        session.execute(text("INSERT INTO t VALUES (2)"))
        raise RuntimeError("boom")
    with read_session(engine) as session:
        assert session.execute(text("SELECT x FROM t")).scalars().all() == [1]


def test_postgresql_is_reached_through_psycopg_3() -> None:
    url = postgres_url()
    check_database(url)
    engine = make_engine(url)
    try:
        assert engine.dialect.driver == "psycopg"
        with write_session(engine) as session:
            assert session.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()


def test_a_reachable_redis_passes_the_preflight_check() -> None:
    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set: the Redis check was skipped")
    check_redis(url)

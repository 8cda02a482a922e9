"""Before serving: busy ports, unreachable services and foreign files stop with one line."""

from __future__ import annotations

import hashlib
import socket
import sqlite3
from pathlib import Path

import pytest

from community_app.preflight import (
    PreflightError,
    check_database,
    check_port_free,
    check_redis,
    check_sqlite_file,
)

pytestmark = pytest.mark.integration


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_busy_port_is_named_with_a_way_out() -> None:
    with socket.socket() as listener:
        listener.bind(("0.0.0.0", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(PreflightError, match=rf"Port {port} is busy.*PORT={port + 1}"):
            check_port_free(port)


def test_a_free_port_passes() -> None:
    check_port_free(_closed_port())


def _port_in_time_wait() -> int:
    """A port nothing listens on, holding a TIME_WAIT connection (as after a crash)."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = int(server.getsockname()[1])
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = server.accept()
        accepted.close()  # the server's side closes first: it keeps the TIME_WAIT
        client.recv(1)
        client.close()
    return port


def test_a_port_left_in_time_wait_after_a_crash_is_free() -> None:
    port = _port_in_time_wait()
    # Control: the old probe (a bind without SO_REUSEADDR) calls this port busy.
    with socket.socket() as naive_probe, pytest.raises(OSError):
        naive_probe.bind(("0.0.0.0", port))
    check_port_free(port)


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "community.db"
    path.write_bytes("これはデータベースではありません".encode() * 100)
    before = _digest(path)
    with pytest.raises(PreflightError, match="not a SQLite database"):
        check_database(f"sqlite:///{path}")
    assert _digest(path) == before


def test_a_damaged_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "community.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x TEXT)")
    connection.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    connection.commit()
    connection.close()
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # wreck the second page, keep the header
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(PreflightError, match=r"damaged|integrity"):
        check_sqlite_file(path)
    assert _digest(path) == before


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "community.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)")
    connection.commit()
    connection.close()
    before = _digest(path)
    with pytest.raises(PreflightError, match="another application"):
        check_database(f"sqlite:///{path}")
    assert _digest(path) == before


def test_a_database_from_an_unknown_migration_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "community.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
    connection.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    connection.commit()
    connection.close()
    with pytest.raises(PreflightError, match="9999_from_the_future"):
        check_sqlite_file(path)


def test_a_missing_or_empty_sqlite_file_is_fine(tmp_path: Path) -> None:
    check_sqlite_file(tmp_path / "absent.db")
    (tmp_path / "empty.db").touch()
    check_sqlite_file(tmp_path / "empty.db")


def test_an_unreachable_postgresql_is_one_line_naming_the_url() -> None:
    url = f"postgresql+psycopg://tsudoi:hunter2@127.0.0.1:{_closed_port()}/community"
    with pytest.raises(PreflightError) as raised:
        check_database(url)
    message = str(raised.value)
    assert "Cannot reach the database" in message and "DATABASE_URL" in message
    assert "hunter2" not in message and "\n" not in message


def test_an_unreachable_redis_is_one_line_naming_the_url() -> None:
    with pytest.raises(PreflightError) as raised:
        check_redis(f"redis://:hunter2@127.0.0.1:{_closed_port()}/0")
    message = str(raised.value)
    assert "Cannot reach Redis" in message and "REDIS_URL" in message
    assert "hunter2" not in message and "\n" not in message

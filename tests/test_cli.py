"""`python -m community_app`, run as `make run` runs it, in a child process."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from community_app.settings import PROJECT_ROOT

pytestmark = pytest.mark.integration


def run_cli(
    *args: str, database: Path, stdin: str = "", extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"DATABASE_URL": f"sqlite:///{database}", "APP_ENV": "test"}
    return subprocess.run(
        [sys.executable, "-m", "community_app", *args],
        cwd=PROJECT_ROOT,
        env=env | (extra_env or {}),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _count(database: Path, table: str) -> int:
    connection = sqlite3.connect(database)
    try:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        connection.close()


def test_prepare_migrates_and_seeds_once_and_a_second_run_adds_nothing(tmp_path: Path) -> None:
    database = tmp_path / "community.db"
    first = run_cli("prepare", "--no-port-check", database=database)
    assert first.returncode == 0, first.stderr
    assert "Demo accounts" in first.stdout and "admin@tsudoi.example" in first.stdout
    events, members = _count(database, "events"), _count(database, "members")
    assert events >= 12

    second = run_cli("prepare", "--no-port-check", database=database)
    assert second.returncode == 0, second.stderr
    assert "already has data" in second.stdout
    assert (_count(database, "events"), _count(database, "members")) == (events, members)


def test_seed_demo_can_be_switched_off(tmp_path: Path) -> None:
    database = tmp_path / "community.db"
    result = run_cli(
        "prepare", "--no-port-check", database=database, extra_env={"SEED_DEMO": "false"}
    )
    assert result.returncode == 0, result.stderr
    assert _count(database, "events") == 0


def test_a_foreign_file_stops_prepare_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    database = tmp_path / "community.db"
    database.write_text("not a database\n" * 50)
    result = run_cli("prepare", "--no-port-check", database=database)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert database.read_text() == "not a database\n" * 50


def test_a_busy_port_stops_prepare_and_says_how_to_choose_another(tmp_path: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("0.0.0.0", 0))
        listener.listen()
        port = listener.getsockname()[1]
        result = run_cli(
            "prepare", database=tmp_path / "community.db", extra_env={"PORT": str(port)}
        )
    assert result.returncode == 1
    assert f"Port {port} is busy" in result.stderr and f"PORT={port + 1}" in result.stderr


def test_the_reflex_config_binds_loopback_behind_a_proxy(tmp_path: Path) -> None:
    # rxconfig.py is what `reflex run` reads: its backend_host is the address bound.
    def bound_host(extra: dict[str, str]) -> str:
        inherited = {name: value for name, value in os.environ.items() if name != "LISTEN_HOST"}
        env = inherited | {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"} | extra
        done = subprocess.run(
            [sys.executable, "-c", "import rxconfig; print(rxconfig.config.backend_host)"],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout.strip().splitlines()[-1]

    assert bound_host({"TRUSTED_PROXY_HOPS": "0"}) == "0.0.0.0"
    assert bound_host({"TRUSTED_PROXY_HOPS": "1"}) == "127.0.0.1"


def test_prepare_warns_loudly_when_a_trusted_proxy_can_be_bypassed(tmp_path: Path) -> None:
    database = tmp_path / "community.db"
    safe = run_cli(
        "prepare",
        "--no-port-check",
        database=database,
        extra_env={"TRUSTED_PROXY_HOPS": "1", "SEED_DEMO": "false"},
    )
    assert safe.returncode == 0, safe.stderr
    assert "WARNING" not in safe.stderr
    exposed = run_cli(
        "prepare",
        "--no-port-check",
        database=database,
        extra_env={"TRUSTED_PROXY_HOPS": "1", "LISTEN_HOST": "0.0.0.0", "SEED_DEMO": "false"},
    )
    assert exposed.returncode == 0, exposed.stderr
    assert "WARNING: TRUSTED_PROXY_HOPS=1" in exposed.stderr and "forge" in exposed.stderr


def test_a_bad_setting_is_one_line(tmp_path: Path) -> None:
    result = run_cli("check", database=tmp_path / "x.db", extra_env={"PORT": "abc"})
    assert result.returncode == 1
    assert result.stderr.strip() == "error: PORT must be a number between 1 and 65535, not 'abc'"


def test_create_admin_normalises_the_email_and_refuses_a_duplicate(tmp_path: Path) -> None:
    database = tmp_path / "community.db"
    assert run_cli("migrate", database=database).returncode == 0
    created = run_cli(
        "create-admin",
        "--email",
        "Ｋｅｉ＠Example.ORG",
        "--name",
        "圭",
        "--password-stdin",
        database=database,
        stdin="correct horse battery\n",
    )
    assert created.returncode == 0, created.stderr
    assert "kei@example.org" in created.stdout

    again = run_cli(
        "create-admin",
        "--email",
        "kei@example.org",
        "--name",
        "圭",
        "--password-stdin",
        database=database,
        stdin="correct horse battery\n",
    )
    assert again.returncode == 1 and "cannot be used" in again.stderr
    assert _count(database, "members") == 1


def test_create_admin_refuses_a_short_password(tmp_path: Path) -> None:
    database = tmp_path / "community.db"
    assert run_cli("migrate", database=database).returncode == 0
    result = run_cli(
        "create-admin",
        "--email",
        "a@example.org",
        "--name",
        "A",
        "--password-stdin",
        database=database,
        stdin="short\n",
    )
    assert result.returncode == 1 and "at least" in result.stderr
    assert _count(database, "members") == 0


def test_backup_writes_a_consistent_copy(tmp_path: Path) -> None:
    database = tmp_path / "community.db"
    assert run_cli("prepare", "--no-port-check", database=database).returncode == 0
    output = tmp_path / "backup.db"

    result = run_cli("backup", "--output", str(output), database=database)

    assert result.returncode == 0, result.stderr
    assert _count(output, "events") == _count(database, "events")
    refused = run_cli("backup", "--output", str(output), database=database)
    assert refused.returncode == 1 and "already exists" in refused.stderr

"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

import community_app.domain.models  # noqa: F401  (registers the tables)
from tests.databases import BACKENDS, temporary_database
from tests.mail_server import MailServer, running_mail_server

# Tests never read the developer's data/ folder or .env: pin a harmless environment.
os.environ.setdefault("APP_ENV", "test")
os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-0123456789")

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database with every table (built from the models)."""
    with temporary_database(request.param, tmp_path, tables=True) as (_url, engine):
        yield engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


def reset_configuration() -> None:
    """Forget cached settings, engine and rendered feeds (they belong to one database),
    so the next use reads the environment again."""
    from community_app.api.rate_limit import forget_limiters
    from community_app.db import get_engine
    from community_app.feeds.app import FRAGMENTS, RENDERED, VALIDATORS
    from community_app.settings import get_settings

    FRAGMENTS.clear()
    RENDERED.clear()
    VALIDATORS.clear()
    forget_limiters()
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file brought to the newest migration once a test process (each xdist
    worker has its own), copied by ``app_database`` instead of migrating every time."""
    from community_app.cli import migrate

    path = tmp_path_factory.mktemp("migrated") / "migrated.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", f"sqlite:///{path}")
        reset_configuration()
        migrate()
        reset_configuration()  # closes the engine: the file holds everything now
    for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-journal")):
        assert not leftover.exists() or leftover.stat().st_size == 0, leftover
    return path


@pytest.fixture
def app_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, migrated_sqlite: Path
) -> Iterator[Engine]:
    """The app's own engine pointed at a fresh, migrated SQLite file."""
    from community_app.db import get_engine

    database = tmp_path / "app.db"
    shutil.copyfile(migrated_sqlite, database)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("SITE_URL", "https://tsudoi.example")
    # The API's rate limit counts per process: tests that make many requests from the
    # one test client would trip it. tests/api/test_rate_limit.py turns it on.
    monkeypatch.setenv("API_RATE_LIMIT", "0")
    reset_configuration()
    yield get_engine()
    reset_configuration()


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    """A real SMTP server on 127.0.0.1 that keeps what it receives (tests/mail_server.py)."""
    with running_mail_server() as server:
        yield server

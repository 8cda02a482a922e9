"""Scratch databases for the bench: a migrated SQLite file, or a private PostgreSQL
schema that is dropped afterwards. The bench never touches data/ or a real database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from community_app.db import make_engine
from community_app.settings import normalise_database_url


def postgres_base_url() -> str | None:
    """BENCH_DATABASE_URL, else TEST_DATABASE_URL, else None (PostgreSQL is skipped)."""
    raw = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    return normalise_database_url(raw) if raw else None


def redis_base_url() -> str | None:
    """BENCH_REDIS_URL, else TEST_REDIS_URL, else None (PostgreSQL runs one worker)."""
    return os.environ.get("BENCH_REDIS_URL") or os.environ.get("TEST_REDIS_URL") or None


def migrate(url: str) -> None:
    """Bring the scratch database to the newest migration, as `make run` does."""
    from alembic.config import Config

    from alembic import command
    from community_app.settings import PROJECT_ROOT

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    _forget_settings()
    try:
        command.upgrade(config, "head")
    finally:
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous
        _forget_settings()


def _forget_settings() -> None:
    from community_app.db import get_engine
    from community_app.settings import get_settings

    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()


@contextmanager
def scratch_database(backend: str, folder: Path, name: str) -> Iterator[tuple[str, Engine]]:
    """Yield ``(url, engine)`` of a migrated, empty database."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / f'{name}.db'}"
        migrate(url)
        engine = make_engine(url)
        try:
            yield url, engine
        finally:
            engine.dispose()
        return
    base = postgres_base_url()
    if base is None:
        raise RuntimeError("no PostgreSQL URL: set BENCH_DATABASE_URL or TEST_DATABASE_URL")
    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    url = f"{base}{separator}options=-csearch_path%3D{schema}"
    try:
        migrate(url)
        engine = make_engine(url)
        try:
            yield url, engine
        finally:
            engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def analyse_like_autovacuum(engine: Engine) -> None:
    """After the bulk seed, PostgreSQL's statistics as autovacuum would soon leave them
    (the app never runs ANALYZE; SQLite plans without statistics, see event_search)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()

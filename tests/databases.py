"""Throw-away databases for tests: a SQLite file, or a private PostgreSQL schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from community_app.db import make_engine
from community_app.settings import normalise_database_url

BACKENDS = ("sqlite", "postgresql")


def postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url:
        pytest.skip("TEST_DATABASE_URL is not set: the PostgreSQL variant was skipped")
    return normalise_database_url(url)


@contextmanager
def temporary_database(backend: str, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    """Yield ``(url, engine)`` for an empty database that is dropped afterwards.

    PostgreSQL tests get their own schema (selected through ``search_path``), so
    several runs can share the server's ``test`` database.
    """
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
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
    url = f"{base_url}{separator}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    try:
        yield url, engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

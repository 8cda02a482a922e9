"""The production build on loopback: ``reflex run --env prod`` on one free port (as
`make run` serves it), with the bench-only app module ``bench.served_app``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.prod_server import Served
from tests.prod_server import production_server as served


@contextmanager
def production_server(
    database_url: str,
    memory_dir: Path,
    log: Path,
    *,
    redis_url: str | None = None,
    workers: int = 1,
) -> Iterator[Served]:
    """Serve ``database_url``; with ``redis_url``, ``workers`` backend processes share
    the pages' state there (without it, one process keeps it in memory)."""
    environment = {
        "DATABASE_URL": database_url,
        "SEED_DEMO": "false",
        "SEND_WEBHOOKS": "false",
        "FETCH_CALENDARS": "false",
        "REFLEX_APP_MODULE_IMPORT": "bench.served_app",
        "BENCH_MEMORY_DIR": str(memory_dir),
        "REDIS_URL": redis_url or "",
        "WEB_WORKERS": str(workers),
    }
    with served(environment, log) as server:
        yield server

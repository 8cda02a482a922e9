"""The production build on loopback: ``reflex run --env prod`` on one free port (as
`make run` serves it), with the bench-only app module ``bench.served_app``; and the same
for any other Reflex app directory (the blank app of ``bench.blank_app``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from community_app.settings import PROJECT_ROOT
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


@contextmanager
def reflex_prod_server(app_dir: Path, log: Path) -> Iterator[str]:
    """Serve another Reflex app (the blank one) the same way; yields its base URL once
    Reflex's own ``/_health`` and its home page answer."""
    environment = {"PYTHONPATH": str(PROJECT_ROOT), "REDIS_URL": ""}
    with served(environment, log, app_dir=app_dir, health="/_health") as server:
        yield server.base_url

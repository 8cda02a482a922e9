"""The production build on loopback: ``reflex run --env prod`` on one free port (as
`make run` serves it), with the bench-only app module ``bench.served_app``; and the same
for any other Reflex app directory (the blank app of ``bench.blank_app``)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from community_app.settings import PROJECT_ROOT

START_TIMEOUT_S = 420


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _bun() -> str:
    return subprocess.run(
        [str(PROJECT_ROOT / "scripts" / "ensure-bun.sh")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


@contextmanager
def production_server(database_url: str, memory_dir: Path, log: Path) -> Iterator[str]:
    """Yield the base URL of the production app serving ``database_url``."""
    env = {
        "DATABASE_URL": database_url,
        "SEED_DEMO": "false",
        "SEND_WEBHOOKS": "false",
        "FETCH_CALENDARS": "false",
        "REFLEX_APP_MODULE_IMPORT": "bench.served_app",
        "BENCH_MEMORY_DIR": str(memory_dir),
    }
    with reflex_prod_server(PROJECT_ROOT, env, log) as base:
        yield base


@contextmanager
def reflex_prod_server(
    app_dir: Path, extra_env: dict[str, str], log: Path, health: str = "/health"
) -> Iterator[str]:
    """``reflex run --env prod`` of the app in ``app_dir`` on one free port (frontend and
    backend together, as `make run` serves Tsudoi); yields its base URL once ``health``
    and the home page answer (Reflex's own check is ``/_health``; Tsudoi's ``/health``)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = (
        os.environ
        | {
            "SITE_URL": base,
            "PORT": str(port),
            "REFLEX_TELEMETRY_ENABLED": "false",
            "REFLEX_BUN_PATH": _bun(),
        }
        | extra_env
    )
    env.pop("REDIS_URL", None)
    reflex = PROJECT_ROOT / ".venv" / "bin" / "reflex"
    command = [str(reflex), "run", "--env", "prod", "--frontend-port", str(port)]
    command += ["--backend-port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=app_dir,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one below
        )
        try:
            _wait_until_up(base, process, log, health)
            yield base
        finally:
            _stop(process)


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path, health: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"the server stopped while starting:\n{tail}")
        try:
            checked = httpx.get(f"{base}{health}", timeout=2)
            page = httpx.get(f"{base}/", timeout=2)
            if checked.status_code == 200 and page.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise RuntimeError(f"the server did not answer within {START_TIMEOUT_S} s (log: {log})")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

"""The production build on loopback: ``reflex run --env prod`` on one free port (as
`make run` serves it), with the bench-only app module ``bench.served_app``."""

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
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SITE_URL": base,
        "PORT": str(port),
        "SEED_DEMO": "false",
        "SEND_WEBHOOKS": "false",
        "FETCH_CALENDARS": "false",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_APP_MODULE_IMPORT": "bench.served_app",
        "REFLEX_BUN_PATH": _bun(),
        "BENCH_MEMORY_DIR": str(memory_dir),
    }
    env.pop("REDIS_URL", None)
    reflex = PROJECT_ROOT / ".venv" / "bin" / "reflex"
    command = [str(reflex), "run", "--env", "prod", "--frontend-port", str(port)]
    command += ["--backend-port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one below
        )
        try:
            _wait_until_up(base, process, log)
            yield base
        finally:
            _stop(process)


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"the server stopped while starting:\n{tail}")
        try:
            health = httpx.get(f"{base}/health", timeout=2)
            page = httpx.get(f"{base}/", timeout=2)
            if health.status_code == 200 and page.status_code == 200:
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

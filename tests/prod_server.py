"""The production build on a free loopback port, started as `make run` starts it
(``reflex run --env prod``, one port for pages, websocket and feeds), for the scale-out
test and the bench. The caller prepares the database first (migrations run once,
before any worker starts)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from community_app.settings import PROJECT_ROOT

START_TIMEOUT_S = 420


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bun_path() -> str:
    return (
        os.environ.get("REFLEX_BUN_PATH")
        or subprocess.run(
            [str(PROJECT_ROOT / "scripts" / "ensure-bun.sh")],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )


@dataclass(frozen=True)
class Served:
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path  # what the server and its workers printed

    def worker_pids(self) -> list[int]:
        """The backend worker processes (Granian forks them from the server process)."""
        return sorted(child.pid for child in psutil.Process(self.process.pid).children())

    def clients_by_worker(self) -> dict[int, set[int]]:
        """For each worker, the client-side ports of the connections it holds now."""
        server_port = int(self.base_url.rsplit(":", 1)[1])
        return {
            pid: {
                connection.raddr.port
                for connection in psutil.Process(pid).net_connections(kind="tcp")
                if connection.raddr and connection.laddr.port == server_port
            }
            for pid in self.worker_pids()
        }

    def worker_serving(self, client_port: int | None) -> int | None:
        """The worker holding the connection whose client end is ``client_port``."""
        for pid, ports in self.clients_by_worker().items():
            if client_port in ports:
                return pid
        return None


@contextmanager
def production_server(
    environment: Mapping[str, str],
    log: Path,
    *,
    app_dir: Path = PROJECT_ROOT,
    health: str = "/health",
    backend_only: bool = False,
) -> Iterator[Served]:
    """Serve the app in ``app_dir`` with ``environment`` on top of this process's; yield
    once both ``health`` and the home page answer; stop the whole process group after.

    ``backend_only`` serves the websocket and the plain HTTP routes without building
    the pages (seconds instead of minutes): enough for a client speaking the protocol.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = (
        dict(os.environ)
        | {
            "PORT": str(port),
            "SITE_URL": base,
            "REFLEX_TELEMETRY_ENABLED": "false",
            "REFLEX_BUN_PATH": bun_path(),
        }
        | dict(environment)
    )
    reflex = PROJECT_ROOT / ".venv" / "bin" / "reflex"
    command = [str(reflex), "run", "--env", "prod", "--backend-port", str(port)]
    command += ["--backend-only"] if backend_only else ["--frontend-port", str(port)]
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
            _wait_until_up(base, process, log, health, pages=not backend_only)
            yield Served(base, process, log)
        finally:
            _stop(process)


def _wait_until_up(
    base: str, process: subprocess.Popen[bytes], log: Path, health: str, *, pages: bool
) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"the server stopped while starting:\n{tail}")
        try:
            checked = httpx.get(f"{base}{health}", timeout=2)
            page = httpx.get(f"{base}/", timeout=2) if pages else checked
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

"""One production build for every browser-test process of a run.

``AppHarnessProd`` exports the frontend (``reflex export``, a few minutes on two cores)
for the backend it has just started: the backend's address is baked into the build, in
one small chunk (``assets/reflex-env-*.js``, Reflex's copy of ``.web/env.json``). Under
pytest-xdist every worker has its own backend, database and frontend server, but they
share ``.web``, so:

- the first worker to get the lock initialises ``.web`` and builds, as usual, and writes
  down which backend the build points at (``BUILT``, one file a run);
- every later worker of the same run leaves ``.web`` alone (initialising it would delete
  the build the first one is serving), starts its own backend and serves the same files,
  with the address in that one chunk swapped for its own backend's.

Without xdist (one process) this is exactly ``AppHarnessProd``.
"""

from __future__ import annotations

import fcntl
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import reflex.utils.exec
import reflex.utils.prerequisites
from reflex.config import get_config
from reflex.environment import environment
from reflex.testing import AppHarnessProd, chdir
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

ENV_CHUNK = re.compile(r"/assets/reflex-env-[^/]+\.js$")
API_IN_CHUNK = re.compile(r"(https?|wss?)://[^/`\"']+")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class SharedBuildHarness(AppHarnessProd):
    """``AppHarnessProd`` whose build is made once a run and shared by xdist workers."""

    run_folder: Path  # shared by the workers of one run: the lock and the BUILT note
    swap: tuple[str, str]  # (backend the build points at, this process's backend)

    @classmethod
    def for_run(cls, root: Path, app_name: str, run_folder: Path) -> SharedBuildHarness:
        harness = cls.create(root=root, app_name=app_name)
        harness.run_folder = run_folder
        return harness

    @property
    def _built_note(self) -> Path:
        return self.run_folder / "BUILT"

    def start(self) -> SharedBuildHarness:
        with _locked(self.run_folder / "build.lock"):
            if self._built_note.exists():
                self._start_on_the_shared_build()
            else:
                super().start()
                self._built_note.write_text(get_config().api_url or "")
        return self

    def _start_on_the_shared_build(self) -> None:
        # Reflex's own backend workers run like this: no compile, no .web set-up.
        environment.REFLEX_SKIP_COMPILE.set(True)
        try:
            with mock.patch.object(
                reflex.utils.prerequisites, "initialize_frontend_dependencies", lambda: None
            ):
                self._initialize_app()
            self._start_backend()
            with chdir(self.app_path):
                config = get_config()
                config.api_url = "http://{}:{}".format(
                    *self._poll_for_servers(timeout=30).getsockname()
                )
        finally:
            environment.REFLEX_SKIP_COMPILE.set(None)
        # Read here: the frontend thread starts with a fresh context, hence a fresh config.
        self.swap = (self._built_note.read_text(), config.api_url or "")
        self.frontend_thread = threading.Thread(target=self._run_frontend)
        self.frontend_thread.start()
        self._wait_frontend()

    def _run_frontend(self) -> None:
        import uvicorn

        built_for, own = getattr(self, "swap", ("", ""))
        with chdir(self.app_path):
            static = reflex.utils.exec._frontend_prod_app()
        app = static if built_for == own else _EnvSwap(static, built_for, own)
        app = self._wrap_frontend(app)
        self.frontend_server = uvicorn.Server(uvicorn.Config(app=app, host="127.0.0.1", port=0))
        self.frontend_server.run()

    def _wrap_frontend(self, app: ASGIApp) -> ASGIApp:
        """The ASGI app that serves the built pages (subclasses add middleware)."""
        return app


class _EnvSwap:
    """Serves the static build, with the backend address in the env chunk replaced."""

    def __init__(self, static: ASGIApp, built_for: str, own: str) -> None:
        self.static, self.built_for, self.own = static, built_for, own

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not ENV_CHUNK.search(path):
            await self.static(scope, receive, send)
            return
        client = (reflex.utils.prerequisites.get_web_dir() / "build" / "client").resolve()
        file = (client / path.lstrip("/")).resolve()
        if not file.is_relative_to(client) or not file.is_file():
            await Response(status_code=404)(scope, receive, send)
            return
        body = swap_backend(file.read_text(), self.built_for, self.own)
        await Response(body, media_type="text/javascript")(scope, receive, send)


def swap_backend(chunk: str, built_for: str, own: str) -> str:
    """``chunk`` with every URL on the backend ``built_for`` moved to the backend ``own``
    (scheme and path kept: ``ws://`` for the event socket, ``http://`` for the rest)."""
    old, new = _host(built_for), _host(own)

    def swap(match: re.Match[str]) -> str:
        scheme, rest = match.group(0).split("://", 1)
        return f"{scheme}://{new}" if rest == old else match.group(0)

    return API_IN_CHUNK.sub(swap, chunk)


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0]
